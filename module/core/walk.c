// SPDX-License-Identifier: GPL-2.0
/*
 * The page walkers.
 *
 * A 1D walk (native, or shadow over the shadow table) reads one entry per
 * level. The 2D walk reads every guest entry at a guest-physical address
 * that a host walk translates first: the guest's CR3, each table a guest
 * entry references, and finally the accessed GPA. Every entry read is one
 * counted reference of its dimension and level; accessed/dirty updates are
 * counted writes. Walk caches (pwc.h) let a walk skip what they hold.
 *
 * A walk never reads memory the environment did not provide: an entry
 * address that ->page() refuses ends the walk with NW_PHYS_FAULT. It takes
 * at most (G + 1) * H + G references for G guest and H host levels: 35.
 *
 * References are tallied in the walk and added to the counters once at
 * its end, which keeps the per-reference path to a load and two compares.
 */
#include "walk.h"

struct walk {
	struct nw_sim *s;
	struct nw_vm *vm;
	struct nw_walk_res *r;
	u64 nref[NW_DIMS];	/* byte l: entries read at level l */
	/* Byte i: loads served by data-cache level i (3: memory). */
	u64 nload[NW_DIMS];
	u8 nad;
};

/* Byte lanes 1..l set to 1: the levels a walk from l down to 1 reads. */
static const u64 nw_lanes[NW_PML5E + 1] = {
	0, 0x0100, 0x010100, 0x01010100, 0x0101010100, 0x010101010100,
};

/* One read at each level from @top down to @bottom. */
static __always_inline void count_refs(struct walk *w, int dim, int top,
				       int bottom)
{
	w->nref[dim] += nw_lanes[top] - nw_lanes[bottom - 1];
}

/*
 * The model's view of host memory, held in registers by the walk loops:
 * the window (see mem.h) and, through it, an entry read in a compare, a
 * bit test and a load.
 */
struct view {
	const u8 *base;
	const u8 *owned;
	u64 limit;
	struct nw_dcache *dc;	/* NULL: the data-cache model is off */
};

static __always_inline void view_init(struct view *v, struct nw_sim *s)
{
	v->base = s->mem.win.base;
	v->owned = s->mem.win.owned;
	v->limit = s->mem.win.limit;
	v->dc = s->dc.mode != NW_DC_OFF ? &s->dc : NULL;
}

/*
 * The walker's load of the entry at @hpa goes through the data caches
 * (dcache.h; Haswell's PAGE_WALKER_LOADS events count such loads by
 * where they hit): tallied by dimension and serving level.
 */
static __always_inline void walk_load(struct walk *w, const struct view *v,
				      u64 hpa, int dim)
{
	if (v->dc)
		w->nload[dim] += 1ULL << (8 * nw_dcache_load(v->dc, hpa, 0));
}

/* Byte offset of @addr's entry in a table of @level: two operations. */
static __always_inline u64 pt_off(u64 addr, int level)
{
	return (addr >> (NW_PAGE_SHIFT - 3 + 9 * (level - 1))) &
	       ((NW_PT_ENTRIES - 1) << 3);
}

/*
 * Read the entry at @table + @off into *@e and its address into *@ep;
 * false (and *@ep NULL) if the environment refuses the address. In the
 * window the load's address is (base + off) + table, one addressing
 * mode: @off comes from the walked address, known early, so the chain
 * from one entry to the next is an AND and a load.
 */
static __always_inline bool ref_window(const struct view *v, u64 table,
				       u64 off, u64 *e, u64 **ep)
{
	u64 hpa = table + off, pfn = hpa >> NW_PAGE_SHIFT;
	/* Integer sum: without a window, base is NULL and p unused. */
	const u8 *p = nw_hide_ptr((const u8 *)((unsigned long)v->base + off));

	if (likely(hpa < v->limit && v->owned[pfn])) {
		*e = nw_entry_load((const u64 *)(p + table));
		/* Apart, so that the load need not wait for this add. */
		*ep = (u64 *)(nw_hide_ptr(p) + table);
		return true;
	}
	return false;
}

static __always_inline bool ref(struct walk *w, const struct view *v,
				u64 table, u64 off, int dim, int level, u64 *e,
				u64 **ep)
{
	u64 hpa = table + off;

	if (likely(ref_window(v, table, off, e, ep))) {
		walk_load(w, v, hpa, dim);
		return true;
	}
	*ep = nw_mem_entry_at(&w->s->mem, hpa, dim * 6 + level);
	if (!*ep)
		return false;
	*e = nw_entry_load(*ep);
	walk_load(w, v, hpa, dim);
	return true;
}

/*
 * Set A or D in the entry at @ep; the walk's copy of the entry gets
 * @bits from its caller (its address stays untaken: a register).
 * Returns whether they are set in memory (nw_entry_set_bits()).
 */
static bool ad_write(struct walk *w, u64 *ep, u64 bits)
{
	w->nad++;
	return nw_entry_set_bits(ep, bits);
}

static int fault(struct walk *w, int outcome, u64 addr, int dim, int level)
{
	w->r->outcome = outcome;
	w->r->fault_addr = addr;
	w->r->fault_dim = dim;
	w->r->fault_level = level;
	return outcome;
}

/* Translations return an address, or this after fault() (r->outcome). */
#define NW_NO_HPA	(~0ULL)

static u64 fault_hpa(struct walk *w, int outcome, u64 addr, int dim,
		     int level)
{
	fault(w, outcome, addr, dim, level);
	return NW_NO_HPA;
}

static void commit(struct walk *w)
{
	struct nw_sim *s = w->s;
	u64 g = w->nref[NW_DIM_GUEST], h = w->nref[NW_DIM_HOST];
	/* The sum of all bytes lands in the top one (each lane <= 7). */
	u64 refs = ((g + h) * 0x0101010101010101ULL) >> 56;

	s->lanes[NW_DIM_GUEST] += g;
	s->lanes[NW_DIM_HOST] += h;
	if (unlikely(++s->lanes_walks == NW_LANE_WALKS))
		nw_sim_fold_lanes(s);
	s->cnt[NW_C_WALK_REFS] += refs;
	s->walk_hist[min_t(u64, refs, NW_WALK_REFS_MAX)]++;
	if (w->nad)
		nw_charge_ad_writes(s->cnt, &s->cost, w->nad);
	if (w->nload[NW_DIM_GUEST] | w->nload[NW_DIM_HOST]) {
		bool fetch = (w->r->kind & NW_KIND_MASK) == NW_FETCH;

		nw_charge_loads(s->cnt, s->dc.lat_m, NW_DIM_GUEST, fetch,
				w->nload[NW_DIM_GUEST]);
		nw_charge_loads(s->cnt, s->dc.lat_m, NW_DIM_HOST, fetch,
				w->nload[NW_DIM_HOST]);
	}
	w->r->refs = refs;
}

/* Host A/D: always in NPT (x86 format), with EPTP bit 6 in EPT. */
static __always_inline bool host_ad(const struct nw_vm *vm, const bool ept)
{
	return !ept || vm->ept_caps.ad;
}

/*
 * Whether a host leaf @e counts as dirty: without host A/D nothing needs
 * a write to find the page dirty.
 */
static __always_inline bool host_dirty(const struct nw_vm *vm, u64 e,
				       const bool ept)
{
	return !host_ad(vm, ept) || (e & (ept ? NW_EPT_D : NW_X86_D));
}

/* The rights of a host walk's leaf, NW_PERM_D when it is dirty. */
static __always_inline u8 host_perm(const struct nw_vm *vm, u64 e, u8 perm,
				    const bool ept)
{
	return perm | (host_dirty(vm, e, ept) ? NW_PERM_D : 0);
}

static bool ntlb_lookup(struct nw_sim *s, struct nw_vm *vm, u64 gpa, u8 need,
			u64 *hpa, int *hsize, u8 *hperm)
{
	int size;

	for (size = NW_PTE; size <= NW_PDPTE; size++) {
		struct nw_centry *e;

		if (!(s->ntlb_present & BIT(size)))
			continue;
		e = nw_cache_lookup(&s->ntlb, nw_cache_key(gpa, size),
				    vm->htag, 0);
		if (e && nw_perm_allows(e->perm, need,
					e->flags & NW_CE_DIRTY)) {
			s->cnt[NW_C_NTLB_HIT]++;
			*hpa = e->val + (gpa & (nw_level_size(size) - 1));
			*hsize = size;
			*hperm = e->perm;
			return true;
		}
	}
	s->cnt[NW_C_NTLB_MISS]++;
	return false;
}

/* Cache a guest-physical mapping; @hperm as host_xlate() returns it. */
static void ntlb_fill(struct nw_sim *s, struct nw_vm *vm, u64 gpa, int level,
		      u64 addr, u8 hperm)
{
	struct nw_centry *ce;

	if (!(s->ntlb.sizes & BIT(level)))
		return;
	s->ntlb_present |= BIT(level);
	ce = nw_cache_insert(&s->ntlb, nw_cache_key(gpa, level), vm->htag, 0,
			     NULL);
	ce->val = addr;
	ce->perm = hperm & ~NW_PERM_D;
	ce->flags = hperm & NW_PERM_D ? NW_CE_DIRTY : 0;
}

/* What a step of a walk found, besides a fault outcome (enum nw_outcome). */
#define NW_STEP_TABLE	(-1)	/* a table entry: the walk goes on */
#define NW_STEP_LEAF	(-2)	/* a leaf: the walk ends there */

/*
 * One level of a host walk (SDM 28.3.2; APM 15.25 for NPT): read the
 * entry of @gpa in *@table and check it. A table entry puts the next
 * table in *@table, a leaf stays in *@e (at *@ep); *@perm keeps the
 * rights of the levels so far. The common entry passes one compare
 * (nw_fmt_fast(): present with every right, A set where the walk sets
 * it, nothing reserved); any other is checked in full. With A/D on, a
 * table entry used gets A at once, and the walk cache an entry only if
 * A is then 1 in memory (SDM 4.10.3.1; for EPT 29.3.5 and 29.4.3).
 */
static __always_inline int host_step(struct walk *w, const struct view *v,
				     u64 gpa, int level, u64 *table, u8 *perm,
				     u64 *e, u64 **ep, const bool ept,
				     const bool wc)
{
	struct nw_vm *vm = w->vm;
	const struct nw_fmt *f = &vm->hfmt;
	const u64 abit = ept ? NW_EPT_A : NW_X86_A;
	bool cache = true;
	int st;

	if (unlikely(!ref(w, v, *table, pt_off(gpa, level), NW_DIM_HOST,
			  level, e, ep)))
		return NW_PHYS_FAULT;
	if (likely((*e & f->fast_mask[level]) == f->fast_val[level])) {
		if (level == NW_PTE)
			return NW_STEP_LEAF;
		*table = *e & f->addr;
	} else {
		st = __nw_fmt_check(f, *e, level, ept);
		if (unlikely(st != NW_PTE_OK))
			return st == NW_PTE_NOT_PRESENT ? NW_EPT_VIOLATION :
							  NW_EPT_MISCONFIG;
		*perm &= __nw_fmt_perm(*e, ept);
		if (host_ad(vm, ept) && !(*e & abit)) {
			cache = ad_write(w, *ep, abit);
			*e |= abit;
		}
		/* A branch, not a select: the next address one AND away. */
		if (nw_fmt_leaf(*e, level))
			return NW_STEP_LEAF;
		*table = nw_fmt_addr(f, *e, level, false);
	}
	if (wc && w->s->hpwc.on && likely(cache))
		nw_pwc_fill(&w->s->hpwc, gpa, level, vm->htag, 0, *table,
			    *perm);
	return NW_STEP_TABLE;
}

/*
 * The end of a host walk at the leaf @e (at @ep, @level): the access's
 * rights, the dirty flag a write sets, the nested TLB's fill.
 */
static __always_inline u64 host_leaf(struct walk *w, u64 gpa, int level,
				     u64 e, u64 *ep, u8 perm, u8 need,
				     bool gpt, int *hsize, u8 *hperm,
				     const bool ept, const bool wc)
{
	struct nw_vm *vm = w->vm;
	u64 addr = nw_fmt_addr(&vm->hfmt, e, level, true);

	if (unlikely(!nw_perm_allows(perm, need, true)))
		return fault_hpa(w, NW_EPT_VIOLATION, gpa, NW_DIM_HOST, level);
	if ((need & NW_PERM_W) && !host_dirty(vm, e, ept)) {
		ad_write(w, ep, ept ? NW_EPT_D : NW_X86_D);
		e |= ept ? NW_EPT_D : NW_X86_D;
	}
	*hsize = level;
	*hperm = host_perm(vm, e, perm, ept);
	if (wc && gpt && w->s->ntlb.entries)
		ntlb_fill(w->s, vm, gpa, level, addr, *hperm);
	return addr + (gpa & (nw_level_size(level) - 1));
}

/*
 * GPA -> HPA through the host tables. @need: NW_PERM_* the access needs;
 * @gpt: a reference to a guest paging structure (nested TLB applies; @gpa
 * is then a table's, 4 KiB aligned). Returns the HPA, or NW_NO_HPA after
 * fault(). The levels' loop is unrolled: in each step the level is a
 * constant, and a walk that starts below the top (a walk-cache hit)
 * skips the steps above it.
 */
static __always_inline u64 host_xlate(struct walk *w, const struct view *v,
				      u64 gpa, u8 need, bool gpt, int *hsize,
				      u8 *hperm, const bool ept, const bool wc)
{
	struct nw_sim *s = w->s;
	struct nw_vm *vm = w->vm;
	u64 table = vm->ept.root, *ep = NULL, e = 0, addr;
	u8 perm = NW_PERM_R | NW_PERM_W | NW_PERM_X | NW_PERM_U;
	int level, top = vm->cfg.host_levels, st = NW_PHYS_FAULT;

	if (wc && gpt && s->ntlb.entries &&
	    ntlb_lookup(s, vm, gpa, need, &addr, hsize, hperm))
		return addr;
	if (wc && s->hpwc.on) {
		level = nw_pwc_lookup(&s->hpwc, gpa, top, vm->htag, 0,
				      &table, &perm);
		s->cnt[level < top ? NW_C_HPWC_HIT : NW_C_HPWC_MISS]++;
		top = level;
	}
	NW_UNROLL(NW_PML5E)
	for (level = NW_PML5E; level >= NW_PTE; level--) {
		if (level > top)
			continue;
		st = host_step(w, v, gpa, level, &table, &perm, &e, &ep, ept,
			       wc);
		if (st != NW_STEP_TABLE) {
			count_refs(w, NW_DIM_HOST, top, level);
			break;
		}
	}
	if (st != NW_STEP_LEAF)
		return fault_hpa(w, st, gpa, NW_DIM_HOST, level);
	/* The common leaf, a 4 KiB page, with its level a constant. */
	if (likely(level == NW_PTE))
		return host_leaf(w, gpa, NW_PTE, e, ep, perm, need, gpt, hsize,
				 hperm, ept, wc);
	return host_leaf(w, gpa, level, e, ep, perm, need, gpt, hsize, hperm,
			 ept, wc);
}

/*
 * Where the guest's tables are read from: HPA tables in native and shadow
 * mode, or GPA tables translated by host walks in nested mode.
 */
static __always_inline u64 table_hpa(struct walk *w, const struct view *v,
				     bool nested, u64 gpa, u8 need,
				     const bool ept, const bool wc)
{
	int hsize;
	u8 hperm;

	if (!nested)
		return gpa;
	return host_xlate(w, v, gpa, need, true, &hsize, &hperm, ept, wc);
}

/* What a guest walk carries from level to level. */
struct gwalk {
	struct nw_as *as;
	u64 va;
	u64 table;		/* HPA of the table of the current level */
	u64 e;			/* the entry read, at ep */
	u64 *ep;
	bool leaf_a;		/* the leaf's A needs setting */
	u8 kind;		/* the access */
	u8 perm;		/* rights of the levels so far */
	u8 tneed;		/* what reading a guest table needs of the host */
};

/* A guest #PF at @level; @pfec: NW_PFEC_P and RSVD as the entry says. */
static int guest_pf(struct walk *w, const struct gwalk *g, int level,
		    u8 pfec)
{
	w->r->pfec = nw_pfec(&w->vm->cfg.cr, g->kind, pfec, g->perm,
			     NW_X86_PKEY(g->e));
	return fault(w, NW_GUEST_PF, g->va, NW_DIM_GUEST, level);
}

/*
 * One level of a guest walk (SDM 4.5): read the entry of @g->va and
 * check it, then translate the next table's address (nested: a host
 * walk). The common entry passes one compare (nw_fmt_fast(): present,
 * A set, nothing reserved, R/W and U/S as they are); any other is
 * checked in full. A table entry is used once it passed: it gets A at
 * once, whatever happens below it (SDM 4.8), and the walk cache holds it
 * only if A is then 1 in memory (SDM 4.10.3.1). A leaf gets A only if
 * the access may use the translation (guest_leaf()).
 * Returns NW_STEP_TABLE, NW_STEP_LEAF or, after fault(), an outcome.
 */
static __always_inline int guest_step(struct walk *w, const struct view *v,
				      struct gwalk *g, int level,
				      const bool nested, const bool ept,
				      const bool wc)
{
	struct nw_vm *vm = w->vm;
	const struct nw_fmt *f = &vm->gfmt;
	bool cache = true;
	int st;
	u64 next;

	if (unlikely(!ref(w, v, g->table, pt_off(g->va, level), NW_DIM_GUEST,
			  level, &g->e, &g->ep)))
		return fault(w, NW_PHYS_FAULT, g->va, NW_DIM_GUEST, level);
	if (likely((g->e & f->fast_mask[level]) == f->fast_val[level])) {
		g->perm &= nw_fmt_rw_us(g->e);
		if (level == NW_PTE)
			return NW_STEP_LEAF;
		next = g->e & f->addr;
	} else {
		st = __nw_fmt_check(f, g->e, level, false);
		if (unlikely(st != NW_PTE_OK))
			return guest_pf(w, g, level, st == NW_PTE_RSVD ?
					NW_PFEC_P | NW_PFEC_RSVD : 0);
		g->perm &= __nw_fmt_perm(g->e, false);
		if (nw_fmt_leaf(g->e, level)) {
			g->leaf_a = !(g->e & NW_X86_A);
			return NW_STEP_LEAF;
		}
		if (!(g->e & NW_X86_A))
			cache = ad_write(w, g->ep, NW_X86_A);
		next = nw_fmt_addr(f, g->e, level, false);
	}
	g->table = table_hpa(w, v, nested, next, g->tneed, ept, wc);
	if (unlikely(g->table == NW_NO_HPA))
		return w->r->outcome;
	if (wc && w->s->pwc.on && likely(cache))
		nw_pwc_fill(&w->s->pwc, g->va, level, vm->tag, g->as->pcid,
			    g->table, g->perm);
	return NW_STEP_TABLE;
}

/*
 * The end of a guest walk at its leaf (@level): the access's rights under
 * the guest's control registers (nw_rights_ok()), the leaf's A and, for
 * a write, D (SDM 4.8: set before a translation is cached, 4.10.2.1), and
 * in nested mode the host walk of the data's GPA.
 */
static __always_inline int guest_leaf(struct walk *w, const struct view *v,
				      struct gwalk *g, int level,
				      unsigned int kind, const bool nested,
				      const bool ept, const bool wc)
{
	struct nw_walk_res *r = w->r;
	unsigned int pkey = NW_X86_PKEY(g->e);
	u64 gpa;
	u8 hperm;
	int hsize;

	if (!nw_rights_ok(&w->vm->cfg.cr, g->perm, pkey, true, kind))
		return guest_pf(w, g, level, NW_PFEC_P);
	if (g->leaf_a)
		ad_write(w, g->ep, NW_X86_A);
	if ((kind & NW_KIND_MASK) == NW_WRITE && !(g->e & NW_X86_D)) {
		ad_write(w, g->ep, NW_X86_D);
		g->e |= NW_X86_D;
	}
	gpa = nw_fmt_addr(&w->vm->gfmt, g->e, level, true) +
	      (g->va & (nw_level_size(level) - 1));
	r->guest_size = level;
	r->perm = g->perm;
	r->flags = (g->e & NW_X86_G ? NW_CE_GLOBAL : 0) |
		   (g->e & NW_X86_D ? NW_CE_DIRTY : 0) |
		   pkey << NW_CE_PKEY_SHIFT;
	if (!nested) {
		r->hpa = gpa;
		r->host_size = level;
		r->size = level;
		return NW_OK;
	}
	r->hpa = host_xlate(w, v, gpa, nw_perm_need(kind & ~NW_USER), false,
			    &hsize, &hperm, ept, wc);
	if (r->hpa == NW_NO_HPA)
		return r->outcome;
	r->perm &= hperm | NW_PERM_U;
	if (!(hperm & NW_PERM_D))
		r->flags &= ~NW_CE_DIRTY;
	r->host_size = hsize;
	r->size = min_t(int, level, hsize);
	return NW_OK;
}

static __always_inline int guest_walk(struct walk *w, struct nw_as *as,
				      u64 va, unsigned int kind,
				      const bool nested, const bool ept,
				      const bool wc)
{
	struct nw_sim *s = w->s;
	struct nw_vm *vm = w->vm;
	const struct nw_pt *pt = vm->cfg.mode == NW_MODE_SHADOW ? &as->spt :
							       &as->gpt;
	int top = pt->levels, level = top, first, st;
	/*
	 * The host checks the guest's own table reads as user accesses, and
	 * as writes where the processor may set A/D in them: with EPT A/D
	 * (SDM 29.3.3.2) and always with NPT (AMD APM vol. 2, 15.25.5; KVM's
	 * FNAME(walk_addr_generic): nested_access is a user write).
	 */
	struct gwalk g = {
		.as = as, .va = va, .kind = kind,
		.perm = NW_PERM_R | NW_PERM_W | NW_PERM_X | NW_PERM_U,
		.tneed = host_ad(vm, ept) ? NW_PERM_R | NW_PERM_W | NW_PERM_U :
					    NW_PERM_R | NW_PERM_U,
	};
	struct view v;

	if (unlikely(!pt->tables))	/* shadow table not built yet */
		return guest_pf(w, &g, top, 0);
	if (wc && s->pwc.on) {
		level = nw_pwc_lookup(&s->pwc, va, top, vm->tag, as->pcid,
				      &g.table, &g.perm);
		s->cnt[level < top ? NW_C_PWC_HIT : NW_C_PWC_MISS]++;
	}
	view_init(&v, s);
	if (level == top) {
		g.table = table_hpa(w, &v, nested, pt->root, g.tneed, ept, wc);
		if (g.table == NW_NO_HPA)
			return w->r->outcome;
	}
	for (first = level;; level--) {
		st = guest_step(w, &v, &g, level, nested, ept, wc);
		if (st == NW_STEP_TABLE)
			continue;
		count_refs(w, NW_DIM_GUEST, first, level);
		if (st != NW_STEP_LEAF)
			return st;
		return guest_leaf(w, &v, &g, level, kind, nested, ept, wc);
	}
}

/*
 * The common miss of a cached workload in nested mode, in short: the
 * guest's and the host's PDE caches both hold the way to a 4 KiB leaf,
 * both leaves pass the one-compare test and grant the access, and only a
 * guest dirty flag may need setting. The outcome, references and counts
 * are the full walk's. Returns -EAGAIN when any of this does not hold,
 * with nothing changed but the two caches' LRU touches of their hits,
 * which the full walk then repeats to the same effect.
 */
static __always_inline int quick_2d(struct walk *w, struct nw_as *as, u64 va,
				    unsigned int kind, const bool ept)
{
	struct nw_sim *s = w->s;
	struct nw_vm *vm = w->vm;
	struct nw_walk_res *r = w->r;
	u64 gtable, htable, e, h, gpa, *ep, *hp;
	u8 perm, hperm, need = nw_perm_need(kind & ~NW_USER);
	struct view v;

	if (!nw_pwc_pde(&s->pwc, va, vm->tag, as->pcid, &gtable, &perm))
		return -EAGAIN;
	view_init(&v, s);
	if (!ref_window(&v, gtable, pt_off(va, NW_PTE), &e, &ep) ||
	    (e & vm->gfmt.fast_mask[NW_PTE]) != vm->gfmt.fast_val[NW_PTE])
		return -EAGAIN;
	perm &= nw_fmt_rw_us(e);
	if (!nw_rights_ok(&vm->cfg.cr, perm, NW_X86_PKEY(e), true, kind))
		return -EAGAIN;
	gpa = (e & vm->gfmt.addr) + (va & (NW_PAGE_SIZE - 1));
	if (!nw_pwc_pde(&s->hpwc, gpa, vm->htag, 0, &htable, &hperm))
		return -EAGAIN;
	if (!ref_window(&v, htable, pt_off(gpa, NW_PTE), &h, &hp) ||
	    (h & vm->hfmt.fast_mask[NW_PTE]) != vm->hfmt.fast_val[NW_PTE] ||
	    !nw_perm_allows(hperm, need, host_dirty(vm, h, ept)))
		return -EAGAIN;
	/* What guest_walk() and host_xlate() find on this way. */
	s->cnt[NW_C_PWC_HIT]++;
	s->cnt[NW_C_HPWC_HIT]++;
	count_refs(w, NW_DIM_GUEST, NW_PTE, NW_PTE);
	count_refs(w, NW_DIM_HOST, NW_PTE, NW_PTE);
	walk_load(w, &v, gtable + pt_off(va, NW_PTE), NW_DIM_GUEST);
	walk_load(w, &v, htable + pt_off(gpa, NW_PTE), NW_DIM_HOST);
	if ((kind & NW_KIND_MASK) == NW_WRITE && !(e & NW_X86_D)) {
		ad_write(w, ep, NW_X86_D);
		e |= NW_X86_D;
	}
	hperm = host_perm(vm, h, hperm, ept);
	r->hpa = (h & vm->hfmt.addr) + (gpa & (NW_PAGE_SIZE - 1));
	r->guest_size = NW_PTE;
	r->host_size = NW_PTE;
	r->size = NW_PTE;
	r->perm = perm & (hperm | NW_PERM_U);
	r->flags = (e & NW_X86_G ? NW_CE_GLOBAL : 0) |
		   ((e & NW_X86_D) && (hperm & NW_PERM_D) ? NW_CE_DIRTY : 0) |
		   NW_X86_PKEY(e) << NW_CE_PKEY_SHIFT;
	return NW_OK;
}

/* Any paging-structure cache or nested TLB that a walk may use. */
static bool walk_caches(const struct nw_sim *s)
{
	return s->pwc.on || s->hpwc.on || s->ntlb.entries;
}

/*
 * A nested walk: quick_2d() first when walk caches are on, and with none
 * on, the copy of the walker that tests none at each of its references
 * (a run that measures the whole two-dimensional walk).
 */
static __always_inline int walk_2d(struct walk *w, struct nw_as *as, u64 va,
				   unsigned int kind, const bool ept)
{
	if (!walk_caches(w->s))
		return guest_walk(w, as, va, kind, true, ept, false);
	if (!quick_2d(w, as, va, kind, ept))
		return NW_OK;
	return guest_walk(w, as, va, kind, true, ept, true);
}

int nw_walk(struct nw_sim *s, struct nw_vm *vm, struct nw_as *as, u64 va,
	    unsigned int kind, struct nw_walk_res *r)
{
	struct walk w = { .s = s, .vm = vm, .r = r };
	int st;

	memset(r, 0, sizeof(*r));
	r->kind = kind;
	s->cnt[NW_C_WALKS]++;
	/* One specialised copy of the walker per format combination. */
	if (vm->cfg.mode == NW_MODE_EPT)
		st = walk_2d(&w, as, va, kind, true);
	else if (vm->cfg.mode == NW_MODE_NPT)
		st = walk_2d(&w, as, va, kind, false);
	else
		st = guest_walk(&w, as, va, kind, false, false, true);
	commit(&w);
	return st;
}

void nw_walk_prepare(struct nw_vm *vm)
{
	nw_fmt_x86(&vm->gfmt, &vm->guest_caps);
	/* Guest entries: supervisor and read-only ones are common. */
	nw_fmt_fast(&vm->gfmt, NW_X86_A, true);
	if (vm->cfg.mode == NW_MODE_EPT) {
		nw_fmt_ept(&vm->hfmt, &vm->ept_caps);
		nw_fmt_fast(&vm->hfmt, vm->ept_caps.ad ? NW_EPT_A : 0, false);
	} else {
		nw_fmt_x86(&vm->hfmt, &vm->host_caps);
		nw_fmt_fast(&vm->hfmt, NW_X86_A, false);
	}
}
