// SPDX-License-Identifier: GPL-2.0
/*
 * Building the TLB hierarchy from its geometry; fills and invalidations.
 */
#include "tlb.h"

void nw_tlb_free(struct nw_tlb *t)
{
	int lv, a;

	for (lv = 0; lv < NW_TLB_LEVELS; lv++)
		for (a = 0; a < NW_TLB_ARRAYS; a++)
			nw_cache_free(&t->l[lv].a[a]);
	memset(t, 0, sizeof(*t));
}

static int level_init(struct nw_tlb_level *l,
		      const struct nw_tlb_level_cfg *cfg, u64 seed)
{
	int a, size, err;

	l->lat_m = cfg->lat_m;
	l->victim = cfg->victim;
	for (a = 0; a < NW_TLB_ARRAYS; a++) {
		struct nw_cache *c = &l->a[a];

		if (cfg->a[a].sizes & ~(BIT(NW_PTE) | BIT(NW_PDE) |
					BIT(NW_PDPTE)))
			return -EINVAL;
		err = nw_cache_init(c, &cfg->a[a], seed + a);
		if (err)
			return err;
		if (!c->entries)
			continue;
		/* Small pages first: they dominate most traces. */
		for (size = NW_PTE; size <= NW_PDPTE; size++) {
			if (!(c->sizes & BIT(size)))
				continue;
			if (l->holder[size])
				return -EINVAL;	/* one array per size */
			l->holder[size] = c;
			l->probe[l->nprobes].c = c;
			l->probe[l->nprobes].size = size;
			l->probe[l->nprobes].shift = NW_PAGE_SHIFT +
						     9 * (size - 1);
			l->probe[l->nprobes].move = cfg->victim;
			l->nprobes++;
		}
	}
	return 0;
}

int nw_tlb_init(struct nw_tlb *t, const struct nw_tlb_cfg *cfg, u64 seed)
{
	int lv, p, err;

	memset(t, 0, sizeof(*t));
	if (cfg->nlevels > NW_TLB_LEVELS)
		return -EINVAL;
	for (lv = 0; lv < cfg->nlevels; lv++) {
		err = level_init(&t->l[lv], &cfg->l[lv], seed + 16 * lv);
		if (err) {
			nw_tlb_free(t);
			return err;
		}
		for (p = 0; p < t->l[lv].nprobes; p++) {
			t->l[lv].probe[p].lv = lv;
			/* The first level is searched first: never moved up. */
			t->l[lv].probe[p].move &= lv > 0;
		}
	}
	t->nlevels = cfg->nlevels;
	return 0;
}

static u8 fast_shape(const struct nw_tlb *t)
{
	const struct nw_cache *c0 = t->chain[0].c, *c1 = t->chain[1].c;
	int i;

	if (t->nlevels != 2 || t->nchain != 2 || t->chain[0].lv != 0 ||
	    t->chain[1].lv != 1 || !t->chain[1].move ||
	    t->chain[1].size != t->chain[0].size)
		return NW_TLB_SLOW;
	for (i = NW_TLB_SLOW + 1; i < NW_TLB_FAST_NR; i++) {
		struct nw_tlb_shape sh = nw_tlb_shape(i);

		if (t->chain[0].size == sh.size && c0->fpw == sh.fpw[0] &&
		    nw_cache_repl_kind(c0) == sh.repl[0] &&
		    c1->fpw == sh.fpw[1] &&
		    nw_cache_repl_kind(c1) == sh.repl[1])
			return i;
	}
	return NW_TLB_SLOW;
}

/* Lookups probe only the page sizes ever filled. */
void nw_tlb_note_size(struct nw_tlb *t, int size)
{
	int lv, p;

	t->present |= BIT(size);
	t->nchain = 0;
	for (lv = 0; lv < t->nlevels; lv++) {
		struct nw_tlb_level *l = &t->l[lv];

		for (p = 0; p < l->nprobes; p++)
			if (t->present & BIT(l->probe[p].size))
				t->chain[t->nchain++] = l->probe[p];
	}
	t->fast = fast_shape(t);
}

void nw_tlb_fill(struct nw_tlb *t, const struct nw_centry *e)
{
	__nw_tlb_fill(t, e, nw_tlb_shape(NW_TLB_SLOW));
}

u64 nw_tlb_inval(struct nw_tlb *t, const struct nw_inval *f)
{
	u64 n = 0;
	int lv, a;

	for (lv = 0; lv < t->nlevels; lv++)
		for (a = 0; a < NW_TLB_ARRAYS; a++)
			n += nw_cache_inval(&t->l[lv].a[a], f);
	return n;
}

