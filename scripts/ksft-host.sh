#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The selftests as a kernel tester first meets them: on this machine, where
# the module is not loaded, built with each kernel's own kselftest harness
# (6.1 and 7.3, scripts/ksft-src.sh) and run twice per harness: by lib.mk's
# "run_tests", and installed with "make install INSTALL_PATH=" and run by
# the installed run_kselftest.sh. Every test must report a skip that says
# why ("ok N selftests: DIR: TEST # SKIP") and each run must exit 0.
# tests/ksft/setup_skip_test.c checks nwtest.h's setup skip with each
# harness.
#
#   ksft-host.sh CACHE TAPFILE

set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/tap.sh"
cache=$(mkdir -p "$1" && cd "$1" && pwd)
tap_init "$2"
st=$here/selftests

if [ -e /dev/nestwalk ]; then
	echo "ksft-host: /dev/nestwalk exists: the module is loaded here, and this stage runs the selftests without it"
	tap_ok "ksft-host # SKIP /dev/nestwalk exists: the module is loaded on this machine"
	exit 0
fi
# nestwalk.sh would load an installed module (modprobe) and run the suite.
if modprobe -n -q nestwalk 2>/dev/null; then
	echo "ksft-host: the nestwalk module is installed for $(uname -r): nestwalk.sh would load it"
	tap_ok "ksft-host # SKIP nestwalk is installed for this kernel, and this stage runs the selftests without it"
	exit 0
fi
# The tests are run as the machine's environment has them, less the
# variables that point the suite at a module file or a subset.
unset NESTWALK_KO NESTWALK_TESTS

# check_run VER WHAT LOG DIR TESTS...: one TAP line per test, "ok" only if
# the runner printed "ok N selftests: DIR: TEST # SKIP" for it and the
# test said why (its own SKIP line, quoted).
check_run() {
	local ver=$1 what=$2 log=$3 dir=$4 t line why
	shift 4
	for t in "$@"; do
		line=$(grep -E "^(not )?ok [0-9]+ selftests: .*: $t( |\$)" "$log")
		why=$(awk -v h="# selftests: $dir: $t" '
			$0 == h { on = 1; next }
			on && /^(not )?ok [0-9]+ selftests: / { exit }
			on && /SKIP/ { sub(/^.*SKIP:? */, ""); print; exit }' "$log")
		if echo "$line" | grep -qE "^ok [0-9]+ selftests: $dir: $t # SKIP\$" &&
		   [ -n "$why" ]; then
			# No "# SKIP" in this line: the check passed.
			tap_ok "ksft-host $ver $what: $t skipped, saying why ($why)"
		else
			tap_not_ok "ksft-host $ver $what: $t: ${line:-no result line}"
		fi
	done
}

for ver in 6.1 7.3; do
	out=$cache/ksft-host/$ver
	if ! ksft=$("$here/scripts/ksft-src.sh" "$ver" "$cache"); then
		tap_not_ok "ksft-host $ver: the $ver kselftest harness could not be fetched"
		continue
	fi
	rm -rf "$out"
	mkdir -p "$out/build"
	mk=(make --no-print-directory -C "$st" KSFT_DIR="$ksft"
	    OUTPUT="$out/build")
	if ! "${mk[@]}" -j2 all >"$out/build.log" 2>&1; then
		tail -n 30 "$out/build.log" | sed 's/^/#   /'
		tap_not_ok "ksft-host $ver: build with the $ver harness"
		continue
	fi
	# nwtest.h's NWT_SETUP_SKIP/NWT_TEST_F with this harness.
	log=$out/setup_skip_test.log
	if gcc -Wall -Wextra -Werror -Wno-unused-parameter -O2 -static \
	       -I"$ksft" -I"$st" -o "$out/setup_skip_test" \
	       "$here/tests/ksft/setup_skip_test.c" "$st/nwtest.c" >"$log" 2>&1; then
		"$out/setup_skip_test" >>"$log" 2>&1
		rc=$?
	else
		rc=build
	fi
	if [ "$rc" = 0 ] &&
	   grep -qE '^ok 1 (skips\.body_not_run )?# SKIP setup skips on purpose$' "$log" &&
	   ! grep -q 'the body ran after its setup skipped' "$log" &&
	   grep -qx 'ok 2 runs.body_runs' "$log" &&
	   grep -qx '# body_runs: the body ran' "$log"; then
		tap_ok "ksft-host $ver: a setup that skips keeps its NWT_TEST_F body from running, the next test's body runs"
	else
		sed 's/^/#   /' "$log" | tail -n 30
		tap_not_ok "ksft-host $ver: setup_skip_test (exit $rc)"
	fi

	mapfile -t tests < <("${mk[@]}" -s emit_tests COLLECTION=nestwalk |
			      sed -n 's/^nestwalk://p')
	echo "ksft-host $ver: ${#tests[@]} tests: ${tests[*]}"
	if [ ${#tests[@]} = 0 ]; then
		tap_not_ok "ksft-host $ver: emit_tests names no test"
		continue
	fi

	# lib.mk's run_tests, from the source directory: the runner names
	# the directory by its path, not being below its BASE_DIR.
	log=$out/run_tests.log
	# Appended: the runner writes the tests' output through a second
	# descriptor (/dev/stdout opened for appending).
	: >"$log"
	"${mk[@]}" run_tests >>"$log" 2>&1
	rc=$?
	sed 's/^/  /' "$log" | grep -E '^  (not )?ok |SKIP'
	check_run "$ver" run_tests "$log" "$(cd "$st" && pwd -P)" "${tests[@]}"
	if [ $rc = 0 ]; then
		tap_ok "ksft-host $ver run_tests: make exited 0"
	else
		tap_not_ok "ksft-host $ver run_tests: make exited $rc"
	fi

	# make install INSTALL_PATH=, then the installed run_kselftest.sh.
	inst=$out/install
	if ! "${mk[@]}" install INSTALL_PATH="$inst" >"$out/install.log" 2>&1; then
		tail -n 30 "$out/install.log" | sed 's/^/#   /'
		tap_not_ok "ksft-host $ver: make install INSTALL_PATH="
		continue
	fi
	list=$(sed -n 's/^nestwalk://p' "$inst/kselftest-list.txt" 2>/dev/null |
	       tr '\n' ' ')
	if [ "$list" = "${tests[*]} " ]; then
		tap_ok "ksft-host $ver install: kselftest-list.txt names the ${#tests[@]} tests"
	else
		tap_not_ok "ksft-host $ver install: kselftest-list.txt names '$list'"
	fi
	log=$out/run_kselftest.log
	: >"$log"
	(cd "$inst" && ./run_kselftest.sh) >>"$log" 2>&1
	rc=$?
	sed 's/^/  /' "$log" | grep -E '^  (not )?ok |SKIP'
	check_run "$ver" run_kselftest.sh "$log" nestwalk "${tests[@]}"
	if [ $rc = 0 ]; then
		tap_ok "ksft-host $ver run_kselftest.sh: exited 0"
	else
		tap_not_ok "ksft-host $ver run_kselftest.sh: exited $rc"
	fi
done
tap_status
