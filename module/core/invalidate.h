/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ISA's invalidations (invalidate.c), executed by the running VM, and
 * VM entry and exit. Type operands are numbered as the SDM numbers them.
 */
#ifndef _NESTWALK_CORE_INVALIDATE_H
#define _NESTWALK_CORE_INVALIDATE_H

#include "sim.h"

enum {
	NW_INVPCID_ADDR,
	NW_INVPCID_SINGLE,
	NW_INVPCID_ALL_GLOBAL,
	NW_INVPCID_ALL,
};

enum {
	NW_INVVPID_ADDR,
	NW_INVVPID_SINGLE,
	NW_INVVPID_ALL,
	NW_INVVPID_SINGLE_KEEP_GLOBAL,
};

enum {
	NW_INVEPT_SINGLE = 1,
	NW_INVEPT_GLOBAL,
};

void nw_invlpg(struct nw_sim *s, u64 va);
int nw_invpcid(struct nw_sim *s, int type, u64 pcid, u64 va);
void nw_mov_cr3(struct nw_sim *s, u16 pcid, bool noflush);
int nw_invvpid(struct nw_sim *s, int type, u16 vpid, u64 va);
int nw_invept(struct nw_sim *s, int type, struct nw_vm *vm);
void nw_vm_enter(struct nw_sim *s, struct nw_vm *vm);
void nw_vm_exit(struct nw_sim *s);
void nw_vm_switch(struct nw_sim *s, struct nw_vm *vm);

#endif /* _NESTWALK_CORE_INVALIDATE_H */
