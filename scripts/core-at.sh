#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the scripts that build a harness against a baseline commit's
# core and the working tree's (equiv.sh, bench-ab.sh).
#   core_at REV DIR   prints DIR/<short rev>, holding REV's module/core and
#                     tests/unit/lib (extracted once)
#   core_build SRC-TREE BINARY MAIN.c [LIBS...]   MAIN.c against SRC-TREE's
#                     core and test library (not failalloc: no --wrap here)

core_at() {
	local rev
	rev=$(git -C "$top" rev-parse --short "$1") || return 1
	mkdir -p "$2/$rev"
	if [ ! -f "$2/$rev/.tree" ]; then
		git -C "$top" archive "$rev" module/core tests/unit/lib |
			tar -x -C "$2/$rev" && touch "$2/$rev/.tree" || return 1
	fi
	echo "$2/$rev"
}

core_build() {
	local src=$1 bin=$2 main=$3
	shift 3
	gcc -O2 -g -std=gnu11 -w -I"$src/module/core" -I"$src/tests/unit/lib" \
		-o "$bin" "$main" "$src"/module/core/*.c \
		$(ls "$src"/tests/unit/lib/*.c | grep -v failalloc) "$@"
}
