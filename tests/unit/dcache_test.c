// SPDX-License-Identifier: GPL-2.0
/*
 * The data-cache model (dcache.h): access by access against a reference
 * LRU hierarchy written here, on several geometries; then the page
 * walker's loads through it (Haswell's PAGE_WALKER_LOADS events count
 * walker loads by the level that served them), with exact counts.
 */
#include <stdlib.h>

#include "kselftest_harness.h"
#include "env.h"

/*
 * The reference: each line of a set carries the time of its last use;
 * a miss takes an empty slot or the one used longest ago. The same
 * hierarchy rules as dcache.h: looked up from level @from down, served
 * by the first level that holds the line, every level from @from to that
 * one (exclusive) filled; no inclusion, no back-invalidation.
 */
struct ref_level {
	u64 *tag;		/* line + 1, 0 empty */
	u64 *used;
	u32 sets, ways;
};

struct ref_cache {
	struct ref_level l[NW_DC_LEVELS];
	int n;
	u64 clock;
};

static void ref_init(struct ref_cache *r, const struct nw_dcache_cfg *c)
{
	int i;

	memset(r, 0, sizeof(*r));
	r->n = c->nlevels;
	for (i = 0; i < r->n; i++) {
		r->l[i].sets = c->l[i].sets;
		r->l[i].ways = c->l[i].ways;
		r->l[i].tag = calloc(c->l[i].sets * c->l[i].ways, 8);
		r->l[i].used = calloc(c->l[i].sets * c->l[i].ways, 8);
	}
}

static void ref_fini(struct ref_cache *r)
{
	int i;

	for (i = 0; i < r->n; i++) {
		free(r->l[i].tag);
		free(r->l[i].used);
	}
}

/* Slot of @line in level @l's set, or of the victim (*@hit false). */
static u32 ref_find(struct ref_level *l, u64 line, bool *hit)
{
	u32 base = (line % l->sets) * l->ways, w, victim = base;

	for (w = base; w < base + l->ways; w++) {
		if (l->tag[w] == line + 1) {
			*hit = true;
			return w;
		}
		if (l->used[w] < l->used[victim])
			victim = w;
	}
	*hit = false;
	return victim;
}

static int ref_load(struct ref_cache *r, u64 hpa, int from)
{
	u64 line = hpa >> 6;
	int lv, served = NW_DC_MEM;
	bool hit;
	u32 w;

	for (lv = from; lv < r->n; lv++) {
		w = ref_find(&r->l[lv], line, &hit);
		if (hit) {
			r->l[lv].used[w] = ++r->clock;
			served = lv;
			break;
		}
	}
	for (lv = from; lv < served && lv < r->n; lv++) {
		w = ref_find(&r->l[lv], line, &hit);
		r->l[lv].tag[w] = line + 1;
		r->l[lv].used[w] = ++r->clock;
	}
	return served;
}

static u64 xs(u64 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/*
 * 300,000 loads: a hot group of lines, random lines over four times the
 * hierarchy's capacity, strided runs, a tenth of them fetches (from L2).
 * Every load must be served by the same level in both models.
 */
static int compare(struct __test_metadata *_metadata,
		   const struct nw_dcache_cfg *c, u64 seed)
{
	u64 x = seed, cap = 0, addr = 0, served[NW_DC_MEM + 1] = { 0 };
	struct nw_dcache d;
	struct ref_cache r;
	int i, lv, want, got, from;

	for (i = 0; i < c->nlevels; i++)
		cap += (u64)c->l[i].sets * c->l[i].ways * 64;
	ASSERT_EQ(0, nw_dcache_init(&d, c));
	ref_init(&r, c);
	for (i = 0; i < 300000; i++) {
		switch (xs(&x) % 10) {
		case 0 ... 3:
			addr = (xs(&x) % 64) * 4096 + (x >> 20) % 4 * 64;
			break;
		case 4 ... 7:
			addr = xs(&x) % (4 * cap);
			break;
		default:
			addr += 64 * (1 + (x >> 32) % 3);
		}
		from = x % 10 == 9 && c->nlevels > 1;
		want = ref_load(&r, addr, from);
		got = nw_dcache_load(&d, addr, from);
		ASSERT_EQ(want, got) {
			TH_LOG("load %d of 0x%llx: %d, reference %d", i,
			       (unsigned long long)addr, got, want);
		}
		served[got]++;
	}
	/* Each level served some: the sequence exercised them all. */
	for (lv = 0; lv < c->nlevels; lv++)
		EXPECT_LT(1000, served[lv]);
	EXPECT_LT(1000, served[NW_DC_MEM]);
	nw_dcache_fini(&d);
	ref_fini(&r);
	return 0;
}

TEST(reference_lru_three_levels_l3_16_way)
{
	struct nw_dcache_cfg c = {
		.mode = NW_DC_DATA, .nlevels = 3, .mem_lat_m = 200000,
		.l = { { 64, 8, 4000 }, { 256, 4, 12000 },
		       { 1024, 16, 40000 } },
	};

	compare(_metadata, &c, 1);
}

TEST(reference_lru_12_way_l1_16_way_l2)
{
	struct nw_dcache_cfg c = {
		.mode = NW_DC_DATA, .nlevels = 2, .mem_lat_m = 200000,
		.l = { { 64, 12, 5000 }, { 512, 16, 14000 } },
	};

	compare(_metadata, &c, 7);
}

TEST(reference_lru_one_level_direct_mapped_and_32_way)
{
	struct nw_dcache_cfg dm = {
		.mode = NW_DC_WALKS, .nlevels = 1, .mem_lat_m = 100000,
		.l = { { 256, 1, 4000 } },
	};
	struct nw_dcache_cfg fa = {
		.mode = NW_DC_WALKS, .nlevels = 2, .mem_lat_m = 100000,
		.l = { { 1, 32, 4000 }, { 16, 32, 10000 } },
	};

	compare(_metadata, &dm, 3);
	compare(_metadata, &fa, 5);
}

TEST(geometry_checks)
{
	struct nw_dcache_cfg ok = {
		.mode = NW_DC_DATA, .nlevels = 1, .mem_lat_m = 1,
		.l = { { 64, 8, 4000 } },
	}, c;
	struct nw_dcache d;

	EXPECT_EQ(0, nw_dcache_check(&ok));
	c = ok;
	c.l[0].sets = 48;		/* not a power of two */
	EXPECT_EQ(-EINVAL, nw_dcache_check(&c));
	c = ok;
	c.l[0].ways = 33;
	EXPECT_EQ(-EINVAL, nw_dcache_check(&c));
	c = ok;
	c.l[0].sets = 1 << 16;		/* 2^16 x 32 lines: over 2^20 */
	c.l[0].ways = 32;
	EXPECT_EQ(-EINVAL, nw_dcache_check(&c));
	c = ok;
	c.l[0].lat_m = 0;
	EXPECT_EQ(-EINVAL, nw_dcache_check(&c));
	c = ok;
	c.nlevels = 0;
	EXPECT_EQ(-EINVAL, nw_dcache_check(&c));
	c = ok;
	c.mode = 3;
	EXPECT_EQ(-EINVAL, nw_dcache_check(&c));
	c = ok;
	c.mem_lat_m = 10000001;
	EXPECT_EQ(-EINVAL, nw_dcache_check(&c));
	/* Off: the geometry is not looked at, nothing is allocated. */
	c = ok;
	c.mode = NW_DC_OFF;
	c.nlevels = 0;
	EXPECT_EQ(0, nw_dcache_init(&d, &c));
	EXPECT_EQ(NULL, d.l[0].line);
	nw_dcache_fini(&d);
}

#define VA	0x7f1240000000ULL
#define GPA	0x40000000ULL

/*
 * A 4x4 EPT VM with no walk caches (every miss a whole 24-load walk)
 * and a small hierarchy: L1d 32 KiB 8-way (64 sets, as the presets'),
 * L2 64 KiB, LLC 512 KiB 16-way; latencies 4, 12, 40 and 200 cycles.
 */
FIXTURE(walkload) {
	struct env e;
	struct nw_vm *vm;
	struct nw_as *as;
};

static void walkload_cfg(struct nw_sim_cfg *cfg, int mode)
{
	env_cfg_bare(cfg);
	cfg->dcache = (struct nw_dcache_cfg){
		.mode = mode, .nlevels = 3, .mem_lat_m = 200000,
		.l = { { 64, 8, 4000 }, { 128, 8, 12000 },
		       { 512, 16, 40000 } },
	};
}

static int ept_setup(struct env *e, int mode, struct nw_vm **vm,
			  struct nw_as **as)
{
	struct nw_sim_cfg cfg;
	int err;

	walkload_cfg(&cfg, mode);
	err = env_init(e, &cfg);
	err = err ?: env_vm(e, NW_MODE_EPT, 4, 4, NW_PTE, 0, vm);
	err = err ?: nw_as_create(*vm, 1, as);
	err = err ?: nw_as_map(*as, VA, GPA, 0x10000, NW_PTE,
			       NW_X86_RW | NW_X86_US);
	/* The EPT built ahead: the first access walks once, no fault. */
	err = err ?: nw_vm_map(*vm, 0, ENV_GUEST_SIZE);
	if (!err)
		nw_vm_enter(e->s, *vm);
	return err;
}

FIXTURE_SETUP(walkload)
{
	ASSERT_EQ(0, ept_setup(&self->e, NW_DC_DATA, &self->vm,
				    &self->as));
}

FIXTURE_TEARDOWN(walkload)
{
	env_fini(&self->e);
}

static u64 cnt(struct nw_sim *s, enum nw_counter c)
{
	return nw_sim_counter(s, c);
}

/* Guest and host walk loads of data-access walks served at @lv. */
static u64 wl(struct nw_sim *s, int lv)
{
	return cnt(s, NW_C_WL(NW_DIM_GUEST, 0, lv)) +
	       cnt(s, NW_C_WL(NW_DIM_HOST, 0, lv));
}

/*
 * The first walk on a cold cache reads 24 entries in 10 lines: the
 * guest's PML4E, PDPTE, PDE and PTE (four tables, a line each); the
 * five host walks (of the guest's four tables at GPA 3 GiB + 0..12 KiB
 * and of the data at 1 GiB + 4 KiB) share the EPT PML4E line (entry 0)
 * and the EPT PDPT line (entries 1 and 3, bytes 8 and 24), use two EPT
 * PDs (one per GiB, entry 0 of each) and two EPT PTs (entries 0-3 of
 * one, entry 1 of the other). Each line's first load goes to memory,
 * the 14 others hit L1: eight of the ten lines are at offset 0..63 of
 * their page and share L1 set 0, whose 8 ways just hold them.
 */
TEST_F(walkload, cold_4x4_walk_each_line_from_memory_once)
{
	struct nw_sim *s = self->e.s;

	ASSERT_EQ(NW_OK, nw_access(s, VA + 0x1238, 1, NW_READ | NW_USER));
	EXPECT_EQ(24, cnt(s, NW_C_WALK_REFS));
	EXPECT_EQ(10, wl(s, NW_DC_MEM));
	EXPECT_EQ(14, wl(s, 0));
	EXPECT_EQ(0, wl(s, 1) + wl(s, 2));
	/* The guest's four lines are distinct: all from memory. */
	EXPECT_EQ(4, cnt(s, NW_C_WL_DTLB_MEM));
	EXPECT_EQ(0, cnt(s, NW_C_WL_DTLB_L1));
	EXPECT_EQ(6, cnt(s, NW_C_WL_EPT_DTLB_MEM));
	EXPECT_EQ(14, cnt(s, NW_C_WL_EPT_DTLB_L1));
	/* ... and the data line, from memory too: 11 misses in all. */
	EXPECT_EQ(11, cnt(s, NW_C_DCACHE_MISS));
	EXPECT_EQ(14, cnt(s, NW_C_DCACHE_L1_HIT));
	EXPECT_EQ(0, cnt(s, NW_C_WL_ITLB_MEM) + cnt(s, NW_C_WL_EPT_ITLB_MEM));
}

/*
 * The neighbouring page right after: its guest PTE (entry 2) shares the
 * line of entry 1, its data's EPT PTE (entry 2) that of entry 1, and
 * everything above is the same entries: 24 loads, 24 L1 hits.
 */
TEST_F(walkload, neighbour_walk_all_24_in_l1)
{
	struct nw_sim *s = self->e.s;

	ASSERT_EQ(NW_OK, nw_access(s, VA + 0x1238, 1, NW_READ | NW_USER));
	nw_sim_reset_counters(s);
	ASSERT_EQ(NW_OK, nw_access(s, VA + 0x2238, 1, NW_READ | NW_USER));
	EXPECT_EQ(1, cnt(s, NW_C_WALKS));
	EXPECT_EQ(24, cnt(s, NW_C_WALK_REFS));
	EXPECT_EQ(24, wl(s, 0));
	EXPECT_EQ(4, cnt(s, NW_C_WL_DTLB_L1));
	EXPECT_EQ(20, cnt(s, NW_C_WL_EPT_DTLB_L1));
	EXPECT_EQ(0, wl(s, NW_DC_MEM));
	/* The data line is new: memory. */
	EXPECT_EQ(1, cnt(s, NW_C_DCACHE_MISS));
}

/*
 * A sweep of twice the LLC (1 MiB, 16,384 lines) by another VM, native,
 * in one 2 MiB page (one walk of its own tables), pushes every line out
 * of every level: the same page's walk again finds its 10 lines in
 * memory and the 14 repeats in L1, as on a cold cache.
 */
TEST_F(walkload, sweep_of_twice_the_llc_sends_walk_back_to_memory)
{
	struct nw_sim *s = self->e.s;
	struct nw_vm *other;
	struct nw_as *as;
	u64 off;

	ASSERT_EQ(0, env_vm(&self->e, NW_MODE_NATIVE, 4, 0, NW_PTE, 0,
			    &other));
	ASSERT_EQ(0, nw_as_create(other, 1, &as));
	ASSERT_EQ(0, nw_as_map(as, VA, ENV_NATIVE_DATA, 2 << 20, NW_PDE,
			       NW_X86_RW));
	ASSERT_EQ(NW_OK, nw_access(s, VA + 0x1238, 1, NW_READ | NW_USER));
	nw_vm_enter(s, other);
	for (off = 0; off < 2 * 512 * 1024; off += 64)
		ASSERT_EQ(NW_OK, nw_access(s, VA + off, 1, NW_READ));
	EXPECT_EQ(16384, cnt(s, NW_C_DCACHE_MISS) - 11 - 3);
	nw_vm_enter(s, self->vm);
	env_flush_all(&self->e);
	nw_sim_reset_counters(s);
	ASSERT_EQ(NW_OK, nw_access(s, VA + 0x1238, 1, NW_READ | NW_USER));
	EXPECT_EQ(10, wl(s, NW_DC_MEM));
	EXPECT_EQ(14, wl(s, 0));
	EXPECT_EQ(0, wl(s, 1) + wl(s, 2));
}

/*
 * The cost of a walk is the sum of its loads' latencies (Documentation/
 * cost.rst): the neighbour walk's 24 L1 hits cost 24 x 4 cycles where
 * the fixed model charges 24 x 20; everything else is the same.
 */
TEST_F(walkload, walk_cycles_from_the_serving_levels)
{
	struct nw_sim *s = self->e.s;
	struct nw_vm *vm;
	struct nw_as *as;
	struct env off;
	u64 on_m, off_m;

	ASSERT_EQ(0, ept_setup(&off, NW_DC_OFF, &vm, &as));
	ASSERT_EQ(NW_OK, nw_access(s, VA + 0x1238, 1, NW_READ | NW_USER));
	ASSERT_EQ(NW_OK, nw_access(off.s, VA + 0x1238, 1,
				   NW_READ | NW_USER));
	/* Cold: 10 x 200 + 14 x 4 cycles against 24 x 20. */
	on_m = cnt(s, NW_C_MCYCLES);
	off_m = cnt(off.s, NW_C_MCYCLES);
	EXPECT_EQ(10 * 200000 + 14 * 4000, on_m - (off_m - 24 * 20000));
	nw_sim_reset_counters(s);
	nw_sim_reset_counters(off.s);
	ASSERT_EQ(NW_OK, nw_access(s, VA + 0x2238, 1, NW_READ | NW_USER));
	ASSERT_EQ(NW_OK, nw_access(off.s, VA + 0x2238, 1,
				   NW_READ | NW_USER));
	EXPECT_EQ(24 * 4000, cnt(s, NW_C_MCYCLES) -
		  (cnt(off.s, NW_C_MCYCLES) - 24 * 20000));
	/* Off: no load goes through a cache. */
	EXPECT_EQ(0, cnt(off.s, NW_C_DCACHE_L1_HIT) +
		  cnt(off.s, NW_C_DCACHE_MISS));
	env_fini(&off);
}

/*
 * A fetch's walk counts as an ITLB walk (PAGE_WALKER_LOADS.ITLB_* and
 * EPT_ITLB_*), its data line from L2 on: with walks-only, no data line.
 */
TEST(fetch_walk_loads_and_walks_only)
{
	struct nw_vm *vm;
	struct nw_as *as;
	struct env e;
	struct nw_sim *s;

	ASSERT_EQ(0, ept_setup(&e, NW_DC_WALKS, &vm, &as));
	s = e.s;
	ASSERT_EQ(NW_OK, nw_access(s, VA + 0x1238, 1, NW_FETCH | NW_USER));
	EXPECT_EQ(4, cnt(s, NW_C_WL_ITLB_MEM));
	EXPECT_EQ(6, cnt(s, NW_C_WL_EPT_ITLB_MEM));
	EXPECT_EQ(14, cnt(s, NW_C_WL_EPT_ITLB_L1));
	EXPECT_EQ(0, cnt(s, NW_C_WL_DTLB_MEM) + cnt(s, NW_C_WL_EPT_DTLB_L1));
	/* Walk loads only: 10 misses, not 11. */
	EXPECT_EQ(10, cnt(s, NW_C_DCACHE_MISS));
	/* A TLB hit loads nothing either. */
	ASSERT_EQ(NW_OK, nw_access(s, VA + 0x1000, 1, NW_READ | NW_USER));
	EXPECT_EQ(24, cnt(s, NW_C_DCACHE_L1_HIT) + cnt(s, NW_C_DCACHE_MISS));
	env_fini(&e);
}

/*
 * With the data lines on, a fetch's line skips L1d: a fetch of a line a
 * read brought in hits L2, and a read after a fetch misses L1d but hits
 * L2.
 */
TEST_F(walkload, fetch_lines_from_l2)
{
	struct nw_sim *s = self->e.s;

	ASSERT_EQ(NW_OK, nw_access(s, VA + 0x1238, 1, NW_READ | NW_USER));
	nw_sim_reset_counters(s);
	ASSERT_EQ(NW_OK, nw_access(s, VA + 0x1238, 1, NW_FETCH | NW_USER));
	EXPECT_EQ(1, cnt(s, NW_C_DCACHE_L2_HIT));
	ASSERT_EQ(NW_OK, nw_access(s, VA + 0x1638, 1, NW_FETCH | NW_USER));
	ASSERT_EQ(NW_OK, nw_access(s, VA + 0x1638, 1, NW_READ | NW_USER));
	EXPECT_EQ(2, cnt(s, NW_C_DCACHE_L2_HIT));
	EXPECT_EQ(1, cnt(s, NW_C_DCACHE_MISS));
	/* The read filled L1d: once more, an L1 hit. */
	ASSERT_EQ(NW_OK, nw_access(s, VA + 0x1638, 1, NW_READ | NW_USER));
	EXPECT_EQ(1, cnt(s, NW_C_DCACHE_L1_HIT));
}

TEST_HARNESS_MAIN
