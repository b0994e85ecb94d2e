// SPDX-License-Identifier: GPL-2.0
/*
 * Workload generators: deterministic by seed, shaped as named. The fixed
 * point helpers are compared with libm here (tests may use floating point;
 * the core may not).
 */
#include <math.h>

#include "kselftest_harness.h"
#include "coretest.h"

#define N	200000

/* |got - want| <= tol, as an integer-valued harness expectation. */
#define EXPECT_NEAR(want, got, tol) \
	EXPECT_EQ(1, fabs((double)(got) - (double)(want)) <= (tol))

static struct nw_acc trace[N];

static int fill(const struct nw_wl_cfg *c, struct nw_acc *t, u64 n)
{
	struct nw_wl wl;
	int err = nw_wl_init(&wl, c);

	if (err)
		return err;
	nw_wl_fill(&wl, t, n);
	nw_wl_fini(&wl);
	return 0;
}

TEST(fixed_point_log2_exp2)
{
	u64 x;
	double f;

	for (x = 1; x < 5000000; x = x * 3 + 1)
		EXPECT_LT(fabs(nw_log2_q30(x) / 1073741824.0 - log2(x)), 1e-7);
	for (f = 0; f < 20; f += 0.37) {
		double got = nw_exp2_neg_q30((u64)(f * 1073741824.0)) /
			     1073741824.0;

		EXPECT_LT(fabs(got - exp2(-f)), 1e-8 + 1e-6 * exp2(-f));
	}
}

TEST(same_seed_same_trace)
{
	struct nw_wl_cfg c = {
		.pattern = NW_WL_ZIPF, .base = 0x10000000, .size = 64 << 20,
		.theta_m = 800, .write_pct = 30, .fetch_pct = 10, .seed = 9,
	};
	static struct nw_acc t2[1000];

	ASSERT_EQ(0, fill(&c, trace, 1000));
	ASSERT_EQ(0, fill(&c, t2, 1000));
	EXPECT_EQ(0, memcmp(trace, t2, sizeof(t2)));
	c.seed = 10;
	ASSERT_EQ(0, fill(&c, t2, 1000));
	EXPECT_NE(0, memcmp(trace, t2, sizeof(t2)));
}

TEST(sequential_and_strided)
{
	struct nw_wl_cfg c = {
		.pattern = NW_WL_SEQUENTIAL, .base = 0x10000000, .size = 8192,
	};
	int i;

	ASSERT_EQ(0, fill(&c, trace, 300));
	for (i = 0; i < 300; i++)
		EXPECT_EQ(0x10000000 + (i * 64) % 8192, trace[i].va);
	c.pattern = NW_WL_STRIDED;
	c.stride = 3 * 4096;
	c.size = 10 * 4096;
	ASSERT_EQ(0, fill(&c, trace, 30));
	for (i = 0; i < 30; i++)
		EXPECT_EQ(0x10000000 + (i * 3 * 4096ULL) % (10 * 4096),
			  trace[i].va);
}

TEST(uniform_and_mix)
{
	struct nw_wl_cfg c = {
		.pattern = NW_WL_UNIFORM, .base = 0x10000000, .size = 64 * 4096,
		.write_pct = 25, .fetch_pct = 5, .seed = 3, .user = 1,
	};
	int count[64] = { 0 }, kinds[3] = { 0 }, i;

	ASSERT_EQ(0, fill(&c, trace, N));
	for (i = 0; i < N; i++) {
		u64 p = (trace[i].va - c.base) / 4096;

		ASSERT_LT(p, 64);
		count[p]++;
		kinds[trace[i].kind & NW_KIND_MASK]++;
		ASSERT_TRUE(trace[i].kind & NW_USER);
	}
	for (i = 0; i < 64; i++) {	/* 3125 expected, ~56 sigma */
		EXPECT_GT(count[i], 2800);
		EXPECT_LT(count[i], 3450);
	}
	EXPECT_NEAR(0.70, kinds[NW_READ] / (double)N, 0.01);
	EXPECT_NEAR(0.25, kinds[NW_WRITE] / (double)N, 0.01);
	EXPECT_NEAR(0.05, kinds[NW_FETCH] / (double)N, 0.01);
}

TEST(zipf_follows_its_law)
{
	const int pages = 1000;
	struct nw_wl_cfg c = {
		.pattern = NW_WL_ZIPF, .base = 0, .size = pages * 4096ULL,
		.theta_m = 990, .seed = 5,
	};
	static int count[1000];
	int i, top = 0, second = 0;
	double h = 0;

	ASSERT_EQ(0, fill(&c, trace, N));
	for (i = 0; i < N; i++)
		count[trace[i].va / 4096]++;
	for (i = 0; i < pages; i++) {
		h += pow(i + 1, -0.99);
		if (count[i] > count[top])
			top = i;
	}
	second = top ? 0 : 1;
	for (i = 0; i < pages; i++)
		if (i != top && count[i] > count[second])
			second = i;
	/* Rank 1 gets 1/H of the accesses, rank 2 half of that. */
	EXPECT_NEAR(1 / h, count[top] / (double)N, 0.005);
	EXPECT_NEAR(pow(2, -0.99) / h, count[second] / (double)N, 0.004);
}

TEST(chase_is_one_cycle)
{
	const int pages = 5000;
	struct nw_wl_cfg c = {
		.pattern = NW_WL_CHASE, .base = 0, .size = pages * 4096ULL,
		.seed = 8,
	};
	static char seen[5000];
	int i;

	ASSERT_EQ(0, fill(&c, trace, 2 * pages));
	for (i = 0; i < pages; i++) {
		u64 p = trace[i].va / 4096;

		EXPECT_FALSE(seen[p]);
		seen[p] = 1;
		EXPECT_EQ(trace[i].va / 4096, trace[i + pages].va / 4096);
	}
}

/*
 * The module sets a table up in chunks, between which it reschedules:
 * chunked or whole, the same trace, and the steps left count down.
 */
TEST(setup_in_chunks_gives_the_same_trace)
{
	struct nw_wl_cfg c = {
		.base = 0x10000000, .size = 3001 * 4096ULL, .theta_m = 700,
		.seed = 4,
	};
	static struct nw_acc t2[1000];
	u8 patterns[] = { NW_WL_ZIPF, NW_WL_CHASE };
	struct nw_wl wl;
	u64 left, steps;
	unsigned int p;

	for (p = 0; p < ARRAY_SIZE(patterns); p++) {
		c.pattern = patterns[p];
		ASSERT_EQ(0, fill(&c, trace, 1000));
		ASSERT_EQ(0, nw_wl_start(&wl, &c));
		steps = c.pattern == NW_WL_ZIPF ? 3001 : 2 * 3001 - 1;
		for (left = steps; left; ) {
			u64 now = nw_wl_setup(&wl, 64);

			ASSERT_EQ(left > 64 ? left - 64 : 0, now);
			left = now;
		}
		EXPECT_EQ(0, nw_wl_setup(&wl, 64));
		nw_wl_fill(&wl, t2, 1000);
		nw_wl_fini(&wl);
		EXPECT_EQ(0, memcmp(trace, t2, sizeof(t2)));
	}
}

TEST(bad_configs)
{
	struct nw_wl_cfg c = { .pattern = NW_WL_NR, .size = 4096 };
	struct nw_wl wl;

	EXPECT_EQ(-EINVAL, nw_wl_init(&wl, &c));
	c.pattern = NW_WL_STRIDED;
	EXPECT_EQ(-EINVAL, nw_wl_init(&wl, &c));
	c.pattern = NW_WL_UNIFORM;
	c.write_pct = 80;
	c.fetch_pct = 30;
	EXPECT_EQ(-EINVAL, nw_wl_init(&wl, &c));
	c.write_pct = 0;
	c.pattern = NW_WL_ZIPF;
	c.size = (u64)NW_WL_MAX_PAGES * 8192;
	EXPECT_EQ(-E2BIG, nw_wl_init(&wl, &c));
}

TEST_HARNESS_MAIN
