/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which pages of a VM's guest page-table region hold its tables.
 *
 * Guest page tables live in guest memory (the VM's gpt region), which the
 * caller can write at any moment. The record of which of those pages are
 * tables and which are free is the model's own bookkeeping, so it lives
 * here, in kernel memory: a bitmap of the pages handed out and a stack of
 * the free ones. A page is freed only if it is a page of the region that
 * is in use, whatever address a guest entry names; a page is handed out
 * only from the region, page aligned, and never twice.
 */
#ifndef _NESTWALK_CORE_GPT_H
#define _NESTWALK_CORE_GPT_H

#include "shim.h"

struct nw_gpt_pool {
	u64 base;		/* the region: [base, base + size) */
	u64 size;
	u64 next;		/* pages [0, next) have been handed out once */
	u64 cap;		/* pages the bitmap and the stack can hold */
	u64 *used;		/* bit i: page i holds a table */
	u32 *free;		/* freed page indices, a stack */
	u64 nfree;
};

void nw_gpt_pool_init(struct nw_gpt_pool *p, u64 base, u64 size);
void nw_gpt_pool_fini(struct nw_gpt_pool *p);
/*
 * The guest-physical address of a page for a new table into *@gpa: the
 * most recently freed one, else the next unused page of the region.
 * -ENOMEM when the region is full or the bookkeeping cannot grow. The
 * page is not zeroed here: the caller reaches it through the memslots.
 */
int nw_gpt_pool_get(struct nw_gpt_pool *p, u64 *gpa);
/*
 * Give back the table at @gpa. False (and nothing changes) unless @gpa
 * is a page-aligned address of the region whose page is in use.
 */
bool nw_gpt_pool_put(struct nw_gpt_pool *p, u64 gpa);

#endif /* _NESTWALK_CORE_GPT_H */
