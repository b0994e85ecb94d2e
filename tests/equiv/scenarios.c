// SPDX-License-Identifier: GPL-2.0
/*
 * nwscen: 360 scenarios of the model core, each reduced to one hash of
 * everything it observably did, so that a change of the core's internals
 * (not of its model) can be shown to leave every outcome as it was:
 * scripts/equiv.sh builds this file against a baseline commit's core and
 * against the working tree's, and compares the hashes.
 *
 * Scenario i: mode (native, EPT, NPT, shadow) x preset (nehalem, skylake,
 * zen2) x cache variant (walk caches as the preset has them, with 4 KiB
 * or 2 MiB host backing; or every walk cache off, with 4 KiB, 2 MiB or
 * 1 GiB backing: three fifths) x workload (sequential, uniform, zipf,
 * chase, a mix of kinds, rights and PCIDs one access at a time, and the
 * same mix with invalidations, VM exits and remaps between accesses).
 *
 * nwscen -c prints each scenario's counters at its end instead, so that
 * a change of the model can be told counter by counter.
 *
 * Hashed: every access's return value and, for single accesses, the last
 * walk's result (address, outcome, size, rights, references, fault);
 * every counter after every batch and at the end; the walk histogram; and
 * the valid entries of every TLB array (what replacement kept).
 *
 * Usage: nwscen [-v]   (-v: one hash per scenario, then the total)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env.h"
#include "presets.h"
#include "workload.h"

#define NSCEN		360
#define BASE_VA		0x7f0000000000ULL
#define WS		(16ULL << 20)
#define NACC		12000
#define BATCH		1500

static u64 mix(u64 h, u64 v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdULL;
}

static u64 hash_counters(u64 h, struct nw_sim *s)
{
	int c;
	u64 v;

	/*
	 * Counters appended after mcycles count only when they count
	 * something: a new counter at zero changes no hash.
	 */
	for (c = 0; c < NW_C_NR; c++) {
		v = nw_sim_counter(s, c);
		if (c <= NW_C_MCYCLES || v)
			h = mix(h, v);
	}
	return h;
}

static u64 hash_cache(u64 h, const struct nw_cache *c)
{
	u32 i;

	for (i = 0; i < c->entries; i++) {
		const struct nw_centry *e = &c->e[i];

		if (!e->key)
			continue;
		h = mix(h, i);
		h = mix(h, e->key);
		h = mix(h, e->val);
		h = mix(h, (u64)e->tag << 24 | e->pcid << 8 | e->perm);
		h = mix(h, e->flags);
	}
	return h;
}

static u64 hash_state(u64 h, struct nw_sim *s)
{
	int lv, a;

	h = hash_counters(h, s);
	for (a = 0; a <= NW_WALK_REFS_MAX; a++)
		h = mix(h, s->walk_hist[a]);
	for (lv = 0; lv < NW_TLB_LEVELS; lv++)
		for (a = 0; a < NW_TLB_ARRAYS; a++)
			h = hash_cache(h, &s->tlb.l[lv].a[a]);
	return h;
}

static u64 hash_last(u64 h, const struct nw_walk_res *r)
{
	h = mix(h, r->hpa);
	h = mix(h, r->fault_addr);
	return mix(h, (u64)r->outcome << 48 | (u64)r->size << 40 |
		   (u64)r->perm << 32 | (u64)r->refs << 24 |
		   (u64)r->fault_level << 16 | r->fault_dim << 8 | r->flags);
}

/*
 * The guest's mappings: the working set, a read-only quarter, a
 * supervisor-only quarter, one PCID's second space; nothing past WS.
 */
static int map_guest(struct nw_vm *vm, int mode, int gleaf)
{
	u64 data = mode == NW_MODE_NATIVE ? ENV_NATIVE_DATA : 0;
	u64 rw = NW_X86_RW | NW_X86_US, q = WS / 4;
	struct nw_as *as, *as2;
	int err;

	err = nw_as_create(vm, 0, &as) ?: nw_as_create(vm, 7, &as2);
	err = err ?: nw_as_map(as, BASE_VA, data, 2 * q, gleaf, rw);
	err = err ?: nw_as_map(as, BASE_VA + 2 * q, data + 2 * q, q, gleaf,
			       NW_X86_US);
	err = err ?: nw_as_map(as, BASE_VA + 3 * q, data + 3 * q, q, gleaf,
			       NW_X86_RW);
	err = err ?: nw_as_map(as2, BASE_VA, data + WS, WS, gleaf,
			       rw | NW_X86_XD);
	return err;
}

/* Accesses one at a time: kinds, user bit, PCIDs, some past the map. */
static u64 run_mixed(struct nw_sim *s, struct nw_vm *vm, u64 seed,
		     bool inval, u64 h)
{
	u64 rng = seed;
	int i, st;

	for (i = 0; i < NACC; i++) {
		u64 r = nw_rng_next(&rng);
		u64 va = BASE_VA + (r % (WS + WS / 16));
		unsigned int kind = (r >> 40) % 3 | ((r >> 42) & 1 ? NW_USER : 0);
		u16 pcid = (r >> 43) % 5 ? 0 : 7;

		if ((r >> 46) % 3)	/* locality: a page near the last */
			va = BASE_VA + ((r >> 8) % 64) * 4096 + (r & 0xfff);
		st = nw_access(s, va, pcid, kind);
		h = mix(h, (u64)st);
		h = hash_last(h, &s->last);
		if (!inval || (r >> 50) % 97)
			continue;
		switch ((r >> 57) % 8) {
		case 0:
			nw_invlpg(s, va);
			break;
		case 1:
			nw_mov_cr3(s, pcid, (r >> 60) & 1);
			break;
		case 2:
			h = mix(h, nw_invvpid(s, (r >> 60) % 4, 1, va));
			break;
		case 3:
			h = mix(h, nw_invept(s, 1 + (r >> 60) % 2, vm));
			break;
		case 4:
			nw_vm_exit(s);
			nw_vm_enter(s, vm);
			break;
		case 5:
			h = mix(h, nw_invpcid(s, (r >> 60) % 4, pcid, va));
			break;
		case 6: {	/* the guest remaps a page (shadow: a PTE write) */
			struct nw_as *as = nw_as_find(vm, 0);
			u64 page = (va - BASE_VA) & ~0xfffULL;

			h = mix(h, nw_as_map(as, BASE_VA + page,
					     vm->cfg.mode == NW_MODE_NATIVE ?
					     ENV_NATIVE_DATA + WS - 4096 - page :
					     WS - 4096 - page,
					     4096, NW_PTE,
					     NW_X86_RW | NW_X86_US));
			break;
		}
		default:
			h = hash_state(h, s);
		}
	}
	return h;
}

static u64 run_batches(struct nw_sim *s, int pattern, u64 seed, u64 h)
{
	struct nw_wl_cfg c = {
		.pattern = pattern, .base = BASE_VA, .size = WS,
		.theta_m = 990, .seed = seed, .write_pct = 20, .fetch_pct = 10,
	};
	static struct nw_acc acc[BATCH];
	struct nw_wl wl;
	int i;

	if (nw_wl_init(&wl, &c))
		return mix(h, 0xbad);
	for (i = 0; i < NACC / BATCH; i++) {
		nw_wl_fill(&wl, acc, BATCH);
		h = mix(h, nw_access_batch(s, acc, BATCH));
		h = hash_counters(h, s);
	}
	nw_wl_fini(&wl);
	return h;
}

static void variant(int v, struct nw_sim_cfg *cfg, int *host_level)
{
	static const int levels[] = { NW_PTE, NW_PDE, NW_PTE, NW_PDE, NW_PDPTE };

	*host_level = levels[v];
	if (v < 2)
		return;
	memset(&cfg->pwc, 0, sizeof(cfg->pwc));
	memset(&cfg->hpwc, 0, sizeof(cfg->hpwc));
	memset(&cfg->ntlb, 0, sizeof(cfg->ntlb));
}

/* -c: each scenario's counters at its end, to tell which ones differ. */
static bool dump_counters;
/* -u (with -c): without instruction TLBs, fetches in the data TLB. */
static bool unified;

static void dump(int i, struct nw_sim *s)
{
	u64 v;
	int c;

	for (c = 0; c < NW_C_NR; c++) {
		v = nw_sim_counter(s, c);
		if (v)
			printf("%3d %s %llu\n", i, nw_counter_names[c],
			       (unsigned long long)v);
	}
}

static u64 scenario(int i, int *err)
{
	static const int modes[] = {
		NW_MODE_NATIVE, NW_MODE_EPT, NW_MODE_NPT, NW_MODE_SHADOW,
	};
	static const int patterns[] = {
		NW_WL_SEQUENTIAL, NW_WL_UNIFORM, NW_WL_ZIPF, NW_WL_CHASE,
	};
	int mode = modes[i % 4], preset = 1 + i / 4 % 3, v = i / 12 % 5;
	int wl = i / 60, host_level, gleaf = (i / 7) % 2 ? NW_PDE : NW_PTE;
	struct nw_sim_cfg cfg;
	struct nw_vm *vm;
	struct env e;
	u64 h = i;

	nw_preset(preset, &cfg);
#ifdef NW_CAPS
	/* Scenarios use PCIDs and 1 GiB pages on every preset. */
	cfg.caps = NW_CAPS;
	if (unified)
		cfg.tlb.nilevels = 0;
#endif
	variant(v, &cfg, &host_level);
	*err = env_init(&e, &cfg);
	if (*err)
		return 0;
	*err = env_vm(&e, mode, 4, 4, host_level, 1 + i % 2, &vm) ?:
	       map_guest(vm, mode, gleaf);
	if (*err)
		goto out;
	nw_vm_enter(e.s, vm);
	if (wl < 4)
		h = run_batches(e.s, patterns[wl], i, h);
	else
		h = run_mixed(e.s, vm, i, wl == 5, h);
	h = hash_state(h, e.s);
	if (dump_counters)
		dump(i, e.s);
out:
	env_fini(&e);
	return h;
}

int main(int argc, char **argv)
{
	bool verbose = argc > 1 && !strcmp(argv[1], "-v");

	dump_counters = argc > 1 && !strcmp(argv[1], "-c");
	unified = argc > 2 && !strcmp(argv[2], "-u");
	u64 total = 0, h;
	int i, err;

	for (i = 0; i < NSCEN; i++) {
		h = scenario(i, &err);
		if (err) {
			fprintf(stderr, "nwscen: scenario %d: set-up failed (%d)\n",
				i, err);
			return 1;
		}
		if (verbose)
			printf("%3d %016llx\n", i, (unsigned long long)h);
		total = mix(total, h);
	}
	printf("%d scenarios: %016llx\n", NSCEN, (unsigned long long)total);
	return 0;
}
