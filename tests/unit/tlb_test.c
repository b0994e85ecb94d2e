// SPDX-License-Identifier: GPL-2.0
/*
 * The TLB hierarchy against a deliberately simple reference model: per-set
 * lists in most-recently-used order, written from the description of the
 * policy, not from the implementation. Every access of long random traces
 * must hit or miss, and hit in the same level, in both.
 */
#include "kselftest_harness.h"
#include "env.h"
#include "presets.h"
#include "workload.h"

/* Regions of the test address space, one page size each. */
#define R4K	0x0000010000000ULL	/* 64 MiB of 4 KiB pages */
#define R4K_SIZE	(64ULL << 20)
#define R2M	0x0000080000000ULL	/* 1 GiB of 2 MiB pages */
#define R2M_SIZE	(1ULL << 30)
#define R1G	0x0010000000000ULL	/* 8 GiB of 1 GiB pages */
#define R1G_SIZE	(8ULL << 30)

static int size_of(u64 va)
{
	if (va >= R1G)
		return 3;
	return va >= R2M ? 2 : 1;
}

/* ---- the reference model ---- */

struct rarr {
	int sets, ways;
	unsigned int sizes;
	u64 *k;			/* k[set * ways + i], MRU first, 0 = empty */
	u64 *p;			/* beside each key: the 4 KiB page (va >> 12)
				 * whose access filled it
				 */
};

struct rmodel {
	int nl;
	bool victim[3];
	struct rarr a[3][3];
	int na[3];
};

/*
 * The array of level @lv for pages of @size, and in *@as the size it
 * holds them as: the largest at or below @size it has an array for (a
 * larger page is splintered, SDM 4.10.2.3).
 */
static struct rarr *holder(struct rmodel *m, int lv, int size, int *as)
{
	int i;

	for (*as = size; *as >= 1; (*as)--)
		for (i = 0; i < m->na[lv]; i++)
			if (m->a[lv][i].sizes & (1U << *as))
				return &m->a[lv][i];
	return NULL;
}

static u64 key_of(u64 va, int size)
{
	return (((va & ((1ULL << 57) - 1)) >> (12 + 9 * (size - 1))) << 4) |
	       (u64)size << 1 | 1;
}

static int set_of(struct rarr *a, u64 key)
{
	return ((key >> 4) & (a->sets - 1)) * a->ways;
}

/*
 * Move or insert (@key, @pg) at the front; *@key and *@pg become what
 * fell off the end (key 0: nothing).
 */
static void to_front(struct rarr *a, u64 *key, u64 *pg)
{
	int b = set_of(a, *key), i, j;
	u64 *s = a->k + b, *p = a->p + b, k = *key, g = *pg;

	for (i = 0; i < a->ways && s[i] && s[i] != k; i++)
		;
	if (i == a->ways) {
		*key = s[a->ways - 1];
		*pg = p[a->ways - 1];
		i = a->ways - 1;
	} else {
		*key = 0;
	}
	for (j = i; j > 0; j--) {
		s[j] = s[j - 1];
		p[j] = p[j - 1];
	}
	s[0] = k;
	p[0] = g;
}

static bool find(struct rarr *a, u64 key, u64 *pg)
{
	int b = set_of(a, key), i;

	for (i = 0; i < a->ways; i++)
		if (a->k[b + i] == key) {
			*pg = a->p[b + i];
			return true;
		}
	return false;
}

static void drop(struct rarr *a, u64 key)
{
	int b = set_of(a, key), i;
	u64 *s = a->k + b, *p = a->p + b;

	for (i = 0; i < a->ways && s[i] != key; i++)
		;
	for (; i < a->ways - 1; i++) {
		s[i] = s[i + 1];
		p[i] = p[i + 1];
	}
	s[a->ways - 1] = 0;
}

static void place(struct rmodel *m, int lv, u64 key, u64 pg)
{
	int as;

	for (; lv < m->nl; lv++) {
		struct rarr *a = holder(m, lv, (key >> 1) & 7, &as);

		if (!a)
			return;
		key = key_of(pg << 12, as);
		to_front(a, &key, &pg);
		if (!key || lv + 1 >= m->nl || !m->victim[lv + 1])
			return;
	}
}

/*
 * Level @lv's entry for @va (of a page of @size): every array in order,
 * every size it holds up to @size (a part of a splintered page).
 */
static struct rarr *level_find(struct rmodel *m, int lv, u64 va, int size,
			       u64 *key, u64 *pg)
{
	int i, sz;

	for (i = 0; i < m->na[lv]; i++)
		for (sz = 1; sz <= size; sz++) {
			*key = key_of(va, sz);
			if ((m->a[lv][i].sizes & (1U << sz)) &&
			    find(&m->a[lv][i], *key, pg))
				return &m->a[lv][i];
		}
	return NULL;
}

/* Returns the level that hit, or m->nl on a miss. */
static int model_access(struct rmodel *m, u64 va)
{
	int size = size_of(va), lv, up;
	u64 key, pg, k, g;

	for (lv = 0; lv < m->nl; lv++) {
		struct rarr *a = level_find(m, lv, va, size, &key, &pg);

		if (!a)
			continue;
		if (lv == 0) {
			k = key;
			g = pg;
			to_front(a, &k, &g);
		} else if (m->victim[lv]) {
			drop(a, key);
			place(m, 0, key, pg);
		} else {
			k = key;
			g = pg;
			to_front(a, &k, &g);
			for (up = 0; up < lv; up++)
				if (up == 0 || !m->victim[up])
					place(m, up, key, pg);
		}
		return lv;
	}
	for (lv = 0; lv < m->nl; lv++)
		if (lv == 0 || !m->victim[lv])
			place(m, lv, key_of(va, size), va >> 12);
	return m->nl;
}

static void model_init(struct rmodel *m, const struct nw_tlb_cfg *c)
{
	int lv, i;

	memset(m, 0, sizeof(*m));
	m->nl = c->nlevels;
	for (lv = 0; lv < c->nlevels; lv++) {
		m->victim[lv] = c->l[lv].victim;
		for (i = 0; i < 3 && c->l[lv].a[i].entries; i++) {
			struct rarr *a = &m->a[lv][i];

			a->ways = c->l[lv].a[i].ways ? c->l[lv].a[i].ways :
						      c->l[lv].a[i].entries;
			a->sets = c->l[lv].a[i].entries / a->ways;
			a->sizes = c->l[lv].a[i].sizes;
			a->k = calloc(c->l[lv].a[i].entries, sizeof(u64));
			a->p = calloc(c->l[lv].a[i].entries, sizeof(u64));
			m->na[lv]++;
		}
	}
}

static void model_fini(struct rmodel *m)
{
	int lv, i;

	for (lv = 0; lv < 3; lv++)
		for (i = 0; i < 3; i++) {
			free(m->a[lv][i].k);
			free(m->a[lv][i].p);
		}
}

/* ---- the simulator under test ---- */

static int native_env(struct env *e, const struct nw_sim_cfg *cfg)
{
	struct nw_vm *vm;
	struct nw_as *as;
	int err = env_init(e, cfg);

	err = err ?: env_vm(e, NW_MODE_NATIVE, 4, 0, NW_PTE, 0, &vm);
	err = err ?: nw_as_create(vm, 0, &as);
	err = err ?: nw_as_map(as, R4K, ENV_NATIVE_DATA, R4K_SIZE, NW_PTE,
			       NW_X86_RW);
	err = err ?: nw_as_map(as, R2M, 8ULL << 30, R2M_SIZE, NW_PDE,
			       NW_X86_RW);
	err = err ?: nw_as_map(as, R1G, 16ULL << 30, R1G_SIZE, NW_PDPTE,
			       NW_X86_RW);
	if (!err)
		nw_vm_enter(e->s, vm);
	return err;
}

static u64 xs(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Hot 4K pages, a wider 4K pool, some 2M and 1G pages; @no2m leaves out
 * the 2M and 1G pages.
 */
static u64 trace_va(u64 *rng, int pool4k, bool no2m)
{
	u64 r = xs(rng) % 100;

	/*
	 * Larger pages would be splintered into 2 MiB entries where a level
	 * has no array for them, and the specialised path holds one size.
	 */
	if (no2m && r >= 85)
		r = 50 + r % 35;

	if (r < 50)
		return R4K + (xs(rng) % 96) * 4096 + (xs(rng) & 0xfff);
	if (r < 85)
		return R4K + (xs(rng) % pool4k) * 4096 + (xs(rng) & 0xfff);
	if (r < 97)
		return R2M + (xs(rng) % 200) * (2ULL << 20) + (xs(rng) & 0xfff);
	return R1G + (xs(rng) % 8) * (1ULL << 30) + (xs(rng) & 0xfff);
}

FIXTURE(ref) {
	struct env e;
	struct rmodel m;
};

FIXTURE_VARIANT(ref) {
	struct nw_tlb_cfg tlb;
	int pool4k;
	/*
	 * No 2 MiB pages: with only 4 KiB pages in arrays (1 GiB pages have
	 * none in these variants), the shape's specialised path (tlb.h)
	 * runs.
	 */
	bool no2m;
	u8 fast;
};

#define A(n, w, s, r)	{ .entries = n, .ways = w, .sizes = s, .repl = r }
#define K4	BIT(NW_PTE)
#define M2	BIT(NW_PDE)
#define G1	BIT(NW_PDPTE)
#define LRU	NW_REPL_LRU

FIXTURE_VARIANT_ADD(ref, one_level_4way) {
	.tlb = { .nlevels = 1, .l = { { .lat_m = 1000,
		.a = { A(64, 4, K4 | M2 | G1, LRU) } } } },
	.pool4k = 400,
};

FIXTURE_VARIANT_ADD(ref, nehalem_victim) {
	.tlb = { .nlevels = 2, .l = {
		{ .lat_m = 1000, .a = { A(64, 4, K4, LRU), A(32, 4, M2, LRU) } },
		{ .lat_m = 7000, .victim = true, .a = { A(512, 4, K4, LRU) } },
	} },
	.pool4k = 1200,
};

FIXTURE_VARIANT_ADD(ref, nehalem_victim_no2m) {
	.tlb = { .nlevels = 2, .l = {
		{ .lat_m = 1000, .a = { A(64, 4, K4, LRU), A(32, 4, M2, LRU) } },
		{ .lat_m = 7000, .victim = true, .a = { A(512, 4, K4, LRU) } },
	} },
	.pool4k = 1200, .no2m = true, .fast = NW_TLB_FAST_O1_O1,
};

/* 2-way PLRU is LRU: skylake's specialised path under the model. */
FIXTURE_VARIANT_ADD(ref, plru_over_12way_victim_no2m) {
	.tlb = { .nlevels = 2, .l = {
		{ .lat_m = 1000, .a = { A(64, 2, K4, NW_REPL_PLRU),
					A(32, 4, M2, LRU) } },
		{ .lat_m = 9000, .victim = true,
		  .a = { A(1536, 12, K4 | M2, LRU) } },
	} },
	.pool4k = 3000, .no2m = true, .fast = NW_TLB_FAST_P1_O3,
};

/* The same shape with arrays that have no specialised copy. */
FIXTURE_VARIANT_ADD(ref, lru_over_16way_victim_no2m) {
	.tlb = { .nlevels = 2, .l = {
		{ .lat_m = 1000, .a = { A(32, 4, K4 | M2, LRU) } },
		{ .lat_m = 7000, .victim = true,
		  .a = { A(256, 16, K4 | M2, LRU) } },
	} },
	.pool4k = 500, .no2m = true, .fast = NW_TLB_SLOW,
};

FIXTURE_VARIANT_ADD(ref, inclusive_full_l1) {
	.tlb = { .nlevels = 2, .l = {
		{ .lat_m = 1000, .a = { A(32, 0, K4 | M2 | G1, LRU) } },
		{ .lat_m = 7000, .a = { A(256, 8, K4 | M2, LRU),
					A(8, 2, G1, LRU) } },
	} },
	.pool4k = 600,
};

/* Tree-PLRU with two ways is exactly LRU: the model applies. */
FIXTURE_VARIANT_ADD(ref, plru_2way) {
	.tlb = { .nlevels = 1, .l = { { .lat_m = 1000,
		.a = { A(128, 2, K4 | M2, NW_REPL_PLRU), A(4, 4, G1, LRU) } } } },
	.pool4k = 300,
};

FIXTURE_VARIANT_ADD(ref, three_levels) {
	.tlb = { .nlevels = 3, .l = {
		{ .lat_m = 1000, .a = { A(16, 2, K4, LRU), A(8, 8, M2 | G1, LRU) } },
		{ .lat_m = 5000, .victim = true, .a = { A(64, 4, K4, LRU) } },
		{ .lat_m = 9000, .a = { A(1024, 8, K4 | M2, LRU) } },
	} },
	.pool4k = 2000,
};

FIXTURE_SETUP(ref)
{
	struct nw_sim_cfg cfg;

	env_cfg_bare(&cfg);
	cfg.tlb = variant->tlb;
	ASSERT_EQ(0, native_env(&self->e, &cfg));
	model_init(&self->m, &variant->tlb);
}

FIXTURE_TEARDOWN(ref)
{
	model_fini(&self->m);
	env_fini(&self->e);
}

TEST_F(ref, million_accesses_match)
{
	struct nw_sim *s = self->e.s;
	u64 rng = 0x1234567 + variant->pool4k, i, mismatch = 0, first = 0;
	u64 misses = 0, hits[3] = { 0 };
	const u64 n = 1000000;

	for (i = 0; i < n; i++) {
		u64 va = trace_va(&rng, variant->pool4k, variant->no2m);
		u64 before = s->cnt[NW_C_TLB_MISS], lv_hits[3];
		int want, got, lv;

		for (lv = 0; lv < 3; lv++)
			lv_hits[lv] = s->cnt[NW_C_TLB_L1_HIT + lv];
		ASSERT_EQ(NW_OK, nw_access(s, va, 0, NW_READ));
		want = model_access(&self->m, va);
		got = s->tlb.nlevels;
		if (s->cnt[NW_C_TLB_MISS] == before)
			for (lv = 0; lv < 3; lv++)
				if (s->cnt[NW_C_TLB_L1_HIT + lv] != lv_hits[lv])
					got = lv;
		if (want != got && !mismatch++)
			first = i;
		if (want == s->tlb.nlevels)
			misses++;
		else
			hits[want]++;
	}
	/* Which path ran: the specialised one for its shapes, else not. */
	EXPECT_EQ(variant->fast, s->tlb.fast);
	EXPECT_EQ(0, mismatch) {
		TH_LOG("first mismatch at access %llu",
		       (unsigned long long)first);
	}
	EXPECT_EQ(misses, s->cnt[NW_C_TLB_MISS]);
	EXPECT_EQ(hits[0], s->cnt[NW_C_TLB_L1_HIT]);
	EXPECT_EQ(n, nw_sim_counter(s, NW_C_ACCESSES));
	/* The trace exercises both outcomes. */
	EXPECT_LT(n / 100, misses);
	EXPECT_LT(n / 20, hits[0]);
}

/* The memo's rights bits are nw_perm_allows(), kind by kind. */
/*
 * nw_perm_kinds() against nw_rights_ok() (SDM 4.6.1, 4.6.2) for every
 * rights value, dirty flag, protection key and kind below 8, under every
 * CR0.WP/SMEP/SMAP/PKE combination; PKRU 0xe4e4e4e4 gives keys 0-3 (and
 * every fourth after) each of the four AD/WD pairs.
 */
TEST(perm_kinds)
{
	unsigned int cr, perm, dirty, key, kind;

	for (cr = 0; cr < 16; cr++) {
		struct nw_cr c = {
			.no_wp = cr & 1, .smep = cr & 2, .smap = cr & 4,
			.pke = cr & 8, .pkru = cr & 8 ? 0xe4e4e4e4 : 0,
		};
		struct nw_rights r;

		nw_rights_init(&r, &c);
		for (perm = 0; perm < 32; perm++)
			for (dirty = 0; dirty < 2; dirty++)
				for (key = 0; key < NW_PKEYS; key++) {
					u8 bits = nw_perm_kinds(&r, perm, key,
								dirty);

					for (kind = 0; kind < 8; kind++) {
						bool ok = (kind & 3) != 3 &&
							  nw_rights_ok(&c,
								perm | NW_PERM_R,
								key, dirty,
								kind);

						EXPECT_EQ(ok, bits >> kind & 1)
						TH_LOG("cr %u perm %u dirty %u key %u kind %u",
						       cr, perm, dirty, key,
						       kind);
					}
				}
	}
}

TEST(nehalem_reach)
{
	struct nw_sim_cfg cfg;
	struct env e;

	EXPECT_EQ(-EINVAL, nw_preset_by_name("pentium", &cfg));
	ASSERT_EQ(0, nw_preset_by_name("nehalem", &cfg));
	ASSERT_EQ(0, env_init(&e, &cfg));
	EXPECT_EQ(2304, nw_tlb_reach_kib(&e.s->tlb, NW_PTE));
	/*
	 * 32 x 2 MiB in the DTLB, and the STLB's 512 entries splinter large
	 * pages into 4 KiB ones (SDM 4.10.2.3); 1 GiB pages are held as
	 * 2 MiB entries in the DTLB, as 4 KiB ones in the STLB.
	 */
	EXPECT_EQ(64 * 1024 + 2048, nw_tlb_reach_kib(&e.s->tlb, NW_PDE));
	EXPECT_EQ(64 * 1024 + 2048, nw_tlb_reach_kib(&e.s->tlb, NW_PDPTE));
	env_fini(&e);
}

/* Steady-state misses of a cyclic scan over @pages 4 KiB pages. */
static u64 scan_misses(struct nw_sim *s, struct rmodel *m, u64 pages,
		       u64 *model_misses)
{
	u64 round, p, before;

	for (round = 0; round < 3; round++)	/* warm up */
		for (p = 0; p < pages; p++) {
			nw_access(s, R4K + p * 4096, 0, NW_READ);
			model_access(m, R4K + p * 4096);
		}
	before = s->cnt[NW_C_TLB_MISS];
	*model_misses = 0;
	for (round = 0; round < 10; round++)
		for (p = 0; p < pages; p++) {
			nw_access(s, R4K + p * 4096, 0, NW_READ);
			*model_misses += model_access(m, R4K + p * 4096) ==
					 m->nl;
		}
	return s->cnt[NW_C_TLB_MISS] - before;
}

TEST(nehalem_inside_and_outside_reach)
{
	struct nw_sim_cfg cfg;
	struct rmodel m;
	struct env e;
	u64 got, want;

	ASSERT_EQ(0, nw_preset(NW_PRESET_NEHALEM, &cfg));
	/*
	 * Just inside: 2 MiB. Reach (2304 KiB) counts every entry, but a
	 * contiguous scan spreads unevenly over 4-way sets: past 512 pages
	 * some sets of the L1/L2 pair see five live pages (the model agrees,
	 * as the "outside" case checks access by access).
	 */
	ASSERT_EQ(0, native_env(&e, &cfg));
	model_init(&m, &cfg.tlb);
	got = scan_misses(e.s, &m, 512, &want);
	EXPECT_EQ(0, got);
	EXPECT_EQ(want, got);
	model_fini(&m);
	env_fini(&e);

	/* Just outside: 2304 KiB plus 64 KiB. */
	ASSERT_EQ(0, native_env(&e, &cfg));
	model_init(&m, &cfg.tlb);
	got = scan_misses(e.s, &m, 576 + 16, &want);
	EXPECT_LT(0, got);
	EXPECT_EQ(want, got);
	TH_LOG("outside reach: %llu misses in %u accesses",
	       (unsigned long long)got, 10 * (576 + 16));
	model_fini(&m);
	env_fini(&e);
}

/* Every preset builds, and its figures are the documented ones. */
TEST(presets)
{
	struct nw_sim_cfg cfg;
	struct env e;
	int p;

	for (p = 0; p < NW_PRESET_NR; p++) {
		ASSERT_EQ(0, nw_preset(p, &cfg));
		ASSERT_EQ(0, env_init(&e, &cfg));
		if (p == NW_PRESET_SKYLAKE) {
			/* (64 + 1536) x 4K; (32 + 1536) x 2M; (4 + 16) x 1G */
			EXPECT_EQ(1600 * 4, nw_tlb_reach_kib(&e.s->tlb, 1));
			EXPECT_EQ(1568 * 2048, nw_tlb_reach_kib(&e.s->tlb, 2));
			EXPECT_EQ(20 << 20, nw_tlb_reach_kib(&e.s->tlb, 3));
		}
		if (p == NW_PRESET_ZEN2) {
			EXPECT_EQ((64 + 2048) * 4, nw_tlb_reach_kib(&e.s->tlb, 1));
			/* The L2 holds 1 GiB pages as 2 MiB entries. */
			EXPECT_EQ((64 << 20) + 2048 * 2048,
				  nw_tlb_reach_kib(&e.s->tlb, 3));
		}
		EXPECT_TRUE(p == NW_PRESET_CUSTOM || e.s->pwc.on);
		env_fini(&e);
	}
}

TEST(replacement_policies)
{
	struct nw_cache_cfg cfg = { .entries = 8, .ways = 8, .sizes = K4 };
	struct nw_cache c;
	struct nw_centry *e;
	int i;

	/* Tree-PLRU, 8 ways: after touching 0..7 in order, 0 goes first. */
	cfg.repl = NW_REPL_PLRU;
	ASSERT_EQ(0, nw_cache_init(&c, &cfg, 1));
	for (i = 0; i < 8; i++)
		nw_cache_insert(&c, nw_cache_key(i * 4096ULL, 1), 0, 0, NULL);
	e = nw_cache_insert(&c, nw_cache_key(100 * 4096ULL, 1), 0, 0, NULL);
	EXPECT_EQ(0, e - c.e);
	/* Touch way 1 then way 0: PLRU now evicts from ways 4..7 (way 4). */
	nw_cache_lookup(&c, nw_cache_key(1 * 4096ULL, 1), 0, 0);
	e = nw_cache_insert(&c, nw_cache_key(101 * 4096ULL, 1), 0, 0, NULL);
	EXPECT_EQ(4, e - c.e);
	nw_cache_free(&c);

	/* PLRU needs power-of-two ways. */
	cfg.entries = 12;
	cfg.ways = 12;
	EXPECT_EQ(-EINVAL, nw_cache_init(&c, &cfg, 1));

	/* A set holds at most 64 ways, whatever the policy. */
	for (i = NW_REPL_LRU; i <= NW_REPL_RANDOM; i++) {
		cfg.repl = i;
		cfg.entries = 256;
		cfg.ways = 64;
		ASSERT_EQ(0, nw_cache_init(&c, &cfg, 1));
		nw_cache_free(&c);
		cfg.ways = 128;
		EXPECT_EQ(-EINVAL, nw_cache_init(&c, &cfg, 1));
		cfg.entries = 1024;
		cfg.ways = 0;
		EXPECT_EQ(-EINVAL, nw_cache_init(&c, &cfg, 1));
	}

	/* Random: the same seed gives the same victims. */
	cfg.repl = NW_REPL_RANDOM;
	cfg.entries = 16;
	cfg.ways = 16;
	{
		struct nw_cache c2;
		int same = 0;

		ASSERT_EQ(0, nw_cache_init(&c, &cfg, 7));
		ASSERT_EQ(0, nw_cache_init(&c2, &cfg, 7));
		for (i = 0; i < 200; i++) {
			u64 k = nw_cache_key(i * 4096ULL, 1);

			same += nw_cache_insert(&c, k, 0, 0, NULL) - c.e ==
				nw_cache_insert(&c2, k, 0, 0, NULL) - c2.e;
		}
		EXPECT_EQ(200, same);
		nw_cache_free(&c2);
		nw_cache_free(&c);
	}
}

/*
 * A hit serves an access only as far as the entry's rights go: a first
 * write to a clean page, a user access to a supervisor page and a fetch
 * from an XD page go back to the walk (a TLB assist), also when the page
 * was just hit and the access repeats it. A hit of one address space is
 * never one of another with the same linear address. Each case in the
 * fast shape of the skylake preset and in the general path.
 */
#define RVA	0x7f0000000000ULL

FIXTURE(rights) {
	struct env e;
	struct nw_vm *vm;
	struct nw_as *as;
};

FIXTURE_VARIANT(rights) {
	int preset;		/* -1: env_cfg_bare() */
	u8 fast;		/* the shape nw_tlb_init() must choose */
};

FIXTURE_VARIANT_ADD(rights, skylake) {
	.preset = NW_PRESET_SKYLAKE, .fast = NW_TLB_FAST_P1_O3,
};

FIXTURE_VARIANT_ADD(rights, bare) {
	.preset = -1, .fast = NW_TLB_SLOW,
};

FIXTURE_SETUP(rights)
{
	struct nw_sim_cfg cfg;

	if (variant->preset < 0)
		env_cfg_bare(&cfg);
	else
		nw_preset(variant->preset, &cfg);
	/*
	 * Fetches in the data TLB (NESTWALK_CFG_UNIFIED_TLB), whose rights
	 * these cases test; itlb_test.c has the instruction TLB's.
	 */
	cfg.tlb.nilevels = 0;
	ASSERT_EQ(0, env_init(&self->e, &cfg));
	ASSERT_EQ(0, env_vm(&self->e, NW_MODE_EPT, 4, 4, NW_PTE, 1,
			    &self->vm));
	ASSERT_EQ(0, nw_vm_map(self->vm, 0, 64ULL << 20));
	ASSERT_EQ(0, nw_vm_map(self->vm, ENV_GPT_BASE, ENV_GPT_SIZE));
	ASSERT_EQ(0, nw_as_create(self->vm, 1, &self->as));
	nw_vm_enter(self->e.s, self->vm);
}

FIXTURE_TEARDOWN(rights)
{
	env_fini(&self->e);
}

/* Two reads of @va: a fill, then a first-level hit. */
static int read_twice(struct nw_sim *s, u64 va, u16 pcid)
{
	int err = nw_access(s, va, pcid, NW_READ);

	return err ?: nw_access(s, va + 64, pcid, NW_READ);
}

TEST_F(rights, first_write_after_hits_assists)
{
	struct nw_sim *s = self->e.s;
	u64 ad;

	ASSERT_EQ(0, nw_as_map(self->as, RVA, 0x10000, NW_PAGE_SIZE, NW_PTE,
			       NW_X86_RW));
	ASSERT_EQ(0, read_twice(s, RVA, 1));
	EXPECT_EQ(variant->fast, s->tlb.fast);
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_TLB_L1_HIT));
	ad = nw_sim_counter(s, NW_C_AD_WRITES);
	/* The entry is clean: the write walks, and the walk sets D. */
	ASSERT_EQ(NW_OK, nw_access(s, RVA + 128, 1, NW_WRITE));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_TLB_ASSIST));
	EXPECT_EQ(2, nw_sim_counter(s, NW_C_WALKS));
	EXPECT_LT(ad, nw_sim_counter(s, NW_C_AD_WRITES));
	/* Now dirty: further writes and reads hit. */
	ASSERT_EQ(NW_OK, nw_access(s, RVA + 192, 1, NW_WRITE));
	ASSERT_EQ(NW_OK, nw_access(s, RVA + 256, 1, NW_WRITE));
	ASSERT_EQ(NW_OK, nw_access(s, RVA + 320, 1, NW_READ));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_TLB_ASSIST));
	EXPECT_EQ(2, nw_sim_counter(s, NW_C_WALKS));
	EXPECT_EQ(5, nw_sim_counter(s, NW_C_TLB_L1_HIT));
	EXPECT_EQ(3, nw_sim_counter(s, NW_C_WRITES));
}

TEST_F(rights, user_access_to_supervisor_page_after_hits)
{
	struct nw_sim *s = self->e.s;

	ASSERT_EQ(0, nw_as_map(self->as, RVA, 0x10000, NW_PAGE_SIZE, NW_PTE,
			       NW_X86_RW));
	ASSERT_EQ(0, read_twice(s, RVA, 1));
	EXPECT_EQ(NW_GUEST_PF, nw_access(s, RVA + 128, 1, NW_READ | NW_USER));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_TLB_ASSIST));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_GUEST_PF));
	/* The same for a user page is a hit. */
	ASSERT_EQ(0, nw_as_map(self->as, RVA + NW_PAGE_SIZE, 0x11000,
			       NW_PAGE_SIZE, NW_PTE, NW_X86_RW | NW_X86_US));
	ASSERT_EQ(0, read_twice(s, RVA + NW_PAGE_SIZE, 1));
	EXPECT_EQ(NW_OK, nw_access(s, RVA + NW_PAGE_SIZE + 128, 1,
				   NW_READ | NW_USER));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_TLB_ASSIST));
}

TEST_F(rights, fetch_from_xd_page_after_hits)
{
	struct nw_sim *s = self->e.s;

	ASSERT_EQ(0, nw_as_map(self->as, RVA, 0x10000, NW_PAGE_SIZE, NW_PTE,
			       NW_X86_RW | NW_X86_XD));
	ASSERT_EQ(0, read_twice(s, RVA, 1));
	EXPECT_EQ(NW_GUEST_PF, nw_access(s, RVA + 128, 1, NW_FETCH));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_TLB_ASSIST));
	ASSERT_EQ(0, nw_as_map(self->as, RVA + NW_PAGE_SIZE, 0x11000,
			       NW_PAGE_SIZE, NW_PTE, NW_X86_RW));
	ASSERT_EQ(0, read_twice(s, RVA + NW_PAGE_SIZE, 1));
	EXPECT_EQ(NW_OK, nw_access(s, RVA + NW_PAGE_SIZE + 128, 1, NW_FETCH));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_TLB_ASSIST));
}

TEST_F(rights, hit_of_one_pcid_is_not_one_of_another)
{
	struct nw_sim *s = self->e.s;
	struct nw_as *as2;

	ASSERT_EQ(0, nw_as_create(self->vm, 2, &as2));
	ASSERT_EQ(0, nw_as_map(self->as, RVA, 0x10000, NW_PAGE_SIZE, NW_PTE,
			       NW_X86_RW));
	ASSERT_EQ(0, nw_as_map(as2, RVA, 0x20000, NW_PAGE_SIZE, NW_PTE,
			       NW_X86_RW));
	ASSERT_EQ(0, read_twice(s, RVA, 1));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_TLB_MISS));
	ASSERT_EQ(NW_OK, nw_access(s, RVA + 128, 2, NW_READ));
	EXPECT_EQ(2, nw_sim_counter(s, NW_C_TLB_MISS));
	EXPECT_EQ(env_slot_hpa(self->vm->id) + 0x20000 + 128, s->last.hpa);
	/* And back: pcid 1's entry is still there, a hit. */
	ASSERT_EQ(NW_OK, nw_access(s, RVA + 192, 1, NW_READ));
	ASSERT_EQ(NW_OK, nw_access(s, RVA + 256, 1, NW_READ));
	EXPECT_EQ(2, nw_sim_counter(s, NW_C_TLB_MISS));
	EXPECT_EQ(3, nw_sim_counter(s, NW_C_TLB_L1_HIT));
	/* An access kind that is not one is refused, hit or not. */
	EXPECT_EQ(-EINVAL, nw_access(s, RVA, 1, 3));
	EXPECT_EQ(-EINVAL, nw_access(s, RVA, 1, 0x20));
	EXPECT_EQ(-EINVAL, nw_access(s, RVA, 1, 0x100));
	/* An implicit access is a supervisor one (SDM 4.6.1). */
	EXPECT_EQ(-EINVAL, nw_access(s, RVA, 1, NW_IMPLICIT | NW_USER));
	EXPECT_EQ(3, nw_sim_counter(s, NW_C_TLB_L1_HIT));
}

/*
 * A batch counts what the same accesses one by one count: every counter,
 * and the faults, compared after each batch. Over three flushes of its memo-hit lanes, the first
 * after a run of more reads of one page than a lane of 16 bits holds;
 * then with reads, writes, fetches and user accesses to supervisor pages
 * (guest faults), two address spaces, a PCID with none (-EINVAL) and
 * unmapped pages. The trace goes in a batch of BATCH_FIRST accesses,
 * then in batches of BATCH_PART. Each batch ends with a read of one page
 * in the first space, and both simulations then take an INVLPG of it,
 * or a CR3 write to the second space that leaves the first one's entries
 * alone; the next batch starts with a read of the same page in the first
 * space, or in the second. What a batch keeps of the memo must not
 * outlive the entry, nor serve another space.
 */
#define BATCH_N		200000
#define BATCH_RUN	70000
#define BATCH_FIRST	100000
#define BATCH_PART	25000

/* Where a batch starts: 0, BATCH_FIRST, then every BATCH_PART. */
static bool batch_starts(u64 i)
{
	return i == 0 ||
	       (i >= BATCH_FIRST && (i - BATCH_FIRST) % BATCH_PART == 0);
}

static bool batch_cr3(u64 i)
{
	return i / BATCH_PART % 2;
}

/* What both simulations take after accesses [0, @i). */
static void batch_between(struct nw_sim *s, const struct nw_acc *t, u64 i)
{
	if (batch_cr3(i))
		nw_mov_cr3(s, 1, false);
	else
		nw_invlpg(s, t[i - 1].va);
}

#define BATCH_VA	0x7f0000000000ULL
#define BATCH_WS	(4ULL << 20)

static int batch_sim(struct env *e, struct nw_vm **vm)
{
	struct nw_sim_cfg cfg;
	struct nw_as *as;
	int err, pcid;

	nw_preset(NW_PRESET_SKYLAKE, &cfg);
	err = env_init(e, &cfg) ?:
	      env_vm(e, NW_MODE_EPT, 4, 4, NW_PTE, 1, vm);
	for (pcid = 0; !err && pcid < 2; pcid++)
		err = nw_as_create(*vm, pcid, &as) ?:
		      nw_as_map(as, BATCH_VA, pcid * BATCH_WS, BATCH_WS,
				NW_PTE, NW_X86_RW);
	err = err ?: nw_vm_map(*vm, 0, 2 * BATCH_WS) ?:
	      nw_vm_map(*vm, ENV_GPT_BASE, ENV_GPT_SIZE);
	if (!err)
		nw_vm_enter(e->s, *vm);
	return err;
}

TEST(batch_counts_as_single_accesses)
{
	struct nw_wl_cfg c = {
		.pattern = NW_WL_ZIPF, .base = BATCH_VA, .size = BATCH_WS,
		.theta_m = 990, .write_pct = 20, .fetch_pct = 5, .seed = 3,
	};
	struct nw_acc *t = calloc(BATCH_N, sizeof(*t));
	struct env one, batch;
	struct nw_vm *vm1, *vm2;
	u64 i, j, end, faults = 0, bfaults = 0, einval = 0, rng = 9, x;
	struct nw_wl wl;
	int k, st;

	ASSERT_NE(NULL, t);
	ASSERT_EQ(0, nw_wl_init(&wl, &c));
	nw_wl_fill(&wl, t, BATCH_N);
	nw_wl_fini(&wl);
	for (i = 0; i < BATCH_RUN; i++) {
		t[i].va = BATCH_VA + i % 64 * 64;
		t[i].kind = NW_READ;
	}
	/* Runs of accesses in the second address space, and odd ones. */
	for (i = BATCH_RUN; i < BATCH_N; i++) {
		if ((i >> 12) % 3 == 1)
			t[i].pcid = 1;
		x = nw_rng_next(&rng) % 1000;
		if (x < 4)
			t[i].kind |= NW_USER;		/* supervisor page */
		else if (x < 6)
			t[i].pcid = 7;			/* no such space */
		else if (x < 8)
			t[i].va += BATCH_WS;		/* not mapped */
	}
	for (i = 1; i < BATCH_N; i++) {
		if (!batch_starts(i))
			continue;
		t[i - 1] = (struct nw_acc){ .va = BATCH_VA, .kind = NW_READ };
		t[i] = t[i - 1];
		t[i].pcid = batch_cr3(i);
	}
	ASSERT_EQ(0, batch_sim(&one, &vm1));
	ASSERT_EQ(0, batch_sim(&batch, &vm2));
	for (i = 0; i < BATCH_N; i = end) {
		end = i ? i + BATCH_PART : BATCH_FIRST;
		if (i) {
			batch_between(one.s, t, i);
			batch_between(batch.s, t, i);
		}
		for (j = i; j < end; j++) {
			st = nw_access(one.s, t[j].va, t[j].pcid, t[j].kind);
			faults += st != NW_OK;
			einval += st == -EINVAL;
		}
		bfaults += nw_access_batch(batch.s, t + i, end - i);
		ASSERT_EQ(faults, bfaults);
		/* Braces: the handler is a statement of its own. */
		for (k = 0; k < NW_C_NR; k++) {
			ASSERT_EQ(nw_sim_counter(one.s, k),
				  nw_sim_counter(batch.s, k)) {
				TH_LOG("counter %s after access %llu",
				       nw_counter_names[k],
				       (unsigned long long)end);
			}
		}
	}
	EXPECT_LT(BATCH_N / 1000, einval);
	EXPECT_LT(BATCH_N / 200, faults);
	/* Most accesses were memo hits, which the batch adds up late. */
	EXPECT_LT(BATCH_N / 4, nw_sim_counter(batch.s, NW_C_TLB_L1_HIT));
	EXPECT_EQ(BATCH_N - einval, nw_sim_counter(batch.s, NW_C_ACCESSES));
	EXPECT_LT(BATCH_N / 2000, nw_sim_counter(batch.s, NW_C_GUEST_PF));
	env_fini(&one);
	env_fini(&batch);
	free(t);
}

TEST_HARNESS_MAIN
