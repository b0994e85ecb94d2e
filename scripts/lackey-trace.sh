#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Records the memory accesses of a real program with valgrind's lackey
# tool: sort(1) of a generated file of 100 numbers. Writes the trace,
# gzipped, to OUT and the number of accesses it holds (I, L, S records
# once, M records twice) to OUT.count; the same trace xz- and
# zstd-compressed beside it (sort.lackey.xz, .zst for sort.lackey.gz), for
# the compressed-trace checks (the VM has no xz or zstd compressor).
#
#   lackey-trace.sh OUT.gz

set -euo pipefail

out=${1:?usage: lackey-trace.sh OUT.gz}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

seq 1 100 | awk '{ print ($1 * 7919) % 10007 }' >"$tmp/numbers"
valgrind --tool=lackey --trace-mem=yes --log-file="$tmp/trace" \
	sort -n "$tmp/numbers" >/dev/null
awk '/^I  /{ n++ } /^ [LS] /{ n++ } /^ M /{ n += 2 } END { print n }' \
	"$tmp/trace" >"$tmp/count"
gzip -9 -c "$tmp/trace" >"$tmp/trace.gz"
xz -c "$tmp/trace" >"$tmp/trace.xz"
zstd -q -c "$tmp/trace" >"$tmp/trace.zst"
mv "$tmp/count" "$out.count"
mv "$tmp/trace.xz" "${out%.gz}.xz"
mv "$tmp/trace.gz" "$out"
mv "$tmp/trace.zst" "${out%.gz}.zst"	# last: make checks it
