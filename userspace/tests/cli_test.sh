#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What a newcomer meets on a machine without the module: the one-line hint
# of every command that needs /dev/nestwalk, --help on stdout with exit 0
# for every command, one JSON document per -j command, and errors that
# start with "nestwalk COMMAND:" and say what to do. Read-only on the
# host: the hugepage commands run with --dry-run (the pool's size is
# checked unchanged at the end); what changes pools is in
# selftests/helper_test.sh. Prints TAP.
#   cli_test.sh NESTWALK

nw=${1:?usage: cli_test.sh NESTWALK}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tap_prefix=cli
. "$(dirname "$0")/../../selftests/tap.sh"

# A test that cannot run here: counted, with the reason.
skip_one() {
	n=$((n + 1))
	echo "ok $n $tap_prefix: $1 # SKIP $2"
}

# exactly WANT-EXIT WANT-STDERR ARGS...: exit status and the whole stderr
# as given, stdout empty.
exactly() {
	want_rc=$1 want_err=$2
	shift 2
	"$nw" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc = "$want_rc" ] && [ "$(cat "$tmp/err")" = "$want_err" ] &&
		[ ! -s "$tmp/out" ]
	r=$?
	[ $r = 0 ] || echo "# nestwalk $*: exit $rc, stderr: $(cat "$tmp/err")"
	ok $r "nestwalk $*: exit $want_rc, \"$want_err\""
}

echo "TAP version 13"
pool0=$(cat /proc/sys/vm/nr_hugepages 2>/dev/null)

# --- no module ------------------------------------------------------------
hint="the nestwalk module is not loaded: load it with 'modprobe nestwalk' (as root), or try it in a VM with 'make try'"
if [ -e /dev/nestwalk ]; then
	for c in run compare "module version" stats; do
		skip_one "nestwalk $c without the module" "/dev/nestwalk exists here"
	done
else
	exactly 1 "nestwalk run: $hint" run
	exactly 1 "nestwalk run: $hint" run --mode native --accesses 1000
	exactly 1 "nestwalk compare: $hint" compare
	exactly 1 "nestwalk module version: $hint" module version
	exactly 1 "nestwalk stats: $hint" stats
	exactly 1 "nestwalk stats: $hint" stats --watch
fi

# --- --help: stdout, exit 0, for every command ------------------------------
for c in "" run compare plot stats hugepages "hugepages status" host module \
	 "module version"; do
	# shellcheck disable=SC2086
	"$nw" $c --help >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc = 0 ] && [ ! -s "$tmp/err" ] &&
		head -n 1 "$tmp/out" | grep -q "^Usage: nestwalk .*${c%% *}"
	ok $? "nestwalk $c --help: usage on stdout, exit 0 (exit $rc)"
done

# --- -j: one JSON document -------------------------------------------------
# onedoc DESCRIPTION ARGS...: exit 0 (or 3: fewer pages), stdout exactly one
# JSON document.
onedoc() {
	d=$1
	shift
	"$nw" -j "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc = 0 ] && jq -e . "$tmp/out" >/dev/null &&
		[ "$(jq -s length "$tmp/out")" = 1 ]
	r=$?
	[ $r = 0 ] || echo "# nestwalk -j $*: exit $rc: $(head -c 300 "$tmp/out")"
	ok $r "nestwalk -j $*: one JSON document$d"
}
if ! command -v jq >/dev/null; then
	skip_one "-j commands" "jq not installed"
else
	onedoc "" --version
	onedoc "" host
	if [ -d /sys/kernel/mm/hugepages ] &&
	   grep -q 'Hugepagesize: *2048 kB' /proc/meminfo; then
		onedoc "" hugepages status
		onedoc "" hugepages set 2M:+0 --dry-run
		onedoc "" hugepages for-vm 64M --dry-run
		jq -e '.size == "2M" and .needed == 32 and
		       (.resized == null or .resized.dry_run)' "$tmp/out" >/dev/null
		ok $? "hugepages for-vm 64M: needed 32 pages of 2M"
		mkdir "$tmp/state"
		printf '2097152 %s\n' "$pool0" >"$tmp/state/hugepages.state"
		NESTWALK_STATE_DIR=$tmp/state onedoc " (one array)" \
			hugepages restore --dry-run
		jq -e 'length == 1 and .[0].dry_run' "$tmp/out" >/dev/null
		ok $? "hugepages restore: an array of the pools"
	else
		skip_one "hugepages -j" "no default 2 MiB hugepage pool here"
	fi
	if command -v gnuplot >/dev/null; then
		printf '# label\ttlb_miss_rate\twalks\trefs_per_walk\tcycles_per_access\tratio_to_native\nnative-4K\t0.1\t10\t1.0\t2.0\t1.0\n' >"$tmp/c.tsv"
		onedoc "" plot "$tmp/c.tsv" "$tmp/c.svg"
	else
		skip_one "plot -j" "gnuplot not installed"
	fi
fi

# --- errors: "nestwalk COMMAND:" and what to do ------------------------------
exactly 2 'nestwalk run: bad value "foo" for --mode: give one of native, ept, npt, shadow' \
	run --mode foo
exactly 2 'nestwalk run: bad value "3M" for --guest-page: give one of 4K, 2M, 1G' \
	run --guest-page 3M
exactly 2 'nestwalk run: bad value "5000" for --mem: give a size such as 64M or 1G, in whole 4K pages' \
	run --mem 5000
exactly 2 'nestwalk compare: bad value "maybe" for --vpid: give one of on, off' \
	compare --vpid maybe
exactly 2 'nestwalk run: unknown option --colour (see nestwalk run --help)' \
	run --colour
exactly 2 'nestwalk compare: --preset needs a value (see nestwalk compare --help)' \
	compare --preset
exactly 2 'nestwalk stats: unexpected "--all" (SESSION is a number; see nestwalk stats --help)' \
	stats --all
exactly 2 'nestwalk hugepages: unknown "list": give status, set, for-vm or restore (see nestwalk hugepages --help)' \
	hugepages list
exactly 2 "nestwalk hugepages: set: bad page size 'big': give a size such as 2M or 1G" \
	hugepages set big:1 --dry-run
exactly 2 'nestwalk host: unexpected "-v": it takes no arguments (see nestwalk host --help)' \
	host -v
exactly 2 'nestwalk module: unknown "load": the command is version (see nestwalk module --help)' \
	module load
exactly 2 'nestwalk: unknown command "runn": see nestwalk --help' runn
exactly 2 'nestwalk plot: give DATA.tsv and OUT.svg (see nestwalk plot --help)' \
	plot only.tsv
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$nw" hugepages set 2M:+1 >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc = 1 ] && [ "$(cat "$tmp/err")" = "nestwalk hugepages: resizing a pool needs root: run as root (--dry-run shows what it would write)" ]
	ok $? "hugepages set as a user: run as root, exit 1 (exit $rc)"
elif [ "$(id -u)" != 0 ]; then
	exactly 1 "nestwalk hugepages: resizing a pool needs root: run as root (--dry-run shows what it would write)" \
		hugepages set 2M:+1
else
	skip_one "hugepages set as a user" "setpriv not installed"
fi

[ "$(cat /proc/sys/vm/nr_hugepages 2>/dev/null)" = "$pool0" ]
ok $? "the host's hugepage pool is unchanged ($pool0)"
tap_end
