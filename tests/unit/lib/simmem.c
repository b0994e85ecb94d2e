// SPDX-License-Identifier: GPL-2.0
/*
 * Simulated host-physical memory (see simmem.h).
 */
#include <stdlib.h>
#include <string.h>

#include "simmem.h"

#define CHUNK_SHIFT	30
#define CHUNK_PAGES	(1U << (CHUNK_SHIFT - NW_PAGE_SHIFT))

int simmem_init(struct simmem *m, u64 limit, u64 tbase, u64 tsize)
{
	memset(m, 0, sizeof(*m));
	m->limit = limit;
	m->chunks = calloc((limit >> CHUNK_SHIFT) + 1, sizeof(*m->chunks));
	m->table_next = tbase;
	m->table_end = tbase + tsize;
	m->table_free = ~0ULL;
	return m->chunks ? 0 : -ENOMEM;
}

void simmem_fini(struct simmem *m)
{
	u64 c, p;

	for (c = 0; m->chunks && c <= (m->limit >> CHUNK_SHIFT); c++) {
		if (!m->chunks[c])
			continue;
		for (p = 0; p < CHUNK_PAGES; p++)
			free(m->chunks[c][p]);
		free(m->chunks[c]);
	}
	free(m->chunks);
	m->chunks = NULL;
}

u64 *simmem_page(struct simmem *m, u64 hpa)
{
	u64 c = hpa >> CHUNK_SHIFT, p = (hpa >> NW_PAGE_SHIFT) &
					 (CHUNK_PAGES - 1);

	if (hpa >= m->limit)
		return NULL;
	if (!m->chunks[c]) {
		m->chunks[c] = calloc(CHUNK_PAGES, sizeof(u64 *));
		if (!m->chunks[c])
			return NULL;
	}
	if (!m->chunks[c][p]) {
		m->chunks[c][p] = calloc(1, NW_PAGE_SIZE);
		m->pages++;
	}
	return m->chunks[c][p];
}

static u64 *op_page(void *ctx, u64 hpa)
{
	return simmem_page(ctx, hpa);
}

static int op_alloc(void *ctx, u64 *hpa)
{
	struct simmem *m = ctx;
	u64 *page;

	if (m->table_free != ~0ULL) {
		*hpa = m->table_free;
		page = simmem_page(m, *hpa);
		m->table_free = page[0];
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
	u64 *page = simmem_page(m, hpa);

	/* Poison, so a walk through a stale pointer would show. */
	memset(page, 0xff, NW_PAGE_SIZE);
	page[0] = m->table_free;
	m->table_free = hpa;
	m->tables--;
}

static int op_backing(void *ctx, u32 vm, u64 gpa, u64 *hpa, int *level)
{
	struct simmem *m = ctx;
	int i, l;

	for (i = 0; i < m->nslots; i++) {
		struct simslot *s = &m->slot[i];

		if (s->vm != vm || gpa < s->gpa || gpa - s->gpa >= s->size)
			continue;
		*hpa = s->hpa + (gpa - s->gpa);
		/* The host page must lie inside the slot, equally aligned. */
		for (l = s->level; l > NW_PTE; l--) {
			u64 sz = nw_level_size(l), base = gpa & ~(sz - 1);

			if (!((gpa ^ *hpa) & (sz - 1)) && base >= s->gpa &&
			    base + sz <= s->gpa + s->size)
				break;
		}
		*level = l;
		return 0;
	}
	return -EFAULT;
}

const struct nw_mem_ops simmem_ops = {
	.page = op_page,
	.alloc_table = op_alloc,
	.free_table = op_free,
	.backing = op_backing,
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
