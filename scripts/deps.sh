#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs with apt-get whatever Debian packages the build, the tests and
# the VM harness need and the machine lacks. Does nothing when all are there.

set -euo pipefail

pkgs=(
	# module, helper, unit tests (static glibc, ASan/UBSan runtimes)
	gcc make libc6-dev libelf-dev kmod xz-utils
	# compressed traces: the helper's static zlib, liblzma, libzstd; the
	# tools make the unit tests' compressed fixtures
	zlib1g-dev liblzma-dev libzstd-dev zstd
	# the kernel the VM boots, and its headers to build against
	linux-image-cloud-amd64 linux-headers-cloud-amd64
	# kselftest harness, lib.mk, checkpatch, and the debug kernel
	linux-source-6.1 bc flex bison libssl-dev perl
	# lib.mk's run_tests and install (make install INSTALL_PATH=)
	rsync
	# gates and packaging; the fuzzer (clang's libFuzzer runtime)
	sparse dkms clang libclang-rt-14-dev groff-base
	# the VM; jq checks the helper's JSON there
	qemu-system-x86 busybox-static cpio gzip jq
	# a real program's trace (lackey), and the helper's plots
	valgrind gnuplot-nox
	# line coverage (gcov's JSON read by scripts/coverage.py)
	python3
)

missing=()
for p in "${pkgs[@]}"; do
	if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != \
	     "install ok installed" ]; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} = 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages: ${missing[*]}; run as root to install" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
