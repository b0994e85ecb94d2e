/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page walkers (walk.c): one hardware walk, its faults not handled
 * (the access path fixes what a hypervisor would, access.c).
 */
#ifndef _NESTWALK_CORE_WALK_H
#define _NESTWALK_CORE_WALK_H

#include "sim.h"

int nw_walk(struct nw_sim *s, struct nw_vm *vm, struct nw_as *as, u64 va,
	    unsigned int kind, struct nw_walk_res *r);
/* The walker's masks for @vm's entry formats (struct nw_fmt). */
void nw_walk_prepare(struct nw_vm *vm);

#endif /* _NESTWALK_CORE_WALK_H */
