// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated CPU: its caches and counters, VMs and address spaces, and
 * the hypervisor's fix of an EPT violation inside a memslot, which maps
 * the GPA with the largest leaf the host backing allows (KVM's rule,
 * capped by the VM's policy). The per-access path is access.c.
 */
#include "shadow.h"
#include "walk.h"

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

/*
 * Latency of a lookup that hits level i (@sum[i]) or misses (@sum[n]):
 * every level down to it is probed, one after the other.
 */
static void lat_sums(u32 *sum, const struct nw_tlb *t)
{
	int lv;

	for (lv = 0; lv < t->nlevels; lv++)
		sum[lv] = (lv ? sum[lv - 1] : 0) + t->l[lv].lat_m;
	sum[lv] = lv ? sum[lv - 1] : 0;
}

struct nw_sim *nw_sim_create(const struct nw_sim_cfg *cfg,
			     const struct nw_mem_ops *ops, void *ctx,
			     int *err)
{
	struct nw_sim *s = nw_zalloc(sizeof(*s));

	*err = -ENOMEM;
	if (!s)
		return NULL;
	nw_mem_init(&s->mem, ops, ctx);
	s->hspace.entry = host_entry;
	s->hspace.alloc = host_alloc;
	s->hspace.free = host_free;
	s->hspace.ctx = s;
	s->cost = cfg->cost;
	s->caps = cfg->caps & NW_CAPS;
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
	*err = nw_dcache_init(&s->dc, &cfg->dcache);
	if (*err)
		goto err_ntlb;
	/* Walk loads cost what the level serving them costs (walk.c). */
	if (s->dc.mode != NW_DC_OFF)
		memset(s->cost.ref_m, 0, sizeof(s->cost.ref_m));
	lat_sums(s->lat_sum, &s->tlb);
	if (s->tlb.i)
		lat_sums(s->ilat_sum, s->tlb.i);
	return s;

err_ntlb:
	nw_cache_free(&s->ntlb);
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
	nw_dcache_fini(&s->dc);
	nw_cache_free(&s->ntlb);
	nw_pwc_free(&s->hpwc);
	nw_pwc_free(&s->pwc);
	nw_tlb_free(&s->tlb);
	nw_free(s);
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

/*
 * The largest host leaf the CPU can walk, as KVM sets it up
 * (kvm_configure_mmu()): under EPT from the EPT capabilities (vmx.c,
 * ept_caps_to_lpage_level()), under NPT from the CPU's pages (svm.c; a
 * preset gives an NPT CPU the EPT bits of the pages it has), shadow and
 * native tables from PDPE1GB (max_huge_page_level).
 */
static int cap_max_level(u32 caps, int mode)
{
	if (mode == NW_MODE_NATIVE || mode == NW_MODE_SHADOW)
		return caps & NW_CAP_PDPE1GB ? NW_PDPTE : NW_PDE;
	if (caps & NW_CAP_EPT_1G)
		return NW_PDPTE;
	return caps & NW_CAP_EPT_2M ? NW_PDE : NW_PTE;
}

/*
 * The entry formats as the CPU checks them: PS in a PDPTE is reserved
 * without PDPE1GB (SDM 4.5.4), as bit 7 of an EPT PDE or PDPTE is
 * without the page size (SDM 29.3.3.1), and so are execute-only EPT
 * entries without that capability.
 */
static void vm_caps(struct nw_vm *vm, u32 caps)
{
	vm->guest_caps.maxphyaddr = NW_MAXPHYADDR;
	vm->guest_caps.nxe = true;
	vm->guest_caps.gbpages = caps & NW_CAP_PDPE1GB;
	vm->host_caps = vm->guest_caps;
	vm->host_caps.gbpages = caps & NW_CAP_EPT_1G;
	vm->ept_caps.maxphyaddr = NW_MAXPHYADDR;
	vm->ept_caps.mbpages = caps & NW_CAP_EPT_2M;
	vm->ept_caps.gbpages = caps & NW_CAP_EPT_1G;
	vm->ept_caps.exec_only = caps & NW_CAP_EPT_XO;
	vm->ept_caps.ad = vm->cfg.ept_ad;
	vm->cfg.max_level = min_t(int, vm->cfg.max_level,
				  cap_max_level(caps, vm->cfg.mode));
}

void nw_rights_init(struct nw_rights *r, const struct nw_cr *cr)
{
	const u8 all = NW_PERM_R | NW_PERM_W | NW_PERM_X | NW_PERM_U;
	unsigned int key, kind;

	r->wp0 = nw_rights_ok(cr, NW_PERM_R, 0, true, NW_WRITE) ?
		 BIT(NW_WRITE) : 0;
	for (key = 0; key < NW_PKEYS; key++) {
		r->umask[key] = 0;
		for (kind = 0; kind < 8; kind++)
			if ((kind & NW_KIND_MASK) != 3 &&
			    nw_rights_ok(cr, all, key, true, kind))
				r->umask[key] |= BIT(kind);
	}
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
	    ((cfg->gpt_base | cfg->gpt_size) & (NW_PAGE_SIZE - 1)) ||
	    (cfg->cr.pkru && !cfg->cr.pke))
		return -EINVAL;
	/* A paging mode the CPU does not have (SDM 4.1.4, vol. 3D A.10). */
	if ((cfg->guest_levels == 5 && !(s->caps & NW_CAP_LA57)) ||
	    (nw_mode_nested(cfg->mode) && cfg->host_levels == 5 &&
	     !(s->caps & NW_CAP_EPT_5L)))
		return -EOPNOTSUPP;
	/* KVM: "PKU is not yet implemented for shadow paging" (cpuid.c). */
	if (cfg->cr.pke && cfg->mode == NW_MODE_SHADOW)
		return -EOPNOTSUPP;
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
	vm->eptp_tag = nw_vm_nested(vm) ? slot + 1 : 0;
	vm->tag = cfg->vpid | (u32)vm->eptp_tag << NW_TAG_EPTP_SHIFT;
	vm->htag = (u32)vm->eptp_tag << NW_TAG_EPTP_SHIFT;
	nw_rights_init(&vm->rights, &cfg->cr);
	/* Linear addresses of 48 or 57 bits (SDM 4.5). */
	vm->canon_shift = 64 - (NW_PAGE_SHIFT + 9 * cfg->guest_levels);
	vm_caps(vm, s->caps);
	nw_walk_prepare(vm);
	vm->gspace.entry = guest_entry;
	vm->gspace.alloc = guest_alloc;
	vm->gspace.free = guest_free;
	vm->gspace.wrote = guest_wrote;
	vm->gspace.ctx = vm;
	nw_gpt_pool_init(&vm->gpt_pool, cfg->gpt_base, cfg->gpt_size);
	if (nw_vm_nested(vm)) {
		err = nw_pt_init(&vm->ept, &s->hspace, cfg->host_levels,
				 cfg->mode == NW_MODE_EPT ? NW_FMT_EPT :
							    NW_FMT_X86);
		if (err)
			goto err_free;
	}
	if (cfg->mode == NW_MODE_SHADOW) {
		err = nw_shadow_init(vm);
		if (err)
			goto err_free;
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
	if (vm->cfg.mode == NW_MODE_SHADOW)
		nw_shadow_fini(vm);
	for (a = 0; a < NW_MAX_AS; a++) {
		/* Guest tables in guest memory go with the guest. */
		if (vm->as[a].used && vm->cfg.mode == NW_MODE_NATIVE)
			nw_pt_destroy(&vm->as[a].gpt);
	}
	if (nw_vm_nested(vm))
		nw_pt_destroy(&vm->ept);
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

	if (pcid >= NW_PCIDS || nw_as_find(vm, pcid))
		return -EINVAL;
	/* Without CR4.PCIDE every translation is PCID 0's (SDM 4.10.1). */
	if (pcid && !(vm->sim->caps & NW_CAP_PCID))
		return -EOPNOTSUPP;
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
int nw_vm_host_map(struct nw_sim *s, struct nw_vm *vm, u64 gpa)
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

/* An EPT violation the hypervisor can fix: a hole in a memslot's map. */
bool nw_vm_fix_hole(struct nw_sim *s, struct nw_vm *vm, u64 gpa)
{
	u64 pa;
	int level;

	if (!nw_pt_lookup(&vm->ept, gpa, &pa, &level, NULL))
		return false;	/* mapped: a rights violation, not a hole */
	nw_charge_exit(s->cnt, &s->cost);
	if (nw_vm_host_map(s, vm, gpa))
		return false;
	nw_charge_fix(s->cnt, &s->cost);
	return true;
}
