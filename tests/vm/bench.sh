#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What "make bench" runs inside the VM: the kernel's batch path against the
# userspace core on the same trace (vmbench); then the cost of ingesting a
# real program's trace, nestwalk trace against valgrind's lackey alone
# (ingest.sh, which says how).

set -e
insmod "$NESTWALK_KO"
vmbench

sh /nestwalk/ingest.sh vm
rmmod nestwalk
