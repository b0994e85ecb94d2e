// SPDX-License-Identifier: GPL-2.0
/*
 * Shadow paging, in the manner of KVM's shadow MMU (arch/x86/kvm/mmu).
 *
 * The hardware walks a shadow table that maps guest-linear addresses
 * straight to host-physical ones. It starts empty: the first touch of a
 * page is a hidden page fault (a VM exit) that walks the guest's tables in
 * software, translates the GPA through the memslots and installs a shadow
 * leaf no larger than the guest's page, the host's page and the VM's
 * policy allow. Every guest page-table page met on the way is
 * write-protected; a guest store to one is a trap (another exit) that
 * removes the shadow entries derived from the entry it changed.
 */
#include "shadow.h"

static u32 wp_hash(u64 gfn)
{
	return (u32)nw_hash64(gfn, 24) & (NW_WP_SLOTS - 1);
}

static struct nw_wp *wp_find(struct nw_vm *vm, u64 gfn)
{
	u32 h = wp_hash(gfn), n;

	for (n = 0; n < NW_WP_SLOTS; n++) {
		struct nw_wp *w = &vm->wp[(h + n) & (NW_WP_SLOTS - 1)];

		if (!w->gfn)
			return NULL;
		if (w->gfn == gfn + 1)
			return w;
	}
	return NULL;
}

static void flush_walk_caches(struct nw_vm *vm)
{
	struct nw_inval f = {
		.tag = vm->tag, .tag_mask = ~0U, .any_pcid = true,
		.globals = true, .any_addr = true,
	};

	nw_pwc_inval(&vm->sim->pwc, &f);
}

void nw_shadow_drop(struct nw_vm *vm)
{
	u64 zapped = 0;
	int a;

	for (a = 0; a < NW_MAX_AS; a++) {
		zapped += vm->as[a].spt.tables;
		if (vm->as[a].spt.tables)
			nw_pt_destroy(&vm->as[a].spt);
	}
	if (vm->wp)
		memset(vm->wp, 0, sizeof(*vm->wp) * NW_WP_SLOTS);
	vm->wp_used = 0;
	vm->sim->cnt[NW_C_MMU_SHADOW_ZAPPED] += zapped;
	flush_walk_caches(vm);
}

/* Remember that the guest table at @gfn maps @va's region at @level. */
static void wp_add(struct nw_vm *vm, u64 gfn, u64 va, int level, int as)
{
	u32 h = wp_hash(gfn), n;
	struct nw_wp *w = wp_find(vm, gfn);

	if (w) {
		if (w->va != va || w->level != level || w->as != as)
			w->multi = true;
		return;
	}
	if (vm->wp_used >= NW_WP_SLOTS * 3 / 4)
		nw_shadow_drop(vm);	/* as KVM zaps all when over quota */
	for (n = 0;; n++) {
		w = &vm->wp[(h + n) & (NW_WP_SLOTS - 1)];
		if (!w->gfn)
			break;
	}
	w->gfn = gfn + 1;
	w->va = va;
	w->level = level;
	w->as = as;
	w->multi = false;
	vm->wp_used++;
}

/*
 * The software walk of the guest's tables a hidden fault makes. Each
 * entry is read once; the leaf it returns in *@leaf is that copy, with
 * the flags the walk set (KVM's FNAME(walk_addr_generic) works on its
 * copies the same way, and like it sets A and D only when the access
 * may use the translation). Rights as the hardware checks them
 * (nw_rights_ok(): KVM's permission_fault()).
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
		wp_add(vm, table >> NW_PAGE_SHIFT,
		       span ? va & NW_VA_MASK & ~(span - 1) : 0, level,
		       as - vm->as);
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

int nw_shadow_fill(struct nw_sim *s, struct nw_vm *vm, struct nw_as *as,
		   u64 va, unsigned int kind, struct nw_walk_res *r)
{
	u64 gpa, leaf, hpa, size, base, flags, before;
	int level, hlevel, err;

	nw_charge_exit(s->cnt, &s->cost);
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
	/* Writable only once the guest's D is set, so the first write traps. */
	flags = NW_X86_A | NW_X86_D | (leaf & NW_X86_G);
	if ((r->perm & NW_PERM_W) && (leaf & NW_X86_D))
		flags |= NW_X86_RW;
	if (r->perm & NW_PERM_U)
		flags |= NW_X86_US;
	if (!(r->perm & NW_PERM_X))
		flags |= NW_X86_XD;
	if (!as->spt.tables) {
		err = nw_pt_init(&as->spt, &s->hspace, as->gpt.levels,
				 NW_FMT_X86);
		if (err)
			return NW_PHYS_FAULT;
	}
	before = as->spt.tables;
	err = nw_pt_map(&as->spt, va & NW_VA_MASK & ~(size - 1),
			hpa - (gpa - base), size, level, flags);
	if (err)
		return NW_PHYS_FAULT;
	if (as->spt.tables < before)
		flush_walk_caches(vm);
	nw_charge_fix(s->cnt, &s->cost);
	return NW_OK;
}

/* A guest store hit entry @gpa of its own tables (already written). */
void nw_shadow_wrote(struct nw_vm *vm, u64 gpa)
{
	struct nw_sim *s = vm->sim;
	struct nw_wp *w = wp_find(vm, gpa >> NW_PAGE_SHIFT);
	struct nw_as *as;
	u64 va, size, before, cleared = 0;

	if (!w)
		return;
	nw_charge_exit(s->cnt, &s->cost);
	s->cnt[NW_C_MMU_PTE_WRITE]++;
	if (w->multi) {
		nw_shadow_drop(vm);
		return;
	}
	as = &vm->as[w->as];
	if (!as->spt.tables)
		return;
	size = nw_level_size(w->level);
	va = w->va + ((gpa & (NW_PAGE_SIZE - 1)) >> 3) * size;
	before = as->spt.tables;
	nw_pt_unmap(&as->spt, va, size, &cleared);
	s->cnt[NW_C_MMU_SHADOW_ZAPPED] += cleared;
	if (as->spt.tables < before)
		flush_walk_caches(vm);
}

