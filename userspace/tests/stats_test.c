// SPDX-License-Identifier: GPL-2.0
/*
 * The helper against modules of other releases: counters come by enum
 * nestwalk_stat and are printed with the names the module gives, so a
 * newer module's extra counters show up and an older module's missing ones
 * read as 0. The module's STATS answer is faked here: values and names as
 * NESTWALK_IOC_STATS writes them, with two counters more or two fewer.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "experiment.h"
#include "runopts.h"

#define KNOWN	(NESTWALK_STAT_MCYCLES + 1)

int nw_json;		/* nestwalk.c's --json, not linked here */

/* What the names call of a module with @count counters writes. */
static void fake_stats(struct nw_exp_result *r, unsigned int count)
{
	static const char *const known[KNOWN] = {
		[NESTWALK_STAT_ACCESSES] = "accesses",
		[NESTWALK_STAT_WALKS] = "walks",
		[NESTWALK_STAT_WALK_REFS] = "walk_refs",
		[NESTWALK_STAT_MCYCLES] = "mcycles",
	};
	unsigned int i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < count; i++) {
		r->v[i] = 1000 + i;
		if (i < KNOWN && known[i])
			strcpy(r->names[i], known[i]);
		else
			snprintf(r->names[i], NESTWALK_STAT_NAME_LEN,
				 "counter_%u", i);
	}
	nw_res_take(r, count);
}

static char *json(const struct nw_exp_result *r)
{
	struct nw_exp x = { .label = "t", .mode = NESTWALK_MODE_EPT };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	nw_exp_json(f, &x, r);
	fclose(f);
	return buf;
}

TEST(newer_module_two_more)
{
	struct nw_exp_result *r = calloc(1, sizeof(*r));
	char want[64], *out;

	ASSERT_NE(NULL, r);
	fake_stats(r, KNOWN + 2);
	EXPECT_EQ(KNOWN + 2, r->n);
	EXPECT_EQ(1000 + NESTWALK_STAT_WALKS, nw_res(r, NESTWALK_STAT_WALKS));
	out = json(r);
	ASSERT_NE(NULL, out);
	/* Every counter, the two it does not know by the module's names. */
	snprintf(want, sizeof(want), "\"counter_%d\":%d", KNOWN + 1,
		 1000 + KNOWN + 1);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);
	snprintf(want, sizeof(want), "\"mcycles\":%d",
		 1000 + NESTWALK_STAT_MCYCLES);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);
	/* Figures it derives from counters it knows. */
	EXPECT_NE(NULL, strstr(out, "\"refs_per_walk\":1.0")) TH_LOG("%s", out);
	free(out);
	free(r);
}

TEST(older_module_two_fewer)
{
	struct nw_exp_result *r = calloc(1, sizeof(*r));
	char want[64], *out;

	ASSERT_NE(NULL, r);
	fake_stats(r, KNOWN - 2);
	EXPECT_EQ(KNOWN - 2, r->n);
	/* The last two (pages_1g, mcycles) are missing: they read 0. */
	EXPECT_EQ(0, nw_res(r, NESTWALK_STAT_MCYCLES));
	EXPECT_EQ(0, nw_res(r, NESTWALK_STAT_PAGES_1G));
	EXPECT_EQ(1000, nw_res(r, NESTWALK_STAT_ACCESSES));
	out = json(r);
	ASSERT_NE(NULL, out);
	EXPECT_EQ(NULL, strstr(out, "\"mcycles\"")) TH_LOG("%s", out);
	snprintf(want, sizeof(want), "\"counter_%d\":%d", KNOWN - 3,
		 1000 + KNOWN - 3);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"cycles_per_access\":0.0000"))
		TH_LOG("%s", out);
	free(out);
	free(r);
}

TEST(names_are_terminated)
{
	struct nw_exp_result *r = calloc(1, sizeof(*r));

	ASSERT_NE(NULL, r);
	fake_stats(r, 3);
	memset(r->names[1], 'x', NESTWALK_STAT_NAME_LEN);
	nw_res_take(r, 3);
	EXPECT_EQ(NESTWALK_STAT_NAME_LEN - 1, strlen(r->names[1]));
	/* More than the helper has room for: it keeps what fits. */
	nw_res_take(r, 100000);
	EXPECT_EQ(NW_MAX_COUNTERS, r->n);
	free(r);
}

TEST_HARNESS_MAIN
