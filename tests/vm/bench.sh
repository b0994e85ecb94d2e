#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What "make bench" runs inside the VM: the kernel's batch path against the
# userspace core on the same trace.

set -e
insmod "$NESTWALK_KO"
vmbench
rmmod nestwalk
