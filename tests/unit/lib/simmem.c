// SPDX-License-Identifier: GPL-2.0
/*
 * Simulated host-physical memory (see simmem.h).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "simmem.h"

int simmem_init(struct simmem *m, u64 limit, u64 tbase, u64 tsize)
{
	void *p;

	memset(m, 0, sizeof(*m));
	p = mmap(NULL, limit, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
	/*
	 * The module's table pages sit in the kernel's direct map, mapped
	 * with 2 MiB or 1 GiB pages: ask for huge pages here too, so that
	 * the host's own TLB does not weigh on figures of the model.
	 */
	madvise(p, limit, MADV_HUGEPAGE);
	m->base = p;
	m->limit = limit;
	m->owned = calloc((limit >> NW_PAGE_SHIFT) + 1, 1);
	m->table_next = tbase;
	m->table_end = tbase + tsize;
	if (!m->owned) {
		munmap(m->base, limit);
		return -ENOMEM;
	}
	return 0;
}

int simmem_init_paged(struct simmem *m, u64 limit, u64 tbase, u64 tsize)
{
	memset(m, 0, sizeof(*m));
	m->paged = calloc(limit >> NW_PAGE_SHIFT, sizeof(*m->paged));
	m->owned = calloc((limit >> NW_PAGE_SHIFT) + 1, 1);
	if (!m->paged || !m->owned) {
		free(m->paged);
		free(m->owned);
		return -ENOMEM;
	}
	m->limit = limit;
	m->table_next = tbase;
	m->table_end = tbase + tsize;
	return 0;
}

void simmem_fini(struct simmem *m)
{
	u64 i;

	if (m->base)
		munmap(m->base, m->limit);
	for (i = 0; m->paged && i < m->limit >> NW_PAGE_SHIFT; i++)
		free(m->paged[i]);
	free(m->paged);
	m->paged = NULL;
	free(m->owned);
	free(m->table_free);
	m->base = NULL;
	m->owned = NULL;
	m->table_free = NULL;
}

u64 *simmem_page(struct simmem *m, u64 hpa)
{
	u64 pfn = hpa >> NW_PAGE_SHIFT;

	if (hpa >= m->limit)
		return NULL;
	if (m->paged && !m->paged[pfn]) {
		m->paged[pfn] = calloc(1, NW_PAGE_SIZE);
		if (!m->paged[pfn])
			return NULL;
	}
	if (!m->owned[pfn]) {
		m->owned[pfn] = 1;
		m->pages++;
	}
	if (m->paged)
		return m->paged[pfn];
	return (u64 *)(m->base + (pfn << NW_PAGE_SHIFT));
}

static void op_window(void *ctx, struct nw_mem_window *w)
{
	struct simmem *m = ctx;

	w->base = m->base;
	w->limit = m->limit;
	w->owned = m->owned;
}

static u64 *op_page(void *ctx, u64 hpa)
{
	return simmem_page(ctx, hpa);
}

static int op_alloc(void *ctx, u64 *hpa)
{
	struct simmem *m = ctx;
	u64 *page;

	if (m->nfree) {
		*hpa = m->table_free[--m->nfree];
		page = simmem_page(m, *hpa);
	} else {
		if (m->table_next >= m->table_end)
			return -ENOMEM;
		*hpa = m->table_next;
		m->table_next += NW_PAGE_SIZE;
		page = simmem_page(m, *hpa);
	}
	if (!page)
		return -ENOMEM;
	memset(page, 0, NW_PAGE_SIZE);
	m->tables++;
	return 0;
}

static void op_free(void *ctx, u64 hpa)
{
	struct simmem *m = ctx;
	u64 *page = simmem_page(m, hpa), *grown;

	/* Poison, so a walk through a stale pointer would show. */
	memset(page, 0xff, NW_PAGE_SIZE);
	m->tables--;
	if (m->nfree == m->cap_free) {
		grown = realloc(m->table_free, (2 * m->cap_free + 64) *
				sizeof(*grown));
		if (!grown)
			return;		/* the page is not reused */
		m->table_free = grown;
		m->cap_free = 2 * m->cap_free + 64;
	}
	m->table_free[m->nfree++] = hpa;
}

static int op_backing(void *ctx, u32 vm, u64 gpa, u64 *hpa, int *level)
{
	struct simmem *m = ctx;
	int i;

	for (i = 0; i < m->nslots; i++) {
		struct simslot *s = &m->slot[i];

		if (s->vm != vm || gpa < s->gpa || gpa - s->gpa >= s->size)
			continue;
		*hpa = s->hpa + (gpa - s->gpa);
		*level = nw_backing_level(gpa, *hpa, s->level, s->gpa,
					  s->size);
		return 0;
	}
	return -EFAULT;
}

const struct nw_mem_ops simmem_ops = {
	.page = op_page,
	.alloc_table = op_alloc,
	.free_table = op_free,
	.backing = op_backing,
	.window = op_window,
};

int simmem_slot(struct simmem *m, u32 vm, u64 gpa, u64 size, u64 hpa,
		int level)
{
	if (m->nslots == SIMMEM_SLOTS)
		return -ENOSPC;
	m->slot[m->nslots++] = (struct simslot){
		.vm = vm, .gpa = gpa, .size = size, .hpa = hpa, .level = level,
	};
	return 0;
}

/* The same memory without the window: the core's frame-cache path. */
const struct nw_mem_ops simmem_ops_nowindow = {
	.page = op_page,
	.alloc_table = op_alloc,
	.free_table = op_free,
	.backing = op_backing,
};
