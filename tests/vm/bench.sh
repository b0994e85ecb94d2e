#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What "make bench" runs inside the VM: the kernel's batch path against the
# userspace core on the same trace; then the cost of ingesting a real
# program's trace: "nestwalk trace -- sort F" against valgrind's lackey
# alone writing the same trace to /dev/null, runs alternating, medians
# (the goal: at most 1.10).

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
	: >/tmp/trace.ms
	for i in 1 2 3 4 5; do
		ms valgrind --tool=lackey --trace-mem=yes --log-file=/dev/null \
			sort /tmp/sort.in >>/tmp/lackey.ms
		ms nestwalk trace --quiet -- sort /tmp/sort.in >>/tmp/trace.ms
	done
	l=$(median </tmp/lackey.ms)
	t=$(median </tmp/trace.ms)
	# Where the time goes: lackey through the helper's pipe without the
	# model (--count-only), and the model alone on the saved trace.
	nestwalk trace --quiet --save /tmp/s.zst -- sort /tmp/sort.in >/dev/null
	c=$(ms nestwalk trace --quiet --count-only -- sort /tmp/sort.in)
	r=$(ms nestwalk run --quiet --trace /tmp/s.zst)
	echo "ingest: valgrind lackey alone $l ms, nestwalk trace $t ms (medians of 5, alternating); trace --count-only $c ms, replay of the saved trace alone $r ms"
	echo "# figures: ingest: nestwalk trace -- sort / lackey to /dev/null = $(awk -v a="$t" -v b="$l" 'BEGIN { printf "%.3f", a / b }') (goal <= 1.10)"
else
	echo "ingest: valgrind not in the VM image: no figure"
fi
rmmod nestwalk
