// SPDX-License-Identifier: GPL-2.0
/*
 * The frame cache in front of the environment's page lookup.
 */
#include "mem.h"

void nw_mem_init(struct nw_mem *m, const struct nw_mem_ops *ops, void *ctx)
{
	m->ops = ops;
	m->ctx = ctx;
	memset(&m->win, 0, sizeof(m->win));
	if (ops->window)
		ops->window(ctx, &m->win);
	nw_mem_forget(m, ~0ULL);
}

u64 *nw_mem_page_slow(struct nw_mem *m, u64 hpa)
{
	u64 pfn = hpa >> NW_PAGE_SHIFT;
	struct nw_frame *f = &m->frames[nw_frame_slot(pfn)];
	u64 *page = m->ops->page(m->ctx, pfn << NW_PAGE_SHIFT);

	if (page) {
		f->pfn = pfn;
		f->page = page;
	}
	return page;
}

void nw_mem_forget(struct nw_mem *m, u64 hpa)
{
	u64 pfn = hpa >> NW_PAGE_SHIFT;
	unsigned int i;

	for (i = 0; i < NW_MEM_SLOTS; i++)
		if (hpa == ~0ULL || m->last[i].pfn == pfn)
			m->last[i].page = NULL;
	if (hpa != ~0ULL) {
		m->frames[nw_frame_slot(pfn)].page = NULL;
		return;
	}
	for (i = 0; i < NW_FRAMES; i++) {
		m->frames[i].pfn = 0;
		m->frames[i].page = NULL;
	}
}

int nw_mem_alloc_table(struct nw_mem *m, u64 *hpa)
{
	return m->ops->alloc_table(m->ctx, hpa);
}

void nw_mem_free_table(struct nw_mem *m, u64 hpa)
{
	nw_mem_forget(m, hpa);
	m->ops->free_table(m->ctx, hpa);
}
