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

int nw_cache_init(struct nw_cache *c, const struct nw_cache_cfg *cfg,
		  u64 seed)
{
	u32 ways = cfg->ways, sets;

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
	if (!is_pow2(sets))
		return -EINVAL;
	if (cfg->repl == NW_REPL_PLRU && (!is_pow2(ways) || ways > 64))
		return -EINVAL;
	c->e = nw_zalloc(sizeof(*c->e) * cfg->entries);
	c->keys = nw_zalloc(sizeof(*c->keys) * cfg->entries);
	c->stamps = nw_zalloc(sizeof(*c->stamps) * cfg->entries);
	if (cfg->repl == NW_REPL_PLRU)
		c->plru = nw_zalloc(sizeof(*c->plru) * sets);
	if (!c->e || !c->keys || !c->stamps ||
	    (cfg->repl == NW_REPL_PLRU && !c->plru)) {
		nw_cache_free(c);
		return -ENOMEM;
	}
	c->entries = cfg->entries;
	c->ways = ways;
	c->set_mask = sets - 1;
	c->sizes = cfg->sizes;
	c->repl = cfg->repl;
	c->plru_depth = ilog2_u32(ways);
	c->rng = seed | 1;
	return 0;
}

void nw_cache_free(struct nw_cache *c)
{
	nw_free(c->plru);
	nw_free(c->stamps);
	nw_free(c->keys);
	nw_free(c->e);
	memset(c, 0, sizeof(*c));
}

static u32 plru_victim(const struct nw_cache *c, u32 set)
{
	u64 bits = c->plru[set];
	u32 node = 1;
	unsigned int d;

	for (d = 0; d < c->plru_depth; d++)
		node = 2 * node + !!(bits & BIT_ULL(node));
	return node - c->ways;
}

/* A way to replace when the set holds no invalid entry. */
static u32 victim(struct nw_cache *c, u32 set, u32 lru)
{
	switch (c->repl) {
	case NW_REPL_PLRU:
		return plru_victim(c, set);
	case NW_REPL_RANDOM:
		c->rng ^= c->rng << 13;
		c->rng ^= c->rng >> 7;
		c->rng ^= c->rng << 17;
		return ((c->rng >> 32) * c->ways) >> 32;
	default:
		return lru;
	}
}

/*
 * The entry to fill for (@key, @tag, @pcid): the one already holding it,
 * else a free or victim way; a valid entry pushed out is copied to
 * @evicted (if given; its key is 0 otherwise). The caller sets val, perm
 * and flags.
 */
struct nw_centry *nw_cache_insert(struct nw_cache *c, u64 key, u32 tag,
				  u16 pcid, struct nw_centry *evicted)
{
	u32 set = (key >> 4) & c->set_mask, w, lru = 0;
	struct nw_centry *e = c->e + (size_t)set * c->ways;
	u64 *k = c->keys + (size_t)set * c->ways;
	u64 *stamp = c->stamps + (size_t)set * c->ways;
	u64 best = ~0ULL;

	/*
	 * One pass: the entry itself, else the first free way, else the
	 * least recently used. Free ways count as stamp 0; the selection is
	 * written to compile to conditional moves, as stamps are random.
	 */
	for (w = 0; w < c->ways; w++) {
		u64 st = k[w] ? stamp[w] + 1 : 0;
		bool older = st < best;

		if (unlikely(k[w] == key && e[w].tag == tag &&
			     e[w].pcid == pcid))
			break;
		best = older ? st : best;
		lru = older ? w : lru;
	}
	if (w == c->ways)
		w = best == 0 ? lru : victim(c, set, lru);
	e += w;
	if (evicted) {
		*evicted = *e;
		if (e->key == key && e->tag == tag && e->pcid == pcid)
			evicted->key = 0;
	}
	e->key = key;
	k[w] = key;
	e->tag = tag;
	e->pcid = pcid;
	e->flags = 0;
	nw_cache_touch(c, set, w);
	return e;
}

static bool inval_match(const struct nw_centry *e, const struct nw_inval *f)
{
	int level;

	if (!e->key || (e->tag & f->tag_mask) != f->tag)
		return false;
	if (f->skip_zero && !(e->tag & f->skip_zero))
		return false;
	if (e->flags & NW_CE_GLOBAL) {
		if (!f->globals)
			return false;
	} else if (!f->any_pcid && e->pcid != f->pcid) {
		return false;
	}
	if (f->any_addr)
		return true;
	level = nw_cache_key_level(e->key);
	return (e->key >> 4) == ((f->addr & NW_VA_MASK) >>
				 (NW_PAGE_SHIFT + 9 * (level - 1)));
}

u64 nw_cache_inval(struct nw_cache *c, const struct nw_inval *f)
{
	u64 n = 0;
	u32 i;

	for (i = 0; i < c->entries; i++) {
		if (inval_match(&c->e[i], f)) {
			nw_cache_kill(c, &c->e[i]);
			n++;
		}
	}
	return n;
}

u64 nw_cache_count(const struct nw_cache *c, const struct nw_inval *f)
{
	u64 n = 0;
	u32 i;

	for (i = 0; i < c->entries; i++)
		n += inval_match(&c->e[i], f);
	return n;
}

void nw_cache_flush(struct nw_cache *c)
{
	u32 i;

	for (i = 0; i < c->entries; i++)
		nw_cache_kill(c, &c->e[i]);
}

struct nw_centry *nw_cache_probe(const struct nw_cache *c, u64 key, u32 tag,
				 u16 pcid)
{
	u32 set = (key >> 4) & c->set_mask, w;
	struct nw_centry *e = c->e + (size_t)set * c->ways;

	if (!c->entries)
		return NULL;
	for (w = 0; w < c->ways; w++, e++)
		if (nw_centry_match(e, key, tag, pcid))
			return e;
	return NULL;
}
