// SPDX-License-Identifier: GPL-2.0
/*
 * Access rights under the guest's control registers (SDM 4.6.1
 * "Determination of Access Rights", 4.6.2 "Protection Keys", 4.7 "Page-
 * Fault Exceptions"), canonical addresses (SDM 4.5.1), accessed flags
 * (SDM 4.8, 4.10.3.1) and the host's view of guest page-table reads
 * (SDM 29.3.3.2, AMD APM vol. 2 15.25.5, KVM's FNAME(walk_addr_generic)).
 */
#include "kselftest_harness.h"
#include "env.h"
#include "presets.h"

#define VA	0x7f1240000000ULL	/* 1 GiB aligned */
#define GPA	0x40000000ULL
#define PG(n)	(VA + (n) * NW_PAGE_SIZE)
#define VB	(VA + (2ULL << 20))	/* the next 2 MiB */

/* The pages every VM here maps, by their index in PG(). */
enum {
	P_U,		/* user, writable */
	P_URO,		/* user, read-only */
	P_S,		/* supervisor, writable */
	P_SRO,		/* supervisor, read-only */
	P_K3,		/* user, writable, protection key 3 */
	P_K5,		/* user, writable, protection key 5 */
	P_SK3,		/* supervisor, writable, key 3 */
	P_NR
};

static const u64 page_flags[P_NR] = {
	[P_U] = NW_X86_RW | NW_X86_US,
	[P_URO] = NW_X86_US,
	[P_S] = NW_X86_RW,
	[P_SRO] = 0,
	[P_K3] = NW_X86_RW | NW_X86_US | 3ULL << NW_X86_PKEY_SHIFT,
	[P_K5] = NW_X86_RW | NW_X86_US | 5ULL << NW_X86_PKEY_SHIFT,
	[P_SK3] = NW_X86_RW | 3ULL << NW_X86_PKEY_SHIFT,
};

/* PKRU: key 3 access-disabled (bit 6), key 5 write-disabled (bit 11). */
#define PKRU_AD3_WD5	(BIT(6) | BIT(11))

/*
 * A VM of @mode with @levels guest levels and control registers @cr, the
 * pages above mapped at PG(0)..., running; @pwc: the skylake walk caches.
 */
static int rvm(struct env *e, int mode, int levels, const struct nw_cr *cr,
	       bool pwc, struct nw_vm **vm, struct nw_as **as)
{
	struct nw_vm_cfg c = {
		.mode = mode, .guest_levels = levels,
		.host_levels = mode == NW_MODE_NATIVE ? 0 : 4,
		.max_level = NW_PTE, .cr = *cr,
		.gpt_base = ENV_GPT_BASE, .gpt_size = ENV_GPT_SIZE,
	};
	u64 data = mode == NW_MODE_NATIVE ? ENV_NATIVE_DATA : GPA;
	struct nw_sim_cfg cfg, sky;
	int err, i;

	env_cfg_bare(&cfg);
	if (pwc) {
		err = nw_preset(NW_PRESET_SKYLAKE, &sky);
		if (err)
			return err;
		cfg.pwc = sky.pwc;
	}
	err = env_init(e, &cfg);
	if (!err)
		err = nw_vm_create(e->s, &c, vm);
	if (!err && mode != NW_MODE_NATIVE)
		err = simmem_slot(&e->mem, (*vm)->id, 0, ENV_GUEST_SIZE,
				  env_slot_hpa((*vm)->id), NW_PTE);
	if (!err)
		err = nw_as_create(*vm, 1, as);
	for (i = 0; !err && i < P_NR; i++)
		err = nw_as_map(*as, PG(i), data + i * NW_PAGE_SIZE,
				NW_PAGE_SIZE, NW_PTE, page_flags[i]);
	if (!err && mode != NW_MODE_NATIVE)
		err = nw_vm_map(*vm, GPA, 16 * NW_PAGE_SIZE);
	if (!err)
		nw_vm_enter(e->s, *vm);
	return err;
}

static u64 cnt(struct env *e, enum nw_counter c)
{
	return nw_sim_counter(e->s, c);
}

/*
 * SDM 4.6.1: with CR0.WP = 0 a supervisor write ignores R/W (on a
 * supervisor page, and on a user page without SMAP); a user write does
 * not. CR0.WP = 1 (the default) keeps R/W for both.
 */
TEST(cr0_wp_0_lets_supervisor_writes_through)
{
	struct nw_cr wp0 = { .no_wp = true }, wp1 = { 0 };
	struct nw_vm *vm;
	struct nw_as *as;
	struct env e;

	ASSERT_EQ(0, rvm(&e, NW_MODE_NATIVE, 4, &wp0, false, &vm, &as));
	EXPECT_EQ(NW_OK, nw_access(e.s, PG(P_SRO), 1, NW_WRITE));
	EXPECT_EQ(NW_OK, nw_access(e.s, PG(P_URO), 1, NW_WRITE));
	EXPECT_EQ(NW_GUEST_PF, nw_access(e.s, PG(P_URO) + 8, 1,
					 NW_WRITE | NW_USER));
	EXPECT_EQ(NW_PFEC_P | NW_PFEC_W | NW_PFEC_U, e.s->last.pfec);
	EXPECT_EQ(1, cnt(&e, NW_C_GUEST_PF));
	EXPECT_EQ(2, cnt(&e, NW_C_TLB_MISS));
	/* The user write hit the entry the supervisor write filled. */
	EXPECT_EQ(1, cnt(&e, NW_C_TLB_L1_HIT));
	EXPECT_EQ(1, cnt(&e, NW_C_TLB_ASSIST));
	EXPECT_EQ(3, cnt(&e, NW_C_WALKS));
	env_fini(&e);

	ASSERT_EQ(0, rvm(&e, NW_MODE_NATIVE, 4, &wp1, false, &vm, &as));
	EXPECT_EQ(NW_GUEST_PF, nw_access(e.s, PG(P_SRO), 1, NW_WRITE));
	EXPECT_EQ(NW_PFEC_P | NW_PFEC_W, e.s->last.pfec);
	EXPECT_EQ(NW_GUEST_PF, nw_access(e.s, PG(P_URO), 1, NW_WRITE));
	EXPECT_EQ(2, cnt(&e, NW_C_GUEST_PF));
	env_fini(&e);
}

/* SDM 4.6.1: with CR4.SMEP no supervisor fetch from a user page. */
TEST(smep_supervisor_fetch_from_user_page)
{
	struct nw_cr cr = { .smep = true };
	struct nw_vm *vm;
	struct nw_as *as;
	struct env e;

	ASSERT_EQ(0, rvm(&e, NW_MODE_EPT, 4, &cr, false, &vm, &as));
	nw_sim_reset_counters(e.s);
	EXPECT_EQ(NW_GUEST_PF, nw_access(e.s, PG(P_U), 1, NW_FETCH));
	/* SDM 4.7: present, a fetch (I/D), supervisor. */
	EXPECT_EQ(NW_PFEC_P | NW_PFEC_ID, e.s->last.pfec);
	EXPECT_EQ(NW_PTE, e.s->last.fault_level);
	EXPECT_EQ(NW_OK, nw_access(e.s, PG(P_U), 1, NW_READ));
	EXPECT_EQ(NW_OK, nw_access(e.s, PG(P_U), 1, NW_FETCH | NW_USER));
	EXPECT_EQ(NW_OK, nw_access(e.s, PG(P_S), 1, NW_FETCH));
	EXPECT_EQ(1, cnt(&e, NW_C_GUEST_PF));
	env_fini(&e);
}

/*
 * SDM 4.6.1: with CR4.SMAP a supervisor data access to a user page
 * faults unless explicit with EFLAGS.AC = 1; an implicit one faults
 * whatever AC. Supervisor pages are not concerned.
 */
TEST(smap_ac_and_implicit)
{
	struct nw_cr cr = { .smap = true };
	struct nw_vm *vm;
	struct nw_as *as;
	struct env e;

	ASSERT_EQ(0, rvm(&e, NW_MODE_NATIVE, 4, &cr, false, &vm, &as));
	EXPECT_EQ(NW_GUEST_PF, nw_access(e.s, PG(P_U), 1, NW_READ));
	EXPECT_EQ(NW_PFEC_P, e.s->last.pfec);
	EXPECT_EQ(NW_OK, nw_access(e.s, PG(P_U), 1, NW_READ | NW_AC));
	EXPECT_EQ(NW_OK, nw_access(e.s, PG(P_U), 1, NW_WRITE | NW_AC));
	EXPECT_EQ(NW_GUEST_PF, nw_access(e.s, PG(P_U), 1,
					 NW_READ | NW_AC | NW_IMPLICIT));
	EXPECT_EQ(NW_OK, nw_access(e.s, PG(P_S), 1, NW_READ | NW_IMPLICIT));
	EXPECT_EQ(NW_OK, nw_access(e.s, PG(P_U), 1, NW_READ | NW_USER));
	/* SMAP is no bar to fetches: SMEP is off. */
	EXPECT_EQ(NW_OK, nw_access(e.s, PG(P_U), 1, NW_FETCH));
	EXPECT_EQ(2, cnt(&e, NW_C_GUEST_PF));
	EXPECT_EQ(7, cnt(&e, NW_C_READS) + cnt(&e, NW_C_WRITES) +
		     cnt(&e, NW_C_FETCHES));
	env_fini(&e);
}

/*
 * SDM 4.6.2: PKRU's AD bit of the key of a user page takes data reads
 * and writes, its WD bit writes (a supervisor's too with CR0.WP = 1);
 * fetches and supervisor pages are not concerned. SDM 4.7: PK set.
 */
TEST(pkru_access_and_write_disable)
{
	struct nw_cr cr = { .pke = true, .pkru = PKRU_AD3_WD5 };
	struct nw_vm *vm;
	struct nw_as *as;
	struct env e;

	ASSERT_EQ(0, rvm(&e, NW_MODE_NPT, 4, &cr, false, &vm, &as));
	nw_sim_reset_counters(e.s);
	EXPECT_EQ(NW_GUEST_PF, nw_access(e.s, PG(P_K3), 1,
					 NW_READ | NW_USER));
	EXPECT_EQ(NW_PFEC_P | NW_PFEC_U | NW_PFEC_PK, e.s->last.pfec);
	EXPECT_EQ(NW_OK, nw_access(e.s, PG(P_K3), 1, NW_FETCH | NW_USER));
	EXPECT_EQ(NW_OK, nw_access(e.s, PG(P_K5), 1, NW_READ | NW_USER));
	EXPECT_EQ(NW_GUEST_PF, nw_access(e.s, PG(P_K5), 1,
					 NW_WRITE | NW_USER));
	EXPECT_EQ(NW_PFEC_P | NW_PFEC_W | NW_PFEC_U | NW_PFEC_PK,
		  e.s->last.pfec);
	EXPECT_EQ(NW_GUEST_PF, nw_access(e.s, PG(P_K5), 1, NW_WRITE));
	EXPECT_EQ(NW_PFEC_P | NW_PFEC_W | NW_PFEC_PK, e.s->last.pfec);
	EXPECT_EQ(NW_OK, nw_access(e.s, PG(P_SK3), 1, NW_WRITE));
	EXPECT_EQ(NW_OK, nw_access(e.s, PG(P_U), 1, NW_WRITE | NW_USER));
	EXPECT_EQ(3, cnt(&e, NW_C_GUEST_PF));
	env_fini(&e);

	/* CR0.WP = 0: WD no longer stops a supervisor write. */
	cr.no_wp = true;
	ASSERT_EQ(0, rvm(&e, NW_MODE_NATIVE, 4, &cr, false, &vm, &as));
	EXPECT_EQ(NW_OK, nw_access(e.s, PG(P_K5), 1, NW_WRITE));
	EXPECT_EQ(NW_GUEST_PF, nw_access(e.s, PG(P_K3), 1, NW_WRITE));
	EXPECT_EQ(NW_PFEC_P | NW_PFEC_W | NW_PFEC_PK, e.s->last.pfec);
	env_fini(&e);
}

/*
 * The TLB holds the translation's rights and key, and each use checks
 * them (SDM 4.10.2.2 with 4.6): a user read fills an entry for a user
 * page; under SMAP a supervisor read with AC is served by the hit, one
 * without hits it and still faults (in a batch: past the memo and the
 * first probe). A user read of a write-disabled key fills, the write
 * that hits it faults.
 */
TEST(tlb_hit_checked_like_a_walk)
{
	struct nw_cr cr = { .smap = true, .pke = true,
			    .pkru = PKRU_AD3_WD5 };
	struct nw_acc acc[3] = {
		{ .va = PG(P_U), .pcid = 1, .kind = NW_READ | NW_USER },
		{ .va = PG(P_U) + 64, .pcid = 1, .kind = NW_READ | NW_AC },
		{ .va = PG(P_U) + 128, .pcid = 1, .kind = NW_READ },
	};
	struct nw_vm *vm;
	struct nw_as *as;
	struct env e;

	ASSERT_EQ(0, rvm(&e, NW_MODE_NATIVE, 4, &cr, false, &vm, &as));
	EXPECT_EQ(1, nw_access_batch(e.s, acc, 3));
	EXPECT_EQ(1, cnt(&e, NW_C_TLB_MISS));
	EXPECT_EQ(2, cnt(&e, NW_C_TLB_L1_HIT));
	EXPECT_EQ(1, cnt(&e, NW_C_TLB_ASSIST));
	EXPECT_EQ(2, cnt(&e, NW_C_WALKS));
	EXPECT_EQ(1, cnt(&e, NW_C_GUEST_PF));
	/* Key 5 is write-disabled: a user read fills, the write faults. */
	EXPECT_EQ(NW_OK, nw_access(e.s, PG(P_K5), 1, NW_READ | NW_USER));
	EXPECT_EQ(NW_GUEST_PF, nw_access(e.s, PG(P_K5), 1,
					 NW_WRITE | NW_USER));
	EXPECT_EQ(2, cnt(&e, NW_C_TLB_MISS));
	EXPECT_EQ(3, cnt(&e, NW_C_TLB_L1_HIT));
	EXPECT_EQ(2, cnt(&e, NW_C_TLB_ASSIST));
	EXPECT_EQ(4, cnt(&e, NW_C_WALKS));
	EXPECT_EQ(2, cnt(&e, NW_C_GUEST_PF));
	env_fini(&e);
}

/*
 * SDM 4.5.1: an address whose bits 63:47 (4-level) or 63:56 (5-level)
 * are not all equal is not canonical: #GP, no TLB lookup, no walk. Bit
 * 63 set over a cached page's address, which the TLB's keys drop, must
 * not hit it either.
 */
TEST(non_canonical_is_gp)
{
	struct nw_cr cr = { 0 };
	struct nw_acc acc[4] = {
		{ .va = PG(P_U), .pcid = 1, .kind = NW_READ },
		{ .va = PG(P_U) + 64, .pcid = 1, .kind = NW_READ },
		{ .va = PG(P_U) | BIT_ULL(63), .pcid = 1, .kind = NW_READ },
		{ .va = PG(P_U) + 128, .pcid = 1, .kind = NW_READ },
	};
	struct nw_vm *vm;
	struct nw_as *as;
	struct env e;

	ASSERT_EQ(0, rvm(&e, NW_MODE_EPT, 4, &cr, false, &vm, &as));
	/* Host mappings of the guest's tables made, the TLB emptied. */
	ASSERT_EQ(NW_OK, nw_access(e.s, PG(P_S), 1, NW_READ));
	env_flush_all(&e);
	nw_sim_reset_counters(e.s);
	EXPECT_EQ(NW_GP_FAULT, nw_access(e.s, BIT_ULL(47), 1, NW_READ));
	EXPECT_EQ(1, cnt(&e, NW_C_GP_FAULT));
	EXPECT_EQ(0, cnt(&e, NW_C_WALKS));
	EXPECT_EQ(0, cnt(&e, NW_C_TLB_MISS) + cnt(&e, NW_C_TLB_L1_HIT));
	/* A miss, a hit (the memo), the #GP, a memo hit. */
	EXPECT_EQ(1, nw_access_batch(e.s, acc, 4));
	EXPECT_EQ(2, cnt(&e, NW_C_GP_FAULT));
	EXPECT_EQ(1, cnt(&e, NW_C_WALKS));
	EXPECT_EQ(1, cnt(&e, NW_C_TLB_MISS));
	EXPECT_EQ(2, cnt(&e, NW_C_TLB_L1_HIT));
	EXPECT_EQ(5, cnt(&e, NW_C_READS));
	env_fini(&e);

	/* 5-level: bit 47 is an address bit, bit 56 the sign. */
	ASSERT_EQ(0, rvm(&e, NW_MODE_NATIVE, 5, &cr, false, &vm, &as));
	nw_sim_reset_counters(e.s);
	EXPECT_EQ(NW_GP_FAULT, nw_access(e.s, BIT_ULL(56), 1, NW_READ));
	EXPECT_EQ(1, cnt(&e, NW_C_GP_FAULT));
	EXPECT_EQ(0, cnt(&e, NW_C_WALKS));
	EXPECT_EQ(0, cnt(&e, NW_C_TLB_MISS) + cnt(&e, NW_C_TLB_L1_HIT));
	EXPECT_EQ(NW_GUEST_PF, nw_access(e.s, BIT_ULL(47), 1, NW_READ));
	EXPECT_EQ(1, cnt(&e, NW_C_GP_FAULT));
	EXPECT_EQ(1, cnt(&e, NW_C_WALKS));
	env_fini(&e);
}

/* The entry of a native VM's table for @va at @level, in host memory. */
static u64 *native_entry(struct env *e, struct nw_as *as, u64 va, int level)
{
	u64 at = nw_pt_entry_addr(&as->gpt, va, level);

	if (!at)
		return NULL;
	return simmem_page(&e->mem, at & ~0xfffULL) + ((at & 0xfff) >> 3);
}

/*
 * SDM 4.8: every entry a translation uses gets A. A walk that stops at a
 * not-present PTE has used the PML4E, PDPTE and PDE (SDM 4.10.3.1: the
 * processor may cache them even with no translation below): their A is
 * set, three writes; the PTE's is not.
 */
TEST(faulting_walk_sets_a_above_the_fault)
{
	struct nw_cr cr = { 0 };
	struct nw_vm *vm;
	struct nw_as *as;
	struct env e;
	u64 *ep[NW_PML4E + 1];
	int l;

	ASSERT_EQ(0, rvm(&e, NW_MODE_NATIVE, 4, &cr, false, &vm, &as));
	for (l = NW_PTE; l <= NW_PML4E; l++) {
		ep[l] = native_entry(&e, as, PG(P_U), l);
		ASSERT_NE(NULL, ep[l]);
		*ep[l] &= ~NW_X86_A;
	}
	*ep[NW_PTE] &= ~NW_X86_P;
	nw_sim_reset_counters(e.s);
	EXPECT_EQ(NW_GUEST_PF, nw_access(e.s, PG(P_U), 1, NW_READ));
	EXPECT_EQ(NW_PTE, e.s->last.fault_level);
	EXPECT_EQ(0, e.s->last.pfec);
	EXPECT_EQ(3, cnt(&e, NW_C_AD_WRITES));
	for (l = NW_PDE; l <= NW_PML4E; l++)
		EXPECT_TRUE(*ep[l] & NW_X86_A);
	EXPECT_FALSE(*ep[NW_PTE] & NW_X86_A);
	/* A rights fault at a present leaf: the leaf's A stays clear. */
	*ep[NW_PTE] |= NW_X86_P;
	*ep[NW_PTE] &= ~NW_X86_RW;
	EXPECT_EQ(NW_GUEST_PF, nw_access(e.s, PG(P_U), 1,
					 NW_WRITE | NW_USER));
	EXPECT_FALSE(*ep[NW_PTE] & NW_X86_A);
	EXPECT_EQ(3, cnt(&e, NW_C_AD_WRITES));
	env_fini(&e);
}

/*
 * SDM 4.10.3.1: no PDE-cache entry from a PDE whose A is 0 in memory.
 * The walk sets A first; against a writer that keeps storing, it gives
 * up (NW_ENTRY_SET_TRIES), and the PDE then is not cached: the next
 * walk under it reads the PDE again. With A set, it reads only the PTE.
 */
TEST(no_pde_cache_entry_from_a_clear)
{
	struct nw_cr cr = { 0 };
	struct nw_vm *vm;
	struct nw_as *as;
	struct env e;
	u64 *pde;

	ASSERT_EQ(0, rvm(&e, NW_MODE_NATIVE, 4, &cr, true, &vm, &as));
	/* Leaves with A and D: the only flag to set is the PDE's A. */
	ASSERT_EQ(0, nw_as_map(as, VB, ENV_NATIVE_DATA + VB - VA,
			       3 * NW_PAGE_SIZE, NW_PTE,
			       NW_X86_RW | NW_X86_A | NW_X86_D));
	pde = native_entry(&e, as, VB, NW_PDE);
	ASSERT_NE(NULL, pde);
	*pde &= ~NW_X86_A;
	nw_sim_reset_counters(e.s);
	nw_shim_cas_fail = NW_ENTRY_SET_TRIES;
	EXPECT_EQ(NW_OK, nw_access(e.s, VB, 1, NW_READ));
	nw_shim_cas_fail = 0;
	EXPECT_FALSE(*pde & NW_X86_A);
	EXPECT_EQ(4, e.s->last.refs);
	EXPECT_EQ(NW_OK, nw_access(e.s, VB + NW_PAGE_SIZE, 1, NW_READ));
	EXPECT_EQ(2, e.s->last.refs);		/* PDE and PTE */
	EXPECT_TRUE(*pde & NW_X86_A);
	EXPECT_EQ(2, cnt(&e, NW_C_AD_WRITES));
	/* Now cached: the PTE alone. */
	EXPECT_EQ(NW_OK, nw_access(e.s, VB + 2 * NW_PAGE_SIZE, 1, NW_READ));
	EXPECT_EQ(1, e.s->last.refs);
	env_fini(&e);
}

/* The host entry that maps guest-physical @gpa, in host memory. */
static u64 *host_entry(struct env *e, struct nw_vm *vm, u64 gpa)
{
	u64 at = nw_pt_entry_addr(&vm->ept, gpa, NW_PTE);

	if (!at)
		return NULL;
	return simmem_page(&e->mem, at & ~0xfffULL) + ((at & 0xfff) >> 3);
}

/*
 * The guest's root table mapped read-only by the host. NPT checks the
 * walker's reads of guest tables as user writes (APM vol. 2 15.25.5;
 * KVM's FNAME(walk_addr_generic): nested_access): a nested page fault.
 * EPT checks them as reads without A/D and as writes with it (SDM
 * 29.3.3.2): no fault, then an EPT violation.
 */
TEST(host_rights_for_guest_table_reads)
{
	static const struct { int mode; bool ad; int outcome; } c[] = {
		{ NW_MODE_NPT, false, NW_EPT_VIOLATION },
		{ NW_MODE_EPT, false, NW_OK },
		{ NW_MODE_EPT, true, NW_EPT_VIOLATION },
	};
	struct nw_cr cr = { 0 };
	struct nw_vm *vm;
	struct nw_as *as;
	struct env e;
	unsigned int i;
	u64 *h;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		ASSERT_EQ(0, rvm(&e, c[i].mode, 4, &cr, false, &vm, &as));
		vm->ept_caps.ad = c[i].ad;	/* as NESTWALK_VM_EPT_AD */
		nw_walk_prepare(vm);
		/* The host maps the guest's tables on the first walk. */
		ASSERT_EQ(NW_OK, nw_access(e.s, PG(P_S), 1, NW_READ));
		h = host_entry(&e, vm, as->gpt.root);
		ASSERT_NE(NULL, h);
		*h &= c[i].mode == NW_MODE_EPT ? ~NW_EPT_W : ~NW_X86_RW;
		env_flush_all(&e);
		nw_sim_reset_counters(e.s);
		EXPECT_EQ(c[i].outcome, nw_access(e.s, PG(P_S), 1, NW_READ));
		EXPECT_EQ(c[i].outcome != NW_OK,
			  cnt(&e, NW_C_EPT_VIOLATION));
		if (c[i].outcome != NW_OK) {
			EXPECT_EQ(NW_DIM_HOST, e.s->last.fault_dim);
			EXPECT_EQ(as->gpt.root, e.s->last.fault_addr);
		}
		env_fini(&e);
	}
}

/* A guest under shadow paging has no PKU (KVM's cpuid.c). */
TEST(pke_needs_tdp)
{
	struct nw_cr pk = { .pke = true }, stray = { .pkru = 4 };
	struct nw_vm *vm;
	struct nw_as *as;
	struct env e;

	EXPECT_EQ(-EOPNOTSUPP, rvm(&e, NW_MODE_SHADOW, 4, &pk, false, &vm,
				   &as));
	env_fini(&e);
	EXPECT_EQ(-EINVAL, rvm(&e, NW_MODE_NATIVE, 4, &stray, false, &vm,
			       &as));
	env_fini(&e);
}

TEST_HARNESS_MAIN
