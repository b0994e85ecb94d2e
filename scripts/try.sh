#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make try": nestwalk without loading anything into this machine's kernel.
# Boots the test VM with the module loaded, the FILES (paths on this
# machine) in its working directory, runs "nestwalk ARGS" there and prints
# what it printed; the files it wrote come back into the current directory;
# the exit status is nestwalk's.
#
#   try.sh CACHE KERNEL MODULE SELFTESTS HELPER "ARGS" "FILES"

set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cache=$1 kernel=$2 module=$3 selftests=$4 helper=$5 args=$6 files=$7

if [ -z "$args" ]; then
	echo "make try: say what to run, e.g. make try ARGS='run --preset skylake'" >&2
	exit 2
fi
# Every file the user named must be there before the VM boots.
for f in $files; do
	if [ ! -f "$f" ]; then
		echo "make try: $f: no such file (FILES names files of this machine)" >&2
		exit 2
	fi
done

out=$cache/vm-try
work=$out/work
rm -rf "$work"
mkdir -p "$work"
for f in $files; do
	cp "$f" "$work/"
done
# The user's words, as a shell line: their quoting is kept.
printf 'exec nestwalk %s\n' "$args" >"$work/.try.sh"

echo "make try: booting the test VM (TCG, about 20 s), then nestwalk $args" >&2
"$here/scripts/vm-run.sh" -n try -j try -k "$kernel" -m "$module" \
	-s "$selftests" -u "$helper" -o "$out" -t 1800 -M 4096 -G \
	-W "$work" >"$out.log" 2>&1
results=$out/results.log
if ! grep -q '^nestwalk-try: exit ' "$results" 2>/dev/null; then
	tail -n 30 "$out.log" >&2
	echo "make try: the VM did not run nestwalk (log: $out.log)" >&2
	exit 1
fi
sed -n '/^nestwalk-try: begin$/,/^nestwalk-try: exit /p' "$results" |
	sed '1d;$d'
sed -n '/^nestwalk-try-files: begin$/,/^nestwalk-try-files: end$/p' \
	"$results" | sed '1d;$d' >"$out/files.b64"
if [ -s "$out/files.b64" ]; then
	base64 -d "$out/files.b64" | tar -xzvf - | sed 's/^/make try: wrote /' >&2
fi
rc=$(sed -n 's/^nestwalk-try: exit \([0-9]*\)$/\1/p' "$results")
exit "$rc"
