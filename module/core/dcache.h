/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The data-cache hierarchy the page walker's loads go through: L1d, L2
 * and the last-level cache, physically indexed by 64-byte line, true LRU
 * in each set, each level's hit latency and the memory's beyond them.
 *
 * Intel's walker loads go through the data caches: the Haswell PMU
 * counts them by where they hit (PAGE_WALKER_LOADS.DTLB_L1/L2/L3/MEMORY
 * and the ITLB and EPT variants; Intel SDM vol. 3B, "Performance
 * Monitoring Events" for the 4th generation Core). AMD's table walker
 * reads through L2 and below, and its PDE cache holds entries, not lines
 * (Software Optimization Guide for AMD Family 17h, "Table walker"): the
 * model treats both vendors alike (Documentation/cost.rst).
 *
 * A load looks the line up from the first level down and is served by
 * the first that holds it; every level above that one (and, served by
 * memory, every level) then takes the line as its most recently used,
 * each evicting its own least recently used line. Levels are neither
 * inclusive nor exclusive of each other: an eviction goes nowhere and
 * invalidates nothing below or above (a simplification: Intel's client
 * LLCs are inclusive, AMD's L3 is a victim cache of L2; both say so in
 * Documentation/presets.rst).
 *
 * A set keeps its lines in recency order, most recent first (each slot
 * the line number plus one, 0 for empty): a hit at slot k moves slots
 * 0..k-1 down by one, a fill moves the whole set and drops the last.
 * True LRU, exactly, with the set's lines side by side in memory.
 */
#ifndef _NESTWALK_CORE_DCACHE_H
#define _NESTWALK_CORE_DCACHE_H

#include "shim.h"

#define NW_DC_LEVELS		3
#define NW_DC_LINE_SHIFT	6
#define NW_DC_MAX_WAYS		32
#define NW_DC_MAX_LINES		BIT(20)
/* Where a load was served: level 0..2, or memory. */
#define NW_DC_MEM		NW_DC_LEVELS

enum nw_dc_mode {
	NW_DC_OFF,		/* fixed latency per entry read (cost.h) */
	NW_DC_DATA,		/* walk loads and the accesses' data lines */
	NW_DC_WALKS,		/* walk loads only */
};

struct nw_dc_level_cfg {
	u32 sets;		/* a power of two */
	u32 ways;		/* 1..NW_DC_MAX_WAYS */
	u32 lat_m;		/* hit latency, milli-cycles */
};

struct nw_dcache_cfg {
	u8 mode;		/* enum nw_dc_mode */
	u8 nlevels;		/* 1..NW_DC_LEVELS when on */
	struct nw_dc_level_cfg l[NW_DC_LEVELS];
	u32 mem_lat_m;		/* a load no level holds */
};

struct nw_dc_level {
	u64 *line;		/* sets * ways slots, recency order per set */
	u32 set_mask;
	u32 ways;
};

struct nw_dcache {
	u8 mode;		/* enum nw_dc_mode */
	u8 nlevels;
	struct nw_dc_level l[NW_DC_LEVELS];
	/* Milli-cycles of a load served at level i, or by memory (i = 3). */
	u32 lat_m[NW_DC_LEVELS + 1];
};

int nw_dcache_check(const struct nw_dcache_cfg *cfg);
int nw_dcache_init(struct nw_dcache *d, const struct nw_dcache_cfg *cfg);
void nw_dcache_fini(struct nw_dcache *d);
int nw_dcache_load_slow(struct nw_dcache *d, u64 line, int from);

/*
 * A load of the line of host-physical @hpa, looked up from level @from
 * (0 for data and walk loads; 1 for an instruction fetch, which has its
 * own L1). Returns the level that served it, or NW_DC_MEM. The most
 * recent line of the L1 set is tested here, inline: a walk reads the
 * same upper entries again and again, a program the same line.
 */
static __always_inline int nw_dcache_load(struct nw_dcache *d, u64 hpa,
					  int from)
{
	u64 line = hpa >> NW_DC_LINE_SHIFT;
	const struct nw_dc_level *l = &d->l[0];

	if (likely(from == 0) &&
	    likely(l->line[(size_t)(line & l->set_mask) * l->ways] == line + 1))
		return 0;
	return nw_dcache_load_slow(d, line, from);
}

#endif /* _NESTWALK_CORE_DCACHE_H */
