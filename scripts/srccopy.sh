#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Copies what builds nestwalk.ko (Kbuild, Makefile, dkms.conf, module/,
# include/, scripts/kernelrelease.sh) into DEST, replacing what was there:
# the tree DKMS packages, and a clean place for builds against other kernels.
#   srccopy.sh DEST

set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dest=$1

rm -rf "$dest"
mkdir -p "$dest/scripts"
cd "$here"
cp -r Kbuild Makefile dkms.conf module include "$dest/"
cp scripts/kernelrelease.sh "$dest/scripts/"
find "$dest/module" \( -name '*.o' -o -name '.*.cmd' -o -name '*.mod*' \) \
	-delete
