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

u64 nw_pwc_count(const struct nw_pwc *p, const struct nw_inval *f)
{
	u64 n = 0;
	int l;

	for (l = NW_PDE; l <= NW_PML5E; l++)
		n += nw_cache_count(&p->c[l], f);
	return n;
}
