/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Walk caches.
 *
 * Paging-structure caches in Intel's "skip" style: the cache for level L
 * (PDE, PDPTE, PML4E, PML5E) maps the address bits that select a level-L
 * entry to the host-physical address of the table that entry references,
 * so a hit lets the walk start below it. One set exists per dimension:
 * guest (tagged VPID/EPTP/PCID; native and shadow walks use it too) and
 * host (tagged EPTP). The nested TLB caches guest-physical mappings
 * (GPA -> HPA, tagged EPTP) for the guest's page-table references, as in
 * Bhargava et al., "Accelerating two-dimensional page walks for
 * virtualized systems", ASPLOS 2008; the SDM calls these guest-physical
 * mappings.
 */
#ifndef _NESTWALK_CORE_PWC_H
#define _NESTWALK_CORE_PWC_H

#include "cache.h"

struct nw_pwc_cfg {
	/* Entries of the cache for each level; 0 switches it off. */
	u32 entries[NW_PML5E + 1];
	u32 ways;
	u8 repl;
};

struct nw_pwc {
	bool on;
	u8 lowest;		/* lowest level with a cache */
	/*
	 * Every cache has at most 4 ways in true LRU (the presets' walk
	 * caches): lookups and fills run a copy with that as constants.
	 */
	bool small_lru;
	struct nw_cache c[NW_PML5E + 1];
};

int nw_pwc_init(struct nw_pwc *p, const struct nw_pwc_cfg *cfg, u64 seed);
void nw_pwc_free(struct nw_pwc *p);
u64 nw_pwc_inval(struct nw_pwc *p, const struct nw_inval *f);

/* A probe of one cache of a small-LRU set: the entry, touched; or NULL. */
static __always_inline struct nw_centry *
nw_pwc_find_small(struct nw_cache *c, u64 key, u32 tag, u16 pcid)
{
	u32 set = nw_cache_key_set(key, c->set_mask), way;
	struct nw_centry *e = __nw_cache_find(c, key, tag, pcid, set, &way, 1);

	/* A walk's entry is mostly the set's most recent. */
	if (e && (c->order[set] & 15) != way)
		__nw_cache_touch(c, set, way, NW_REPL_ORDER);
	return e;
}

/*
 * The deepest cached level on the way to @addr: returns the level whose
 * table the walk starts in (the cached entry's level - 1), and *@table and
 * *@perm; or @top if nothing is cached.
 */
static __always_inline int __nw_pwc_lookup(struct nw_pwc *p, u64 addr,
					   int top, u32 tag, u16 pcid,
					   u64 *table, u8 *perm,
					   const bool small_lru)
{
	int l;

	for (l = p->lowest; l <= top; l++) {
		struct nw_cache *c = &p->c[l];
		u64 key = nw_cache_key(addr, l);
		struct nw_centry *e;

		if (small_lru) {
			if (!c->entries)
				continue;
			e = nw_pwc_find_small(c, key, tag, pcid);
		} else {
			e = nw_cache_lookup(c, key, tag, pcid);
		}
		if (e) {
			*table = e->val;
			*perm = e->perm;
			return l - 1;
		}
	}
	return top;
}

/*
 * The first probe of nw_pwc_lookup() when it is a small-LRU set's PDE
 * cache: whether that holds @addr's table of 4 KiB leaves (*@table), and
 * the rights on the way there (*@perm). False with nothing touched when
 * the set is not that shape.
 */
static __always_inline bool nw_pwc_pde(struct nw_pwc *p, u64 addr, u32 tag,
				       u16 pcid, u64 *table, u8 *perm)
{
	struct nw_cache *c = &p->c[NW_PDE];
	struct nw_centry *e;

	if (!p->small_lru || !c->entries)
		return false;
	e = nw_pwc_find_small(c, nw_cache_key(addr, NW_PDE), tag, pcid);
	if (!e)
		return false;
	*table = e->val;
	*perm = e->perm;
	return true;
}

/* The general copy, out of line: inlined, it doubles the walkers' code. */
int nw_pwc_lookup_any(struct nw_pwc *p, u64 addr, int top, u32 tag, u16 pcid,
		      u64 *table, u8 *perm);

static __always_inline int nw_pwc_lookup(struct nw_pwc *p, u64 addr,
					 int top, u32 tag, u16 pcid,
					 u64 *table, u8 *perm)
{
	if (likely(p->small_lru))
		return __nw_pwc_lookup(p, addr, top, tag, pcid, table, perm,
				       true);
	return nw_pwc_lookup_any(p, addr, top, tag, pcid, table, perm);
}

/* Out of line: a walk has many fill sites, and fills are rarer than hits. */
void nw_pwc_fill(struct nw_pwc *p, u64 addr, int level, u32 tag, u16 pcid,
		 u64 table, u8 perm);

#endif /* _NESTWALK_CORE_PWC_H */
