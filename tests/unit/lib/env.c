// SPDX-License-Identifier: GPL-2.0
/*
 * Test environment set-up (see env.h).
 */
#include <string.h>

#include "env.h"

void env_cfg_bare(struct nw_sim_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->tlb.nlevels = 1;
	c->tlb.l[0].lat_m = 1000;
	c->tlb.l[0].a[0] = (struct nw_cache_cfg){
		.entries = 64, .ways = 64, .repl = NW_REPL_LRU,
		.sizes = BIT(NW_PTE) | BIT(NW_PDE) | BIT(NW_PDPTE),
	};
	nw_cost_defaults(&c->cost);
	c->seed = 1;
	c->caps = NW_CAPS;	/* tests of a missing capability clear it */
}

static int init(struct env *e, const struct nw_sim_cfg *cfg,
		const struct nw_mem_ops *ops)
{
	int err = simmem_init(&e->mem, ENV_HOST_LIMIT, ENV_TABLES,
			      ENV_TABLES_SIZE);

	if (err)
		return err;
	e->s = nw_sim_create(cfg, ops, &e->mem, &err);
	return err;
}

int env_init(struct env *e, const struct nw_sim_cfg *cfg)
{
	return init(e, cfg, &simmem_ops);
}

int env_init_nowindow(struct env *e, const struct nw_sim_cfg *cfg)
{
	return init(e, cfg, &simmem_ops_nowindow);
}

void env_fini(struct env *e)
{
	nw_sim_destroy(e->s);
	simmem_fini(&e->mem);
}

u64 env_slot_hpa(u32 vm)
{
	return (8ULL << 30) * (vm + 1);
}

int env_vm(struct env *e, int mode, int glevels, int hlevels,
	   int host_level, u16 vpid, struct nw_vm **vm)
{
	struct nw_vm_cfg c = {
		.mode = mode, .vpid = vpid, .guest_levels = glevels,
		.host_levels = hlevels, .max_level = NW_PDPTE,
		.gpt_base = ENV_GPT_BASE, .gpt_size = ENV_GPT_SIZE,
	};
	int err = nw_vm_create(e->s, &c, vm);

	if (err)
		return err;
	nw_shadow_slot_added(*vm, ENV_GUEST_SIZE >> NW_PAGE_SHIFT);
	return simmem_slot(&e->mem, (*vm)->id, 0, ENV_GUEST_SIZE,
			   env_slot_hpa((*vm)->id), host_level);
}

void env_flush_all(struct env *e)
{
	struct nw_inval f = {
		.any_pcid = true, .globals = true, .any_addr = true,
	};

	nw_tlb_inval(&e->s->tlb, &f);
	nw_pwc_inval(&e->s->pwc, &f);
	nw_pwc_inval(&e->s->hpwc, &f);
	nw_cache_inval(&e->s->ntlb, &f);
}
