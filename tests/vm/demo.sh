#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What "make demo" shows inside the VM: the module's version read from
# /dev/nestwalk and from debugfs, and the debugfs tree.

set -e
insmod "$NESTWALK_KO"
echo "== nestwalk module version"
nestwalk module version
echo "== nestwalk -j module version"
nestwalk -j module version
echo "== /sys/kernel/debug/nestwalk"
find /sys/kernel/debug/nestwalk | while read -r f; do
	if [ -f "$f" ]; then
		echo "$f:"
		sed 's/^/    /' "$f"
	else
		echo "$f/"
	fi
done
rmmod nestwalk
