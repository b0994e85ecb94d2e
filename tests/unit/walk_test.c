// SPDX-License-Identifier: GPL-2.0
/*
 * Uncached walk reference counts, guest levels x host levels x leaf sizes,
 * and the walk's outcomes.
 */
#include "kselftest_harness.h"
#include "env.h"
#include "presets.h"

#define VA	0x7f1240000000ULL	/* 1 GiB aligned: every leaf fits */
#define GPA	0x40000000ULL		/* guest data at 1 GiB */

static u64 refs(struct nw_sim *s, enum nw_counter first)
{
	u64 n = 0;
	int l;

	for (l = 0; l < 5; l++)
		n += nw_sim_counter(s, first + l);
	return n;
}

FIXTURE(walk) {
	struct env e;
	struct nw_vm *vm;
	struct nw_as *as;
};

FIXTURE_VARIANT(walk) {
	int mode;
	int glevels;
	int hlevels;
	int gleaf;
	int hleaf;
	unsigned int refs;
	unsigned int guest_refs;
	unsigned int fixes;		/* faults fixed on the first touch */
	int size;			/* effective page size */
};

FIXTURE_VARIANT_ADD(walk, native4) {
	.mode = NW_MODE_NATIVE, .glevels = 4, .gleaf = NW_PTE,
	.refs = 4, .guest_refs = 4, .size = NW_PTE,
};

FIXTURE_VARIANT_ADD(walk, native5) {
	.mode = NW_MODE_NATIVE, .glevels = 5, .gleaf = NW_PTE,
	.refs = 5, .guest_refs = 5, .size = NW_PTE,
};

FIXTURE_VARIANT_ADD(walk, native4_1g) {
	.mode = NW_MODE_NATIVE, .glevels = 4, .gleaf = NW_PDPTE,
	.refs = 2, .guest_refs = 2, .size = NW_PDPTE,
};

FIXTURE_VARIANT_ADD(walk, ept4x4) {
	.mode = NW_MODE_EPT, .glevels = 4, .hlevels = 4, .gleaf = NW_PTE,
	.hleaf = NW_PTE, .refs = 24, .guest_refs = 4, .fixes = 5,
	.size = NW_PTE,
};

FIXTURE_VARIANT_ADD(walk, npt4x4) {
	.mode = NW_MODE_NPT, .glevels = 4, .hlevels = 4, .gleaf = NW_PTE,
	.hleaf = NW_PTE, .refs = 24, .guest_refs = 4, .fixes = 5,
	.size = NW_PTE,
};

FIXTURE_VARIANT_ADD(walk, ept5x5) {
	.mode = NW_MODE_EPT, .glevels = 5, .hlevels = 5, .gleaf = NW_PTE,
	.hleaf = NW_PTE, .refs = 35, .guest_refs = 5, .fixes = 6,
	.size = NW_PTE,
};

FIXTURE_VARIANT_ADD(walk, ept4x5) {
	.mode = NW_MODE_EPT, .glevels = 4, .hlevels = 5, .gleaf = NW_PTE,
	.hleaf = NW_PTE, .refs = 29, .guest_refs = 4, .fixes = 5,
	.size = NW_PTE,
};

FIXTURE_VARIANT_ADD(walk, ept_g4k_h2m) {
	.mode = NW_MODE_EPT, .glevels = 4, .hlevels = 4, .gleaf = NW_PTE,
	.hleaf = NW_PDE, .refs = 19, .guest_refs = 4, .fixes = 2,
	.size = NW_PTE,
};

FIXTURE_VARIANT_ADD(walk, ept_g2m_h4k) {
	.mode = NW_MODE_EPT, .glevels = 4, .hlevels = 4, .gleaf = NW_PDE,
	.hleaf = NW_PTE, .refs = 19, .guest_refs = 3, .fixes = 4,
	.size = NW_PTE,
};

FIXTURE_VARIANT_ADD(walk, ept_g2m_h2m) {
	.mode = NW_MODE_EPT, .glevels = 4, .hlevels = 4, .gleaf = NW_PDE,
	.hleaf = NW_PDE, .refs = 15, .guest_refs = 3, .fixes = 2,
	.size = NW_PDE,
};

FIXTURE_VARIANT_ADD(walk, ept_g1g_h1g) {
	.mode = NW_MODE_EPT, .glevels = 4, .hlevels = 4, .gleaf = NW_PDPTE,
	.hleaf = NW_PDPTE, .refs = 8, .guest_refs = 2, .fixes = 2,
	.size = NW_PDPTE,
};

FIXTURE_VARIANT_ADD(walk, ept_g1g_h2m) {
	.mode = NW_MODE_EPT, .glevels = 4, .hlevels = 4, .gleaf = NW_PDPTE,
	.hleaf = NW_PDE, .refs = 11, .guest_refs = 2, .fixes = 2,
	.size = NW_PDE,
};

FIXTURE_VARIANT_ADD(walk, shadow4) {
	.mode = NW_MODE_SHADOW, .glevels = 4, .gleaf = NW_PTE,
	.hleaf = NW_PTE, .refs = 4, .guest_refs = 4, .fixes = 1,
	.size = NW_PTE,
};

FIXTURE_SETUP(walk)
{
	struct nw_sim_cfg cfg;
	u64 pa = variant->mode == NW_MODE_NATIVE ? ENV_NATIVE_DATA : GPA;

	env_cfg_bare(&cfg);
	ASSERT_EQ(0, env_init(&self->e, &cfg));
	ASSERT_EQ(0, env_vm(&self->e, variant->mode, variant->glevels,
			    variant->hlevels, variant->hleaf, 0, &self->vm));
	ASSERT_EQ(0, nw_as_create(self->vm, 1, &self->as));
	/* 64 KiB at least, so that offsets below 0x10000 are mapped. */
	ASSERT_EQ(0, nw_as_map(self->as, VA, pa,
			       nw_level_size(variant->gleaf) > 0x10000 ?
			       nw_level_size(variant->gleaf) : 0x10000,
			       variant->gleaf, NW_X86_RW | NW_X86_US));
	nw_vm_enter(self->e.s, self->vm);
}

FIXTURE_TEARDOWN(walk)
{
	env_fini(&self->e);
}

TEST_F(walk, uncached_references)
{
	struct nw_sim *s = self->e.s;

	ASSERT_EQ(NW_OK, nw_access(s, VA + 0x1238, 1, NW_READ | NW_USER));
	EXPECT_EQ(variant->fixes, nw_sim_counter(s, NW_C_PF_FIXED));
	EXPECT_EQ(variant->fixes, nw_sim_counter(s, NW_C_EXITS));

	env_flush_all(&self->e);
	nw_sim_reset_counters(s);
	/* Same 4 KiB page: with 4 KiB host pages, no new EPT leaf. */
	ASSERT_EQ(NW_OK, nw_access(s, VA + 0x1678, 1, NW_READ | NW_USER));
	EXPECT_EQ(variant->refs, s->last.refs);
	EXPECT_EQ(variant->refs, nw_sim_counter(s, NW_C_WALK_REFS));
	EXPECT_EQ(variant->guest_refs, refs(s, NW_C_GUEST_REFS_L1));
	EXPECT_EQ(variant->refs - variant->guest_refs,
		  refs(s, NW_C_HOST_REFS_L1));
	EXPECT_EQ(variant->size, s->last.size);
	EXPECT_EQ(variant->gleaf, s->last.guest_size);
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_EXITS));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_WALKS));
	EXPECT_EQ(1, s->walk_hist[variant->refs]);
	/* Accessed flags were set by the first walk: no updates now. */
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_AD_WRITES));

	/* The same page again: a TLB hit, no reference. */
	ASSERT_EQ(NW_OK, nw_access(s, VA + 0x1000, 1, NW_READ | NW_USER));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_TLB_L1_HIT));
	EXPECT_EQ(variant->refs, nw_sim_counter(s, NW_C_WALK_REFS));
}

TEST_F(walk, translation_is_right)
{
	struct nw_sim *s = self->e.s;
	u64 off = 0x5678, want;

	ASSERT_EQ(NW_OK, nw_access(s, VA + off, 1, NW_WRITE));
	want = variant->mode == NW_MODE_NATIVE ? ENV_NATIVE_DATA + off :
		env_slot_hpa(self->vm->id) + GPA + off;
	EXPECT_EQ(want, s->last.hpa);
}

TEST_F(walk, unmapped_is_guest_fault)
{
	struct nw_sim *s = self->e.s;
	u64 va = VA + 8 * nw_level_size(NW_PDPTE);

	EXPECT_EQ(NW_GUEST_PF, nw_access(s, va, 1, NW_READ));
	EXPECT_EQ(va, s->last.fault_addr);
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_GUEST_PF));
	/* Supervisor-only and read-only pages fault for user writes. */
	ASSERT_EQ(0, nw_as_map(self->as, va, GPA, NW_PAGE_SIZE, NW_PTE, 0));
	EXPECT_EQ(NW_GUEST_PF, nw_access(s, va, 1, NW_READ | NW_USER));
	EXPECT_EQ(NW_OK, nw_access(s, va, 1, NW_READ));
	EXPECT_EQ(NW_GUEST_PF, nw_access(s, va, 1, NW_WRITE));
	EXPECT_EQ(NW_OK, nw_access(s, va, 1, NW_FETCH));
}

/*
 * Walks that start from both PDE caches (the skylake preset's walk caches,
 * no TLB, so that every access walks): after the first walk, one within
 * the same 2 MiB reads one guest and one host entry, and every right, fault
 * and dirty flag comes out as from a walk of all levels.
 */
FIXTURE(cached) {
	struct env e;
	struct nw_vm *vm;
	struct nw_as *as;
};

FIXTURE_VARIANT(cached) {
	int mode;
	bool ept_ad;
	bool host_ad;		/* the host's leaves have a dirty flag */
};

FIXTURE_VARIANT_ADD(cached, ept) {
	.mode = NW_MODE_EPT,
};

FIXTURE_VARIANT_ADD(cached, ept_ad) {
	.mode = NW_MODE_EPT, .ept_ad = true, .host_ad = true,
};

FIXTURE_VARIANT_ADD(cached, npt) {
	.mode = NW_MODE_NPT, .host_ad = true,
};

#define PG(n)	(VA + (n) * NW_PAGE_SIZE)
#define PG_RO	8	/* read-only */
#define PG_SUP	9	/* supervisor */
#define PG_XD	10	/* execute-disable */
#define PG_G	11	/* global */

FIXTURE_SETUP(cached)
{
	struct nw_vm_cfg c = {
		.mode = variant->mode, .guest_levels = 4, .host_levels = 4,
		.max_level = NW_PTE, .ept_ad = variant->ept_ad,
		.gpt_base = ENV_GPT_BASE, .gpt_size = ENV_GPT_SIZE,
	};
	struct nw_sim_cfg cfg, sky;
	struct nw_as *as;
	int i;

	ASSERT_EQ(0, nw_preset(NW_PRESET_SKYLAKE, &sky));
	env_cfg_bare(&cfg);
	cfg.tlb.nlevels = 0;
	cfg.pwc = sky.pwc;
	cfg.hpwc = sky.hpwc;
	ASSERT_EQ(0, env_init(&self->e, &cfg));
	ASSERT_EQ(0, nw_vm_create(self->e.s, &c, &self->vm));
	ASSERT_EQ(0, simmem_slot(&self->e.mem, self->vm->id, 0,
				 ENV_GUEST_SIZE, env_slot_hpa(self->vm->id),
				 NW_PTE));
	ASSERT_EQ(0, nw_as_create(self->vm, 1, &self->as));
	as = self->as;
	ASSERT_EQ(0, nw_as_map(as, PG(0), GPA, 8 * NW_PAGE_SIZE, NW_PTE,
			       NW_X86_RW | NW_X86_US));
	ASSERT_EQ(0, nw_as_map(as, PG(PG_RO), GPA + PG_RO * NW_PAGE_SIZE,
			       NW_PAGE_SIZE, NW_PTE, NW_X86_US));
	ASSERT_EQ(0, nw_as_map(as, PG(PG_SUP), GPA + PG_SUP * NW_PAGE_SIZE,
			       NW_PAGE_SIZE, NW_PTE, NW_X86_RW));
	ASSERT_EQ(0, nw_as_map(as, PG(PG_XD), GPA + PG_XD * NW_PAGE_SIZE,
			       NW_PAGE_SIZE, NW_PTE,
			       NW_X86_RW | NW_X86_US | NW_X86_XD));
	ASSERT_EQ(0, nw_as_map(as, PG(PG_G), GPA + PG_G * NW_PAGE_SIZE,
			       NW_PAGE_SIZE, NW_PTE, NW_X86_RW | NW_X86_G));
	ASSERT_EQ(0, nw_vm_map(self->vm, GPA, 16 * NW_PAGE_SIZE));
	nw_vm_enter(self->e.s, self->vm);
	/* Every page once: the caches are filled, accessed flags set. */
	for (i = 0; i <= PG_G; i++)
		ASSERT_EQ(NW_OK, nw_access(self->e.s, PG(i), 1, NW_READ));
}

FIXTURE_TEARDOWN(cached)
{
	env_fini(&self->e);
}

/* The host-physical address of the entry for @addr at @level of @pt. */
static u64 *entry_ptr(struct env *e, struct nw_vm *vm, struct nw_pt *pt,
		      u64 addr, int level)
{
	u64 at = nw_pt_entry_addr(pt, addr, level), hpa;
	int l;

	if (!at)
		return NULL;
	if (pt != &vm->ept && nw_pt_lookup(&vm->ept, at, &hpa, &l, NULL))
		return NULL;
	if (pt != &vm->ept)
		at = hpa;
	return simmem_page(&e->mem, at & ~0xfffULL) + ((at & 0xfff) >> 3);
}

TEST_F(cached, one_entry_in_each_dimension)
{
	struct nw_sim *s = self->e.s;
	u64 pwc = nw_sim_counter(s, NW_C_PWC_HIT);
	u64 hpwc = nw_sim_counter(s, NW_C_HPWC_HIT);
	u64 ad = nw_sim_counter(s, NW_C_AD_WRITES);

	nw_sim_reset_counters(s);
	ASSERT_EQ(NW_OK, nw_access(s, PG(3) + 0x238, 1, NW_READ | NW_USER));
	EXPECT_EQ(2, s->last.refs);
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_GUEST_REFS_L1));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_HOST_REFS_L1));
	EXPECT_EQ(2, nw_sim_counter(s, NW_C_WALK_REFS));
	EXPECT_EQ(1, s->walk_hist[2]);
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_PWC_HIT));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_HPWC_HIT));
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_AD_WRITES));
	EXPECT_EQ(env_slot_hpa(self->vm->id) + GPA + 3 * NW_PAGE_SIZE + 0x238,
		  s->last.hpa);
	EXPECT_EQ(NW_PTE, s->last.size);
	EXPECT_EQ(NW_PTE, s->last.guest_size);
	EXPECT_EQ(NW_PTE, s->last.host_size);
	EXPECT_EQ(NW_PERM_R | NW_PERM_W | NW_PERM_X | NW_PERM_U,
		  s->last.perm);
	EXPECT_EQ(0, s->last.flags);
	ASSERT_EQ(NW_OK, nw_access(s, PG(PG_G), 1, NW_READ));
	EXPECT_EQ(2, s->last.refs);
	EXPECT_EQ(NW_CE_GLOBAL, s->last.flags);
	EXPECT_LT(0, pwc);
	EXPECT_LT(0, hpwc);
	EXPECT_LT(0, ad);
}

TEST_F(cached, first_write_sets_the_dirty_flags)
{
	struct nw_sim *s = self->e.s;
	u64 *gpte = entry_ptr(&self->e, self->vm, &self->as->gpt, PG(2),
			      NW_PTE);
	u64 *hpte = entry_ptr(&self->e, self->vm, &self->vm->ept,
			      GPA + 2 * NW_PAGE_SIZE, NW_PTE);
	u64 hd = variant->mode == NW_MODE_EPT ? NW_EPT_D : NW_X86_D;

	ASSERT_NE(NULL, gpte);
	ASSERT_NE(NULL, hpte);
	EXPECT_FALSE(*gpte & NW_X86_D);
	nw_sim_reset_counters(s);
	ASSERT_EQ(NW_OK, nw_access(s, PG(2), 1, NW_WRITE));
	EXPECT_TRUE(*gpte & NW_X86_D);
	EXPECT_EQ(variant->host_ad, !!(*hpte & hd));
	EXPECT_EQ(1 + variant->host_ad, nw_sim_counter(s, NW_C_AD_WRITES));
	EXPECT_EQ(NW_CE_DIRTY, s->last.flags);
	EXPECT_EQ(2, s->last.refs);
	/* Dirty now: the next write has nothing to set. */
	ASSERT_EQ(NW_OK, nw_access(s, PG(2), 1, NW_WRITE));
	EXPECT_EQ(1 + variant->host_ad, nw_sim_counter(s, NW_C_AD_WRITES));
	EXPECT_EQ(NW_CE_DIRTY, s->last.flags);
	EXPECT_EQ(2, s->last.refs);
	EXPECT_EQ(2, nw_sim_counter(s, NW_C_PWC_HIT));
	EXPECT_EQ(2, nw_sim_counter(s, NW_C_HPWC_HIT));
}

/* A guest dirty flag set by other means than a write through the host. */
TEST_F(cached, dirty_only_where_both_dimensions_are)
{
	struct nw_sim *s = self->e.s;
	u64 *gpte = entry_ptr(&self->e, self->vm, &self->as->gpt, PG(4),
			      NW_PTE);

	ASSERT_NE(NULL, gpte);
	*gpte |= NW_X86_D;
	ASSERT_EQ(NW_OK, nw_access(s, PG(4), 1, NW_READ));
	EXPECT_EQ(2, s->last.refs);
	EXPECT_EQ(variant->host_ad ? 0 : NW_CE_DIRTY, s->last.flags);
}

TEST_F(cached, guest_rights_and_faults)
{
	struct nw_sim *s = self->e.s;
	u64 *gpte = entry_ptr(&self->e, self->vm, &self->as->gpt, PG(5),
			      NW_PTE);

	ASSERT_NE(NULL, gpte);
	nw_sim_reset_counters(s);
	EXPECT_EQ(NW_GUEST_PF, nw_access(s, PG(PG_RO), 1, NW_WRITE));
	EXPECT_EQ(NW_GUEST_PF, nw_access(s, PG(PG_SUP), 1,
					 NW_READ | NW_USER));
	EXPECT_EQ(NW_GUEST_PF, nw_access(s, PG(PG_XD), 1, NW_FETCH));
	EXPECT_EQ(3, nw_sim_counter(s, NW_C_GUEST_PF));
	EXPECT_EQ(NW_OK, nw_access(s, PG(PG_RO), 1, NW_READ | NW_USER));
	EXPECT_EQ(NW_PERM_R | NW_PERM_X | NW_PERM_U, s->last.perm);
	EXPECT_EQ(NW_OK, nw_access(s, PG(PG_SUP), 1, NW_WRITE));
	EXPECT_EQ(NW_PERM_R | NW_PERM_W | NW_PERM_X, s->last.perm);
	EXPECT_EQ(NW_OK, nw_access(s, PG(PG_XD), 1, NW_WRITE));
	EXPECT_EQ(NW_PERM_R | NW_PERM_W | NW_PERM_U, s->last.perm);
	/* A leaf gone after its table was cached: a fault at level 1. */
	*gpte &= ~NW_X86_P;
	EXPECT_EQ(NW_GUEST_PF, nw_access(s, PG(5), 1, NW_READ));
	EXPECT_EQ(PG(5), s->last.fault_addr);
	EXPECT_EQ(NW_PTE, s->last.fault_level);
	EXPECT_EQ(NW_DIM_GUEST, s->last.fault_dim);
	EXPECT_EQ(4, nw_sim_counter(s, NW_C_GUEST_PF));
}

/* Rights the host's upper levels take away, kept in its PDE cache. */
TEST_F(cached, host_rights_from_the_pde_cache)
{
	struct nw_sim *s = self->e.s;
	u64 *hpde = entry_ptr(&self->e, self->vm, &self->vm->ept, GPA,
			      NW_PDE);

	ASSERT_NE(NULL, hpde);
	*hpde &= variant->mode == NW_MODE_EPT ? ~(u64)NW_EPT_W :
						~(u64)NW_X86_RW;
	env_flush_all(&self->e);
	ASSERT_EQ(NW_OK, nw_access(s, PG(6), 1, NW_READ));	/* refills */
	nw_sim_reset_counters(s);
	ASSERT_EQ(NW_OK, nw_access(s, PG(7), 1, NW_READ));
	EXPECT_EQ(2, s->last.refs);
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_HPWC_HIT));
	EXPECT_EQ(NW_PERM_R | NW_PERM_X | NW_PERM_U, s->last.perm);
	EXPECT_EQ(NW_EPT_VIOLATION, nw_access(s, PG(7), 1, NW_WRITE));
	EXPECT_EQ(GPA + 7 * NW_PAGE_SIZE, s->last.fault_addr);
	EXPECT_EQ(NW_DIM_HOST, s->last.fault_dim);
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_EPT_VIOLATION));
}

/* Rights a host leaf takes away, under a table its PDE cache holds. */
TEST_F(cached, host_leaf_rights)
{
	struct nw_sim *s = self->e.s;
	u64 *hpte = entry_ptr(&self->e, self->vm, &self->vm->ept,
			      GPA + 6 * NW_PAGE_SIZE, NW_PTE);

	ASSERT_NE(NULL, hpte);
	*hpte &= variant->mode == NW_MODE_EPT ? ~(u64)(NW_EPT_W | NW_EPT_X) :
						~(u64)NW_X86_RW;
	nw_sim_reset_counters(s);
	ASSERT_EQ(NW_OK, nw_access(s, PG(6), 1, NW_READ));
	EXPECT_EQ(2, s->last.refs);
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_HPWC_HIT));
	EXPECT_EQ(variant->mode == NW_MODE_EPT ? NW_PERM_R | NW_PERM_U :
		  NW_PERM_R | NW_PERM_X | NW_PERM_U, s->last.perm);
	EXPECT_EQ(NW_EPT_VIOLATION, nw_access(s, PG(6), 1, NW_WRITE));
	EXPECT_EQ(NW_DIM_HOST, s->last.fault_dim);
	EXPECT_EQ(NW_PTE, s->last.fault_level);
}

/*
 * Per-level read counts and their cost are kept in packed lanes and folded
 * into the counters every NW_LANE_WALKS walks: exact before, at and after
 * each fold, with a different cost for every dimension and level.
 */
TEST(counts_exact_across_folds)
{
	static const u64 at[] = { 1, NW_LANE_WALKS - 1, NW_LANE_WALKS,
				  NW_LANE_WALKS + 1, 3 * NW_LANE_WALKS + 5 };
	struct nw_sim_cfg cfg;
	struct nw_vm *vm;
	struct nw_as *as;
	struct env e;
	u64 done = 0, cost;
	unsigned int i;
	int d, l;

	env_cfg_bare(&cfg);
	cfg.tlb.nlevels = 0;		/* every access walks */
	for (d = 0; d < NW_DIMS; d++)
		for (l = NW_PTE; l <= NW_PML5E; l++)
			cfg.cost.ref_m[d][l] = 1000 * (10 * d + l) + 7;
	ASSERT_EQ(0, env_init(&e, &cfg));
	ASSERT_EQ(0, env_vm(&e, NW_MODE_EPT, 4, 4, NW_PTE, 1, &vm));
	ASSERT_EQ(0, nw_as_create(vm, 0, &as));
	ASSERT_EQ(0, nw_as_map(as, VA, GPA, 0x10000, NW_PTE, NW_X86_RW));
	nw_vm_enter(e.s, vm);
	ASSERT_EQ(NW_OK, nw_access(e.s, VA, 0, NW_READ));	/* fills EPT */
	nw_sim_reset_counters(e.s);
	for (i = 0; i < ARRAY_SIZE(at); i++) {
		while (done < at[i]) {
			ASSERT_EQ(NW_OK, nw_access(e.s, VA + 8 * (done % 512), 0,
						   NW_READ));
			done++;
		}
		cost = 0;
		for (l = NW_PTE; l <= NW_PML4E; l++) {
			/* One guest read per level, five host walks. */
			EXPECT_EQ(done, nw_sim_counter(e.s,
					NW_C_GUEST_REFS_L1 + l - 1));
			EXPECT_EQ(5 * done, nw_sim_counter(e.s,
					NW_C_HOST_REFS_L1 + l - 1));
			cost += done * cfg.cost.ref_m[NW_DIM_GUEST][l] +
				5 * done * cfg.cost.ref_m[NW_DIM_HOST][l];
		}
		EXPECT_EQ(0, nw_sim_counter(e.s, NW_C_GUEST_REFS_L5));
		EXPECT_EQ(0, nw_sim_counter(e.s, NW_C_HOST_REFS_L5));
		EXPECT_EQ(24 * done, nw_sim_counter(e.s, NW_C_WALK_REFS));
		EXPECT_EQ(done, e.s->walk_hist[24]);
		EXPECT_EQ(cost, nw_sim_counter(e.s, NW_C_MCYCLES));
	}
	nw_sim_reset_counters(e.s);
	EXPECT_EQ(0, nw_sim_counter(e.s, NW_C_HOST_REFS_L1));
	EXPECT_EQ(0, nw_sim_counter(e.s, NW_C_MCYCLES));
	env_fini(&e);
}

TEST(ept_faults_and_misconfig)
{
	struct nw_sim_cfg cfg;
	struct env e;
	struct nw_vm *vm;
	struct nw_as *as;
	u64 *ep, addr;

	env_cfg_bare(&cfg);
	ASSERT_EQ(0, env_init(&e, &cfg));
	ASSERT_EQ(0, env_vm(&e, NW_MODE_EPT, 4, 4, NW_PTE, 1, &vm));
	ASSERT_EQ(0, nw_as_create(vm, 0, &as));
	/* GPA beyond the memslot: a violation the hypervisor can't fix. */
	ASSERT_EQ(0, nw_as_map(as, 0x1000, 5ULL << 30, 4096, NW_PTE,
			       NW_X86_RW));
	ASSERT_EQ(0, nw_as_map(as, 0x2000, 0x2000, 4096, NW_PTE, NW_X86_RW));
	nw_vm_enter(e.s, vm);
	EXPECT_EQ(NW_EPT_VIOLATION, nw_access(e.s, 0x1008, 0, NW_READ));
	EXPECT_EQ((5ULL << 30) + 8, e.s->last.fault_addr);
	EXPECT_EQ(NW_DIM_HOST, e.s->last.fault_dim);
	EXPECT_EQ(NW_READ, e.s->last.kind);
	EXPECT_EQ(1, nw_sim_counter(e.s, NW_C_EPT_VIOLATION));

	/* A write-only EPT leaf is a misconfiguration. */
	ASSERT_EQ(NW_OK, nw_access(e.s, 0x2000, 0, NW_READ));
	addr = nw_pt_entry_addr(&vm->ept, 0x2000, NW_PTE);
	ASSERT_NE(0, addr);
	ep = simmem_page(&e.mem, addr & ~0xfffULL) + ((addr & 0xfff) >> 3);
	*ep = (*ep & ~NW_EPT_RWX) | NW_EPT_W;
	env_flush_all(&e);
	EXPECT_EQ(NW_EPT_MISCONFIG, nw_access(e.s, 0x2000, 0, NW_READ));
	EXPECT_EQ(1, nw_sim_counter(e.s, NW_C_EPT_MISCONFIG));
	/* Read-only: a write is a violation the lazy fill can't fix. */
	*ep = (*ep & ~NW_EPT_RWX) | NW_EPT_R;
	env_flush_all(&e);
	EXPECT_EQ(NW_EPT_VIOLATION, nw_access(e.s, 0x2000, 0, NW_WRITE));
	EXPECT_EQ(NW_WRITE, e.s->last.kind);
	EXPECT_EQ(0x2000, e.s->last.fault_addr);
	EXPECT_EQ(NW_PTE, e.s->last.fault_level);
	EXPECT_EQ(NW_OK, nw_access(e.s, 0x2000, 0, NW_READ));
	env_fini(&e);
}

TEST(ept_ad_guest_tables_are_writes)
{
	struct nw_vm_cfg c = {
		.mode = NW_MODE_EPT, .guest_levels = 4, .host_levels = 4,
		.max_level = NW_PTE, .ept_ad = true,
		.gpt_base = ENV_GPT_BASE, .gpt_size = ENV_GPT_SIZE,
	};
	struct nw_sim_cfg cfg;
	struct env e;
	struct nw_vm *vm;
	struct nw_as *as;
	u64 pa, entry;
	int level;

	env_cfg_bare(&cfg);
	ASSERT_EQ(0, env_init(&e, &cfg));
	ASSERT_EQ(0, nw_vm_create(e.s, &c, &vm));
	ASSERT_EQ(0, simmem_slot(&e.mem, vm->id, 0, ENV_GUEST_SIZE,
				 env_slot_hpa(vm->id), NW_PTE));
	ASSERT_EQ(0, nw_as_create(vm, 0, &as));
	ASSERT_EQ(0, nw_as_map(as, VA, GPA, 4096, NW_PTE, NW_X86_RW));
	nw_vm_enter(e.s, vm);
	ASSERT_EQ(NW_OK, nw_access(e.s, VA, 0, NW_READ));
	/* The guest's root table page: accessed and dirty for EPT. */
	ASSERT_EQ(0, nw_pt_lookup(&vm->ept, as->gpt.root, &pa, &level,
				  &entry));
	EXPECT_TRUE(entry & NW_EPT_A);
	EXPECT_TRUE(entry & NW_EPT_D);
	/* The data page was only read. */
	ASSERT_EQ(0, nw_pt_lookup(&vm->ept, GPA, &pa, &level, &entry));
	EXPECT_TRUE(entry & NW_EPT_A);
	EXPECT_FALSE(entry & NW_EPT_D);
	/* The guest leaf got A; D waits for a write. */
	ASSERT_EQ(0, nw_pt_lookup(&as->gpt, VA, &pa, &level, &entry));
	EXPECT_TRUE(entry & NW_X86_A);
	EXPECT_FALSE(entry & NW_X86_D);
	ASSERT_EQ(NW_OK, nw_access(e.s, VA, 0, NW_WRITE));
	ASSERT_EQ(0, nw_pt_lookup(&as->gpt, VA, &pa, &level, &entry));
	EXPECT_TRUE(entry & NW_X86_D);
	ASSERT_EQ(0, nw_pt_lookup(&vm->ept, GPA, &pa, &level, &entry));
	EXPECT_TRUE(entry & NW_EPT_D);
	env_fini(&e);
}

TEST(native_table_outside_memory)
{
	struct nw_sim_cfg cfg;
	struct env e;
	struct nw_vm *vm;
	struct nw_as *as;
	u64 addr, *ep;

	env_cfg_bare(&cfg);
	ASSERT_EQ(0, env_init(&e, &cfg));
	ASSERT_EQ(0, env_vm(&e, NW_MODE_NATIVE, 4, 0, NW_PTE, 0, &vm));
	ASSERT_EQ(0, nw_as_create(vm, 0, &as));
	ASSERT_EQ(0, nw_as_map(as, VA, ENV_NATIVE_DATA, 4096, NW_PTE, 0));
	/* Point the PDE past the end of memory. */
	addr = nw_pt_entry_addr(&as->gpt, VA, NW_PDE);
	ASSERT_NE(0, addr);
	ep = simmem_page(&e.mem, addr & ~0xfffULL) + ((addr & 0xfff) >> 3);
	*ep = NW_PT_X86_TABLE | (ENV_HOST_LIMIT + (1ULL << 30));
	nw_vm_enter(e.s, vm);
	EXPECT_EQ(NW_PHYS_FAULT, nw_access(e.s, VA, 0, NW_READ));
	EXPECT_EQ(NW_PTE, e.s->last.fault_level);
	EXPECT_EQ(4, e.s->last.refs);
	env_fini(&e);
}

/*
 * A window page the environment has not handed out is asked for through
 * ->page(), never read straight from the window: simmem counts it then.
 */
TEST(window_asks_for_pages_not_handed_out)
{
	const u64 table = ENV_HOST_LIMIT - (8ULL << 30);
	struct nw_sim_cfg cfg;
	struct env e;
	struct nw_vm *vm;
	struct nw_as *as;
	u64 addr, *ep, before;

	env_cfg_bare(&cfg);
	ASSERT_EQ(0, env_init(&e, &cfg));
	ASSERT_EQ(0, env_vm(&e, NW_MODE_NATIVE, 4, 0, NW_PTE, 0, &vm));
	ASSERT_EQ(0, nw_as_create(vm, 0, &as));
	ASSERT_EQ(0, nw_as_map(as, VA, ENV_NATIVE_DATA, 4096, NW_PTE, 0));
	ASSERT_EQ(0, e.mem.owned[table >> NW_PAGE_SHIFT]);
	/* Point the PDE at a page nothing has used: zeroes, no PTE. */
	addr = nw_pt_entry_addr(&as->gpt, VA, NW_PDE);
	ASSERT_NE(0, addr);
	ep = simmem_page(&e.mem, addr & ~0xfffULL) + ((addr & 0xfff) >> 3);
	*ep = NW_PT_X86_TABLE | table;
	nw_vm_enter(e.s, vm);
	before = e.mem.pages;
	EXPECT_EQ(NW_GUEST_PF, nw_access(e.s, VA, 0, NW_READ));
	EXPECT_EQ(NW_PTE, e.s->last.fault_level);
	EXPECT_EQ(4, e.s->last.refs);
	EXPECT_EQ(before + 1, e.mem.pages);
	EXPECT_NE(0, e.mem.owned[table >> NW_PAGE_SHIFT]);
	env_fini(&e);
}

/* Without a window the core goes through ->page() and its frame cache. */
TEST(frame_cache_path_agrees)
{
	struct nw_sim_cfg cfg;
	struct env e[2];
	u64 sum[2][3] = { { 0 } };
	int k, i, mode;

	env_cfg_bare(&cfg);
	for (mode = NW_MODE_NATIVE; mode <= NW_MODE_SHADOW; mode++) {
		for (k = 0; k < 2; k++) {
			struct nw_vm *vm;
			struct nw_as *as;

			ASSERT_EQ(0, k ? env_init_nowindow(&e[k], &cfg) :
					 env_init(&e[k], &cfg));
			ASSERT_EQ(0, env_vm(&e[k], mode, 4, 4, NW_PTE, 1, &vm));
			ASSERT_EQ(0, nw_as_create(vm, 0, &as));
			ASSERT_EQ(0, nw_as_map(as, VA, mode ? GPA :
					       ENV_NATIVE_DATA, 2 << 20, NW_PTE,
					       NW_X86_RW));
			nw_vm_enter(e[k].s, vm);
			/* 3000 accesses, scattered over 512 pages. */
			for (i = 0; i < 3000; i++) {
				u64 va = VA + (i * 2654435761ULL % 512) * 4096;

				ASSERT_EQ(NW_OK, nw_access(e[k].s, va, 0,
							   NW_READ));
				sum[k][0] += e[k].s->last.hpa;
			}
			sum[k][1] = nw_sim_counter(e[k].s, NW_C_WALK_REFS);
			sum[k][2] = nw_sim_counter(e[k].s, NW_C_TLB_MISS);
			env_fini(&e[k]);
		}
		EXPECT_EQ(sum[0][0], sum[1][0]);
		EXPECT_EQ(sum[0][1], sum[1][1]);
		EXPECT_EQ(sum[0][2], sum[1][2]);
		EXPECT_LT(0, sum[1][1]);
	}
}

TEST_HARNESS_MAIN
