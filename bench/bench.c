// SPDX-License-Identifier: GPL-2.0
/*
 * nwbench: accesses per second of the model core on one core.
 *
 * (a) an L1-hit-dominated trace, (b) uncached 4x4 2D walks over 8 MiB (no
 * TLB, no walk caches: every access is a 24-reference walk), (c) zipf(0.99)
 * traces over 16 MiB, 256 MiB and 1 GiB with every cache of the skylake
 * preset on, and (c') the same with its data-cache model on (mode data),
 * as a share of (c)'s rate. Usage: nwbench [abc] [zipf working set in
 * MiB]. Each figure is compared with a loop that only reads the same
 * trace, (b) with bare dependent loads of the same entries, and (c) with
 * a bare TLB of the same arrays that does not walk. All in nested EPT
 * mode, 4 KiB guest and host pages.
 *
 * Each figure is the median of NWBENCH_ROUNDS (default 5) rounds, and a
 * round times the model, then the plain loop, then the floor (then, for
 * (c), the model with its data cache on): a ratio is
 * the median of the rounds' ratios, each of two runs seconds apart, which
 * keeps it when the machine's speed drifts between rounds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "env.h"
#include "presets.h"
#include "workload.h"

#define TRACE_LEN	(1U << 22)	/* 4 Mi accesses, 64 MiB */
#define BASE_VA		0x7f0000000000ULL
#define MAX_ROUNDS	15

static int nrounds = 5;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static volatile u64 sink;

/* The floor: read every record of the trace, nothing else. */
static double plain_rate(const struct nw_acc *t, u64 n, int rounds)
{
	double t0 = now();
	u64 sum = 0, i;
	int r;

	for (r = 0; r < rounds; r++)
		for (i = 0; i < n; i++)
			sum += t[i].va ^ t[i].kind ^ t[i].pcid;
	sink = sum;
	return n * (double)rounds / (now() - t0);
}

static double sim_rate(struct nw_sim *s, const struct nw_acc *t, u64 n,
		       int rounds)
{
	double t0 = now();
	u64 faults = 0;
	int r;

	for (r = 0; r < rounds; r++)
		faults += nw_access_batch(s, t, n);
	if (faults)
		fprintf(stderr, "nwbench: %llu faults\n",
			(unsigned long long)faults);
	return n * (double)rounds / (now() - t0);
}

static int setup(struct env *e, const struct nw_sim_cfg *cfg, int mode,
		 int host_level, u64 ws, struct nw_vm **vm)
{
	struct nw_as *as;
	int err = getenv("NWBENCH_NOWINDOW") ? env_init_nowindow(e, cfg) :
					       env_init(e, cfg);

	err = err ?: env_vm(e, mode, 4, 4, host_level, 1, vm);
	err = err ?: nw_as_create(*vm, 0, &as);
	err = err ?: nw_as_map(as, BASE_VA, mode == NW_MODE_NATIVE ?
			       ENV_NATIVE_DATA : 0, ws, NW_PTE, NW_X86_RW);
	if (!err && mode != NW_MODE_NATIVE)
		err = nw_vm_map(*vm, 0, ws) ?:
		      nw_vm_map(*vm, ENV_GPT_BASE, ENV_GPT_SIZE);
	if (!err)
		nw_vm_enter(e->s, *vm);
	return err;
}

static int gen(struct nw_acc *t, u8 pattern, u64 ws, u32 theta_m)
{
	struct nw_wl_cfg c = {
		.pattern = pattern, .base = BASE_VA, .size = ws,
		.theta_m = theta_m, .seed = 42,
	};
	struct nw_wl wl;
	int err = nw_wl_init(&wl, &c);

	if (err)
		return err;
	nw_wl_fill(&wl, t, TRACE_LEN);
	nw_wl_fini(&wl);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of the rounds' figures (the middle two's mean if even). */
static double median(const double *v)
{
	double s[MAX_ROUNDS];
	int n = nrounds;

	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	return n & 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* The rounds' ratios @a[i] / @b[i] in @q. */
static void ratios(const double *a, const double *b, double *q)
{
	int i;

	for (i = 0; i < nrounds; i++)
		q[i] = a[i] / b[i];
}

static double lowest(const double *v)
{
	double m = v[0];
	int i;

	for (i = 1; i < nrounds; i++)
		m = v[i] < m ? v[i] : m;
	return m;
}

static double highest(const double *v)
{
	double m = v[0];
	int i;

	for (i = 1; i < nrounds; i++)
		m = v[i] > m ? v[i] : m;
	return m;
}

/* A figure: the model's rates @r and the plain loop's @p, by round. */
static void report(const char *name, const double *r, const double *p,
		   double goal, const char *unit)
{
	double rate = median(r), q[MAX_ROUNDS] = { 0 };

	ratios(r, p, q);
	printf("%-34s %8.1f M%s/s  (plain loop %7.1f M/s, ratio %5.3f)  goal >= %.0f M/s: %s\n",
	       name, rate / 1e6, unit, median(p) / 1e6, median(q),
	       goal / 1e6, rate >= goal ? "met" : "NOT met");
	if (nrounds > 1)
		printf("    median of %d rounds, lowest %.1f, highest %.1f\n",
		       nrounds, lowest(r) / 1e6, highest(r) / 1e6);
}

/* The floor's rates @b by round, against the model's @r. */
static void report_floor(const char *what, const double *r, const double *b)
{
	double q[MAX_ROUNDS] = { 0 };

	ratios(r, b, q);
	printf("    floor: %s %.1f M/s; the model runs at %.0f%% of it (%.0f-%.0f%% by round)\n",
	       what, median(b) / 1e6, 100 * median(q), 100 * lowest(q),
	       100 * highest(q));
}

/*
 * The floor of (b) on this machine: the same 24 entries a 4x4 walk of 4
 * KiB pages reads, from the same tables, as bare dependent loads (offset,
 * load, mask), with no test, tally or fault path.
 */
static __always_inline u64 bare_host(const u8 *base, u64 root, u64 gpa,
				     u64 mask)
{
	u64 t = root;
	int l;

	for (l = NW_PML4E; l >= NW_PTE; l--)
		t = *(const u64 *)(base + t + ((gpa >> (9 * l)) & 0xff8)) &
		    mask;
	return t + (gpa & (NW_PAGE_SIZE - 1));
}

static u64 bare_walk(const u8 *base, u64 groot, u64 hroot, u64 va, u64 mask)
{
	u64 t = bare_host(base, hroot, groot, mask);
	int l;

	for (l = NW_PML4E; l >= NW_PTE; l--)
		t = bare_host(base, hroot, *(const u64 *)(base + t +
				((va >> (9 * l)) & 0xff8)) & mask, mask);
	return t + (va & (NW_PAGE_SIZE - 1));
}

static double bare_rate(struct env *e, struct nw_vm *vm,
			const struct nw_acc *t, u64 n, int rounds)
{
	const u8 *base = e->mem.base;
	u64 mask = vm->hfmt.addr, groot = nw_as_find(vm, 0)->gpt.root;
	u64 hroot = vm->ept.root, sum = 0, i;
	double t0 = now();
	int r;

	for (r = 0; r < rounds; r++)
		for (i = 0; i < n; i++)
			sum += bare_walk(base, groot, hroot, t[i].va, mask);
	sink = sum;
	return n * (double)rounds / (now() - t0);
}

static int bench_walks(struct nw_acc *t)
{
	struct nw_sim_cfg cfg;
	struct nw_vm *vm;
	struct env e;
	double r[MAX_ROUNDS], p[MAX_ROUNDS], b[MAX_ROUNDS];
	u64 refs;
	int i;

	env_cfg_bare(&cfg);
	cfg.tlb.nlevels = 0;		/* every access walks */
	if (setup(&e, &cfg, NW_MODE_EPT, NW_PTE, 8ULL << 20, &vm) ||
	    gen(t, NW_WL_UNIFORM, 8ULL << 20, 0))
		return 1;
	sim_rate(e.s, t, TRACE_LEN / 4, 1);	/* warm: A bits set */
	/* The bare walk must land where the model does. */
	if (nw_access(e.s, t[0].va, 0, NW_READ) ||
	    bare_walk(e.mem.base, nw_as_find(vm, 0)->gpt.root, vm->ept.root,
		      t[0].va, vm->hfmt.addr) != e.s->last.hpa) {
		fprintf(stderr, "nwbench: bare walk disagrees with the model\n");
		env_fini(&e);
		return 1;
	}
	nw_sim_reset_counters(e.s);
	for (i = 0; i < nrounds; i++) {
		r[i] = sim_rate(e.s, t, TRACE_LEN, 1);
		p[i] = plain_rate(t, TRACE_LEN, 1);
		b[i] = bare_rate(&e, vm, t, TRACE_LEN, 1);
	}
	refs = nw_sim_counter(e.s, NW_C_WALK_REFS);
	report("(b) uncached 4x4 2D walks", r, p, 15e6, "walks");
	printf("    references per walk %.2f\n",
	       (double)refs / nw_sim_counter(e.s, NW_C_WALKS));
	report_floor("the same 24 entries as bare dependent loads", r, b);
	env_fini(&e);
	return 0;
}

/*
 * The floor of (c) on this machine: the same trace through a bare TLB of
 * skylake's 4 KiB arrays (64 entries 4-way tree-PLRU over 1536 entries
 * 12-way LRU, the second a victim level), laid out as the model's are
 * (16-bit fingerprints per way, LRU as an order word), with no walk,
 * tags, rights, memo or counters but its own three: what a lookup, a
 * move and a fill cost here, whatever else the model does.
 */
#define BARE_L1_SETS	16
#define BARE_L1_WAYS	4
#define BARE_L2_SETS	128
#define BARE_L2_WAYS	12
#define BARE_L2_FPW	3	/* way w: lane w / 3 of word w % 3 */

struct bare_set1 {
	u64 fp;
	u64 plru;		/* bits 1-3: tree nodes, set = evict right */
	u64 key[BARE_L1_WAYS];
	u64 val[BARE_L1_WAYS];
};

struct bare_set2 {
	u64 fp[BARE_L2_FPW];
	u64 order;		/* nibbles: ways, most recent first */
	u64 key[BARE_L2_WAYS];
	u64 val[BARE_L2_WAYS];
};

struct bare_tlb {
	struct bare_set1 l1[BARE_L1_SETS];
	struct bare_set2 l2[BARE_L2_SETS];
	u64 hit1, hit2, miss;
};

/* Way w of a 4-way tree: nodes on its path to clear, then to set. */
static const u64 bare_path[BARE_L1_WAYS][2] = {
	{ 0x6, 0x6 }, { 0x6, 0x2 }, { 0xa, 0x8 }, { 0xa, 0x0 },
};

/* The victim for node bits 1-3 (bit 1 the root). */
static const u8 bare_victim[8] = { 0, 2, 1, 2, 0, 3, 1, 3 };

static void bare_init(struct bare_tlb *b)
{
	int i, w;

	memset(b, 0, sizeof(*b));
	for (i = 0; i < BARE_L2_SETS; i++)
		for (w = 0; w < BARE_L2_WAYS; w++)
			b->l2[i].order |= (u64)w << (4 * w);
}

static __always_inline void bare_fp(u64 *f, unsigned int sh, u64 fp)
{
	*f = (*f & ~(0xffffULL << sh)) | fp << sh;
}

/* An entry pushed out of the first level: the first free way, or LRU. */
static void bare_down(struct bare_tlb *b, u64 key, u64 val)
{
	struct bare_set2 *s = &b->l2[(key >> 4) & (BARE_L2_SETS - 1)];
	u64 free = nw_zero_lanes(s->fp[0]) >> 15 |
		   nw_zero_lanes(s->fp[1]) >> 14 |
		   nw_zero_lanes(s->fp[2]) >> 13, o, x, z;
	unsigned int w, bit, sh;

	if (free) {
		bit = __builtin_ctzll(free);
		w = (bit / 16) * BARE_L2_FPW + bit % 16;
	} else {
		w = s->order >> (4 * (BARE_L2_WAYS - 1)) & 15;
		bit = 16 * (w / BARE_L2_FPW) + w % BARE_L2_FPW;
	}
	s->key[w] = key;
	s->val[w] = val;
	bare_fp(&s->fp[bit % 16], bit & ~15U, nw_cache_fp(key));
	/* Way w to the front of the order. */
	o = s->order;
	x = o ^ (w * NW_NIBBLES);
	z = (x - NW_NIBBLES) & ~x & (NW_NIBBLES << 3);
	sh = __builtin_ctzll(z) & ~3U;
	s->order = (o & (~0ULL << sh << 4)) | (o & ((1ULL << sh) - 1)) << 4 | w;
}

static void bare_up(struct bare_tlb *b, struct bare_set1 *s, u64 key,
		    u64 val, u64 fp)
{
	u64 free = nw_zero_lanes(s->fp) >> 15;
	unsigned int w = free ? __builtin_ctzll(free) / 16 :
				bare_victim[s->plru >> 1 & 7];

	if (s->key[w])
		bare_down(b, s->key[w], s->val[w]);
	s->key[w] = key;
	s->val[w] = val;
	bare_fp(&s->fp, 16 * w, fp);
	s->plru = (s->plru & ~bare_path[w][0]) | bare_path[w][1];
}

static __always_inline u64 bare_access(struct bare_tlb *b, u64 va)
{
	u64 vpn = (va & NW_VA_MASK) >> NW_PAGE_SHIFT, key = vpn << 4 | 3;
	u64 fp = nw_cache_fp(key), pat = fp * NW_LANES16, m, val;
	struct bare_set1 *s1 = &b->l1[vpn & (BARE_L1_SETS - 1)];
	struct bare_set2 *s2 = &b->l2[vpn & (BARE_L2_SETS - 1)];
	unsigned int w, bit;

	for (m = nw_zero_lanes(s1->fp ^ pat) >> 15; m; m &= m - 1) {
		w = __builtin_ctzll(m) / 16;
		if (s1->key[w] == key) {
			s1->plru = (s1->plru & ~bare_path[w][0]) |
				   bare_path[w][1];
			b->hit1++;
			return s1->val[w];
		}
	}
	m = nw_zero_lanes(s2->fp[0] ^ pat) >> 15 |
	    nw_zero_lanes(s2->fp[1] ^ pat) >> 14 |
	    nw_zero_lanes(s2->fp[2] ^ pat) >> 13;
	for (; m; m &= m - 1) {
		bit = __builtin_ctzll(m);
		w = (bit / 16) * BARE_L2_FPW + bit % 16;
		if (s2->key[w] == key) {
			val = s2->val[w];
			s2->key[w] = 0;
			bare_fp(&s2->fp[bit % 16], bit & ~15U, 0);
			bare_up(b, s1, key, val, fp);
			b->hit2++;
			return val;
		}
	}
	b->miss++;
	val = va & ~(NW_PAGE_SIZE - 1);		/* no walk */
	bare_up(b, s1, key, val, fp);
	return val;
}

static double bare_tlb_rate(struct bare_tlb *b, const struct nw_acc *t,
			    u64 n, int rounds)
{
	double t0 = now();
	u64 sum = 0, i;
	int r;

	for (r = 0; r < rounds; r++)
		for (i = 0; i < n; i++)
			sum += bare_access(b, t[i].va);
	sink = sum;
	return n * (double)rounds / (now() - t0);
}

static int bench_l1(struct nw_acc *t)
{
	static struct bare_tlb tlb;
	struct bare_tlb *bt = &tlb;
	struct nw_sim_cfg cfg;
	struct nw_vm *vm;
	struct env e;
	double r[MAX_ROUNDS], p[MAX_ROUNDS], q[MAX_ROUNDS], b[MAX_ROUNDS];
	int i;

	/*
	 * 32 pages (128 KiB), all L1 hits after the first touch: streaming
	 * over 64-byte lines (the goal), then in random order (for contrast:
	 * every access a full first-level lookup).
	 */
	nw_preset(NW_PRESET_SKYLAKE, &cfg);
	if (setup(&e, &cfg, NW_MODE_EPT, NW_PTE, 32 * 4096, &vm) ||
	    gen(t, NW_WL_SEQUENTIAL, 32 * 4096, 0))
		return 1;
	sim_rate(e.s, t, TRACE_LEN, 1);		/* warm */
	for (i = 0; i < nrounds; i++) {
		r[i] = sim_rate(e.s, t, TRACE_LEN, 2);
		p[i] = plain_rate(t, TRACE_LEN, 2);
	}
	report("(a) L1-hit trace, sequential", r, p, 150e6, "acc");
	if (gen(t, NW_WL_UNIFORM, 32 * 4096, 0))
		return 1;
	for (i = 0; i < nrounds; i++) {
		r[i] = sim_rate(e.s, t, TRACE_LEN, 1);
		p[i] = plain_rate(t, TRACE_LEN, 1);
	}
	bare_init(bt);
	bare_tlb_rate(bt, t, TRACE_LEN, 1);	/* warm: all first-level hits */
	for (i = 0; i < nrounds; i++)
		b[i] = bare_tlb_rate(bt, t, TRACE_LEN, 1);
	ratios(r, p, q);
	printf("    same 32 pages in random order: %.1f Macc/s (ratio %.3f)\n",
	       median(r) / 1e6, median(q));
	report_floor("the same lookups in a bare TLB of the same arrays", r,
		     b);
	printf("    L1 hit share %.4f\n",
	       (double)nw_sim_counter(e.s, NW_C_TLB_L1_HIT) /
	       nw_sim_counter(e.s, NW_C_ACCESSES));
	env_fini(&e);
	return 0;
}

static u64 zipf_ws;	/* MiB from the command line, or the list below */

/* A session of @cfg over @ws of zipf memory, warmed by the trace @t. */
static int zipf_env(struct env *e, const struct nw_sim_cfg *cfg,
		    const struct nw_acc *t, u64 ws)
{
	struct nw_vm *vm;

	if (setup(e, cfg, NW_MODE_EPT, NW_PTE, ws, &vm))
		return 1;
	sim_rate(e->s, t, TRACE_LEN, 1);		/* warm */
	nw_sim_reset_counters(e->s);
	return 0;
}

/* (c)'s shares: TLB levels, walk references and cycles per access. */
static void zipf_figures(struct nw_sim *s)
{
	u64 n = nw_sim_counter(s, NW_C_ACCESSES);
	int i;

	printf("    L1 hits %.3f, L2 hits %.3f, misses %.3f; references per access %.3f, cycles per access %.2f\n",
	       (double)nw_sim_counter(s, NW_C_TLB_L1_HIT) / n,
	       (double)nw_sim_counter(s, NW_C_TLB_L2_HIT) / n,
	       (double)nw_sim_counter(s, NW_C_TLB_MISS) / n,
	       (double)nw_sim_counter(s, NW_C_WALK_REFS) / n,
	       nw_cost_per_access_m(nw_sim_counter(s, NW_C_MCYCLES), n) /
	       1000.0);
	if (getenv("NWBENCH_COUNTERS"))
		for (i = 0; i < NW_C_NR; i++)
			printf("    %s %llu\n", nw_counter_names[i],
			       (unsigned long long)nw_sim_counter(s, i));
}

/*
 * Built against a core older than the data-cache model too (bench-ab.sh
 * builds this file against the baseline's core): (c') only with it.
 */
#ifdef NW_DC_MEM
/*
 * (c'): the trace of (c) with the data-cache model on (walk loads and
 * the accesses' data lines, the preset's geometry), its rates @d timed
 * in the same rounds as (c)'s @r: its share of (c), round by round. The
 * goal is at 16 MiB: at least half of (c)'s rate.
 */
static void report_dcache(struct nw_sim *s, u64 ws, const double *d,
			  const double *r)
{
	u64 wl[NW_DC_LEVELS + 1] = { 0 }, all = 0;
	u64 n = nw_sim_counter(s, NW_C_ACCESSES);
	double q[MAX_ROUNDS] = { 0 };
	char name[64];
	int lv, g;

	ratios(d, r, q);
	snprintf(name, sizeof(name), "(c') zipf 0.99 over %llu MiB, dcache on",
		 (unsigned long long)(ws >> 20));
	printf("%-34s %8.1f Macc/s  (%.0f%% of (c) model off, %.0f-%.0f%% by round)",
	       name, median(d) / 1e6, 100 * median(q), 100 * lowest(q),
	       100 * highest(q));
	if (ws == 16ULL << 20)
		printf("  goal >= 50%%: %s", median(q) >= 0.5 ? "met" : "NOT met");
	printf("\n");
	/* Both dimensions, data and fetch walks (NW_C_WL()). */
	for (lv = 0; lv <= NW_DC_MEM; lv++) {
		for (g = 0; g < 4; g++)
			wl[lv] += nw_sim_counter(s, NW_C_WL(g >> 1, g & 1, lv));
		all += wl[lv];
	}
	printf("    walk loads %.3f per access: L1 %.3f, L2 %.3f, LLC %.3f, memory %.3f; cycles per access %.2f\n",
	       (double)all / n, all ? (double)wl[0] / all : 0.0,
	       all ? (double)wl[1] / all : 0.0,
	       all ? (double)wl[2] / all : 0.0,
	       all ? (double)wl[NW_DC_MEM] / all : 0.0,
	       nw_cost_per_access_m(nw_sim_counter(s, NW_C_MCYCLES), n) /
	       1000.0);
}
#endif

static int bench_zipf_ws(struct nw_acc *t, u64 ws)
{
	static struct bare_tlb tlb;
	struct bare_tlb *bt = &tlb;
	struct nw_sim_cfg cfg, dcfg;
	struct env e, ed;
	char name[64];
	double r[MAX_ROUNDS], p[MAX_ROUNDS], b[MAX_ROUNDS], d[MAX_ROUNDS];
	int i, err;

	nw_preset(NW_PRESET_SKYLAKE, &cfg);
	dcfg = cfg;
#ifdef NW_DC_MEM
	dcfg.dcache.mode = NW_DC_DATA;
#endif
	if (gen(t, NW_WL_ZIPF, ws, 990) || zipf_env(&e, &cfg, t, ws))
		return 1;
	if (zipf_env(&ed, &dcfg, t, ws)) {
		env_fini(&e);
		return 1;
	}
	/* The floor, warmed and measured as the model is: same counts. */
	bare_init(bt);
	bare_tlb_rate(bt, t, TRACE_LEN, 1);
	bt->hit1 = 0;
	bt->hit2 = 0;
	bt->miss = 0;
	for (i = 0; i < nrounds; i++) {
		r[i] = sim_rate(e.s, t, TRACE_LEN, 1);
		p[i] = plain_rate(t, TRACE_LEN, 1);
		b[i] = bare_tlb_rate(bt, t, TRACE_LEN, 1);
		d[i] = sim_rate(ed.s, t, TRACE_LEN, 1);
	}
	snprintf(name, sizeof(name), "(c) zipf 0.99 over %llu MiB",
		 (unsigned long long)(ws >> 20));
	report(name, r, p, 40e6, "acc");
	zipf_figures(e.s);
	err = bt->hit1 != nw_sim_counter(e.s, NW_C_TLB_L1_HIT) ||
	      bt->hit2 != nw_sim_counter(e.s, NW_C_TLB_L2_HIT) ||
	      bt->miss != nw_sim_counter(e.s, NW_C_TLB_MISS);
	if (err)
		fprintf(stderr, "nwbench: bare TLB counts %llu/%llu/%llu, the model %llu/%llu/%llu\n",
			(unsigned long long)bt->hit1,
			(unsigned long long)bt->hit2,
			(unsigned long long)bt->miss,
			(unsigned long long)nw_sim_counter(e.s, NW_C_TLB_L1_HIT),
			(unsigned long long)nw_sim_counter(e.s, NW_C_TLB_L2_HIT),
			(unsigned long long)nw_sim_counter(e.s, NW_C_TLB_MISS));
	else
		report_floor("the same trace through a bare TLB of the same arrays, no walk",
			     r, b);
#ifdef NW_DC_MEM
	if (!err)
		report_dcache(ed.s, ws, d, r);
#endif
	env_fini(&ed);
	env_fini(&e);
	return err;
}

/*
 * The zipf figure depends on how far the working set exceeds TLB reach
 * (skylake: 1.6 K entries, 6.4 MiB of 4 KiB pages): three sizes.
 */
static int bench_zipf(struct nw_acc *t)
{
	static const u64 ws_mib[] = { 16, 256, 1024 };
	unsigned int i;

	if (zipf_ws)
		return bench_zipf_ws(t, zipf_ws);
	for (i = 0; i < sizeof(ws_mib) / sizeof(ws_mib[0]); i++)
		if (bench_zipf_ws(t, ws_mib[i] << 20))
			return 1;
	return 0;
}

/* Optional argument: which of a, b, c to run (default: all). */
int main(int argc, char **argv)
{
	struct nw_acc *t = calloc(TRACE_LEN, sizeof(*t));
	const char *which = argc > 1 ? argv[1] : "abc";
	int err = 0;

	if (!t)
		return 1;
	if (argc > 2)
		zipf_ws = strtoull(argv[2], NULL, 0) << 20;
	if (getenv("NWBENCH_ROUNDS")) {
		nrounds = atoi(getenv("NWBENCH_ROUNDS"));
		if (nrounds < 1 || nrounds > MAX_ROUNDS) {
			fprintf(stderr, "nwbench: NWBENCH_ROUNDS must be 1 to %d\n",
				MAX_ROUNDS);
			free(t);
			return 2;
		}
	}
	if (strchr(which, 'a'))
		err = err || bench_l1(t);
	if (strchr(which, 'b'))
		err = err || bench_walks(t);
	if (strchr(which, 'c'))
		err = err || bench_zipf(t);
	free(t);
	if (err)
		fprintf(stderr, "nwbench: set-up failed\n");
	return err;
}
