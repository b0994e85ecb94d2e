/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page-table builders: real 4 KiB tables of 512 entries, in either format.
 *
 * A table lives in a "space": host-physical memory for EPT, NPT and shadow
 * tables, guest-physical memory for a guest's own page tables. The space
 * says how to reach an entry and how to get a zeroed table page; the
 * builders only ever touch entries through it.
 */
#ifndef _NESTWALK_CORE_PT_H
#define _NESTWALK_CORE_PT_H

#include "shim.h"
#include "pte.h"

enum nw_pt_fmt {
	NW_FMT_X86,		/* IA-32e: guest, NPT and shadow tables */
	NW_FMT_EPT,		/* Intel EPT */
};

struct nw_pt_space {
	/* The entry at @addr (8-byte aligned), or NULL if not memory. */
	u64 *(*entry)(void *ctx, u64 addr);
	int (*alloc)(void *ctx, u64 *addr);
	/* False if @addr was no table the space handed out. */
	bool (*free)(void *ctx, u64 addr);
	/* Optional: the builder just changed the entry at @addr. */
	void (*wrote)(void *ctx, u64 addr);
	void *ctx;
};

struct nw_pt {
	struct nw_pt_space sp;
	u64 root;
	u8 levels;		/* 4 or 5 */
	u8 fmt;			/* enum nw_pt_fmt */
	u64 tables;		/* table pages held, the root included */
	u64 leaves[NW_PDPTE + 1];	/* mapped leaves per level */
};

/*
 * Leaf @flags: for x86, the entry's low and high attribute bits (RW, US,
 * XD, G, A, D, PWT, PCD; P and PS are added); for EPT, R/W/X, the memory
 * type at bits 5:3, IPAT, A and D (bit 7 is added for large leaves).
 */
/* As Linux's _PAGE_TABLE: upper entries are born accessed. */
#define NW_PT_X86_TABLE		(NW_X86_P | NW_X86_RW | NW_X86_US | NW_X86_A)
#define NW_PT_EPT_LEAF		(NW_EPT_RWX | (NW_MT_WB << NW_EPT_MT_SHIFT))

/* Entry bits: the address, x86 PS or EPT "large page", the rest. */
#define NW_PT_ADDR_MASK		nw_addr_mask(NW_MAXPHYADDR_MAX)
#define NW_PT_LARGE		BIT_ULL(7)
#define NW_PT_ATTR_MASK		(~NW_PT_ADDR_MASK & ~NW_PT_LARGE)

static inline bool nw_pt_present(const struct nw_pt *pt, u64 e)
{
	return pt->fmt == NW_FMT_EPT ? e & NW_EPT_RWX : e & NW_X86_P;
}

int nw_pt_init(struct nw_pt *pt, const struct nw_pt_space *sp, int levels,
	       int fmt);
void nw_pt_destroy(struct nw_pt *pt);
int nw_pt_map(struct nw_pt *pt, u64 va, u64 pa, u64 size, int level,
	      u64 flags);
int nw_pt_unmap(struct nw_pt *pt, u64 va, u64 size, u64 *cleared);
int nw_pt_lookup(struct nw_pt *pt, u64 va, u64 *pa, int *level, u64 *entry);

#endif /* _NESTWALK_CORE_PT_H */
