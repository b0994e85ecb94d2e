// SPDX-License-Identifier: GPL-2.0
/*
 * Set-up and invalidation of the paging-structure caches.
 */
#include "pwc.h"

int nw_pwc_init(struct nw_pwc *p, const struct nw_pwc_cfg *cfg, u64 seed)
{
	int l, err;

	memset(p, 0, sizeof(*p));
	p->lowest = NW_PML5E + 1;
	for (l = NW_PDE; l <= NW_PML5E; l++) {
		struct nw_cache_cfg c = {
			.entries = cfg->entries[l], .ways = cfg->ways,
			.sizes = BIT(l), .repl = cfg->repl,
		};

		if (c.ways > c.entries)
			c.ways = c.entries;
		err = nw_cache_init(&p->c[l], &c, seed + l);
		if (err) {
			nw_pwc_free(p);
			return err;
		}
		if (c.entries && l < p->lowest)
			p->lowest = l;
	}
	p->on = p->lowest <= NW_PML5E;
	p->small_lru = true;
	for (l = NW_PDE; l <= NW_PML5E; l++) {
		const struct nw_cache *c = &p->c[l];

		if (c->entries && (c->fpw != 1 ||
				   nw_cache_repl_kind(c) != NW_REPL_ORDER))
			p->small_lru = false;
	}
	return 0;
}

int nw_pwc_lookup_any(struct nw_pwc *p, u64 addr, int top, u32 tag, u16 pcid,
		      u64 *table, u8 *perm)
{
	return __nw_pwc_lookup(p, addr, top, tag, pcid, table, perm, false);
}

void nw_pwc_fill(struct nw_pwc *p, u64 addr, int level, u32 tag, u16 pcid,
		 u64 table, u8 perm)
{
	struct nw_cache *c = &p->c[level];
	u64 key = nw_cache_key(addr, level);
	struct nw_centry *e;

	if (!c->entries)
		return;
	if (likely(p->small_lru))
		e = __nw_cache_insert(c, key, tag, pcid, NULL, 1,
				      NW_REPL_ORDER, false);
	else
		e = nw_cache_insert(c, key, tag, pcid, NULL);
	e->val = table;
	e->perm = perm;
}

void nw_pwc_free(struct nw_pwc *p)
{
	int l;

	for (l = NW_PDE; l <= NW_PML5E; l++)
		nw_cache_free(&p->c[l]);
	p->on = false;
}

u64 nw_pwc_inval(struct nw_pwc *p, const struct nw_inval *f)
{
	u64 n = 0;
	int l;

	for (l = NW_PDE; l <= NW_PML5E; l++)
		n += nw_cache_inval(&p->c[l], f);
	return n;
}

