// SPDX-License-Identifier: GPL-2.0
/*
 * Shadow paging, in the manner of KVM's shadow MMU (arch/x86/kvm/mmu/mmu.c
 * and paging_tmpl.h).
 *
 * The hardware walks a shadow table that maps guest-linear addresses
 * straight to host-physical ones. It starts empty: the first touch of a
 * page is a hidden page fault (a VM exit) that walks the guest's tables in
 * software, translates the GPA through the memslots and installs a shadow
 * leaf no larger than the guest's page, the host's page and the VM's
 * policy allow.
 *
 * Every guest table met on the way becomes a shadow page (struct nw_wp,
 * KVM's struct kvm_mmu_page), kept in kernel memory by gfn and by age.
 * A guest store to a table that some shadow page uses at an upper level
 * traps and is emulated: the entries it wrote go from every shadow page of
 * that gfn (kvm_mmu_track_write()), or the whole page when writes flood
 * it. A last-level table instead goes unsync on its first write
 * (mmu_try_to_unsync_pages()): one fault, then the guest writes it freely
 * until INVLPG, a flushing CR3 load or INVPCID resync it. The pages are
 * held to KVM's quota; a fault short of free pages zaps the oldest.
 */
#include "shadow.h"

#define WP(vm, i)	(&(vm)->wp[(i) - 1])
/* detect_write_flooding(): this many emulated writes zap the page. */
#define NW_WRITE_FLOOD	3

static_assert(NW_WP_BUCKETS == 1 << 12, "nw_hash64(gfn, 12) indexes them");

static u32 wp_idx(const struct nw_vm *vm, const struct nw_wp *w)
{
	return w - vm->wp + 1;
}

static u32 *wp_bucket(struct nw_vm *vm, u64 gfn)
{
	return &vm->wp_bucket[nw_hash64(gfn, 12)];
}

/* The shadow pages of @gfn from chain link @i on. */
static struct nw_wp *wp_from(struct nw_vm *vm, u32 i, u64 gfn)
{
	for (; i; i = WP(vm, i)->hnext)
		if (WP(vm, i)->gfn == gfn)
			return WP(vm, i);
	return NULL;
}

static struct nw_wp *wp_first(struct nw_vm *vm, u64 gfn)
{
	return wp_from(vm, *wp_bucket(vm, gfn), gfn);
}

static struct nw_wp *wp_next(struct nw_vm *vm, struct nw_wp *w)
{
	return wp_from(vm, w->hnext, w->gfn);
}

static void flush_walk_caches(struct nw_vm *vm)
{
	struct nw_inval f = {
		.tag = vm->tag, .tag_mask = ~0U, .any_pcid = true,
		.globals = true, .any_addr = true,
	};

	nw_pwc_inval(&vm->sim->pwc, &f);
}

/*
 * The hypervisor's TLB flush at the end of an exit, if @flush or if the
 * exit zapped or changed shadow entries (kvm_flush_remote_tlbs()). KVM
 * raises requests that the next entry serves once
 * (kvm_service_local_tlb_flush_requests(), kvm_vcpu_flush_tlb_all() clears
 * KVM_REQ_TLB_FLUSH_CURRENT): one flush of the VM's VPID, counted once in
 * tlb_flush (vcpu->stat.tlb_flush).
 */
void nw_shadow_flush(struct nw_vm *vm, bool flush)
{
	struct nw_inval f = {
		.tag = vm->tag, .tag_mask = ~0U, .any_pcid = true,
		.globals = true, .any_addr = true,
	};

	if (!flush && !vm->wp_flush)
		return;
	vm->wp_flush = false;
	vm->sim->cnt[NW_C_TLB_FLUSH]++;
	nw_tlb_inval(&vm->sim->tlb, &f);
	nw_pwc_inval(&vm->sim->pwc, &f);
}

/* Shadow entries for [@va, + @size) of @as go. */
static void unmap_range(struct nw_vm *vm, struct nw_as *as, u64 va, u64 size)
{
	u64 before = as->spt.tables, cleared = 0;

	if (!before)
		return;
	nw_pt_unmap(&as->spt, va, size, &cleared);
	if (cleared)
		vm->wp_flush = true;
	if (as->spt.tables < before)
		flush_walk_caches(vm);
}

static void age_unlink(struct nw_vm *vm, struct nw_wp *w)
{
	if (w->newer)
		WP(vm, w->newer)->older = w->older;
	else
		vm->wp_newest = w->older;
	if (w->older)
		WP(vm, w->older)->newer = w->newer;
	else
		vm->wp_oldest = w->newer;
}

static void hash_unlink(struct nw_vm *vm, struct nw_wp *w)
{
	u32 *link = wp_bucket(vm, w->gfn), i = wp_idx(vm, w);

	while (*link != i)	/* w is on its chain: kernel memory */
		link = &WP(vm, *link)->hnext;
	*link = w->hnext;
}

/*
 * kvm_mmu_prepare_zap_page(): the page goes, unlinked from the table
 * above it (its subtree with it, in the model: see Documentation), and
 * mmu_shadow_zapped counts it.
 */
static void wp_zap(struct nw_vm *vm, struct nw_wp *w)
{
	struct nw_as *as = &vm->as[w->as];

	if (w->level < vm->cfg.guest_levels) {
		unmap_range(vm, as, w->va, nw_level_size(w->level + 1));
	} else if (as->spt.tables) {
		nw_pt_destroy(&as->spt);
		flush_walk_caches(vm);
		vm->wp_flush = true;
	}
	if (w->unsync)
		vm->wp_unsync--;
	hash_unlink(vm, w);
	age_unlink(vm, w);
	w->used = false;
	w->hnext = vm->wp_free;
	vm->wp_free = wp_idx(vm, w);
	vm->wp_used--;
	vm->sim->cnt[NW_C_MMU_SHADOW_ZAPPED]++;
}

/*
 * kvm_mmu_zap_oldest_mmu_pages(): up to @nr pages, oldest first, roots
 * in use skipped (every address space's root counts as in use); counted
 * in mmu_recycled.
 */
static u32 zap_oldest(struct nw_vm *vm, u32 nr)
{
	u32 i = vm->wp_oldest, n = 0;

	while (i && n < nr) {
		struct nw_wp *w = WP(vm, i);

		i = w->newer;
		if (w->level == vm->cfg.guest_levels)
			continue;
		wp_zap(vm, w);
		n++;
	}
	vm->sim->cnt[NW_C_MMU_RECYCLED] += n;
	return n;
}

/* make_mmu_pages_available(), at the start of every shadow fault. */
static void make_pages_available(struct nw_vm *vm)
{
	u32 avail = vm->wp_quota > vm->wp_used ? vm->wp_quota - vm->wp_used : 0;

	if (avail < NW_MIN_FREE_MMU_PAGES)
		zap_oldest(vm, NW_REFILL_PAGES - avail);
}

/*
 * Room for @cap records, allocated ahead as KVM tops up its caches
 * (mmu_topup_memory_caches()): a fault never allocates. Records keep
 * their indices.
 */
static int wp_resize(struct nw_vm *vm, u32 cap)
{
	struct nw_wp *wp;
	u32 i;

	if (cap <= vm->wp_cap)
		return 0;
	wp = nw_zalloc(sizeof(*wp) * cap);
	if (!wp)
		return -ENOMEM;
	if (vm->wp)
		memcpy(wp, vm->wp, sizeof(*wp) * vm->wp_cap);
	nw_free(vm->wp);
	vm->wp = wp;
	for (i = cap; i > vm->wp_cap; i--) {
		wp[i - 1].hnext = vm->wp_free;
		vm->wp_free = i;
	}
	vm->wp_cap = cap;
	return 0;
}

/* A free record: past the quota's slack, the oldest page makes room. */
static struct nw_wp *wp_alloc(struct nw_vm *vm)
{
	struct nw_wp *w;

	if (!vm->wp_free && !zap_oldest(vm, 1))
		return NULL;
	w = WP(vm, vm->wp_free);
	vm->wp_free = w->hnext;
	memset(w, 0, sizeof(*w));
	return w;
}

/*
 * The shadow page of the guest table at @gfn as @as uses it for @va's
 * region at @level, under rights @perm: found, or made. Found, its write
 * flooding count restarts (clear_sp_write_flooding_count()); an upper-level
 * use zaps the gfn's unsync pages (__kvm_mmu_find_shadow_page()).
 */
static int wp_get(struct nw_vm *vm, u64 gfn, u64 va, int level, int as,
		  u8 perm)
{
	struct nw_wp *w, *next;
	u32 i;

	for (w = wp_first(vm, gfn); w; w = next) {
		next = wp_next(vm, w);
		if (w->va == va && w->level == level && w->as == as) {
			w->flood = 0;
			w->perm = perm;
			return 0;
		}
		if (level > NW_PTE && w->unsync)
			wp_zap(vm, w);
	}
	w = wp_alloc(vm);
	if (!w)
		return -ENOMEM;
	i = wp_idx(vm, w);
	*w = (struct nw_wp){
		.gfn = gfn, .va = va, .level = level, .as = as, .perm = perm,
		.used = true, .hnext = *wp_bucket(vm, gfn),
		.older = vm->wp_newest,
	};
	*wp_bucket(vm, gfn) = i;
	if (vm->wp_newest)
		WP(vm, vm->wp_newest)->newer = i;
	else
		vm->wp_oldest = i;
	vm->wp_newest = i;
	vm->wp_used++;
	return 0;
}

int nw_shadow_init(struct nw_vm *vm)
{
	vm->wp_quota = NW_MIN_ALLOC_MMU_PAGES;
	vm->wp_bucket = nw_zalloc(sizeof(*vm->wp_bucket) * NW_WP_BUCKETS);
	if (vm->wp_bucket && !wp_resize(vm, vm->wp_quota + NW_REFILL_PAGES))
		return 0;
	nw_free(vm->wp_bucket);
	vm->wp_bucket = NULL;
	return -ENOMEM;
}

/* As kvm_mmu_zap_all() when the VM goes: every page counted zapped. */
void nw_shadow_fini(struct nw_vm *vm)
{
	int a;

	for (a = 0; a < NW_MAX_AS; a++)
		if (vm->as[a].spt.tables)
			nw_pt_destroy(&vm->as[a].spt);
	vm->sim->cnt[NW_C_MMU_SHADOW_ZAPPED] += vm->wp_used;
	nw_free(vm->wp);
	nw_free(vm->wp_bucket);
	vm->wp = NULL;
	vm->wp_bucket = NULL;
	flush_walk_caches(vm);
}

/*
 * kvm_mmu_calculate_default_mmu_pages(), after every memslot change:
 * KVM_PERMILLE_MMU_PAGES of the memslots' pages, at least
 * KVM_MIN_ALLOC_MMU_PAGES; capped by the model at NW_WP_MAX, and at what
 * it could allocate (a fault may take a few pages past the quota, as in
 * KVM: NW_REFILL_PAGES records of slack).
 */
void nw_shadow_slot_added(struct nw_vm *vm, u64 pages)
{
	u64 q;

	vm->slot_pages += pages;
	if (vm->cfg.mode != NW_MODE_SHADOW)
		return;
	q = nw_div64(vm->slot_pages * NW_PERMILLE_MMU_PAGES, 1000);
	q = min_t(u64, max_t(u64, q, NW_MIN_ALLOC_MMU_PAGES), NW_WP_MAX);
	if (wp_resize(vm, q + NW_REFILL_PAGES))
		q = vm->wp_cap - NW_REFILL_PAGES;
	vm->wp_quota = q;
}

/*
 * The leaf flags of a shadow entry for guest leaf @gleaf reached with
 * rights @perm: writable only once the guest's D is set, so that the
 * first write traps and sets it (FNAME(gpte_access), set_spte_gpte()).
 */
static u64 leaf_flags(u8 perm, u64 gleaf)
{
	u64 flags = NW_X86_A | NW_X86_D | (gleaf & NW_X86_G);

	if ((perm & NW_PERM_W) && (gleaf & NW_X86_D))
		flags |= NW_X86_RW;
	if (perm & NW_PERM_U)
		flags |= NW_X86_US;
	if (!(perm & NW_PERM_X))
		flags |= NW_X86_XD;
	return flags;
}

#define LEAF_FLAGS	(NW_X86_RW | NW_X86_US | NW_X86_XD | NW_X86_G | \
			 NW_X86_A | NW_X86_D)

/*
 * FNAME(sync_spte): the shadow entry of entry @i of unsync page @w stays
 * if the guest's entry, read once now, still maps the same page, accessed,
 * with the same rights. Otherwise it goes: KVM drops it when the gfn
 * changed or the entry is invalid or not accessed, and updates changed
 * rights in place (the model drops those too, to refill on next use).
 */
static void sync_entry(struct nw_vm *vm, struct nw_wp *w, unsigned int i)
{
	struct nw_as *as = &vm->as[w->as];
	u64 va = w->va + (u64)i * NW_PAGE_SIZE, pa, e, g, hpa, *gp;
	struct nw_sim *s = vm->sim;
	struct nw_pte_info pi;
	int lv;

	if (!as->spt.tables || nw_pt_lookup(&as->spt, va, &pa, &lv, &e) ||
	    lv != NW_PTE)
		return;
	gp = vm->gspace.entry(vm, (w->gfn << NW_PAGE_SHIFT) + 8ULL * i);
	if (gp) {
		g = nw_entry_load(gp);
		if (!nw_x86_decode(g, NW_PTE, &vm->guest_caps, &pi) &&
		    pi.leaf && (g & NW_X86_A) &&
		    !s->mem.ops->backing(s->mem.ctx, vm->id, pi.addr, &hpa,
					 &lv) && hpa == pa &&
		    (e & LEAF_FLAGS) == leaf_flags(w->perm & pi.perm, g))
			return;
	}
	unmap_range(vm, as, va, NW_PAGE_SIZE);
}

/* kvm_sync_page(): every entry, then the page is write-protected again. */
static void sync_page(struct nw_vm *vm, struct nw_wp *w)
{
	unsigned int i;

	for (i = 0; i < NW_PT_ENTRIES; i++)
		sync_entry(vm, w, i);
	w->unsync = false;
	vm->wp_unsync--;
}

/*
 * kvm_mmu_sync_roots() (and kvm_mmu_sync_prev_roots() with @as NULL):
 * the unsync pages of @as, or of every address space, are synced.
 */
void nw_shadow_sync(struct nw_vm *vm, struct nw_as *as)
{
	u32 i;

	for (i = vm->wp_newest; i && vm->wp_unsync; i = WP(vm, i)->older) {
		struct nw_wp *w = WP(vm, i);

		if (w->unsync && (!as || &vm->as[w->as] == as)) {
			sync_page(vm, w);
			/* The caller decides how many pages are unsync. */
			nw_cond_resched();
		}
	}
}

/*
 * kvm_mmu_invlpg() -> kvm_mmu_invalidate_addr() on every root: the entry
 * that maps @va in each unsync page is synced; the pages stay unsync.
 * With @as, only that address space's (kvm_mmu_invpcid_gva()).
 */
void nw_shadow_invlpg(struct nw_vm *vm, struct nw_as *as, u64 va)
{
	u64 base = va & NW_VA_MASK & ~(nw_level_size(NW_PDE) - 1);
	u32 i;

	for (i = vm->wp_newest; i && vm->wp_unsync; i = WP(vm, i)->older) {
		struct nw_wp *w = WP(vm, i);

		if (w->unsync && w->va == base && (!as || &vm->as[w->as] == as))
			sync_entry(vm, w, nw_pt_index(va, NW_PTE));
	}
}

/*
 * The software walk of the guest's tables a hidden fault makes. Each
 * entry is read once; the leaf it returns in *@leaf is that copy, with
 * the flags the walk set (KVM's FNAME(walk_addr_generic) works on its
 * copies the same way, and like it sets A and D only when the access
 * may use the translation). Rights as the hardware checks them
 * (nw_rights_ok(): KVM's permission_fault()). Each table is a shadow
 * page (FNAME(fetch)).
 */
static int guest_soft_walk(struct nw_vm *vm, struct nw_as *as, u64 va,
			   unsigned int kind, struct nw_walk_res *r,
			   u64 *gpa, u64 *leaf)
{
	u64 table = as->gpt.root, *eps[NW_PML5E + 1], *ep = NULL, e = 0;
	u8 perm = NW_PERM_R | NW_PERM_W | NW_PERM_X | NW_PERM_U, pfec = 0;
	int top = as->gpt.levels, level;
	struct nw_pte_info i;

	for (level = top;; level--) {
		u64 span = level < top ? nw_level_size(level + 1) : 0;

		ep = vm->gspace.entry(vm, table + 8ULL * nw_pt_index(va, level));
		if (!ep)
			goto fault;
		if (wp_get(vm, table >> NW_PAGE_SHIFT,
			   span ? va & NW_VA_MASK & ~(span - 1) : 0, level,
			   as - vm->as, perm))
			return NW_PHYS_FAULT;
		e = nw_entry_load(ep);
		switch (nw_x86_decode(e, level, &vm->guest_caps, &i)) {
		case NW_PTE_OK:
			break;
		case NW_PTE_RSVD:
			pfec = NW_PFEC_P | NW_PFEC_RSVD;
			goto fault;
		default:
			goto fault;
		}
		perm &= i.perm;
		eps[level] = ep;
		if (i.leaf)
			break;
		table = i.addr;
	}
	pfec = NW_PFEC_P;
	if (!nw_rights_ok(&vm->cfg.cr, perm, NW_X86_PKEY(e), true, kind))
		goto fault;
	for (top = as->gpt.levels; top > level; top--)
		nw_entry_set_bits(eps[top], NW_X86_A);
	e |= NW_X86_A;
	if ((kind & NW_KIND_MASK) == NW_WRITE)
		e |= NW_X86_D;
	nw_entry_set_bits(ep, e & (NW_X86_A | NW_X86_D));
	*gpa = i.addr + (va & (nw_level_size(level) - 1));
	*leaf = e;
	r->guest_size = level;
	r->perm = perm;
	return NW_OK;
fault:
	r->pfec = nw_pfec(&vm->cfg.cr, kind, pfec, perm, NW_X86_PKEY(e));
	r->outcome = NW_GUEST_PF;
	r->fault_addr = va;
	r->fault_dim = NW_DIM_GUEST;
	r->fault_level = level;
	return NW_GUEST_PF;
}

static int shadow_fill(struct nw_sim *s, struct nw_vm *vm, struct nw_as *as,
		       u64 va, unsigned int kind, struct nw_walk_res *r)
{
	u64 gpa, leaf, hpa, size, base, before;
	int level, hlevel, err;

	err = guest_soft_walk(vm, as, va, kind, r, &gpa, &leaf);
	if (err)
		return err;
	if (s->mem.ops->backing(s->mem.ctx, vm->id, gpa, &hpa, &hlevel)) {
		r->outcome = NW_EPT_VIOLATION;
		r->fault_addr = gpa;
		r->fault_dim = NW_DIM_HOST;
		return NW_EPT_VIOLATION;
	}
	level = min_t(int, r->guest_size, hlevel);
	level = nw_aligned_leaf(gpa, hpa, min_t(int, level, vm->cfg.max_level),
				&base);
	size = nw_level_size(level);
	if (!as->spt.tables) {
		err = nw_pt_init(&as->spt, &s->hspace, as->gpt.levels,
				 NW_FMT_X86);
		if (err)
			return NW_PHYS_FAULT;
	}
	before = as->spt.tables;
	err = nw_pt_map(&as->spt, va & NW_VA_MASK & ~(size - 1),
			hpa - (gpa - base), size, level,
			leaf_flags(r->perm, leaf));
	if (err)
		return NW_PHYS_FAULT;
	if (as->spt.tables < before)
		flush_walk_caches(vm);
	nw_charge_fix(s->cnt, &s->cost);
	return NW_OK;
}

int nw_shadow_fill(struct nw_sim *s, struct nw_vm *vm, struct nw_as *as,
		   u64 va, unsigned int kind, struct nw_walk_res *r)
{
	int st;

	nw_charge_exit(s->cnt, &s->cost);
	make_pages_available(vm);
	st = shadow_fill(s, vm, as, va, kind, r);
	nw_shadow_flush(vm, false);
	return st;
}

/*
 * The first write to a table only last-level pages shadow is a fault
 * that KVM fixes by letting them go unsync (mmu_try_to_unsync_pages(),
 * kvm_unsync_page()): pf_fixed, and mmu_unsync counts them.
 */
static void unsync_gfn(struct nw_vm *vm, u64 gfn)
{
	struct nw_wp *w;

	for (w = wp_first(vm, gfn); w; w = wp_next(vm, w)) {
		if (!w->unsync)
			vm->wp_unsync++;
		w->unsync = true;
	}
	nw_charge_fix(vm->sim->cnt, &vm->sim->cost);
}

/*
 * A guest store hit entry @gpa of its own tables (already written). A
 * gfn only unsync pages shadow is not write-protected: no exit. Else an
 * exit; emulated (kvm_mmu_track_write()) unless the pages can go unsync.
 */
void nw_shadow_wrote(struct nw_vm *vm, u64 gpa)
{
	struct nw_sim *s = vm->sim;
	u64 gfn = gpa >> NW_PAGE_SHIFT, size;
	bool upper = false, sync = false;
	struct nw_wp *w, *next;

	for (w = wp_first(vm, gfn); w; w = wp_next(vm, w)) {
		upper |= w->level > NW_PTE;
		sync |= !w->unsync;
	}
	if (!upper && !sync)
		return;
	nw_charge_exit(s->cnt, &s->cost);
	if (!upper) {
		unsync_gfn(vm, gfn);
		return;
	}
	s->cnt[NW_C_MMU_PTE_WRITE]++;
	for (w = wp_first(vm, gfn); w; w = next) {
		next = wp_next(vm, w);
		/* detect_write_flooding(): not for last-level pages. */
		if (w->level > NW_PTE && ++w->flood >= NW_WRITE_FLOOD) {
			wp_zap(vm, w);
			continue;
		}
		/* The entries written, in every page of the gfn. */
		size = nw_level_size(w->level);
		unmap_range(vm, &vm->as[w->as],
			    w->va + ((gpa & (NW_PAGE_SIZE - 1)) >> 3) * size,
			    size);
	}
	nw_shadow_flush(vm, false);
}
