// SPDX-License-Identifier: GPL-2.0
/*
 * Set-associative translation-cache arrays and their replacement policies.
 */
#include "cache.h"

static bool is_pow2(u64 n)
{
	return n && !(n & (n - 1));
}

static unsigned int ilog2_u32(u32 n)
{
	unsigned int l = 0;

	while (n >>= 1)
		l++;
	return l;
}

/*
 * A use of way w points every node on its path away from it: for each
 * way, the mask of those nodes and the bits they get.
 */
static void plru_paths(u64 *path, u32 ways)
{
	int depth = ilog2_u32(ways), d;
	u32 w, node;

	for (w = 0; w < ways; w++) {
		for (node = 1, d = depth - 1; d >= 0; d--) {
			u32 b = (w >> d) & 1;

			path[2 * w] |= BIT_ULL(node);
			path[2 * w + 1] |= (u64)!b << node;
			node = 2 * node + b;
		}
	}
}

/* The way tree-PLRU evicts from a tree in state @bits. */
static u32 plru_walk(u64 bits, unsigned int depth, u32 ways)
{
	u32 node = 1;
	unsigned int d;

	for (d = 0; d < depth; d++)
		node = 2 * node + !!(bits & BIT_ULL(node));
	return node - ways;
}

int nw_cache_init(struct nw_cache *c, const struct nw_cache_cfg *cfg,
		  u64 seed)
{
	u32 ways = cfg->ways, sets, s, w;

	memset(c, 0, sizeof(*c));
	if (!cfg->entries)
		return 0;
	if (!ways || ways > cfg->entries)
		ways = cfg->entries;
	if (cfg->entries % ways || cfg->repl > NW_REPL_RANDOM ||
	    !cfg->sizes || (cfg->sizes & ~(BIT(NW_PTE) | BIT(NW_PDE) |
					   BIT(NW_PDPTE) | BIT(NW_PML4E) |
					   BIT(NW_PML5E))))
		return -EINVAL;
	sets = cfg->entries / ways;
	if (!is_pow2(sets) || ways > NW_CACHE_MAX_WAYS)
		return -EINVAL;
	if (cfg->repl == NW_REPL_PLRU && !is_pow2(ways))
		return -EINVAL;
	c->fpw = (ways + 3) / 4;
	c->fpw_inv = nw_div64(1ULL << 32, c->fpw) + 1;
	c->e = nw_zalloc(sizeof(*c->e) * cfg->entries);
	c->fps = nw_zalloc(sizeof(*c->fps) * sets * c->fpw);
	if (!c->e || !c->fps)
		goto nomem;
	for (s = 0; s < sets; s++)
		for (w = ways; w < 4 * c->fpw; w++)
			c->fps[s * c->fpw + w % c->fpw] |=
				NW_FP_PAD << 16 * (w / c->fpw);
	if (cfg->repl == NW_REPL_PLRU) {
		c->plru = nw_zalloc(sizeof(*c->plru) * sets);
		c->plru_path = nw_zalloc(sizeof(*c->plru_path) * 2 * ways);
		if (!c->plru || !c->plru_path)
			goto nomem;
		plru_paths(c->plru_path, ways);
		if (ways <= 8) {
			c->plru_tab = nw_zalloc(1U << (ways - 1));
			if (!c->plru_tab)
				goto nomem;
		}
	} else if (cfg->repl == NW_REPL_LRU && ways <= 16) {
		c->order = nw_zalloc(sizeof(*c->order) * sets);
		if (!c->order)
			goto nomem;
		for (s = 0; s < sets; s++)
			for (w = 0; w < ways; w++)
				c->order[s] |= (u64)w << (4 * w);
	} else if (cfg->repl == NW_REPL_LRU) {
		c->stamps = nw_zalloc(sizeof(*c->stamps) * cfg->entries);
		if (!c->stamps)
			goto nomem;
	}
	c->entries = cfg->entries;
	c->ways = ways;
	c->set_mask = sets - 1;
	c->sizes = cfg->sizes;
	c->repl = cfg->repl;
	c->plru_depth = ilog2_u32(ways);
	if (c->plru_tab)
		for (s = 0; s < 1U << (ways - 1); s++)
			c->plru_tab[s] = plru_walk(s << 1, c->plru_depth, ways);
	c->rng = seed | 1;
	return 0;

nomem:
	nw_cache_free(c);
	return -ENOMEM;
}

void nw_cache_free(struct nw_cache *c)
{
	nw_free(c->plru_tab);
	nw_free(c->plru_path);
	nw_free(c->plru);
	nw_free(c->order);
	nw_free(c->stamps);
	nw_free(c->fps);
	nw_free(c->e);
	memset(c, 0, sizeof(*c));
}

/*
 * The entry to fill for (@key, @tag, @pcid): the one already holding it,
 * else the first free way, else the policy's victim; a valid entry pushed
 * out is copied to @evicted (if given; its key is 0 otherwise). The
 * caller sets val, perm and flags.
 */
struct nw_centry *nw_cache_insert(struct nw_cache *c, u64 key, u32 tag,
				  u16 pcid, struct nw_centry *evicted)
{
	switch (c->fpw) {
	case 1:
		return __nw_cache_insert(c, key, tag, pcid, evicted, 1,
					 c->repl, false);
	case 3:
		return __nw_cache_insert(c, key, tag, pcid, evicted, 3,
					 c->repl, false);
	case 4:
		return __nw_cache_insert(c, key, tag, pcid, evicted, 4,
					 c->repl, false);
	default:
		return __nw_cache_insert(c, key, tag, pcid, evicted, c->fpw,
					 c->repl, false);
	}
}

u64 nw_cache_inval(struct nw_cache *c, const struct nw_inval *f)
{
	u64 n = 0;
	u32 i;

	for (i = 0; i < c->entries; i++) {
		if (nw_inval_match(&c->e[i], f)) {
			nw_cache_kill(c, &c->e[i]);
			n++;
		}
	}
	return n;
}

