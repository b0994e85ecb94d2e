#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The kernel to build against when KERNELRELEASE is not given: the running
# kernel if its build tree is installed; else the release Debian's
# linux-image-cloud-amd64 metapackage installed (the suite's first kernel),
# if its build tree is there; else the newest release with an installed
# build tree (Debian's linux-headers-* packages). A second kernel installed
# for vmtest-612 does not change the choice.

if [ -d "/lib/modules/$(uname -r)/build" ]; then
	uname -r
	exit 0
fi
meta=$(dpkg-query -W -f='${Depends}' linux-image-cloud-amd64 2>/dev/null |
       sed -n 's/^linux-image-\([^ ,]*\).*/\1/p')
if [ -n "$meta" ] && [ -d "/lib/modules/$meta/build" ]; then
	echo "$meta"
	exit 0
fi
for d in /lib/modules/*/build; do
	[ -d "$d" ] && basename "$(dirname "$d")"
done | sort -V | tail -n 1
