/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One simulated physical CPU: its TLB hierarchy, walk caches, cost model
 * and counters, shared by the VMs that run on it; each VM has its address
 * spaces (a CR3 root and a PCID each). The interface layer owns one per
 * session and drives it through nw_access_batch() and the invalidation
 * calls.
 */
#ifndef _NESTWALK_CORE_SIM_H
#define _NESTWALK_CORE_SIM_H

#include "shim.h"
#include "cost.h"
#include "counters.h"
#include "dcache.h"
#include "gpt.h"
#include "mem.h"
#include "pt.h"
#include "pwc.h"
#include "tlb.h"

#define NW_MAX_VMS	8
#define NW_MAX_AS	16
/*
 * The shadow MMU's page quota, as KVM sizes it
 * (kvm_mmu_calculate_default_mmu_pages(), make_mmu_pages_available();
 * arch/x86/include/asm/kvm_host.h): 20 per mille of the memslots' pages,
 * at least 64; a fault that finds fewer than 5 free zaps the oldest until
 * 25 are. The model also caps the quota (NW_WP_MAX): records are kernel
 * memory, allocated as they are needed.
 */
#define NW_PERMILLE_MMU_PAGES	20
#define NW_MIN_ALLOC_MMU_PAGES	64
#define NW_MIN_FREE_MMU_PAGES	5
#define NW_REFILL_PAGES		25
#define NW_WP_MAX		BIT(18)
#define NW_WP_BUCKETS		4096	/* gfn hash chains per shadow VM */
#define NW_PCIDS	4096	/* CR3 bits 11:0 (SDM 4.10.1) */
/* Most entry reads one walk can make: 5-level guest over 5-level host. */
#define NW_WALK_REFS_MAX	35

enum nw_mode {
	NW_MODE_NATIVE,		/* 1D walk of tables in host-physical memory */
	NW_MODE_EPT,		/* 2D walk, host tables in EPT format */
	NW_MODE_NPT,		/* 2D walk, host tables in x86 format */
	NW_MODE_SHADOW,		/* 1D walk of a shadow of guest PT o host */
};

/*
 * Access kinds; NW_USER marks a user-mode access (U/S checked). A
 * supervisor access may carry NW_AC (EFLAGS.AC = 1, an explicit access
 * SMAP lets through) or NW_IMPLICIT (an implicit supervisor-mode access,
 * SDM 4.6.1: SMAP whatever EFLAGS.AC); neither with NW_USER. Only the
 * kinds below 8 have a bit in the memo: the rare ones take the slow path.
 */
enum nw_kind {
	NW_READ,
	NW_WRITE,
	NW_FETCH,
};

#define NW_KIND_MASK	3
#define NW_USER		4
#define NW_AC		8
#define NW_IMPLICIT	16

/* Whether @kind is one nw_access_batch() accepts. */
static __always_inline bool nw_kind_valid(unsigned int kind)
{
	return (kind & NW_KIND_MASK) <= NW_FETCH &&
	       !(kind & ~(NW_KIND_MASK | NW_USER | NW_AC | NW_IMPLICIT)) &&
	       (kind & (NW_USER | NW_IMPLICIT)) != (NW_USER | NW_IMPLICIT);
}

/*
 * The access ends on the next 4 KiB page: both pages are translated,
 * first to last (SDM 4.10.2.3: an access that crosses a page boundary
 * uses a translation per page). Never served by the memo: the batch's
 * kind < 8 tests send it down the slow path.
 */
#define NW_CROSS	0x80

/* NW_CROSS for an access of @bytes (0 or 1: one byte) at @va. */
static inline u8 nw_cross(u64 va, u64 bytes)
{
	return bytes > 1 && (va & (NW_PAGE_SIZE - 1)) + bytes > NW_PAGE_SIZE ?
	       NW_CROSS : 0;
}

/*
 * The rights an access of @kind needs (SDM 4.6): reads R, writes R and
 * W, fetches X; a user-mode access U too. What the guest's control
 * registers change is nw_perm_eff()'s.
 */
static __always_inline u8 nw_perm_need(unsigned int kind)
{
	static const u8 need[] = {
		[NW_READ] = NW_PERM_R,
		[NW_WRITE] = NW_PERM_R | NW_PERM_W,
		[NW_FETCH] = NW_PERM_X,
		[3] = NW_PERM_R,
	};

	return need[kind & NW_KIND_MASK] | (kind & NW_USER ? NW_PERM_U : 0);
}

/* Protection keys: bits 62:59 of a leaf (SDM 4.6.2). */
#define NW_PKEYS		16
#define NW_X86_PKEY_SHIFT	59
#define NW_X86_PKEY(e)		((unsigned int)((e) >> NW_X86_PKEY_SHIFT) & 15)

/*
 * The guest's control-register state that access rights depend on; all
 * zero is the usual kernel's (CR0.WP = 1, no SMEP, SMAP or PKE).
 */
struct nw_cr {
	bool no_wp;		/* CR0.WP = 0 */
	bool smep;		/* CR4.SMEP */
	bool smap;		/* CR4.SMAP */
	bool pke;		/* CR4.PKE */
	u32 pkru;		/* key k: bit 2k AD, bit 2k + 1 WD */
};

/*
 * The rights @perm of a translation (the AND of its entries' R/W, U/S,
 * XD; @pkey from its leaf) leave to an access of @kind under @cr: the
 * one statement of SDM 4.6.1 "Determination of Access Rights" and 4.6.2
 * "Protection Keys" (KVM: update_permission_bitmask(),
 * update_pkru_bitmask(), permission_fault()). nw_perm_allows() then
 * applies it.
 * - Supervisor accesses: with CR0.WP = 0 they may write any page they
 *   may read. To a user page: no fetch with SMEP; no data access with
 *   SMAP unless explicit with EFLAGS.AC = 1.
 * - Protection keys, with CR4.PKE, for data accesses to user pages
 *   only: AD takes reads and writes, WD writes of user accesses, and of
 *   supervisor accesses with CR0.WP = 1. Fetches never look at PKRU.
 */
static __always_inline u8 nw_perm_eff(const struct nw_cr *cr, u8 perm,
				      unsigned int pkey, unsigned int kind)
{
	const u8 data = NW_PERM_R | NW_PERM_W;
	bool upage = perm & NW_PERM_U;
	u32 pk = cr->pke && upage ? cr->pkru >> (2 * pkey) : 0;

	if (!(kind & NW_USER)) {
		if (cr->no_wp)
			perm |= NW_PERM_W;
		if (cr->smep && upage)
			perm &= ~NW_PERM_X;
		if (cr->smap && upage &&
		    (!(kind & NW_AC) || (kind & NW_IMPLICIT)))
			perm &= ~data;
		if (cr->no_wp)
			pk &= 1;
	}
	if (pk & 1)
		perm &= ~data;
	if (pk & 2)
		perm &= ~NW_PERM_W;
	return perm;
}

/* Whether a translation (@perm, @pkey, @dirty) serves an access @kind. */
static __always_inline bool nw_rights_ok(const struct nw_cr *cr, u8 perm,
					 unsigned int pkey, bool dirty,
					 unsigned int kind)
{
	return nw_perm_allows(nw_perm_eff(cr, perm, pkey, kind),
			      nw_perm_need(kind), dirty);
}

/*
 * nw_perm_kinds()'s view of @cr, made by nw_rights_init() from
 * nw_rights_ok(): the kinds a user page of key k allows whatever its
 * R/W, U/S and XD (@umask[k]), and the supervisor write CR0.WP = 0
 * allows whatever R/W (@wp0).
 */
struct nw_rights {
	u8 wp0;
	u8 umask[NW_PKEYS];
};

void nw_rights_init(struct nw_rights *r, const struct nw_cr *cr);

/*
 * nw_rights_ok() for every kind below 8 at once, bit k for kind k, with
 * R taken as granted (a TLB entry always has it), for the memo's
 * one-bit test: W and D share a bit, as do X and the bit of NW_FETCH;
 * U doubles the set into the NW_USER kinds; @r adds what CR0.WP = 0
 * allows and takes what SMEP, SMAP and PKRU forbid on user pages.
 * Kinds that are not valid (kind & NW_KIND_MASK == 3) have no bit.
 * tests/unit/tlb_test.c (perm_kinds) checks it against nw_rights_ok()
 * for every input.
 */
static __always_inline u8 nw_perm_kinds(const struct nw_rights *r, u8 perm,
					unsigned int pkey, bool dirty)
{
	u8 ok;

	static_assert(NW_PERM_W == BIT(NW_WRITE) && NW_CE_DIRTY == NW_PERM_W &&
		      NW_PERM_X == BIT(NW_FETCH) && 2 * NW_PERM_U == BIT(NW_USER),
		      "rights map onto the bits of the kinds they allow");
	ok = BIT(NW_READ) | (perm & (dirty ? NW_PERM_W : 0)) |
	     (perm & NW_PERM_X);
	ok = ok * (1 + 2 * (perm & NW_PERM_U)) | (dirty ? r->wp0 : 0);
	if (perm & NW_PERM_U)
		ok &= r->umask[pkey];
	return ok;
}

/* Page-fault error code bits (SDM 4.7). */
#define NW_PFEC_P	BIT(0)
#define NW_PFEC_W	BIT(1)
#define NW_PFEC_U	BIT(2)
#define NW_PFEC_RSVD	BIT(3)
#define NW_PFEC_ID	BIT(4)
#define NW_PFEC_PK	BIT(5)

/*
 * The error code of a #PF an access @kind takes: @pfec (P, RSVD) with
 * W/R, U/S and I/D from the access; with @perm and @pkey of a present
 * translation, PK when only the protection key forbids it (SDM 4.7).
 */
static inline u8 nw_pfec(const struct nw_cr *cr, unsigned int kind, u8 pfec,
			 u8 perm, unsigned int pkey)
{
	struct nw_cr nopk = *cr;

	nopk.pke = false;
	pfec |= ((kind & NW_KIND_MASK) == NW_WRITE ? NW_PFEC_W : 0) |
		(kind & NW_USER ? NW_PFEC_U : 0) |
		((kind & NW_KIND_MASK) == NW_FETCH ? NW_PFEC_ID : 0);
	if ((pfec & (NW_PFEC_P | NW_PFEC_RSVD)) == NW_PFEC_P &&
	    nw_rights_ok(&nopk, perm, pkey, true, kind))
		pfec |= NW_PFEC_PK;
	return pfec;
}

enum nw_outcome {
	NW_OK,
	NW_GUEST_PF,		/* the guest's own page fault */
	NW_EPT_VIOLATION,	/* unfixable: GPA outside every memslot */
	NW_EPT_MISCONFIG,
	NW_PHYS_FAULT,		/* a table pointed outside provided memory */
	NW_GP_FAULT,		/* a non-canonical address (SDM 4.5.1) */
};

/* What one walk did; also kept as nw_sim.last for the caller. */
struct nw_walk_res {
	u64 hpa;		/* host-physical address of the access */
	u64 fault_addr;		/* GVA of a #PF, GPA of an EPT fault */
	u8 outcome;		/* enum nw_outcome */
	u8 size;		/* effective page-size level */
	u8 guest_size;
	u8 host_size;
	u8 perm;
	u8 refs;		/* entry reads */
	u8 fault_level;
	u8 fault_dim;		/* enum nw_dim */
	u8 kind;		/* the access: enum nw_kind | NW_USER */
	u8 flags;		/* NW_CE_GLOBAL, NW_CE_DIRTY, key for the TLB */
	u8 pfec;		/* of a guest #PF: NW_PFEC_* */
};

struct nw_as {
	struct nw_vm *vm;
	bool used;
	u16 pcid;
	struct nw_pt gpt;	/* guest page table; gpt.root is CR3 */
	struct nw_pt spt;	/* shadow mode: guest PT o host */
};

struct nw_vm_cfg {
	u8 mode;		/* enum nw_mode */
	u16 vpid;		/* 0: VPID disabled */
	u8 guest_levels;	/* 4 or 5 */
	u8 host_levels;		/* 4 or 5 (EPT, NPT) */
	u8 max_level;		/* policy: largest EPT/shadow leaf; the CPU's
				 * capabilities lower it (nw_vm_create)
				 */
	bool ept_ad;		/* EPTP bit 6 */
	struct nw_cr cr;	/* CR0.WP, CR4.SMEP/SMAP/PKE, PKRU */
	u64 gpt_base;		/* guest-physical region for guest tables */
	u64 gpt_size;
};

/*
 * One shadow page (shadow mode), KVM's struct kvm_mmu_page: the guest
 * table at @gfn as one address space uses it at one place. Kept in kernel
 * memory, never in the guest's: by gfn (hash chains, KVM's
 * mmu_page_hash) and by age (KVM's active_mmu_pages, newest first).
 * Links are record indices + 1, 0 for none.
 */
struct nw_wp {
	u64 gfn;
	u64 va;			/* first address the table maps */
	u32 hnext;		/* next of the bucket; of the free list */
	u32 newer;
	u32 older;
	u8 level;		/* of the table's entries */
	u8 as;
	u8 perm;		/* rights of the entries above the table */
	u8 flood;		/* emulated writes since a fault used it */
	bool unsync;		/* guest writes it freely (level 1 only) */
	bool used;
};

struct nw_vm {
	struct nw_sim *sim;
	u32 id;
	struct nw_vm_cfg cfg;
	struct nw_rights rights;	/* cfg.cr for nw_perm_kinds() */
	/* 64 - linear-address width: canonical if sign-extended from it */
	u8 canon_shift;
	u16 eptp_tag;
	u32 tag;		/* combined mappings: VPID | EPTP tag */
	u32 htag;		/* guest-physical mappings: EPTP tag */
	struct nw_pt ept;	/* EPT or NPT (nested modes) */
	struct nw_ept_caps ept_caps;
	struct nw_x86_caps host_caps;	/* NPT entries */
	struct nw_x86_caps guest_caps;
	struct nw_fmt gfmt;		/* the caps as walker masks */
	struct nw_fmt hfmt;
	struct nw_pt_space gspace;	/* guest-physical memory */
	struct nw_gpt_pool gpt_pool;	/* which gpt region pages are tables */
	struct nw_as as[NW_MAX_AS];
	struct nw_wp *wp;	/* @wp_cap records */
	u32 *wp_bucket;		/* NW_WP_BUCKETS chains, by gfn */
	u32 wp_cap;
	u32 wp_used;		/* KVM's n_used_mmu_pages */
	u32 wp_quota;		/* KVM's n_max_mmu_pages */
	u32 wp_unsync;		/* KVM's mmu_unsync */
	u32 wp_free;		/* free records, by hnext */
	u32 wp_newest;
	u32 wp_oldest;
	bool wp_flush;		/* zaps since the last hypervisor flush */
	u64 slot_pages;		/* 4 KiB pages of the VM's memslots */
};

/*
 * What the simulated CPU can do: CPUID bits (SDM 4.1.4) and VMX
 * capabilities (IA32_VMX_EPT_VPID_CAP, SDM vol. 3D A.10), the uAPI's
 * NESTWALK_CAP_* bits.
 */
#define NW_CAP_PDPE1GB	BIT(0)	/* 1 GiB pages: PS in a PDPTE */
#define NW_CAP_LA57	BIT(1)	/* 5-level paging */
#define NW_CAP_PCID	BIT(2)	/* CR4.PCIDE may be set */
#define NW_CAP_INVPCID	BIT(3)
#define NW_CAP_EPT_2M	BIT(4)	/* 2 MiB EPT/NPT leaves */
#define NW_CAP_EPT_1G	BIT(5)	/* 1 GiB EPT/NPT leaves */
#define NW_CAP_EPT_XO	BIT(6)	/* execute-only EPT entries */
#define NW_CAP_EPT_5L	BIT(7)	/* 5-level EPT/NPT */
#define NW_CAPS		0xffU

struct nw_sim_cfg {
	u32 caps;		/* NW_CAP_* */
	struct nw_tlb_cfg tlb;
	struct nw_pwc_cfg pwc;	/* guest dimension */
	struct nw_pwc_cfg hpwc;	/* host dimension */
	struct nw_cache_cfg ntlb;
	struct nw_cost_cfg cost;
	struct nw_dcache_cfg dcache;
	u64 seed;
};

struct nw_sim {
	u32 caps;		/* NW_CAP_* */
	struct nw_mem mem;
	struct nw_tlb tlb;
	struct nw_pwc pwc;
	struct nw_pwc hpwc;
	struct nw_cache ntlb;
	u8 ntlb_present;	/* page sizes the nested TLB was filled with */
	struct nw_cost_cfg cost;
	struct nw_dcache dc;	/* the walker's and the data's caches */
	u64 cnt[NW_C_NR];
	/*
	 * Entry reads of the last walks not yet in cnt[]: byte l of
	 * lanes[d] counts dimension d's reads at level l. Folded into cnt[]
	 * (and their cost into NW_C_MCYCLES) every NW_LANE_WALKS walks;
	 * nw_sim_counter() adds what is pending, without writing.
	 */
	u64 lanes[NW_DIMS];
	u32 lanes_walks;
	struct nw_vm *vm;	/* running */
	struct nw_as *as;	/* last address space used */
	struct nw_walk_res last;
	int status;		/* the last access's: enum nw_outcome, -EINVAL */
	struct nw_pt_space hspace;
	u32 lat_sum[NW_TLB_LEVELS + 1];	/* TLB levels probed up to a hit */
	u32 ilat_sum[NW_TLB_LEVELS + 1];	/* the same, instruction TLB */
	u64 walk_hist[NW_WALK_REFS_MAX + 1];	/* walks by entry reads */
	struct nw_vm *vms[NW_MAX_VMS];
};

/* One access of a batch (16 bytes, a trace record). */
struct nw_acc {
	u64 va;
	u16 pcid;
	u8 kind;		/* enum nw_kind | NW_USER, NW_AC, NW_IMPLICIT */
	u8 pad[5];
};

/*
 * Whether @va is canonical for @vm's paging mode (SDM 4.5.1 and 3.3.7.1):
 * bits 63:47 (4-level) or 63:56 (5-level) all equal.
 */
static __always_inline bool nw_canonical(const struct nw_vm *vm, u64 va)
{
	return (u64)((s64)(va << vm->canon_shift) >> vm->canon_shift) == va;
}

/* A mode with host tables: EPT or NPT. */
static inline bool nw_mode_nested(int mode)
{
	return mode == NW_MODE_EPT || mode == NW_MODE_NPT;
}

static inline bool nw_vm_nested(const struct nw_vm *vm)
{
	return nw_mode_nested(vm->cfg.mode);
}

struct nw_sim *nw_sim_create(const struct nw_sim_cfg *cfg,
			     const struct nw_mem_ops *ops, void *ctx,
			     int *err);
void nw_sim_destroy(struct nw_sim *s);
/* counters.c: fold, read, reset. */
void nw_sim_reset_counters(struct nw_sim *s);
/* A walk reads at most 6 entries per level (5 table GPAs and the data). */
#define NW_LANE_WALKS	(255 / 6)
void nw_sim_fold_lanes(struct nw_sim *s);
/*
 * A counter's value; gauges (pages_*, shadow_pages, mmu_unsync) are
 * computed.
 */
u64 nw_sim_counter(struct nw_sim *s, enum nw_counter c);

int nw_vm_create(struct nw_sim *s, const struct nw_vm_cfg *cfg,
		 struct nw_vm **out);
void nw_vm_destroy(struct nw_vm *vm);
int nw_as_create(struct nw_vm *vm, u16 pcid, struct nw_as **out);
struct nw_as *nw_as_find(struct nw_vm *vm, u16 pcid);
/* Guest mapping: [va, va+size) -> gpa (HPA in native mode). */
int nw_as_map(struct nw_as *as, u64 va, u64 gpa, u64 size, int level,
	      u64 flags);
/*
 * An EPT violation at @gpa the hypervisor fixes if it is a hole in a
 * memslot's map (one VM exit, charged either way): true if fixed.
 */
bool nw_vm_fix_hole(struct nw_sim *s, struct nw_vm *vm, u64 gpa);
/* Map the host page around @gpa as KVM would: the largest leaf allowed. */
int nw_vm_host_map(struct nw_sim *s, struct nw_vm *vm, u64 gpa);

/*
 * The largest leaf at or below @level that maps @gpa to @hpa with both
 * ends equally aligned; *@base gets the leaf's first guest address.
 */
static inline int nw_aligned_leaf(u64 gpa, u64 hpa, int level, u64 *base)
{
	u64 size;

	for (;; level--) {
		size = nw_level_size(level);
		*base = gpa & ~(size - 1);
		if (level == NW_PTE || !((hpa - (gpa - *base)) & (size - 1)))
			return level;
	}
}

/* The faults among @n accesses; nw_sim.status: the last one's outcome. */
u64 nw_access_batch(struct nw_sim *s, const struct nw_acc *acc, u64 n);

#endif /* _NESTWALK_CORE_SIM_H */
