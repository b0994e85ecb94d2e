#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Behaviour of the model core against a baseline commit: builds
# tests/equiv/scenarios.c (360 scenarios, one hash) once against BASE's
# module/core and tests/unit/lib and once against the working tree's, runs
# both and compares. Usage: scripts/equiv.sh [BASE] [BUILD-DIR]
# Exit 0: equal; 1: they differ (per-scenario hashes then show where).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
base=${1:-31883ee}
out=${2:-$top/build/equiv}
cflags="-O2 -std=gnu11 -w"

build() {	# build SRC-TREE BINARY
	gcc $cflags -I"$1/module/core" -I"$1/tests/unit/lib" -o "$2" \
		"$top/tests/equiv/scenarios.c" "$1"/module/core/*.c \
		$(ls "$1"/tests/unit/lib/*.c | grep -v failalloc)
}

rev=$(git -C "$top" rev-parse --short "$base")
mkdir -p "$out/$rev"
if [ ! -f "$out/$rev/.tree" ]; then
	git -C "$top" archive "$rev" module/core tests/unit/lib |
		tar -x -C "$out/$rev"
	touch "$out/$rev/.tree"
fi
build "$out/$rev" "$out/nwscen-$rev"
build "$top" "$out/nwscen-tree"
"$out/nwscen-$rev" -v >"$out/$rev.hashes"
"$out/nwscen-tree" -v >"$out/tree.hashes"
echo "base $rev: $(tail -1 "$out/$rev.hashes")"
echo "tree:     $(tail -1 "$out/tree.hashes")"
if ! cmp -s "$out/$rev.hashes" "$out/tree.hashes"; then
	echo "scenarios that differ:"
	diff "$out/$rev.hashes" "$out/tree.hashes" | grep '^>' | head -20
	exit 1
fi
echo "equal: every scenario's outcomes, counters and TLB contents"
