/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadow paging (shadow.c): the shadow table of guest PT o host, filled
 * on faults, kept in step with trapped writes to the guest's tables.
 */
#ifndef _NESTWALK_CORE_SHADOW_H
#define _NESTWALK_CORE_SHADOW_H

#include "sim.h"

/* The fault of an access at @va: one shadow entry more, or the outcome. */
int nw_shadow_fill(struct nw_sim *s, struct nw_vm *vm, struct nw_as *as,
		   u64 va, unsigned int kind, struct nw_walk_res *r);
/* A guest store hit entry @gpa of its own tables (already written). */
void nw_shadow_wrote(struct nw_vm *vm, u64 gpa);
/* Every shadow table of @vm goes. */
void nw_shadow_drop(struct nw_vm *vm);

#endif /* _NESTWALK_CORE_SHADOW_H */
