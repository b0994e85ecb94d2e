/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadow paging (shadow.c): the shadow table of guest PT o host, filled
 * on faults, kept in step with the guest's tables as KVM's shadow MMU
 * keeps it: trapped writes, unsync last-level pages, a page quota.
 */
#ifndef _NESTWALK_CORE_SHADOW_H
#define _NESTWALK_CORE_SHADOW_H

#include "sim.h"

/* The fault of an access at @va: one shadow entry more, or the outcome. */
int nw_shadow_fill(struct nw_sim *s, struct nw_vm *vm, struct nw_as *as,
		   u64 va, unsigned int kind, struct nw_walk_res *r);
/* A guest store hit entry @gpa of its own tables (already written). */
void nw_shadow_wrote(struct nw_vm *vm, u64 gpa);
/* Shadow state of a shadow-mode VM: made with it, gone with it. */
int nw_shadow_init(struct nw_vm *vm);
void nw_shadow_fini(struct nw_vm *vm);
/* A memslot of @pages 4 KiB pages was added: the quota follows. */
void nw_shadow_slot_added(struct nw_vm *vm, u64 pages);
/* Sync the unsync pages of @as (NULL: of every address space). */
void nw_shadow_sync(struct nw_vm *vm, struct nw_as *as);
/* Sync the entries mapping @va in unsync pages (@as NULL: all). */
void nw_shadow_invlpg(struct nw_vm *vm, struct nw_as *as, u64 va);
/* End of an exit: the hypervisor's TLB flush, if any, counted once. */
void nw_shadow_flush(struct nw_vm *vm, bool flush);

#endif /* _NESTWALK_CORE_SHADOW_H */
