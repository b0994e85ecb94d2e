#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Style gates, one TAP line per file or build:
#   style.sh checkpatch KSRC TAPFILE   checkpatch --strict on module + uAPI
#   style.sh sparse KDIR WORKDIR TAPFILE   C=2 build, no sparse report
#   style.sh w1 KDIR WORKDIR TAPFILE       W=1 build, no compiler warning
#   style.sh funcs KDIR WORKDIR TAPFILE    core function lengths and callers
#                                          (scripts/funcs.py), appended

set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/tap.sh"
mode=$1

# checkpatch --no-tree prints its own report; keep only the findings.
# module/compat.h is where an out-of-tree module must compare kernel
# versions: there, and only there, LINUX_VERSION_CODE is expected (and
# checkpatch misreads "CODE >= KERNEL_VERSION()" as a constant on the left).
# module/core/shim.h spells C99's _Pragma operator, which --no-tree takes
# for a CamelCase identifier, and its userspace half defines the kernel's
# attribute macros (__cold) from GCC's attributes.
checkpatch_file() {
	local ignore=()

	[ "$1" = module/compat.h ] &&
		ignore=(--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON)
	[ "$1" = module/core/shim.h ] &&
		ignore=(--ignore CAMELCASE,PREFER_DEFINED_ATTRIBUTE_MACRO)
	"$ksrc/scripts/checkpatch.pl" --no-tree --strict --quiet \
		--show-types "${ignore[@]}" -f "$1"
}

# Version differences live in one header; a match elsewhere fails.
compat_only() {
	! grep -rn 'LINUX_VERSION_CODE\|KERNEL_VERSION(' module include \
		--include='*.[ch]' | grep -v '^module/compat.h:'
}

# kernel-doc must document every member of the uAPI without a warning.
kernel_doc_clean() {
	local out
	out=$("$ksrc/scripts/kernel-doc" -none "$1" 2>&1)
	[ -z "$out" ] || { echo "$out"; return 1; }
}

# The man page renders without a groff warning.
man_clean() {
	local out
	out=$(groff -man -ww -z "$1" 2>&1)
	[ -z "$out" ] || { echo "$out"; return 1; }
}

# The version lives in module/version.h and dkms.conf; they must agree.
version_consistent() {
	local h d
	h=$(sed -n 's/^#define NESTWALK_VERSION\t*"\(.*\)"/\1/p' \
		"$here/module/version.h")
	d=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$here/dkms.conf")
	[ -n "$h" ] && [ "$h" = "$d" ] ||
		{ echo "version.h says '$h', dkms.conf says '$d'"; return 1; }
}

# build_gate NAME KDIR WORKDIR MAKEARGS...: no line of REGEX in the output.
build_gate() {
	local name=$1 kdir=$2 work=$3 log
	shift 3
	log=$work.log
	"$here/scripts/srccopy.sh" "$work"
	if ! make -C "$kdir" M="$work" "$@" modules >"$log" 2>&1; then
		tail -n 30 "$log" | sed 's/^/#   /'
		tap_not_ok "$name: build failed"
		return
	fi
	if grep -E "$regex" "$log" | sed 's/^/#   /' | grep .; then
		tap_not_ok "$name: $(grep -cE "$regex" "$log") reports"
	else
		tap_ok "$name: clean"
	fi
}

case $mode in
checkpatch)
	ksrc=$2
	tap_init "$3"
	cd "$here"
	for f in $(find module include -name '*.[ch]' | sort); do
		tap_run "checkpatch --strict $f" checkpatch_file "$f"
	done
	for f in include/uapi/linux/*.h; do
		tap_run "kernel-doc $f" kernel_doc_clean "$f"
	done
	tap_run "groff -man -ww Documentation/nestwalk.8" man_clean \
		Documentation/nestwalk.8
	tap_run "version.h and dkms.conf agree" version_consistent
	tap_run "kernel version checks only in module/compat.h" \
		compat_only
	;;
sparse)
	tap_init "$4"
	regex=': (warning|error): '
	build_gate "sparse C=2" "$2" "$3" C=2
	;;
funcs)
	TAP_FILE=$4
	"$here/scripts/srccopy.sh" "$3"
	if make -C "$2" M="$3" modules >"$3.log" 2>&1; then
		"$here/scripts/funcs.py" "$here" "$3" | tee -a "$TAP_FILE"
	else
		tail -n 30 "$3.log" | sed 's/^/#   /'
		tap_not_ok "build for the core function checks failed"
	fi
	;;
w1)
	tap_init "$4"
	regex='(warning|error):'
	build_gate "W=1 build" "$2" "$3" W=1
	;;
*)
	echo "usage: style.sh checkpatch|sparse|w1|funcs ..." >&2
	exit 2
	;;
esac
tap_status
