#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Line coverage of module/core/ under the unit tests and the fuzzers: the
# core, its test library and every unit test built again with gcc
# --coverage (no sanitizers), each test run (tests/coverage/gcov_flush.c
# writes the counters of the harness's forked children), then the
# libFuzzer target's inputs - the kept corpus and what this run's fuzzing
# added - replayed through the same objects.
#
#   coverage.sh core KSFT_DIR OUTDIR TAPFILE [FUZZ_WORK_DIR]
#
# And of module/ under the debug-kernel VM suite, from the .gcda files
# the VM sent back into the module's build directory:
#
#   coverage.sh module MODDIR TAPFILE
#
# Each prints a figures line and writes the lines never reached, by
# function, beside the TAP file.

set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/tap.sh"

# Floors the figures must reach (see Documentation/testing.rst).
CORE_MIN=${CORE_MIN:-95}
MODULE_MIN=${MODULE_MIN:-85}

core() {
	local ksft=$1 out=$2 work=${4:-} log
	tap_init "$3"
	log=$out/build.log
	rm -rf "$out"
	mkdir -p "$out"
	gcc -O2 -c -o "$out/gcov_flush.o" "$here/tests/coverage/gcov_flush.c"
	if ! CFLAGS="-O0 -g --coverage" \
	     LDLIBS="--coverage -Wl,--wrap=_exit $out/gcov_flush.o" \
	     make -s -j"$(nproc)" -C "$here/tests/unit" KSFT_DIR="$ksft" \
		O="$out/unit" SANITIZE= all >"$log" 2>&1; then
		tail -n 30 "$log" | sed 's/^/#   /'
		tap_not_ok "coverage: build of the unit tests with --coverage"
		return 1
	fi
	local t fails=0
	for t in "$out"/unit/*_test; do
		"$t" >"$t.log" 2>&1 || fails=$((fails + 1))
	done
	[ $fails = 0 ] || tap_not_ok "coverage: $fails unit test binaries failed under --coverage"
	if ! gcc -O0 -g --coverage -std=gnu11 -I"$here/module/core" \
	     -I"$here/tests/unit/lib" -o "$out/replay" \
	     "$here/tests/fuzz/fuzz_walk.c" "$here/tests/coverage/replay.c" \
	     "$out"/unit/obj/core/*.o "$out/unit/obj/lib/simmem.o" \
	     "$out/unit/obj/lib/coretest.o" >>"$log" 2>&1; then
		tail -n 30 "$log" | sed 's/^/#   /'
		tap_not_ok "coverage: build of the fuzz_walk replay"
		return 1
	fi
	local dirs=("$here/tests/fuzz/corpus/fuzz_walk")
	[ -n "$work" ] && [ -d "$work" ] && dirs+=("$work")
	"$out/replay" "${dirs[@]}" | sed 's/^/# /'
	if "$here/scripts/coverage.py" --label "module/core under unit tests + fuzzers" \
		--under module/core --min "$CORE_MIN" \
		--unreached "${TAP_FILE%.tap}.unreached" "$out/unit/obj/core"; then
		tap_ok "coverage: module/core lines under unit tests + fuzzers at least $CORE_MIN%"
	else
		tap_not_ok "coverage: module/core lines under unit tests + fuzzers below $CORE_MIN%"
	fi
	tap_status
}

# DIR holds one directory of gcov data per debug-kernel stage.
module() {
	local dir=$1
	tap_init "$2"
	if ! find "$dir/vmtest-debug" -name '*.gcda' 2>/dev/null | grep -q .; then
		tap_not_ok "coverage: no gcov data came back from the debug-kernel VM suite"
		return 1
	fi
	"$here/scripts/coverage.py" --label "module/ under the debug-kernel VM suite" \
		--under module --brief "$dir/vmtest-debug"
	if "$here/scripts/coverage.py" --under module --min "$MODULE_MIN" \
		--label "module/ in the debug kernel (suite, injected failures, ioctl fuzzer)" \
		--unreached "${TAP_FILE%.tap}.unreached" "$dir"; then
		tap_ok "coverage: module/ lines in the debug kernel at least $MODULE_MIN%"
	else
		tap_not_ok "coverage: module/ lines in the debug kernel below $MODULE_MIN%"
	fi
	tap_status
}

case ${1:-} in
core) shift; core "$@" ;;
module) shift; module "$@" ;;
*) echo "usage: coverage.sh core KSFT OUT TAP [WORK] | module DIR TAP" >&2; exit 2 ;;
esac
