#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What "make demo" shows inside the VM: the module's version from
# /dev/nestwalk and debugfs, then nestwalk compare on its default workload
# (zipf 0.99 over 16 MiB, nehalem TLBs) with a 2 MiB hugetlb pool sized by
# nestwalk hugepages for-vm, and the pool given back afterwards.

set -e
export NESTWALK_STATE_DIR=/tmp/nestwalk-demo
insmod "$NESTWALK_KO"
echo "== nestwalk module version"
nestwalk module version
echo "== nestwalk hugepages for-vm 32M (the hugetlb rows' guest memory)"
nestwalk hugepages for-vm 32M
echo "== nestwalk compare"
rc=0
nestwalk compare ${NESTWALK_DEMO_ARGS:-} || rc=$?
echo "== nestwalk hugepages restore"
nestwalk hugepages restore
rmmod nestwalk
exit $rc
