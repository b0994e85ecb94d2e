#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What "make install" needs before DKMS starts, for kernel RELEASE: a kernel
# of the supported range (5.10 and newer, module/compat.h) and its build
# tree, and dkms. Prints nothing when all is there; else one line saying
# what to install, or that the kernel is too old (the Makefile stops on it).
#
#   install-check.sh RELEASE

rel=$1
major=$(echo "$rel" | sed -n 's/^\([0-9]*\)\.\([0-9]*\).*/\1/p')
minor=$(echo "$rel" | sed -n 's/^\([0-9]*\)\.\([0-9]*\).*/\2/p')
if [ -z "$major" ]; then
	echo "nestwalk: '$rel' is not a kernel release"
elif [ "$major" -lt 5 ] || { [ "$major" = 5 ] && [ "$minor" -lt 10 ]; }; then
	echo "nestwalk: kernel $rel is too old: nestwalk builds for 5.10 and newer"
elif [ ! -e "/lib/modules/$rel/build/Makefile" ]; then
	echo "nestwalk: no headers for kernel $rel in /lib/modules/$rel/build: install linux-headers-$rel (Debian, Ubuntu), kernel-devel-$rel (Fedora, RHEL) or your distribution's headers package for it"
elif ! command -v dkms >/dev/null 2>&1; then
	echo "nestwalk: dkms is missing: install your distribution's dkms package"
fi
