// SPDX-License-Identifier: GPL-2.0
/*
 * CONFIG: the session's simulated CPU, from a preset, parts switched off,
 * or explicit TLB hierarchies (data, and instruction beside it), and the
 * data-cache model its walker's loads go through.
 */
#include <linux/slab.h>

#include "abi.h"

static int tlb_array(const struct nestwalk_tlb_array *u,
		     struct nw_cache_cfg *a)
{
	if (!u->sizes)
		return u->entries || u->ways || u->repl ? -EINVAL : 0;
	if (u->sizes & ~NESTWALK_TLB_SIZES || !u->entries ||
	    u->entries > NESTWALK_TLB_MAX_ENTRIES || u->ways > u->entries ||
	    (u->ways ? u->ways : u->entries) > NESTWALK_TLB_MAX_WAYS ||
	    u->repl > NESTWALK_REPL_RANDOM)
		return -EINVAL;
	/* Sets, associativity and replacement are checked as it is built. */
	*a = (struct nw_cache_cfg){
		.entries = u->entries, .ways = u->ways, .sizes = u->sizes,
		.repl = u->repl,
	};
	return 1;
}

/*
 * One level of an explicit hierarchy; @instr: an instruction level, which
 * may be NESTWALK_TLB_SHARED with the data level of its index (not the
 * first: each hierarchy has its own), its arrays, latency and victim flag
 * then zero (the data level's hold).
 */
static int tlb_level(const struct nestwalk_tlb_level *u, u64 i, bool instr,
		     struct nw_tlb_level_cfg *l)
{
	u64 ok = instr ? NESTWALK_TLB_FLAGS : NESTWALK_TLB_VICTIM;
	int used = 0, ret, a;

	if (u->flags & ~ok || (!i && u->flags) ||
	    u->latency_milli > 1000000 ||
	    memchr_inv(u->reserved, 0, sizeof(u->reserved)))
		return -EINVAL;
	if (u->flags & NESTWALK_TLB_SHARED) {
		l->shared = true;
		return u->flags != NESTWALK_TLB_SHARED || u->latency_milli ||
		       memchr_inv(u->arrays, 0, sizeof(u->arrays)) ?
		       -EINVAL : 0;
	}
	l->lat_m = u->latency_milli;
	l->victim = u->flags & NESTWALK_TLB_VICTIM;
	for (a = 0; a < NESTWALK_TLB_MAX_ARRAYS; a++) {
		ret = tlb_array(&u->arrays[a], &l->a[a]);
		if (ret < 0)
			return ret;
		used += ret;
	}
	return used ? 0 : -EINVAL;
}

/*
 * The caller's hierarchy, if it gives one (@n levels at @uptr), into @l
 * and *@nlevels; else they stay the preset's.
 */
static int tlb_geometry(u64 uptr, u64 n, bool instr,
			struct nw_tlb_level_cfg *l, u8 *nlevels)
{
	struct nestwalk_tlb_level lv[NESTWALK_TLB_MAX_LEVELS];
	u64 i;
	int ret;

	if (!n)
		return uptr ? -EINVAL : 0;
	if (n > NESTWALK_TLB_MAX_LEVELS)
		return -EINVAL;
	if (copy_from_user(lv, u64_to_user_ptr(uptr), n * sizeof(lv[0])))
		return -EFAULT;
	memset(l, 0, sizeof(*l) * NW_TLB_LEVELS);
	for (i = 0; i < n; i++) {
		ret = tlb_level(&lv[i], i, instr, &l[i]);
		if (ret)
			return ret;
	}
	*nlevels = n;
	return 0;
}

/*
 * Both hierarchies. The preset's instruction TLB over an explicit data
 * TLB keeps its levels down to the first it shares with a data level the
 * caller left out; an explicit one sharing a level that is not there is
 * refused (nw_tlb_init()).
 */
static int tlb_geometries(const struct nestwalk_config *c,
			  struct nw_tlb_cfg *t)
{
	int ret, lv;

	ret = tlb_geometry(c->tlb_levels, c->ntlb_levels, false, t->l,
			   &t->nlevels);
	ret = ret ?: tlb_geometry(c->itlb_levels, c->nitlb_levels, true, t->il,
				  &t->nilevels);
	if (ret)
		return ret;
	if (c->flags & NESTWALK_CFG_UNIFIED_TLB) {
		if (c->nitlb_levels)
			return -EINVAL;
		t->nilevels = 0;
	}
	for (lv = 0; !c->nitlb_levels && lv < t->nilevels; lv++)
		if (t->il[lv].shared && lv >= t->nlevels)
			t->nilevels = lv;
	if (c->flags & NESTWALK_CFG_NO_TLB) {
		t->nlevels = 0;
		t->nilevels = 0;
	}
	return 0;
}

/*
 * One level of an explicit data-cache hierarchy into the core's fields.
 * What the model can build (sets a power of two, ways, lines per level,
 * latency) is nw_dcache_check()'s to say when nw_sim_create() builds it:
 * here only reserved bytes, and values too large for the core's 32-bit
 * fields (no set count above the lines a level may hold, so that no
 * product of sets and ways can wrap).
 */
static int dcache_level(const struct nestwalk_dcache_level *u,
			struct nw_dc_level_cfg *l)
{
	if (u->sets > NESTWALK_DCACHE_MAX_LINES ||
	    u->ways > NESTWALK_DCACHE_MAX_WAYS || u->latency_milli > U32_MAX ||
	    memchr_inv(u->reserved, 0, sizeof(u->reserved)))
		return -EINVAL;
	*l = (struct nw_dc_level_cfg){
		.sets = u->sets, .ways = u->ways, .lat_m = u->latency_milli,
	};
	return 0;
}

/*
 * The data-cache model as the caller asks (NESTWALK_CFG_DCACHE): its mode
 * and, with the model on, the caller's hierarchy (@c->ndcache_levels at
 * @c->dcache_levels) and memory latency in place of the preset's. Without
 * the flag the fields are ignored and the model is off, as before API 5.
 */
static int dcache_config(const struct nestwalk_config *c,
			 struct nw_dcache_cfg *d)
{
	struct nestwalk_dcache_level lv[NESTWALK_DCACHE_MAX_LEVELS];
	u64 i, n = c->ndcache_levels;
	int ret;

	d->mode = NW_DC_OFF;
	if (!(c->flags & NESTWALK_CFG_DCACHE))
		return 0;
	if (c->dcache_mode > NESTWALK_DCACHE_WALKS)
		return -EINVAL;
	d->mode = c->dcache_mode;
	if (d->mode == NW_DC_OFF)
		return 0;
	if (c->dcache_mem_latency_milli > 10000000)
		return -EINVAL;
	if (c->dcache_mem_latency_milli)
		d->mem_lat_m = c->dcache_mem_latency_milli;
	if (!n)
		return c->dcache_levels ? -EINVAL : 0;
	if (n > NESTWALK_DCACHE_MAX_LEVELS)
		return -EINVAL;
	if (copy_from_user(lv, u64_to_user_ptr(c->dcache_levels),
			   n * sizeof(lv[0])))
		return -EFAULT;
	memset(d->l, 0, sizeof(d->l));
	for (i = 0; i < n; i++) {
		ret = dcache_level(&lv[i], &d->l[i]);
		if (ret)
			return ret;
	}
	d->nlevels = n;
	return 0;
}

/* (Re)build the session's simulated CPU; only while it has no VM. */
int nw_sim_configure(struct nw_session *s, const struct nestwalk_config *c)
{
	struct nw_sim_cfg cfg;
	struct nw_sim *sim;
	int ret;

	if (c->preset >= NW_PRESET_NR)
		return -EINVAL;
	if (s->nvms)
		return -EBUSY;

	ret = nw_preset(c->preset, &cfg);
	if (ret)
		return ret;
	ret = tlb_geometries(c, &cfg.tlb);
	ret = ret ?: dcache_config(c, &cfg.dcache);
	if (ret)
		return ret;
	cfg.seed = c->seed;
	if (c->flags & NESTWALK_CFG_CAPS) {
		if (c->cpu_caps & ~NESTWALK_CAPS)
			return -EINVAL;
		cfg.caps = c->cpu_caps;
	}
	if (c->flags & NESTWALK_CFG_NO_PWC)
		memset(cfg.pwc.entries, 0, sizeof(cfg.pwc.entries));
	if (c->flags & NESTWALK_CFG_NO_HPWC)
		memset(cfg.hpwc.entries, 0, sizeof(cfg.hpwc.entries));
	if (c->flags & NESTWALK_CFG_NO_NTLB)
		cfg.ntlb.entries = 0;

	sim = nw_sim_create(&cfg, &nw_hostmem_ops, s, &ret);
	if (!sim)
		return ret;
	mutex_lock(&s->objs_lock);
	nw_sim_destroy(s->sim);
	s->sim = sim;
	s->cfg = *c;
	s->tlb_cfg = cfg.tlb;
	s->dc_cfg = cfg.dcache;
	/* What CONFIG writes back: the mode and memory latency in use. */
	s->cfg.dcache_mode = cfg.dcache.mode;
	s->cfg.dcache_mem_latency_milli = cfg.dcache.mem_lat_m;
	mutex_unlock(&s->objs_lock);
	return 0;
}
