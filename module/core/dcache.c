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
 * Whether @line is in its set of @l, slots @from on; a hit becomes the
 * set's most recent line (true LRU: the slots before it move down).
 */
static bool touch(struct nw_dc_level *l, u64 line, u32 from)
{
	u64 *set = set_of(l, line), key = line + 1;
	u32 k;

	for (k = from; k < l->ways; k++) {
		if (set[k] == key) {
			memmove(set + 1, set, k * sizeof(*set));
			set[0] = key;
			return true;
		}
	}
	return false;
}

/* @line becomes the most recent of its set; the least recent drops. */
static void fill(struct nw_dc_level *l, u64 line)
{
	u64 *set = set_of(l, line);

	memmove(set + 1, set, (l->ways - 1) * sizeof(*set));
	set[0] = line + 1;
}

/*
 * The lookup past the inline test: for a load from level 0, the rest of
 * the L1 set (its first slot missed), then each level below; the levels
 * from @from down to the one that served the load take the line.
 */
int nw_dcache_load_slow(struct nw_dcache *d, u64 line, int from)
{
	int lv, hit = NW_DC_MEM;

	for (lv = from; lv < d->nlevels; lv++) {
		if (touch(&d->l[lv], line, lv == 0 ? 1 : 0)) {
			hit = lv;
			break;
		}
	}
	for (lv = from; lv < hit && lv < d->nlevels; lv++)
		fill(&d->l[lv], line);
	return hit;
}
