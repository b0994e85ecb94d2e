// SPDX-License-Identifier: GPL-2.0
/*
 * The progress line: when it shows (a fake clock), what it says, and that
 * it says nothing when off (not a terminal, or --quiet).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "progress.h"

static double fake_now;

static double fake_clock(void)
{
	return fake_now;
}

TEST(format)
{
	char buf[128];

	/* Size unknown (a pipe): accesses and rate only. */
	nw_progress_format(buf, sizeof(buf), 999, 1.0, 0, 0);
	EXPECT_STREQ("nestwalk: 999 accesses, 999/s", buf);
	nw_progress_format(buf, sizeof(buf), 12345678, 2.0, 5, 0);
	EXPECT_STREQ("nestwalk: 12.3M accesses, 6.17M/s", buf);
	/* A quarter read in 30 s: 90 s left. */
	nw_progress_format(buf, sizeof(buf), 250000000, 30.0, 250, 1000);
	EXPECT_STREQ("nestwalk: 250M accesses, 8.33M/s, 25%, 1:30 left",
		     buf);
	nw_progress_format(buf, sizeof(buf), 4200000000ULL, 600.0, 999, 1000);
	EXPECT_STREQ("nestwalk: 4.20G accesses, 7.00M/s, 100%, 0:00 left",
		     buf);
	/* Nothing read yet: no time left to guess. */
	nw_progress_format(buf, sizeof(buf), 0, 0.0, 0, 1000);
	EXPECT_STREQ("nestwalk: 0 accesses, 0/s, 0%", buf);
	/* Too small a buffer: cut, not overrun. */
	nw_progress_format(buf, 12, 250000000, 30.0, 250, 1000);
	EXPECT_STREQ("nestwalk: 2", buf);
}

TEST(due)
{
	struct nw_progress p;

	fake_now = 100.0;
	nw_progress_start(&p, 1, stderr, fake_clock);
	EXPECT_EQ(0, nw_progress_due(&p, 100.5));
	EXPECT_EQ(0, nw_progress_due(&p, 100.99));
	EXPECT_EQ(1, nw_progress_due(&p, 101.0));
	p.shown = 1;
	p.last = 101.0;
	EXPECT_EQ(0, nw_progress_due(&p, 101.2));
	EXPECT_EQ(1, nw_progress_due(&p, 101.25));
	nw_progress_start(&p, 0, stderr, fake_clock);
	EXPECT_EQ(0, nw_progress_due(&p, 200.0));
}

/* The lines written, into a memory file, as the fake clock moves. */
TEST(update_and_end)
{
	struct nw_progress p;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	ASSERT_NE(NULL, out);
	fake_now = 10.0;
	nw_progress_start(&p, 1, out, fake_clock);
	fake_now = 10.5;
	nw_progress_update(&p, 1000, 1, 4);	/* too early */
	fake_now = 12.0;
	nw_progress_update(&p, 2000000, 2, 4);
	fake_now = 12.1;
	nw_progress_update(&p, 2100000, 2, 4);	/* too soon after */
	fake_now = 13.0;
	nw_progress_update(&p, 3000000, 3, 4);
	nw_progress_end(&p);
	fclose(out);
	EXPECT_STREQ("\rnestwalk: 2.00M accesses, 1.00M/s, 50%, 0:02 left\033[K"
		     "\rnestwalk: 3.00M accesses, 1.00M/s, 75%, 0:01 left\033[K"
		     "\r\033[K", text);
	free(text);
}

/* Off (stderr not a terminal, or --quiet): not a byte, not even the wipe. */
TEST(off_is_silent)
{
	struct nw_progress p;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	ASSERT_NE(NULL, out);
	fake_now = 0;
	nw_progress_start(&p, 0, out, fake_clock);
	fake_now = 50;
	nw_progress_update(&p, 1000000, 1, 2);
	nw_progress_end(&p);
	fclose(out);
	EXPECT_EQ(0, len);
	free(text);
}

TEST_HARNESS_MAIN
