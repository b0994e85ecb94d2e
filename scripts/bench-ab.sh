#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nwbench of a baseline commit's core against the working tree's, built
# side by side from the tree's bench/bench.c and run alternately (ABBA); prints
# per figure the median of the runs for both and their ratio.
# Usage: scripts/bench-ab.sh [BASE] [RUNS] [WHICH] [BUILD-DIR]
#   WHICH: nwbench's argument (default abc), RUNS: pairs (default 6).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
base=${1:-31883ee}
runs=${2:-6}
which=${3:-abc}
out=${4:-$top/build/bench-ab}

. "$top/scripts/core-at.sh"
basedir=$(core_at "$base" "$out")
rev=$(basename "$basedir")
core_build "$basedir" "$out/nwbench-$rev" "$top/bench/bench.c" -lm
core_build "$top" "$out/nwbench-tree" "$top/bench/bench.c" -lm
rm -f "$out"/run-*.txt
# ABBA: which runs first alternates, as the second of a pair may find
# memory the first just freed (huge pages for the simulated memory).
for i in $(seq "$runs"); do
	if [ $((i % 2)) = 1 ]; then
		"$out/nwbench-$rev" "$which" >"$out/run-base-$i.txt"
		"$out/nwbench-tree" "$which" >"$out/run-tree-$i.txt"
	else
		"$out/nwbench-tree" "$which" >"$out/run-tree-$i.txt"
		"$out/nwbench-$rev" "$which" >"$out/run-base-$i.txt"
	fi
done

# The figures: a rate (M/s) or a share of a floor (%), one per line.
figures() {
	awk '
	/^\(/ { name = $0; sub(/  +[0-9.]+ M.*/, "", name);
		for (i = 1; i <= NF; i++) if ($(i+1) ~ /^M(acc|walks)\/s$/)
			{ print name " (M/s)\t" $i; break }
		for (i = 1; i <= NF; i++) if ($i == "ratio")
			{ v = $(i+1); sub(/\).*/, "", v); print name " (of plain loop)\t" v } }
	/same 32 pages in random order/ { print "(a) random order (M/s)\t" $7 }
	/floor:/ { for (i = 1; i <= NF; i++) if ($i == "at")
			{ v = $(i+1); sub(/%/, "", v); print name " (% of floor)\t" v } }
	/random order/ { name = "(a) random order" }' "$1"
}

for f in "$out"/run-*.txt; do figures "$f" >"$f.fig"; done
printf '%-44s %10s %10s %7s\n' "figure (median of $runs runs)" "$rev" tree ratio
cut -f1 "$out/run-tree-1.txt.fig" | while IFS= read -r name; do
	b=$(cat "$out"/run-base-*.txt.fig | awk -F'\t' -v n="$name" '$1 == n { print $2 }' | sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
	t=$(cat "$out"/run-tree-*.txt.fig | awk -F'\t' -v n="$name" '$1 == n { print $2 }' | sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
	# A figure the baseline does not print (a newer benchmark): no ratio.
	if [ -z "$b" ] || [ "$(echo "$b == 0" | bc -l)" = 1 ]; then
		printf '%-44s %10s %10s %7s\n' "$name" - "$t" -
		continue
	fi
	printf '%-44s %10s %10s %7.3f\n' "$name" "$b" "$t" "$(echo "$t / $b" | bc -l)"
done
