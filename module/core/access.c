// SPDX-License-Identifier: GPL-2.0
/*
 * The per-access path: the memo, the TLB's lookup, and on a miss a walk
 * (walk.c) whose faults the hypervisor fixes (sim.c, shadow.c), then the
 * fill. Written once for every TLB shape (tlb.h): a batch runs the loop
 * instantiated for the TLB's shape, so that the compiler keeps in each
 * copy only what that shape needs.
 */
#include "shadow.h"
#include "walk.h"

/*
 * A fix makes progress (one more GPA or shadow entry); a 2D walk needs
 * at most 6 GPAs translated, plus the shadow fill and its write upgrade.
 */
#define NW_MAX_RETRIES	8

static const u8 fault_counter[] = {
	[NW_GUEST_PF] = NW_C_GUEST_PF,
	[NW_EPT_VIOLATION] = NW_C_EPT_VIOLATION,
	[NW_EPT_MISCONFIG] = NW_C_EPT_MISCONFIG,
	[NW_PHYS_FAULT] = NW_C_PHYS_FAULT,
	[NW_GP_FAULT] = NW_C_GP_FAULT,
};

/*
 * The kinds of access below 8 TLB entry @e serves as it is in @vm, bit k
 * for kind k: the entry holds the translation's rights and key, the
 * running VM's control registers decide (SDM 4.10.2.2: what a TLB entry
 * holds; the checks of 4.6 are made on each use).
 */
static __always_inline u8 tlb_ok_kinds(const struct nw_vm *vm,
				       const struct nw_centry *e)
{
	return nw_perm_kinds(&vm->rights, e->perm, NW_CE_PKEY(e->flags),
			     e->flags & NW_CE_DIRTY);
}

/* Whether @e serves @kind as it is: the rare kinds (AC, implicit) too. */
static __always_inline bool tlb_ok(const struct nw_vm *vm,
				   const struct nw_centry *e,
				   unsigned int kind)
{
	if (likely(kind < 8))
		return tlb_ok_kinds(vm, e) >> kind & 1;
	return nw_rights_ok(&vm->cfg.cr, e->perm, NW_CE_PKEY(e->flags),
			    e->flags & NW_CE_DIRTY, kind);
}

/* A walk, its faults fixed as the hypervisor would; *@e: the new entry. */
static int walk_fixed(struct nw_sim *s, struct nw_vm *vm, struct nw_as *as,
		      u64 va, unsigned int kind, struct nw_centry *e)
{
	struct nw_walk_res *r = &s->last;
	int tries, st = NW_OK;

	for (tries = 0; tries < NW_MAX_RETRIES; tries++) {
		st = nw_walk(s, vm, as, va, kind, r);
		if (st == NW_OK) {
			/*
			 * val: the accessed 4 KiB page, which tells a level
			 * that splinters the page the part to keep (tlb.h).
			 */
			/*
			 * A guest page larger than the host's leaf is cached
			 * in parts, as a splintered one (NW_CE_PAGE()): an
			 * INVLPG anywhere in it removes them all.
			 */
			*e = (struct nw_centry){
				.key = nw_cache_key(va, r->size),
				.val = r->hpa & ~(NW_PAGE_SIZE - 1),
				.tag = vm->tag, .pcid = as->pcid,
				.perm = r->perm,
				.flags = r->flags |
					 (r->guest_size > r->size ?
					  NW_CE_PAGE(r->guest_size) : 0),
			};
			return NW_OK;
		}
		if (st == NW_EPT_VIOLATION && r->fault_dim == NW_DIM_HOST &&
		    nw_vm_fix_hole(s, vm, r->fault_addr))
			continue;
		if (st == NW_GUEST_PF && vm->cfg.mode == NW_MODE_SHADOW) {
			st = nw_shadow_fill(s, vm, as, va, kind, r);
			if (st == NW_OK)
				continue;
		}
		break;
	}
	if (st == NW_OK)	/* retries exhausted */
		st = NW_GUEST_PF;
	s->cnt[fault_counter[st]]++;
	return st;
}

/* The host address of @va in TLB entry @e, a page of @size (a level). */
static __always_inline u64 tlb_pa(const struct nw_centry *e, u64 va, int size)
{
	u64 off = nw_level_size(size) - 1;

	return (e->val & ~off) | (va & off);
}

/*
 * The data line of an access that translated to @hpa (NW_DC_DATA): a
 * fetch's from L2 on (the model has no L1i), the rest from L1d.
 */
static __always_inline void data_line(struct nw_sim *s, u64 hpa,
				      unsigned int kind)
{
	int from = (kind & NW_KIND_MASK) == NW_FETCH;

	s->cnt[NW_C_DCACHE_L1_HIT + nw_dcache_load(&s->dc, hpa, from)]++;
}

/* Hit and miss counters of either hierarchy: hits of level i, misses. */
static_assert(NW_C_TLB_MISS - NW_C_TLB_L1_HIT == NW_TLB_LEVELS &&
	      NW_C_ITLB_MISS - NW_C_ITLB_L1_HIT == NW_TLB_LEVELS,
	      "levels' hits, then misses");

/*
 * An access the memo does not settle, in hierarchy @t (the data TLB, or
 * for a fetch the instruction TLB), its lookup resumed at probe @from
 * (the probes before it missed): hits below the first level, rights the
 * entry lacks, and misses, which walk and fill.
 */
static __always_inline int access_tlb(struct nw_sim *s, struct nw_tlb *t,
				      u64 va, u16 pcid, unsigned int kind,
				      u32 from, const struct nw_tlb_shape sh)
{
	u32 set, way, cnt = t->data ? NW_C_ITLB_L1_HIT : NW_C_TLB_L1_HIT;
	struct nw_vm *vm = s->vm;
	struct nw_as *as = s->as;
	const struct nw_tlb_probe *pr;
	struct nw_centry *e, fill;
	int lv, st;
	bool ok;

	pr = __nw_tlb_lookup(t, va, vm->tag, pcid, from, nw_tlb_nchain(t, sh),
			     &e, &set, &way, sh);
	if (likely(pr)) {
		/* In a fast shape, probe i is level i: 0 or 1. */
		lv = sh.fast ? pr != t->chain : pr->lv;
		s->cnt[cnt + lv]++;
		ok = tlb_ok(vm, e, kind);
		if (ok && s->dc.mode == NW_DC_DATA)
			data_line(s, tlb_pa(e, va, nw_tlb_size(pr, sh)),
				  kind);
		if (lv)
			__nw_tlb_hit_below(t, pr, lv, e, set, way, ok, sh);
		else
			nw_tlb_set_memo(t, e, va, pr->size, as,
					tlb_ok_kinds(vm, e));
		if (likely(ok))
			return NW_OK;
		/* Rights or a first write: the walk decides, then refills. */
		s->cnt[NW_C_TLB_ASSIST]++;
		nw_cache_kill(pr->c, e);
	} else {
		s->cnt[cnt + NW_TLB_LEVELS]++;
	}
	st = walk_fixed(s, vm, as, va, kind, &fill);
	if (st != NW_OK)
		return st;
	if (s->dc.mode == NW_DC_DATA)
		data_line(s, fill.val | (va & (NW_PAGE_SIZE - 1)), kind);
	if (!__nw_tlb_fill(t, &fill, sh))
		nw_tlb_fill(t, &fill);
	return st;
}

/* Whether an access of @kind goes to the instruction TLB. */
static __always_inline bool to_itlb(const struct nw_sim *s,
				    unsigned int kind)
{
	return s->tlb.i && (kind & NW_KIND_MASK) == NW_FETCH;
}

/*
 * access_tlb() in the hierarchy that serves @kind: a fetch in the
 * instruction TLB, which takes the general shape; the rest in the data
 * TLB's shape.
 */
static int access_shape(struct nw_sim *s, u64 va, u16 pcid,
			unsigned int kind, u32 from)
{
	struct nw_tlb *t = &s->tlb;

	/* #GP: no lookup, no walk (SDM 4.5.1; 6.15 "#GP", "Non-canonical"). */
	if (unlikely(!nw_canonical(s->vm, va))) {
		s->cnt[NW_C_GP_FAULT]++;
		return NW_GP_FAULT;
	}
	if (to_itlb(s, kind))
		return access_tlb(s, t->i, va, pcid, kind, from,
				  nw_tlb_shape(NW_TLB_SLOW));
	switch (t->fast) {
	case NW_TLB_FAST_P1_O3:
		return access_tlb(s, t, va, pcid, kind, from,
				  nw_tlb_shape(NW_TLB_FAST_P1_O3));
	case NW_TLB_FAST_O1_O1:
		return access_tlb(s, t, va, pcid, kind, from,
				  nw_tlb_shape(NW_TLB_FAST_O1_O1));
	default:
		return access_tlb(s, t, va, pcid, kind, from,
				  nw_tlb_shape(NW_TLB_SLOW));
	}
}

/*
 * An access that ends on the next page (NW_CROSS): one access, counted
 * once, that translates the page it starts on and then the next one
 * (SDM 4.10.2.3); a fault of either is the access's fault, and a fault
 * of the first leaves the second untranslated.
 */
static noinline __cold int access_cross(struct nw_sim *s, u64 va, u16 pcid,
					unsigned int kind, u32 from)
{
	int st;

	kind &= ~NW_CROSS;
	if (unlikely(!nw_kind_valid(kind)))
		return -EINVAL;
	s->cnt[NW_C_READS + (kind & NW_KIND_MASK)]++;
	s->cnt[NW_C_PAGE_CROSS]++;
	st = access_shape(s, va, pcid, kind, from);
	if (st == NW_OK)
		st = access_shape(s, (va | (NW_PAGE_SIZE - 1)) + 1, pcid,
				  kind, 0);
	return st;
}

/*
 * An access the memo and the first probe did not serve, in either
 * hierarchy, its lookup resumed at probe @from.
 */
static noinline int access_slow(struct nw_sim *s, u64 va, u16 pcid,
				unsigned int kind, u32 from)
{
	if (unlikely(kind & NW_CROSS))
		return access_cross(s, va, pcid, kind, from);
	if (unlikely(!nw_kind_valid(kind)))
		return -EINVAL;
	s->cnt[NW_C_READS + (kind & NW_KIND_MASK)]++;
	return access_shape(s, va, pcid, kind, from);
}

/*
 * The memo (tlb.h) as the loop holds it in registers: the page and the
 * kinds it serves, zero when it does not serve the current space. Loaded
 * again after every call that may change the TLB.
 */
struct memo_regs {
	u64 va;
	u64 mask;
	u64 pa;			/* the page's host-physical address */
	u8 ok;
};

static __always_inline void memo_load(const struct nw_tlb *t,
				      const struct nw_as *as,
				      struct memo_regs *m)
{
	bool on = t->memo && t->memo_ctx == as && t->memo->key == t->memo_key;

	m->va = t->memo_va;
	m->mask = on ? t->memo_mask : 0;
	m->pa = on ? t->memo->val & t->memo_mask : 0;
	m->ok = on ? t->memo_ok : 0;
}

/*
 * The first probe, in the batch's loop: a first-level hit that serves
 * the access as it is (most hits) becomes the memo. Otherwise *@from is
 * where access_tlb() resumes the lookup: past the probe if it missed. A
 * non-canonical address is not looked up: access_tlb() takes its #GP.
 */
static __always_inline bool first_probe(struct nw_sim *s, struct nw_tlb *t,
					u64 va, u16 pcid, unsigned int kind,
					u32 *from, struct memo_regs *m,
					const struct nw_tlb_shape sh)
{
	const struct nw_tlb_probe *pr;
	struct nw_centry *e;
	u32 set, way, n = nw_tlb_nchain(t, sh);
	u8 ok;

	*from = 0;
	if (!n || (!sh.fast && t->chain[0].lv) || !nw_canonical(s->vm, va))
		return false;
	pr = __nw_tlb_lookup(t, va, s->vm->tag, pcid, 0, 1, &e, &set, &way,
			     sh);
	if (!pr) {
		*from = 1;
		return false;
	}
	ok = tlb_ok_kinds(s->vm, e);
	if (!(kind < 8 && (ok >> kind & 1)))
		return false;
	nw_tlb_set_memo(t, e, va, nw_tlb_size(pr, sh), s->as, ok);
	m->va = va;
	m->mask = t->memo_mask;
	m->pa = e->val & t->memo_mask;
	m->ok = t->memo_ok;
	return true;
}

/*
 * Hits by kind, in 16-bit lanes of one register (memo and first-probe
 * hits alike, every one a first-level hit): a run of hits adds to a
 * register and not, twice each, to memory. The lane of kind 3, which
 * never hits, counts the fetches among them that hit the instruction TLB.
 */
#define NW_MEMO_LANE(kind)	(1ULL << (16 * ((kind) & NW_KIND_MASK)))
#define NW_MEMO_ITLB		(NW_MEMO_LANE(NW_FETCH) | NW_MEMO_LANE(3))
#define NW_MEMO_FLUSH		0xffff	/* accesses between flushes */

static void memo_flush(struct nw_sim *s, u64 hits)
{
	u64 r = hits & 0xffff, w = hits >> 16 & 0xffff, x = hits >> 32 & 0xffff;
	u64 ix = hits >> 48;

	s->cnt[NW_C_READS] += r;
	s->cnt[NW_C_WRITES] += w;
	s->cnt[NW_C_FETCHES] += x;
	s->cnt[NW_C_TLB_L1_HIT] += r + w + x - ix;
	s->cnt[NW_C_ITLB_L1_HIT] += ix;
}

/*
 * The current space's PCID, or none (~0) when there is no current space
 * or it is not of the current VM.
 */
static __always_inline u32 batch_pcid(const struct nw_sim *s)
{
	return s->as && s->as->vm == s->vm ? s->as->pcid : ~0U;
}

static __always_inline bool memo_serves(const struct memo_regs *m, u64 va,
					unsigned int kind)
{
	/* Each test likely: most accesses of a batch end here. */
	return likely(!((va ^ m->va) & m->mask)) && likely(kind < 8) &&
	       likely(m->ok >> kind & 1);
}

/* access_other()'s outcome when the memo served the access. */
#define NW_MEMO_HIT	0x100

/*
 * An access in another space than the current one: @pcid's space of the
 * running VM becomes the current one, then the access runs as any other.
 * Returns its outcome, or NW_MEMO_HIT.
 */
static noinline __cold int access_other(struct nw_sim *s, u64 va, u16 pcid,
					unsigned int kind)
{
	struct memo_regs m;
	struct nw_as *as;

	if (!s->vm)
		return -EINVAL;
	as = nw_as_find(s->vm, pcid);
	if (!as)
		return -EINVAL;
	s->as = as;
	/* The memo is a shortcut: a fetch may do without it. */
	if (to_itlb(s, kind))
		return access_slow(s, va, pcid, kind, 0);
	memo_load(&s->tlb, as, &m);
	if (!memo_serves(&m, va, kind))
		return access_slow(s, va, pcid, kind, 0);
	if (s->dc.mode == NW_DC_DATA)
		data_line(s, m.pa | (va & ~m.mask), kind);
	return NW_MEMO_HIT;
}

/* Both hierarchies' memos, @im zero when fetches use the data TLB. */
static __always_inline void memo_load_all(const struct nw_sim *s,
					  struct memo_regs *m,
					  struct memo_regs *im)
{
	memo_load(&s->tlb, s->as, m);
	if (s->tlb.i)
		memo_load(s->tlb.i, s->as, im);
	else
		*im = (struct memo_regs){ 0 };
}

/*
 * A hit the memo @m (as it is now) served: added to *@hits in @lane and,
 * with @dd (NW_DC_DATA), its data line loaded.
 */
static __always_inline int memo_hit(struct nw_sim *s,
				    const struct memo_regs *m,
				    const struct nw_acc *a, u64 *hits,
				    u64 lane, const bool dd)
{
	*hits += lane;
	if (dd)
		data_line(s, m->pa | (a->va & ~m->mask), a->kind);
	return NW_MEMO_HIT;
}

/*
 * An access in the current space: its hierarchy's memo (the data TLB's,
 * or a fetch's in the instruction TLB), then the first probe, then the
 * rest. Returns NW_MEMO_HIT with the hit added to *@hits, or the outcome.
 */
static __always_inline int access_here(struct nw_sim *s,
				       const struct nw_acc *a, u32 pcid,
				       struct memo_regs *m,
				       struct memo_regs *im, u64 *hits,
				       const struct nw_tlb_shape sh,
				       const bool dd)
{
	u32 from;

	if (memo_serves(m, a->va, a->kind))
		return memo_hit(s, m, a, hits, NW_MEMO_LANE(a->kind), dd);
	if (to_itlb(s, a->kind)) {
		if (memo_serves(im, a->va, a->kind) ||
		    first_probe(s, s->tlb.i, a->va, pcid, a->kind, &from, im,
				nw_tlb_shape(NW_TLB_SLOW)))
			return memo_hit(s, im, a, hits, NW_MEMO_ITLB, dd);
		return access_slow(s, a->va, pcid, a->kind, from);
	}
	if (first_probe(s, &s->tlb, a->va, pcid, a->kind, &from, m, sh))
		return memo_hit(s, m, a, hits, NW_MEMO_LANE(a->kind), dd);
	return access_slow(s, a->va, pcid, a->kind, from);
}

/*
 * Accesses *@pos to @n - 1 in the shape @sh, until the TLB's shape
 * changes (a page size seen for the first time). Returns the faults;
 * *@st: the last access's outcome.
 */
static __always_inline u64 batch_shape(struct nw_sim *s,
				       const struct nw_acc *acc, u64 *pos,
				       u64 n, int *st,
				       const struct nw_tlb_shape sh,
				       const bool dd)
{
	u64 i = *pos, end, faults = 0, hits, last_i = ~0ULL;
	u32 pcid = batch_pcid(s);
	struct memo_regs m, im;
	int last = NW_OK;

	memo_load_all(s, &m, &im);
	for (; i < n; i = end) {
		end = min_t(u64, n, i + NW_MEMO_FLUSH);
		hits = 0;
		for (; i < end; i++) {
			const struct nw_acc *a = &acc[i];

			if (likely(a->pcid == pcid)) {
				last = access_here(s, a, pcid, &m, &im, &hits,
						   sh, dd);
				if (last == NW_MEMO_HIT)
					continue;
			} else {
				last = access_other(s, a->va, a->pcid, a->kind);
				pcid = batch_pcid(s);
				if (last == NW_MEMO_HIT) {
					hits += NW_MEMO_LANE(a->kind);
					last = NW_OK;
				}
			}
			last_i = i;
			faults += last != NW_OK;
			memo_load_all(s, &m, &im);
			if (unlikely(s->tlb.fast != sh.fast)) {
				end = ++i;
				break;
			}
		}
		memo_flush(s, hits);
		if (i == end && s->tlb.fast != sh.fast)
			break;
	}
	if (i > *pos)
		*st = last_i == i - 1 ? last : NW_OK;
	*pos = i;
	return faults;
}

/*
 * batch_shape() with or without the accesses' data lines: a copy for
 * each, so that the model off costs the loop nothing.
 */
static __always_inline u64 batch_lines(struct nw_sim *s,
				       const struct nw_acc *acc, u64 *pos,
				       u64 n, int *st,
				       const struct nw_tlb_shape sh)
{
	if (s->dc.mode == NW_DC_DATA)
		return batch_shape(s, acc, pos, n, st, sh, true);
	return batch_shape(s, acc, pos, n, st, sh, false);
}

/* batch_lines() of each shape, each a function of its own. */
static noinline u64 batch_p1_o3(struct nw_sim *s, const struct nw_acc *acc,
				u64 *pos, u64 n, int *st)
{
	return batch_lines(s, acc, pos, n, st,
			   nw_tlb_shape(NW_TLB_FAST_P1_O3));
}

static noinline u64 batch_o1_o1(struct nw_sim *s, const struct nw_acc *acc,
				u64 *pos, u64 n, int *st)
{
	return batch_lines(s, acc, pos, n, st,
			   nw_tlb_shape(NW_TLB_FAST_O1_O1));
}

static noinline u64 batch_slow(struct nw_sim *s, const struct nw_acc *acc,
			       u64 *pos, u64 n, int *st)
{
	return batch_lines(s, acc, pos, n, st, nw_tlb_shape(NW_TLB_SLOW));
}

static u64 batch(struct nw_sim *s, const struct nw_acc *acc, u64 n, int *st)
{
	u64 i = 0, faults = 0;

	*st = NW_OK;
	while (i < n) {
		switch (s->tlb.fast) {
		case NW_TLB_FAST_P1_O3:
			faults += batch_p1_o3(s, acc, &i, n, st);
			break;
		case NW_TLB_FAST_O1_O1:
			faults += batch_o1_o1(s, acc, &i, n, st);
			break;
		default:
			faults += batch_slow(s, acc, &i, n, st);
		}
	}
	return faults;
}

u64 nw_access_batch(struct nw_sim *s, const struct nw_acc *acc, u64 n)
{
	return batch(s, acc, n, &s->status);
}

