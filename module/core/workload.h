/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Deterministic access generators: the same seed gives the same trace in
 * the kernel and in userspace. No floating point: zipf weights are
 * computed in fixed point.
 */
#ifndef _NESTWALK_CORE_WORKLOAD_H
#define _NESTWALK_CORE_WORKLOAD_H

#include "sim.h"

enum nw_pattern {
	NW_WL_SEQUENTIAL,	/* one access per 64-byte line, in order */
	NW_WL_STRIDED,		/* every @stride bytes, wrapping */
	NW_WL_UNIFORM,		/* uniformly random page and line */
	NW_WL_ZIPF,		/* page popularity ~ 1 / rank^theta */
	NW_WL_CHASE,		/* a random cyclic permutation of pages */
	NW_WL_NR
};

#define NW_WL_MAX_PAGES	BIT(22)		/* zipf and chase tables */

struct nw_wl_cfg {
	u8 pattern;
	u16 pcid;
	u8 user;		/* add NW_USER to every access */
	u8 write_pct;		/* writes, percent */
	u8 fetch_pct;		/* instruction fetches, percent */
	u32 theta_m;		/* zipf theta, thousandths (990 = 0.99) */
	u64 base;		/* working set: [base, base + size) */
	u64 size;
	u64 stride;
	u64 seed;
};

struct nw_wl {
	struct nw_wl_cfg cfg;
	u64 rng;
	u64 pos;
	u64 pages;
	u64 *cdf;		/* zipf: cumulative weights, Q32 of total */
	u32 *next;		/* chase: successor of each page */
	/* Set-up of the zipf or chase table: steps done, steps in all. */
	u64 setup_pos;
	u64 setup_end;
	u64 sum;		/* zipf: weights so far */
};

/*
 * A generator is started, then its table (zipf, chase: one step a page,
 * two for chase) is set up in as many calls as the caller likes: a
 * kernel caller reschedules and checks for signals between them.
 */
int nw_wl_start(struct nw_wl *wl, const struct nw_wl_cfg *cfg);
/* Up to @steps steps of the set-up; returns the steps left (0: ready). */
u64 nw_wl_setup(struct nw_wl *wl, u64 steps);
void nw_wl_fini(struct nw_wl *wl);
void nw_wl_fill(struct nw_wl *wl, struct nw_acc *acc, u64 n);
/* Fixed-point helpers, exposed for their tests. */
u64 nw_log2_q30(u64 x);
u64 nw_exp2_neg_q30(u64 f);

static inline u64 nw_rng_next(u64 *s)
{
	/* splitmix64: full period, good bits, cheap. */
	u64 z = (*s += NW_GOLDEN64);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n) without division: the high half of a product. */
static inline u64 nw_rng_below(u64 *s, u64 n)
{
	u64 r = nw_rng_next(s);

	if (n <= 0xffffffffULL)
		return ((r >> 32) * n) >> 32;
	return r - nw_div64(r, n) * n;
}

#endif /* _NESTWALK_CORE_WORKLOAD_H */
