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

/*
 * An explicit data-cache hierarchy (API 5), from --dcache-level options,
 * L1d first:
 *
 *   --dcache-level 32K:8:5 --dcache-level 256K:4:12 --dcache-level 8M:16:42
 *
 * SIZE:WAYS:CYCLES: SIZE in bytes (K, M suffixes), WAYS lines a set, the
 * hit latency with up to three decimals; sets = SIZE / 64 / WAYS.
 */
struct nw_dcache_geometry {
	unsigned int n;		/* levels; 0: the preset's hierarchy */
	struct nestwalk_dcache_level l[NESTWALK_DCACHE_MAX_LEVELS];
};

/* As nw_geometry_add_level(), one data-cache level. */
int nw_dcache_add_level(struct nw_dcache_geometry *g, const char *spec,
			char *err, size_t errlen);
/* @g in the syntax above, levels separated by " / ". */
void nw_dcache_describe(const struct nw_dcache_geometry *g, char *buf,
			size_t len);

/* "250", "4.5": cycles into thousandths, at most @max_milli; 0 or -1. */
int nw_parse_cycles(const char *s, uint64_t max_milli, __u64 *milli);
/* @milli thousandths of a cycle as "7", "7.5", "0.125". */
void nw_cycles_name(uint64_t milli, char *buf, size_t len);

#endif /* _NW_GEOMETRY_H */
