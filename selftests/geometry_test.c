// SPDX-License-Identifier: GPL-2.0
/*
 * nestwalk selftests: an explicit TLB hierarchy in NESTWALK_IOC_CONFIG.
 * Written out level by level, the nehalem preset's TLB gives the preset's
 * counters exactly; a geometry's size shows in the misses as an LRU model
 * predicts; every geometry the model cannot build is refused with EINVAL
 * and leaves the session's machine as it was.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/nestwalk.h>

#include "kselftest_harness.h"
#include "nwtest.h"

#define MEM		(8 * SZ_2M)	/* guest memory at gpa 0 */
#define DATA_LEN	(4 * SZ_2M)	/* mapped at GVA, 1024 pages */
#define GVA		0x40000000UL
#define NCOUNTERS	128

#define K4	NESTWALK_TLB_SIZE(NESTWALK_PAGE_4K)
#define M2	NESTWALK_TLB_SIZE(NESTWALK_PAGE_2M)
#define G1	NESTWALK_TLB_SIZE(NESTWALK_PAGE_1G)

/* The nehalem preset's TLB, as module/core/presets.c builds it. */
static const struct nestwalk_tlb_level nehalem[] = {
	{
		.latency_milli = 1000,
		.arrays = {
			{ .sizes = K4, .entries = 64, .ways = 4 },
			{ .sizes = M2, .entries = 32, .ways = 4 },
		},
	}, {
		.flags = NESTWALK_TLB_VICTIM, .latency_milli = 7000,
		.arrays = { { .sizes = K4, .entries = 512, .ways = 4 } },
	},
};

struct session {
	int fd;
	void *mem;
	__u64 vm;
	char dir[128];
};

static void session_close(struct session *s)
{
	if (s->fd >= 0)
		close(s->fd);
	if (s->mem && s->mem != MAP_FAILED)
		munmap(s->mem, MEM);
	s->fd = -1;
	s->mem = NULL;
}

/*
 * A session configured by @cfg with one native 4-level VM whose guest
 * memory maps DATA_LEN at GVA with 4 KiB pages. 0, or -errno.
 */
static int session_open(struct session *s, struct nestwalk_config *cfg)
{
	struct nestwalk_vm_create vc = {
		.size = sizeof(vc), .mode = NESTWALK_MODE_NATIVE,
		.guest_levels = 4,
	};
	struct nestwalk_memslot ms = {
		.size = sizeof(ms), .gpa = 0, .memory_size = MEM,
	};
	struct nestwalk_map m = {
		.size = sizeof(m), .gva = GVA, .gpa = 0, .length = DATA_LEN,
		.leaf = NESTWALK_PAGE_4K, .prot = NESTWALK_PROT_WRITE,
	};
	int err;

	s->mem = mmap(NULL, MEM, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	s->fd = open(NW_DEV, O_RDWR | O_CLOEXEC);
	if (s->mem == MAP_FAILED || s->fd < 0)
		goto fail;
	nwt_newest_session(s->dir, sizeof(s->dir));
	if (ioctl(s->fd, NESTWALK_IOC_CONFIG, cfg) ||
	    ioctl(s->fd, NESTWALK_IOC_VM_CREATE, &vc))
		goto fail;
	s->vm = ms.vm_id = m.vm_id = vc.vm_id;
	ms.userspace_addr = (unsigned long)s->mem;
	if (ioctl(s->fd, NESTWALK_IOC_MEMSLOT, &ms) ||
	    ioctl(s->fd, NESTWALK_IOC_MAP, &m))
		goto fail;
	return 0;
fail:
	err = -errno;
	session_close(s);
	return err;
}

/*
 * Run @count accesses of @pattern (strided: a page apart); @deltas gets
 * what they added.
 */
static int generate(struct session *s, __u64 pattern, __u64 length,
		    __u64 count, __u64 *deltas)
{
	struct nestwalk_generate g = {
		.size = sizeof(g), .vm_id = s->vm, .pattern = pattern,
		.base = GVA, .length = length, .stride = 4096,
		.theta_milli = 990,
		.write_pct = 20, .seed = 42, .count = count,
		.deltas = (unsigned long)deltas, .ndeltas = NCOUNTERS,
	};

	memset(deltas, 0, NCOUNTERS * sizeof(*deltas));
	return ioctl(s->fd, NESTWALK_IOC_GENERATE, &g) ? -errno : 0;
}

/* Index of counter @name in the session's stats file. */
static int counter(struct session *s, const char *name)
{
	char path[192];
	int line = -1;

	snprintf(path, sizeof(path), "%s/stats", s->dir);
	nwt_value(path, name, &line);
	return line;
}

FIXTURE(geometry) {
	struct session a, b;
};

FIXTURE_SETUP(geometry)
{
	self->a.fd = self->b.fd = -1;
	self->a.mem = self->b.mem = NULL;
	if (geteuid())
		NWT_SETUP_SKIP(return, "must be root");
	if (access(NW_DEV, F_OK))
		NWT_SETUP_SKIP(return, NW_DEV " missing: module not loaded");
}

FIXTURE_TEARDOWN(geometry)
{
	session_close(&self->a);
	session_close(&self->b);
}

/* The preset's TLB written out gives the preset's counters, every one. */
NWT_TEST_F(geometry, explicit_nehalem_equals_preset)
{
	struct nestwalk_config pre = {
		.size = sizeof(pre), .preset = NESTWALK_PRESET_NEHALEM,
		.seed = 7,
	};
	struct nestwalk_config exp = pre;
	__u64 da[NCOUNTERS], db[NCOUNTERS];
	const char *cfg;
	char path[192];
	int i, miss;

	exp.tlb_levels = (unsigned long)nehalem;
	exp.ntlb_levels = 2;
	ASSERT_EQ(0, session_open(&self->a, &pre));
	ASSERT_EQ(0, session_open(&self->b, &exp));
	ASSERT_EQ(0, generate(&self->a, NESTWALK_GEN_ZIPF, DATA_LEN, 300000,
			      da));
	ASSERT_EQ(0, generate(&self->b, NESTWALK_GEN_ZIPF, DATA_LEN, 300000,
			      db));
	miss = counter(&self->a, "tlb_miss");
	ASSERT_LE(0, miss);
	/* A trace that exercises both levels and the walker. */
	EXPECT_LT(1000, da[miss]);
	EXPECT_LT(1000, da[counter(&self->a, "tlb_l2_hit")]);
	for (i = 0; i < NCOUNTERS; i++)
		EXPECT_EQ(da[i], db[i]) TH_LOG("counter %d", i);

	snprintf(path, sizeof(path), "%s/config", self->b.dir);
	cfg = nwt_file(path);
	EXPECT_NE(NULL, strstr(cfg, "tlb_geometry explicit\n"));
	EXPECT_NE(NULL, strstr(cfg, "tlb level 1 array 0 entries 64 ways 4 sizes 4k repl lru latency_mcycles 1000 victim 0\n"));
	EXPECT_NE(NULL, strstr(cfg, "tlb level 1 array 1 entries 32 ways 4 sizes 2m repl lru latency_mcycles 1000 victim 0\n"));
	EXPECT_NE(NULL, strstr(cfg, "tlb level 2 array 0 entries 512 ways 4 sizes 4k repl lru latency_mcycles 7000 victim 1\n"));
	snprintf(path, sizeof(path), "%s/config", self->a.dir);
	cfg = nwt_file(path);
	EXPECT_NE(NULL, strstr(cfg, "tlb_geometry preset\n"));
	EXPECT_NE(NULL, strstr(cfg, "tlb level 2 array 0 entries 512 ways 4 sizes 4k repl lru latency_mcycles 7000 victim 1\n"));
}

/*
 * A cyclic sweep over 64 pages: a fully associative LRU array of 64
 * entries misses only on the first pass; one of 32 entries always evicts
 * the page needed next, so every access misses.
 */
NWT_TEST_F(geometry, sweep_within_and_beyond_reach)
{
	struct nestwalk_tlb_level l = {
		.latency_milli = 1000,
		.arrays = { { .sizes = K4, .entries = 64 } },
	};
	struct nestwalk_config cfg = {
		.size = sizeof(cfg), .preset = NESTWALK_PRESET_NEHALEM,
		.tlb_levels = (unsigned long)&l, .ntlb_levels = 1,
	};
	__u64 d[NCOUNTERS];
	int miss, acc;

	ASSERT_EQ(0, session_open(&self->a, &cfg));
	l.arrays[0].entries = 32;
	ASSERT_EQ(0, session_open(&self->b, &cfg));
	miss = counter(&self->a, "tlb_miss");
	acc = counter(&self->a, "accesses");
	ASSERT_LE(0, miss);
	ASSERT_LE(0, acc);

	/* Strided by a page: page 0, 1, ... 63, 0, 1, ... */
	ASSERT_EQ(0, generate(&self->a, NESTWALK_GEN_STRIDED, 64 * 4096,
			      64 * 4, d));
	EXPECT_EQ(64, d[miss]);
	ASSERT_EQ(0, generate(&self->a, NESTWALK_GEN_STRIDED, 64 * 4096,
			      64 * 10, d));
	EXPECT_EQ(640, d[acc]);
	EXPECT_EQ(0, d[miss]);

	ASSERT_EQ(0, generate(&self->b, NESTWALK_GEN_STRIDED, 64 * 4096,
			      64 * 10, d));
	EXPECT_EQ(640, d[acc]);
	EXPECT_EQ(640, d[miss]);
}

/* Geometries the model cannot build: EINVAL, and nothing changes. */
NWT_TEST_F(geometry, invalid_geometries_refused)
{
	static const struct {
		const char *what;
		struct nestwalk_tlb_level l[2];
		__u64 n;
	} bad[] = {
#define ONE(s, e, w, r) { .latency_milli = 1000, .arrays = { { s, e, w, r } } }
		{ "victim first level", { { .flags = NESTWALK_TLB_VICTIM,
			.arrays = { { K4, 64, 4, 0 } } } }, 1 },
		{ "unknown level flag", { { .flags = 4,
			.arrays = { { K4, 64, 4, 0 } } } }, 1 },
		{ "shared data level", { ONE(K4, 64, 4, 0), {
			.flags = NESTWALK_TLB_SHARED } }, 2 },
		{ "reserved", { { .reserved = { 1 },
			.arrays = { { K4, 64, 4, 0 } } } }, 1 },
		{ "latency", { { .latency_milli = 1000001,
			.arrays = { { K4, 64, 4, 0 } } } }, 1 },
		{ "no array", { { .latency_milli = 1000 } }, 1 },
		{ "entries without sizes", { { .arrays = {
			{ K4, 64, 4, 0 }, { 0, 8, 0, 0 } } } }, 1 },
		{ "not a page size", { ONE(1, 64, 4, 0) }, 1 },
		{ "512G pages", { ONE(16, 64, 4, 0) }, 1 },
		{ "no entries", { ONE(K4, 0, 0, 0) }, 1 },
		{ "too many entries", { ONE(K4, 65537, 1, 0) }, 1 },
		{ "ways beyond entries", { ONE(K4, 64, 65, 0) }, 1 },
		{ "ways do not divide", { ONE(K4, 64, 3, 0) }, 1 },
		{ "sets not a power of two", { ONE(K4, 96, 4, 0) }, 1 },
		{ "replacement", { ONE(K4, 64, 4, 3) }, 1 },
		{ "plru of 12 ways", { ONE(K4, 48, 12, 1) }, 1 },
		{ "plru of 128 ways", { ONE(K4, 128, 0, 1) }, 1 },
		{ "128 ways", { ONE(K4, 256, 128, 0) }, 1 },
		{ "fully associative, 1024", { ONE(K4, 1024, 0, 0) }, 1 },
		{ "one size, two arrays", { { .arrays = {
			{ K4 | M2, 64, 4, 0 }, { M2, 32, 4, 0 } } } }, 1 },
		{ "bad second level", { ONE(K4, 64, 4, 0),
			{ .flags = NESTWALK_TLB_VICTIM,
			  .arrays = { { G1, 24, 8, 0 } } } }, 2 },
#undef ONE
	};
	static const struct nestwalk_tlb_level three[] = {
		{ .latency_milli = 500, .arrays = {
			{ K4 | M2 | G1, 64, 0, NESTWALK_REPL_PLRU } } },
		{ .latency_milli = 7000, .arrays = {
			{ K4 | M2, 1536, 12, 0 },
			{ G1, 16, 4, NESTWALK_REPL_RANDOM } } },
		{ .flags = NESTWALK_TLB_VICTIM, .latency_milli = 20000,
		  .arrays = { { K4, 65536, 16, 0 } } },
	};
	struct nestwalk_config cfg = {
		.size = sizeof(cfg), .preset = NESTWALK_PRESET_NEHALEM,
		.tlb_levels = (unsigned long)nehalem, .ntlb_levels = 2,
	};
	const char *before;
	char path[192], was[4096];
	unsigned int i;

	self->a.fd = open(NW_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->a.fd);
	nwt_newest_session(self->a.dir, sizeof(self->a.dir));
	ASSERT_EQ(0, ioctl(self->a.fd, NESTWALK_IOC_CONFIG, &cfg));
	snprintf(path, sizeof(path), "%s/config", self->a.dir);
	before = nwt_file(path);
	ASSERT_NE(NULL, strstr(before, "tlb level 2 array 0 entries 512"));
	snprintf(was, sizeof(was), "%s", before);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cfg.tlb_levels = (unsigned long)bad[i].l;
		cfg.ntlb_levels = bad[i].n;
		EXPECT_EQ(-1, ioctl(self->a.fd, NESTWALK_IOC_CONFIG, &cfg))
			TH_LOG("%s accepted", bad[i].what);
		EXPECT_EQ(EINVAL, errno) TH_LOG("%s", bad[i].what);
	}
	/* Four levels; a pointer without a count; a bad pointer. */
	cfg.tlb_levels = (unsigned long)nehalem;
	cfg.ntlb_levels = 4;
	EXPECT_EQ(-1, ioctl(self->a.fd, NESTWALK_IOC_CONFIG, &cfg));
	EXPECT_EQ(EINVAL, errno);
	cfg.ntlb_levels = 0;
	EXPECT_EQ(-1, ioctl(self->a.fd, NESTWALK_IOC_CONFIG, &cfg));
	EXPECT_EQ(EINVAL, errno);
	cfg.tlb_levels = 16;
	cfg.ntlb_levels = 1;
	EXPECT_EQ(-1, ioctl(self->a.fd, NESTWALK_IOC_CONFIG, &cfg));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_STREQ(was, nwt_file(path));

	/* Still configurable, and a 3-level unified geometry builds. */
	cfg.tlb_levels = (unsigned long)three;
	cfg.ntlb_levels = 3;
	ASSERT_EQ(0, ioctl(self->a.fd, NESTWALK_IOC_CONFIG, &cfg));
	before = nwt_file(path);
	EXPECT_NE(NULL, strstr(before, "tlb level 1 array 0 entries 64 ways 64 sizes 4k,2m,1g repl plru latency_mcycles 500 victim 0\n"));
	EXPECT_NE(NULL, strstr(before, "tlb level 2 array 1 entries 16 ways 4 sizes 1g repl random latency_mcycles 7000 victim 0\n"));
	EXPECT_NE(NULL, strstr(before, "tlb level 3 array 0 entries 65536 ways 16 sizes 4k repl lru latency_mcycles 20000 victim 1\n"));
}

/*
 * API 4: an explicit instruction TLB, its second level shared with the
 * data level 2 (Skylake's STLB), shown by the session's config; the
 * geometries the model cannot build are refused with EINVAL.
 */
NWT_TEST_F(geometry, itlb_geometries)
{
	static const struct nestwalk_tlb_level itlb[] = {
		{ .latency_milli = 1000, .arrays = {
			{ K4, 128, 8, NESTWALK_REPL_PLRU }, { M2, 8, 0, 0 } } },
		{ .flags = NESTWALK_TLB_SHARED },
	};
	static const struct {
		const char *what;
		struct nestwalk_tlb_level l[2];
		__u64 n, flags, ndata;
	} bad[] = {
		{ "shared first level", { { .flags = NESTWALK_TLB_SHARED } },
		  1, 0, 0 },
		{ "victim first level", { { .flags = NESTWALK_TLB_VICTIM,
			.arrays = { { K4, 64, 4, 0 } } } }, 1, 0, 0 },
		{ "shared with arrays", { itlb[0], {
			.flags = NESTWALK_TLB_SHARED,
			.arrays = { { K4, 64, 4, 0 } } } }, 2, 0, 0 },
		{ "shared with latency", { itlb[0], {
			.flags = NESTWALK_TLB_SHARED, .latency_milli = 7000 } },
		  2, 0, 0 },
		{ "shared victim", { itlb[0], { .flags = NESTWALK_TLB_SHARED |
						NESTWALK_TLB_VICTIM } },
		  2, 0, 0 },
		{ "shared, no data level 2", { itlb[0], itlb[1] }, 2, 0, 1 },
		{ "with unified", { itlb[0] }, 1, NESTWALK_CFG_UNIFIED_TLB, 0 },
		{ "no array", { { .latency_milli = 1000 } }, 1, 0, 0 },
	};
	struct nestwalk_config cfg = {
		.size = sizeof(cfg), .preset = NESTWALK_PRESET_SKYLAKE,
		.itlb_levels = (unsigned long)itlb, .nitlb_levels = 2,
	};
	const char *now;
	char path[192];
	unsigned int i;

	self->a.fd = open(NW_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->a.fd);
	nwt_newest_session(self->a.dir, sizeof(self->a.dir));
	snprintf(path, sizeof(path), "%s/config", self->a.dir);
	ASSERT_EQ(0, ioctl(self->a.fd, NESTWALK_IOC_CONFIG, &cfg));
	now = nwt_file(path);
	EXPECT_NE(NULL, strstr(now, "itlb_geometry explicit\n"));
	EXPECT_NE(NULL, strstr(now, "tlb itlb level 1 array 0 entries 128 ways 8 sizes 4k repl plru latency_mcycles 1000 victim 0\n"));
	EXPECT_NE(NULL, strstr(now, "tlb itlb level 1 array 1 entries 8 ways 8 sizes 2m repl lru latency_mcycles 1000 victim 0\n"));
	EXPECT_NE(NULL, strstr(now, "tlb itlb level 2 shared\n"));

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cfg.itlb_levels = (unsigned long)bad[i].l;
		cfg.nitlb_levels = bad[i].n;
		cfg.flags = bad[i].flags;
		cfg.tlb_levels = bad[i].ndata ? (unsigned long)nehalem : 0;
		cfg.ntlb_levels = bad[i].ndata;
		EXPECT_EQ(-1, ioctl(self->a.fd, NESTWALK_IOC_CONFIG, &cfg))
			TH_LOG("%s accepted", bad[i].what);
		EXPECT_EQ(EINVAL, errno) TH_LOG("%s", bad[i].what);
	}
	cfg.flags = 0;
	cfg.tlb_levels = 0;
	cfg.ntlb_levels = 0;
	cfg.nitlb_levels = 0;
	EXPECT_EQ(-1, ioctl(self->a.fd, NESTWALK_IOC_CONFIG, &cfg));
	EXPECT_EQ(EINVAL, errno);

	/* The preset's ITLB over one data level stops above its shared one. */
	cfg.itlb_levels = 0;
	cfg.tlb_levels = (unsigned long)nehalem;
	cfg.ntlb_levels = 1;
	ASSERT_EQ(0, ioctl(self->a.fd, NESTWALK_IOC_CONFIG, &cfg));
	now = nwt_file(path);
	EXPECT_NE(NULL, strstr(now, "itlb_geometry preset\n"));
	EXPECT_NE(NULL, strstr(now, "tlb itlb level 1 array 0 entries 128"));
	EXPECT_EQ(NULL, strstr(now, "tlb itlb level 2"));
	/* Unified: no instruction TLB. */
	cfg.flags = NESTWALK_CFG_UNIFIED_TLB;
	ASSERT_EQ(0, ioctl(self->a.fd, NESTWALK_IOC_CONFIG, &cfg));
	now = nwt_file(path);
	EXPECT_NE(NULL, strstr(now, "itlb_geometry unified\n"));
	EXPECT_EQ(NULL, strstr(now, "tlb itlb"));
}

NWT_REQUIRE(NWT_ROOT | NWT_MODULE | NWT_DEBUGFS)

TEST_HARNESS_MAIN
