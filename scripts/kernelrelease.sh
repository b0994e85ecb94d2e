#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The kernel to build against when KERNELRELEASE is not given: the running
# kernel if its build tree is installed, else the newest release with an
# installed build tree (Debian's linux-headers-* packages).

if [ -d "/lib/modules/$(uname -r)/build" ]; then
	uname -r
	exit 0
fi
for d in /lib/modules/*/build; do
	[ -d "$d" ] && basename "$(dirname "$d")"
done | sort -V | tail -n 1
