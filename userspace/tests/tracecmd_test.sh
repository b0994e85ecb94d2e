#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nestwalk trace up to the module: COMMAND under valgrind's lackey through
# a pipe, its own stdout and stderr, its exit status, --save, and what is
# said when valgrind, COMMAND or the module is missing; run --trace
# --count-only on compressed, truncated and empty traces. No module
# needed (--count-only). Prints TAP.
#   tracecmd_test.sh NESTWALK

nw=${1:?usage: tracecmd_test.sh NESTWALK}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tap_prefix=trace
. "$(dirname "$0")/../../selftests/tap.sh"

echo "TAP version 13"
for t in valgrind jq zstd gzip xz; do
	command -v $t >/dev/null || { echo "1..0 # SKIP $t not installed (scripts/deps.sh)"; exit 0; }
done

# Lackey's I/L/S/M records of a plain or compressed trace, M counting twice.
accesses() {
	case $1 in
	*.zst) zstd -dc "$1" ;;
	*.gz) gzip -dc "$1" ;;
	*) cat "$1" ;;
	esac | awk '/^I  |^ [LS] /{n++} /^ M /{n += 2} END{print n + 0}'
}

"$nw" -j trace --count-only --save "$tmp/s.zst" -- \
	sh -c 'echo out; echo err >&2; exit 3' >"$tmp/out" 2>"$tmp/err"
ok $? "trace exits 0 when the replay worked (COMMAND's own status: 3)"
[ "$(head -n 1 "$tmp/out")" = out ]
ok $? "COMMAND's stdout is its own"
[ "$(cat "$tmp/err")" = err ]
ok $? "COMMAND's stderr is its own: no lackey line, no progress on a pipe"
tail -n 1 "$tmp/out" >"$tmp/j"
[ "$(jq -c .command "$tmp/j")" = \
  '{"argv":["sh","-c","echo out; echo err >&2; exit 3"],"exit_status":3}' ]
ok $? "JSON reports COMMAND and its exit status 3"
zstd -tq "$tmp/s.zst"
ok $? "--save s.zst is a whole zstd file"
a=$(jq .accesses "$tmp/j")
[ "$a" -gt 10000 ] && [ "$a" = "$(accesses "$tmp/s.zst")" ]
ok $? "accesses ($a) = the saved trace's I/L/S/M records, M twice"
"$nw" -j run --trace "$tmp/s.zst" --count-only >"$tmp/r"
[ "$(jq -c '[.trace_records,.accesses,.reads,.writes,.fetches]' "$tmp/r")" = \
  "$(jq -c '[.trace_records,.accesses,.reads,.writes,.fetches]' "$tmp/j")" ]
ok $? "run --trace of the saved trace counts the same"

"$nw" trace --count-only --save "$tmp/s.gz" -- true >"$tmp/out"
ok $? "trace --save s.gz of true"
gzip -t "$tmp/s.gz" && [ "$(sed -n 's/^accesses *\([0-9]*\) .*/\1/p' "$tmp/out")" = "$(accesses "$tmp/s.gz")" ]
ok $? "--save s.gz is gzip, its accesses those counted"
grep -qx 'command        true: exit status 0' "$tmp/out"
ok $? "the table reports COMMAND's exit status"

"$nw" trace --count-only --save "$tmp/no/s.zst" -- echo RAN >"$tmp/out" 2>"$tmp/err"
[ $? = 1 ] && [ ! -s "$tmp/out" ] && [ "$(cat "$tmp/err")" = "nestwalk trace: --save $tmp/no/s.zst: No such file or directory" ]
ok $? "--save into no directory: said before COMMAND runs, exit 1"
"$nw" -j trace --count-only -- sh -c 'kill -TERM $$' >"$tmp/j"
[ $? = 0 ] && [ "$(jq -c .command.signal "$tmp/j")" = 15 ] &&
	[ "$(jq -c '.command | has("exit_status")' "$tmp/j")" = false ]
ok $? "COMMAND killed by SIGTERM: JSON says signal 15"

PATH=/nonexistent "$nw" trace --count-only -- /bin/true 2>"$tmp/err"
[ $? = 1 ] && [ "$(cat "$tmp/err")" = "nestwalk trace: valgrind not found in PATH: install it (apt-get install valgrind)" ]
ok $? "valgrind missing: one line, exit 1"
"$nw" trace --count-only -- no-such-command-nw 2>"$tmp/err"
[ $? = 1 ] && [ "$(cat "$tmp/err")" = "nestwalk trace: no-such-command-nw: command not found" ]
ok $? "COMMAND missing: one line, exit 1"
"$nw" trace --trace x -- true 2>/dev/null
[ $? = 2 ]
ok $? "--trace is refused (exit 2)"
if [ ! -e /dev/nestwalk ]; then
	"$nw" trace -- true >"$tmp/out" 2>"$tmp/err"
	[ $? = 1 ] && [ ! -s "$tmp/out" ] && [ "$(cat "$tmp/err")" = "nestwalk trace: the nestwalk module is not loaded: load it with 'modprobe nestwalk' (as root), or try it in a VM with 'make try'" ]
	ok $? "no module: said before COMMAND runs, exit 1"
fi

# One lackey trace, plain and compressed three ways: the same counts.
zstd -dc "$tmp/s.zst" >"$tmp/t.lackey"
gzip -c "$tmp/t.lackey" >"$tmp/t.gz"
xz -c "$tmp/t.lackey" >"$tmp/t.xz"
cp "$tmp/s.zst" "$tmp/t.zst"
"$nw" -j run --trace "$tmp/t.lackey" --count-only >"$tmp/plain"
for z in gz xz zst; do
	"$nw" -j run --trace "$tmp/t.$z" --count-only >"$tmp/$z"
	[ $? = 0 ] && cmp -s "$tmp/plain" "$tmp/$z"
	ok $? "the .$z copy counts as the plain file"
done
size=$(wc -c <"$tmp/t.xz")
head -c $((size / 2)) "$tmp/t.xz" >"$tmp/cut.trace"
"$nw" run --trace "$tmp/cut.trace" --count-only >/dev/null 2>"$tmp/err"
[ $? = 1 ] && [ "$(cat "$tmp/err")" = "nestwalk run: trace: the xz stream ends at byte $((size / 2)) before its end: the file is truncated (xz -t FILE checks it)" ]
ok $? "a truncated .xz (named .trace): the offset, exit 1"

printf '==1== Lackey\n==1== \n' >"$tmp/empty"
"$nw" run --trace "$tmp/empty" --count-only >"$tmp/out" 2>"$tmp/err"
[ $? = 1 ] && [ ! -s "$tmp/out" ] && [ "$(cat "$tmp/err")" = "nestwalk run: trace: the trace holds no records (no I, L, S or M lines): make it with valgrind --tool=lackey --trace-mem=yes" ]
ok $? "a trace of only ==PID== lines is refused, exit 1"
: >"$tmp/empty"
"$nw" run --trace "$tmp/empty" --count-only 2>/dev/null
[ $? = 1 ]
ok $? "an empty file is refused, exit 1"

tap_end
