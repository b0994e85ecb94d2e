#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The build half of a kernel's stage (make vmtest-510, vmtest-612,
# vmtest-73): in the root of that kernel's distribution
# (scripts/kernel-root.sh), with that distribution's compiler,
#
#   - a W=1 build of the module against the kernel's headers, with sparse
#     (C=1) when the suite's sparse can read those headers;
#   - scripts/dkms-check.sh: dkms add, build -k <release>, remove.
#
# One TAP line per gate into TAPFILE. The module DKMS built is left in
# CACHE/mod-VER/nestwalk.ko for the VM to load.
#
#   kernel-stage.sh VER CACHE TAPFILE

set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/tap.sh"
ver=$1 cache=$2
tap_init "$3"

env=$("$here/scripts/kernel-root.sh" "$ver" "$cache") || {
	tap_not_ok "kernel $ver: no root, headers or image (kernel-root.sh)"
	exit 1
}
eval "$env"
inroot() { "$here/scripts/in-root.sh" "$ROOT" "$@"; }

# What builds the module, and the scripts DKMS's check needs, in the root.
src=$ROOT/nw/src
"$here/scripts/srccopy.sh" "$src"
cp "$here/scripts/tap.sh" "$here/scripts/srccopy.sh" \
   "$here/scripts/dkms-check.sh" "$src/scripts/"
cc=$(inroot gcc -dumpfullversion 2>/dev/null)
suite=$(cat "$ROOT/.nestwalk-root")

# Sparse older than the kernel needs cannot parse its headers (7.x's
# __typeof_unqual__). The kernel's scripts/checker-valid.sh tests that and
# turns C=1 off; Debian's headers packages leave the script out, so the
# same test is made here: the headers use it and the suite's sparse does
# not know it.
sparse=(C=1)
common=$ROOT/usr/src/linux-headers-${KREL%-cloud-amd64}-common
if grep -qs __typeof_unqual__ "$common/include/linux/compiler_types.h"; then
	probe=$(echo '__typeof_unqual__(int) x;' | inroot sparse - 2>&1)
	case $probe in *error*) sparse=() ;; esac
fi

log=$cache/build-$ver.log
if inroot make -C "$KDIR" M=/nw/src W=1 "${sparse[@]}" modules >"$log" 2>&1
then
	tap_ok "kernel $KREL: module built with $suite's gcc $cc"
	if grep -E '(warning|error):' "$log" | sed 's/^/#   /' | grep .; then
		tap_not_ok "kernel $KREL: W=1 ${sparse[*]:-(no sparse)} build: \
$(grep -cE '(warning|error):' "$log") reports"
	else
		tap_ok "kernel $KREL: W=1 ${sparse[*]:-(no sparse)} build clean"
	fi
	if [ ${#sparse[@]} != 0 ] && ! grep -q '^  CHECK ' "$log"; then
		tap_not_ok "kernel $KREL: C=1 given, sparse did not run"
	fi
	if [ ${#sparse[@]} = 0 ]; then
		tap_ok "kernel $KREL: sparse # SKIP $suite's sparse \
$(inroot sparse --version) cannot parse these headers (__typeof_unqual__)"
	fi
else
	tail -n 30 "$log" | sed 's/^/#   /'
	tap_not_ok "kernel $KREL: module build failed with $suite's gcc $cc"
fi

# DKMS, as a user of that distribution runs it.
inroot /nw/src/scripts/dkms-check.sh "$KREL" /nw/cache /nw/dkms.tap \
	>"$cache/dkms-$ver.log" 2>&1
sed 's/^\(\(not \)\{0,1\}ok - \)/\1kernel '"$KREL"': /' "$ROOT/nw/dkms.tap" \
	>>"$TAP_FILE"
grep '^#' "$cache/dkms-$ver.log" | tail -n 40
mkdir -p "$cache/mod-$ver"
rm -f "$cache/mod-$ver/nestwalk.ko"
if [ -s "$ROOT/nw/cache/dkms/nestwalk.ko" ]; then
	cp "$ROOT/nw/cache/dkms/nestwalk.ko" "$cache/mod-$ver/"
fi
tap_status
