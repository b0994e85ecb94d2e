/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A simulated CPU over simulated memory, with VMs laid out the same way in
 * every test: VM n's guest-physical [0, 4 GiB) is backed by host-physical
 * [8 GiB * (n + 1), ...), guest page tables live at GPA 3 GiB, and model
 * tables at HPA 1 GiB.
 */
#ifndef _NESTWALK_ENV_H
#define _NESTWALK_ENV_H

#include "coretest.h"
#include "simmem.h"

#define ENV_HOST_LIMIT	(80ULL << 30)
#define ENV_TABLES	(1ULL << 30)
#define ENV_TABLES_SIZE	(512ULL << 20)
#define ENV_GUEST_SIZE	(4ULL << 30)
#define ENV_GPT_BASE	(3ULL << 30)
#define ENV_GPT_SIZE	(256ULL << 20)
#define ENV_NATIVE_DATA	(4ULL << 30)	/* native data pages' HPA */

struct env {
	struct simmem mem;
	struct nw_sim *s;
};

/* Every cache off but a 1-level, 64-entry fully associative TLB. */
void env_cfg_bare(struct nw_sim_cfg *c);
int env_init(struct env *e, const struct nw_sim_cfg *cfg);
/* The same, over memory that offers no window (frame-cache path). */
int env_init_nowindow(struct env *e, const struct nw_sim_cfg *cfg);
void env_fini(struct env *e);
/* A VM whose memslot is backed by host pages of @host_level. */
int env_vm(struct env *e, int mode, int glevels, int hlevels,
	   int host_level, u16 vpid, struct nw_vm **vm);
u64 env_slot_hpa(u32 vm);
/* Flush every cached translation (INVEPT global + INVVPID all + VPID 0). */
void env_flush_all(struct env *e);

#endif /* _NESTWALK_ENV_H */
