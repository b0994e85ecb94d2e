#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Another distribution's kernel, built against with that distribution's own
# toolchain. VER is a kernel series the suite is tested on:
#
#   5.10  bullseye's cloud kernel, in a bullseye root (gcc-10)
#   6.12  trixie's cloud kernel, in a trixie root (gcc-14)
#   7.3   trixie-backports' cloud kernel, in the same trixie root
#
# The root is a debootstrap minbase of the suite with gcc, make, sparse and
# dkms, from the archive the machine's apt sources already name (found at
# run time); it is made once and cached in CACHE/root-SUITE. The kernel's
# headers are installed in the root by its apt; the image package is
# downloaded and unpacked, never installed on the machine. Prints:
#
#   ROOT=<root>  KREL=<release>  KDIR=<headers, inside the root>
#   VMLINUZ=<image, on the machine>
#
#   kernel-root.sh VER CACHE

set -euo pipefail

ver=$1
cache=$(mkdir -p "$2" && cd "$2" && pwd)
case $ver in
5.10)	suite=bullseye hsuite=bullseye ;;
6.12)	suite=trixie hsuite=trixie ;;
7.3)	suite=trixie hsuite=trixie-backports ;;
*)	echo "kernel-root: no recipe for kernel $ver (5.10, 6.12, 7.3)" >&2
	exit 2 ;;
esac
root=$cache/root-$suite
kdir=$cache/kernel-$ver

say() { echo "kernel-root $ver: $*" >&2; }

found() {
	local rel
	rel=$(cat "$kdir/release" 2>/dev/null) || return 1
	[ -s "$kdir/vmlinuz-$rel" ] &&
		[ -e "$root/usr/src/linux-headers-$rel/Makefile" ] || return 1
	echo "ROOT=$root"
	echo "KREL=$rel"
	echo "KDIR=/usr/src/linux-headers-$rel"
	echo "VMLINUZ=$kdir/vmlinuz-$rel"
}

found && exit 0

if [ "$(id -u)" != 0 ]; then
	say "making the $suite root needs root"
	exit 1
fi
site=$("$(dirname "$0")/archive-site.sh") || exit 1

in_root() {
	"$(dirname "$0")/in-root.sh" "$root" "$@"
}

if [ ! -e "$root/.nestwalk-root" ]; then
	say "making a $suite root (debootstrap)"
	rm -rf "$root"
	debootstrap --variant=minbase \
		--include=gcc,make,bc,libelf-dev,kmod,sparse,dkms,xz-utils,zstd \
		"$suite" "$root" "$site" >"$cache/root-$suite.log" 2>&1 || {
		tail -n 20 "$cache/root-$suite.log" >&2
		say "debootstrap of $suite failed"
		exit 1
	}
	echo "$suite" >"$root/.nestwalk-root"
fi

# The suite the headers come from, in the root's own sources.
list=$root/etc/apt/sources.list.d/nestwalk-$hsuite.list
if [ "$hsuite" != "$suite" ] && [ ! -e "$list" ]; then
	echo "deb $site $hsuite main" >"$list"
	rm -f "$root/.nestwalk-updated"
fi
if [ ! -e "$root/.nestwalk-updated" ]; then
	in_root apt-get -q update >&2
	touch "$root/.nestwalk-updated"
fi

# The metapackage names the release: linux-headers-<release>. The root
# sees every version of it its suites hold; the newest of series VER.
rel=$(in_root apt-cache show linux-headers-cloud-amd64 | grep '^Depends:' |
      grep -o 'linux-headers-[^ ,]*-cloud-amd64' | sed 's/^linux-headers-//' |
      { grep "^$ver\." || true; } | sort -V | tail -n 1)
if [ -z "$rel" ]; then
	say "$hsuite offers no $ver cloud kernel"
	exit 1
fi
say "installing the headers of $rel in the $suite root"
in_root apt-get -q -y --no-install-recommends -t "$hsuite" install \
	"linux-headers-$rel" >&2

# The image: linux-image-<release> up to 6.x, linux-binary-<release> since
# 7.x (linux-image-<release> became a metapackage). Unpacked, not installed.
mkdir -p "$kdir"
rm -rf "$kdir/deb" "$kdir/x"
mkdir -p "$kdir/deb" "$kdir/x"
for p in "linux-binary-$rel" "linux-image-$rel" "linux-image-$rel-unsigned"; do
	in_root sh -c "cd /tmp && apt-get -q download -t $hsuite $p" >&2 ||
		continue
	mv "$root"/tmp/"${p}"_*.deb "$kdir/deb/"
	dpkg-deb -x "$kdir"/deb/"${p}"_*.deb "$kdir/x"
	img=$(find "$kdir/x" -name "vmlinuz-$rel" -o -name vmlinuz -type f |
	      head -n 1)
	[ -n "$img" ] && break
done
if [ -z "${img:-}" ]; then
	say "no image found for $rel"
	exit 1
fi
cp "$img" "$kdir/vmlinuz-$rel"
rm -rf "$kdir/deb" "$kdir/x"
echo "$rel" >"$kdir/release"
found
