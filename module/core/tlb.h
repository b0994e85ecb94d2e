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
	int size;		/* page-size level this probe looks for */
};

struct nw_tlb_level {
	u32 lat_m;
	bool victim;
	u8 nprobes;
	u8 nactive;
	struct nw_tlb_probe probe[NW_TLB_PROBES];
	/* The probes of page sizes in nw_tlb.present, in the same order. */
	struct nw_tlb_probe active[NW_TLB_PROBES];
	struct nw_cache *holder[NW_PDPTE + 1];	/* array filled per size */
	struct nw_cache a[NW_TLB_ARRAYS];
};

struct nw_tlb {
	u8 nlevels;
	u8 present;		/* page sizes ever filled: others not probed */
	/*
	 * The last first-level hit. Until the next fill it is still what a
	 * full lookup of the same page would find first, and touching it
	 * again leaves LRU and PLRU state as it is: a shortcut, not a model.
	 */
	struct nw_centry *memo;
	u64 memo_key;
	u64 memo_va;
	u64 memo_mask;
	struct nw_tlb_level l[NW_TLB_LEVELS];
};

int nw_tlb_init(struct nw_tlb *t, const struct nw_tlb_cfg *cfg, u64 seed);
void nw_tlb_free(struct nw_tlb *t);
void nw_tlb_fill(struct nw_tlb *t, u64 va, int size, u32 tag, u16 pcid,
		 u64 page, u8 perm, u8 flags);
void nw_tlb_promote(struct nw_tlb *t, int lv, struct nw_cache *c,
		    struct nw_centry *e);
void nw_tlb_kill(struct nw_tlb *t, struct nw_centry *e);
u64 nw_tlb_inval(struct nw_tlb *t, const struct nw_inval *f);
u64 nw_tlb_count(const struct nw_tlb *t, const struct nw_inval *f);
/* Reach in KiB of the entries that hold pages of @size. */
u64 nw_tlb_reach_kib(const struct nw_tlb *t, int size);

/*
 * Look @va up level by level. Returns the index of the level that hit, or
 * t->nlevels on a miss; *@out is the entry that hit, *@oc its array.
 */
static __always_inline int nw_tlb_lookup(struct nw_tlb *t, u64 va, u32 tag,
					 u16 pcid, struct nw_centry **out,
					 struct nw_cache **oc)
{
	int lv, p;

	for (lv = 0; lv < t->nlevels; lv++) {
		struct nw_tlb_level *l = &t->l[lv];

		for (p = 0; p < l->nactive; p++) {
			struct nw_tlb_probe *pr = &l->active[p];
			struct nw_centry *e;

			e = nw_cache_lookup(pr->c, nw_cache_key(va, pr->size),
					    tag, pcid);
			if (e) {
				*out = e;
				*oc = pr->c;
				if (!lv) {
					t->memo = e;
					t->memo_key = e->key;
					t->memo_va = va;
					t->memo_mask = NW_VA_MASK &
						~(nw_level_size(pr->size) - 1);
				}
				return lv;
			}
		}
	}
	return lv;
}

/* The memo, if it still holds @va's page for this context. */
static __always_inline struct nw_centry *nw_tlb_memo(struct nw_tlb *t,
						     u64 va, u32 tag, u16 pcid)
{
	struct nw_centry *e = t->memo;

	if (e && !((va ^ t->memo_va) & t->memo_mask) &&
	    nw_centry_match(e, t->memo_key, tag, pcid))
		return e;
	return NULL;
}

#endif /* _NESTWALK_CORE_TLB_H */
