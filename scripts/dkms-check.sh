#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Packages the module as DKMS would install it, then add / build / remove it
# with DKMS in private source and DKMS trees under CACHE (the system's DKMS
# state is not touched). The built module is kept as CACHE/dkms/nestwalk.ko
# for the VM test to load.
#   dkms-check.sh KERNELRELEASE CACHE TAPFILE

set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/tap.sh"
rel=$1 cache=$2
tap_init "$3"

ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$here/dkms.conf")
base=$cache/dkms
trees=(--sourcetree "$base/src" --dkmstree "$base/tree")
mod=(-m nestwalk -v "$ver")
rm -rf "$base"
mkdir -p "$base/src" "$base/tree"
"$here/scripts/srccopy.sh" "$base/src/nestwalk-$ver"

tap_run "dkms add nestwalk/$ver" dkms add "${mod[@]}" "${trees[@]}"
tap_run "dkms build nestwalk/$ver -k $rel" \
	dkms build "${mod[@]}" -k "$rel" "${trees[@]}"

ko=$(find "$base/tree/nestwalk/$ver/$rel" -name 'nestwalk.ko*' 2>/dev/null |
     head -n 1)
case $ko in
*.ko)	cp "$ko" "$base/nestwalk.ko" ;;
*.ko.xz) xz -dc "$ko" >"$base/nestwalk.ko" ;;
*.ko.zst) zstd -qdc "$ko" >"$base/nestwalk.ko" ;;
esac
if [ -s "$base/nestwalk.ko" ] &&
   [ "$(modinfo -F vermagic "$base/nestwalk.ko" | cut -d' ' -f1)" = "$rel" ]; then
	tap_ok "dkms produced nestwalk.ko for $rel"
else
	tap_not_ok "dkms produced no nestwalk.ko for $rel"
fi

tap_run "dkms remove nestwalk/$ver" \
	dkms remove "${mod[@]}" --all "${trees[@]}"
if [ -e "$base/tree/nestwalk/$ver" ]; then
	tap_not_ok "dkms remove left $base/tree/nestwalk/$ver"
else
	tap_ok "dkms remove left nothing behind"
fi
# "make install" refuses, in one line and before DKMS, a kernel that is too
# old or whose headers are missing (only in the repository: the copy DKMS
# checks in another distribution's root has no Makefile targets to try).
refuses() {	# refuses RELEASE WORDS: make's one line holds WORDS
	local out rc
	out=$(make -s -C "$here" --no-print-directory install \
		KERNELRELEASE="$1" 2>&1)
	rc=$?
	echo "$out"
	[ $rc != 0 ] && [ "$(echo "$out" | grep -c .)" = 1 ] &&
		echo "$out" | grep -q "$2" || return 1
	# Nothing was copied for DKMS (unless a copy was there before).
	[ -n "$had_src" ] || [ ! -e "/usr/src/nestwalk-$ver" ]
}
if [ -x "$here/scripts/install-check.sh" ]; then
	had_src=$(ls -d "/usr/src/nestwalk-$ver" 2>/dev/null)
	tap_run "make install refuses 4.19 in one line: too old" \
		refuses 4.19.0-27-amd64 "is too old: nestwalk builds for 5.10"
	tap_run "make install refuses a kernel without headers in one line" \
		refuses 5.10.0-99-cloud-amd64 \
		"no headers for kernel 5.10.0-99-cloud-amd64.*install linux-headers-5.10.0-99-cloud-amd64"
fi

tap_status
