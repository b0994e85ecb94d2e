#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nestwalk plot: the TSV nestwalk compare --data writes, drawn by gnuplot
# as SVG with a bar and a label per row. Prints TAP.
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
printf '# label\ttlb_miss_rate\twalks\trefs_per_walk\tcycles_per_access\tratio_to_native\n' >"$tmp/c.tsv"
printf 'native-4K\t0.324720\t324717\t1.0000\t11.8680\t1.0000\n' >>"$tmp/c.tsv"
printf 'nested-4K/4K-nocache\t0.324720\t324717\t24.0000\t161.2380\t13.5860\n' >>"$tmp/c.tsv"
printf 'nested-2M/2M\t0.000000\t0\t0.0000\t1.0000\t0.0843\n' >>"$tmp/c.tsv"

"$nw" plot "$tmp/c.tsv" "$tmp/c.svg"
ok $? "exits 0"
grep -q '<svg' "$tmp/c.svg"
ok $? "wrote an SVG"
for l in native-4K nested-4K/4K-nocache nested-2M/2M 161.24; do
	grep -q ">$l<" "$tmp/c.svg"
	ok $? "SVG shows $l"
done
grep -q '>walk loads by where served<' "$tmp/c.svg"
[ $? = 1 ]
ok $? "no walk-load panel without its columns"

# With the data-cache model on, compare --data adds the walk loads' shares
# (%) served by L1, L2, the LLC and memory: a second panel, stacked bars.
wl='\twalk_loads_l1\twalk_loads_l2\twalk_loads_llc\twalk_loads_mem'
printf "# label\ttlb_miss_rate\twalks\trefs_per_walk\tcycles_per_access\tratio_to_native$wl\n" >"$tmp/w.tsv"
printf 'nested-4K/4K\t0.324720\t324717\t3.1000\t40.1000\t3.3800\t61.25\t20.00\t10.50\t8.25\n' >>"$tmp/w.tsv"
printf 'nested-4K/4K-nocache\t0.324720\t324717\t24.0000\t161.2380\t13.5860\t70.00\t10.00\t5.00\t15.00\n' >>"$tmp/w.tsv"
"$nw" plot "$tmp/w.tsv" "$tmp/w.svg"
ok $? "walk-load data: exits 0"
for l in 161.24 'walk loads by where served' '% of walk loads' L1 L2 LLC memory; do
	grep -qF ">$l<" "$tmp/w.svg"
	ok $? "SVG shows $l"
done
# Two panels: each row's label under the first and under the second.
[ "$(grep -c '>nested-4K/4K-nocache<' "$tmp/w.svg")" = 2 ]
ok $? "two panels, a bar of each row in both"
"$nw" plot "$tmp/missing.tsv" "$tmp/d.svg" 2>/dev/null
[ $? = 1 ]
ok $? "a missing data file exits 1"
"$nw" plot "$tmp/c.tsv" 2>/dev/null
[ $? = 2 ]
ok $? "a missing argument exits 2"
tap_end
