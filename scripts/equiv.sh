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
base=${1:-9a86f5a4ac7a}
out=${2:-$top/build/equiv}

. "$top/scripts/core-at.sh"
basedir=$(core_at "$base" "$out")
rev=$(basename "$basedir")
core_build "$basedir" "$out/nwscen-$rev" "$top/tests/equiv/scenarios.c"
core_build "$top" "$out/nwscen-tree" "$top/tests/equiv/scenarios.c"
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
