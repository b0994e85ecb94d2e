// SPDX-License-Identifier: GPL-2.0
/*
 * Processor presets.
 *
 * Sources:
 * - Nehalem: Intel 64 and IA-32 Architectures Optimization Reference
 *   Manual, "Intel Microarchitecture Code Name Nehalem", table of TLB
 *   parameters: DTLB 64 entries 4 KiB 4-way and 32 entries 2M/4M 4-way;
 *   unified second-level STLB 512 entries, 4 KiB pages only, 4-way;
 *   ITLB 128 entries 4 KiB 4-way and 7 entries for large pages, fully
 *   associative, per thread; the STLB serves instructions and data.
 * - Skylake: same manual, "Skylake Client Microarchitecture", TLB table:
 *   DTLB 64 x 4 KiB 4-way, 32 x 2 MiB 4-way, 4 x 1 GiB fully associative;
 *   STLB 1536 entries 12-way shared by 4 KiB and 2 MiB pages, plus 16 x
 *   1 GiB 4-way; ITLB 128 x 4 KiB 8-way and 8 x 2 MiB per thread (no
 *   1 GiB entries: such pages are splintered into 2 MiB entries, SDM
 *   4.10.2.3); the STLB is shared by instructions and data. STLB hit
 *   latency ~9 cycles (measured, 7-cpu.com).
 * - Zen 2: Software Optimization Guide for AMD Family 17h Models 30h and
 *   Greater, "Translation-Lookaside Buffer": L1 DTLB 64 entries fully
 *   associative, all page sizes; L2 DTLB 2048 entries for 4 KiB and
 *   2 MiB (1 GiB pages are smashed into 2 MiB entries). The real L2 is a
 *   12-way skewed array, which plain sets cannot express: modelled as
 *   16-way (128 sets), same capacity. Separate instruction TLBs: L1 ITLB
 *   64 entries fully associative, all page sizes; L2 ITLB 512 entries
 *   8-way, 4 KiB and 2 MiB (1 GiB pages held as 2 MiB entries).
 * - Latencies of the ITLB's own levels are not given by the manuals:
 *   those of the data levels of the same rank are used.
 * - Paging-structure caches are not documented by either vendor; sizes
 *   follow measurements in the literature (Barr et al., "Translation
 *   caching: skip, don't walk (the page table)", ISCA 2010; Bhattacharjee,
 *   "Large-reach memory management unit caches", MICRO 2013): a few
 *   PML4E/PDPTE entries and a PDE cache of 32. The nested TLB size follows
 *   Bhargava et al., ASPLOS 2008 (16 to 32 entries).
 *
 * - Data caches (the walker's loads go through them, dcache.h), 64-byte
 *   lines: Nehalem, optimization manual, Core i7 cache parameters: L1d
 *   32 KiB 8-way 4 cycles, L2 256 KiB 8-way 10 cycles, L3 8 MiB 16-way
 *   35-40+ cycles (40 used). Skylake client, its cache parameters table:
 *   L1d 32 KiB 8-way 4 cycles, L2 256 KiB 4-way 12 cycles, L3 up to
 *   2 MiB per core and up to 16 ways, 44 cycles (a four-core part's
 *   8 MiB 16-way used). Zen 2, AMD's guide above, "Cache": L1d 32 KiB
 *   8-way 4 cycles, L2 512 KiB 8-way 12 cycles, L3 16 MiB per CCX 16-way
 *   39 cycles on average. The manuals give no DRAM latency: LLC latency
 *   plus about 50-60 ns (7-cpu.com's measurements of these parts) at
 *   the parts' clocks: 200, 250 and 280 cycles.
 *
 * Second levels are modelled as victim levels, so reach is the sum of the
 * levels' entries, the figure the manuals quote (Nehalem: (64 + 512) x
 * 4 KiB = 2304 KiB; 32 x 2 MiB = 64 MiB).
 */
#include "presets.h"

const char *const nw_preset_names[] = {
	[NW_PRESET_CUSTOM] = "custom",
	[NW_PRESET_NEHALEM] = "nehalem",
	[NW_PRESET_SKYLAKE] = "skylake",
	[NW_PRESET_ZEN2] = "zen2",
};

static_assert(ARRAY_SIZE(nw_preset_names) == NW_PRESET_NR,
	      "one name per preset");

#define K4	BIT(NW_PTE)
#define M2	BIT(NW_PDE)
#define G1	BIT(NW_PDPTE)

static void walk_caches(struct nw_sim_cfg *c)
{
	c->pwc.entries[NW_PDE] = 32;
	c->pwc.entries[NW_PDPTE] = 4;
	c->pwc.entries[NW_PML4E] = 2;
	c->pwc.entries[NW_PML5E] = 2;
	c->pwc.ways = 4;
	c->pwc.repl = NW_REPL_LRU;
	c->hpwc = c->pwc;
	c->ntlb = (struct nw_cache_cfg){
		.entries = 16, .ways = 16, .sizes = K4 | M2 | G1,
		.repl = NW_REPL_LRU,
	};
}

/* An instruction TLB: its first level, then one shared with data. */
static void itlb_l1_shared(struct nw_sim_cfg *c, struct nw_cache_cfg k4,
			   struct nw_cache_cfg large)
{
	c->tlb.nilevels = 2;
	c->tlb.il[0].lat_m = c->tlb.l[0].lat_m;
	c->tlb.il[0].a[0] = k4;
	c->tlb.il[0].a[1] = large;
	c->tlb.il[1].shared = true;
}

/* Data caches: sets and ways of L1d, L2, LLC; latencies in cycles. */
static void dcache(struct nw_sim_cfg *c, u32 l2_sets, u32 l2_ways,
		   u32 llc_sets, const u32 *lat)
{
	struct nw_dcache_cfg *d = &c->dcache;

	d->nlevels = 3;
	d->l[0] = (struct nw_dc_level_cfg){ 64, 8, lat[0] * 1000 };
	d->l[1] = (struct nw_dc_level_cfg){ l2_sets, l2_ways, lat[1] * 1000 };
	d->l[2] = (struct nw_dc_level_cfg){ llc_sets, 16, lat[2] * 1000 };
	d->mem_lat_m = lat[3] * 1000;
}

static void nehalem(struct nw_sim_cfg *c)
{
	static const u32 lat[] = { 4, 10, 40, 200 };

	dcache(c, 512, 8, 8192, lat);
	c->tlb.nlevels = 2;
	c->tlb.l[0].lat_m = 1000;
	c->tlb.l[0].a[0] = (struct nw_cache_cfg){ 64, 4, K4, NW_REPL_LRU };
	c->tlb.l[0].a[1] = (struct nw_cache_cfg){ 32, 4, M2, NW_REPL_LRU };
	c->tlb.l[1].lat_m = 7000;
	c->tlb.l[1].victim = true;
	c->tlb.l[1].a[0] = (struct nw_cache_cfg){ 512, 4, K4, NW_REPL_LRU };
	itlb_l1_shared(c, (struct nw_cache_cfg){ 128, 4, K4, NW_REPL_LRU },
		       (struct nw_cache_cfg){ 7, 0, M2, NW_REPL_LRU });
}

static const u32 skylake_lat[] = { 4, 12, 44, 250 };

static void skylake(struct nw_sim_cfg *c)
{
	dcache(c, 1024, 4, 8192, skylake_lat);
	c->tlb.nlevels = 2;
	c->tlb.l[0].lat_m = 1000;
	c->tlb.l[0].a[0] = (struct nw_cache_cfg){ 64, 4, K4, NW_REPL_PLRU };
	c->tlb.l[0].a[1] = (struct nw_cache_cfg){ 32, 4, M2, NW_REPL_PLRU };
	c->tlb.l[0].a[2] = (struct nw_cache_cfg){ 4, 4, G1, NW_REPL_LRU };
	c->tlb.l[1].lat_m = 9000;
	c->tlb.l[1].victim = true;
	c->tlb.l[1].a[0] = (struct nw_cache_cfg){ 1536, 12, K4 | M2,
						  NW_REPL_LRU };
	c->tlb.l[1].a[1] = (struct nw_cache_cfg){ 16, 4, G1, NW_REPL_LRU };
	itlb_l1_shared(c, (struct nw_cache_cfg){ 128, 8, K4, NW_REPL_PLRU },
		       (struct nw_cache_cfg){ 8, 0, M2, NW_REPL_LRU });
}

static void zen2(struct nw_sim_cfg *c)
{
	static const u32 lat[] = { 4, 12, 39, 280 };

	dcache(c, 1024, 8, 16384, lat);
	c->tlb.nlevels = 2;
	c->tlb.l[0].lat_m = 1000;
	c->tlb.l[0].a[0] = (struct nw_cache_cfg){ 64, 64, K4 | M2 | G1,
						  NW_REPL_PLRU };
	c->tlb.l[1].lat_m = 7000;
	c->tlb.l[1].victim = true;
	c->tlb.l[1].a[0] = (struct nw_cache_cfg){ 2048, 16, K4 | M2,
						  NW_REPL_LRU };
	c->tlb.nilevels = 2;
	c->tlb.il[0] = c->tlb.l[0];
	c->tlb.il[1].lat_m = c->tlb.l[1].lat_m;
	c->tlb.il[1].victim = true;
	c->tlb.il[1].a[0] = (struct nw_cache_cfg){ 512, 8, K4 | M2,
						   NW_REPL_LRU };
}

/*
 * What each CPU can do (NW_CAP_*). Nehalem (2008), the first part with
 * EPT: 2 MiB and execute-only EPT pages, no 1 GiB pages, PCID or
 * INVPCID (Westmere, 2010, brought 1 GiB pages and PCID; Haswell
 * INVPCID). Skylake: 1 GiB pages, PCID, INVPCID, 2 MiB and 1 GiB and
 * execute-only EPT pages, 4-level EPT (5-level paging and EPT came with
 * Ice Lake). Zen 2: 1 GiB pages, NPT with 2 MiB and 1 GiB leaves (NPT
 * has no execute-only entries), no PCID or INVPCID (they first appear
 * in AMD's APM for Zen 3, 2020), no 5-level paging.
 */
static const u32 preset_caps[] = {
	[NW_PRESET_CUSTOM] = NW_CAPS,
	[NW_PRESET_NEHALEM] = NW_CAP_EPT_2M | NW_CAP_EPT_XO,
	[NW_PRESET_SKYLAKE] = NW_CAP_PDPE1GB | NW_CAP_PCID | NW_CAP_INVPCID |
			      NW_CAP_EPT_2M | NW_CAP_EPT_1G | NW_CAP_EPT_XO,
	[NW_PRESET_ZEN2] = NW_CAP_PDPE1GB | NW_CAP_EPT_2M | NW_CAP_EPT_1G,
};

static_assert(ARRAY_SIZE(preset_caps) == NW_PRESET_NR,
	      "capabilities for every preset");

int nw_preset(enum nw_preset p, struct nw_sim_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	nw_cost_defaults(&cfg->cost);
	cfg->seed = 1;
	if ((unsigned int)p < NW_PRESET_NR)
		cfg->caps = preset_caps[p];
	switch (p) {
	case NW_PRESET_CUSTOM:
		/*
		 * A small one-level TLB and Skylake's data caches; callers
		 * overwrite what they need.
		 */
		dcache(cfg, 1024, 4, 8192, skylake_lat);
		cfg->tlb.nlevels = 1;
		cfg->tlb.l[0].lat_m = 1000;
		cfg->tlb.l[0].a[0] = (struct nw_cache_cfg){
			64, 4, K4 | M2 | G1, NW_REPL_LRU };
		return 0;
	case NW_PRESET_NEHALEM:
		nehalem(cfg);
		break;
	case NW_PRESET_SKYLAKE:
		skylake(cfg);
		break;
	case NW_PRESET_ZEN2:
		zen2(cfg);
		break;
	default:
		return -EINVAL;
	}
	walk_caches(cfg);
	return 0;
}

