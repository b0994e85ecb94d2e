/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cost model: fixed latencies summed per event, in milli-cycles so that
 * fractional figures need no floating point (the kernel forbids the FPU).
 * TLB hit latencies are part of each TLB level's geometry (tlb.h).
 */
#ifndef _NESTWALK_CORE_COST_H
#define _NESTWALK_CORE_COST_H

#include "shim.h"
#include "counters.h"
#include "dcache.h"
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

/*
 * Every cost is charged here, with the event it is the cost of: @cnt is
 * the simulated CPU's counters (NW_C_MCYCLES the sum). Entry reads are
 * charged when the walks' tallies are folded in (nw_sim_fold_lanes()),
 * TLB probe latencies when the total is read (nw_sim_counter()).
 */
static inline void nw_charge_exit(u64 *cnt, const struct nw_cost_cfg *c)
{
	cnt[NW_C_EXITS]++;
	cnt[NW_C_MCYCLES] += c->exit_m;
}

/* The hypervisor's fix of a fault: an EPT violation or a shadow fill. */
static inline void nw_charge_fix(u64 *cnt, const struct nw_cost_cfg *c)
{
	cnt[NW_C_PF_FIXED]++;
	cnt[NW_C_MCYCLES] += c->fault_m;
}

static inline void nw_charge_ad_writes(u64 *cnt, const struct nw_cost_cfg *c,
				       u64 n)
{
	cnt[NW_C_AD_WRITES] += n;
	cnt[NW_C_MCYCLES] += n * c->ad_write_m;
}

/* @n entry reads of dimension @d at @level. */
static inline void nw_charge_refs(u64 *cnt, const struct nw_cost_cfg *c,
				  int d, int level, u64 n)
{
	cnt[NW_C_GUEST_REFS_L1 + 5 * d + level - 1] += n;
	cnt[NW_C_MCYCLES] += n * c->ref_m[d][level];
}

/*
 * A walk's loads of dimension @d, of a fetch's walk or not, through the
 * data caches: byte i of @lanes, those served by level i (3: memory),
 * each at that level's latency @lat_m[i] (dcache.h).
 */
static inline void nw_charge_loads(u64 *cnt, const u32 *lat_m, int d,
				   bool fetch, u64 lanes)
{
	int lv;

	for (lv = 0; lv <= NW_DC_MEM; lv++) {
		u64 n = (lanes >> 8 * lv) & 0xff;

		cnt[NW_C_WL(d, fetch, lv)] += n;
		cnt[NW_C_DCACHE_L1_HIT + lv] += n;
		cnt[NW_C_MCYCLES] += n * lat_m[lv];
	}
}

#endif /* _NESTWALK_CORE_COST_H */
