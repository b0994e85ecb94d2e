#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nestwalk plot: the TSV nestwalk compare --data writes, drawn by gnuplot
# as SVG: cycles per access and the ratio to native on log scales, a bar
# and a label per row, the workload in the title. Prints TAP.
#   plot_test.sh NESTWALK

nw=${1:?usage: plot_test.sh NESTWALK}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tap_prefix=plot
. "$(dirname "$0")/../../selftests/tap.sh"

echo "TAP version 13"
if ! command -v gnuplot >/dev/null; then
	echo "1..0 # SKIP gnuplot not installed"
	exit 0
fi
h='# label\ttlb_miss_rate\twalks\trefs_per_walk\tcycles_per_access\tratio_to_native'
printf "$h\n" >"$tmp/c.tsv"
printf '# workload: uniform over 64M, 100000 accesses, preset skylake\n' >>"$tmp/c.tsv"
printf 'native-4K\t0.324720\t324717\t1.0000\t11.8680\t1.0000\n' >>"$tmp/c.tsv"
printf 'native-2M\t0.000010\t10\t1.0000\t1.0410\t1.0000\n' >>"$tmp/c.tsv"
printf 'nested-4K/4K-nocache\t0.324720\t324717\t24.0000\t161.2380\t13.5860\n' >>"$tmp/c.tsv"
printf 'nested-2M/2M\t0.000010\t10\t4.0000\t1.0880\t1.0451\n' >>"$tmp/c.tsv"

"$nw" plot "$tmp/c.tsv" "$tmp/c.svg"
ok $? "exits 0"
grep -q '<svg' "$tmp/c.svg"
ok $? "wrote an SVG"
grep -qF '>nestwalk compare: uniform over 64M, 100000 accesses, preset skylake<' "$tmp/c.svg"
ok $? "the title names the workload and the preset"
# Cycles and the ratio to native, each on a log scale: 1.04 and 161.24
# both readable, 1.00x and 13.59x.
for l in 161.24 1.04 13.59x 1.05x 'estimated cycles per access (log scale)' \
	 'x native: over the native row of the same guest page size (log scale)'; do
	grep -qF ">$l<" "$tmp/c.svg"
	ok $? "SVG shows $l"
done
[ "$(grep -c '>1.00x<' "$tmp/c.svg")" = 2 ]
ok $? "both native rows are 1.00x"
# Two panels, each row's label under its bar in both.
for l in native-4K native-2M nested-4K/4K-nocache nested-2M/2M; do
	[ "$(grep -c ">$l<" "$tmp/c.svg")" = 2 ]
	ok $? "$l under its bar in both panels"
done
grep -qF '>cycles/access<' "$tmp/c.svg"
[ $? = 1 ]
ok $? "no one-series legend"
grep -q '>walk loads by where served<' "$tmp/c.svg"
[ $? = 1 ]
ok $? "no walk-load panel without its columns"

# With the data-cache model on, compare --data adds the walk loads' shares
# (%) served by L1, L2, the LLC and memory: a third panel, stacked bars.
wl='\twalk_loads_l1\twalk_loads_l2\twalk_loads_llc\twalk_loads_mem'
printf "$h$wl\n" >"$tmp/w.tsv"
printf 'nested-4K/4K\t0.324720\t324717\t3.1000\t40.1000\t3.3800\t61.25\t20.00\t10.50\t8.25\n' >>"$tmp/w.tsv"
printf 'nested-4K/4K-nocache\t0.324720\t324717\t24.0000\t161.2380\t13.5860\t70.00\t10.00\t5.00\t15.00\n' >>"$tmp/w.tsv"
"$nw" plot "$tmp/w.tsv" "$tmp/w.svg"
ok $? "walk-load data: exits 0"
for l in 161.24 13.59x 'nestwalk compare' 'walk loads by where served' \
	 '% of walk loads' L1 L2 LLC memory; do
	grep -qF ">$l<" "$tmp/w.svg"
	ok $? "SVG shows $l"
done
[ "$(grep -c '>nested-4K/4K-nocache<' "$tmp/w.svg")" = 3 ]
ok $? "three panels, a bar of each row in each"
"$nw" plot "$tmp/missing.tsv" "$tmp/d.svg" 2>"$tmp/err"
[ $? = 1 ] && [ "$(cat "$tmp/err")" = "nestwalk plot: $tmp/missing.tsv: No such file or directory (nestwalk compare --data FILE writes one)" ]
ok $? "a missing data file: one line naming compare --data, exit 1"
"$nw" plot "$tmp/c.tsv" 2>/dev/null
[ $? = 2 ]
ok $? "a missing argument exits 2"
tap_end
