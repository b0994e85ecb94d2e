/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cost model: fixed latencies summed per event, in milli-cycles so that
 * fractional figures need no floating point (the kernel forbids the FPU).
 * TLB hit latencies are part of each TLB level's geometry (tlb.h).
 */
#ifndef _NESTWALK_CORE_COST_H
#define _NESTWALK_CORE_COST_H

#include "shim.h"
#include "pte.h"

enum nw_dim {
	NW_DIM_GUEST,		/* guest, native or shadow tables */
	NW_DIM_HOST,		/* EPT/NPT tables */
	NW_DIMS
};

struct nw_cost_cfg {
	u32 ref_m[NW_DIMS][NW_PML5E + 1];	/* per entry read */
	u32 ad_write_m;		/* locked update of an A or D flag */
	u32 exit_m;		/* VM exit plus re-entry */
	u32 fault_m;		/* hypervisor work to fix one fault */
};

void nw_cost_defaults(struct nw_cost_cfg *c);

#endif /* _NESTWALK_CORE_COST_H */
