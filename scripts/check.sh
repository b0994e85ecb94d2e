#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make check": installs what is missing, then runs every stage in order,
# times it, and sums the TAP results of all of them. The last line is
# "N passed, N failed, N skipped"; the exit code is 0 only when nothing failed.

set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cache=${CACHE:-$here/build}
results=$cache/results
export CACHE=$cache

stages=(unit ksft-host libfuzzer coverage style sparse w1 dkms vmtest vmtest-numa
	vmtest-510 vmtest-612 vmtest-73 vmtest-debug vmtest-faults vmtest-fuzz
	coverage-module)
# The stages that run the whole suite on one packaged kernel each.
kernels=(vmtest-510 vmtest vmtest-612 vmtest-73)
declare -A secs

rm -rf "$results"
mkdir -p "$results"

t0=$(date +%s)
if ! "$here/scripts/deps.sh"; then
	echo "check: could not install the packages the checks need" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
secs[deps]=$(( $(date +%s) - t0 ))

for st in "${stages[@]}"; do
	args=()
	# The VM test loads the module DKMS built, when DKMS built one.
	if [[ $st = vmtest || $st = vmtest-numa ]] && [ -s "$cache/dkms/nestwalk.ko" ]; then
		args=(NESTWALK_KO="$cache/dkms/nestwalk.ko")
	fi
	echo "=== $st"
	t0=$(date +%s)
	make -C "$here" --no-print-directory "$st" "${args[@]}" \
		>"$results/$st.log" 2>&1
	rc=$?
	secs[$st]=$(( $(date +%s) - t0 ))
	sed 's/^/  /' "$results/$st.log" | grep -vE '^  (make|  CC|  LD|  MODPOST|  BTF|Skipping BTF)' |
		tail -n 60
	tap=$results/$st.tap
	touch "$tap"
	# A kernel's stage has its build gates (W=1, sparse, DKMS) apart.
	if [ -f "$results/$st-build.tap" ]; then
		cat "$results/$st-build.tap" >>"$tap"
	fi
	if [ $rc != 0 ] && ! grep -q '^not ok' "$tap"; then
		echo "not ok - $st: stage exited $rc" >>"$tap"
	fi
done

echo
echo "=== stage times and results"
total_pass=0 total_fail=0 total_skip=0
printf '  %-14s %6s %7s %7s %8s\n' stage seconds passed failed skipped
printf '  %-14s %6s\n' deps "${secs[deps]}"
for st in "${stages[@]}"; do
	tap=$results/$st.tap
	skip=$(grep -c '^ok .*# *SKIP' "$tap")
	pass=$(( $(grep -c '^ok' "$tap") - skip ))
	fail=$(grep -c '^not ok' "$tap")
	printf '  %-14s %6s %7s %7s %8s\n' "$st" "${secs[$st]}" "$pass" \
		"$fail" "$skip"
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	total_skip=$((total_skip + skip))
done
if [ $total_fail != 0 ]; then
	echo
	echo "=== failures"
	grep -h '^not ok' "$results"/*.tap | sed 's/^/  /'
fi
echo
echo "=== kernels (the whole VM suite on each)"
for st in "${kernels[@]}"; do
	rel=$(sed -n "s/^# figures: $st: kernel \([^:]*\):.*/\1/p" \
		"$results/$st.log" 2>/dev/null | head -n 1)
	tap=$results/$st.tap
	vm=$(grep -E "^(not )?ok [0-9]+ - $st: " "$tap")
	skip=$(grep -c '^ok .*# *SKIP' <<<"$vm")
	pass=$(( $(grep -c '^ok' <<<"$vm") - skip ))
	fail=$(grep -c '^not ok' <<<"$vm")
	echo "  kernel ${rel:-? ($st did not boot)}: $pass passed, $fail failed, $skip skipped ($st)"
done

echo
echo "=== figures"
grep -h '^# figures: ' "$results"/*.log | sed 's/^# figures: /  /' | sort -u
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ $total_fail = 0 ]
