// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated CPU: VMs, address spaces, and the per-access path.
 *
 * An access probes the TLB levels; a miss walks (walk.c) and fills the
 * TLB. Faults the hypervisor would fix are fixed here and the walk retried,
 * each fix costing a VM exit: an EPT violation inside a memslot maps the
 * GPA with the largest leaf the host backing allows (KVM's rule, capped by
 * the VM's policy), and in shadow mode a missing shadow entry is filled
 * from the guest's tables (shadow.c).
 */
#include "sim.h"

/* A fix makes progress (one more GPA or shadow entry); a 2D walk needs
 * at most 6 GPAs translated, plus the shadow fill and its write upgrade.
 */
#define NW_MAX_RETRIES	8

/* Host-physical table space: EPT, NPT and shadow tables. */
static u64 *host_entry(void *ctx, u64 hpa)
{
	struct nw_sim *s = ctx;

	return nw_mem_entry(&s->mem, hpa);
}

static int host_alloc(void *ctx, u64 *hpa)
{
	struct nw_sim *s = ctx;

	return nw_mem_alloc_table(&s->mem, hpa);
}

static bool host_free(void *ctx, u64 hpa)
{
	struct nw_sim *s = ctx;

	nw_mem_free_table(&s->mem, hpa);
	return true;
}

static bool nested(const struct nw_vm *vm)
{
	return vm->cfg.mode == NW_MODE_EPT || vm->cfg.mode == NW_MODE_NPT;
}

/* Guest-physical table space: guest page tables, reached via memslots. */
static u64 *guest_entry(void *ctx, u64 gpa)
{
	struct nw_vm *vm = ctx;
	struct nw_sim *s = vm->sim;
	u64 hpa;
	int level;

	if (vm->cfg.mode == NW_MODE_NATIVE)
		return nw_mem_entry(&s->mem, gpa);
	if (s->mem.ops->backing(s->mem.ctx, vm->id, gpa, &hpa, &level))
		return NULL;
	return nw_mem_entry(&s->mem, hpa);
}

/*
 * A table page of the gpt region, zeroed from its first byte. Which pages
 * are free is known from kernel memory only (gpt.h): nothing read from
 * guest memory decides where the model writes.
 */
static int guest_alloc(void *ctx, u64 *gpa)
{
	struct nw_vm *vm = ctx;
	u64 *page;
	int err;

	if (vm->cfg.mode == NW_MODE_NATIVE)
		return nw_mem_alloc_table(&vm->sim->mem, gpa);
	err = nw_gpt_pool_get(&vm->gpt_pool, gpa);
	if (err)
		return err;
	page = guest_entry(vm, *gpa);
	if (!page) {
		nw_gpt_pool_put(&vm->gpt_pool, *gpa);
		return -EFAULT;
	}
	memset(page, 0, NW_PAGE_SIZE);
	return 0;
}

/* @gpa comes from a guest entry: the pool takes only its own pages. */
static bool guest_free(void *ctx, u64 gpa)
{
	struct nw_vm *vm = ctx;

	if (vm->cfg.mode == NW_MODE_NATIVE) {
		nw_mem_free_table(&vm->sim->mem, gpa);
		return true;
	}
	return nw_gpt_pool_put(&vm->gpt_pool, gpa);
}

static void guest_wrote(void *ctx, u64 gpa)
{
	struct nw_vm *vm = ctx;

	if (vm->cfg.mode == NW_MODE_SHADOW)
		nw_shadow_wrote(vm, gpa);
}

struct nw_sim *nw_sim_create(const struct nw_sim_cfg *cfg,
			     const struct nw_mem_ops *ops, void *ctx,
			     int *err)
{
	struct nw_sim *s = nw_zalloc(sizeof(*s));
	int lv;

	*err = -ENOMEM;
	if (!s)
		return NULL;
	nw_mem_init(&s->mem, ops, ctx);
	s->hspace.entry = host_entry;
	s->hspace.alloc = host_alloc;
	s->hspace.free = host_free;
	s->hspace.ctx = s;
	s->cost = cfg->cost;
	*err = nw_tlb_init(&s->tlb, &cfg->tlb, cfg->seed);
	if (*err)
		goto err_free;
	*err = nw_pwc_init(&s->pwc, &cfg->pwc, cfg->seed + 100);
	if (*err)
		goto err_tlb;
	*err = nw_pwc_init(&s->hpwc, &cfg->hpwc, cfg->seed + 200);
	if (*err)
		goto err_pwc;
	*err = nw_cache_init(&s->ntlb, &cfg->ntlb, cfg->seed + 300);
	if (*err)
		goto err_hpwc;
	for (lv = 0; lv < s->tlb.nlevels; lv++)
		s->lat_sum[lv] = (lv ? s->lat_sum[lv - 1] : 0) +
				 s->tlb.l[lv].lat_m;
	s->lat_sum[lv] = lv ? s->lat_sum[lv - 1] : 0;
	return s;

err_hpwc:
	nw_pwc_free(&s->hpwc);
err_pwc:
	nw_pwc_free(&s->pwc);
err_tlb:
	nw_tlb_free(&s->tlb);
err_free:
	nw_free(s);
	return NULL;
}

void nw_sim_destroy(struct nw_sim *s)
{
	int i;

	if (!s)
		return;
	for (i = 0; i < NW_MAX_VMS; i++)
		if (s->vms[i])
			nw_vm_destroy(s->vms[i]);
	nw_cache_free(&s->ntlb);
	nw_pwc_free(&s->hpwc);
	nw_pwc_free(&s->pwc);
	nw_tlb_free(&s->tlb);
	nw_free(s);
}

void nw_sim_reset_counters(struct nw_sim *s)
{
	memset(s->cnt, 0, sizeof(s->cnt));
	memset(s->lanes, 0, sizeof(s->lanes));
	s->lanes_walks = 0;
	memset(s->walk_hist, 0, sizeof(s->walk_hist));
}

/* Reads at level @l of dimension @d not yet folded into cnt[]. */
static u64 lane(const struct nw_sim *s, int d, int l)
{
	return (s->lanes[d] >> 8 * l) & 0xff;
}

void nw_sim_fold_lanes(struct nw_sim *s)
{
	int d, l;

	for (d = 0; d < NW_DIMS; d++) {
		for (l = NW_PTE; l <= NW_PML5E; l++) {
			u64 n = lane(s, d, l);

			s->cnt[NW_C_GUEST_REFS_L1 + 5 * d + l - 1] += n;
			s->cnt[NW_C_MCYCLES] += n * s->cost.ref_m[d][l];
		}
		s->lanes[d] = 0;
	}
	s->lanes_walks = 0;
}

u64 nw_sim_counter(struct nw_sim *s, enum nw_counter c)
{
	u64 n = 0;
	int i, a;

	switch (c) {
	case NW_C_PAGES_4K:
	case NW_C_PAGES_2M:
	case NW_C_PAGES_1G:
		for (i = 0; i < NW_MAX_VMS; i++)
			if (s->vms[i] && nested(s->vms[i]))
				n += s->vms[i]->ept.leaves[NW_PTE + c -
							   NW_C_PAGES_4K];
		return n;
	case NW_C_SHADOW_PAGES:
		for (i = 0; i < NW_MAX_VMS; i++)
			for (a = 0; s->vms[i] && a < NW_MAX_AS; a++)
				n += s->vms[i]->as[a].spt.tables;
		return n;
	case NW_C_ACCESSES:
		return s->cnt[NW_C_READS] + s->cnt[NW_C_WRITES] +
		       s->cnt[NW_C_FETCHES];
	case NW_C_MCYCLES:
		/* Probe latencies: counted once here, not per access. */
		n = s->cnt[NW_C_MCYCLES] +
		    s->cnt[NW_C_TLB_MISS] * s->lat_sum[s->tlb.nlevels];
		for (i = 0; i < s->tlb.nlevels; i++)
			n += s->cnt[NW_C_TLB_L1_HIT + i] * s->lat_sum[i];
		for (i = 0; i < NW_DIMS; i++)
			for (a = NW_PTE; a <= NW_PML5E; a++)
				n += lane(s, i, a) * s->cost.ref_m[i][a];
		return n;
	case NW_C_GUEST_REFS_L1 ... NW_C_HOST_REFS_L5:
		i = c - NW_C_GUEST_REFS_L1;
		return s->cnt[c] + lane(s, i / 5, i % 5 + 1);
	default:
		return c < NW_C_NR ? s->cnt[c] : 0;
	}
}

/* Forget every cached translation that carries @vm's tags. */
static void vm_flush_caches(struct nw_sim *s, struct nw_vm *vm, bool host)
{
	struct nw_inval f = {
		.tag = vm->tag, .tag_mask = ~0U, .any_pcid = true,
		.globals = true, .any_addr = true,
	};

	nw_tlb_inval(&s->tlb, &f);
	nw_pwc_inval(&s->pwc, &f);
	if (!host || !vm->eptp_tag)
		return;
	f.tag = vm->htag;
	nw_pwc_inval(&s->hpwc, &f);
	nw_cache_inval(&s->ntlb, &f);
}

int nw_vm_create(struct nw_sim *s, const struct nw_vm_cfg *cfg,
		 struct nw_vm **out)
{
	struct nw_vm *vm;
	int slot, err;

	if (cfg->mode > NW_MODE_SHADOW ||
	    (cfg->guest_levels != 4 && cfg->guest_levels != 5) ||
	    (cfg->mode != NW_MODE_NATIVE && cfg->mode != NW_MODE_SHADOW &&
	     cfg->host_levels != 4 && cfg->host_levels != 5) ||
	    cfg->max_level < NW_PTE || cfg->max_level > NW_PDPTE ||
	    ((cfg->gpt_base | cfg->gpt_size) & (NW_PAGE_SIZE - 1)))
		return -EINVAL;
	for (slot = 0; slot < NW_MAX_VMS && s->vms[slot]; slot++)
		;
	if (slot == NW_MAX_VMS)
		return -ENOSPC;
	vm = nw_zalloc(sizeof(*vm));
	if (!vm)
		return -ENOMEM;
	vm->sim = s;
	vm->id = slot;
	vm->cfg = *cfg;
	vm->eptp_tag = nested(vm) ? slot + 1 : 0;
	vm->tag = cfg->vpid | (u32)vm->eptp_tag << NW_TAG_EPTP_SHIFT;
	vm->htag = (u32)vm->eptp_tag << NW_TAG_EPTP_SHIFT;
	vm->guest_caps.maxphyaddr = 46;
	vm->guest_caps.nxe = true;
	vm->guest_caps.gbpages = true;
	vm->host_caps = vm->guest_caps;
	vm->ept_caps.maxphyaddr = 46;
	vm->ept_caps.gbpages = true;
	vm->ept_caps.exec_only = true;
	vm->ept_caps.ad = cfg->ept_ad;
	nw_walk_prepare(vm);
	vm->gspace.entry = guest_entry;
	vm->gspace.alloc = guest_alloc;
	vm->gspace.free = guest_free;
	vm->gspace.wrote = guest_wrote;
	vm->gspace.ctx = vm;
	nw_gpt_pool_init(&vm->gpt_pool, cfg->gpt_base, cfg->gpt_size);
	if (nested(vm)) {
		err = nw_pt_init(&vm->ept, &s->hspace, cfg->host_levels,
				 cfg->mode == NW_MODE_EPT ? NW_FMT_EPT :
							    NW_FMT_X86);
		if (err)
			goto err_free;
	}
	if (cfg->mode == NW_MODE_SHADOW) {
		vm->wp = nw_zalloc(sizeof(*vm->wp) * NW_WP_SLOTS);
		if (!vm->wp) {
			err = -ENOMEM;
			goto err_free;
		}
	}
	s->vms[slot] = vm;
	*out = vm;
	return 0;

err_free:
	nw_free(vm);
	return err;
}

void nw_vm_destroy(struct nw_vm *vm)
{
	struct nw_sim *s = vm->sim;
	int a;

	if (s->vm == vm)
		s->vm = NULL;
	if (s->as && s->as->vm == vm)
		s->as = NULL;
	vm_flush_caches(s, vm, true);
	nw_shadow_drop(vm);
	for (a = 0; a < NW_MAX_AS; a++) {
		/* Guest tables in guest memory go with the guest. */
		if (vm->as[a].used && vm->cfg.mode == NW_MODE_NATIVE)
			nw_pt_destroy(&vm->as[a].gpt);
	}
	if (nested(vm))
		nw_pt_destroy(&vm->ept);
	nw_free(vm->wp);
	nw_gpt_pool_fini(&vm->gpt_pool);
	s->vms[vm->id] = NULL;
	nw_free(vm);
}

struct nw_as *nw_as_find(struct nw_vm *vm, u16 pcid)
{
	int a;

	for (a = 0; a < NW_MAX_AS; a++)
		if (vm->as[a].used && vm->as[a].pcid == pcid)
			return &vm->as[a];
	return NULL;
}

int nw_as_create(struct nw_vm *vm, u16 pcid, struct nw_as **out)
{
	struct nw_as *as;
	int a, err;

	if (pcid >= 4096 || nw_as_find(vm, pcid))
		return -EINVAL;
	for (a = 0; a < NW_MAX_AS && vm->as[a].used; a++)
		;
	if (a == NW_MAX_AS)
		return -ENOSPC;
	as = &vm->as[a];
	memset(as, 0, sizeof(*as));
	err = nw_pt_init(&as->gpt, &vm->gspace, vm->cfg.guest_levels,
			 NW_FMT_X86);
	if (err)
		return err;
	as->vm = vm;
	as->pcid = pcid;
	as->used = true;
	*out = as;
	return 0;
}

int nw_as_map(struct nw_as *as, u64 va, u64 gpa, u64 size, int level,
	      u64 flags)
{
	struct nw_vm *vm = as->vm;
	u64 before = as->gpt.tables;
	int err;

	err = nw_pt_map(&as->gpt, va & NW_VA_MASK, gpa, size, level, flags);
	/* Native tables freed by the remap: no walk cache may keep them. */
	if (vm->cfg.mode == NW_MODE_NATIVE && as->gpt.tables < before)
		vm_flush_caches(vm->sim, vm, false);
	return err;
}

static u64 host_leaf_flags(const struct nw_vm *vm)
{
	if (vm->cfg.mode == NW_MODE_EPT)
		return NW_PT_EPT_LEAF;
	return NW_X86_RW | NW_X86_US;
}

/* Map the host page around @gpa as KVM would: largest leaf allowed. */
static int host_map(struct nw_sim *s, struct nw_vm *vm, u64 gpa)
{
	u64 hpa, size, base, before = vm->ept.tables;
	int level, err;

	err = s->mem.ops->backing(s->mem.ctx, vm->id, gpa, &hpa, &level);
	if (err)
		return err;
	level = nw_aligned_leaf(gpa, hpa, min_t(int, level, vm->cfg.max_level),
				&base);
	size = nw_level_size(level);
	err = nw_pt_map(&vm->ept, base, hpa - (gpa - base), size, level,
			host_leaf_flags(vm));
	if (vm->ept.tables < before)
		vm_flush_caches(s, vm, true);
	return err;
}

int nw_vm_map(struct nw_vm *vm, u64 gpa, u64 size)
{
	u64 end = gpa + size, pa;
	int err, level;

	if (!nested(vm))
		return -EINVAL;
	while (gpa < end) {
		if (nw_pt_lookup(&vm->ept, gpa, &pa, &level, NULL)) {
			err = host_map(vm->sim, vm, gpa);
			if (err)
				return err;
			if (nw_pt_lookup(&vm->ept, gpa, &pa, &level, NULL))
				return -EFAULT;
		}
		gpa = (gpa & ~(nw_level_size(level) - 1)) +
		      nw_level_size(level);
	}
	return 0;
}

static void count_exit(struct nw_sim *s, bool fixed)
{
	s->cnt[NW_C_EXITS]++;
	s->cnt[NW_C_MCYCLES] += s->cost.exit_m;
	if (fixed) {
		s->cnt[NW_C_PF_FIXED]++;
		s->cnt[NW_C_MCYCLES] += s->cost.fault_m;
	}
}

/* An EPT violation the hypervisor can fix: a hole in a memslot's map. */
static bool fix_ept(struct nw_sim *s, struct nw_vm *vm, u64 gpa)
{
	u64 pa;
	int level;

	if (!nw_pt_lookup(&vm->ept, gpa, &pa, &level, NULL))
		return false;	/* mapped: a rights violation, not a hole */
	if (host_map(s, vm, gpa)) {
		count_exit(s, false);
		return false;
	}
	count_exit(s, true);
	return true;
}

static const u8 fault_counter[] = {
	[NW_GUEST_PF] = NW_C_GUEST_PF,
	[NW_EPT_VIOLATION] = NW_C_EPT_VIOLATION,
	[NW_EPT_MISCONFIG] = NW_C_EPT_MISCONFIG,
	[NW_PHYS_FAULT] = NW_C_PHYS_FAULT,
};

static __always_inline bool tlb_ok(const struct nw_centry *e,
				   unsigned int kind)
{
	if ((kind & NW_USER) && !(e->perm & NW_PERM_U))
		return false;
	switch (kind & NW_KIND_MASK) {
	case NW_WRITE:
		return (e->perm & NW_PERM_W) && (e->flags & NW_CE_DIRTY);
	case NW_FETCH:
		return e->perm & NW_PERM_X;
	default:
		return true;
	}
}

/*
 * The kinds of access tlb_ok() lets @e serve, bit k for kind k: what the
 * memo keeps, so that its hits test one bit. Kinds that are not valid
 * (kind & NW_KIND_MASK == 3) have no bit. Without branches: W and DIRTY
 * share a bit, as do X and the bit of NW_FETCH; U doubles the set into
 * the NW_USER kinds.
 */
static __always_inline u8 tlb_ok_kinds(const struct nw_centry *e)
{
	u8 ok;

	static_assert(NW_PERM_W == BIT(NW_WRITE) && NW_CE_DIRTY == NW_PERM_W &&
		      NW_PERM_X == BIT(NW_FETCH) && 2 * NW_PERM_U == BIT(NW_USER),
		      "rights map onto the bits of the kinds they allow");
	ok = BIT(NW_READ) | (e->perm & e->flags & NW_PERM_W) |
	     (e->perm & NW_PERM_X);
	return ok * (1 + 2 * (e->perm & NW_PERM_U));
}

/*
 * The TLB part of an access in a fast shape (see tlb.h), each array's
 * word count and policy a constant: what nw_tlb_lookup() and
 * nw_tlb_hit_below() do there, for the chain's two probes. Returns the
 * access's outcome, or -EAGAIN to walk (a miss or an assist).
 */
static __always_inline int access_fast(struct nw_sim *s, u64 va, u32 tag,
				       u16 pcid, unsigned int kind,
				       const u32 fpw0, const u8 repl0,
				       const u32 fpw1, const u8 repl1)
{
	struct nw_tlb *t = &s->tlb;
	const struct nw_tlb_probe *pr = t->chain;
	struct nw_cache *c0 = pr[0].c, *c1 = pr[1].c;
	u64 key = ((va & NW_VA_MASK) >> pr[0].shift) << 4 | pr[0].size << 1 | 1;
	struct nw_centry *e, moved;
	u32 set = (key >> 4) & c0->set_mask, way;

	e = __nw_cache_find(c0, key, tag, pcid, set, &way, fpw0);
	if (e) {
		__nw_cache_touch(c0, set, way, repl0);
		nw_tlb_set_memo(t, e, va, pr[0].size, s->as, tlb_ok_kinds(e));
		s->cnt[NW_C_TLB_L1_HIT]++;
		if (likely(tlb_ok(e, kind)))
			return NW_OK;
		nw_cache_kill(c0, e);
		goto assist;
	}
	set = (key >> 4) & c1->set_mask;
	e = __nw_cache_find(c1, key, tag, pcid, set, &way, fpw1);
	if (!e) {
		s->cnt[NW_C_TLB_MISS]++;
		return -EAGAIN;
	}
	s->cnt[NW_C_TLB_L2_HIT]++;
	if (unlikely(!tlb_ok(e, kind))) {
		/* Touched, then removed, as nw_tlb_hit_below() does. */
		__nw_cache_touch(c1, set, way, repl1);
		nw_cache_kill(c1, e);
		goto assist;
	}
	/* A victim level: the entry moves up (see nw_tlb_hit_below()). */
	moved = *e;
	moved.key = key;	/* equal: the compiler keeps its fingerprint */
	moved.tag = tag;
	__nw_cache_set_fp(c1, set, way, 0, fpw1);
	e->key = 0;
	nw_tlb_place2(t, c0, c1, &moved, fpw0, repl0, fpw1, repl1);
	return NW_OK;
assist:
	/* Rights or a first write: the walk decides, then refills. */
	s->cnt[NW_C_TLB_ASSIST]++;
	return -EAGAIN;
}

/* A fill after a walk: the victim level takes nothing but what falls out. */
static __always_inline int fill_fast(struct nw_sim *s,
				     const struct nw_centry *e,
				     const u32 fpw0, const u8 repl0,
				     const u32 fpw1, const u8 repl1)
{
	struct nw_tlb *t = &s->tlb;

	nw_tlb_place2(t, t->chain[0].c, t->chain[1].c, e, fpw0, repl0, fpw1,
		      repl1);
	return NW_OK;
}

/* An access (@e NULL) or the fill of @e, in one fast shape. */
static __always_inline int fast_copy(struct nw_sim *s, u64 va, u32 tag,
				     u16 pcid, unsigned int kind,
				     const struct nw_centry *e,
				     const u32 fpw0, const u8 repl0,
				     const u32 fpw1, const u8 repl1)
{
	if (e)
		return fill_fast(s, e, fpw0, repl0, fpw1, repl1);
	return access_fast(s, va, tag, pcid, kind, fpw0, repl0, fpw1, repl1);
}

/* The copy for the TLB's fast shape (fast_shapes[] in tlb.c). */
static __always_inline int tlb_fast(struct nw_sim *s, u64 va, u32 tag,
				    u16 pcid, unsigned int kind,
				    const struct nw_centry *e)
{
	switch (s->tlb.fast) {
	case NW_TLB_FAST_P1_O3:
		return fast_copy(s, va, tag, pcid, kind, e,
				 1, NW_REPL_PLRU, 3, NW_REPL_ORDER);
	case NW_TLB_FAST_O1_O1:
		return fast_copy(s, va, tag, pcid, kind, e,
				 1, NW_REPL_ORDER, 1, NW_REPL_ORDER);
	}
	return -EINVAL;
}

static int tlb_walk(struct nw_sim *s, struct nw_vm *vm, struct nw_as *as,
		    u64 va, unsigned int kind)
{
	struct nw_walk_res *r = &s->last;
	int tries, st = NW_OK;

	for (tries = 0; tries < NW_MAX_RETRIES; tries++) {
		st = nw_walk(s, vm, as, va, kind, r);
		if (st == NW_OK) {
			u64 page = r->hpa & ~(nw_level_size(r->size) - 1);
			struct nw_centry e = {
				.key = nw_cache_key(va, r->size), .val = page,
				.tag = vm->tag, .pcid = as->pcid,
				.perm = r->perm, .flags = r->flags,
			};

			/*
			 * In a fast shape, pages of other sizes have no array
			 * at any level: nw_tlb_fill() only notes their size.
			 */
			if (likely(s->tlb.fast &&
				   r->size == s->tlb.chain[0].size))
				tlb_fast(s, va, vm->tag, as->pcid, kind, &e);
			else
				nw_tlb_fill(&s->tlb, va, r->size, vm->tag,
					    as->pcid, page, r->perm, r->flags);
			return NW_OK;
		}
		if (st == NW_EPT_VIOLATION && r->fault_dim == NW_DIM_HOST &&
		    fix_ept(s, vm, r->fault_addr))
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

/*
 * An access the memo does not settle: the TLB's lookup, and a walk if it
 * misses. Out of line, so that the loop of a batch, which mostly ends at
 * the memo, keeps its values in registers.
 */
static noinline int access_tlb(struct nw_sim *s, struct nw_vm *vm,
			       struct nw_as *as, u64 va, u16 pcid,
			       unsigned int kind)
{
	const struct nw_tlb_probe *pr;
	struct nw_centry *e;
	u32 set, way;
	bool ok;

	if (unlikely((kind & NW_KIND_MASK) > NW_FETCH ||
		     (kind & ~(NW_KIND_MASK | NW_USER))))
		return -EINVAL;
	s->cnt[NW_C_READS + (kind & NW_KIND_MASK)]++;
	if (likely(s->tlb.fast)) {
		if (likely(!tlb_fast(s, va, vm->tag, pcid, kind, NULL)))
			return NW_OK;
		return tlb_walk(s, vm, as, va, kind);
	}
	pr = nw_tlb_lookup(&s->tlb, va, vm->tag, pcid, &e, &set, &way);
	if (likely(pr)) {
		s->cnt[NW_C_TLB_L1_HIT + pr->lv]++;
		ok = tlb_ok(e, kind);
		if (pr->lv)
			nw_tlb_hit_below(&s->tlb, pr, e, set, way, ok);
		else
			nw_tlb_set_memo(&s->tlb, e, va, pr->size, as,
					tlb_ok_kinds(e));
		if (likely(ok))
			return NW_OK;
		/* Rights or a first write: the walk decides, then refills. */
		s->cnt[NW_C_TLB_ASSIST]++;
		nw_cache_kill(pr->c, e);
		return tlb_walk(s, vm, as, va, kind);
	}
	s->cnt[NW_C_TLB_MISS]++;
	return tlb_walk(s, vm, as, va, kind);
}

/*
 * Memo hits of a batch, by kind: 16-bit lanes of one register, so that a
 * run of hits adds to a register and not, twice each, to memory.
 */
#define NW_MEMO_LANE(kind)	(1ULL << (16 * ((kind) & NW_KIND_MASK)))
#define NW_MEMO_FLUSH		0xffff	/* accesses between flushes */

static void memo_flush(struct nw_sim *s, u64 hits)
{
	u64 r = hits & 0xffff, w = hits >> 16 & 0xffff, x = hits >> 32 & 0xffff;

	s->cnt[NW_C_READS] += r;
	s->cnt[NW_C_WRITES] += w;
	s->cnt[NW_C_FETCHES] += x;
	s->cnt[NW_C_TLB_L1_HIT] += r + w + x;
}

/* One access; a memo hit is added to *@hits (see NW_MEMO_LANE). */
static __always_inline int access_one(struct nw_sim *s, u64 va, u16 pcid,
				      unsigned int kind, u64 *hits)
{
	struct nw_as *as = s->as;
	struct nw_vm *vm = s->vm;

	if (unlikely(!as || as->pcid != pcid || as->vm != vm)) {
		if (!vm)
			return -EINVAL;
		as = nw_as_find(vm, pcid);
		if (!as)
			return -EINVAL;
		s->as = as;
	}
	/* The memo's bits are valid kinds only: the others go on below. */
	if (likely(nw_tlb_memo(&s->tlb, va, as, kind))) {
		*hits += NW_MEMO_LANE(kind);
		return NW_OK;
	}
	return access_tlb(s, vm, as, va, pcid, kind);
}

int nw_access(struct nw_sim *s, u64 va, u16 pcid, unsigned int kind)
{
	u64 hits = 0;
	int st = access_one(s, va, pcid, kind, &hits);

	if (hits)
		memo_flush(s, hits);
	return st;
}

/*
 * The memo as a batch holds it in registers: what nw_tlb_memo() tests,
 * with the parts that only a call into the TLB can change (the entry and
 * its key, the space it was found for) tested when it is loaded again
 * after each such call.
 */
struct memo_regs {
	u64 va;
	u64 mask;
	u8 ok;
};

static __always_inline void memo_load(const struct nw_tlb *t,
				      const struct nw_as *as,
				      struct memo_regs *m)
{
	bool on = t->memo && t->memo_ctx == as && t->memo->key == t->memo_key;

	m->va = t->memo_va;
	m->mask = on ? t->memo_mask : 0;
	m->ok = on ? t->memo_ok : 0;
}

/*
 * The current space's PCID, or none (~0) when there is no current space
 * or it is not of the current VM: access_one() then finds one.
 */
static __always_inline u32 batch_pcid(const struct nw_sim *s)
{
	return s->as && s->as->vm == s->vm ? s->as->pcid : ~0U;
}

u64 nw_access_batch(struct nw_sim *s, const struct nw_acc *acc, u64 n)
{
	u64 i, end, faults = 0, hits;
	u32 pcid = batch_pcid(s);
	struct memo_regs m;

	memo_load(&s->tlb, s->as, &m);
	for (i = 0; i < n; i = end) {
		end = min_t(u64, n, i + NW_MEMO_FLUSH);
		hits = 0;
		for (; i < end; i++) {
			const struct nw_acc *a = &acc[i];
			int st;

			if (likely(a->pcid == pcid)) {
				if (likely(!((a->va ^ m.va) & m.mask) &&
					   a->kind < 8 &&
					   (m.ok >> a->kind & 1))) {
					hits += NW_MEMO_LANE(a->kind);
					continue;
				}
				/* The current space, and not the memo's page. */
				st = access_tlb(s, s->vm, s->as, a->va, a->pcid,
						a->kind);
			} else {
				st = access_one(s, a->va, a->pcid, a->kind,
						&hits);
				pcid = batch_pcid(s);
			}
			faults += st != NW_OK;
			memo_load(&s->tlb, s->as, &m);
		}
		memo_flush(s, hits);
	}
	return faults;
}
