/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event counters of one simulated CPU. Names follow KVM's statistics where
 * the meaning is the same (pf_fixed, exits, tlb_flush, mmu_pte_write,
 * mmu_shadow_zapped, pages_4k/2m/1g); the rest describe the hardware model.
 */
#ifndef _NESTWALK_CORE_COUNTERS_H
#define _NESTWALK_CORE_COUNTERS_H

#include "shim.h"

enum nw_counter {
	NW_C_ACCESSES,		/* derived: reads + writes + fetches */
	NW_C_READS,
	NW_C_WRITES,
	NW_C_FETCHES,
	NW_C_TLB_L1_HIT,
	NW_C_TLB_L2_HIT,
	NW_C_TLB_L3_HIT,
	NW_C_TLB_MISS,
	NW_C_TLB_ASSIST,	/* hits that still walked: rights, first write */
	NW_C_WALKS,
	NW_C_WALK_REFS,		/* every entry read, both dimensions */
	NW_C_GUEST_REFS_L1,	/* guest (or native/shadow) dimension */
	NW_C_GUEST_REFS_L2,
	NW_C_GUEST_REFS_L3,
	NW_C_GUEST_REFS_L4,
	NW_C_GUEST_REFS_L5,
	NW_C_HOST_REFS_L1,	/* EPT/NPT dimension */
	NW_C_HOST_REFS_L2,
	NW_C_HOST_REFS_L3,
	NW_C_HOST_REFS_L4,
	NW_C_HOST_REFS_L5,
	NW_C_AD_WRITES,		/* accessed/dirty updates, both dimensions */
	NW_C_PWC_HIT,		/* guest-dimension paging-structure caches */
	NW_C_PWC_MISS,
	NW_C_HPWC_HIT,		/* host-dimension paging-structure caches */
	NW_C_HPWC_MISS,
	NW_C_NTLB_HIT,		/* nested TLB: guest-physical mappings */
	NW_C_NTLB_MISS,
	NW_C_GUEST_PF,
	NW_C_EPT_VIOLATION,
	NW_C_EPT_MISCONFIG,
	NW_C_PHYS_FAULT,	/* a table pointed outside provided memory */
	NW_C_PF_FIXED,		/* EPT violations or shadow faults fixed */
	NW_C_EXITS,
	NW_C_TLB_FLUSH,		/* flushes the hypervisor makes (KVM's) */
	NW_C_MMU_PTE_WRITE,	/* trapped guest page-table writes */
	NW_C_MMU_SHADOW_ZAPPED,	/* shadow pages zapped */
	NW_C_SHADOW_PAGES,	/* shadow table pages held (a gauge) */
	NW_C_PAGES_4K,		/* EPT/NPT leaves (gauges, as in KVM) */
	NW_C_PAGES_2M,
	NW_C_PAGES_1G,
	NW_C_MCYCLES,		/* estimated cost, milli-cycles; the TLB
				 * latencies are derived from the hit and
				 * miss counts when read
				 */
	NW_C_ITLB_L1_HIT,	/* fetches, instruction TLB levels */
	NW_C_ITLB_L2_HIT,
	NW_C_ITLB_L3_HIT,
	NW_C_ITLB_MISS,
	NW_C_PAGE_CROSS,	/* accesses that touched two pages */
	NW_C_GP_FAULT,		/* non-canonical addresses */
	NW_C_MMU_UNSYNC,	/* unsync shadow pages (a gauge) */
	NW_C_MMU_RECYCLED,	/* shadow pages zapped for the quota */
	/* Line loads through the data caches (dcache.h), where served. */
	NW_C_DCACHE_L1_HIT,
	NW_C_DCACHE_L2_HIT,
	NW_C_DCACHE_L3_HIT,
	NW_C_DCACHE_MISS,
	/*
	 * Walk loads by where served (L1, L2, L3, memory), four groups:
	 * guest dimension of data-access walks, of fetch walks, then the
	 * host dimension of each (NW_C_WL()).
	 */
	NW_C_WL_DTLB_L1,
	NW_C_WL_DTLB_L2,
	NW_C_WL_DTLB_L3,
	NW_C_WL_DTLB_MEM,
	NW_C_WL_ITLB_L1,
	NW_C_WL_ITLB_L2,
	NW_C_WL_ITLB_L3,
	NW_C_WL_ITLB_MEM,
	NW_C_WL_EPT_DTLB_L1,
	NW_C_WL_EPT_DTLB_L2,
	NW_C_WL_EPT_DTLB_L3,
	NW_C_WL_EPT_DTLB_MEM,
	NW_C_WL_EPT_ITLB_L1,
	NW_C_WL_EPT_ITLB_L2,
	NW_C_WL_EPT_ITLB_L3,
	NW_C_WL_EPT_ITLB_MEM,
	NW_C_NR
};

/* Walk loads of dimension @dim, of a fetch's walk or not, served at @lv. */
#define NW_C_WL(dim, fetch, lv)	\
	(NW_C_WL_DTLB_L1 + 8 * (dim) + 4 * (fetch) + (lv))

extern const char *const nw_counter_names[];

#endif /* _NESTWALK_CORE_COUNTERS_H */
