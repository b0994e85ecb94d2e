// SPDX-License-Identifier: GPL-2.0
/*
 * The cost model, and what each walk cache saves.
 */
#include "kselftest_harness.h"
#include "env.h"

TEST(one_percent_misses_at_thirty_cycles)
{
	struct nw_sim_cfg cfg;
	struct env e;
	struct nw_vm *vm;
	struct nw_as *as;
	u64 avg, p, i;
	int l;

	env_cfg_bare(&cfg);
	cfg.tlb.l[0].lat_m = 1000;		/* 1-cycle hits */
	for (l = NW_PTE; l <= NW_PML4E; l++)	/* 4 x 7.5 = 30 cycles */
		cfg.cost.ref_m[NW_DIM_GUEST][l] = 7500;
	ASSERT_EQ(0, env_init(&e, &cfg));
	ASSERT_EQ(0, env_vm(&e, NW_MODE_NATIVE, 4, 0, NW_PTE, 0, &vm));
	ASSERT_EQ(0, nw_as_create(vm, 0, &as));
	/* Accessed flags preset: the walks make no A/D updates. */
	ASSERT_EQ(0, nw_as_map(as, 0x10000000, ENV_NATIVE_DATA, 100 * 4096,
			       NW_PTE, NW_X86_RW | NW_X86_A));
	nw_vm_enter(e.s, vm);
	for (p = 0; p < 100; p++)
		for (i = 0; i < 100; i++)
			ASSERT_EQ(NW_OK, nw_access(e.s, 0x10000000 + p * 4096 +
						   i * 8, 0, NW_READ));
	EXPECT_EQ(10000, nw_sim_counter(e.s, NW_C_ACCESSES));
	EXPECT_EQ(100, nw_sim_counter(e.s, NW_C_TLB_MISS));
	EXPECT_EQ(0, nw_sim_counter(e.s, NW_C_AD_WRITES));
	avg = nw_cost_per_access_m(nw_sim_counter(e.s, NW_C_MCYCLES),
				   nw_sim_counter(e.s, NW_C_ACCESSES));
	EXPECT_EQ(1300, avg);
	TH_LOG("%llu.%02llu cycles/access", (unsigned long long)avg / 1000,
	       (unsigned long long)(avg % 1000) / 10);
	env_fini(&e);
}

TEST(levels_and_exits_are_charged)
{
	struct nw_sim_cfg cfg;
	struct env e;
	struct nw_vm *vm;
	struct nw_as *as;
	u64 before;

	env_cfg_bare(&cfg);
	cfg.tlb.nlevels = 2;
	cfg.tlb.l[0].lat_m = 1000;
	cfg.tlb.l[0].a[0].entries = 4;
	cfg.tlb.l[0].a[0].ways = 4;
	cfg.tlb.l[1].lat_m = 8000;
	cfg.tlb.l[1].victim = true;
	cfg.tlb.l[1].a[0] = cfg.tlb.l[0].a[0];
	cfg.tlb.l[1].a[0].entries = 64;
	ASSERT_EQ(0, env_init(&e, &cfg));
	ASSERT_EQ(0, env_vm(&e, NW_MODE_EPT, 4, 4, NW_PTE, 1, &vm));
	ASSERT_EQ(0, nw_as_create(vm, 0, &as));
	ASSERT_EQ(0, nw_as_map(as, 0, 0x10000, 8 * 4096, NW_PTE, NW_X86_RW));
	nw_vm_enter(e.s, vm);
	/* First touch: 5 EPT violations fixed, each an exit and a fix. */
	ASSERT_EQ(NW_OK, nw_access(e.s, 0, 0, NW_READ));
	EXPECT_EQ(5, nw_sim_counter(e.s, NW_C_EXITS));
	EXPECT_LE(5 * (cfg.cost.exit_m + cfg.cost.fault_m),
		  nw_sim_counter(e.s, NW_C_MCYCLES));
	/* Push page 0 to the second level, then hit there: 1 + 8 cycles. */
	ASSERT_EQ(NW_OK, nw_access(e.s, 0x1000, 0, NW_READ));
	ASSERT_EQ(NW_OK, nw_access(e.s, 0x2000, 0, NW_READ));
	ASSERT_EQ(NW_OK, nw_access(e.s, 0x3000, 0, NW_READ));
	ASSERT_EQ(NW_OK, nw_access(e.s, 0x4000, 0, NW_READ));
	before = nw_sim_counter(e.s, NW_C_MCYCLES);
	ASSERT_EQ(NW_OK, nw_access(e.s, 0, 0, NW_READ));
	EXPECT_EQ(1, nw_sim_counter(e.s, NW_C_TLB_L2_HIT));
	EXPECT_EQ(9000, nw_sim_counter(e.s, NW_C_MCYCLES) - before);
	env_fini(&e);
}

/* A second page in the same guest PT: what each walk cache saves. */
FIXTURE(saves) {
	struct env e;
};

FIXTURE_VARIANT(saves) {
	bool pwc, hpwc, ntlb;
	unsigned int first;	/* the first walk, caches cold */
	unsigned int refs;	/* the second */
};

FIXTURE_VARIANT_ADD(saves, none) { .first = 24, .refs = 24 };
FIXTURE_VARIANT_ADD(saves, nested_tlb) {
	.ntlb = true, .first = 24, .refs = 8,	/* 4 guest + final 4 */
};
FIXTURE_VARIANT_ADD(saves, guest_pwc) {
	.pwc = true, .first = 24, .refs = 5,	/* PTE + final 4 */
};
/*
 * Host PDE cache: after the first host walk, every guest table's GPA
 * (all in one 2 MiB region) takes one host reference, and the data GPA
 * shares a PML4E: 4 + 4 + 3 x 1 + 3 = 14 in the first walk.
 */
FIXTURE_VARIANT_ADD(saves, host_pwc) {
	.hpwc = true, .first = 14, .refs = 9,	/* 4 guest + 5 x 1 host */
};
FIXTURE_VARIANT_ADD(saves, all) {
	.pwc = true, .hpwc = true, .ntlb = true, .first = 14,
	.refs = 2,				/* PTE + final PTE */
};

FIXTURE_SETUP(saves)
{
}

FIXTURE_TEARDOWN(saves)
{
}

TEST_F(saves, second_page_walk)
{
	struct nw_pwc_cfg pwc = {
		.entries = { [NW_PDE] = 32, [NW_PDPTE] = 4, [NW_PML4E] = 4 },
		.ways = 4,
	};
	struct nw_sim_cfg cfg;
	struct nw_vm *vm;
	struct nw_as *as;

	env_cfg_bare(&cfg);
	if (variant->pwc)
		cfg.pwc = pwc;
	if (variant->hpwc)
		cfg.hpwc = pwc;
	if (variant->ntlb)
		cfg.ntlb = (struct nw_cache_cfg){ .entries = 16, .ways = 16,
			.sizes = BIT(NW_PTE) | BIT(NW_PDE) | BIT(NW_PDPTE) };
	ASSERT_EQ(0, env_init(&self->e, &cfg));
	ASSERT_EQ(0, env_vm(&self->e, NW_MODE_EPT, 4, 4, NW_PTE, 1, &vm));
	ASSERT_EQ(0, nw_as_create(vm, 0, &as));
	ASSERT_EQ(0, nw_as_map(as, 0x40000000, 0x10000, 2 * 4096, NW_PTE,
			       NW_X86_RW));
	ASSERT_EQ(0, nw_vm_map(vm, 0, 1ULL << 30));
	ASSERT_EQ(0, nw_vm_map(vm, ENV_GPT_BASE, 1ULL << 20));
	nw_vm_enter(self->e.s, vm);
	ASSERT_EQ(NW_OK, nw_access(self->e.s, 0x40000000, 0, NW_READ));
	EXPECT_EQ(variant->first, self->e.s->last.refs);
	ASSERT_EQ(NW_OK, nw_access(self->e.s, 0x40001000, 0, NW_READ));
	EXPECT_EQ(variant->refs, self->e.s->last.refs);
	env_fini(&self->e);
}

TEST_HARNESS_MAIN
