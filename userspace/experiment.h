/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One experiment: a session configured as asked, one VM (or two that take
 * turns, for VPID), guest memory backed as asked and pinned by a memslot,
 * the guest's page tables mapping a working set, and a workload - the
 * module's generator, or a trace replayed in batches. Counters are taken
 * after a warm-up pass (generators) so that the figures are steady-state.
 */
#ifndef _NW_EXPERIMENT_H
#define _NW_EXPERIMENT_H

#include <stdint.h>

#include <linux/nestwalk.h>

#include "geometry.h"
#include "progress.h"
#include "trace.h"

enum nw_backing {
	NW_BACK_4K,		/* anonymous memory, THP off (madvise) */
	NW_BACK_THP,		/* 2 MiB aligned, MADV_HUGEPAGE */
	NW_BACK_HUGETLB_2M,	/* MAP_HUGETLB, 2 MiB pages */
	NW_BACK_HUGETLB_1G,	/* MAP_HUGETLB, 1 GiB pages */
	NW_BACK_NR
};

#define NW_MAX_COUNTERS	128
#define NW_CAP_NAMES	8

struct nw_exp {
	const char *label;
	int mode;		/* NESTWALK_MODE_* */
	int preset;		/* NESTWALK_PRESET_* */
	struct nw_geometry tlb;	/* levels given: replaces the preset's TLB */
	struct nw_geometry itlb;	/* the same, its instruction TLB */
	uint64_t cfg_flags;	/* NESTWALK_CFG_NO_* */
	/* --cpu-caps: the preset's capabilities, or none with @caps_set... */
	int caps_set;
	uint64_t caps_on;	/* ...with these NESTWALK_CAP_* added */
	uint64_t caps_off;	/* and these taken away */
	int vpid;		/* VMs get VPIDs 1 and 2, else 0 */
	int ept_ad;
	/* NESTWALK_VM_NO_WP, SMEP, SMAP, PKE: the guest's CR0/CR4 */
	uint64_t vm_flags;
	uint64_t pkru;		/* with NESTWALK_VM_PKE */
	int dcache_mode;	/* NESTWALK_DCACHE_*; default DATA */
	/*
	 * --dcache, --dcache-level or --mem-latency given: a module without
	 * the data-cache model (API 4 or older) is then refused rather than
	 * run with the model off.
	 */
	int dcache_given;
	struct nw_dcache_geometry dcache;	/* levels given: the preset's go */
	uint64_t mem_latency_milli;	/* 0: the preset's */
	uint64_t switch_every;	/* > 0: two VMs take turns this often */
	int guest_levels;
	int host_levels;
	int guest_page;		/* NESTWALK_PAGE_* */
	int backing;		/* enum nw_backing */
	uint64_t ws;		/* bytes the workload covers / trace memory */
	int pattern;		/* NESTWALK_GEN_* */
	uint64_t stride;
	uint64_t theta_milli;
	uint64_t write_pct;
	uint64_t fetch_pct;
	uint64_t seed;
	uint64_t accesses;
	int warmup;		/* replay the workload once before counting */
	struct nw_trace *trace;	/* replay this instead of a generator */
	struct nw_progress *progress;	/* NULL: no progress line */
};

struct nw_exp_result {
	unsigned int n;				/* counters the module has */
	uint64_t v[NW_MAX_COUNTERS];		/* enum nestwalk_stat order */
	char names[NW_MAX_COUNTERS][NESTWALK_STAT_NAME_LEN];	/* its names */
	uint64_t host_pages[4];			/* memslot report, by level */
	uint64_t trace_records;
	uint64_t mapped_pages;			/* trace: guest pages mapped */
	long max_rss_kib;			/* the helper's peak RSS */
	int dcache_mode;			/* what the session ran with */
	char *const *command;			/* nestwalk trace: COMMAND, */
	int command_status;			/* its wait status */
};

extern const char *const nw_backing_names[NW_BACK_NR];
extern const char *const nw_mode_names[4];
extern const char *const nw_preset_names[4];
/* NESTWALK_DCACHE_* by value: "off", "data", "walks-only". */
extern const char *const nw_dcache_mode_names[3];
/* NESTWALK_CAP_* bit i is named nw_cap_names[i]. */
extern const char *const nw_cap_names[NW_CAP_NAMES];

/* Defaults: nested EPT, nehalem, 4-level, 4 KiB guest pages, 4k backing. */
void nw_exp_defaults(struct nw_exp *x);
/* 0, or -1 with a message in @err. */
int nw_exp_run(const struct nw_exp *x, struct nw_exp_result *r, char *err,
	       size_t errlen);
/*
 * The module reported @count counters (more than this helper knows, from
 * a newer module, or fewer, from an older one): keep what fits.
 */
void nw_res_take(struct nw_exp_result *r, uint64_t count);
/* Counter @c of @r; 0 if the module has none (an older module). */
uint64_t nw_res(const struct nw_exp_result *r, enum nestwalk_stat c);
/* Derived figures. */
double nw_res_refs_per_walk(const struct nw_exp_result *r);
double nw_res_cycles_per_access(const struct nw_exp_result *r);
double nw_res_ratio(uint64_t num, uint64_t den);

/* Where a walk load was served: the data-cache level, or memory. */
enum nw_served { NW_SERVED_L1, NW_SERVED_L2, NW_SERVED_LLC, NW_SERVED_MEM,
		 NW_SERVED_NR };
extern const char *const nw_served_names[NW_SERVED_NR];
/*
 * Walk loads of dimension @dim (0 guest, 1 host: EPT/NPT), data and
 * instruction walks together, served at @at; @dim -1: both dimensions.
 */
uint64_t nw_res_walk_loads(const struct nw_exp_result *r, int dim, int at);

#endif /* _NW_EXPERIMENT_H */
