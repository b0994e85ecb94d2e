// SPDX-License-Identifier: GPL-2.0
/*
 * Building the TLB hierarchies (data, and instruction beside it) from
 * their geometry; fills and invalidations.
 */
#include "tlb.h"

/* Kinds of access (bit k: kind k, as nw_perm_kinds()) that are fetches. */
#define NW_FETCH_KINDS	(BIT(2) | BIT(6))

static void tlb_free_one(struct nw_tlb *t)
{
	int lv, a;

	for (lv = 0; lv < NW_TLB_LEVELS; lv++)
		for (a = 0; a < NW_TLB_ARRAYS; a++)
			nw_cache_free(&t->l[lv].a[a]);
}

void nw_tlb_free(struct nw_tlb *t)
{
	if (t->i) {
		tlb_free_one(t->i);
		nw_free(t->i);
	}
	tlb_free_one(t);
	memset(t, 0, sizeof(*t));
}

/*
 * Which array holds each page size, and as what size: a size without an
 * array is splintered into the largest smaller size that has one (SDM
 * 4.10.2.3); a size with none below is not cached at this level.
 */
static void level_holders(struct nw_tlb_level *l)
{
	int size, below;

	for (size = NW_PTE; size <= NW_PDPTE; size++) {
		for (below = size; below >= NW_PTE && !l->holder[below];
		     below--)
			;
		if (below < NW_PTE || l->holder[size])
			continue;
		l->holder[size] = l->holder[below];
		l->as[size] = l->as[below];	/* @below may be splintered */
	}
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
			l->as[size] = size;
			l->probe[l->nprobes].c = c;
			l->probe[l->nprobes].size = size;
			l->probe[l->nprobes].shift = NW_PAGE_SHIFT +
						     9 * (size - 1);
			l->probe[l->nprobes].move = cfg->victim;
			l->nprobes++;
		}
	}
	level_holders(l);
	return 0;
}

/*
 * An instruction level shared with data level @d (Nehalem's and
 * Skylake's STLB): the same arrays, found through the same probes.
 */
static void level_share(struct nw_tlb_level *l, const struct nw_tlb_level *d)
{
	l->lat_m = d->lat_m;
	l->victim = d->victim;
	l->shared = true;
	l->nprobes = d->nprobes;
	memcpy(l->probe, d->probe, sizeof(l->probe));
	memcpy(l->holder, d->holder, sizeof(l->holder));
	memcpy(l->as, d->as, sizeof(l->as));
}

static int tlb_build(struct nw_tlb *t, const struct nw_tlb_level_cfg *cfg,
		     int nlevels, const struct nw_tlb *data, u64 seed)
{
	int lv, p, err;

	if (nlevels > NW_TLB_LEVELS)
		return -EINVAL;
	for (lv = 0; lv < nlevels; lv++) {
		if (cfg[lv].shared) {
			/* Not the first level: each hierarchy has its own. */
			if (!data || !lv || lv >= data->nlevels)
				return -EINVAL;
			level_share(&t->l[lv], &data->l[lv]);
			t->shared = true;
			continue;
		}
		err = level_init(&t->l[lv], &cfg[lv], seed + 16 * lv);
		if (err)
			return err;
		for (p = 0; p < t->l[lv].nprobes; p++) {
			t->l[lv].probe[p].lv = lv;
			/* The first level is searched first: never moved up. */
			t->l[lv].probe[p].move &= lv > 0;
		}
	}
	t->nlevels = nlevels;
	t->kinds = 0xff;
	return 0;
}

int nw_tlb_init(struct nw_tlb *t, const struct nw_tlb_cfg *cfg, u64 seed)
{
	int err;

	memset(t, 0, sizeof(*t));
	err = tlb_build(t, cfg->l, cfg->nlevels, NULL, seed);
	if (err || !cfg->nilevels)
		goto out;
	err = -ENOMEM;
	t->i = nw_zalloc(sizeof(*t->i));
	if (!t->i)
		goto out;
	err = tlb_build(t->i, cfg->il, cfg->nilevels, t, seed + 64);
	t->i->data = t;
	t->i->kinds = NW_FETCH_KINDS;
	t->kinds = (u8)~NW_FETCH_KINDS;
	t->shared = t->i->shared;
out:
	if (err)
		nw_tlb_free(t);
	return err;
}

static u8 fast_shape(const struct nw_tlb *t)
{
	const struct nw_cache *c0 = t->chain[0].c, *c1 = t->chain[1].c;
	int i;

	/* The instruction TLB takes the general shape. */
	if (t->data || t->nlevels != 2 || t->nchain != 2 ||
	    t->chain[0].lv != 0 || t->chain[1].lv != 1 || !t->chain[1].move ||
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

/*
 * Lookups probe only the page sizes ever filled, and the sizes they are
 * splintered into. Hierarchies that share a level note sizes together:
 * each finds what the other put there.
 */
void nw_tlb_note_size(struct nw_tlb *t, int size)
{
	struct nw_tlb *other = t->data ? t->data : t->i;
	u8 more;
	int lv, p;

	t->present |= BIT(size);
	/* Larger first: a splinter may be splintered again further down. */
	for (size = NW_PDPTE; size >= NW_PTE; size--)
		for (lv = 0; lv < t->nlevels; lv++)
			if ((t->present & BIT(size)) && t->l[lv].holder[size])
				t->present |= BIT(t->l[lv].as[size]);
	t->nchain = 0;
	for (lv = 0; lv < t->nlevels; lv++) {
		struct nw_tlb_level *l = &t->l[lv];

		for (p = 0; p < l->nprobes; p++)
			if (t->present & BIT(l->probe[p].size))
				t->chain[t->nchain++] = l->probe[p];
	}
	t->fast = fast_shape(t);
	/* Each call adds a size to @other: at most three. */
	while (t->shared && (more = t->present & ~other->present))
		nw_tlb_note_size(other, __builtin_ctz(more));
}

bool nw_tlb_shared_dup(const struct nw_tlb *t, int lv,
		       const struct nw_centry *e)
{
	int size = nw_cache_key_level(e->key), up;
	u32 set, way;

	for (up = 0; t->data && up < lv; up++) {
		struct nw_cache *c = t->data->l[up].holder[size];

		if (c && t->data->l[up].as[size] == size &&
		    nw_cache_find(c, e->key, e->tag, e->pcid, &set, &way))
			return true;
	}
	return false;
}

void nw_tlb_fill(struct nw_tlb *t, const struct nw_centry *e)
{
	__nw_tlb_fill(t, e, nw_tlb_shape(NW_TLB_SLOW));
}

/* Both hierarchies; a shared level's arrays are the data level's. */
u64 nw_tlb_inval(struct nw_tlb *t, const struct nw_inval *f)
{
	u64 n = 0;
	int lv, a;

	for (lv = 0; lv < t->nlevels; lv++)
		for (a = 0; a < NW_TLB_ARRAYS; a++)
			n += nw_cache_inval(&t->l[lv].a[a], f);
	if (t->i)
		n += nw_tlb_inval(t->i, f);
	return n;
}
