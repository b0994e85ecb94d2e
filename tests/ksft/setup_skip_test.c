// SPDX-License-Identifier: GPL-2.0
/*
 * nwtest.h's skip macros against a kselftest harness, built by
 * scripts/ksft-host.sh with each harness it tests: a fixture whose setup
 * skips with NWT_SETUP_SKIP() must not run its NWT_TEST_F() body (the 6.1
 * harness runs the body after a SKIP() in FIXTURE_SETUP), and the next
 * test's body must run, its flag fresh. Expected: "ok 1 skips.body_not_run
 * # SKIP ...", "ok 2 runs.body_runs", "# body_runs: the body ran", exit 0.
 */
#include <stdio.h>

#include "kselftest_harness.h"
#include "nwtest.h"

FIXTURE(skips) {
	int unused;
};

FIXTURE_SETUP(skips)
{
	NWT_SETUP_SKIP(return, "setup skips on purpose");
}

FIXTURE_TEARDOWN(skips)
{
}

NWT_TEST_F(skips, body_not_run)
{
	ASSERT_TRUE(0) TH_LOG("the body ran after its setup skipped");
}

FIXTURE(runs) {
	int unused;
};

FIXTURE_SETUP(runs)
{
}

FIXTURE_TEARDOWN(runs)
{
}

NWT_TEST_F(runs, body_runs)
{
	fprintf(stderr, "# body_runs: the body ran\n");
	ASSERT_FALSE(nwt_setup_skipped);
}

TEST_HARNESS_MAIN
