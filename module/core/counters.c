// SPDX-License-Identifier: GPL-2.0
/*
 * Counter names: one token each, so "name value" lines suit grep and awk.
 */
#include "counters.h"

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
};

static_assert(ARRAY_SIZE(nw_counter_names) == NW_C_NR,
	      "one name per counter");
