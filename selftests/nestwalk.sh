#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Loads nestwalk.ko, runs the nestwalk selftests and unloads the module.
# NESTWALK_KO names the module file; without it the installed module is
# loaded with modprobe. Exits 4 (kselftest skip) when a prerequisite is
# missing.

ksft_skip=4
dir=$(dirname "$0")

if [ "$(id -u)" != 0 ]; then
	echo "# SKIP: nestwalk selftests must be run as root"
	exit $ksft_skip
fi
# The module to load, checked before anything on the machine is changed.
if [ -n "$NESTWALK_KO" ]; then
	if [ ! -f "$NESTWALK_KO" ]; then
		echo "# SKIP: NESTWALK_KO=$NESTWALK_KO does not exist"
		exit $ksft_skip
	fi
elif [ ! -d /sys/module/nestwalk ] && ! modinfo nestwalk >/dev/null 2>&1; then
	echo "# SKIP: nestwalk module not installed and NESTWALK_KO not set"
	exit $ksft_skip
fi
if [ ! -d /sys/kernel/debug/nestwalk ] && ! grep -qs debugfs /proc/mounts; then
	mount -t debugfs none /sys/kernel/debug 2>/dev/null
fi

# Pages held by FOLL_PIN (acquired - released) and mlocked memory, before
# the module and after it: the suite must give every pin back.
held() {
	# Fold the per-CPU deltas first, or the sums lag behind.
	echo 1 >/proc/sys/vm/stat_refresh 2>/dev/null
	awk '/^nr_foll_pin_acquired/ { a = $2 } /^nr_foll_pin_released/ { r = $2 }
	     END { print a - r }' /proc/vmstat
	awk '/^Mlocked:/ { print $2 }' /proc/meminfo
}
held0=$(held | tr '\n' ' ')

if [ -n "$NESTWALK_KO" ]; then
	insmod "$NESTWALK_KO" || exit 1
elif ! modprobe nestwalk; then
	echo "# modprobe nestwalk failed"
	exit 1
fi

rc=0
# NESTWALK_TESTS: a subset to run, by name; NESTWALK_EXTRA_TESTS: more
# after them (docs_test.sh, in the VM that carries valgrind and gnuplot).
for t in ${NESTWALK_TESTS:-nestwalk_test memslot_test run_test geometry_test security_test \
	 hostile_test stress_test scale_test ioctl_fuzz helper_test.sh helper_run_test.sh} \
	 ${NESTWALK_EXTRA_TESTS:-}; do
	"$dir/$t" || rc=1
	echo "# after $t: pins held, Mlocked kB: $(held | tr '\n' ' ')"
done

if rmmod nestwalk; then
	echo "ok - rmmod nestwalk after the suite"
else
	echo "not ok - rmmod nestwalk after the suite"
	rc=1
fi
held1=$(held | tr '\n' ' ')
if [ "$held1" = "$held0" ]; then
	echo "ok - pinned and mlocked pages back after unload (pins, Mlocked kB: $held1)"
else
	echo "not ok - pinned and mlocked pages after unload: $held1, before: $held0"
	rc=1
fi
exit $rc
