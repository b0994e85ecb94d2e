#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What "make bench" runs inside the VM: the kernel's batch path against the
# userspace core on the same trace; then the cost of ingesting a real
# program's trace: "nestwalk trace -- sort F" against valgrind's lackey
# alone writing the same trace to /dev/null, 7 runs each alternating, medians
# (the goal: at most 1.10). Beside it the floor of any reader of a pipe:
# lackey writing into the same kind of pipe, read by the helper's own
# reader with nothing parsed ("vmbench drain"). Lackey writes once per
# access, and under TCG a 14-byte write into a pipe read every 2 ms cost
# 1.5-2.1 us against 0.8-1.1 us into /dev/null (one VM, three runs of
# 300,000 writes each), so the floor alone can be above 1.10 there: what
# nestwalk adds is trace over floor. The same command's runs vary by up
# to a factor of 2 under TCG here; each series' runs are printed.

set -e
insmod "$NESTWALK_KO"
vmbench

# median of the numbers on stdin
median() {
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
# ms CMD...: the command's wall time in milliseconds (from /proc/uptime,
# in hundredths of a second), its output dropped
ms() {
	t0=$(cut -d' ' -f1 /proc/uptime)
	"$@" >/dev/null 2>&1 || return 1
	awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" \
		'BEGIN { printf "%d\n", (b - a) * 1000 }'
}
if command -v valgrind >/dev/null; then
	head -c 200000 /etc/services >/tmp/sort.in
	: >/tmp/lackey.ms
	: >/tmp/drain.ms
	: >/tmp/trace.ms
	for i in 1 2 3 4 5 6 7; do
		ms valgrind --tool=lackey --trace-mem=yes --log-file=/dev/null \
			sort /tmp/sort.in >>/tmp/lackey.ms
		ms sh -c 'valgrind --tool=lackey --trace-mem=yes --log-fd=3 \
			sort /tmp/sort.in 3>&1 >/dev/null | vmbench drain' \
			>>/tmp/drain.ms
		ms nestwalk trace --quiet -- sort /tmp/sort.in >>/tmp/trace.ms
	done
	l=$(median </tmp/lackey.ms)
	d=$(median </tmp/drain.ms)
	t=$(median </tmp/trace.ms)
	# Where the time goes: lackey through the helper's pipe without the
	# model (--count-only), and the model alone on the saved trace.
	nestwalk trace --quiet --save /tmp/s.zst -- sort /tmp/sort.in >/dev/null
	c=$(ms nestwalk trace --quiet --count-only -- sort /tmp/sort.in)
	r=$(ms nestwalk run --quiet --trace /tmp/s.zst)
	echo "ingest: valgrind lackey alone $l ms, lackey into a pipe read and dropped $d ms, nestwalk trace $t ms (medians of 7, alternating; runs: $(tr '\n' ' ' </tmp/lackey.ms)/ $(tr '\n' ' ' </tmp/drain.ms)/ $(tr '\n' ' ' </tmp/trace.ms)); trace --count-only $c ms, replay of the saved trace alone $r ms"
	echo "# figures: ingest: nestwalk trace -- sort / lackey to /dev/null = $(awk -v a="$t" -v b="$l" 'BEGIN { printf "%.3f", a / b }') (goal <= 1.10); the pipe's floor / lackey to /dev/null = $(awk -v a="$d" -v b="$l" 'BEGIN { printf "%.3f", a / b }'); nestwalk trace / the pipe's floor = $(awk -v a="$t" -v b="$d" 'BEGIN { printf "%.3f", a / b }')"
else
	echo "ingest: valgrind not in the VM image: no figure"
fi
rmmod nestwalk
