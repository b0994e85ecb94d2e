#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The nestwalk helper's hugepage commands against the running kernel: every
# write read back, shortfalls reported with exit code 3, the starting pools
# restored. Prints TAP; exits 4 (skip) without root, the module, the helper
# or a 2 MiB pool.

pool=/proc/sys/vm/nr_hugepages
export NESTWALK_STATE_DIR=/tmp/nestwalk-helper-test
tap_prefix=helper
. "$(dirname "$0")/tap.sh"

[ "$(id -u)" = 0 ] || skip "the hugepage commands need root"
[ -e /dev/nestwalk ] || skip "/dev/nestwalk missing: module not loaded"
grep -q 'Hugepagesize: *2048 kB' /proc/meminfo ||
	skip "no default 2 MiB hugepage pool"
command -v nestwalk >/dev/null || skip "nestwalk not in PATH"
rm -rf "$NESTWALK_STATE_DIR"
start=$(cat $pool)
gig=/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages
gstart=$(cat $gig 2>/dev/null)

echo "TAP version 13"
out=$(nestwalk hugepages status)
ok $? "status exits 0"
echo "$out" | grep -q '^2M .* \*$'
ok $? "status marks 2M as the default size"

nestwalk hugepages set 2M:+8 >/dev/null
ok $? "set 2M:+8 exits 0"
[ "$(cat $pool)" = $((start + 8)) ]
ok $? "set 2M:+8 grew the pool by 8 ($(cat $pool))"

# With more than one NUMA node, status lists each node's share.
nodes=$(ls -d /sys/devices/system/node/node[0-9]* 2>/dev/null | wc -l)
if [ "$nodes" -gt 1 ]; then
	sum=$(nestwalk hugepages status |
	      awk '$2 == "2M" && $1 ~ /^[0-9]+$/ { s += $3; n++ } END { print n, s }')
	[ "$sum" = "$nodes $(cat $pool)" ]
	ok $? "status lists $nodes nodes whose 2M pages add up to the pool ($sum)"
	if command -v jq >/dev/null; then
		nestwalk -j hugepages status | jq -e --argjson n "$nodes" \
			'.[] | select(.size == "2M") | (.nodes | length) == $n and
			 ([.nodes[].total] | add) == .total' >/dev/null
		ok $? "status -j has the same per-node pools"
	fi
else
	echo "# one NUMA node: the per-node lines are not checked"
fi

# More 1 GiB pages than this VM has memory: the kernel grants what it
# can (none without run-time gigantic pages, as in the debug kernel: no
# CONTIG_ALLOC), and the helper must report the shortfall and exit 3. The
# 1 GiB pool can take at most the VM's free 1 GiB-aligned gigabytes, so
# memory stays for the rest; asking a 2 MiB pool for more than memory
# would take all of it, with nothing to reclaim, and bring the OOM killer.
if [ -e $gig ]; then
	want=$((gstart + 64))
	out=$(nestwalk hugepages set 1G:$want 2>/tmp/helper-err)
	rc=$?
	granted=$(cat $gig)
	[ $rc = 3 ] && [ "$granted" -lt $want ]
	ok $? "set 1G:$want (more than memory): exit 3, $granted granted"
	echo "$out" | grep -q "requested $want granted $granted shortfall $((want - granted))"
	ok $? "set 1G:$want reports requested/granted/shortfall: $out"
	grep -q 'reserve them at boot' /tmp/helper-err
	ok $? "the shortfall comes with the boot-time hint for 1 GiB pools"
	nestwalk hugepages set 1G:$gstart >/dev/null
	ok $? "1 GiB pool back to $gstart ($(cat $gig))"
else
	echo "# no 1 GiB pool on this kernel: the shortfall check is not run"
fi

out=$(nestwalk -j hugepages set 2M:+0)
now=$(cat $pool)
echo "$out" | grep -q "^{\"size\":\"2M\",\"requested\":$now,\"granted\":$now,\"shortfall\":0}\$"
ok $? "set -j prints the result as JSON: $out"

nestwalk hugepages restore >/dev/null
ok $? "restore exits 0"
[ "$(cat $pool)" = "$start" ]
ok $? "restore brought the pool back to $start ($(cat $pool))"
if [ -e $gig ]; then
	[ "$(cat $gig)" = "$gstart" ]
	ok $? "restore brought the 1 GiB pool back to $gstart ($(cat $gig))"
fi
[ ! -e "$NESTWALK_STATE_DIR/hugepages.state" ]
ok $? "restore removed its state file"

nestwalk hugepages for-vm 64M >/dev/null
ok $? "for-vm 64M exits 0"
free=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages)
[ "$free" -ge 32 ]
ok $? "for-vm 64M left 32 or more free 2 MiB pages ($free)"
nestwalk hugepages restore >/dev/null && [ "$(cat $pool)" = "$start" ]
ok $? "restore after for-vm"
# Restore again: no pool changed since, nothing to do, no failure.
[ "$(nestwalk -j hugepages restore 2>/tmp/helper-err)" = "[]" ] &&
	[ "$(cat $pool)" = "$start" ] &&
	grep -q '^nestwalk hugepages: nothing to restore: no pool was changed since the last restore' /tmp/helper-err
ok $? "restore with nothing saved: [], exit 0, pool unchanged at $start"

# -j: one JSON document, also when the pool is already big enough (it
# printed nothing) and for restore (it printed an object a line).
nestwalk hugepages for-vm 64M >/dev/null
free=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages)
out=$(nestwalk -j hugepages for-vm 64M)
ok $? "for-vm 64M again, -j: exit 0"
[ "$out" = "{\"size\":\"2M\",\"mem\":67108864,\"needed\":32,\"free\":$free,\"resized\":null}" ]
ok $? "for-vm -j with enough free pages: one object, resized null ($out)"
out=$(nestwalk -j hugepages restore)
ok $? "restore -j exits 0"
[ "$(echo "$out" | wc -l)" = 1 ] &&
	case $out in "[{\"size\":"*"\"granted\":$start,"*"}]") true ;; *) false ;; esac
ok $? "restore -j: one array on one line ($out)"
[ "$(cat $pool)" = "$start" ]
ok $? "restore -j brought the pool back to $start"
# The state directory is made with its parents.
NESTWALK_STATE_DIR=$NESTWALK_STATE_DIR/deep/er nestwalk hugepages set 2M:+0 \
	>/dev/null && [ -f "$NESTWALK_STATE_DIR/deep/er/hugepages.state" ]
ok $? "set makes the state directory with its parents"
NESTWALK_STATE_DIR=$NESTWALK_STATE_DIR/deep/er nestwalk hugepages restore \
	>/dev/null && [ "$(cat $pool)" = "$start" ]
ok $? "restore from there"

nestwalk hugepages set 2M:lots 2>/dev/null
rc=$?
[ $rc = 2 ]
ok $? "garbage count exits 2 (got $rc)"
nestwalk hugepages set 2M:+1 --dry-run >/dev/null && [ "$(cat $pool)" = "$start" ]
ok $? "--dry-run writes nothing"

out=$(nestwalk host)
ok $? "host exits 0"
echo "$out" | grep -q '^dev_nestwalk  *present$'
ok $? "host sees /dev/nestwalk"
echo "$out" | grep -q '^thp.enabled .*\[.*\]'
ok $? "host shows the THP mode"
out=$(nestwalk -j host)
case $out in
"{\"cpu.ept\":"*"\"debugfs_nestwalk\":\"present\"}") ok 0 "host -j: $out" ;;
*) ok 1 "host -j: $out" ;;
esac

# A session held open by this shell: stats lists it.
exec 3<>/dev/nestwalk
id=$(ls /sys/kernel/debug/nestwalk/sessions | sort -n | tail -n 1)
out=$(nestwalk stats "$id")
ok $? "stats $id exits 0"
echo "$out" | grep -q "^session $id\$" && echo "$out" | grep -q '^  accesses  *0$'
ok $? "stats shows session $id with its counters"
nestwalk -j stats | grep -q "{\"session\":$id,\"accesses\":0,"
ok $? "stats -j lists the session"
# --watch without a SESSION watches every live one, as kvm_stat does.
nestwalk stats --watch 1 >/tmp/watch.out 2>/tmp/watch.err &
wp=$!
sleep 3
kill $wp
wait $wp 2>/dev/null
[ "$(grep -c "^session $id\$" /tmp/watch.out)" -ge 2 ] &&
	grep -q '^  accesses  *0  *0/s$' /tmp/watch.out && [ ! -s /tmp/watch.err ]
ok $? "stats --watch: session $id each second, with rates ($(grep -c "^session $id\$" /tmp/watch.out) readings)"
exec 3>&-
nestwalk stats 999999 2>/dev/null
rc=$?
[ $rc = 1 ]
ok $? "stats of a closed session exits 1 (got $rc)"

# Not root: one line that says so, exit 1 (the device is root's).
# util-linux's setpriv drops to a user; busybox's has no --reuid (the test
# VM's), and cli_test.sh in make unit checks the same line on the host.
if setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
	nw=$(command -v nestwalk)
	setpriv --reuid=65534 --regid=65534 --clear-groups "$nw" run \
		>/dev/null 2>/tmp/helper-err
	rc=$?
	[ $rc = 1 ] && [ "$(cat /tmp/helper-err)" = "nestwalk run: /dev/nestwalk: Permission denied: run as root" ]
	ok $? "run as a user: 'run as root', exit 1 ($rc: $(cat /tmp/helper-err))"
else
	echo "# no setpriv with --reuid: run as a user is not checked here"
fi

tap_end
