# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the stage scripts: each stage writes one TAP file of
# "ok - ..." / "not ok - ..." lines; scripts/check.sh sums them.

tap_init() {	# tap_init FILE
	TAP_FILE=$1
	mkdir -p "$(dirname "$TAP_FILE")"
	: >"$TAP_FILE"
}

tap_ok() {
	echo "ok - $*" | tee -a "$TAP_FILE"
}

tap_not_ok() {
	echo "not ok - $*" | tee -a "$TAP_FILE"
}

# tap_run DESC CMD...: one result from CMD's exit code; its output is shown
# only when it fails.
tap_run() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		tap_ok "$desc"
	else
		echo "$out" | tail -n 40 | sed 's/^/#   /'
		tap_not_ok "$desc"
	fi
}

# tap_collect PREFIX LOG: copy the ok / not ok lines a test program printed.
tap_collect() {
	sed -nE 's/^(not )?ok [0-9]+ (- )?(.*)/\1ok - '"$1"'\3/p' "$2" >>"$TAP_FILE"
}

# tap_status: 0 when the stage's file holds no failure.
tap_status() {
	! grep -q '^not ok' "$TAP_FILE"
}
