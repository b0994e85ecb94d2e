// SPDX-License-Identifier: GPL-2.0
/* --tlb-level, --dcache-level: the explicit geometry parsers. */
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

static int dadd(struct nw_dcache_geometry *g, const char *spec)
{
	char err[128] = "";
	int ret = nw_dcache_add_level(g, spec, err, sizeof(err));

	if (ret)
		fprintf(stderr, "# '%s': %s\n", spec, err);
	return ret;
}

/*
 * Skylake client's data caches as the Intel Optimization Reference
 * Manual's Skylake cache table gives them (32 KiB 8-way L1d, 4 cycles;
 * 256 KiB 4-way L2, 12 cycles) and an 8 MiB 16-way LLC of 42 cycles: the
 * sets are size / 64 / ways.
 */
TEST(dcache_levels)
{
	struct nw_dcache_geometry g = { 0 };
	char buf[256];

	ASSERT_EQ(0, dadd(&g, "32K:8:4"));
	ASSERT_EQ(0, dadd(&g, "256KiB:4:12"));
	ASSERT_EQ(0, dadd(&g, "8M:16:42"));
	ASSERT_EQ(3, g.n);
	EXPECT_EQ(64, g.l[0].sets);
	EXPECT_EQ(8, g.l[0].ways);
	EXPECT_EQ(4000, g.l[0].latency_milli);
	EXPECT_EQ(1024, g.l[1].sets);
	EXPECT_EQ(4, g.l[1].ways);
	EXPECT_EQ(12000, g.l[1].latency_milli);
	EXPECT_EQ(8192, g.l[2].sets);
	EXPECT_EQ(16, g.l[2].ways);
	EXPECT_EQ(42000, g.l[2].latency_milli);
	EXPECT_EQ(0, g.l[2].reserved[0]);
	nw_dcache_describe(&g, buf, sizeof(buf));
	EXPECT_STREQ("32K:8:4 / 256K:4:12 / 8M:16:42", buf);
	/* A fourth level is one too many; the three stay. */
	EXPECT_EQ(-1, dadd(&g, "64M:16:80"));
	EXPECT_EQ(3, g.n);
}

/*
 * Bytes without a suffix, one set or one way, decimals of a cycle, the
 * largest level the uAPI allows (2^20 lines, 64 MiB) and a 12-way level
 * (Ice Lake's 48 KiB L1d, Intel Optimization Reference Manual, Ice Lake
 * client cache table).
 */
TEST(dcache_forms)
{
	struct nw_dcache_geometry g = { 0 };
	char buf[256];

	ASSERT_EQ(0, dadd(&g, "48K:12:5.5"));
	EXPECT_EQ(64, g.l[0].sets);
	EXPECT_EQ(5500, g.l[0].latency_milli);
	ASSERT_EQ(0, dadd(&g, "2048:32:0.125"));
	EXPECT_EQ(1, g.l[1].sets);
	EXPECT_EQ(32, g.l[1].ways);
	EXPECT_EQ(125, g.l[1].latency_milli);
	ASSERT_EQ(0, dadd(&g, "64M:1:1000"));
	EXPECT_EQ(1 << 20, g.l[2].sets);
	EXPECT_EQ(1, g.l[2].ways);
	EXPECT_EQ(1000000, g.l[2].latency_milli);
	nw_dcache_describe(&g, buf, sizeof(buf));
	EXPECT_STREQ("48K:12:5.5 / 2K:32:0.125 / 64M:1:1000", buf);
}

/* Each malformed or unbuildable level is refused with a reason. */
TEST(dcache_garbage)
{
	static const char *const bad[] = {
		"", "32K", "32K:8", "32K:8:", ":8:4", "32K::4", "32K:8:4:1",
		"0:8:4", "32X:8:4", "32K:0:4", "32K:33:4", "32K:x:4",
		"32K:-8:4", "32K:8:0", "32K:8:0.0", "32K:8:1001",
		"32K:8:1.0001", "32K:8:.5", "32K:8:4.", "32K:8:-4",
		"32K:8:4x", "96K:8:4", "24K:8:4", "100:1:4", "32K:12:4",
		"128M:2:4", "128M:32:4", "99999999999999999999:8:4",
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nw_dcache_geometry g = { 0 };
		char err[128] = "";

		EXPECT_EQ(-1, nw_dcache_add_level(&g, bad[i], err,
						  sizeof(err)))
			TH_LOG("'%s' accepted", bad[i]);
		EXPECT_EQ(0, g.n);
		EXPECT_NE(0, strlen(err)) TH_LOG("'%s': no reason", bad[i]);
	}
}

/* The reasons a user reads: the derived sets, the line limit. */
TEST(dcache_reasons)
{
	struct nw_dcache_geometry g = { 0 };
	char err[128] = "";

	EXPECT_EQ(-1, nw_dcache_add_level(&g, "96K:8:4", err, sizeof(err)));
	EXPECT_STREQ("96K / 64 / 8 = 192 sets: not a power of two", err);
	EXPECT_EQ(-1, nw_dcache_add_level(&g, "32K:12:4", err, sizeof(err)));
	EXPECT_STREQ("32K is not a whole number of 12-way sets of 64-byte lines",
		     err);
	EXPECT_EQ(-1, nw_dcache_add_level(&g, "128M:16:4", err, sizeof(err)));
	EXPECT_STREQ("128M: at most 1048576 lines (64 MiB) a level", err);
}

/* --mem-latency's number: cycles, up to three decimals, up to 10^7. */
TEST(cycles)
{
	__u64 m = 7;
	char buf[32];

	EXPECT_EQ(0, nw_parse_cycles("250", 10000000, &m));
	EXPECT_EQ(250000, m);
	EXPECT_EQ(0, nw_parse_cycles("10000", 10000000, &m));
	EXPECT_EQ(10000000, m);
	EXPECT_EQ(0, nw_parse_cycles("87.25", 10000000, &m));
	EXPECT_EQ(87250, m);
	EXPECT_EQ(-1, nw_parse_cycles("10000.001", 10000000, &m));
	EXPECT_EQ(-1, nw_parse_cycles("10001", 10000000, &m));
	EXPECT_EQ(-1, nw_parse_cycles("", 10000000, &m));
	EXPECT_EQ(-1, nw_parse_cycles("1e3", 10000000, &m));
	EXPECT_EQ(-1, nw_parse_cycles("2.", 10000000, &m));
	EXPECT_EQ(87250, m);
	nw_cycles_name(87250, buf, sizeof(buf));
	EXPECT_STREQ("87.25", buf);
	nw_cycles_name(0, buf, sizeof(buf));
	EXPECT_STREQ("0", buf);
	nw_cycles_name(125, buf, sizeof(buf));
	EXPECT_STREQ("0.125", buf);
}

TEST_HARNESS_MAIN
