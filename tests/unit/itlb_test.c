// SPDX-License-Identifier: GPL-2.0
/*
 * Split TLBs and splintering. Fetches look up and fill the instruction
 * TLB (Intel Optimization Reference Manual, Nehalem and Skylake TLB
 * tables: separate first-level ITLB and DTLB, the STLB shared; AMD
 * Software Optimization Guide for Family 17h Models 30h+: separate L1 and
 * L2 ITLB). A page size a level has no array for is held as smaller
 * entries (SDM 4.10.2.3), all of which INVLPG removes (SDM 4.10.4.1).
 * Native mode throughout: one walk per miss, no exits.
 */
#include "kselftest_harness.h"
#include "env.h"

#define DATA	0x0000010000000ULL	/* 4 KiB pages */
#define CODE	0x0000020000000ULL	/* 4 KiB pages */
#define OTHER	0x0000030000000ULL	/* 4 KiB pages */
#define HUGE	0x0000040000000ULL	/* one 1 GiB page */
#define PG	NW_PAGE_SIZE
#define GIB	(1ULL << 30)
#define MIB2	(2ULL << 20)

/* A native VM on preset @p (@cfg: NULL, or changed by the caller). */
static int native(struct env *e, int p, struct nw_sim_cfg *cfg)
{
	struct nw_sim_cfg own;
	struct nw_vm *vm;
	struct nw_as *as;
	int err;

	if (!cfg) {
		cfg = &own;
		if (nw_preset(p, cfg))
			return -EINVAL;
		/* The 1 GiB page below, also where the CPU lacks them. */
		cfg->caps |= NW_CAP_PDPE1GB;
	}
	err = env_init(e, cfg);
	err = err ?: env_vm(e, NW_MODE_NATIVE, 4, 0, NW_PTE, 0, &vm);
	err = err ?: nw_as_create(vm, 0, &as);
	err = err ?: nw_as_map(as, DATA, ENV_NATIVE_DATA, 16ULL << 20, NW_PTE,
			       NW_X86_RW);
	err = err ?: nw_as_map(as, CODE, ENV_NATIVE_DATA + (16ULL << 20),
			       16ULL << 20, NW_PTE, NW_X86_RW);
	err = err ?: nw_as_map(as, OTHER, ENV_NATIVE_DATA + (32ULL << 20),
			       16ULL << 20, NW_PTE, NW_X86_RW);
	err = err ?: nw_as_map(as, HUGE, 16 * GIB, GIB, NW_PDPTE, NW_X86_RW);
	if (!err)
		nw_vm_enter(e->s, vm);
	return err;
}

static u64 c(struct nw_sim *s, enum nw_counter n)
{
	return nw_sim_counter(s, n);
}

/*
 * Skylake's ITLB and DTLB are separate: a read after a fetch of the same
 * page misses the DTLB and walks again (one fill of each).
 */
TEST(skylake_fetch_then_read_fills_both)
{
	struct env e;
	struct nw_sim *s;

	ASSERT_EQ(0, native(&e, NW_PRESET_SKYLAKE, NULL));
	s = e.s;
	ASSERT_EQ(NW_OK, nw_access(s, CODE, 0, NW_FETCH));
	ASSERT_EQ(NW_OK, nw_access(s, CODE + 64, 0, NW_READ));
	EXPECT_EQ(1, c(s, NW_C_ITLB_MISS));
	EXPECT_EQ(1, c(s, NW_C_TLB_MISS));
	EXPECT_EQ(0, c(s, NW_C_TLB_L1_HIT));
	EXPECT_EQ(2, c(s, NW_C_WALKS));
	/* Each now hits its own first level. */
	ASSERT_EQ(NW_OK, nw_access(s, CODE + 128, 0, NW_FETCH));
	ASSERT_EQ(NW_OK, nw_access(s, CODE + 192, 0, NW_READ));
	EXPECT_EQ(1, c(s, NW_C_ITLB_L1_HIT));
	EXPECT_EQ(1, c(s, NW_C_TLB_L1_HIT));
	EXPECT_EQ(2, c(s, NW_C_WALKS));
	env_fini(&e);
}

/*
 * 64 data pages interleaved with 64 code pages, two passes, as a batch
 * (the memo path). Split: each set fits its first level (DTLB 64 x 4-way,
 * ITLB 128 x 8-way), so the second pass hits 64 + 64 times at level 1.
 * Unified (the data TLB for both, as before API 4), 128 pages share the
 * DTLB's 4-way sets eight to a set: every second-pass access goes to the
 * STLB.
 */
static void interleave(struct __test_metadata *_metadata, struct env *e,
		       bool split, u64 *figures)
{
	struct nw_sim_cfg cfg;
	struct nw_acc acc[256] = { 0 };
	int i;

	ASSERT_EQ(0, nw_preset(NW_PRESET_SKYLAKE, &cfg));
	if (!split)
		cfg.tlb.nilevels = 0;
	ASSERT_EQ(0, native(e, 0, &cfg));
	for (i = 0; i < 256; i++) {
		acc[i].va = (i & 1 ? CODE : DATA) + (i / 2 % 64) * PG;
		acc[i].kind = i & 1 ? NW_FETCH : NW_READ;
	}
	nw_access_batch(e->s, acc, 128);
	nw_sim_reset_counters(e->s);
	nw_access_batch(e->s, acc + 128, 128);
	figures[0] = c(e->s, NW_C_TLB_L1_HIT);
	figures[1] = c(e->s, NW_C_TLB_L2_HIT);
	figures[2] = c(e->s, NW_C_ITLB_L1_HIT);
	figures[3] = c(e->s, NW_C_WALKS);
	env_fini(e);
}

TEST(skylake_code_does_not_evict_data)
{
	struct env e;
	u64 f[4];

	interleave(_metadata, &e, true, f);
	EXPECT_EQ(64, f[0]);
	EXPECT_EQ(0, f[1]);
	EXPECT_EQ(64, f[2]);
	EXPECT_EQ(0, f[3]);
	interleave(_metadata, &e, false, f);
	EXPECT_EQ(0, f[0]);
	EXPECT_EQ(128, f[1]);
	EXPECT_EQ(0, f[2]);
	EXPECT_EQ(0, f[3]);
}

/*
 * A code page pushed out of the first-level ITLB goes to the shared
 * second level (a victim level), where a data read finds it: Skylake's
 * STLB and Nehalem's L2 TLB serve instructions and data. @ways + 1 pages
 * of one ITLB set (@sets sets) push the first out.
 */
static void shared_level(struct __test_metadata *_metadata, int preset,
			 u64 sets, u64 ways)
{
	struct env e;
	struct nw_sim *s;
	u64 k;

	ASSERT_EQ(0, native(&e, preset, NULL));
	s = e.s;
	for (k = 0; k <= ways; k++)
		ASSERT_EQ(NW_OK, nw_access(s, CODE + k * sets * PG, 0,
					   NW_FETCH));
	EXPECT_EQ(ways + 1, c(s, NW_C_ITLB_MISS));
	ASSERT_EQ(NW_OK, nw_access(s, CODE, 0, NW_READ));
	EXPECT_EQ(1, c(s, NW_C_TLB_L2_HIT));
	EXPECT_EQ(0, c(s, NW_C_TLB_MISS));
	EXPECT_EQ(ways + 1, c(s, NW_C_WALKS));
	/* The read moved it to the DTLB: a fetch misses the ITLB. */
	ASSERT_EQ(NW_OK, nw_access(s, CODE, 0, NW_FETCH));
	EXPECT_EQ(ways + 2, c(s, NW_C_ITLB_MISS));
	env_fini(&e);
}

TEST(skylake_stlb_is_shared)
{
	shared_level(_metadata, NW_PRESET_SKYLAKE, 16, 8);
}

TEST(nehalem_l2_is_shared)
{
	shared_level(_metadata, NW_PRESET_NEHALEM, 32, 4);
}

/*
 * Zen 2: a 1 GiB page pushed out of the fully associative L1 DTLB by 256
 * 4 KiB pages moves to the L2, which holds it as the 2 MiB entry of the
 * part that was read (the AMD guide's smashing; SDM 4.10.2.3). Another
 * 2 MiB part of the page misses.
 */
TEST(zen2_1g_page_in_l2_as_2m)
{
	struct env e;
	struct nw_sim *s;
	u64 k;

	ASSERT_EQ(0, native(&e, NW_PRESET_ZEN2, NULL));
	s = e.s;
	ASSERT_EQ(NW_OK, nw_access(s, HUGE + 5 * MIB2 + 64, 0, NW_READ));
	for (k = 0; k < 256; k++)
		ASSERT_EQ(NW_OK, nw_access(s, OTHER + k * PG, 0, NW_READ));
	EXPECT_EQ(257, c(s, NW_C_WALKS));
	ASSERT_EQ(NW_OK, nw_access(s, HUGE + 5 * MIB2 + 7 * PG, 0, NW_READ));
	EXPECT_EQ(1, c(s, NW_C_TLB_L2_HIT));
	EXPECT_EQ(257, c(s, NW_C_WALKS));
	ASSERT_EQ(NW_OK, nw_access(s, HUGE + 9 * MIB2, 0, NW_READ));
	EXPECT_EQ(258, c(s, NW_C_WALKS));
	env_fini(&e);
}

/*
 * Nehalem has no 1 GiB array: given the capability (caps_test.c shows
 * the preset's own refusal), 100 reads of one 1 GiB page walk once, the
 * page held as a 2 MiB entry of its DTLB (SDM 4.10.2.3).
 */
TEST(nehalem_1g_page_splintered_to_2m)
{
	struct env e;
	struct nw_sim *s;
	int i;

	ASSERT_EQ(0, native(&e, NW_PRESET_NEHALEM, NULL));
	s = e.s;
	for (i = 0; i < 100; i++)
		ASSERT_EQ(NW_OK, nw_access(s, HUGE + 3 * MIB2 + i * 4096, 0,
					   NW_READ));
	EXPECT_EQ(1, c(s, NW_C_WALKS));
	EXPECT_EQ(99, c(s, NW_C_TLB_L1_HIT));
	env_fini(&e);
}

/*
 * SDM 4.10.4.1 (INVLPG's footnote): of a page cached as several entries,
 * INVLPG of any address in the page removes all of them, also those of
 * parts the address is not in. Instruction TLB entries go too.
 */
TEST(invlpg_removes_every_splinter)
{
	struct env e;
	struct nw_sim *s;

	ASSERT_EQ(0, native(&e, NW_PRESET_NEHALEM, NULL));
	s = e.s;
	ASSERT_EQ(NW_OK, nw_access(s, HUGE + 3 * MIB2, 0, NW_READ));
	ASSERT_EQ(NW_OK, nw_access(s, HUGE + 4 * MIB2, 0, NW_READ));
	ASSERT_EQ(NW_OK, nw_access(s, HUGE + 4 * MIB2, 0, NW_FETCH));
	ASSERT_EQ(NW_OK, nw_access(s, HUGE + 3 * MIB2 + PG, 0, NW_READ));
	EXPECT_EQ(3, c(s, NW_C_WALKS));
	EXPECT_EQ(1, c(s, NW_C_TLB_L1_HIT));
	/* A third part: the entries of the other two go, both TLBs. */
	nw_invlpg(s, HUGE + 100 * MIB2);
	ASSERT_EQ(NW_OK, nw_access(s, HUGE + 3 * MIB2, 0, NW_READ));
	ASSERT_EQ(NW_OK, nw_access(s, HUGE + 4 * MIB2, 0, NW_READ));
	ASSERT_EQ(NW_OK, nw_access(s, HUGE + 4 * MIB2, 0, NW_FETCH));
	EXPECT_EQ(6, c(s, NW_C_WALKS));
	EXPECT_EQ(1, c(s, NW_C_TLB_L1_HIT));
	EXPECT_EQ(2, c(s, NW_C_ITLB_MISS));
	/* A 4 KiB page's INVLPG leaves the page next to it. */
	ASSERT_EQ(NW_OK, nw_access(s, DATA, 0, NW_READ));
	ASSERT_EQ(NW_OK, nw_access(s, DATA + PG, 0, NW_READ));
	nw_invlpg(s, DATA);
	ASSERT_EQ(NW_OK, nw_access(s, DATA + PG, 0, NW_READ));
	EXPECT_EQ(8, c(s, NW_C_WALKS));
	env_fini(&e);
}

/*
 * The same for a guest 2 MiB page over 4 KiB EPT pages, cached as 4 KiB
 * combined mappings (SDM 28.4.1 "the smaller of the two page sizes"): an
 * INVLPG of one address of the guest's page removes every part of it.
 */
TEST(invlpg_removes_every_part_of_a_guest_large_page)
{
	struct nw_sim_cfg cfg;
	struct nw_vm *vm;
	struct nw_as *as;
	struct env e;
	struct nw_sim *s;

	env_cfg_bare(&cfg);
	ASSERT_EQ(0, env_init(&e, &cfg));
	s = e.s;
	ASSERT_EQ(0, env_vm(&e, NW_MODE_EPT, 4, 4, NW_PTE, 1, &vm));
	ASSERT_EQ(0, nw_as_create(vm, 0, &as));
	ASSERT_EQ(0, nw_as_map(as, DATA, 64 * MIB2, MIB2, NW_PDE, NW_X86_RW));
	nw_vm_enter(s, vm);
	ASSERT_EQ(NW_OK, nw_access(s, DATA, 0, NW_READ));
	ASSERT_EQ(NW_PTE, s->last.size);
	ASSERT_EQ(NW_OK, nw_access(s, DATA + 5 * PG, 0, NW_READ));
	/* Both parts cached (their EPT leaves built by now). */
	nw_sim_reset_counters(s);
	ASSERT_EQ(NW_OK, nw_access(s, DATA, 0, NW_READ));
	ASSERT_EQ(NW_OK, nw_access(s, DATA + 5 * PG, 0, NW_READ));
	EXPECT_EQ(0, c(s, NW_C_WALKS));
	EXPECT_EQ(2, c(s, NW_C_TLB_L1_HIT));
	/* An address of the page that neither part covers. */
	nw_invlpg(s, DATA + 100 * PG);
	ASSERT_EQ(NW_OK, nw_access(s, DATA, 0, NW_READ));
	ASSERT_EQ(NW_OK, nw_access(s, DATA + 5 * PG, 0, NW_READ));
	EXPECT_EQ(2, c(s, NW_C_WALKS));
	EXPECT_EQ(2, c(s, NW_C_TLB_L1_HIT));
	env_fini(&e);
}

/*
 * Hits and misses of the instruction TLB cost their levels' latencies,
 * as the data TLB's do: a fetch that misses and one that hits, with the
 * ITLB's first level 1 or 5 cycles, differ by 2 x 4 cycles.
 */
static u64 two_fetches_mcycles(u32 lat_m)
{
	struct nw_sim_cfg cfg;
	struct env e;
	u64 m;

	nw_preset(NW_PRESET_SKYLAKE, &cfg);
	cfg.tlb.il[0].lat_m = lat_m;
	if (native(&e, 0, &cfg))
		return 0;
	nw_access(e.s, CODE, 0, NW_FETCH);
	nw_access(e.s, CODE, 0, NW_FETCH);
	m = nw_sim_counter(e.s, NW_C_MCYCLES);
	env_fini(&e);
	return m;
}

TEST(itlb_latency_in_mcycles)
{
	u64 fast = two_fetches_mcycles(1000);

	EXPECT_LT(0, fast);
	EXPECT_EQ(fast + 8000, two_fetches_mcycles(5000));
}

/* Geometries the core refuses: a shared first level, or one past data. */
TEST(shared_level_must_exist)
{
	struct nw_sim_cfg cfg;
	struct env e;

	nw_preset(NW_PRESET_SKYLAKE, &cfg);
	cfg.tlb.nlevels = 1;
	EXPECT_EQ(-EINVAL, env_init(&e, &cfg));
	env_fini(&e);
	nw_preset(NW_PRESET_SKYLAKE, &cfg);
	cfg.tlb.il[0].shared = true;
	EXPECT_EQ(-EINVAL, env_init(&e, &cfg));
	env_fini(&e);
	/* Without an instruction TLB, fetches count as data accesses. */
	nw_preset(NW_PRESET_SKYLAKE, &cfg);
	cfg.tlb.nilevels = 0;
	ASSERT_EQ(0, native(&e, 0, &cfg));
	ASSERT_EQ(NW_OK, nw_access(e.s, CODE, 0, NW_FETCH));
	EXPECT_EQ(1, c(e.s, NW_C_TLB_MISS));
	EXPECT_EQ(0, c(e.s, NW_C_ITLB_MISS));
	env_fini(&e);
}

TEST_HARNESS_MAIN
