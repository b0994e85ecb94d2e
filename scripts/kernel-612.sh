#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The second kernel the suite runs on: Debian's 6.12 cloud kernel from the
# bookworm-backports suite, fetched from the archive the machine's apt
# sources already name (found at run time). The packages (image, headers,
# kbuild) are installed with dpkg, as a second kernel's are; QEMU boots
# the image from a copy in CACHE. Prints two lines: KDIR=<headers> and
# VMLINUZ=<image>.
#
#   kernel-612.sh CACHE

set -euo pipefail

cache=$(mkdir -p "$1" && cd "$1" && pwd)
dir=$cache/kernel-612
apt=$dir/apt

found() {
	local img
	img=$(ls "$dir"/boot/vmlinuz-6.12.*-cloud-amd64 2>/dev/null | tail -n 1) ||
		return 1
	local rel=${img##*/vmlinuz-}
	[ -n "$img" ] && [ -e "/usr/src/linux-headers-$rel/Makefile" ] ||
		return 1
	echo "KDIR=/usr/src/linux-headers-$rel"
	echo "VMLINUZ=$img"
}

found && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "kernel-612: installing the 6.12 headers needs root" >&2
	exit 1
fi
site=$(apt-get indextargets --format '$(SITE) $(RELEASE)' |
       awk '$2 == "bookworm" { print $1; exit }')
if [ -z "$site" ]; then
	echo "kernel-612: no bookworm archive in the apt sources" >&2
	exit 1
fi
mkdir -p "$apt/sources" "$apt/lists/partial" "$apt/cache/archives/partial" \
	 "$dir/debs"
printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\n' \
	"$site" >"$apt/sources/backports.sources"
opts=(-q -o Dir::Etc::SourceList=/dev/null
      -o Dir::Etc::SourceParts="$apt/sources"
      -o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache")
apt-get "${opts[@]}" update >&2
# The metapackage names the ABI: linux-image-6.12.N+debNN-cloud-amd64.
abi=$(apt-cache "${opts[@]}" show linux-image-cloud-amd64 |
      sed -n 's/^Depends: linux-image-\(6\.12\.[^ ]*\)-cloud-amd64 .*/\1/p' |
      head -n 1)
if [ -z "$abi" ]; then
	echo "kernel-612: bookworm-backports offers no 6.12 cloud kernel" >&2
	exit 1
fi
(cd "$dir/debs" && apt-get "${opts[@]}" download \
	"linux-image-$abi-cloud-amd64" "linux-headers-$abi-cloud-amd64" \
	"linux-headers-$abi-common" "linux-kbuild-$abi") >&2
# Their other dependencies (pahole, linux-base) come from bookworm itself.
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	"$dir"/debs/linux-kbuild-"$abi"_*.deb \
	"$dir"/debs/linux-image-"$abi"-cloud-amd64_*.deb \
	"$dir"/debs/linux-headers-"$abi"-common_*.deb \
	"$dir"/debs/linux-headers-"$abi"-cloud-amd64_*.deb >&2
mkdir -p "$dir/boot"
cp "/boot/vmlinuz-$abi-cloud-amd64" "$dir/boot/"
found
