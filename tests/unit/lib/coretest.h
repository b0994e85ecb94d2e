/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What only tests, fuzzers and benchmarks call, over the core's own
 * interfaces: none of it is in nestwalk.ko (scripts/funcs.py checks that
 * every global function the module's core defines has a caller there).
 */
#ifndef _NESTWALK_CORETEST_H
#define _NESTWALK_CORETEST_H

#include "presets.h"
#include "invalidate.h"
#include "shadow.h"
#include "sim.h"
#include "walk.h"
#include "workload.h"

/* One access: its outcome (enum nw_outcome) or -EINVAL. */
int nw_access(struct nw_sim *s, u64 va, u16 pcid, unsigned int kind);
/* Host mapping, ahead of the lazy fill on EPT violations. */
int nw_vm_map(struct nw_vm *vm, u64 gpa, u64 size);
/* A guest store to its own page-table entry at @gpa. */
int nw_guest_pte_write(struct nw_vm *vm, u64 gpa, u64 val);

/* Like a lookup, without touching replacement state. */
struct nw_centry *nw_cache_probe(const struct nw_cache *c, u64 key, u32 tag,
				 u16 pcid);
/* Entries an invalidation would remove, without removing them. */
u64 nw_cache_count(const struct nw_cache *c, const struct nw_inval *f);
u64 nw_pwc_count(const struct nw_pwc *p, const struct nw_inval *f);
u64 nw_tlb_count(const struct nw_tlb *t, const struct nw_inval *f);
/* Reach in KiB of the entries that hold pages of @size. */
u64 nw_tlb_reach_kib(const struct nw_tlb *t, int size);

/* Address of the entry that maps @va at @level, or 0 if none is reachable. */
u64 nw_pt_entry_addr(struct nw_pt *pt, u64 va, int level);
/* A large leaf into 512 smaller ones, and back (KVM's split, collapse). */
int nw_pt_split(struct nw_pt *pt, u64 va, int level);
int nw_pt_merge(struct nw_pt *pt, u64 va, int level);

/* The EPT entry checks of the SDM (28.3.3), as a reference decoder. */
int nw_ept_decode(u64 e, int level, const struct nw_ept_caps *caps,
		  struct nw_pte_info *out);
u64 nw_x86_make(u64 pa, int level, bool leaf, u64 flags);
u64 nw_ept_make(u64 pa, int level, bool leaf, u64 rwx, unsigned int memtype);

/* The preset called @name, or -EINVAL. */
int nw_preset_by_name(const char *name, struct nw_sim_cfg *cfg);
/* Average cost per access in milli-cycles (0 when nothing ran). */
u64 nw_cost_per_access_m(u64 total_m, u64 accesses);
/* A generator started and set up at once. */
int nw_wl_init(struct nw_wl *wl, const struct nw_wl_cfg *cfg);

#endif /* _NESTWALK_CORETEST_H */
