/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One set-associative array of translation-cache entries: the building
 * block of the TLB levels, the paging-structure caches and the nested TLB.
 *
 * Entries are tagged like the SDM's cached information: a context tag
 * (VPID in bits 15:0, the EPTP's tag in bits 31:16), a PCID, and the global
 * bit, which makes an entry match every PCID of its context.
 */
#ifndef _NESTWALK_CORE_CACHE_H
#define _NESTWALK_CORE_CACHE_H

#include "shim.h"
#include "pte.h"

enum nw_repl {
	NW_REPL_LRU,		/* true LRU */
	NW_REPL_PLRU,		/* tree pseudo-LRU, power-of-two ways */
	NW_REPL_RANDOM,		/* seeded xorshift */
	/*
	 * Not configurable: the policy argument of the specialised copies
	 * below for true LRU kept in an order word (up to 16 ways).
	 */
	NW_REPL_ORDER,
};

#define NW_CE_GLOBAL	BIT(0)
#define NW_CE_DIRTY	BIT(1)
/*
 * Bits 3:2: a TLB entry smaller than its page (splintered, SDM 4.10.2.3):
 * the page's level, which INVLPG and the individual-address
 * invalidations match on (nw_inval_match()); 0: the entry's own level.
 */
#define NW_CE_PAGE_SHIFT	2
#define NW_CE_PAGE_MASK		(3 << NW_CE_PAGE_SHIFT)
#define NW_CE_PAGE(level)	((level) << NW_CE_PAGE_SHIFT)
/* Bits 7:4: the protection key of the leaf (SDM 4.6.2; TLB entries). */
#define NW_CE_PKEY_SHIFT	4
#define NW_CE_PKEY(flags)	((unsigned int)(flags) >> NW_CE_PKEY_SHIFT)

#define NW_TAG_VPID_MASK	0x0000ffffU
#define NW_TAG_EPTP_MASK	0xffff0000U
#define NW_TAG_EPTP_SHIFT	16

struct nw_centry {
	u64 key;		/* 0: invalid; else nw_cache_key() */
	u64 val;		/* page or table address */
	u32 tag;
	u16 pcid;
	u8 perm;
	u8 flags;		/* NW_CE_* */
};

struct nw_cache_cfg {
	u32 entries;		/* 0: the array is absent */
	u32 ways;		/* 0 or >= entries: fully associative */
	u8 sizes;		/* levels held: BIT(NW_PTE) | BIT(NW_PDE) ... */
	u8 repl;		/* enum nw_repl */
};

/*
 * Beside the entries, each set keeps a 16-bit fingerprint of every way's
 * key in fpw words of four lanes, way w in lane w / fpw of word w % fpw
 * (0: invalid way; lanes past the last way hold NW_FP_PAD). A scan of a
 * 12-way set is then three words of SWAR compares whose flags, merged
 * into one word, come out in way order; each flagged way is checked
 * against its entry. fps always agrees with the entries' keys
 * (nw_cache_kill() and the functions here keep it so).
 */
struct nw_cache {
	struct nw_centry *e;
	u64 *fps;		/* fpw words per set */
	/*
	 * True LRU. Up to 16 ways: one word per set, its 4-bit nibbles the
	 * ways from most (nibble 0) to least recently used. Wider: a stamp
	 * of last use per entry.
	 */
	u64 *order;
	u64 *stamps;
	u64 *plru;		/* one tree per set */
	u64 *plru_path;		/* per way: nodes on its path, their bits */
	u8 *plru_tab;		/* up to 8 ways: the victim of each tree */
	u64 clock;
	u64 rng;
	u64 fpw_inv;		/* 2^32 / fpw + 1: w / fpw without a divide */
	u32 set_mask;
	u32 ways;
	u32 entries;
	u8 fpw;
	u8 sizes;
	u8 repl;
	u8 plru_depth;
};

/* What an invalidation removes; see invalidate.c for each instruction. */
struct nw_inval {
	u32 tag;
	u32 tag_mask;
	u32 skip_zero;		/* spare entries whose tag & this is 0 */
	bool any_pcid;
	u16 pcid;
	bool globals;		/* global entries go too (any PCID) */
	bool any_addr;
	u64 addr;
};

#define NW_VA_MASK	(BIT_ULL(57) - 1)

/*
 * A key: the page number of an address at a level's page size (bits 63:4),
 * the level (bits 3:1) and a valid bit (bit 0); 0 is no entry. Built and
 * taken apart only by the helpers below.
 */
#define NW_KEY_VPN_SHIFT	4

/* The page number of @addr at @level's size. */
static __always_inline u64 nw_vpn(u64 addr, int level)
{
	return (addr & NW_VA_MASK) >> (NW_PAGE_SHIFT + 9 * (level - 1));
}

static __always_inline u64 nw_cache_key_of(u64 vpn, int level)
{
	return vpn << NW_KEY_VPN_SHIFT | (u64)level << 1 | 1;
}

static __always_inline u64 nw_cache_key(u64 addr, int level)
{
	return nw_cache_key_of(nw_vpn(addr, level), level);
}

static inline int nw_cache_key_level(u64 key)
{
	return (key >> 1) & 7;
}

static __always_inline u64 nw_cache_key_vpn(u64 key)
{
	return key >> NW_KEY_VPN_SHIFT;
}

/* The first address of the page @key names. */
static inline u64 nw_cache_key_addr(u64 key)
{
	return nw_cache_key_vpn(key) << (NW_PAGE_SHIFT +
					 9 * (nw_cache_key_level(key) - 1));
}

/* The set of an array with @set_mask that holds @key. */
static __always_inline u32 nw_cache_key_set(u64 key, u32 set_mask)
{
	return nw_cache_key_vpn(key) & set_mask;
}

int nw_cache_init(struct nw_cache *c, const struct nw_cache_cfg *cfg,
		  u64 seed);
void nw_cache_free(struct nw_cache *c);
struct nw_centry *nw_cache_insert(struct nw_cache *c, u64 key, u32 tag,
				  u16 pcid, struct nw_centry *evicted);
u64 nw_cache_inval(struct nw_cache *c, const struct nw_inval *f);

/*
 * Tree-PLRU: node n (from 1) has children 2n and 2n+1; its bit points at
 * the half to evict next, so a use points every node on the path away.
 */
static __always_inline void nw_cache_plru_touch(struct nw_cache *c, u32 set,
						u32 way)
{
	const u64 *p = &c->plru_path[2 * way];

	c->plru[set] = (c->plru[set] & ~p[0]) | p[1];
}

static __always_inline bool nw_centry_match(const struct nw_centry *e,
					    u64 key, u32 tag, u16 pcid)
{
	return e->key == key && e->tag == tag &&
	       (e->pcid == pcid || (e->flags & NW_CE_GLOBAL));
}

#define NW_LANES16	0x0001000100010001ULL
#define NW_NIBBLES	0x1111111111111111ULL
/* A set's scan flags each way in one bit of a u64: 16 words of 4 lanes. */
#define NW_CACHE_MAX_WAYS	64
#define NW_FP_PAD	0xfffeULL	/* even: no fingerprint equals it */

/* A key's fingerprint: odd, so never 0 (invalid) nor NW_FP_PAD. */
static __always_inline u64 nw_cache_fp(u64 key)
{
	return nw_hash64(key, 16) | 1;
}

/*
 * Bit 15 of each 16-bit lane of @x that may be zero: every zero lane is
 * flagged, and the lowest flagged lane is zero; lanes above a zero lane
 * may be flagged falsely (callers check).
 */
static __always_inline u64 nw_zero_lanes(u64 x)
{
	return (x - NW_LANES16) & ~x & (NW_LANES16 << 15);
}

/* Move @way to the front of @set's LRU order. */
static __always_inline void nw_cache_order_touch(struct nw_cache *c, u32 set,
						 u32 way)
{
	u64 o = c->order[set], x = o ^ (way * NW_NIBBLES);
	/* The lowest zero nibble of x is exact: where @way stands. */
	u64 z = (x - NW_NIBBLES) & ~x & (NW_NIBBLES << 3);
	unsigned int sh = __builtin_ctzll(z) & ~3U;
	u64 below = o & ((1ULL << sh) - 1);

	c->order[set] = (o & (~0ULL << sh << 4)) | below << 4 | way;
}

/*
 * @repl: c->repl, or a constant in the specialised copies (with
 * NW_REPL_ORDER for LRU in an order word), which leaves one branch.
 */
static __always_inline void __nw_cache_touch(struct nw_cache *c, u32 set,
					     u32 way, const u8 repl)
{
	if (repl == NW_REPL_ORDER) {
		nw_cache_order_touch(c, set, way);
	} else if (repl == NW_REPL_LRU) {
		if (c->order)
			nw_cache_order_touch(c, set, way);
		else
			c->stamps[(size_t)set * c->ways + way] = ++c->clock;
	} else if (repl == NW_REPL_PLRU) {
		nw_cache_plru_touch(c, set, way);
	}
}

static __always_inline void nw_cache_touch(struct nw_cache *c, u32 set,
					   u32 way)
{
	__nw_cache_touch(c, set, way, c->repl);
}

/* The policy a specialised copy may assume for @c. */
static inline u8 nw_cache_repl_kind(const struct nw_cache *c)
{
	return c->repl == NW_REPL_LRU && c->order ? NW_REPL_ORDER : c->repl;
}

/*
 * Most arrays have at most 16 ways (up to four fingerprint words per
 * set): the functions below take the word count as a parameter, and their
 * callers dispatch to a copy in which it is a constant (1, 3 or 4), so a
 * scan is straight-line code and way / fpw a multiply.
 */
static __always_inline void __nw_cache_set_fp(struct nw_cache *c, u32 set,
					      u32 way, u64 fp, const u32 fpw)
{
	u32 lane = way / fpw;
	u64 *f = &c->fps[(size_t)set * fpw + way - lane * fpw];
	unsigned int sh = 16 * lane;

	*f = (*f & ~(0xffffULL << sh)) | fp << sh;
}

static __always_inline void nw_cache_set_fp(struct nw_cache *c, u32 set,
					    u32 way, u64 fp)
{
	u32 lane = ((u64)way * c->fpw_inv) >> 32;	/* way / fpw */
	u64 *f = &c->fps[(size_t)set * c->fpw + way - lane * c->fpw];
	unsigned int sh = 16 * lane;

	*f = (*f & ~(0xffffULL << sh)) | fp << sh;
}

/*
 * The ways of @set whose fingerprint may equal @pat's lanes (with @pat 0:
 * the free ways): bit 16 * (w / fpw) + w % fpw for way w, so bit order
 * is way order. The lowest bit is exact; the others may be false.
 */
static __always_inline u64 __nw_cache_scan(const struct nw_cache *c, u32 set,
					   u64 pat, const u32 fpw)
{
	const u64 *f = c->fps + (size_t)set * fpw;
	u64 m = nw_zero_lanes(f[0] ^ pat) >> 15;
	u32 i;

	/* Straight-line code when @fpw is a constant up to 4. */
	if (fpw > 1)
		m |= nw_zero_lanes(f[1] ^ pat) >> 14;
	if (fpw > 2)
		m |= nw_zero_lanes(f[2] ^ pat) >> 13;
	if (fpw > 3)
		m |= nw_zero_lanes(f[3] ^ pat) >> 12;
	for (i = 4; i < fpw; i++)
		m |= nw_zero_lanes(f[i] ^ pat) >> (15 - i);
	return m;
}

static __always_inline u32 __nw_cache_way(u64 bit, const u32 fpw)
{
	return (bit / 16) * fpw + bit % 16;
}

/*
 * The entry of @set matching (@key, @tag, @pcid), its way in *@way; NULL
 * if none. Replacement state is not touched.
 */
static __always_inline struct nw_centry *
__nw_cache_find(struct nw_cache *c, u64 key, u32 tag, u16 pcid, u32 set,
		u32 *way, const u32 fpw)
{
	struct nw_centry *e = c->e + (size_t)set * c->ways;
	u64 m;
	u32 w;

	for (m = __nw_cache_scan(c, set, nw_cache_fp(key) * NW_LANES16, fpw);
	     m; m &= m - 1) {
		w = __nw_cache_way(__builtin_ctzll(m), fpw);
		if (nw_centry_match(&e[w], key, tag, pcid)) {
			*way = w;
			return &e[w];
		}
	}
	return NULL;
}

/*
 * A lookup whose caller touches the entry it keeps (nw_cache_touch()):
 * one that removes the entry at once need not. *@set and *@way locate
 * the entry.
 */
static __always_inline struct nw_centry *
nw_cache_find(struct nw_cache *c, u64 key, u32 tag, u16 pcid, u32 *set,
	      u32 *way)
{
	*set = nw_cache_key_set(key, c->set_mask);
	if (unlikely(!c->ways))
		return NULL;
	switch (c->fpw) {
	case 1:
		return __nw_cache_find(c, key, tag, pcid, *set, way, 1);
	case 3:
		return __nw_cache_find(c, key, tag, pcid, *set, way, 3);
	case 4:
		return __nw_cache_find(c, key, tag, pcid, *set, way, 4);
	default:
		return __nw_cache_find(c, key, tag, pcid, *set, way, c->fpw);
	}
}

static __always_inline struct nw_centry *
nw_cache_lookup(struct nw_cache *c, u64 key, u32 tag, u16 pcid)
{
	struct nw_centry *e;
	u32 set, w;

	e = nw_cache_find(c, key, tag, pcid, &set, &w);
	if (e)
		nw_cache_touch(c, set, w);
	return e;
}

/*
 * A caller that may know @c's word count passes it as @fpw, a constant;
 * 0 leaves it to the array (the dispatch above).
 */
static __always_inline struct nw_centry *
nw_cache_find_as(struct nw_cache *c, u64 key, u32 tag, u16 pcid, u32 *set,
		 u32 *way, const u32 fpw)
{
	if (!fpw)
		return nw_cache_find(c, key, tag, pcid, set, way);
	*set = nw_cache_key_set(key, c->set_mask);
	return __nw_cache_find(c, key, tag, pcid, *set, way, fpw);
}

static __always_inline void nw_cache_set_fp_as(struct nw_cache *c, u32 set,
					       u32 way, u64 fp, const u32 fpw)
{
	if (fpw)
		__nw_cache_set_fp(c, set, way, fp, fpw);
	else
		nw_cache_set_fp(c, set, way, fp);
}

static __always_inline u32 nw_cache_plru_victim(const struct nw_cache *c,
						u32 set)
{
	u64 bits = c->plru[set];
	u32 node = 1;
	unsigned int d;

	/* Only nodes 1 .. ways - 1 are ever set. */
	if (c->plru_tab)
		return c->plru_tab[bits >> 1];
	for (d = 0; d < c->plru_depth; d++)
		node = 2 * node + !!(bits & BIT_ULL(node));
	return node - c->ways;
}

/* A way to replace when the set is full, by tree-PLRU or at random. */
static __always_inline u32 __nw_cache_victim(struct nw_cache *c, u32 set,
					     const u8 repl)
{
	if (repl == NW_REPL_PLRU)
		return nw_cache_plru_victim(c, set);
	c->rng ^= c->rng << 13;
	c->rng ^= c->rng >> 7;
	c->rng ^= c->rng << 17;
	return ((c->rng >> 32) * c->ways) >> 32;
}

/* Without @order: the least recently used way by stamp (all valid). */
static inline u32 nw_cache_stamp_lru(const struct nw_cache *c, u32 set)
{
	const u64 *stamp = c->stamps + (size_t)set * c->ways;
	u64 best = ~0ULL;
	u32 w, lru = 0;

	/* Written to compile to conditional moves: stamps are random. */
	for (w = 0; w < c->ways; w++) {
		bool older = stamp[w] < best;

		best = older ? stamp[w] : best;
		lru = older ? w : lru;
	}
	return lru;
}

/* The way to replace in a full @set; @repl as for __nw_cache_touch(). */
static __always_inline u32 nw_cache_full_victim(struct nw_cache *c, u32 set,
						const u8 repl)
{
	if (repl == NW_REPL_ORDER ||
	    (repl == NW_REPL_LRU && c->order))
		return (c->order[set] >> (4 * (c->ways - 1))) & 15;
	if (repl != NW_REPL_LRU)
		return __nw_cache_victim(c, set, repl);
	return nw_cache_stamp_lru(c, set);
}

/*
 * One pass over the set's fingerprint words finds both the candidates
 * for an entry already holding the key and the free ways. @repl as for
 * __nw_cache_touch(); with @absent the caller knows no entry holds the
 * key (its lookup just missed), and only free ways are looked for.
 */
static __always_inline struct nw_centry *
__nw_cache_insert(struct nw_cache *c, u64 key, u32 tag, u16 pcid,
		  struct nw_centry *evicted, const u32 fpw, const u8 repl,
		  const bool absent)
{
	u32 set = nw_cache_key_set(key, c->set_mask), w, i;
	struct nw_centry *e = c->e + (size_t)set * c->ways;
	const u64 *f = c->fps + (size_t)set * fpw;
	u64 fp = nw_cache_fp(key), pat = fp * NW_LANES16, m, free;

	m = nw_zero_lanes(f[0] ^ pat) >> 15;
	free = nw_zero_lanes(f[0]) >> 15;
	/* Straight-line code when @fpw is a constant up to 4. */
	for (i = 1; i < fpw && i < 4; i++) {
		m |= nw_zero_lanes(f[i] ^ pat) >> (15 - i);
		free |= nw_zero_lanes(f[i]) >> (15 - i);
	}
	for (i = 4; i < fpw; i++) {
		m |= nw_zero_lanes(f[i] ^ pat) >> (15 - i);
		free |= nw_zero_lanes(f[i]) >> (15 - i);
	}
	for (; !absent && m; m &= m - 1) {
		w = __nw_cache_way(__builtin_ctzll(m), fpw);
		if (e[w].key == key && e[w].tag == tag && e[w].pcid == pcid)
			goto found;
	}
	if (free)	/* the lowest bit is exact: the first free way */
		w = __nw_cache_way(__builtin_ctzll(free), fpw);
	else
		w = nw_cache_full_victim(c, set, repl);
found:
	e += w;
	if (evicted) {
		*evicted = *e;
		if (!absent && e->key == key && e->tag == tag &&
		    e->pcid == pcid)
			evicted->key = 0;
	}
	e->key = key;
	__nw_cache_set_fp(c, set, w, fp, fpw);
	e->tag = tag;
	e->pcid = pcid;
	e->flags = 0;
	__nw_cache_touch(c, set, w, repl);
	return e;
}

/* nw_cache_insert() with what the caller knows: see nw_cache_find_as(). */
static __always_inline struct nw_centry *
nw_cache_insert_as(struct nw_cache *c, u64 key, u32 tag, u16 pcid,
		   struct nw_centry *evicted, const u32 fpw, const u8 repl,
		   const bool absent)
{
	if (!fpw)
		return nw_cache_insert(c, key, tag, pcid, evicted);
	return __nw_cache_insert(c, key, tag, pcid, evicted, fpw, repl,
				 absent);
}

/* Whether the invalidation @f removes @e. */
static inline bool nw_inval_match(const struct nw_centry *e, const struct nw_inval *f)
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
	/* Every part of a splintered page goes (SDM 4.10.4.1, INVLPG). */
	level = (e->flags & NW_CE_PAGE_MASK) >> NW_CE_PAGE_SHIFT;
	if (level)
		return nw_vpn(nw_cache_key_addr(e->key), level) ==
		       nw_vpn(f->addr, level);
	level = nw_cache_key_level(e->key);
	return nw_cache_key_vpn(e->key) == nw_vpn(f->addr, level);
}

/* Invalidate one entry of @c. */
static inline void nw_cache_kill(struct nw_cache *c, struct nw_centry *e)
{
	u32 set = nw_cache_key_set(e->key, c->set_mask);

	if (!e->key)
		return;
	nw_cache_set_fp(c, set, (e - c->e) - set * c->ways, 0);
	e->key = 0;
}

static inline bool nw_cache_holds(const struct nw_cache *c,
				  const struct nw_centry *e)
{
	return c->entries && e >= c->e && e < c->e + c->entries;
}

#endif /* _NESTWALK_CORE_CACHE_H */
