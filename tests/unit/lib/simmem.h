/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Simulated host-physical memory for userspace builds of the core: one
 * large reserved mapping, zero-filled on first touch, with a region for
 * model-owned table pages and memslots that back guest-physical ranges
 * with 4K, 2M or 1G host pages. Pages the model has been handed are marked
 * in a bitmap, offered to the core as its fast-path window.
 */
#ifndef _NESTWALK_SIMMEM_H
#define _NESTWALK_SIMMEM_H

#include "sim.h"

#define SIMMEM_SLOTS	16

struct simslot {
	u32 vm;
	u64 gpa;
	u64 size;
	u64 hpa;
	int level;		/* host page size backing the slot */
};

struct simmem {
	u64 limit;		/* host-physical addresses below this exist */
	u8 *base;		/* mapping of [0, limit), or NULL when paged */
	/*
	 * Paged: each page a heap block of its own (simmem_init_paged()),
	 * so that ASan reports a write past a page's end.
	 */
	u64 **paged;
	u8 *owned;		/* pages handed out, a byte each */
	u64 table_next;
	u64 table_end;
	/*
	 * Freed table pages, a stack outside simulated memory: a fuzzer
	 * writes that memory, as the module keeps its own lists out of
	 * reach of the caller.
	 */
	u64 *table_free;
	u64 nfree;
	u64 cap_free;
	u64 tables;		/* held */
	u64 pages;		/* data pages materialised */
	int nslots;
	struct simslot slot[SIMMEM_SLOTS];
};

extern const struct nw_mem_ops simmem_ops;
extern const struct nw_mem_ops simmem_ops_nowindow;

/* Host memory [0, limit); table pages come from [tbase, tbase + tsize). */
int simmem_init(struct simmem *m, u64 limit, u64 tbase, u64 tsize);
/* The same, each page allocated apart (no window: simmem_ops_nowindow). */
int simmem_init_paged(struct simmem *m, u64 limit, u64 tbase, u64 tsize);
void simmem_fini(struct simmem *m);
int simmem_slot(struct simmem *m, u32 vm, u64 gpa, u64 size, u64 hpa,
		int level);
u64 *simmem_page(struct simmem *m, u64 hpa);

#endif /* _NESTWALK_SIMMEM_H */
