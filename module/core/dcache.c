// SPDX-License-Identifier: GPL-2.0
/*
 * The data-cache hierarchy (see dcache.h): its geometry's checks, its
 * arrays, and the lookup below the inline test of the L1 set's most
 * recent line.
 */
#include "dcache.h"

/* 10^6 milli-cycles per level and 10^7 for memory, as the uAPI says. */
#define NW_DC_MAX_LAT_M		1000000
#define NW_DC_MAX_MEM_LAT_M	10000000

int nw_dcache_check(const struct nw_dcache_cfg *cfg)
{
	int i;

	if (cfg->mode > NW_DC_WALKS)
		return -EINVAL;
	if (cfg->mode == NW_DC_OFF)
		return 0;
	if (!cfg->nlevels || cfg->nlevels > NW_DC_LEVELS ||
	    cfg->mem_lat_m > NW_DC_MAX_MEM_LAT_M)
		return -EINVAL;
	for (i = 0; i < cfg->nlevels; i++) {
		const struct nw_dc_level_cfg *l = &cfg->l[i];

		if (!l->sets || (l->sets & (l->sets - 1)) || !l->ways ||
		    l->ways > NW_DC_MAX_WAYS ||
		    (u64)l->sets * l->ways > NW_DC_MAX_LINES ||
		    !l->lat_m || l->lat_m > NW_DC_MAX_LAT_M)
			return -EINVAL;
	}
	return 0;
}

int nw_dcache_init(struct nw_dcache *d, const struct nw_dcache_cfg *cfg)
{
	int i, err = nw_dcache_check(cfg);

	memset(d, 0, sizeof(*d));
	if (err || cfg->mode == NW_DC_OFF)
		return err;
	for (i = 0; i < cfg->nlevels; i++) {
		struct nw_dc_level *l = &d->l[i];

		l->line = nw_zalloc((size_t)cfg->l[i].sets * cfg->l[i].ways *
				    sizeof(*l->line));
		if (!l->line) {
			nw_dcache_fini(d);
			return -ENOMEM;
		}
		l->set_mask = cfg->l[i].sets - 1;
		l->ways = cfg->l[i].ways;
		d->lat_m[i] = cfg->l[i].lat_m;
	}
	d->lat_m[NW_DC_MEM] = cfg->mem_lat_m;
	d->nlevels = cfg->nlevels;
	d->mode = cfg->mode;
	return 0;
}

void nw_dcache_fini(struct nw_dcache *d)
{
	int i;

	for (i = 0; i < NW_DC_LEVELS; i++)
		nw_free(d->l[i].line);
	memset(d, 0, sizeof(*d));
}

static u64 *set_of(const struct nw_dc_level *l, u64 line)
{
	return l->line + (size_t)(line & l->set_mask) * l->ways;
}

/*
 * Look @line up in its set of @l and make it the set's most recent line,
 * in one pass: each slot moves down one as the search passes it, until
 * the line is found (a hit: the slots before it moved) or the set ends
 * (a miss: every slot moved and the least recent line dropped, a fill).
 * True LRU, exactly.
 */
static bool touch(struct nw_dc_level *l, u64 line)
{
	u64 *set = set_of(l, line), key = line + 1, prev = set[0], cur;
	u32 k;

	if (prev == key)
		return true;
	set[0] = key;
	for (k = 1; k < l->ways; k++) {
		cur = set[k];
		set[k] = prev;
		if (cur == key)
			return true;
		prev = cur;
	}
	return false;
}

/*
 * The lookup past the inline test: each level from @from down until one
 * holds the line, each of those that did not taking it (touch()).
 */
int nw_dcache_load_slow(struct nw_dcache *d, u64 line, int from)
{
	int lv;

	for (lv = from; lv < d->nlevels; lv++)
		if (touch(&d->l[lv], line))
			return lv;
	return NW_DC_MEM;
}
