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

/*
 * Walk loads (uAPI 5, PAGE_WALKER_LOADS.*): guest DTLB 60/20/10/10 and
 * ITLB 4/0/0/0 at L1/L2/LLC/memory, host EPT_DTLB 100/50/25/25 and
 * EPT_ITLB 0/0/0/6. Guest 104 loads: 64, 20, 10, 10; host 206: 100, 50,
 * 25, 31; both 310: 164, 70, 35, 41.
 */
static void fake_walk_loads(struct nw_exp_result *r)
{
	static const unsigned int v[16] = {
		60, 20, 10, 10, 4, 0, 0, 0, 100, 50, 25, 25, 0, 0, 0, 6,
	};
	unsigned int i;

	fake_stats(r, NESTWALK_STAT_WALKER_LOADS_EPT_ITLB_MEM + 1);
	for (i = 0; i < 16; i++)
		r->v[NESTWALK_STAT_WALKER_LOADS_DTLB_L1 + i] = v[i];
}

TEST(walk_loads_by_dimension_and_level)
{
	struct nw_exp_result *r = calloc(1, sizeof(*r));

	ASSERT_NE(NULL, r);
	fake_walk_loads(r);
	EXPECT_EQ(64, nw_res_walk_loads(r, 0, NW_SERVED_L1));
	EXPECT_EQ(20, nw_res_walk_loads(r, 0, NW_SERVED_L2));
	EXPECT_EQ(10, nw_res_walk_loads(r, 0, NW_SERVED_LLC));
	EXPECT_EQ(10, nw_res_walk_loads(r, 0, NW_SERVED_MEM));
	EXPECT_EQ(100, nw_res_walk_loads(r, 1, NW_SERVED_L1));
	EXPECT_EQ(50, nw_res_walk_loads(r, 1, NW_SERVED_L2));
	EXPECT_EQ(25, nw_res_walk_loads(r, 1, NW_SERVED_LLC));
	EXPECT_EQ(31, nw_res_walk_loads(r, 1, NW_SERVED_MEM));
	EXPECT_EQ(164, nw_res_walk_loads(r, -1, NW_SERVED_L1));
	EXPECT_EQ(41, nw_res_walk_loads(r, -1, NW_SERVED_MEM));
	/* A module of API 4 has none: 0, not its neighbours' figures. */
	nw_res_take(r, NESTWALK_STAT_DCACHE_L1_HIT);
	EXPECT_EQ(0, nw_res_walk_loads(r, -1, NW_SERVED_L1));
	free(r);
}

TEST(walk_load_shares_in_json)
{
	/* 164, 70, 35, 41 of 310; 64, 20, 10, 10 of 104; 100... of 206. */
	static const char *const shares =
		"\"dcache_mode\":\"data\",\"walk_load_share\":{"
		"\"all\":{\"l1\":0.529032,\"l2\":0.225806,\"llc\":0.112903,\"mem\":0.132258},"
		"\"guest\":{\"l1\":0.615385,\"l2\":0.192308,\"llc\":0.096154,\"mem\":0.096154},"
		"\"host\":{\"l1\":0.485437,\"l2\":0.242718,\"llc\":0.121359,\"mem\":0.150485}}}";
	struct nw_exp_result *r = calloc(1, sizeof(*r));
	char *out;

	ASSERT_NE(NULL, r);
	fake_walk_loads(r);
	r->dcache_mode = NESTWALK_DCACHE_DATA;
	out = json(r);
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out, shares)) TH_LOG("%s", out);
	/* The raw counters, by the module's names. */
	EXPECT_NE(NULL, strstr(out, "\"counter_69\":6}")) TH_LOG("%s", out);
	free(out);
	/* Model off: the mode says so, no shares. */
	r->dcache_mode = NESTWALK_DCACHE_OFF;
	out = json(r);
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out, "},\"dcache_mode\":\"off\"}"))
		TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(out, "walk_load_share")) TH_LOG("%s", out);
	free(out);
	free(r);
}

TEST_HARNESS_MAIN
