# SPDX-License-Identifier: GPL-2.0
#
# TAP for the nestwalk shell selftests, sourced with $tap_prefix set:
# ok CONDITION-EXIT-STATUS DESCRIPTION counts a test, skip REASON exits 4
# (kselftest's skip), tap_end prints the plan and exits 0 only if all
# passed.

ksft_skip=4
n=0
fails=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $tap_prefix: $2"
	else
		echo "not ok $n $tap_prefix: $2"
		fails=$((fails + 1))
	fi
}

skip() {
	echo "# SKIP: $1"
	exit $ksft_skip
}

tap_end() {
	echo "1..$n"
	[ $fails = 0 ]
}
