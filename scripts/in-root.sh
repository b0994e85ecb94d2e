#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs CMD inside the distribution root ROOT (scripts/kernel-root.sh) with a
# clean environment, /proc and /dev mounted in a mount namespace of its own
# (objtool reads /proc/self/limits, dkms uses /dev/fd): the mounts end with
# the command, nothing stays mounted on the machine.
#
#   in-root.sh ROOT CMD [ARGS...]

set -euo pipefail
root=$(cd "$1" && pwd)
shift
exec unshare --mount --propagation private -- /bin/sh -c '
	root=$1; shift
	mount -t proc proc "$root/proc" &&
	mount --rbind /dev "$root/dev" &&
	exec chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"
' in-root "$root" "$@"
