// SPDX-License-Identifier: GPL-2.0
/*
 * Access generators (see workload.h).
 *
 * Zipf: page of rank i (1-based) has weight i^-theta = 2^(-theta log2 i),
 * computed with a fixed-point log2 (repeated squaring) and exp2 (product of
 * the constants 2^(-2^-k)); ranks are scattered over the working set by a
 * multiplicative permutation so that hot pages do not share TLB sets by
 * construction. Pointer chase: Sattolo's algorithm gives a single cycle
 * through all pages.
 */
#include "workload.h"

#define Q30		BIT_ULL(30)
#define LINE_SHIFT	6
#define SCATTER		2654435761ULL	/* prime, larger than any page count */

/* 2^(-2^-k) in Q30, for k = 1..30. */
static const u32 exp2_neg_frac[30] = {
	0x2d413ccdU, 0x35d13f33U, 0x3ab031baU, 0x3d495f45U,
	0x3ea0ecb7U, 0x3f4f8303U, 0x3fa78457U, 0x3fd3b2d6U,
	0x3fe9d595U, 0x3ff4e9d4U, 0x3ffa74adU, 0x3ffd3a47U,
	0x3ffe9d20U, 0x3fff4e8fU, 0x3fffa747U, 0x3fffd3a4U,
	0x3fffe9d2U, 0x3ffff4e9U, 0x3ffffa74U, 0x3ffffd3aU,
	0x3ffffe9dU, 0x3fffff4fU, 0x3fffffa7U, 0x3fffffd4U,
	0x3fffffeaU, 0x3ffffff5U, 0x3ffffffaU, 0x3ffffffdU,
	0x3fffffffU, 0x3fffffffU
};

u64 nw_log2_q30(u64 x)
{
	u64 y, r;
	int msb = 63, i;

	if (!x)
		return 0;
	while (!(x & BIT_ULL(msb)))
		msb--;
	y = msb >= 30 ? x >> (msb - 30) : x << (30 - msb);
	r = (u64)msb << 30;
	for (i = 1; i <= 30; i++) {
		y = (y * y) >> 30;
		if (y >= 2 * Q30) {
			y >>= 1;
			r |= 1ULL << (30 - i);
		}
	}
	return r;
}

u64 nw_exp2_neg_q30(u64 f)
{
	u64 n = f >> 30, v = Q30;
	int k;

	if (n >= 31)
		return 0;
	for (k = 1; k <= 30; k++)
		if (f & (1ULL << (30 - k)))
			v = (v * exp2_neg_frac[k - 1]) >> 30;
	return v >> n;
}

/* Zipf step @i: page of rank i + 1 gets its cumulative weight. */
static void zipf_step(struct nw_wl *wl, u64 i)
{
	u64 f = nw_div64(wl->cfg.theta_m * nw_log2_q30(i + 1), 1000);
	u64 w = nw_exp2_neg_q30(f);

	wl->sum += w ? w : 1;
	wl->cdf[i] = wl->sum;
}

/*
 * Chase step @i: the identity first (steps 0 .. pages - 1), then
 * Sattolo's swaps from the last page down to page 1.
 */
static void chase_step(struct nw_wl *wl, u64 i)
{
	u64 j, k;
	u32 t;

	if (i < wl->pages) {
		wl->next[i] = i;
		return;
	}
	k = 2 * wl->pages - 1 - i;	/* pages - 1 down to 1 */
	j = nw_rng_below(&wl->rng, k);
	t = wl->next[k];
	wl->next[k] = wl->next[j];
	wl->next[j] = t;
}

int nw_wl_start(struct nw_wl *wl, const struct nw_wl_cfg *cfg)
{
	memset(wl, 0, sizeof(*wl));
	if (cfg->pattern >= NW_WL_NR || cfg->size < NW_PAGE_SIZE ||
	    cfg->write_pct + cfg->fetch_pct > 100 ||
	    (cfg->pattern == NW_WL_STRIDED && !cfg->stride) ||
	    cfg->theta_m > 10000)
		return -EINVAL;
	wl->cfg = *cfg;
	wl->rng = cfg->seed;
	wl->pages = cfg->size >> NW_PAGE_SHIFT;
	if (cfg->pattern != NW_WL_ZIPF && cfg->pattern != NW_WL_CHASE)
		return 0;
	if (wl->pages > NW_WL_MAX_PAGES)
		return -E2BIG;
	if (cfg->pattern == NW_WL_ZIPF) {
		wl->cdf = nw_zalloc(sizeof(*wl->cdf) * wl->pages);
		wl->setup_end = wl->pages;
	} else {
		wl->next = nw_zalloc(sizeof(*wl->next) * wl->pages);
		wl->setup_end = 2 * wl->pages - 1;
	}
	if (!wl->cdf && !wl->next)
		return -ENOMEM;
	return 0;
}

u64 nw_wl_setup(struct nw_wl *wl, u64 steps)
{
	u64 end = wl->setup_end - wl->setup_pos > steps ?
		  wl->setup_pos + steps : wl->setup_end;

	for (; wl->setup_pos < end; wl->setup_pos++) {
		if (wl->cdf)
			zipf_step(wl, wl->setup_pos);
		else
			chase_step(wl, wl->setup_pos);
	}
	return wl->setup_end - wl->setup_pos;
}

void nw_wl_fini(struct nw_wl *wl)
{
	nw_free(wl->cdf);
	nw_free(wl->next);
	wl->cdf = NULL;
	wl->next = NULL;
}

static u64 zipf_page(struct nw_wl *wl)
{
	u64 u = nw_rng_below(&wl->rng, wl->cdf[wl->pages - 1]);
	u64 lo = 0, hi = wl->pages - 1, rank;

	while (lo < hi) {
		u64 mid = (lo + hi) >> 1;

		if (wl->cdf[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	rank = lo * SCATTER;
	return rank - nw_div64(rank, wl->pages) * wl->pages;
}

static u64 next_offset(struct nw_wl *wl)
{
	struct nw_wl_cfg *c = &wl->cfg;
	u64 page, line = nw_rng_next(&wl->rng) &
			 ((NW_PAGE_SIZE - 1) & ~((1ULL << LINE_SHIFT) - 1));

	switch (c->pattern) {
	case NW_WL_SEQUENTIAL:
	case NW_WL_STRIDED:
		page = wl->pos;
		wl->pos += c->pattern == NW_WL_STRIDED ? c->stride :
							  1ULL << LINE_SHIFT;
		if (wl->pos >= c->size)
			wl->pos -= nw_div64(wl->pos, c->size) * c->size;
		return page;
	case NW_WL_UNIFORM:
		page = nw_rng_below(&wl->rng, wl->pages);
		break;
	case NW_WL_ZIPF:
		page = zipf_page(wl);
		break;
	default:
		page = wl->pos;
		wl->pos = wl->next[wl->pos];
		break;
	}
	return (page << NW_PAGE_SHIFT) + line;
}

void nw_wl_fill(struct nw_wl *wl, struct nw_acc *acc, u64 n)
{
	struct nw_wl_cfg *c = &wl->cfg;
	u64 i;

	for (i = 0; i < n; i++) {
		u64 r = c->write_pct || c->fetch_pct ?
			nw_rng_below(&wl->rng, 100) : 100;
		u8 kind = NW_READ;

		if (r < c->write_pct)
			kind = NW_WRITE;
		else if (r < c->write_pct + c->fetch_pct)
			kind = NW_FETCH;
		acc[i].va = c->base + next_offset(wl);
		acc[i].pcid = c->pcid;
		acc[i].kind = kind | (c->user ? NW_USER : 0);
	}
}
