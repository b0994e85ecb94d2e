// SPDX-License-Identifier: GPL-2.0
/* --tlb-level: the explicit TLB geometry parser. */
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "geometry.h"

#define K4	NESTWALK_TLB_SIZE(NESTWALK_PAGE_4K)
#define M2	NESTWALK_TLB_SIZE(NESTWALK_PAGE_2M)
#define G1	NESTWALK_TLB_SIZE(NESTWALK_PAGE_1G)

static int add(struct nw_geometry *g, const char *spec)
{
	char err[128] = "";
	int ret = nw_geometry_add_level(g, spec, err, sizeof(err));

	if (ret)
		fprintf(stderr, "# '%s': %s\n", spec, err);
	return ret;
}

/* Nehalem as the manual gives it: the reach figures of the seed. */
TEST(nehalem)
{
	struct nw_geometry g = { 0 };
	char buf[256];

	ASSERT_EQ(0, add(&g, "4k=64x4,2m=32x4,lat=1"));
	ASSERT_EQ(0, add(&g, "victim,4k=512x4,lat=7"));
	ASSERT_EQ(2, g.n);
	EXPECT_EQ(0, g.l[0].flags);
	EXPECT_EQ(1000, g.l[0].latency_milli);
	EXPECT_EQ(K4, g.l[0].arrays[0].sizes);
	EXPECT_EQ(64, g.l[0].arrays[0].entries);
	EXPECT_EQ(4, g.l[0].arrays[0].ways);
	EXPECT_EQ(NESTWALK_REPL_LRU, g.l[0].arrays[0].repl);
	EXPECT_EQ(M2, g.l[0].arrays[1].sizes);
	EXPECT_EQ(32, g.l[0].arrays[1].entries);
	EXPECT_EQ(0, g.l[0].arrays[2].sizes);
	EXPECT_EQ(0, g.l[0].arrays[2].entries);
	EXPECT_EQ(NESTWALK_TLB_VICTIM, g.l[1].flags);
	EXPECT_EQ(7000, g.l[1].latency_milli);
	EXPECT_EQ(512, g.l[1].arrays[0].entries);
	EXPECT_EQ(2304, nw_geometry_reach_kib(&g, NESTWALK_PAGE_4K));
	/* Large pages are splintered where a level has no array of them. */
	EXPECT_EQ(64 * 1024 + 2048,
		  nw_geometry_reach_kib(&g, NESTWALK_PAGE_2M));
	EXPECT_EQ(64 * 1024 + 2048,
		  nw_geometry_reach_kib(&g, NESTWALK_PAGE_1G));
	nw_geometry_describe(&g, buf, sizeof(buf));
	EXPECT_STREQ("4k=64x4,2m=32x4,lat=1 / victim,4k=512x4,lat=7", buf);
}

/* Unified arrays, full associativity, policies, fractional latency. */
TEST(forms)
{
	struct nw_geometry g = { 0 };
	char buf[256];

	ASSERT_EQ(0, add(&g, "4K+2M+1G=64:plru"));
	ASSERT_EQ(0, add(&g, "lat=9.5,4k+2m=1536x12,1g=16x4:random"));
	ASSERT_EQ(0, add(&g, "4k=2048x16,lat=0.125"));
	EXPECT_EQ(K4 | M2 | G1, g.l[0].arrays[0].sizes);
	EXPECT_EQ(0, g.l[0].arrays[0].ways);
	EXPECT_EQ(NESTWALK_REPL_PLRU, g.l[0].arrays[0].repl);
	EXPECT_EQ(1000, g.l[0].latency_milli);
	EXPECT_EQ(9500, g.l[1].latency_milli);
	EXPECT_EQ(0, g.l[1].flags);
	EXPECT_EQ(12, g.l[1].arrays[0].ways);
	EXPECT_EQ(NESTWALK_REPL_RANDOM, g.l[1].arrays[1].repl);
	EXPECT_EQ(16, g.l[2].arrays[0].ways);
	EXPECT_EQ(125, g.l[2].latency_milli);
	/* Not a victim level: defaults to 7 cycles below the first. */
	EXPECT_EQ((64 + 1536 + 2048) * 4, nw_geometry_reach_kib(&g, 1));
	/* 1 GiB pages: L1 and L2 arrays, L3 in 4 KiB parts (splinters). */
	EXPECT_EQ((64 + 16) * 1024 * 1024 + 2048 * 4,
		  nw_geometry_reach_kib(&g, 3));
	nw_geometry_describe(&g, buf, sizeof(buf));
	EXPECT_STREQ("4k+2m+1g=64xfull:plru,lat=1 / 4k+2m=1536x12,1g=16x4:random,lat=9.5 / 4k=2048x16,lat=0.125",
		     buf);
	/* A fourth level is one too many. */
	EXPECT_EQ(-1, add(&g, "4k=8"));
	EXPECT_EQ(3, g.n);
}

TEST(default_latency)
{
	struct nw_geometry g = { 0 };

	ASSERT_EQ(0, add(&g, "4k=64x4"));
	ASSERT_EQ(0, add(&g, "4k=64x4"));
	EXPECT_EQ(1000, g.l[0].latency_milli);
	EXPECT_EQ(7000, g.l[1].latency_milli);
	/* Equal ways and entries are the fully associative array. */
	ASSERT_EQ(0, add(&g, "4k=32x32"));
	EXPECT_EQ(0, g.l[2].arrays[0].ways);
}

/*
 * --itlb-level: Skylake's instruction TLB (Intel Optimization Reference
 * Manual, Skylake TLB table), its STLB the data level 2's: "shared".
 */
TEST(itlb_shared)
{
	struct nw_geometry g = { 0 };
	char buf[256];

	ASSERT_EQ(0, add(&g, "4k=128x8:plru,2m=8"));
	ASSERT_EQ(0, add(&g, "shared"));
	ASSERT_EQ(2, g.n);
	EXPECT_EQ(NESTWALK_TLB_SHARED, g.l[1].flags);
	EXPECT_EQ(0, g.l[1].latency_milli);
	EXPECT_EQ(0, g.l[1].arrays[0].sizes);
	nw_geometry_describe(&g, buf, sizeof(buf));
	EXPECT_STREQ("4k=128x8:plru,2m=8xfull,lat=1 / shared", buf);
	/* Not first, and alone: the data level's figures hold. */
	g.n = 0;
	EXPECT_EQ(-1, add(&g, "shared"));
	ASSERT_EQ(0, add(&g, "4k=64"));
	EXPECT_EQ(-1, add(&g, "shared,4k=64"));
	EXPECT_EQ(-1, add(&g, "shared,lat=7"));
	EXPECT_EQ(-1, add(&g, "shared,victim"));
	EXPECT_EQ(1, g.n);
}

/* Every malformed or unbuildable level is refused, the geometry kept. */
TEST(garbage)
{
	static const char *const bad[] = {
		"", ",", "4k", "4k=", "=64", "4k=0", "4k=65537", "4k=64x0",
		"4k=64x65", "4k=64x3", "4k=96x4", "4k=48x16", "4k=64x4:mru",
		"4k=64x4:", "4k=64xfulll", "4k=64x4,4k=32x4", "4k+4k=64",
		"4k+=64", "+4k=64", "4k+2m=64,2m=32", "8k=64", "4k=-64",
		"4k= 64", "4k=64 ", "4k=64x4,lat=", "4k=64x4,lat=1.", "4k=64,lat=.5",
		"4k=64,lat=1.0001", "4k=64,lat=1001", "4k=64,lat=-1",
		"4k=64,lat=x", "4k=64,victim", "victim", "4k=64,1g=4,2m=8,4k+1g=2",
		"4k=24x3:plru", "4k=128x128:plru", "4k=64x4,bogus",
		"4k=64x4,lat=1,lat", "4k=99999999999999999999999",
		"4k=128", "4k=1024xfull", "4k=256x128",
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nw_geometry g = { 0 };
		char err[128] = "";

		EXPECT_EQ(-1, nw_geometry_add_level(&g, bad[i], err,
						    sizeof(err)))
			TH_LOG("'%s' accepted", bad[i]);
		EXPECT_EQ(0, g.n);
		EXPECT_NE(0, strlen(err)) TH_LOG("'%s': no reason", bad[i]);
	}
}

/* "victim" is refused on the first level only. */
TEST(victim_below_first)
{
	struct nw_geometry g = { 0 };

	EXPECT_EQ(-1, add(&g, "victim,4k=64x4"));
	ASSERT_EQ(0, add(&g, "4k=64x4"));
	ASSERT_EQ(0, add(&g, "victim,4k=512x4"));
	EXPECT_EQ(NESTWALK_TLB_VICTIM, g.l[1].flags);
}

TEST_HARNESS_MAIN
