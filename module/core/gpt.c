// SPDX-License-Identifier: GPL-2.0
/*
 * The guest page-table region's pages (see gpt.h).
 */
#include "gpt.h"
#include "pte.h"

/*
 * 1 TiB of guest tables at most: the stack (4 bytes a page) then stays
 * within 1 GiB, below what kvmalloc() takes without a warning.
 */
#define NW_GPT_MAX_PAGES	BIT_ULL(28)

void nw_gpt_pool_init(struct nw_gpt_pool *p, u64 base, u64 size)
{
	memset(p, 0, sizeof(*p));
	p->base = base;
	p->size = size;
}

void nw_gpt_pool_fini(struct nw_gpt_pool *p)
{
	nw_free(p->used);
	nw_free(p->free);
	p->used = NULL;
	p->free = NULL;
	p->cap = 0;
	p->next = 0;
	p->nfree = 0;
}

/* Room for page @next: both arrays grow together, doubling. */
static int grow(struct nw_gpt_pool *p)
{
	u64 cap = p->cap ? 2 * p->cap : 64, *used;
	u32 *free;

	used = nw_zalloc(cap / 8);
	free = nw_zalloc(cap * sizeof(*free));
	if (!used || !free) {
		nw_free(used);
		nw_free(free);
		return -ENOMEM;
	}
	if (p->cap) {
		memcpy(used, p->used, p->cap / 8);
		memcpy(free, p->free, p->nfree * sizeof(*free));
	}
	nw_free(p->used);
	nw_free(p->free);
	p->used = used;
	p->free = free;
	p->cap = cap;
	return 0;
}

static bool test_used(const struct nw_gpt_pool *p, u64 i)
{
	return p->used[i / 64] & BIT_ULL(i % 64);
}

int nw_gpt_pool_get(struct nw_gpt_pool *p, u64 *gpa)
{
	u64 i;

	if (p->nfree) {
		i = p->free[--p->nfree];
	} else {
		if (p->next >= p->size >> NW_PAGE_SHIFT ||
		    p->next >= NW_GPT_MAX_PAGES)
			return -ENOMEM;
		if (p->next == p->cap && grow(p))
			return -ENOMEM;
		i = p->next++;
	}
	p->used[i / 64] |= BIT_ULL(i % 64);
	*gpa = p->base + (i << NW_PAGE_SHIFT);
	return 0;
}

bool nw_gpt_pool_put(struct nw_gpt_pool *p, u64 gpa)
{
	u64 i = (gpa - p->base) >> NW_PAGE_SHIFT;

	if (gpa < p->base || (gpa & (NW_PAGE_SIZE - 1)) || i >= p->next ||
	    !test_used(p, i))
		return false;
	p->used[i / 64] &= ~BIT_ULL(i % 64);
	/* At most next pages are ever free at once: the stack has room. */
	p->free[p->nfree++] = i;
	return true;
}
