// SPDX-License-Identifier: GPL-2.0
/*
 * The counters of a simulated CPU: their names (one token each, so that
 * "name value" lines suit grep and awk), the fold of the walks' pending
 * tallies into them, reading one (gauges computed) and resetting them.
 */
#include "sim.h"

const char *const nw_counter_names[] = {
	[NW_C_ACCESSES] = "accesses",
	[NW_C_READS] = "reads",
	[NW_C_WRITES] = "writes",
	[NW_C_FETCHES] = "fetches",
	[NW_C_TLB_L1_HIT] = "tlb_l1_hit",
	[NW_C_TLB_L2_HIT] = "tlb_l2_hit",
	[NW_C_TLB_L3_HIT] = "tlb_l3_hit",
	[NW_C_TLB_MISS] = "tlb_miss",
	[NW_C_TLB_ASSIST] = "tlb_assist",
	[NW_C_WALKS] = "walks",
	[NW_C_WALK_REFS] = "walk_refs",
	[NW_C_GUEST_REFS_L1] = "guest_refs_l1",
	[NW_C_GUEST_REFS_L2] = "guest_refs_l2",
	[NW_C_GUEST_REFS_L3] = "guest_refs_l3",
	[NW_C_GUEST_REFS_L4] = "guest_refs_l4",
	[NW_C_GUEST_REFS_L5] = "guest_refs_l5",
	[NW_C_HOST_REFS_L1] = "host_refs_l1",
	[NW_C_HOST_REFS_L2] = "host_refs_l2",
	[NW_C_HOST_REFS_L3] = "host_refs_l3",
	[NW_C_HOST_REFS_L4] = "host_refs_l4",
	[NW_C_HOST_REFS_L5] = "host_refs_l5",
	[NW_C_AD_WRITES] = "ad_writes",
	[NW_C_PWC_HIT] = "pwc_hit",
	[NW_C_PWC_MISS] = "pwc_miss",
	[NW_C_HPWC_HIT] = "host_pwc_hit",
	[NW_C_HPWC_MISS] = "host_pwc_miss",
	[NW_C_NTLB_HIT] = "ntlb_hit",
	[NW_C_NTLB_MISS] = "ntlb_miss",
	[NW_C_GUEST_PF] = "guest_pf",
	[NW_C_EPT_VIOLATION] = "ept_violation",
	[NW_C_EPT_MISCONFIG] = "ept_misconfig",
	[NW_C_PHYS_FAULT] = "phys_fault",
	[NW_C_PF_FIXED] = "pf_fixed",
	[NW_C_EXITS] = "exits",
	[NW_C_TLB_FLUSH] = "tlb_flush",
	[NW_C_MMU_PTE_WRITE] = "mmu_pte_write",
	[NW_C_MMU_SHADOW_ZAPPED] = "mmu_shadow_zapped",
	[NW_C_SHADOW_PAGES] = "shadow_pages",
	[NW_C_PAGES_4K] = "pages_4k",
	[NW_C_PAGES_2M] = "pages_2m",
	[NW_C_PAGES_1G] = "pages_1g",
	[NW_C_MCYCLES] = "mcycles",
	[NW_C_ITLB_L1_HIT] = "itlb_l1_hit",
	[NW_C_ITLB_L2_HIT] = "itlb_l2_hit",
	[NW_C_ITLB_L3_HIT] = "itlb_l3_hit",
	[NW_C_ITLB_MISS] = "itlb_miss",
	[NW_C_PAGE_CROSS] = "page_cross",
	[NW_C_GP_FAULT] = "gp_fault",
	[NW_C_MMU_UNSYNC] = "mmu_unsync",
	[NW_C_MMU_RECYCLED] = "mmu_recycled",
	[NW_C_DCACHE_L1_HIT] = "dcache_l1_hit",
	[NW_C_DCACHE_L2_HIT] = "dcache_l2_hit",
	[NW_C_DCACHE_L3_HIT] = "dcache_l3_hit",
	[NW_C_DCACHE_MISS] = "dcache_miss",
	[NW_C_WL_DTLB_L1] = "walker_loads_dtlb_l1",
	[NW_C_WL_DTLB_L2] = "walker_loads_dtlb_l2",
	[NW_C_WL_DTLB_L3] = "walker_loads_dtlb_l3",
	[NW_C_WL_DTLB_MEM] = "walker_loads_dtlb_mem",
	[NW_C_WL_ITLB_L1] = "walker_loads_itlb_l1",
	[NW_C_WL_ITLB_L2] = "walker_loads_itlb_l2",
	[NW_C_WL_ITLB_L3] = "walker_loads_itlb_l3",
	[NW_C_WL_ITLB_MEM] = "walker_loads_itlb_mem",
	[NW_C_WL_EPT_DTLB_L1] = "walker_loads_ept_dtlb_l1",
	[NW_C_WL_EPT_DTLB_L2] = "walker_loads_ept_dtlb_l2",
	[NW_C_WL_EPT_DTLB_L3] = "walker_loads_ept_dtlb_l3",
	[NW_C_WL_EPT_DTLB_MEM] = "walker_loads_ept_dtlb_mem",
	[NW_C_WL_EPT_ITLB_L1] = "walker_loads_ept_itlb_l1",
	[NW_C_WL_EPT_ITLB_L2] = "walker_loads_ept_itlb_l2",
	[NW_C_WL_EPT_ITLB_L3] = "walker_loads_ept_itlb_l3",
	[NW_C_WL_EPT_ITLB_MEM] = "walker_loads_ept_itlb_mem",
};

static_assert(ARRAY_SIZE(nw_counter_names) == NW_C_NR,
	      "one name per counter");

void nw_sim_reset_counters(struct nw_sim *s)
{
	memset(s->cnt, 0, sizeof(s->cnt));
	memset(s->lanes, 0, sizeof(s->lanes));
	s->lanes_walks = 0;
	memset(s->walk_hist, 0, sizeof(s->walk_hist));
}

/* Reads at level @l of dimension @d not yet folded into cnt[]. */
static u64 lane(const struct nw_sim *s, int d, int l)
{
	return (s->lanes[d] >> 8 * l) & 0xff;
}

void nw_sim_fold_lanes(struct nw_sim *s)
{
	int d, l;

	for (d = 0; d < NW_DIMS; d++) {
		for (l = NW_PTE; l <= NW_PML5E; l++)
			nw_charge_refs(s->cnt, &s->cost, d, l, lane(s, d, l));
		s->lanes[d] = 0;
	}
	s->lanes_walks = 0;
}

u64 nw_sim_counter(struct nw_sim *s, enum nw_counter c)
{
	u64 n = 0;
	int i, a;

	switch (c) {
	case NW_C_PAGES_4K:
	case NW_C_PAGES_2M:
	case NW_C_PAGES_1G:
		for (i = 0; i < NW_MAX_VMS; i++)
			if (s->vms[i] && nw_vm_nested(s->vms[i]))
				n += s->vms[i]->ept.leaves[NW_PTE + c -
							   NW_C_PAGES_4K];
		return n;
	case NW_C_SHADOW_PAGES:
		for (i = 0; i < NW_MAX_VMS; i++)
			for (a = 0; s->vms[i] && a < NW_MAX_AS; a++)
				n += s->vms[i]->as[a].spt.tables;
		return n;
	case NW_C_MMU_UNSYNC:
		for (i = 0; i < NW_MAX_VMS; i++)
			if (s->vms[i])
				n += s->vms[i]->wp_unsync;
		return n;
	case NW_C_ACCESSES:
		return s->cnt[NW_C_READS] + s->cnt[NW_C_WRITES] +
		       s->cnt[NW_C_FETCHES];
	case NW_C_MCYCLES:
		/* Probe latencies: counted once here, not per access. */
		n = s->cnt[NW_C_MCYCLES] +
		    s->cnt[NW_C_TLB_MISS] * s->lat_sum[s->tlb.nlevels];
		for (i = 0; i < s->tlb.nlevels; i++)
			n += s->cnt[NW_C_TLB_L1_HIT + i] * s->lat_sum[i];
		/* Fetches' lookups in the instruction TLB, the same way. */
		for (i = 0; s->tlb.i && i <= s->tlb.i->nlevels; i++)
			n += s->cnt[i < s->tlb.i->nlevels ?
				    NW_C_ITLB_L1_HIT + i : NW_C_ITLB_MISS] *
			     s->ilat_sum[i];
		for (i = 0; i < NW_DIMS; i++)
			for (a = NW_PTE; a <= NW_PML5E; a++)
				n += lane(s, i, a) * s->cost.ref_m[i][a];
		return n;
	case NW_C_GUEST_REFS_L1 ... NW_C_HOST_REFS_L5:
		i = c - NW_C_GUEST_REFS_L1;
		return s->cnt[c] + lane(s, i / 5, i % 5 + 1);
	default:
		return c < NW_C_NR ? s->cnt[c] : 0;
	}
}
