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

/*
 * kvm_mmu_track_write(): a write to a PDPT that two address spaces share
 * zaps the written entry in each shadow page of that gfn, nothing else.
 * (The old model dropped every shadow table of the VM.)
 */
TEST_F(shadow, shared_pdpt_write_zaps_the_entry)
{
	struct nw_sim *s = self->e.s;
	u64 va2 = 2ULL << 30, pml4e, pdpte2, *ep;
	struct nw_as *as2;
	int p;

	ASSERT_EQ(0, nw_as_map(self->as, va2, 0x400000, 4096, NW_PTE,
			       NW_X86_RW));
	ASSERT_EQ(0, nw_as_create(self->vm, 5, &as2));
	pml4e = pte_gpa(self->as, VA, NW_PML4E);
	ep = self->vm->gspace.entry(self->vm, pml4e);
	ASSERT_NE(NULL, ep);
	/* PCID 5's root points at PCID 0's PDPT (its root is not shadowed). */
	ASSERT_EQ(0, nw_guest_pte_write(self->vm, pte_gpa(as2, VA, NW_PML4E),
					*ep));
	nw_mov_cr3(s, 5, false);
	for (p = 0; p < NPAGES; p++)
		ASSERT_EQ(NW_OK, nw_access(s, VA + p * 4096ULL, 5, NW_READ));
	ASSERT_EQ(NW_OK, nw_access(s, va2, 5, NW_READ));
	nw_mov_cr3(s, 0, false);
	ASSERT_EQ(NW_OK, nw_access(s, va2, 0, NW_READ));
	/* Each: root, PDPT, and PD + PT under each of the two PDPTEs. */
	EXPECT_EQ(12, nw_sim_counter(s, NW_C_SHADOW_PAGES));
	nw_sim_reset_counters(s);

	pdpte2 = pte_gpa(self->as, va2, NW_PDPTE);
	ASSERT_EQ(pdpte2, pte_gpa(as2, va2, NW_PDPTE));
	ASSERT_EQ(0, nw_guest_pte_write(self->vm, pdpte2, 0));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_EXITS));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_MMU_PTE_WRITE));
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_MMU_SHADOW_ZAPPED));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_TLB_FLUSH));
	/* The PD and PT under that entry, in each address space. */
	EXPECT_EQ(8, nw_sim_counter(s, NW_C_SHADOW_PAGES));
	for (p = 0; p < NPAGES; p++) {
		ASSERT_EQ(NW_OK, nw_access(s, VA + p * 4096ULL, 0, NW_READ));
		ASSERT_EQ(NW_OK, nw_access(s, VA + p * 4096ULL, 5, NW_READ));
	}
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_PF_FIXED));
	EXPECT_EQ(NW_GUEST_PF, nw_access(s, va2, 0, NW_READ));
}

/*
 * detect_write_flooding(): the third emulated write to an upper-level
 * page with no fault through it in between zaps the page - one page in
 * mmu_shadow_zapped (kvm_mmu_prepare_zap_page()), not one per entry.
 */
TEST_F(shadow, write_flooding_zaps_the_page)
{
	struct nw_sim *s = self->e.s;
	u64 pde = pte_gpa(self->as, VA, NW_PDE), val;

	val = *self->vm->gspace.entry(self->vm, pde);
	ASSERT_EQ(0, nw_guest_pte_write(self->vm, pde + 8, 0));
	ASSERT_EQ(0, nw_guest_pte_write(self->vm, pde + 16, 0));
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_MMU_SHADOW_ZAPPED));
	EXPECT_EQ(4, nw_sim_counter(s, NW_C_SHADOW_PAGES));
	ASSERT_EQ(0, nw_guest_pte_write(self->vm, pde + 24, 0));
	EXPECT_EQ(3, nw_sim_counter(s, NW_C_EXITS));
	EXPECT_EQ(3, nw_sim_counter(s, NW_C_MMU_PTE_WRITE));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_MMU_SHADOW_ZAPPED));
	/* The PD went from the PDPT, the PT with it: root and PDPT stay. */
	EXPECT_EQ(2, nw_sim_counter(s, NW_C_SHADOW_PAGES));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_TLB_FLUSH));
	/* A fault through a page restarts its count. */
	nw_sim_reset_counters(s);
	ASSERT_EQ(NW_OK, nw_access(s, VA, 0, NW_READ));
	ASSERT_EQ(0, nw_guest_pte_write(self->vm, pde + 8, 0));
	ASSERT_EQ(0, nw_guest_pte_write(self->vm, pde + 16, 0));
	ASSERT_EQ(NW_OK, nw_access(s, VA + 0x1000, 0, NW_READ));
	ASSERT_EQ(0, nw_guest_pte_write(self->vm, pde + 24, val));
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_MMU_SHADOW_ZAPPED));
}

/*
 * INVPCID exits under shadow paging ("INVLPG exiting" and "enable
 * INVPCID", SDM Vol. 3C 26.1.3); kvm_handle_invpcid() flushes for the
 * current PCID's single context and for all contexts, not for one address.
 */
TEST_F(shadow, invpcid_exits)
{
	struct nw_sim *s = self->e.s;

	ASSERT_EQ(0, nw_invpcid(s, NW_INVPCID_ADDR, 0, VA));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_EXITS));
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_TLB_FLUSH));
	ASSERT_EQ(0, nw_invpcid(s, NW_INVPCID_SINGLE, 7, 0));
	EXPECT_EQ(2, nw_sim_counter(s, NW_C_EXITS));
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_TLB_FLUSH));
	ASSERT_EQ(0, nw_invpcid(s, NW_INVPCID_SINGLE, 0, 0));
	EXPECT_EQ(3, nw_sim_counter(s, NW_C_EXITS));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_TLB_FLUSH));
	ASSERT_EQ(0, nw_invpcid(s, NW_INVPCID_ALL, 4095, 0));
	EXPECT_EQ(4, nw_sim_counter(s, NW_C_EXITS));
	EXPECT_EQ(2, nw_sim_counter(s, NW_C_TLB_FLUSH));
	/* Refused (#GP): no exit of the hypervisor's. */
	EXPECT_EQ(-EINVAL, nw_invpcid(s, NW_INVPCID_ALL, 4096, 0));
	EXPECT_EQ(4, nw_sim_counter(s, NW_C_EXITS));
}

/*
 * INVPCID all-context is KVM_REQ_TLB_FLUSH_GUEST: kvm_vcpu_flush_tlb_guest()
 * counts one flush and syncs every root (kvm_mmu_sync_roots(),
 * kvm_mmu_sync_prev_roots()); the entry the sync drops raises a remote
 * flush, served on the next entry: two in all.
 */
TEST_F(shadow, invpcid_all_syncs_every_root)
{
	struct nw_sim *s = self->e.s;
	u64 pte = pte_gpa(self->as, VA + 0x2000, NW_PTE);

	ASSERT_EQ(0, nw_guest_pte_write(self->vm, pte,
					nw_x86_make(0x202000, NW_PTE, true,
						    NW_X86_RW | NW_X86_A)));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_MMU_UNSYNC));
	ASSERT_EQ(0, nw_invpcid(s, NW_INVPCID_ALL_GLOBAL, 0, 0));
	EXPECT_EQ(2, nw_sim_counter(s, NW_C_EXITS));
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_MMU_UNSYNC));
	EXPECT_EQ(2, nw_sim_counter(s, NW_C_TLB_FLUSH));
	ASSERT_EQ(NW_OK, nw_access(s, VA + 0x2000, 0, NW_READ));
	EXPECT_EQ(hpa_of(self->vm, 0x202000), s->last.hpa);
	/* Nothing left to sync: one flush, KVM_REQ_TLB_FLUSH_GUEST's. */
	ASSERT_EQ(0, nw_invpcid(s, NW_INVPCID_ALL, 0, 0));
	EXPECT_EQ(3, nw_sim_counter(s, NW_C_TLB_FLUSH));
}

/*
 * tlb_flush under shadow paging, as KVM counts it: INVLPG exits but its
 * flush_tlb_gva() is not counted; a CR3 load without the no-flush bit is
 * KVM_REQ_TLB_FLUSH_CURRENT (one), with it none.
 */
TEST_F(shadow, tlb_flush_counts_as_kvm)
{
	struct nw_sim *s = self->e.s;

	nw_invlpg(s, VA);
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_EXITS));
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_TLB_FLUSH));
	nw_mov_cr3(s, 0, true);
	EXPECT_EQ(2, nw_sim_counter(s, NW_C_EXITS));
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_TLB_FLUSH));
	nw_mov_cr3(s, 0, false);
	EXPECT_EQ(3, nw_sim_counter(s, NW_C_EXITS));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_TLB_FLUSH));
}

#define QVA	(1ULL << 39)	/* another PML4E: its own PDPT */

/* Map and touch @n pages at 2 MiB strides from QVA: a guest PT each. */
static int touch_tables(struct nw_sim *s, struct nw_as *as, int from, int n)
{
	int i, err = 0;

	for (i = from; !err && i < from + n; i++) {
		err = nw_as_map(as, QVA + i * (2ULL << 20), 0x1000000 +
				i * 4096ULL, 4096, NW_PTE, NW_X86_RW);
		if (!err && nw_access(s, QVA + i * (2ULL << 20), as->pcid,
				      NW_READ) != NW_OK)
			err = -EFAULT;
	}
	return err;
}

/*
 * kvm_mmu_calculate_default_mmu_pages(): a 4 GiB memslot allows 2% of
 * 1 Mi pages, 20971 shadow pages, so 3100 guest page tables (and the 7
 * PDs, the PDPT above them) zap nothing - the old model's 3072 did.
 */
TEST_F(shadow, quota_is_two_percent_of_memslots)
{
	struct nw_sim *s = self->e.s;

	EXPECT_EQ(20971, self->vm->wp_quota);
	ASSERT_EQ(0, touch_tables(s, self->as, 0, 3100));
	EXPECT_EQ(3100, nw_sim_counter(s, NW_C_PF_FIXED));
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_MMU_SHADOW_ZAPPED));
	EXPECT_EQ(0, nw_sim_counter(s, NW_C_MMU_RECYCLED));
	/* Root, PDPT, PD, PT of the fixture; 3100 PTs, 7 PDs, a PDPT. */
	EXPECT_EQ(4 + 3100 + 7 + 1, self->vm->wp_used);
}

/* Records of level-1 pages whose region starts below QVA + @below. */
static int pts_below(struct nw_vm *vm, int below)
{
	int n = 0;
	u32 i;

	for (i = 0; i < vm->wp_cap; i++)
		n += vm->wp[i].used && vm->wp[i].level == NW_PTE &&
		     vm->wp[i].va >= QVA &&
		     vm->wp[i].va < QVA + below * (2ULL << 20);
	return n;
}

/*
 * make_mmu_pages_available(): with 64 pages allowed (KVM's minimum,
 * KVM_MIN_ALLOC_MMU_PAGES), the fault that finds 4 free (fewer than
 * KVM_MIN_FREE_MMU_PAGES) zaps the 21 oldest that are not roots, to
 * have KVM_REFILL_PAGES free (kvm_mmu_zap_oldest_mmu_pages(), counted in
 * mmu_recycled and mmu_shadow_zapped).
 */
TEST(shadow_quota_reclaims_oldest)
{
	struct nw_sim_cfg cfg;
	struct nw_vm *vm;
	struct nw_as *as;
	struct env e;
	int n;

	env_cfg_bare(&cfg);
	ASSERT_EQ(0, env_init(&e, &cfg));
	ASSERT_EQ(0, nw_vm_create(e.s, &(struct nw_vm_cfg){
		.mode = NW_MODE_SHADOW, .vpid = 1, .guest_levels = 4,
		.max_level = NW_PDPTE, .gpt_base = ENV_GPT_BASE,
		.gpt_size = ENV_GPT_SIZE }, &vm));
	ASSERT_EQ(0, simmem_slot(&e.mem, vm->id, 0, ENV_GUEST_SIZE,
				 env_slot_hpa(vm->id), NW_PTE));
	/* A 12.5 MiB memslot: 2% of 3200 pages is below the minimum. */
	nw_shadow_slot_added(vm, 3200);
	EXPECT_EQ(64, vm->wp_quota);
	ASSERT_EQ(0, nw_as_create(vm, 0, &as));
	nw_vm_enter(e.s, vm);
	/* Root, PDPT, PD, then 57 PTs: 60 pages, none recycled. */
	ASSERT_EQ(0, touch_tables(e.s, as, 0, 57));
	EXPECT_EQ(60, vm->wp_used);
	EXPECT_EQ(0, nw_sim_counter(e.s, NW_C_MMU_RECYCLED));
	/*
	 * The next fault: PDPT, PD and the 19 oldest PTs go (the root
	 * stays), then PDPT, PD and the new PT are made again.
	 */
	ASSERT_EQ(0, touch_tables(e.s, as, 57, 1));
	EXPECT_EQ(21, nw_sim_counter(e.s, NW_C_MMU_RECYCLED));
	EXPECT_EQ(21, nw_sim_counter(e.s, NW_C_MMU_SHADOW_ZAPPED));
	EXPECT_EQ(42, vm->wp_used);
	EXPECT_EQ(0, pts_below(vm, 19));
	n = pts_below(vm, 58);
	EXPECT_EQ(58 - 19, n);
	/* A 4 GiB memslot more: room grows, the pages stay as they were. */
	nw_shadow_slot_added(vm, ENV_GUEST_SIZE >> NW_PAGE_SHIFT);
	EXPECT_EQ(21035, vm->wp_quota);
	EXPECT_EQ(n, pts_below(vm, 58));
	ASSERT_EQ(NW_OK, nw_access(e.s, QVA + 20 * (2ULL << 20), 0, NW_READ));
	EXPECT_EQ(42, vm->wp_used);
	env_fini(&e);
}

TEST_HARNESS_MAIN
