// SPDX-License-Identifier: GPL-2.0
/*
 * CONFIG: the session's simulated CPU, from a preset, parts switched off,
 * or an explicit TLB hierarchy.
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

/* The caller's TLB hierarchy, if it gives one, into @t. */
static int tlb_geometry(const struct nestwalk_config *c, struct nw_tlb_cfg *t)
{
	struct nestwalk_tlb_level lv[NESTWALK_TLB_MAX_LEVELS];
	u64 i, a;
	int used, ret;

	if (!c->ntlb_levels)
		return c->tlb_levels ? -EINVAL : 0;
	if (c->ntlb_levels > NESTWALK_TLB_MAX_LEVELS)
		return -EINVAL;
	if (copy_from_user(lv, u64_to_user_ptr(c->tlb_levels),
			   c->ntlb_levels * sizeof(lv[0])))
		return -EFAULT;
	memset(t, 0, sizeof(*t));
	for (i = 0; i < c->ntlb_levels; i++) {
		if (lv[i].flags & ~NESTWALK_TLB_FLAGS ||
		    (!i && lv[i].flags & NESTWALK_TLB_VICTIM) ||
		    lv[i].latency_milli > 1000000 ||
		    memchr_inv(lv[i].reserved, 0, sizeof(lv[i].reserved)))
			return -EINVAL;
		t->l[i].lat_m = lv[i].latency_milli;
		t->l[i].victim = lv[i].flags & NESTWALK_TLB_VICTIM;
		for (used = 0, a = 0; a < NESTWALK_TLB_MAX_ARRAYS; a++) {
			ret = tlb_array(&lv[i].arrays[a], &t->l[i].a[a]);
			if (ret < 0)
				return ret;
			used += ret;
		}
		if (!used)
			return -EINVAL;
	}
	t->nlevels = c->ntlb_levels;
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
	ret = tlb_geometry(c, &cfg.tlb);
	if (ret)
		return ret;
	cfg.seed = c->seed;
	if (c->cpu_caps & ~(c->flags & NESTWALK_CFG_CAPS ? NESTWALK_CAPS : 0))
		return -EINVAL;
	if (c->flags & NESTWALK_CFG_CAPS)
		cfg.caps = c->cpu_caps;
	if (c->flags & NESTWALK_CFG_NO_TLB)
		cfg.tlb.nlevels = 0;
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
	mutex_unlock(&s->objs_lock);
	return 0;
}
