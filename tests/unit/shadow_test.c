// SPDX-License-Identifier: GPL-2.0
/*
 * Shadow paging: fills on first touch, one trap per guest page-table
 * write, shadow entries removed for what the write changed, one shadow
 * root per CR3.
 */
#include "kselftest_harness.h"
#include "env.h"

#define VA	0x40000000ULL
#define NPAGES	16

FIXTURE(shadow) {
	struct env e;
	struct nw_vm *vm;
	struct nw_as *as;
};

FIXTURE_SETUP(shadow)
{
	struct nw_sim_cfg cfg;
	int p;

	env_cfg_bare(&cfg);
	ASSERT_EQ(0, env_init(&self->e, &cfg));
	ASSERT_EQ(0, env_vm(&self->e, NW_MODE_SHADOW, 4, 0, NW_PTE, 1,
			    &self->vm));
	ASSERT_EQ(0, nw_as_create(self->vm, 0, &self->as));
	ASSERT_EQ(0, nw_as_map(self->as, VA, 0x100000, NPAGES * 4096,
			       NW_PTE, NW_X86_RW | NW_X86_US));
	nw_vm_enter(self->e.s, self->vm);
	for (p = 0; p < NPAGES; p++)
		ASSERT_EQ(NW_OK, nw_access(self->e.s, VA + p * 4096ULL, 0,
					   NW_READ));
	ASSERT_EQ(NPAGES, nw_sim_counter(self->e.s, NW_C_PF_FIXED));
	ASSERT_EQ(NPAGES, nw_sim_counter(self->e.s, NW_C_EXITS));
	nw_sim_reset_counters(self->e.s);
}

FIXTURE_TEARDOWN(shadow)
{
	env_fini(&self->e);
}

static u64 pte_gpa(struct nw_as *as, u64 va, int level)
{
	return nw_pt_entry_addr(&as->gpt, va, level);
}

TEST_F(shadow, filled_walk_is_four_references)
{
	struct nw_sim *s = self->e.s;
	struct nw_inval all = {
		.any_pcid = true, .globals = true, .any_addr = true,
	};

	nw_tlb_inval(&s->tlb, &all);
	ASSERT_EQ(NW_OK, nw_access(s, VA + 0x3000, 0, NW_READ));
	EXPECT_EQ(4, s->last.refs);
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_EXITS));
	EXPECT_EQ(env_slot_hpa(self->vm->id) + 0x103000, s->last.hpa);
	/* Shadow tables: root, PDPT, PD, PT. */
	EXPECT_EQ(4, nw_sim_counter(s, NW_C_SHADOW_PAGES));
}

static u64 hpa_of(struct nw_vm *vm, u64 gpa)
{
	return env_slot_hpa(vm->id) + gpa;
}

/*
 * mmu_try_to_unsync_pages() / kvm_unsync_page(): a guest PT only
 * last-level shadow pages use goes unsync on its first write - one exit,
 * a fault fixed - and the guest then writes it freely. kvm_mmu_invlpg()
 * syncs the entry of its address (the page stays unsync); a CR3 load
 * that flushes syncs the page (kvm_invalidate_pcid(), KVM_REQ_MMU_SYNC).
 */
TEST_F(shadow, unsync_pt_takes_writes_until_resync)
{
	struct nw_sim *s = self->e.s;
	u64 pte[NPAGES], val[NPAGES];
	int k, p;

	for (p = 0; p < NPAGES; p++) {
		pte[p] = pte_gpa(self->as, VA + p * 4096ULL, NW_PTE);
		ASSERT_NE(0, pte[p]);
		val[p] = *self->vm->gspace.entry(self->vm, pte[p]);
	}
	/* 1000 writes: PTE 2 remapped, PTE 5 cleared, the rest unchanged. */
	val[2] = nw_x86_make(0x202000, NW_PTE, true,
			     NW_X86_RW | NW_X86_US | NW_X86_A);
	val[5] = 0;
	for (k = 0; k < 1000; k++)
		ASSERT_EQ(0, nw_guest_pte_write(self->vm, pte[k % NPAGES],
						val[k % NPAGES]));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_EXITS));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_PF_FIXED));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_MMU_UNSYNC));
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_MMU_PTE_WRITE));
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_MMU_SHADOW_ZAPPED));
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_TLB_FLUSH));

	/* INVLPG: that entry is synced, and dropped (its gfn changed). */
	nw_invlpg(s, VA + 0x2000);
	EXPECT_EQ(2, nw_sim_counter(s, NW_C_EXITS));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_MMU_UNSYNC));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_TLB_FLUSH));
	ASSERT_EQ(NW_OK, nw_access(s, VA + 0x2000, 0, NW_READ));
	EXPECT_EQ(hpa_of(self->vm, 0x202000), s->last.hpa);
	EXPECT_EQ(2, nw_sim_counter(s, NW_C_PF_FIXED));
	/* Not synced yet: the cleared PTE's shadow entry still serves. */
	ASSERT_EQ(NW_OK, nw_access(s, VA + 0x5000, 0, NW_READ));
	EXPECT_EQ(hpa_of(self->vm, 0x105000), s->last.hpa);

	/* A flushing CR3 load syncs the page: the cleared PTE faults. */
	nw_mov_cr3(s, 0, false);
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_MMU_UNSYNC));
	EXPECT_EQ(2, nw_sim_counter(s, NW_C_TLB_FLUSH));
	EXPECT_EQ(NW_GUEST_PF, nw_access(s, VA + 0x5000, 0, NW_READ));
	nw_sim_reset_counters(s);
	for (p = 0; p < NPAGES; p++)
		if (p != 5)
			ASSERT_EQ(NW_OK, nw_access(s, VA + p * 4096ULL, 0,
						   NW_READ));
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_PF_FIXED));
	EXPECT_EQ(hpa_of(self->vm, 0x10f000), s->last.hpa);
	/* Synced, it is write-protected again: the next write exits. */
	ASSERT_EQ(0, nw_guest_pte_write(self->vm, pte[5], 0));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_EXITS));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_MMU_UNSYNC));
}

TEST_F(shadow, data_writes_do_not_trap)
{
	struct nw_sim *s = self->e.s;

	/* A guest page that holds no page table is not write-protected. */
	ASSERT_EQ(0, nw_guest_pte_write(self->vm, 0x100008, 42));
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_EXITS));
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_MMU_PTE_WRITE));
}

TEST_F(shadow, upper_level_write_zaps_the_subtree)
{
	struct nw_sim *s = self->e.s;
	u64 pde = pte_gpa(self->as, VA, NW_PDE), val;
	u64 *ep;
	int p;

	ASSERT_NE(0, pde);
	ep = self->vm->gspace.entry(self->vm, pde);
	ASSERT_NE(NULL, ep);
	val = *ep;
	/*
	 * Rewrite the same value: an upper-level table is write-tracked,
	 * so a trap, emulated (kvm_mmu_track_write()): the entry goes, no
	 * page (mmu_shadow_zapped counts pages, kvm_mmu_prepare_zap_page()),
	 * and a present entry zapped is a flush (kvm_flush_remote_tlbs()).
	 */
	ASSERT_EQ(0, nw_guest_pte_write(self->vm, pde, val));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_EXITS));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_MMU_PTE_WRITE));
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_MMU_SHADOW_ZAPPED));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_TLB_FLUSH));
	/* Root, PDPT and PD remain; the shadow PT went. */
	EXPECT_EQ(3, nw_sim_counter(s, NW_C_SHADOW_PAGES));
	nw_mov_cr3(s, 0, false);
	nw_sim_reset_counters(s);
	for (p = 0; p < NPAGES; p++)
		ASSERT_EQ(NW_OK, nw_access(s, VA + p * 4096ULL, 0, NW_READ));
	EXPECT_EQ(NPAGES, nw_sim_counter(s, NW_C_PF_FIXED));
}

TEST_F(shadow, builder_writes_trap_too)
{
	struct nw_sim *s = self->e.s;

	/* A new PTE in an already shadowed guest PT page: it goes unsync. */
	ASSERT_EQ(0, nw_as_map(self->as, VA + NPAGES * 4096ULL, 0x300000,
			       4096, NW_PTE, NW_X86_RW));
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_MMU_PTE_WRITE));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_MMU_UNSYNC));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_EXITS));
	/* A second one in the same table: no exit. */
	ASSERT_EQ(0, nw_as_map(self->as, VA + (NPAGES + 1) * 4096ULL,
			       0x301000, 4096, NW_PTE, NW_X86_RW));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_EXITS));
}

TEST_F(shadow, first_write_upgrades_once)
{
	struct nw_sim *s = self->e.s;

	/* Filled by a read with guest D clear: read-only in the shadow. */
	ASSERT_EQ(NW_OK, nw_access(s, VA, 0, NW_WRITE));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_PF_FIXED));
	ASSERT_EQ(NW_OK, nw_access(s, VA, 0, NW_WRITE));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_PF_FIXED));
}

TEST_F(shadow, cr3_selects_shadow_root)
{
	struct nw_sim *s = self->e.s;
	struct nw_as *as2;

	ASSERT_EQ(0, nw_as_create(self->vm, 5, &as2));
	ASSERT_EQ(0, nw_as_map(as2, VA, 0x500000, 4096, NW_PTE, NW_X86_RW));
	nw_mov_cr3(s, 5, false);
	ASSERT_EQ(NW_OK, nw_access(s, VA, 5, NW_READ));
	EXPECT_EQ(env_slot_hpa(self->vm->id) + 0x500000, s->last.hpa);
	EXPECT_NE(self->as->spt.root, as2->spt.root);
	EXPECT_EQ(8, nw_sim_counter(s, NW_C_SHADOW_PAGES));
	/* MOV CR3 and INVLPG are intercepted under shadow paging. */
	EXPECT_EQ(2, nw_sim_counter(s, NW_C_EXITS));
	/* The guest's #PF is reflected, not fixed. */
	EXPECT_EQ(NW_GUEST_PF, nw_access(s, VA + 0x100000, 5, NW_READ));
}

TEST_HARNESS_MAIN
