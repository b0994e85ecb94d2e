// SPDX-License-Identifier: GPL-2.0
/*
 * Every invalidation removes exactly what the SDM says, with VPID on and
 * off; and the VPID experiment: after a switch to another VM and back,
 * a warm working set misses again in full without VPID, not at all with.
 *
 * Population: VM A with PCIDs 1 and 2, VM B with PCID 1; each address
 * space has four non-global pages and shares one global page.
 */
#include "kselftest_harness.h"
#include "env.h"

#define GLOBAL_VA	0x100000ULL
#define NPAGES		4

static const u64 page_va[NPAGES] = { 0x1000, 0x2000, 0x3000, 0x4000 };

FIXTURE(inval) {
	struct env e;
	struct nw_vm *a, *b;
};

FIXTURE_VARIANT(inval) {
	bool vpid;
};

FIXTURE_VARIANT_ADD(inval, vpid_on) {
	.vpid = true,
};

FIXTURE_VARIANT_ADD(inval, vpid_off) {
	.vpid = false,
};

static int populate_as(struct nw_vm *vm, u16 pcid)
{
	struct nw_as *as;
	int i, err = nw_as_create(vm, pcid, &as);

	for (i = 0; !err && i < NPAGES; i++)
		err = nw_as_map(as, page_va[i], (pcid * 16 + i) * 4096ULL,
				4096, NW_PTE, NW_X86_RW);
	return err ?: nw_as_map(as, GLOBAL_VA, 0x200000, 4096, NW_PTE,
				NW_X86_RW | NW_X86_G);
}

static void touch(struct nw_sim *s, u16 pcid)
{
	int i;

	for (i = 0; i < NPAGES; i++)
		nw_access(s, page_va[i], pcid, NW_READ);
	nw_access(s, GLOBAL_VA, pcid, NW_READ);
}

/* Is (@va, @pcid) of @vm cached in any TLB array, by any entry? */
static bool cached(struct nw_sim *s, struct nw_vm *vm, u16 pcid, u64 va)
{
	int lv, a, size;

	for (lv = 0; lv < s->tlb.nlevels; lv++)
		for (a = 0; a < NW_TLB_ARRAYS; a++)
			for (size = NW_PTE; size <= NW_PDPTE; size++)
				if (nw_cache_probe(&s->tlb.l[lv].a[a],
						   nw_cache_key(va, size),
						   vm->tag, pcid))
					return true;
	return false;
}

static u64 entries(struct nw_sim *s, struct nw_vm *vm)
{
	struct nw_inval f = {
		.tag = vm->tag, .tag_mask = ~0U, .any_pcid = true,
		.globals = true, .any_addr = true,
	};

	return nw_tlb_count(&s->tlb, &f);
}

static u64 pwc_entries(struct nw_sim *s, struct nw_vm *vm, int pcid)
{
	struct nw_inval f = {
		.tag = vm->tag, .tag_mask = ~0U, .any_pcid = pcid < 0,
		.pcid = pcid, .any_addr = true,
	};

	return nw_pwc_count(&s->pwc, &f);
}

#define FAR_VA	0x8000000000ULL		/* another PML4E */

/* Paging-structure-cache entries of @vm that would translate @va. */
static u64 pwc_covering(struct nw_sim *s, struct nw_vm *vm, u64 va)
{
	struct nw_inval f = {
		.tag = vm->tag, .tag_mask = ~0U, .any_pcid = true, .addr = va,
	};

	return nw_pwc_count(&s->pwc, &f);
}

static u64 guest_phys(struct nw_sim *s, struct nw_vm *vm)
{
	struct nw_inval f = {
		.tag = vm->htag, .tag_mask = ~0U, .any_pcid = true,
		.any_addr = true,
	};

	return nw_cache_count(&s->ntlb, &f) + nw_pwc_count(&s->hpwc, &f);
}

FIXTURE_SETUP(inval)
{
	struct nw_sim_cfg cfg;
	struct nw_sim *s;

	env_cfg_bare(&cfg);
	cfg.tlb.l[0].a[0].entries = 512;
	cfg.tlb.l[0].a[0].ways = 8;
	cfg.pwc.entries[NW_PDE] = 16;
	cfg.pwc.entries[NW_PDPTE] = 4;
	cfg.pwc.entries[NW_PML4E] = 4;
	cfg.pwc.ways = 4;
	cfg.hpwc = cfg.pwc;
	cfg.ntlb = (struct nw_cache_cfg){ .entries = 32, .ways = 4,
		.sizes = BIT(NW_PTE) | BIT(NW_PDE) | BIT(NW_PDPTE) };
	ASSERT_EQ(0, env_init(&self->e, &cfg));
	s = self->e.s;
	ASSERT_EQ(0, env_vm(&self->e, NW_MODE_EPT, 4, 4, NW_PTE,
			    variant->vpid ? 1 : 0, &self->a));
	ASSERT_EQ(0, env_vm(&self->e, NW_MODE_EPT, 4, 4, NW_PTE,
			    variant->vpid ? 2 : 0, &self->b));
	ASSERT_EQ(0, populate_as(self->a, 1));
	ASSERT_EQ(0, populate_as(self->a, 2));
	ASSERT_EQ(0, populate_as(self->b, 1));

	nw_vm_enter(s, self->b);
	touch(s, 1);
	nw_vm_switch(s, self->a);
	nw_mov_cr3(s, 2, true);
	touch(s, 2);
	nw_mov_cr3(s, 1, true);
	touch(s, 1);
	/* A: 4 + 4 non-global and one global (hit from PCID 2 first). */
	ASSERT_EQ(9, entries(s, self->a));
	ASSERT_EQ(variant->vpid ? 5 : 0, entries(s, self->b));
	ASSERT_TRUE(cached(s, self->a, 1, GLOBAL_VA));
	ASSERT_TRUE(cached(s, self->a, 7, GLOBAL_VA));	/* any PCID */
	ASSERT_LT(0, pwc_entries(s, self->a, 1));
	ASSERT_LT(0, pwc_entries(s, self->a, 2));
	ASSERT_LT(0, guest_phys(s, self->a));
	ASSERT_LT(0, guest_phys(s, self->b));
	nw_sim_reset_counters(s);
}

FIXTURE_TEARDOWN(inval)
{
	env_fini(&self->e);
}

static u64 b_entries(struct nw_sim *s, struct nw_vm *b, bool vpid)
{
	return vpid ? 5 : 0;
}

TEST_F(inval, invlpg)
{
	struct nw_sim *s = self->e.s;
	u64 pb = pwc_entries(s, self->b, -1), p2 = pwc_entries(s, self->a, 2);

	/*
	 * A non-canonical address is a NOP (SDM vol. 2, INVLPG), though the
	 * TLB's keys would take it for 0x2000.
	 */
	nw_invlpg(s, 0x2000 | BIT_ULL(63));
	EXPECT_TRUE(cached(s, self->a, 1, 0x2000));
	EXPECT_EQ(9, entries(s, self->a));
	nw_invlpg(s, 0x2000);
	EXPECT_FALSE(cached(s, self->a, 1, 0x2000));
	EXPECT_TRUE(cached(s, self->a, 2, 0x2000));
	EXPECT_EQ(8, entries(s, self->a));
	EXPECT_EQ(b_entries(s, self->b, variant->vpid), entries(s, self->b));
	/* Walk caches: all of the current PCID, no other. */
	EXPECT_EQ(0, pwc_entries(s, self->a, 1));
	EXPECT_EQ(p2, pwc_entries(s, self->a, 2));
	EXPECT_EQ(pb, pwc_entries(s, self->b, -1));
	/* INVLPG removes a global translation too. */
	nw_invlpg(s, GLOBAL_VA);
	EXPECT_FALSE(cached(s, self->a, 1, GLOBAL_VA));
	EXPECT_EQ(7, entries(s, self->a));
	EXPECT_EQ(b_entries(s, self->b, variant->vpid), entries(s, self->b));
	/*
	 * Under EPT INVLPG does not exit: KVM never sees it, and counts
	 * vcpu->stat.tlb_flush only in its kvm_vcpu_flush_tlb_*() (x86.c).
	 */
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_TLB_FLUSH));
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_EXITS));
}

TEST_F(inval, invpcid_individual)
{
	struct nw_sim *s = self->e.s;
	u64 p1 = pwc_entries(s, self->a, 1);

	ASSERT_EQ(0, nw_invpcid(s, NW_INVPCID_ADDR, 2, 0x3000));
	EXPECT_FALSE(cached(s, self->a, 2, 0x3000));
	EXPECT_TRUE(cached(s, self->a, 1, 0x3000));
	EXPECT_EQ(8, entries(s, self->a));
	EXPECT_EQ(0, pwc_entries(s, self->a, 2));
	EXPECT_EQ(p1, pwc_entries(s, self->a, 1));
	/* Global translations survive type 0. */
	ASSERT_EQ(0, nw_invpcid(s, NW_INVPCID_ADDR, 1, GLOBAL_VA));
	EXPECT_TRUE(cached(s, self->a, 1, GLOBAL_VA));
	EXPECT_EQ(8, entries(s, self->a));
	EXPECT_EQ(b_entries(s, self->b, variant->vpid), entries(s, self->b));
}

TEST_F(inval, invpcid_single_context)
{
	struct nw_sim *s = self->e.s;
	int i;

	ASSERT_EQ(0, nw_invpcid(s, NW_INVPCID_SINGLE, 2, 0));
	for (i = 0; i < NPAGES; i++) {
		EXPECT_FALSE(cached(s, self->a, 2, page_va[i]));
		EXPECT_TRUE(cached(s, self->a, 1, page_va[i]));
	}
	EXPECT_TRUE(cached(s, self->a, 2, GLOBAL_VA));
	EXPECT_EQ(5, entries(s, self->a));
	EXPECT_EQ(b_entries(s, self->b, variant->vpid), entries(s, self->b));
}

TEST_F(inval, invpcid_all_with_globals)
{
	struct nw_sim *s = self->e.s;

	ASSERT_EQ(0, nw_invpcid(s, NW_INVPCID_ALL_GLOBAL, 0, 0));
	EXPECT_EQ(0, entries(s, self->a));
	EXPECT_EQ(0, pwc_entries(s, self->a, -1));
	EXPECT_EQ(b_entries(s, self->b, variant->vpid), entries(s, self->b));
	/* Guest-physical mappings are not linear: untouched. */
	EXPECT_LT(0, guest_phys(s, self->a));
}

TEST_F(inval, invpcid_all_but_globals)
{
	struct nw_sim *s = self->e.s;

	ASSERT_EQ(0, nw_invpcid(s, NW_INVPCID_ALL, 0, 0));
	EXPECT_EQ(1, entries(s, self->a));
	EXPECT_TRUE(cached(s, self->a, 1, GLOBAL_VA));
	EXPECT_EQ(b_entries(s, self->b, variant->vpid), entries(s, self->b));
	EXPECT_EQ(-EINVAL, nw_invpcid(s, 4, 0, 0));
}

/*
 * SDM INVPCID: #GP when bits 63:12 of the descriptor are not zero, for
 * every type (kvm_handle_invpcid() checks operand.pcid >> 12 the same
 * way); bits 11:0, the PCID, are not used by types 2 and 3.
 */
TEST_F(inval, invpcid_pcid_operand)
{
	struct nw_sim *s = self->e.s;
	int type;

	for (type = NW_INVPCID_ADDR; type <= NW_INVPCID_ALL; type++) {
		EXPECT_EQ(-EINVAL, nw_invpcid(s, type, 4096, 0x1000));
		/* Not truncated to 16 bits either. */
		EXPECT_EQ(-EINVAL, nw_invpcid(s, type, 0x10000, 0x1000));
	}
	EXPECT_EQ(9, entries(s, self->a));
	/* Type 3 with PCID 4095 acts as with PCID 0: only the global stays. */
	ASSERT_EQ(0, nw_invpcid(s, NW_INVPCID_ALL, NW_PCIDS - 1, 0));
	EXPECT_EQ(1, entries(s, self->a));
	ASSERT_EQ(0, nw_invpcid(s, NW_INVPCID_ALL_GLOBAL, 4095, 0));
	EXPECT_EQ(0, entries(s, self->a));
	/* Guest instructions under EPT: no exit, no flush of KVM's. */
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_EXITS));
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_TLB_FLUSH));
}

/*
 * The hypervisor's own flushes count, as KVM's kvm_vcpu_flush_tlb_*()
 * count vcpu->stat.tlb_flush; INVVPID individual-address is KVM's
 * flush_tlb_gva() (vpid_sync_vcpu_addr()), which does not.
 */
TEST_F(inval, hypervisor_flushes_count)
{
	struct nw_sim *s = self->e.s;

	if (!variant->vpid)
		return;
	ASSERT_EQ(0, nw_invvpid(s, NW_INVVPID_ADDR, 1, 0x1000));
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_TLB_FLUSH));
	ASSERT_EQ(0, nw_invvpid(s, NW_INVVPID_SINGLE, 1, 0));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_TLB_FLUSH));
	ASSERT_EQ(0, nw_invept(s, NW_INVEPT_SINGLE, self->b));
	EXPECT_EQ(2, nw_sim_counter(s, NW_C_TLB_FLUSH));
	nw_mov_cr3(s, 2, false);
	EXPECT_EQ(2, nw_sim_counter(s, NW_C_TLB_FLUSH));
}

TEST_F(inval, mov_cr3)
{
	struct nw_sim *s = self->e.s;

	/* Bit 63 set: nothing is invalidated. */
	nw_mov_cr3(s, 2, true);
	EXPECT_EQ(9, entries(s, self->a));
	/* Bit 63 clear: the new PCID's non-global mappings go. */
	nw_mov_cr3(s, 1, false);
	EXPECT_EQ(5, entries(s, self->a));
	EXPECT_FALSE(cached(s, self->a, 1, 0x1000));
	EXPECT_TRUE(cached(s, self->a, 2, 0x1000));
	EXPECT_TRUE(cached(s, self->a, 1, GLOBAL_VA));
	EXPECT_EQ(0, pwc_entries(s, self->a, 1));
	EXPECT_EQ(b_entries(s, self->b, variant->vpid), entries(s, self->b));
}

TEST_F(inval, invvpid)
{
	struct nw_sim *s = self->e.s;
	u16 va = self->a->cfg.vpid, vb = self->b->cfg.vpid;
	u64 far;

	if (!variant->vpid) {
		/* VPID 0 is VMX root's: VMfailValid, nothing removed. */
		EXPECT_EQ(-EINVAL, nw_invvpid(s, NW_INVVPID_ADDR, 0, 0x1000));
		EXPECT_EQ(-EINVAL, nw_invvpid(s, NW_INVVPID_SINGLE, 0, 0));
		EXPECT_EQ(-EINVAL, nw_invvpid(s, NW_INVVPID_SINGLE_KEEP_GLOBAL,
					      0, 0));
		/* All-context spares VPID 0: these entries stay. */
		EXPECT_EQ(0, nw_invvpid(s, NW_INVVPID_ALL, 0, 0));
		EXPECT_EQ(9, entries(s, self->a));
		return;
	}
	/* Individual address: every PCID, globals too, this VPID only. */
	ASSERT_EQ(0, nw_as_map(nw_as_find(self->a, 1), FAR_VA, 0x300000, 4096,
			       NW_PTE, NW_X86_RW));
	ASSERT_EQ(NW_OK, nw_access(s, FAR_VA, 1, NW_READ));
	far = pwc_covering(s, self->a, FAR_VA);
	ASSERT_LT(0, far);
	ASSERT_LT(0, pwc_covering(s, self->a, 0x2000));
	ASSERT_EQ(0, nw_invvpid(s, NW_INVVPID_ADDR, va, 0x2000));
	/* Walk caches: what translates 0x2000 goes, the far page's stays. */
	EXPECT_EQ(0, pwc_covering(s, self->a, 0x2000));
	EXPECT_EQ(far, pwc_covering(s, self->a, FAR_VA));
	nw_invvpid(s, NW_INVVPID_ADDR, va, FAR_VA);
	EXPECT_FALSE(cached(s, self->a, 1, 0x2000));
	EXPECT_FALSE(cached(s, self->a, 2, 0x2000));
	EXPECT_EQ(7, entries(s, self->a));
	EXPECT_EQ(5, entries(s, self->b));
	ASSERT_EQ(0, nw_invvpid(s, NW_INVVPID_ADDR, va, GLOBAL_VA));
	EXPECT_EQ(6, entries(s, self->a));
	/* Single context retaining globals, on B. */
	ASSERT_EQ(0, nw_invvpid(s, NW_INVVPID_SINGLE_KEEP_GLOBAL, vb, 0));
	EXPECT_EQ(1, entries(s, self->b));
	EXPECT_TRUE(cached(s, self->b, 1, GLOBAL_VA));
	EXPECT_EQ(6, entries(s, self->a));
	/* Single context: everything of A, B untouched. */
	ASSERT_EQ(0, nw_invvpid(s, NW_INVVPID_SINGLE, va, 0));
	EXPECT_EQ(0, entries(s, self->a));
	EXPECT_EQ(0, pwc_entries(s, self->a, -1));
	EXPECT_EQ(1, entries(s, self->b));
	/* All contexts. */
	ASSERT_EQ(0, nw_invvpid(s, NW_INVVPID_ALL, 0, 0));
	EXPECT_EQ(0, entries(s, self->b));
	EXPECT_EQ(-EINVAL, nw_invvpid(s, 7, va, 0));
}

TEST_F(inval, invvpid_all_contexts)
{
	struct nw_sim *s = self->e.s;
	u64 ea = entries(s, self->a), eb = entries(s, self->b);

	ASSERT_EQ(0, nw_invvpid(s, NW_INVVPID_ALL, 0, 0));
	if (variant->vpid) {
		EXPECT_EQ(0, entries(s, self->a));
		EXPECT_EQ(0, entries(s, self->b));
	} else {
		/* All contexts means every VPID but 0000H (SDM, INVVPID). */
		EXPECT_LT(0, ea);
		EXPECT_EQ(ea, entries(s, self->a));
		EXPECT_EQ(eb, entries(s, self->b));
	}
	/* Guest-physical mappings are EPTP-tagged: INVVPID leaves them. */
	EXPECT_LT(0, guest_phys(s, self->a));
}

TEST_F(inval, invept_single)
{
	struct nw_sim *s = self->e.s;
	u64 gb = guest_phys(s, self->b);

	ASSERT_EQ(0, nw_invept(s, NW_INVEPT_SINGLE, self->a));
	EXPECT_EQ(0, entries(s, self->a));
	EXPECT_EQ(0, guest_phys(s, self->a));
	EXPECT_EQ(0, pwc_entries(s, self->a, -1));
	EXPECT_EQ(b_entries(s, self->b, variant->vpid), entries(s, self->b));
	EXPECT_EQ(gb, guest_phys(s, self->b));
}

TEST_F(inval, invept_global)
{
	struct nw_sim *s = self->e.s;

	ASSERT_EQ(0, nw_invept(s, NW_INVEPT_GLOBAL, NULL));
	EXPECT_EQ(0, entries(s, self->a));
	EXPECT_EQ(0, entries(s, self->b));
	EXPECT_EQ(0, guest_phys(s, self->a));
	EXPECT_EQ(0, guest_phys(s, self->b));
	EXPECT_EQ(-EINVAL, nw_invept(s, 3, NULL));
}

TEST_F(inval, vm_exit_and_entry)
{
	struct nw_sim *s = self->e.s;

	nw_vm_exit(s);
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_EXITS));
	EXPECT_EQ(variant->vpid ? 9 : 0, entries(s, self->a));
	nw_vm_enter(s, self->a);
	EXPECT_EQ(variant->vpid ? 9 : 0, entries(s, self->a));
	EXPECT_EQ(b_entries(s, self->b, variant->vpid), entries(s, self->b));
	/* Guest-physical mappings survive either way. */
	EXPECT_LT(0, guest_phys(s, self->a));
}

/* The VPID experiment. */
FIXTURE(vpid) {
	struct env e;
	struct nw_vm *a, *b;
};

FIXTURE_VARIANT(vpid) {
	bool vpid;
};

FIXTURE_VARIANT_ADD(vpid, on) {
	.vpid = true,
};

FIXTURE_VARIANT_ADD(vpid, off) {
	.vpid = false,
};

#define WS_PAGES	48	/* within a 64-entry TLB's reach */

FIXTURE_SETUP(vpid)
{
	struct nw_sim_cfg cfg;
	struct nw_as *as;

	env_cfg_bare(&cfg);
	ASSERT_EQ(0, env_init(&self->e, &cfg));
	ASSERT_EQ(0, env_vm(&self->e, NW_MODE_EPT, 4, 4, NW_PDE,
			    variant->vpid ? 1 : 0, &self->a));
	ASSERT_EQ(0, env_vm(&self->e, NW_MODE_EPT, 4, 4, NW_PDE,
			    variant->vpid ? 2 : 0, &self->b));
	ASSERT_EQ(0, nw_as_create(self->a, 0, &as));
	ASSERT_EQ(0, nw_as_map(as, 0x400000, 0x400000, WS_PAGES * 4096,
			       NW_PTE, NW_X86_RW));
	ASSERT_EQ(0, nw_as_create(self->b, 0, &as));
	ASSERT_EQ(0, nw_as_map(as, 0x400000, 0x400000, 8 * 4096, NW_PTE,
			       NW_X86_RW));
}

FIXTURE_TEARDOWN(vpid)
{
	env_fini(&self->e);
}

static u64 sweep(struct nw_sim *s, int pages)
{
	u64 before = s->cnt[NW_C_TLB_MISS];
	int p;

	for (p = 0; p < pages; p++)
		nw_access(s, 0x400000 + p * 4096ULL, 0, NW_READ);
	return s->cnt[NW_C_TLB_MISS] - before;
}

TEST_F(vpid, switch_and_back)
{
	struct nw_sim *s = self->e.s;
	u64 cold;

	nw_vm_enter(s, self->a);
	cold = sweep(s, WS_PAGES);
	EXPECT_EQ(WS_PAGES, cold);
	EXPECT_EQ(0, sweep(s, WS_PAGES));	/* warm: within reach */

	nw_vm_switch(s, self->b);
	sweep(s, 8);
	nw_vm_switch(s, self->a);
	EXPECT_EQ(variant->vpid ? 0 : cold, sweep(s, WS_PAGES));
	/*
	 * Without VPID the hardware flushes VPID 0 on every entry and exit
	 * (SDM 29.1): not a flush KVM makes, so tlb_flush stays 0 (x86.c
	 * counts only its kvm_vcpu_flush_tlb_*()).
	 */
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_TLB_FLUSH));
}

TEST_HARNESS_MAIN
