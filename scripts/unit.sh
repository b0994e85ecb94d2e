#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds and runs the userspace unit tests of module/core/ (ASan + UBSan).
#   unit.sh KSFT_DIR OUTDIR TAPFILE

set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/tap.sh"
ksft=$1 out=$2
tap_init "$3"

if ! make -s -j"$(nproc)" -C "$here/tests/unit" KSFT_DIR="$ksft" O="$out" all; then
	tap_not_ok "unit: build"
	exit 1
fi
for t in "$out"/*_test; do
	log=$out/$(basename "$t").log
	"$t" >"$log" 2>&1
	rc=$?
	grep -E '^(not )?ok |^# (PASSED|FAILED|Totals)' "$log" | sed 's/^/  /'
	tap_collect "unit: $(basename "$t"): " "$log"
	if [ $rc != 0 ]; then
		tail -n 30 "$log" | sed 's/^/#   /'
		tap_not_ok "unit: $(basename "$t") exited $rc"
	fi
done
# The helper's argument and trace parsers.
log=$out/userspace_test.log
if make -s -C "$here/userspace" KSFT_DIR="$ksft" O="$out" test >"$log" 2>&1; then
	tap_collect "unit: userspace: " "$log"
else
	tail -n 30 "$log" | sed 's/^/#   /'
	tap_collect "unit: userspace: " "$log"
	tap_not_ok "unit: userspace tests failed"
fi
grep -E '^(not )?ok ' "$log" | sed 's/^/  /'
tap_status
