#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds (once) the debug kernel from the kernel source tree KSRC with
# tinyconfig + tests/vm/debug-kernel.config, in CACHE/debug-kernel/HASH,
# where HASH covers the source package version, the fragment and this
# script. Prints the build directory; it holds arch/x86/boot/bzImage and is
# ready for "make -C DIR M=... modules" (with Module.symvers).
#
#   debug-kernel.sh KSRC CACHE

set -euo pipefail

ksrc=$(cd "$1" && pwd)
cache=$(mkdir -p "$2" && cd "$2" && pwd)
here=$(cd "$(dirname "$0")/.." && pwd)
fragment=$here/tests/vm/debug-kernel.config

hash=$( { cat "$ksrc/.nestwalk-source-version" 2>/dev/null || true
	  cat "$fragment" "$0"; } | sha256sum | cut -c1-16)
dir=$cache/debug-kernel/$hash

if [ -f "$dir/.nestwalk-complete" ]; then
	echo "$dir"
	exit 0
fi

rm -rf "$dir"
mkdir -p "$dir"
{
	make -C "$ksrc" O="$dir" tinyconfig
	"$ksrc/scripts/kconfig/merge_config.sh" -m -O "$dir" \
		"$dir/.config" "$fragment"
	make -C "$ksrc" O="$dir" olddefconfig
	# Every option of the fragment must have survived olddefconfig.
	missing=0
	while read -r opt; do
		if ! grep -qx "$opt" "$dir/.config"; then
			echo "debug-kernel: $opt did not survive olddefconfig" >&2
			missing=1
		fi
	done < <(grep '^CONFIG_' "$fragment")
	[ $missing = 0 ]
	make -C "$ksrc" O="$dir" -j"$(nproc)" bzImage modules
} >"$dir.log" 2>&1 || {
	echo "debug-kernel: build failed, see $dir.log" >&2
	tail -n 30 "$dir.log" >&2
	exit 1
}
touch "$dir/.nestwalk-complete"
echo "$dir"
