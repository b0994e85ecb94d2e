/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TLB hierarchy: up to three levels, each with up to three arrays
 * (separate per page size, or unified, as real parts are built). Entries
 * are the SDM's combined mappings (linear -> host-physical), tagged with
 * VPID, EPTP and PCID; in native mode VPID and EPTP tag are 0.
 *
 * Split TLBs: a second hierarchy, the instruction TLB (nw_tlb.i), serves
 * fetches, as the vendors' manuals describe separate first-level ITLBs
 * (Intel Optimization Reference Manual, Nehalem and Skylake TLB tables;
 * AMD Software Optimization Guide for Family 17h Models 30h+, L1 and L2
 * ITLB). A level the CPU shares between instructions and data (the STLB)
 * is the data level itself: the ITLB's level holds no array of its own,
 * its probes and holders point at the data level's arrays. Invalidations
 * of the data hierarchy reach the ITLB (nw_tlb_inval()).
 *
 * Splintering (SDM 4.10.2.3, "Details of TLB Use": a processor may cache
 * a translation of a page larger than 4 KiB as smaller entries): a page
 * size a level has no array for is held as the largest smaller size that
 * level holds, the entry covering the part of the page that was accessed.
 * The entry then records its page's size (NW_CE_PAGE()), so that an
 * INVLPG anywhere in the page removes every part (SDM 4.10.4.1, INVLPG's
 * footnote: "the instruction invalidates all of them").
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
	/*
	 * Instruction levels only, not the first: the data level of the
	 * same index, its arrays, latency and victim flag (the fields above
	 * and @a are unused).
	 */
	bool shared;
	struct nw_cache_cfg a[NW_TLB_ARRAYS];
};

struct nw_tlb_cfg {
	u8 nlevels;
	/* The instruction TLB's levels; 0: fetches use the data TLB. */
	u8 nilevels;
	struct nw_tlb_level_cfg l[NW_TLB_LEVELS];
	struct nw_tlb_level_cfg il[NW_TLB_LEVELS];
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
	bool shared;		/* an instruction level: the data level */
	u8 nprobes;
	struct nw_tlb_probe probe[NW_TLB_PROBES];
	/*
	 * The array filled per page size, and the size it holds that page
	 * as: the size itself, or splintered, the largest smaller size the
	 * level has an array for (SDM 4.10.2.3).
	 */
	struct nw_cache *holder[NW_PDPTE + 1];
	u8 as[NW_PDPTE + 1];
	struct nw_cache a[NW_TLB_ARRAYS];	/* empty when @shared */
};

/*
 * Shapes the access path specialises (nw_tlb.fast): two levels, the
 * second a victim level, one array of one page size each (one probe per
 * level), and each array's fingerprint words and policy one of the pairs
 * nw_tlb_shape() lists: those of the presets nehalem and skylake. Any
 * other hierarchy takes the general shape, NW_TLB_SLOW.
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
	u8 kinds;		/* the kinds of access the memo may serve */
	bool shared;		/* an instruction level is a data level */
	/*
	 * The instruction TLB of a data TLB (NULL: fetches use this one), or
	 * the data TLB of an instruction TLB.
	 */
	struct nw_tlb *i;
	struct nw_tlb *data;
	/*
	 * The probes of page sizes in @present, level by level: the order
	 * of a lookup.
	 */
	struct nw_tlb_probe chain[NW_TLB_LEVELS * NW_TLB_PROBES];
	struct nw_tlb_level l[NW_TLB_LEVELS];
};

int nw_tlb_init(struct nw_tlb *t, const struct nw_tlb_cfg *cfg, u64 seed);
void nw_tlb_free(struct nw_tlb *t);
/* The general shape's fill, for any page size. */
void nw_tlb_fill(struct nw_tlb *t, const struct nw_centry *e);
u64 nw_tlb_inval(struct nw_tlb *t, const struct nw_inval *f);

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
	/*
	 * Every bit above the page: @va is canonical, so no address that
	 * differs from it only in the bits the keys drop (63:57), which is
	 * not canonical, can take the memo.
	 */
	t->memo_mask = ~(nw_level_size(size) - 1);
	t->memo_ok = ok & t->kinds;
}

/*
 * The part of entry @e's page (the accessed 4 KiB page's host address is
 * kept in e->val) that a level holding pages of @size keeps: @e becomes
 * that smaller entry, marked with its page's size (SDM 4.10.2.3).
 */
static inline void nw_tlb_splinter(struct nw_centry *e, int size)
{
	int from = nw_cache_key_level(e->key);
	u64 va = nw_cache_key_addr(e->key) |
		 (e->val & (nw_level_size(from) - 1));

	if (!(e->flags & NW_CE_PAGE_MASK))
		e->flags |= NW_CE_PAGE(from);
	e->key = nw_cache_key(va, size);
}

/*
 * What lookup, hit below, place and fill know as constants. The general
 * shape (fast 0) knows nothing: levels, arrays, word counts and policies
 * are read from the TLB. A fast shape (enum nw_tlb_fast) knows them all.
 * The functions below are written once, for any shape; the access path
 * instantiates them with nw_tlb_shape() of a constant, and the compiler
 * leaves in each copy only what that shape needs.
 */
struct nw_tlb_shape {
	u8 fast;
	u8 size;		/* the page size of both arrays */
	u8 fpw[2];		/* fingerprint words of level 0 and 1 */
	u8 repl[2];		/* their policies (NW_REPL_ORDER: LRU nibbles) */
};

static __always_inline struct nw_tlb_shape
nw_tlb_shape2(const u8 fast, const u8 fpw0, const u8 repl0, const u8 fpw1,
	      const u8 repl1)
{
	struct nw_tlb_shape sh = { .fast = fast, .size = NW_PTE };

	sh.fpw[0] = fpw0;
	sh.repl[0] = repl0;
	sh.fpw[1] = fpw1;
	sh.repl[1] = repl1;
	return sh;
}

static __always_inline struct nw_tlb_shape nw_tlb_shape(const u8 fast)
{
	static_assert(NW_TLB_FAST_NR == 3, "a shape for every fast kind");
	switch (fast) {
	case NW_TLB_FAST_P1_O3:
		return nw_tlb_shape2(fast, 1, NW_REPL_PLRU, 3, NW_REPL_ORDER);
	case NW_TLB_FAST_O1_O1:
		return nw_tlb_shape2(fast, 1, NW_REPL_ORDER, 1, NW_REPL_ORDER);
	default:
		return (struct nw_tlb_shape){ .fast = NW_TLB_SLOW };
	}
}

/* Probes a lookup makes, levels, and which are victim levels. */
static __always_inline u32 nw_tlb_nchain(const struct nw_tlb *t,
					 const struct nw_tlb_shape sh)
{
	return sh.fast ? 2 : t->nchain;
}

static __always_inline int nw_tlb_nlevels(const struct nw_tlb *t,
					  const struct nw_tlb_shape sh)
{
	return sh.fast ? 2 : t->nlevels;
}

static __always_inline bool nw_tlb_victim(const struct nw_tlb *t, int lv,
					  const struct nw_tlb_shape sh)
{
	return sh.fast ? lv == 1 : t->l[lv].victim;
}

/* The array of level @lv that holds pages of @size (NULL: none). */
static __always_inline struct nw_cache *
nw_tlb_holder(const struct nw_tlb *t, int lv, int size,
	      const struct nw_tlb_shape sh)
{
	return sh.fast ? t->chain[lv].c : t->l[lv].holder[size];
}

/* Level @lv's word count (0: the array's own) and policy, as known. */
static __always_inline u32 nw_tlb_fpw(int lv, const struct nw_tlb_shape sh)
{
	return sh.fast ? sh.fpw[lv] : 0;
}

static __always_inline u8 nw_tlb_repl(const struct nw_cache *c, int lv,
				      const struct nw_tlb_shape sh)
{
	return sh.fast ? sh.repl[lv] : c->repl;
}

/* The page size a probe looks for, and its key for @va. */
static __always_inline int nw_tlb_size(const struct nw_tlb_probe *pr,
				       const struct nw_tlb_shape sh)
{
	return sh.fast ? sh.size : pr->size;
}

static __always_inline u64 nw_tlb_key(const struct nw_tlb_probe *pr, u64 va,
				      const struct nw_tlb_shape sh)
{
	return sh.fast ? nw_cache_key(va, sh.size) :
	       nw_cache_key_of((va & NW_VA_MASK) >> pr->shift, pr->size);
}

/*
 * An instruction TLB's entry for a shared level @lv that a data level
 * above it already holds: the data hierarchy keeps one copy (its levels
 * are exclusive when victim levels), and its fast shapes count on it.
 */
bool nw_tlb_shared_dup(const struct nw_tlb *t, int lv,
		       const struct nw_centry *e);

/*
 * Put @src into level @lv; what it pushes out moves down while the next
 * level is a victim level that holds that page size. In a fast shape no
 * (key, tag, PCID) is in both levels and @src is in neither (a fill
 * follows a lookup that matched nothing, or an entry it then removed; a
 * move takes the entry out of the victim level first): the inserts need
 * not look for an entry holding the key, and take the same ways.
 */
static __always_inline void __nw_tlb_place(struct nw_tlb *t, int lv,
					   const struct nw_centry *src,
					   const struct nw_tlb_shape sh)
{
	struct nw_centry e = *src, out;
	int nl = nw_tlb_nlevels(t, sh), size;

	t->memo = NULL;
	NW_UNROLL(NW_TLB_LEVELS)
	for (; lv < nl; lv++) {
		struct nw_cache *c;
		bool down = lv + 1 < nl && nw_tlb_victim(t, lv + 1, sh);
		struct nw_centry *slot;

		size = nw_cache_key_level(e.key);
		c = nw_tlb_holder(t, lv, size, sh);
		if (!c)
			return;
		/* A fast shape holds its one size at every level. */
		if (!sh.fast && t->l[lv].as[size] != size)
			nw_tlb_splinter(&e, t->l[lv].as[size]);
		if (!sh.fast && t->l[lv].shared &&
		    nw_tlb_shared_dup(t, lv, &e))
			return;
		slot = nw_cache_insert_as(c, e.key, e.tag, e.pcid,
					  down ? &out : NULL,
					  nw_tlb_fpw(lv, sh),
					  nw_tlb_repl(c, lv, sh), sh.fast);
		slot->val = e.val;
		slot->perm = e.perm;
		slot->flags = e.flags;
		if (!down || !out.key)
			return;
		e = out;
	}
}

/*
 * Look @va up, probes @from to @to - 1 of the chain, level by level.
 * Returns the probe that hit (its level in ->lv), or NULL on a miss;
 * *@out is the entry that hit, at *@set and *@way of the probe's array.
 * A first-level hit is touched (the caller may make it the memo); below,
 * the caller touches what it keeps (__nw_tlb_hit_below()).
 */
static __always_inline const struct nw_tlb_probe *
__nw_tlb_lookup(struct nw_tlb *t, u64 va, u32 tag, u16 pcid, u32 from,
		u32 to, struct nw_centry **out, u32 *set, u32 *way,
		const struct nw_tlb_shape sh)
{
	u32 i;

	/* From 0, so that each pass's probe is a constant when @to is. */
	NW_UNROLL(NW_TLB_LEVELS)
	for (i = 0; i < to; i++) {
		const struct nw_tlb_probe *pr = &t->chain[i];
		int lv = sh.fast ? i : pr->lv;
		struct nw_centry *e;

		if (i < from)
			continue;
		e = nw_cache_find_as(pr->c, nw_tlb_key(pr, va, sh), tag, pcid,
				     set, way, nw_tlb_fpw(lv, sh));
		if (e) {
			/* Touching it again changes nothing: it is the MRU. */
			*out = e;
			if (!lv)
				__nw_cache_touch(pr->c, *set, *way,
						 nw_tlb_repl(pr->c, 0, sh));
			return pr;
		}
	}
	return NULL;
}

/*
 * A hit below the first level (probe @pr at level @lv, entry @hit at
 * @set, @way): a victim level moves the entry up, others copy it up.
 * With @keep false the caller removes the entry at once and it is not
 * copied.
 */
static __always_inline void
__nw_tlb_hit_below(struct nw_tlb *t, const struct nw_tlb_probe *pr, int lv,
		   struct nw_centry *hit, u32 set, u32 way, bool keep,
		   const struct nw_tlb_shape sh)
{
	struct nw_centry e = *hit;
	int up;

	if ((sh.fast || pr->move) && keep) {
		/*
		 * Not touched: a freed way's place in the replacement state
		 * is set again when the way is filled, and no victim is
		 * chosen in its set before that (a free way goes first).
		 */
		nw_cache_set_fp_as(pr->c, set, way, 0, nw_tlb_fpw(lv, sh));
		hit->key = 0;
		__nw_tlb_place(t, 0, &e, sh);
		return;
	}
	__nw_cache_touch(pr->c, set, way, nw_tlb_repl(pr->c, lv, sh));
	if (!keep)
		return;
	for (up = 0; up < lv; up++)
		if (up == 0 || !nw_tlb_victim(t, up, sh))
			__nw_tlb_place(t, up, &e, sh);
}

/* A page size seen for the first time: lookups probe it from now on. */
void nw_tlb_note_size(struct nw_tlb *t, int size);

/*
 * After a walk: every level that is not a victim level gets @e. Returns
 * false if @e's page size is not the fast shape's: the caller fills it
 * in the general shape (nw_tlb_fill()).
 */
static __always_inline bool __nw_tlb_fill(struct nw_tlb *t,
					  const struct nw_centry *e,
					  const struct nw_tlb_shape sh)
{
	int lv, size = nw_cache_key_level(e->key);

	if (sh.fast && size != sh.size)
		return false;
	if (unlikely(!(t->present & BIT(size))))
		nw_tlb_note_size(t, size);
	for (lv = 0; lv < nw_tlb_nlevels(t, sh); lv++)
		if (lv == 0 || !nw_tlb_victim(t, lv, sh))
			__nw_tlb_place(t, lv, e, sh);
	return true;
}

#endif /* _NESTWALK_CORE_TLB_H */
