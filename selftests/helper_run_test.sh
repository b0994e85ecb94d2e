#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nestwalk run and nestwalk compare against the loaded module: the figures
# the helper exists for (24 references per uncached nested walk, 19 over
# a hugetlb-backed host, 2 MiB pages against TLB misses, VPID under VM
# switches), JSON checked with jq and against the tables, a valgrind
# lackey trace of sort(1) replayed in a stream, plain and compressed, and
# nestwalk trace -- sort when the image has valgrind. Prints TAP; exits 4
# (skip) without root, the module, jq or a 2 MiB hugetlb pool.

dir=$(cd "$(dirname "$0")" && pwd)
export NESTWALK_STATE_DIR=/tmp/nestwalk-run-test
acc=100000
tap_prefix="helper run"
. "$dir/tap.sh"

[ "$(id -u)" = 0 ] || skip "run and compare need root"
[ -e /dev/nestwalk ] || skip "/dev/nestwalk missing: module not loaded"
command -v jq >/dev/null || skip "jq not installed"
command -v nestwalk >/dev/null || skip "nestwalk not in PATH"
grep -q 'Hugepagesize: *2048 kB' /proc/meminfo ||
	skip "no default 2 MiB hugepage pool"
rm -rf "$NESTWALK_STATE_DIR"

echo "TAP version 13"
nestwalk hugepages for-vm 64M >/dev/null
ok $? "hugepages for-vm 64M for the hugetlb rows"

# --- compare ------------------------------------------------------------
js=$(nestwalk -j compare --accesses $acc --data /tmp/compare.tsv)
ok $? "compare -j exits 0"
echo "$js" | jq -e '.rows | length == 10' >/dev/null
ok $? "compare -j parses with jq: 10 rows"

# jq -e EXPR over the row named $1 (as .r) and native (as .n).
rowcheck() {
	echo "$js" | jq -e --arg l "$1" "
		(.rows | map(select(.result.label == \$l))[0].result) as \$r |
		(.rows | map(select(.result.label == \"native-4K\"))[0].result) as \$n |
		$2" >/dev/null
}
rowcheck nested-4K/4K-nocache '$r.refs_per_walk == 24'
ok $? "nested 4K/4K, walk caches off: 24 references per walk"
rowcheck nested-4K/2M-nocache '$r.refs_per_walk == 19 and $r.host_pages["2m"] > 0'
ok $? "nested 4K guest over hugetlb 2M host, caches off: 19 per walk"
rowcheck native-4K '$r.refs_per_walk <= 4 and $r.walks > 0'
ok $? "native: at most 4 references per walk"
rowcheck nested-4K/4K '$r.cycles_per_access > $n.cycles_per_access'
ok $? "nested costs more cycles per access than native"
rowcheck nested-4K/4K '
	(.rows | map(select(.result.label == "nested-2M/2M"))[0].result) as $h |
	$r.counters.tlb_miss > 0 and
	$r.counters.tlb_miss >= 10 * $h.counters.tlb_miss'
ok $? "2 MiB guest and host pages cut TLB misses at least 10x"
rowcheck vpid-off-switching '
	(.rows | map(select(.result.label == "vpid-on-switching"))[0].result) as $v |
	$r.counters.tlb_miss > $v.counters.tlb_miss and $r.counters.exits > 0'
ok $? "VPID off misses more than VPID on under VM switches"
rowcheck native-4K '.rows[0].ratio_to_native == 1'
ok $? "ratios are to native"
# Each row's ratio is to the native row of its guest page size: 2M/2M
# against native-2M (against native-4K it read 0.08, as if nesting sped
# things up).
echo "$js" | jq -e '
	(.rows | map({key: .result.label, value: .}) | from_entries) as $r |
	def cpa(l): $r[l].result.cycles_per_access;
	def near(a; b): (a - b) * (a - b) < 0.000001;
	$r["native-2M"].result.experiment.guest_page == "2M" and
	$r["native-2M"].result.experiment.mode == "native" and
	$r["native-2M"].ratio_to_native == 1 and
	$r["nested-2M/2M"].native == "native-2M" and
	$r["nested-4K/2M"].native == "native-4K" and
	$r["shadow-4K"].native == "native-4K" and
	near($r["nested-2M/2M"].ratio_to_native;
	     cpa("nested-2M/2M") / cpa("native-2M")) and
	near($r["nested-4K/4K"].ratio_to_native;
	     cpa("nested-4K/4K") / cpa("native-4K"))' >/dev/null
ok $? "nested-2M/2M's ratio is to native-2M ($(echo "$js" | jq -c '[.rows[] | select(.result.label | test("2M/2M|native-2M")) | .ratio_to_native]'))"
[ "$(grep -vc '^#' /tmp/compare.tsv)" = 10 ]
ok $? "compare --data wrote 10 rows"
awk -F'\t' '$1 == "native-2M" && $6 == "1.0000" { n++ } END { exit n != 1 }' /tmp/compare.tsv
ok $? "compare --data: native-2M's ratio_to_native is 1.0000"
# The data-cache model is on by default: the walk loads' four shares.
head -n 1 /tmp/compare.tsv | grep -q 'walk_loads_l1.walk_loads_l2.walk_loads_llc.walk_loads_mem$' &&
	[ "$(awk -F'\t' '!/^#/ && NF != 10' /tmp/compare.tsv | wc -l)" = 0 ]
ok $? "compare --data: the walk loads by where served, columns 7 to 10"

# The table says what the JSON says: walks and references per walk. Its
# x_native is its own cyc/acc over that of the row the JSON names as the
# row's native (cycles are not compared across the two runs: the data
# caches are indexed by host physical addresses, which differ per run).
table=$(nestwalk compare --accesses $acc)
ok $? "compare (table) exits 0"
echo "$js" | jq -r '.rows[] | "\(.result.label) \(.result.walks) \(.result.refs_per_walk) \(.native)"' |
while read -r label walks refs nat; do
	echo "$table" | awk -v l="$label" -v w="$walks" -v r="$refs" -v n="$nat" '
		function off(a, b) { return a - b > 0.006 || b - a > 0.006 }
		$1 == l { found = 1; cpa = $6; x = $7
			  if ($3 != w || off($4, r)) bad = 1 }
		$1 == n { ncpa = $6 }
		END { if (!found || !ncpa || off(x, cpa / ncpa)) bad = 1
		      exit bad }' || echo "$label"
done >/tmp/compare.diff
[ ! -s /tmp/compare.diff ]
ok $? "table and JSON agree row by row; x_native is cyc/acc over the native row's $(tr '\n' ' ' </tmp/compare.diff)"
echo "$table" | grep -qx 'same guest page size (native-4K for 4K guest pages, native-2M for 2M)'
ok $? "the table says what x_native is measured against"

# --plot where gnuplot is missing: the run's data kept, the command to
# draw it printed, exit 1.
nw=$(command -v nestwalk)
PATH=/nonexistent "$nw" compare --accesses $acc --plot /tmp/c.svg \
	>/dev/null 2>/tmp/plot-err
rc=$?
kept=$(sed -n 's/^nestwalk compare: the data is in \([^:]*\): draw it later with .*/\1/p' /tmp/plot-err)
[ $rc = 1 ] && [ -n "$kept" ] &&
	tail -n 1 /tmp/plot-err | grep -qxF "nestwalk compare: the data is in $kept: draw it later with 'nestwalk plot $kept /tmp/c.svg'" &&
	[ "$(grep -vc '^#' "$kept")" = 10 ]
ok $? "compare --plot without gnuplot: exit 1 ($rc), 10 rows kept in ${kept:-nothing} and the plot command printed"
rm -f "$kept"

# --- run ----------------------------------------------------------------
out=$(nestwalk -j run --walk-caches off --accesses 20000)
ok $? "run -j exits 0"
echo "$out" | jq -e '.refs_per_walk == 24 and .accesses == 20000' >/dev/null
ok $? "run, walk caches off: 24 references per walk, 20000 accesses"
walks=$(echo "$out" | jq .walks)
nestwalk run --walk-caches off --accesses 20000 |
	grep -q "^walks  *$walks, 24.00 references each"
ok $? "run's table shows the JSON's $walks walks"
out=$(nestwalk -j run --mode shadow --workload uniform --mem 4M --accesses 20000 --no-warmup)
echo "$out" | jq -e '.counters.pf_fixed > 0 and .counters.shadow_pages > 0' >/dev/null
ok $? "run --mode shadow: shadow fills and shadow pages"
out=$(nestwalk -j run --backing thp --accesses 20000)
ok $? "run --backing thp exits 0 ($(echo "$out" | jq -c .host_pages))"

nestwalk run --guest-page 3M 2>/dev/null
[ $? = 2 ]
ok $? "run --guest-page 3M exits 2"
nestwalk run --workload zipf:x 2>/dev/null
[ $? = 2 ]
ok $? "run --workload zipf:x exits 2"
nestwalk run --accesses 0 2>/dev/null
[ $? = 2 ]
ok $? "run --accesses 0 exits 2"
gfree=$(cat /sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages 2>/dev/null || echo 0)
if [ "$gfree" = 0 ]; then
	nestwalk run --backing hugetlb-1G --accesses 1000 2>/tmp/run-err
	rc=$?
	[ $rc = 1 ] && grep -q 'hugepages for-vm' /tmp/run-err
	ok $? "run --backing hugetlb-1G without a pool: exit 1 and how to size one"
fi

# --- an explicit TLB geometry -------------------------------------------
# The nehalem preset's TLB written out level by level counts the same
# (with the data-cache model off: it is indexed by host-physical
# addresses, which differ from run to run).
zipf="--workload zipf --mem 8M --accesses 50000 --dcache off"
pre=$(nestwalk -j run --preset nehalem $zipf)
ok $? "run --preset nehalem (zipf, 8M)"
exp=$(nestwalk -j run --preset nehalem $zipf \
	--tlb-level 4k=64x4,2m=32x4,lat=1 --tlb-level victim,4k=512x4,lat=7)
ok $? "run --tlb-level nehalem's two levels"
printf '%s\n%s\n' "$pre" "$exp" | jq -e -s '
	.[0].counters.tlb_miss > 0 and .[0].counters.tlb_l2_hit > 0 and
	.[0].counters == .[1].counters and
	.[1].experiment.tlb_reach_kib["4k"] == 2304 and
	.[1].experiment.tlb_reach_kib["2m"] == 65536 + 2048' >/dev/null
ok $? "explicit nehalem geometry: every counter as the preset's, reach 2304 KiB / 64 MiB + 2 MiB of 4 KiB parts"
# A page-strided sweep of 1024 pages: 16 to a set of a 1024-entry 16-way
# LRU array, it never misses after the warm-up pass; 32 to a set of a
# 512-entry one, it always does.
sweep="--workload strided:4096 --mem 4M --accesses 10240"
out=$(nestwalk -j run $sweep --tlb-level 4k=1024x16)
echo "$out" | jq -e '.accesses == 10240 and .counters.tlb_miss == 0' >/dev/null
ok $? "1024 pages swept, 1024-entry TLB: no misses ($(echo "$out" | jq .counters.tlb_miss))"
out=$(nestwalk -j run $sweep --tlb-level 4k=512x16)
echo "$out" | jq -e '.counters.tlb_miss == 10240' >/dev/null
ok $? "1024 pages swept, 512-entry TLB: every access misses ($(echo "$out" | jq .counters.tlb_miss))"
nestwalk run $sweep --tlb-level 4k=1024x16 --tlb-level 4k+2m=64x4:plru,lat=9 |
	grep -q '^tlb levels  *4k=1024x16,lat=1 / 4k+2m=64x4:plru,lat=9$'
ok $? "run's table shows the geometry it ran"
nestwalk run --tlb-level 4k=96x4 2>/tmp/run-err
[ $? = 2 ] && grep -q 'not a power of two' /tmp/run-err
ok $? "run --tlb-level 4k=96x4 exits 2 and says why"

# --- the data-cache model (API 5) ---------------------------------------
# walks-only: only the walks' entry reads go through the caches, each one
# walker load served at one level or by memory; with the walk caches off
# a 4x4 nested walk reads 4 guest entries and 20 EPT entries.
out=$(nestwalk -j run --dcache walks-only --walk-caches off --accesses 20000)
ok $? "run --dcache walks-only exits 0"
echo "$out" | jq -e '.counters as $c |
	([$c | to_entries[] | select(.key | startswith("walker_loads_")) |
	  .value] | add) as $wl |
	([$c | to_entries[] | select(.key | test("^walker_loads_(d|i)tlb_")) |
	  .value] | add) as $guest |
	.dcache_mode == "walks-only" and $c.walk_refs > 0 and
	$wl == $c.walk_refs and $guest * 24 == $wl * 4 and
	$c.dcache_l1_hit + $c.dcache_l2_hit + $c.dcache_l3_hit +
	$c.dcache_miss == $wl' >/dev/null
ok $? "walks-only: a walker load per entry read, 4 of 24 guest, every line load a walk's"
nestwalk run --dcache walks-only --accesses 20000 |
	grep -q '^walk loads  *[0-9]*: L1 [0-9]* (.*), memory [0-9]* ('
ok $? "run's table shows the walk loads by where served"
out=$(nestwalk -j run --dcache off --accesses 20000)
echo "$out" | jq -e '.dcache_mode == "off" and (has("walk_load_share") | not) and
	([.counters | to_entries[] |
	  select(.key | test("^(walker_loads|dcache)_")) | .value] |
	 length == 20 and add == 0)' >/dev/null
ok $? "--dcache off: the 20 counters stay 0"
nestwalk run --dcache-level 96K:8:4 2>/tmp/run-err
[ $? = 2 ] && grep -q '192 sets: not a power of two' /tmp/run-err &&
	[ "$(wc -l </tmp/run-err)" = 1 ]
ok $? "run --dcache-level 96K:8:4 exits 2 and says why in one line"

# --- records that cross a page boundary (SDM 4.10.2.3) --------------------
# An 8-byte load at a page's last 4 bytes, a 15-byte fetch over the next
# boundary, a 4-byte store within a page: two crossings, each of both
# pages translated (no TLB: 5 walks for 3 records), one access each.
printf ' L 10ffc,8\nI  21ff9,15\n S 30100,4\n' >/tmp/cross.lackey
out=$(nestwalk -j run --trace /tmp/cross.lackey --no-tlb --mode native)
echo "$out" | jq -e '.counters.page_cross == 2 and .counters.walks == 5 and
	.accesses == 3 and .counters.guest_pf == 0' >/dev/null
ok $? "lackey records across a page boundary: $(echo "$out" | jq -c '[.counters.page_cross, .counters.walks, .accesses]') (crossings, walks, accesses)"

# --- a real program's trace, streamed -----------------------------------
if [ -r "$dir/sort.lackey.gz" ]; then
	want=$(cat "$dir/sort.lackey.gz.count")
	out=$(zcat "$dir/sort.lackey.gz" | nestwalk -j run --trace - --mem 64M)
	ok $? "lackey trace of sort replays"
	got=$(echo "$out" | jq .accesses)
	[ "$got" = "$want" ]
	ok $? "accesses counted ($got) equal the trace's I/L/S/M records, M twice ($want)"
	rss1=$(echo "$out" | jq .helper_max_rss_kib)
	out=$(cat "$dir/sort.lackey.gz" "$dir/sort.lackey.gz" \
		  "$dir/sort.lackey.gz" "$dir/sort.lackey.gz" | zcat |
	      nestwalk -j run --trace - --mem 64M)
	got=$(echo "$out" | jq .accesses)
	[ "$got" = $((4 * want)) ]
	ok $? "the trace four times: $got accesses"
	rss4=$(echo "$out" | jq .helper_max_rss_kib)
	[ $((rss4 - rss1)) -lt 1024 ]
	ok $? "peak RSS stays flat as the trace grows: $rss1 KiB, then $rss4 KiB"

	# Fetches go to the instruction TLB (SDM 4.10.2; Zen 2 has separate
	# L1 and L2 ITLBs): with walk caches off, the data TLB counts what
	# a replay of the trace's data records alone counts.
	zen2="--preset zen2 --mode native --walk-caches off --mem 64M"
	full=$(zcat "$dir/sort.lackey.gz" | nestwalk -j run --trace - $zen2)
	data=$(zcat "$dir/sort.lackey.gz" | grep -v '^I ' |
	       nestwalk -j run --trace - $zen2)
	fetches=$(echo "$full" | jq '.counters.itlb_l1_hit +
		.counters.itlb_l2_hit + .counters.itlb_miss')
	[ "$fetches" -gt 0 ] &&
	[ "$fetches" -ge "$(echo "$full" | jq .counters.fetches)" ]
	ok $? "zen2: the trace's fetches look up the ITLB ($fetches lookups)"
	for c in tlb_l1_hit tlb_l2_hit tlb_miss reads writes; do
		a=$(echo "$full" | jq .counters.$c)
		b=$(echo "$data" | jq .counters.$c)
		[ "$a" = "$b" ]
		ok $? "zen2: $c of the whole trace ($a) equals the data-only replay's ($b)"
	done
else
	echo "# no sort.lackey.gz beside this script: the trace checks are not run"
fi

# --- compressed traces, empty ones, --mem too small ---------------------
# Issue 21: a generator run (one GENERATE ioctl a pass) shows its progress
# line on a pseudo-terminal while the module runs it, its count rising,
# its JSON whole; and pty_test's tests of a trace counted without the
# module (in make unit too): the line on a terminal, none with --quiet or
# on a pipe.
if [ ! -e /dev/ptmx ]; then
	ok 0 "pty_test # SKIP no pseudo-terminals in this kernel (/dev/ptmx)"
elif [ -x "$dir/pty_test" ]; then
	NESTWALK=$(command -v nestwalk) "$dir/pty_test" >/tmp/pty_test.out 2>&1
	rc=$?
	[ $rc = 0 ] || sed 's/^/# /' /tmp/pty_test.out
	ok $rc "pty_test: a generator run shows the progress line during the GENERATE ioctl, counts rising, JSON whole; a trace's line on a terminal, none with --quiet or on a pipe ($(grep -c '^ok' /tmp/pty_test.out) of 4 ok)"
else
	ok 1 "pty_test is built beside this script"
fi

# Issue 21: the .gz, .xz and .zst copies of one trace give every counter
# of the plain file; a truncated .xz is refused with the byte offset and
# leaves nothing pinned; a trace of no records is refused; too small a
# --mem says the --mem the trace needs.
if [ -r "$dir/sort.lackey.xz" ] && [ -r "$dir/sort.lackey.zst" ]; then
	# The data caches are off: they are indexed by host physical
	# addresses, which differ from one run to the next.
	zcat "$dir/sort.lackey.gz" >/tmp/sort.lackey
	nestwalk -j run --trace /tmp/sort.lackey --mem 64M --dcache off \
		>/tmp/plain.json 2>/tmp/plain.err
	ok $? "the plain trace replays"
	[ ! -s /tmp/plain.err ]
	ok $? "stderr not a terminal: no progress line, stderr empty"
	plain=$(jq -c '[.experiment.trace_records, .counters]' /tmp/plain.json)
	for z in gz xz zst; do
		got=$(nestwalk -j run --trace "$dir/sort.lackey.$z" --mem 64M \
			--dcache off |
		      jq -c '[.experiment.trace_records, .counters]')
		[ -n "$plain" ] && [ "$got" = "$plain" ]
		ok $? "the .$z copy gives every counter of the plain trace"
	done

	size=$(wc -c <"$dir/sort.lackey.xz")
	head -c $((size / 2)) "$dir/sort.lackey.xz" >/tmp/cut.xz
	nestwalk run --trace /tmp/cut.xz --mem 64M >/tmp/cut.out 2>/tmp/cut.err
	[ $? = 1 ] && [ ! -s /tmp/cut.out ] &&
	[ "$(cat /tmp/cut.err)" = "nestwalk run: trace: the xz stream ends at byte $((size / 2)) before its end: the file is truncated (xz -t FILE checks it)" ]
	ok $? "a truncated .xz: one line naming byte $((size / 2)), exit 1"
	st=/sys/kernel/debug/nestwalk/stats
	if [ -r $st ]; then
		grep -qx 'pinned_pages 0' $st && grep -qx 'sessions_open 0' $st
		ok $? "after it, debugfs stats: $(grep -E '^(pinned_pages|sessions_open) ' $st | tr '\n' ' ')"
	fi

	pages=$(jq .experiment.mapped_pages /tmp/plain.json)
	need=$(( (pages * 4096 + 1048575) / 1048576 ))
	nestwalk run --trace /tmp/sort.lackey --mem 64K 2>/tmp/mem.err >/dev/null
	[ $? = 1 ] && [ "$(cat /tmp/mem.err)" = "nestwalk run: the trace touches $pages guest pages of 4 KiB, more than --mem 64K holds: run it with --mem ${need}M or more" ]
	ok $? "--mem 64K: the trace needs ${need}M ($pages pages), said in one line"
	nestwalk run --trace /tmp/sort.lackey --mem ${need}M >/dev/null
	ok $? "--mem ${need}M, as said, is enough"
	rm -f /tmp/sort.lackey /tmp/cut.xz
fi
printf '==1== Lackey\n==1== \n' >/tmp/empty.lackey
nestwalk run --trace /tmp/empty.lackey >/tmp/empty.out 2>/tmp/empty.err
[ $? = 1 ] && [ ! -s /tmp/empty.out ] &&
[ "$(cat /tmp/empty.err)" = "nestwalk run: trace: the trace holds no records (no I, L, S or M lines): make it with valgrind --tool=lackey --trace-mem=yes" ]
ok $? "a trace of only ==PID== lines: refused in one line, exit 1"

# --- nestwalk trace -- COMMAND ---------------------------------------------
# COMMAND under lackey through a pipe: the accesses replayed equal the
# I/L/S/M records of the trace --save kept (M twice), and replaying that
# trace gives every counter equal.
if command -v valgrind >/dev/null; then
	seq 1 200 | awk '{ print ($1 * 7919) % 10007 }' >/tmp/numbers
	nestwalk trace -j --mem 64M --dcache off --save /tmp/s.zst -- \
		sort /tmp/numbers >/tmp/trace.out
	ok $? "trace -j --save /tmp/s.zst -- sort exits 0"
	tail -n 1 /tmp/trace.out >/tmp/trace.json
	[ "$(head -n 1 /tmp/trace.out)" = "$(sort /tmp/numbers | head -n 1)" ]
	ok $? "sort's own output is on stdout, before the JSON"
	jq -e '.command.exit_status == 0 and .command.argv[0] == "sort"' \
		/tmp/trace.json >/dev/null
	ok $? "JSON reports sort's exit status 0"
	got=$(jq .accesses /tmp/trace.json)
	want=$(nestwalk -j run --trace /tmp/s.zst --count-only | jq .accesses)
	if command -v zstd >/dev/null; then
		want=$(zstd -dc /tmp/s.zst | awk '/^I  |^ [LS] /{ n++ } /^ M /{ n += 2 } END { print n }')
	fi
	[ "$got" -gt 0 ] && [ "$got" = "$want" ]
	ok $? "accesses ($got) = the saved trace's I/L/S/M records, M twice ($want)"
	nestwalk -j run --trace /tmp/s.zst --mem 64M --dcache off >/tmp/replay.json
	[ "$(jq -c '[.experiment.trace_records, .experiment.mapped_pages, .counters]' /tmp/replay.json)" = \
	  "$(jq -c '[.experiment.trace_records, .experiment.mapped_pages, .counters]' /tmp/trace.json)" ]
	ok $? "run --trace /tmp/s.zst: every counter equal"
	nestwalk -j trace --mem 64M -- sh -c 'exit 5' | jq -e '.command.exit_status == 5' >/dev/null
	ok $? "COMMAND's exit status 5 is reported"
	nw=$(command -v nestwalk)
	PATH=/nonexistent "$nw" trace -- /bin/true 2>/tmp/tr.err
	[ $? = 1 ] && [ "$(cat /tmp/tr.err)" = "nestwalk trace: valgrind not found in PATH: install it (apt-get install valgrind)" ]
	ok $? "valgrind missing: one line, exit 1"
	rm -f /tmp/s.zst /tmp/trace.out /tmp/trace.json /tmp/replay.json
else
	echo "# valgrind not in this VM image: the nestwalk trace checks are not run"
fi

nestwalk hugepages restore >/dev/null
ok $? "hugepages restore"
tap_end
