#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Every command example of README.md and nestwalk(8), taken from the files
# themselves (the copies "make selftests" puts beside this script), run as
# written, in document order, in a scratch directory holding the files the
# examples read ("data" and "f": text to sort). A command passes when it
# exits 0; "stats --watch", which runs until interrupted, passes when it
# is still running after 3 s. Prints TAP; exits 4 without root, the module,
# the helper, valgrind or gnuplot (the VM image carries the last two with
# vm-run.sh -G).

dir=$(cd "$(dirname "$0")" && pwd)
export NESTWALK_STATE_DIR=/tmp/nestwalk-docs-test
tap_prefix="docs"
. "$dir/tap.sh"

[ "$(id -u)" = 0 ] || skip "the examples need root"
[ -e /dev/nestwalk ] || skip "/dev/nestwalk missing: module not loaded"
command -v nestwalk >/dev/null || skip "nestwalk not in PATH"
command -v valgrind >/dev/null || skip "valgrind not installed (vm-run.sh -G)"
command -v gnuplot >/dev/null || skip "gnuplot not installed (vm-run.sh -G)"
for f in README.md nestwalk.8; do
	[ -r "$dir/$f" ] || skip "$dir/$f missing (make selftests copies it)"
done

# README.md: the lines of indented code blocks, and the inline code spans,
# that start a nestwalk or valgrind command; a span with a placeholder
# (a word in capitals: SESSION, FILE) is a form, not an example.
readme_examples() {
	awk '/^    / && prev_blank_or_code { code = 1 }
	     !/^    / && !/^$/ { code = 0 }
	     { prev_blank_or_code = ($0 ~ /^$/) || code }
	     code { sub(/^ +/, ""); if ($0 ~ /^(nestwalk|valgrind) /) print }' \
		"$dir/README.md" | sed 's/ \{2,\}#.*$//; s/[[:space:]]*$//'
	grep -o '`\(nestwalk\|valgrind\) [^`]*`' "$dir/README.md" |
		tr -d '`' | grep -v '[A-Z][A-Z][A-Z]'
}

# nestwalk(8): the lines of its .nf/.fi and .EX/.EE blocks, unescaped.
man_examples() {
	sed -n '/^\.\(nf\|EX\)$/,/^\.\(fi\|EE\)$/p' "$dir/nestwalk.8" |
		grep -E '^(nestwalk|valgrind) ' |
		sed 's/\\-/-/g; s/\\(aq/'"'"'/g; s/\\e/\\/g'
}

# A reader who follows the README has sized a 2 MiB pool (its first
# example) before the commands that use one; the README's own restore
# gives back what the pool was before the examples: 64 pages then.
pool=/proc/sys/vm/nr_hugepages
pool0=$(cat $pool)
echo 64 >$pool

scratch=/tmp/nestwalk-docs
rm -rf "$scratch" "$NESTWALK_STATE_DIR"
mkdir -p "$scratch"
head -c 20000 /etc/services >"$scratch/data"
cp "$scratch/data" "$scratch/f"
cd "$scratch" || exit 1

echo "TAP version 13"
{ readme_examples | sed 's/^/README.md: /'
  man_examples | sed 's/^/nestwalk.8: /'; } >/tmp/docs-examples
total=$(grep -c . /tmp/docs-examples)
echo "# $total examples"
[ "$total" -ge 10 ]
ok $? "at least 10 examples found in README.md and nestwalk.8 ($total)"

while IFS= read -r line; do
	src=${line%%: *}
	cmd=${line#*: }
	case $cmd in
	*" --watch"*)
		sh -c "$cmd" >/tmp/docs-out 2>&1 &
		pid=$!
		sleep 3
		if kill -0 "$pid" 2>/dev/null; then
			kill "$pid"
			wait "$pid" 2>/dev/null
			ok 0 "$src: $cmd (still watching after 3 s)"
		else
			wait "$pid"
			rc=$?
			sed 's/^/#   /' /tmp/docs-out | tail -n 5
			ok 1 "$src: $cmd (ended with $rc)"
		fi
		continue ;;
	esac
	sh -c "$cmd" >/tmp/docs-out 2>&1 </dev/null
	rc=$?
	[ $rc = 0 ] || sed 's/^/#   /' /tmp/docs-out | tail -n 5
	ok $rc "$src: $cmd (exit $rc)"
done </tmp/docs-examples
nestwalk hugepages restore >/dev/null 2>&1
echo "$pool0" >$pool
tap_end
