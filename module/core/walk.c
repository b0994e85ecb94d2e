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
#include "sim.h"

struct walk {
	struct nw_sim *s;
	struct nw_vm *vm;
	struct nw_walk_res *r;
	u64 nref[NW_DIMS];	/* byte l: entries read at level l */
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
};

static __always_inline void view_init(struct view *v, const struct nw_mem *m)
{
	v->base = m->win.base;
	v->owned = m->win.owned;
	v->limit = m->win.limit;
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

	if (likely(ref_window(v, table, off, e, ep)))
		return true;
	*ep = nw_mem_entry_at(&w->s->mem, hpa, dim * 6 + level);
	if (!*ep)
		return false;
	*e = nw_entry_load(*ep);
	return true;
}

/*
 * Set A or D in the entry at @ep; the walk's copy of the entry gets
 * @bits from its caller (its address stays untaken: a register).
 */
static void ad_write(struct walk *w, u64 *ep, u64 bits)
{
	nw_entry_set_bits(ep, bits);
	w->nad++;
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
	if (w->nad) {
		s->cnt[NW_C_AD_WRITES] += w->nad;
		s->cnt[NW_C_MCYCLES] += (u64)w->nad * s->cost.ad_write_m;
	}
	w->r->refs = refs;
}

static u8 need_perm(unsigned int kind)
{
	switch (kind & NW_KIND_MASK) {
	case NW_WRITE:
		return NW_PERM_R | NW_PERM_W;
	case NW_FETCH:
		return NW_PERM_X;
	default:
		return NW_PERM_R;
	}
}

/* Host A/D: always in NPT (x86 format), with EPTP bit 6 in EPT. */
static __always_inline bool host_ad(const struct nw_vm *vm, const bool ept)
{
	return !ept || vm->ept_caps.ad;
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
		if (e && (e->perm & need) == need &&
		    (!(need & NW_PERM_W) || (e->flags & NW_CE_DIRTY))) {
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

/*
 * One non-leaf host level of the common case, @level a constant: the
 * entry passes the one-compare test, and the walk goes on in *@table.
 * False leaves the entry read (or *@ep NULL) for the general loop.
 */
static __always_inline bool host_step(struct walk *w, const struct view *v,
				      const struct nw_fmt *f, u64 gpa,
				      int level, u8 perm, u64 *table,
				      u64 *e, u64 **ep, const bool wc)
{
	if (unlikely(!ref(w, v, *table, pt_off(gpa, level), NW_DIM_HOST,
			  level, e, ep) ||
		     (*e & f->fast_mask[level]) != f->fast_val[level]))
		return false;
	*table = *e & f->addr;
	if (wc && w->s->hpwc.on)
		nw_pwc_fill(&w->s->hpwc, gpa, level, w->vm->htag, 0, *table,
			    perm);
	return true;
}

/*
 * GPA -> HPA through the host tables. @need: NW_PERM_* the access needs;
 * @gpt: a reference to a guest paging structure (nested TLB applies; @gpa
 * is then a table's, 4 KiB aligned). Returns the HPA, or NW_NO_HPA after
 * fault().
 */
static __always_inline u64 host_xlate(struct walk *w, const struct view *v,
				      u64 gpa, u8 need, bool gpt, int *hsize,
				      u8 *hperm, const bool ept, const bool wc)
{
	struct nw_sim *s = w->s;
	struct nw_vm *vm = w->vm;
	const struct nw_fmt *f = &vm->hfmt;
	const u64 abit = ept ? NW_EPT_A : NW_X86_A;
	const u64 dbit = ept ? NW_EPT_D : NW_X86_D;
	const bool ad = host_ad(vm, ept);
	u64 table = vm->ept.root, *ep, e = 0, addr;
	u8 perm = NW_PERM_R | NW_PERM_W | NW_PERM_X | NW_PERM_U;
	int level = vm->cfg.host_levels, top, st;

	if (wc && gpt && s->ntlb.entries &&
	    ntlb_lookup(s, vm, gpa, need, &addr, hsize, hperm))
		return addr;
	if (wc && s->hpwc.on) {
		level = nw_pwc_lookup(&s->hpwc, gpa, level, vm->htag, 0,
				      &table, &perm);
		s->cnt[level < vm->cfg.host_levels ? NW_C_HPWC_HIT :
						      NW_C_HPWC_MISS]++;
	}
	top = level;
	/*
	 * The common case unrolled, each level a constant: non-leaf entries
	 * that pass the one-compare test down to a 4 KiB leaf that needs no
	 * write and grants what is needed. Anything else goes on in the
	 * general loop with the entry just read.
	 */
	switch (level) {
	case NW_PML5E:
		if (!host_step(w, v, f, gpa, NW_PML5E, perm, &table, &e, &ep,
			       wc))
			goto entry;
		level--;
		fallthrough;
	case NW_PML4E:
		if (!host_step(w, v, f, gpa, NW_PML4E, perm, &table, &e, &ep,
			       wc))
			goto entry;
		level--;
		fallthrough;
	case NW_PDPTE:
		if (!host_step(w, v, f, gpa, NW_PDPTE, perm, &table, &e, &ep,
			       wc))
			goto entry;
		level--;
		fallthrough;
	case NW_PDE:
		if (!host_step(w, v, f, gpa, NW_PDE, perm, &table, &e, &ep,
			       wc))
			goto entry;
		level--;
		fallthrough;
	case NW_PTE:
		if (unlikely(!ref(w, v, table, pt_off(gpa, NW_PTE),
				  NW_DIM_HOST, NW_PTE, &e, &ep) ||
			     (e & f->fast_mask[NW_PTE]) !=
				    f->fast_val[NW_PTE] ||
			     (perm & need) != need ||
			     ((need & NW_PERM_W) && ad && !(e & dbit))))
			goto entry;
		count_refs(w, NW_DIM_HOST, top, NW_PTE);
		addr = e & f->addr;
		*hsize = NW_PTE;
		*hperm = perm | (!ad || (e & dbit) ? NW_PERM_D : 0);
		if (wc && gpt && s->ntlb.entries)
			ntlb_fill(s, vm, gpa, NW_PTE, addr, *hperm);
		/* A table's GPA has no offset in its page. */
		return gpt ? addr : addr + (gpa & (NW_PAGE_SIZE - 1));
	}
	for (;; level--) {
		ref(w, v, table, pt_off(gpa, level), NW_DIM_HOST, level, &e,
		    &ep);
entry:
		if (unlikely(!ep)) {
			count_refs(w, NW_DIM_HOST, top, level);
			return fault_hpa(w, NW_PHYS_FAULT, gpa, NW_DIM_HOST,
					 level);
		}
		if (level != NW_PTE &&
		    (e & f->fast_mask[level]) == f->fast_val[level]) {
			table = e & f->addr;
			if (wc && s->hpwc.on)
				nw_pwc_fill(&s->hpwc, gpa, level, vm->htag, 0,
					    table, perm);
			continue;
		}
		st = __nw_fmt_check(f, e, level, ept);
		if (unlikely(st != NW_PTE_OK)) {
			count_refs(w, NW_DIM_HOST, top, level);
			return fault_hpa(w, st == NW_PTE_NOT_PRESENT ?
					 NW_EPT_VIOLATION : NW_EPT_MISCONFIG,
					 gpa, NW_DIM_HOST, level);
		}
		perm &= __nw_fmt_perm(e, ept);
		if (ad && !(e & abit)) {
			ad_write(w, ep, abit);
			e |= abit;
		}
		/* A branch, not a select: keeps the next address one AND away. */
		if (nw_fmt_leaf(e, level))
			break;
		table = nw_fmt_addr(f, e, level, false);
		if (wc && level >= NW_PDE && s->hpwc.on)
			nw_pwc_fill(&s->hpwc, gpa, level, vm->htag, 0, table,
				    perm);
	}
	count_refs(w, NW_DIM_HOST, top, level);
	addr = nw_fmt_addr(f, e, level, true);
	if ((perm & need) != need)
		return fault_hpa(w, NW_EPT_VIOLATION, gpa, NW_DIM_HOST, level);
	if ((need & NW_PERM_W) && ad && !(e & dbit)) {
		ad_write(w, ep, dbit);
		e |= dbit;
	}
	*hsize = level;
	/* Without host A/D, nothing needs a write to find the page dirty. */
	*hperm = perm | (!ad || (e & dbit) ? NW_PERM_D : 0);
	if (wc && gpt && s->ntlb.entries)
		ntlb_fill(s, vm, gpa, level, addr, *hperm);
	return addr + (gpa & (nw_level_size(level) - 1));
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

static bool guest_perm_ok(u8 perm, unsigned int kind)
{
	if ((kind & NW_USER) && !(perm & NW_PERM_U))
		return false;
	switch (kind & NW_KIND_MASK) {
	case NW_WRITE:
		return perm & NW_PERM_W;	/* CR0.WP = 1 */
	case NW_FETCH:
		return perm & NW_PERM_X;
	default:
		return true;
	}
}

static __always_inline int guest_walk(struct walk *w, struct nw_as *as,
				      u64 va, unsigned int kind,
				      const bool nested, const bool ept,
				      const bool wc)
{
	struct nw_sim *s = w->s;
	struct nw_vm *vm = w->vm;
	struct nw_walk_res *r = w->r;
	const struct nw_pt *pt = vm->cfg.mode == NW_MODE_SHADOW ? &as->spt :
							       &as->gpt;
	const struct nw_fmt *f = &vm->gfmt;
	u64 *eps[NW_PML5E + 1];
	u64 table = 0, gpa, e = 0, addr = 0, *ep = NULL;
	u8 perm = NW_PERM_R | NW_PERM_W | NW_PERM_X | NW_PERM_U, hperm;
	int top = pt->levels, level = top, first, st, hsize;
	/* With EPT A/D, guest paging-structure accesses are EPT writes. */
	const u8 tneed = ept && vm->ept_caps.ad ? NW_PERM_R | NW_PERM_W :
						  NW_PERM_R | NW_PERM_U;
	/*
	 * Levels whose entry the walk read with A clear (entries that pass
	 * the one-compare test have it set).
	 */
	unsigned int a_clear = 0;
	struct view v;

	if (unlikely(!pt->tables))	/* shadow table not built yet */
		return fault(w, NW_GUEST_PF, va, NW_DIM_GUEST, top);
	if (wc && s->pwc.on) {
		level = nw_pwc_lookup(&s->pwc, va, top, vm->tag, as->pcid,
				      &table, &perm);
		s->cnt[level < top ? NW_C_PWC_HIT : NW_C_PWC_MISS]++;
	}
	view_init(&v, &s->mem);
	if (level == top) {
		table = table_hpa(w, &v, nested, pt->root, tneed, ept,
				  wc);
		if (table == NW_NO_HPA)
			return r->outcome;
	}
	for (first = level;; level--) {
		if (unlikely(!ref(w, &v, table, pt_off(va, level),
				  NW_DIM_GUEST, level, &e, &ep))) {
			count_refs(w, NW_DIM_GUEST, first, level);
			return fault(w, NW_PHYS_FAULT, va, NW_DIM_GUEST,
				     level);
		}
		if (likely((e & f->fast_mask[level]) == f->fast_val[level])) {
			perm &= nw_fmt_rw_us(e);
			if (level == NW_PTE)
				break;
			table = table_hpa(w, &v, nested, e & f->addr, tneed,
					  ept, wc);
			if (unlikely(table == NW_NO_HPA)) {
				count_refs(w, NW_DIM_GUEST, first, level);
				return r->outcome;
			}
			if (wc && s->pwc.on)
				nw_pwc_fill(&s->pwc, va, level, vm->tag,
					    as->pcid, table, perm);
			continue;
		}
		if (unlikely(__nw_fmt_check(f, e, level, false) !=
			     NW_PTE_OK)) {
			count_refs(w, NW_DIM_GUEST, first, level);
			return fault(w, NW_GUEST_PF, va, NW_DIM_GUEST, level);
		}
		eps[level] = ep;
		a_clear |= e & NW_X86_A ? 0 : BIT(level);
		perm &= __nw_fmt_perm(e, false);
		if (nw_fmt_leaf(e, level))
			break;
		table = table_hpa(w, &v, nested,
				  nw_fmt_addr(f, e, level, false), tneed, ept,
				  wc);
		if (table == NW_NO_HPA) {
			count_refs(w, NW_DIM_GUEST, first, level);
			return r->outcome;
		}
		if (wc && level >= NW_PDE && s->pwc.on)
			nw_pwc_fill(&s->pwc, va, level, vm->tag, as->pcid,
				    table, perm);
	}
	count_refs(w, NW_DIM_GUEST, first, level);
	if (!guest_perm_ok(perm, kind))
		return fault(w, NW_GUEST_PF, va, NW_DIM_GUEST, level);
	for (; a_clear; a_clear &= a_clear - 1) {
		st = __builtin_ctz(a_clear);
		ad_write(w, eps[st], NW_X86_A);
	}
	if ((kind & NW_KIND_MASK) == NW_WRITE && !(e & NW_X86_D)) {
		ad_write(w, ep, NW_X86_D);
		e |= NW_X86_D;
	}

	addr = nw_fmt_addr(f, e, level, true);
	gpa = addr + (va & (nw_level_size(level) - 1));
	r->guest_size = level;
	r->perm = perm;
	r->flags = (e & NW_X86_G ? NW_CE_GLOBAL : 0) |
		   (e & NW_X86_D ? NW_CE_DIRTY : 0);
	if (!nested) {
		r->hpa = gpa;
		r->host_size = level;
		r->size = level;
		return NW_OK;
	}
	r->hpa = host_xlate(w, &v, gpa, need_perm(kind), false, &hsize,
			    &hperm, ept, wc);
	if (r->hpa == NW_NO_HPA)
		return r->outcome;
	r->perm &= hperm | NW_PERM_U;
	if (!(hperm & NW_PERM_D))
		r->flags &= ~NW_CE_DIRTY;
	r->host_size = hsize;
	r->size = min_t(int, level, hsize);
	return NW_OK;
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
	const u64 dbit = ept ? NW_EPT_D : NW_X86_D;
	const bool ad = host_ad(vm, ept);
	u64 gtable, htable, e, h, gpa, *ep, *hp;
	u8 perm, hperm, need = need_perm(kind);
	struct view v;

	if (!nw_pwc_pde(&s->pwc, va, vm->tag, as->pcid, &gtable, &perm))
		return -EAGAIN;
	view_init(&v, &s->mem);
	if (!ref_window(&v, gtable, pt_off(va, NW_PTE), &e, &ep) ||
	    (e & vm->gfmt.fast_mask[NW_PTE]) != vm->gfmt.fast_val[NW_PTE])
		return -EAGAIN;
	perm &= nw_fmt_rw_us(e);
	if (!guest_perm_ok(perm, kind))
		return -EAGAIN;
	gpa = (e & vm->gfmt.addr) + (va & (NW_PAGE_SIZE - 1));
	if (!nw_pwc_pde(&s->hpwc, gpa, vm->htag, 0, &htable, &hperm))
		return -EAGAIN;
	if (!ref_window(&v, htable, pt_off(gpa, NW_PTE), &h, &hp) ||
	    (h & vm->hfmt.fast_mask[NW_PTE]) != vm->hfmt.fast_val[NW_PTE] ||
	    (hperm & need) != need ||
	    ((need & NW_PERM_W) && ad && !(h & dbit)))
		return -EAGAIN;
	/* What guest_walk() and host_xlate() find on this way. */
	s->cnt[NW_C_PWC_HIT]++;
	s->cnt[NW_C_HPWC_HIT]++;
	count_refs(w, NW_DIM_GUEST, NW_PTE, NW_PTE);
	count_refs(w, NW_DIM_HOST, NW_PTE, NW_PTE);
	if ((kind & NW_KIND_MASK) == NW_WRITE && !(e & NW_X86_D)) {
		ad_write(w, ep, NW_X86_D);
		e |= NW_X86_D;
	}
	if (!ad || (h & dbit))
		hperm |= NW_PERM_D;
	r->hpa = (h & vm->hfmt.addr) + (gpa & (NW_PAGE_SIZE - 1));
	r->guest_size = NW_PTE;
	r->host_size = NW_PTE;
	r->size = NW_PTE;
	r->perm = perm & (hperm | NW_PERM_U);
	r->flags = (e & NW_X86_G ? NW_CE_GLOBAL : 0) |
		   ((e & NW_X86_D) && (hperm & NW_PERM_D) ? NW_CE_DIRTY : 0);
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
