#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unpacks (once) the kernel source of Debian's linux-source-6.1 package into
# CACHE and prints the tree's path. The tree serves the kselftest harness,
# lib.mk, checkpatch and the debug kernel; it is never built in (the debug
# kernel uses O=).
#
#   ksrc.sh CACHE

set -euo pipefail

pkg=linux-source-6.1
cache=$(mkdir -p "$1" && cd "$1" && pwd)

version=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) || {
	echo "ksrc: $pkg is not installed (make deps)" >&2
	exit 1
}
tarball=$(dpkg -L "$pkg" | grep -m1 '/linux-source-[0-9.]*\.tar\.xz$')
dir=$cache/$pkg-$version
tree=$dir/$(basename "$tarball" .tar.xz)

if [ ! -f "$tree/.nestwalk-source-version" ]; then
	rm -rf "$dir"
	mkdir -p "$dir"
	tar -C "$dir" -xJf "$tarball"
	echo "$pkg $version" >"$tree/.nestwalk-source-version"
fi
echo "$tree"
