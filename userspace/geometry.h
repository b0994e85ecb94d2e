/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An explicit TLB hierarchy for NESTWALK_IOC_CONFIG, from --tlb-level
 * options, one per level, first level first:
 *
 *   --tlb-level 4k=64x4,2m=32x4,lat=1 --tlb-level victim,4k=512x4,lat=7
 *
 * A level is a comma-separated list of
 *   SIZES=ENTRIES[xWAYS][:REPL]  an array: SIZES one or more of 4k, 2m, 1g
 *                                joined by "+"; WAYS a number or "full"
 *                                (the default); REPL lru (default), plru
 *                                or random
 *   lat=CYCLES                   hit latency, up to three decimals
 *                                (default 1 on the first level, 7 below)
 *   victim                       filled only by the level above's
 *                                evictions (not on the first level)
 *
 * --itlb-level takes the same, or alone the word
 *   shared                       the data level of the same index, which
 *                                serves fetches too (not the first level)
 */
#ifndef _NW_GEOMETRY_H
#define _NW_GEOMETRY_H

#include <stddef.h>
#include <stdint.h>

#include <linux/nestwalk.h>

struct nw_geometry {
	unsigned int n;		/* levels; 0: the preset's hierarchy */
	struct nestwalk_tlb_level l[NESTWALK_TLB_MAX_LEVELS];
};

/*
 * Parse @spec as the next level of @g. 0, or -1 with the reason in @err
 * (@g unchanged).
 */
int nw_geometry_add_level(struct nw_geometry *g, const char *spec,
			  char *err, size_t errlen);
/* @g in the syntax above, levels separated by " / ". */
void nw_geometry_describe(const struct nw_geometry *g, char *buf,
			  size_t len);
/* KiB of memory the entries for pages of @page (NESTWALK_PAGE_*) map. */
uint64_t nw_geometry_reach_kib(const struct nw_geometry *g, int page);

#endif /* _NW_GEOMETRY_H */
