/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host-physical memory as the model sees it.
 *
 * The core never assumes how memory is provided: the environment (the
 * kernel glue with pinned pages and module-allocated tables, or a simulated
 * memory in the unit tests) answers through struct nw_mem_ops. Every
 * paging-structure entry the model reads or writes is reached through
 * ->page(); an address the environment does not vouch for is never touched,
 * the walk stops with a fault instead.
 */
#ifndef _NESTWALK_CORE_MEM_H
#define _NESTWALK_CORE_MEM_H

#include "shim.h"
#include "pte.h"

/*
 * Optional fast path: a linear mapping of host-physical memory (the
 * kernel's direct map, or one big mapping in userspace) and a bitmap of
 * the pages in it the model may use. An entry read is then one add and
 * one load, with the ownership test off the load's dependency chain.
 */
struct nw_mem_window {
	u8 *base;		/* where host-physical address 0 is mapped */
	u64 limit;		/* the window covers [0, limit) */
	/*
	 * Byte pfn nonzero: the page may be used. A byte, not a bit: the
	 * test is a shift and a compare of memory.
	 */
	const u8 *owned;
};

struct nw_mem_ops {
	/*
	 * The 512 entries of the 4 KiB page at page-aligned @hpa, or NULL if
	 * @hpa is not memory the model may use. The pointer must stay valid
	 * until nw_mem_forget() (or the end of the session).
	 */
	u64 *(*page)(void *ctx, u64 hpa);
	/* A zeroed 4 KiB page for a model-owned table (EPT, NPT, shadow). */
	int (*alloc_table)(void *ctx, u64 *hpa);
	void (*free_table)(void *ctx, u64 hpa);
	/*
	 * Host backing of guest-physical @gpa of VM @vm (its memslots): the
	 * host-physical address and the largest leaf level (NW_PTE..NW_PDPTE)
	 * the host mapping allows for the naturally aligned range around
	 * @gpa - KVM's rule: host mapping level, and gpa and host virtual
	 * address equally aligned. -EFAULT when @gpa is in no memslot.
	 */
	int (*backing)(void *ctx, u32 vm, u64 gpa, u64 *hpa, int *level);
	/* Optional: fill @w (see struct nw_mem_window); bits may change. */
	void (*window)(void *ctx, struct nw_mem_window *w);
};

#define NW_FRAMES	1024

/* A direct-mapped cache of ->page() answers: the walk's hot path. */
static_assert(NW_FRAMES == 1024, "nw_frame_slot() yields 10 bits");

struct nw_frame {
	u64 pfn;
	u64 *page;
};

/* Walks by dimension (2) and level (1-5): the table each last read. */
#define NW_MEM_SLOTS	12

struct nw_mem {
	const struct nw_mem_ops *ops;
	void *ctx;
	struct nw_mem_window win;
	struct nw_frame last[NW_MEM_SLOTS];
	struct nw_frame frames[NW_FRAMES];
};

void nw_mem_init(struct nw_mem *m, const struct nw_mem_ops *ops, void *ctx);
u64 *nw_mem_page_slow(struct nw_mem *m, u64 hpa);
/* The environment took @hpa's page away (or all pages: @hpa == ~0). */
void nw_mem_forget(struct nw_mem *m, u64 hpa);
int nw_mem_alloc_table(struct nw_mem *m, u64 *hpa);
void nw_mem_free_table(struct nw_mem *m, u64 hpa);

/*
 * KVM's rule for the leaf that may map @gpa (host_pfn_mapping_level() and
 * the memslot's lpage_info, kvm_mmu_max_mapping_level()): no larger than
 * @host_level, the host mapping of the page behind it; @gpa and @haddr,
 * the host address of that page, equally aligned at that size; and the
 * naturally aligned range inside the memslot [@slot_gpa, + @slot_size).
 * The ->backing() ops answer with it.
 */
static inline int nw_backing_level(u64 gpa, u64 haddr, int host_level,
				   u64 slot_gpa, u64 slot_size)
{
	int lv;

	for (lv = host_level; lv > NW_PTE; lv--) {
		u64 span = nw_level_size(lv), base = gpa & ~(span - 1);

		if (!((gpa ^ haddr) & (span - 1)) && base >= slot_gpa &&
		    base + span <= slot_gpa + slot_size)
			break;
	}
	return lv;
}

/* Hashed, so that table pages allocated in parallel runs don't collide. */
static __always_inline unsigned int nw_frame_slot(u64 pfn)
{
	return nw_hash64(pfn, 10);
}

/* Pointer to the 8-byte entry at @hpa (8-byte aligned), or NULL. */
static __always_inline u64 *nw_mem_entry(struct nw_mem *m, u64 hpa)
{
	u64 pfn = hpa >> NW_PAGE_SHIFT;
	struct nw_frame *f;
	u64 *page;

	if (likely(hpa < m->win.limit &&
		   m->win.owned[pfn]))
		return (u64 *)(m->win.base + hpa);	/* hpa: 8-aligned */
	f = &m->frames[nw_frame_slot(pfn)];
	if (likely(f->pfn == pfn && f->page))
		page = f->page;
	else
		page = nw_mem_page_slow(m, hpa);
	if (unlikely(!page))
		return NULL;
	return page + ((hpa & (NW_PAGE_SIZE - 1)) >> 3);
}

/*
 * The same, for a walker reading at @slot (its dimension and level): the
 * page it read last there is remembered, so its pointer is loaded off the
 * walk's dependency chain - root and upper tables repeat from walk to walk.
 */
static __always_inline u64 *nw_mem_entry_at(struct nw_mem *m, u64 hpa,
					    unsigned int slot)
{
	u64 pfn = hpa >> NW_PAGE_SHIFT;
	struct nw_frame *f = &m->last[slot];
	u64 *page;

	if (likely(hpa < m->win.limit &&
		   m->win.owned[pfn]))
		return (u64 *)(m->win.base + hpa);
	if (likely(f->pfn == pfn && f->page))
		return f->page + ((hpa & (NW_PAGE_SIZE - 1)) >> 3);
	page = nw_mem_entry(m, hpa & ~(NW_PAGE_SIZE - 1));
	if (page) {
		f->pfn = pfn;
		f->page = page;
		page += (hpa & (NW_PAGE_SIZE - 1)) >> 3;
	}
	return page;
}

#endif /* _NESTWALK_CORE_MEM_H */
