/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Paging-structure entries as the hardware reads them.
 *
 * Two formats share one table shape (4 KiB pages of 512 8-byte entries):
 * IA-32e ("x86") paging, used by guest page tables, by AMD NPT host tables and
 * by shadow tables; and Intel EPT, used by host tables in nested-EPT mode.
 * Bit positions and reserved-bit rules follow the Intel SDM, Vol. 3A,
 * "4-Level Paging and 5-Level Paging" and "The Extended Page Table Mechanism".
 */
#ifndef _NESTWALK_CORE_PTE_H
#define _NESTWALK_CORE_PTE_H

#include "shim.h"

/* Levels are numbered as in the SDM's tables: 1 = PTE ... 5 = PML5E. */
enum nw_level {
	NW_PTE = 1,
	NW_PDE = 2,
	NW_PDPTE = 3,
	NW_PML4E = 4,
	NW_PML5E = 5,
};

#define NW_PAGE_SHIFT		12
#define NW_PAGE_SIZE		BIT_ULL(NW_PAGE_SHIFT)
#define NW_PT_ENTRIES		512
#define NW_PTE_SIZE		8
#define NW_MAXPHYADDR_MAX	52
/* What the model's CPU reports (CPUID 0x80000008): 64 TiB. */
#define NW_MAXPHYADDR		46

/* Bytes mapped by one entry at @level (4K, 2M, 1G, 512G, 256T). */
static inline u64 nw_level_size(int level)
{
	return 1ULL << (NW_PAGE_SHIFT + 9 * (level - 1));
}

/* Index of @addr's entry in a table of @level. */
static inline unsigned int nw_pt_index(u64 addr, int level)
{
	return (addr >> (NW_PAGE_SHIFT + 9 * (level - 1))) & (NW_PT_ENTRIES - 1);
}

/* Bits M-1:12 of an entry: the physical address it references. */
static inline u64 nw_addr_mask(unsigned int maxphyaddr)
{
	return GENMASK_ULL(maxphyaddr - 1, NW_PAGE_SHIFT);
}

/*
 * Entries may live in guest memory, which the caller can write at any
 * moment (a memslot is its own pinned memory). Each entry is loaded once
 * and its copy decides; stores are single stores.
 */
static __always_inline u64 nw_entry_load(const u64 *ep)
{
	return READ_ONCE(*ep);
}

static __always_inline void nw_entry_store(u64 *ep, u64 val)
{
	WRITE_ONCE(*ep, val);
}

/* Tries of nw_entry_set_bits() against a writer that keeps storing. */
#define NW_ENTRY_SET_TRIES	64

/*
 * Set @bits in the entry at @ep, as the processor sets accessed and dirty
 * flags: with a locked read-modify-write (Intel SDM Vol. 3A 4.8, "Accessed
 * and Dirty Flags"; KVM's update_accessed_dirty_bits() uses a cmpxchg for
 * the same reason), so a store the guest makes meanwhile is never lost.
 * Bounded: a caller storing without pause makes it give up; the flag is
 * then as the caller left it. Returns whether @bits were set in memory
 * when it ended (SDM 4.10.3.1: no paging-structure-cache entry is made
 * from an entry whose accessed flag is 0 in memory).
 */
static inline bool nw_entry_set_bits(u64 *ep, u64 bits)
{
	u64 old = READ_ONCE(*ep);
	int n;

	for (n = 0; n < NW_ENTRY_SET_TRIES && (old & bits) != bits; n++)
		if (try_cmpxchg64(ep, &old, old | bits))
			return true;
	return (old & bits) == bits;
}

/* IA-32e paging entry bits. */
#define NW_X86_P		BIT_ULL(0)
#define NW_X86_RW		BIT_ULL(1)
#define NW_X86_US		BIT_ULL(2)
#define NW_X86_PWT		BIT_ULL(3)
#define NW_X86_PCD		BIT_ULL(4)
#define NW_X86_A		BIT_ULL(5)
#define NW_X86_D		BIT_ULL(6)
#define NW_X86_PS		BIT_ULL(7)	/* PAT in a 4 KiB PTE */
#define NW_X86_G		BIT_ULL(8)
#define NW_X86_PAT_LARGE	BIT_ULL(12)
#define NW_X86_XD		BIT_ULL(63)

/* EPT entry bits. */
#define NW_EPT_R		BIT_ULL(0)
#define NW_EPT_W		BIT_ULL(1)
#define NW_EPT_X		BIT_ULL(2)
#define NW_EPT_RWX		(NW_EPT_R | NW_EPT_W | NW_EPT_X)
#define NW_EPT_MT_SHIFT		3
#define NW_EPT_MT_MASK		GENMASK_ULL(5, 3)
#define NW_EPT_IPAT		BIT_ULL(6)
#define NW_EPT_LARGE		BIT_ULL(7)
#define NW_EPT_A		BIT_ULL(8)
#define NW_EPT_D		BIT_ULL(9)
#define NW_EPT_SVE		BIT_ULL(63)

/* EPT memory types (IA32_PAT encodings); 2, 3 and 7 are reserved. */
#define NW_MT_UC		0
#define NW_MT_WC		1
#define NW_MT_WT		4
#define NW_MT_WP		5
#define NW_MT_WB		6

/* Access rights, common to both formats after decoding. */
#define NW_PERM_R		BIT(0)
#define NW_PERM_W		BIT(1)
#define NW_PERM_X		BIT(2)
#define NW_PERM_U		BIT(3)
#define NW_PERM_D		BIT(4)	/* walk result only: dirty known */

/*
 * Whether rights @perm allow an access that needs @need (NW_PERM_*, see
 * nw_perm_need()) without a write to the translation: a write needs the
 * page already dirty (@dirty), or the walk sets D first (SDM 4.8; EPT
 * 28.3.5). The one statement of this rule for guest, host and shadow
 * entries and the nested TLB.
 */
static __always_inline bool nw_perm_allows(u8 perm, u8 need, bool dirty)
{
	return (perm & need) == need && (dirty || !(need & NW_PERM_W));
}

enum nw_pte_status {
	NW_PTE_OK,
	NW_PTE_NOT_PRESENT,	/* guest #PF (P=0) or EPT violation (RWX=0) */
	NW_PTE_RSVD,		/* guest #PF with PFEC.RSVD set */
	NW_PTE_MISCONFIG,	/* EPT misconfiguration */
};

/* What one entry says, independent of its format. */
struct nw_pte_info {
	u64 addr;		/* next table, or the base of the mapped page */
	u8 perm;		/* NW_PERM_* */
	bool leaf;
	bool accessed;
	bool dirty;		/* leaves only */
	bool global;		/* x86 leaves only */
};

/* Processor features that change how an x86 entry is checked. */
struct nw_x86_caps {
	u8 maxphyaddr;		/* M: bits 51:M of addresses are reserved */
	bool nxe;		/* IA32_EFER.NXE: bit 63 is XD, else reserved */
	bool gbpages;		/* CPUID pdpe1gb: PS allowed in a PDPTE */
};

/* VMX capabilities that change how an EPT entry is checked. */
struct nw_ept_caps {
	u8 maxphyaddr;
	bool mbpages;		/* IA32_VMX_EPT_VPID_CAP bit 16 */
	bool gbpages;		/* IA32_VMX_EPT_VPID_CAP bit 17 */
	bool exec_only;		/* bit 0: execute-only translations */
	bool ad;		/* EPTP bit 6: accessed and dirty flags on */
};

/* Bits 51:M are reserved in every present entry of either format. */
static inline u64 nw_high_rsvd(unsigned int maxphyaddr)
{
	if (maxphyaddr >= NW_MAXPHYADDR_MAX)
		return 0;
	return GENMASK_ULL(51, maxphyaddr);
}

/* Bits between the page offset's top and the PAT/low bits of a large leaf. */
static inline u64 nw_large_rsvd(int level, unsigned int low)
{
	return GENMASK_ULL(NW_PAGE_SHIFT + 9 * (level - 1) - 1, low);
}

static inline u64 nw_leaf_addr(u64 e, int level, unsigned int maxphyaddr)
{
	return e & nw_addr_mask(maxphyaddr) & ~(nw_level_size(level) - 1);
}

/* The memory types an EPT leaf may name (SDM 28.3.7). */
static inline bool nw_ept_memtype_valid(unsigned int mt)
{
	return mt == NW_MT_UC || mt == NW_MT_WC || mt == NW_MT_WT ||
	       mt == NW_MT_WP || mt == NW_MT_WB;
}

int nw_x86_decode(u64 e, int level, const struct nw_x86_caps *caps,
		  struct nw_pte_info *out);

/*
 * The same checks, precomputed from the capabilities into masks for the
 * walkers' hot path (the decoders above stay the readable reference; the
 * fuzzer holds the two equal).
 */
struct nw_fmt {
	u64 rsvd[NW_PML5E + 1][2];	/* [level][bit 7]: reserved bits */
	u64 addr;			/* address bits M-1:12 */
	/*
	 * The common case in one compare: (e & fast_mask[l]) == fast_val[l]
	 * holds only for a valid entry at level l that grants every right
	 * and needs no accessed-flag write: a non-leaf at levels 2-5, a
	 * 4 KiB leaf at level 1 (in EPT, of write-back memory type). With
	 * nw_fmt_fast()'s @rw_us (x86 only), R/W and U/S may have either
	 * value: the walker applies them with nw_fmt_rw_us().
	 */
	u64 fast_mask[NW_PML5E + 1];
	u64 fast_val[NW_PML5E + 1];
	u8 bad_rwx;			/* EPT: misconfigured R/W/X values */
	u8 bad_mt;			/* EPT: reserved memory types */
	bool ept;
};

void nw_fmt_x86(struct nw_fmt *f, const struct nw_x86_caps *caps);
void nw_fmt_ept(struct nw_fmt *f, const struct nw_ept_caps *caps);
/*
 * Fill fast_mask/fast_val; @abit: the accessed flag a walk sets, or 0;
 * @rw_us: leave R/W and U/S out of the test (x86).
 */
void nw_fmt_fast(struct nw_fmt *f, u64 abit, bool rw_us);

/* NW_PTE_* status of entry @e at @level; @ept must equal f->ept. */
static __always_inline int __nw_fmt_check(const struct nw_fmt *f, u64 e,
					  int level, const bool ept)
{
	u64 big = (e >> 7) & 1;

	if (ept) {
		if (unlikely(!(e & NW_EPT_RWX)))
			return NW_PTE_NOT_PRESENT;
		if (unlikely(((f->bad_rwx >> (e & NW_EPT_RWX)) & 1) ||
			     (e & f->rsvd[level][big])))
			return NW_PTE_MISCONFIG;
		if ((level == NW_PTE || big) &&
		    unlikely((f->bad_mt >> ((e & NW_EPT_MT_MASK) >>
					    NW_EPT_MT_SHIFT)) & 1))
			return NW_PTE_MISCONFIG;
		return NW_PTE_OK;
	}
	if (unlikely(!(e & NW_X86_P)))
		return NW_PTE_NOT_PRESENT;
	if (unlikely(e & f->rsvd[level][big]))
		return NW_PTE_RSVD;
	return NW_PTE_OK;
}

static __always_inline int nw_fmt_check(const struct nw_fmt *f, u64 e,
					int level)
{
	return f->ept ? __nw_fmt_check(f, e, level, true) :
			__nw_fmt_check(f, e, level, false);
}

/* For an entry nw_fmt_check() passed: */
static __always_inline bool nw_fmt_leaf(u64 e, int level)
{
	return level == NW_PTE || (e & BIT_ULL(7));
}

static __always_inline u64 nw_fmt_addr(const struct nw_fmt *f, u64 e,
				       int level, bool leaf)
{
	return e & f->addr & ~(leaf ? nw_level_size(level) - 1 : 0);
}

static __always_inline u8 __nw_fmt_perm(u64 e, const bool ept)
{
	if (ept)	/* R, W, X are bits 0-2 in both encodings */
		return (e & NW_EPT_RWX) | NW_PERM_U;
	return NW_PERM_R | (e & NW_X86_RW ? NW_PERM_W : 0) |
	       (e & NW_X86_US ? NW_PERM_U : 0) |
	       (e & NW_X86_XD ? 0 : NW_PERM_X);
}

/*
 * The rights of an x86 entry that passed a fast test without R/W and U/S:
 * present, XD clear, so R and X, and W and U as its bits say.
 */
static __always_inline u8 nw_fmt_rw_us(u64 e)
{
	static_assert(NW_PERM_W == NW_X86_RW && NW_PERM_U == NW_X86_US << 1,
		      "R/W and U/S map to NW_PERM_W and NW_PERM_U by a shift");
	return NW_PERM_R | NW_PERM_X | (e & NW_X86_RW) |
	       ((e & NW_X86_US) << 1);
}

static __always_inline u8 nw_fmt_perm(const struct nw_fmt *f, u64 e)
{
	return f->ept ? __nw_fmt_perm(e, true) : __nw_fmt_perm(e, false);
}

#endif /* _NESTWALK_CORE_PTE_H */
