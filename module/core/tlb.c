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

/* nw_cache_insert(), inlined: a TLB fill or move is two of them. */
static __always_inline struct nw_centry *
tlb_insert(struct nw_cache *c, u64 key, u32 tag, u16 pcid,
	   struct nw_centry *evicted)
{
	switch (c->fpw) {
	case 1:
		return __nw_cache_insert(c, key, tag, pcid, evicted, 1,
					 c->repl, false);
	case 3:
		return __nw_cache_insert(c, key, tag, pcid, evicted, 3,
					 c->repl, false);
	default:
		return nw_cache_insert(c, key, tag, pcid, evicted);
	}
}

/*
 * Put @src into level @lv; what it pushes out moves down while the next
 * level is a victim level that holds that page size.
 */
static void place(struct nw_tlb *t, int lv, const struct nw_centry *src)
{
	struct nw_centry e = *src, out;

	t->memo = NULL;
	for (; lv < t->nlevels; lv++) {
		struct nw_cache *c = t->l[lv].holder[nw_cache_key_level(e.key)];
		bool down = lv + 1 < t->nlevels && t->l[lv + 1].victim;
		struct nw_centry *slot;

		if (!c)
			return;
		slot = tlb_insert(c, e.key, e.tag, e.pcid, down ? &out : NULL);
		slot->val = e.val;
		slot->perm = e.perm;
		slot->flags = e.flags;
		if (!down || !out.key)
			return;
		e = out;
	}
}

/* Each fast shape's arrays: fingerprint words and policy, per level. */
static const u8 fast_shapes[NW_TLB_FAST_NR][4] = {
	[NW_TLB_FAST_P1_O3] = { 1, NW_REPL_PLRU, 3, NW_REPL_ORDER },
	[NW_TLB_FAST_O1_O1] = { 1, NW_REPL_ORDER, 1, NW_REPL_ORDER },
};

static u8 fast_shape(const struct nw_tlb *t)
{
	const struct nw_cache *c0 = t->chain[0].c, *c1 = t->chain[1].c;
	int i;

	if (t->nlevels != 2 || t->nchain != 2 || t->chain[0].lv != 0 ||
	    t->chain[1].lv != 1 || !t->chain[1].move)
		return NW_TLB_SLOW;
	for (i = NW_TLB_SLOW + 1; i < NW_TLB_FAST_NR; i++)
		if (c0->fpw == fast_shapes[i][0] &&
		    nw_cache_repl_kind(c0) == fast_shapes[i][1] &&
		    c1->fpw == fast_shapes[i][2] &&
		    nw_cache_repl_kind(c1) == fast_shapes[i][3])
			return i;
	return NW_TLB_SLOW;
}

/* Lookups probe only the page sizes ever filled. */
static void set_present(struct nw_tlb *t, u8 present)
{
	int lv, p;

	t->present = present;
	t->nchain = 0;
	for (lv = 0; lv < t->nlevels; lv++) {
		struct nw_tlb_level *l = &t->l[lv];

		for (p = 0; p < l->nprobes; p++)
			if (present & BIT(l->probe[p].size))
				t->chain[t->nchain++] = l->probe[p];
	}
	t->fast = fast_shape(t);
}

/* After a walk: every level that is not a victim level gets the entry. */
void nw_tlb_fill(struct nw_tlb *t, u64 va, int size, u32 tag, u16 pcid,
		 u64 page, u8 perm, u8 flags)
{
	struct nw_centry e = {
		.key = nw_cache_key(va, size), .val = page, .tag = tag,
		.pcid = pcid, .perm = perm, .flags = flags,
	};
	int lv;

	if (unlikely(!(t->present & BIT(size))))
		set_present(t, t->present | BIT(size));
	for (lv = 0; lv < t->nlevels; lv++)
		if (lv == 0 || !t->l[lv].victim)
			place(t, lv, &e);
}

/* Invalidate the entry @e, wherever it is in the hierarchy. */
void nw_tlb_kill(struct nw_tlb *t, struct nw_centry *e)
{
	int lv, a;

	for (lv = 0; lv < t->nlevels; lv++)
		for (a = 0; a < NW_TLB_ARRAYS; a++)
			if (nw_cache_holds(&t->l[lv].a[a], e))
				nw_cache_kill(&t->l[lv].a[a], e);
}

/*
 * A hit below the first level (probe @pr, entry @hit at @set, @way): a
 * victim level moves the entry up, others copy it up. With @keep false
 * the caller removes the entry at once and it is not copied.
 */
void nw_tlb_hit_below(struct nw_tlb *t, const struct nw_tlb_probe *pr,
		      struct nw_centry *hit, u32 set, u32 way, bool keep)
{
	struct nw_centry e = *hit;
	int up;

	if (pr->move && keep) {
		/*
		 * Not touched: a freed way's place in the replacement state
		 * is set again when the way is filled, and no victim is
		 * chosen in its set before that (a free way goes first).
		 */
		nw_cache_set_fp(pr->c, set, way, 0);
		hit->key = 0;
		place(t, 0, &e);
		return;
	}
	nw_cache_touch(pr->c, set, way);
	if (!keep)
		return;
	for (up = 0; up < pr->lv; up++)
		if (up == 0 || !t->l[up].victim)
			place(t, up, &e);
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

u64 nw_tlb_count(const struct nw_tlb *t, const struct nw_inval *f)
{
	u64 n = 0;
	int lv, a;

	for (lv = 0; lv < t->nlevels; lv++)
		for (a = 0; a < NW_TLB_ARRAYS; a++)
			n += nw_cache_count(&t->l[lv].a[a], f);
	return n;
}

/*
 * Reach as the optimization manuals count it: every level's entries that
 * can hold @size, times the page size (levels are not assumed exclusive
 * or inclusive; this is the figure vendors quote).
 */
u64 nw_tlb_reach_kib(const struct nw_tlb *t, int size)
{
	u64 kib = nw_level_size(size) >> 10, n = 0;
	int lv;

	for (lv = 0; lv < t->nlevels; lv++)
		if (t->l[lv].holder[size])
			n += t->l[lv].holder[size]->entries;
	return n * kib;
}
