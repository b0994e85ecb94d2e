/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TLB hierarchy: up to three levels, each with up to three arrays
 * (separate per page size, or unified, as real parts are built). Entries
 * are the SDM's combined mappings (linear -> host-physical), tagged with
 * VPID, EPTP and PCID; in native mode VPID and EPTP tag are 0.
 */
#ifndef _NESTWALK_CORE_TLB_H
#define _NESTWALK_CORE_TLB_H

#include "cache.h"

#define NW_TLB_LEVELS	3
#define NW_TLB_ARRAYS	3
#define NW_TLB_PROBES	(NW_TLB_ARRAYS * 3)

struct nw_tlb_level_cfg {
	u32 lat_m;		/* hit latency, milli-cycles */
	bool victim;		/* filled by the level above's evictions */
	struct nw_cache_cfg a[NW_TLB_ARRAYS];
};

struct nw_tlb_cfg {
	u8 nlevels;
	struct nw_tlb_level_cfg l[NW_TLB_LEVELS];
};

struct nw_tlb_probe {
	struct nw_cache *c;
	u8 size;		/* page-size level this probe looks for */
	u8 shift;		/* of its page number in an address */
	u8 lv;			/* TLB level of the array */
	bool move;		/* a hit moves the entry up (victim level) */
};

struct nw_tlb_level {
	u32 lat_m;
	bool victim;
	u8 nprobes;
	struct nw_tlb_probe probe[NW_TLB_PROBES];
	struct nw_cache *holder[NW_PDPTE + 1];	/* array filled per size */
	struct nw_cache a[NW_TLB_ARRAYS];
};

/*
 * Shapes with specialised lookups, moves and fills (nw_tlb.fast): two
 * levels, the second a victim level, pages of one size so far (one probe
 * per level), and the arrays' fingerprint words and policies one of these
 * pairs (tlb.c lists them; sim.c dispatches to a copy for each): those
 * of the presets nehalem and skylake. Each copy costs compile time, the
 * more so under the sanitizers.
 */
enum nw_tlb_fast {
	NW_TLB_SLOW,
	NW_TLB_FAST_P1_O3,	/* 4-way PLRU over 12-way LRU: skylake */
	NW_TLB_FAST_O1_O1,	/* 4-way LRU over 4-way LRU: nehalem */
	NW_TLB_FAST_NR
};

struct nw_tlb {
	u8 nlevels;
	u8 present;		/* page sizes ever filled: others not probed */
	u8 nchain;
	u8 fast;		/* enum nw_tlb_fast */
	/*
	 * The last first-level hit. Until the next fill it is still what a
	 * full lookup of the same page would find first, and touching it
	 * again leaves LRU and PLRU state as it is: a shortcut, not a model.
	 * It serves only the context it was found for (@memo_ctx: the
	 * caller's address space, which fixes tag and PCID), and only the
	 * kinds of access in @memo_ok (bit k: kind k) that need nothing of
	 * the walk.
	 */
	struct nw_centry *memo;
	const void *memo_ctx;
	u64 memo_key;
	u64 memo_va;
	u64 memo_mask;
	u8 memo_ok;
	/*
	 * The probes of page sizes in @present, level by level: the order
	 * of a lookup.
	 */
	struct nw_tlb_probe chain[NW_TLB_LEVELS * NW_TLB_PROBES];
	struct nw_tlb_level l[NW_TLB_LEVELS];
};

int nw_tlb_init(struct nw_tlb *t, const struct nw_tlb_cfg *cfg, u64 seed);
void nw_tlb_free(struct nw_tlb *t);
void nw_tlb_fill(struct nw_tlb *t, u64 va, int size, u32 tag, u16 pcid,
		 u64 page, u8 perm, u8 flags);
void nw_tlb_hit_below(struct nw_tlb *t, const struct nw_tlb_probe *pr,
		      struct nw_centry *e, u32 set, u32 way, bool keep);
void nw_tlb_kill(struct nw_tlb *t, struct nw_centry *e);
u64 nw_tlb_inval(struct nw_tlb *t, const struct nw_inval *f);
u64 nw_tlb_count(const struct nw_tlb *t, const struct nw_inval *f);
/* Reach in KiB of the entries that hold pages of @size. */
u64 nw_tlb_reach_kib(const struct nw_tlb *t, int size);

/*
 * Remember the first-level hit @e on @va (a page of @size), looked up
 * for @ctx; @ok: the kinds of access it serves as it is.
 */
static __always_inline void nw_tlb_set_memo(struct nw_tlb *t,
					    struct nw_centry *e, u64 va,
					    int size, const void *ctx, u8 ok)
{
	t->memo = e;
	t->memo_ctx = ctx;
	t->memo_key = e->key;
	t->memo_va = va;
	t->memo_mask = NW_VA_MASK & ~(nw_level_size(size) - 1);
	t->memo_ok = ok;
}

/*
 * place() of tlb.c in a fast shape: @src into the first level's array
 * @c0, and what it pushes out into the victim level's @c1.
 *
 * In a fast shape no (key, tag, PCID) is in both levels, and @src is in
 * neither: a fill follows a lookup that matched nothing (or an entry it
 * then removed), a move takes the entry out of @c1 first, and fills go
 * to the first level only. So neither insert looks for an entry already
 * holding its key: with those found nowhere, place() takes the same ways.
 */
static __always_inline void
nw_tlb_place2(struct nw_tlb *t, struct nw_cache *c0, struct nw_cache *c1,
	      const struct nw_centry *src, const u32 fpw0, const u8 repl0,
	      const u32 fpw1, const u8 repl1)
{
	struct nw_centry out, *slot;

	t->memo = NULL;
	slot = __nw_cache_insert(c0, src->key, src->tag, src->pcid, &out,
				 fpw0, repl0, true);
	slot->val = src->val;
	slot->perm = src->perm;
	slot->flags = src->flags;
	if (!out.key)
		return;
	slot = __nw_cache_insert(c1, out.key, out.tag, out.pcid, NULL,
				 fpw1, repl1, true);
	slot->val = out.val;
	slot->perm = out.perm;
	slot->flags = out.flags;
}

/*
 * Look @va up level by level. Returns the probe that hit (its level in
 * ->lv), or NULL on a miss; *@out is the entry that hit, at *@set and
 * *@way of the probe's array. A first-level hit is touched (the caller
 * may make it the memo); below, the caller touches what it keeps
 * (nw_tlb_hit_below()).
 */
static __always_inline const struct nw_tlb_probe *
nw_tlb_lookup(struct nw_tlb *t, u64 va, u32 tag, u16 pcid,
	      struct nw_centry **out, u32 *set, u32 *way)
{
	const struct nw_tlb_probe *pr = t->chain, *end = pr + t->nchain;

	for (; pr < end; pr++) {
		struct nw_centry *e;

		/* nw_cache_key(va, pr->size) */
		u64 key = ((va & NW_VA_MASK) >> pr->shift) << 4 |
			  pr->size << 1 | 1;

		e = nw_cache_find(pr->c, key, tag, pcid, set, way);
		if (e) {
			*out = e;
			if (!pr->lv)
				nw_cache_touch(pr->c, *set, *way);
			return pr;
		}
	}
	return NULL;
}

/*
 * Whether the memo serves an access of @kind to @va for @ctx. A killed
 * entry has key 0; any fill forgets the memo.
 */
static __always_inline bool nw_tlb_memo(const struct nw_tlb *t, u64 va,
					const void *ctx, unsigned int kind)
{
	const struct nw_centry *e = t->memo;

	return e && !((va ^ t->memo_va) & t->memo_mask) &&
	       t->memo_ctx == ctx && kind < 8 && (t->memo_ok >> kind & 1) &&
	       e->key == t->memo_key;
}

#endif /* _NESTWALK_CORE_TLB_H */
