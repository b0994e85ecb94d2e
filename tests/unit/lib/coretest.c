// SPDX-License-Identifier: GPL-2.0
/*
 * Core helpers for tests, fuzzers and benchmarks (coretest.h).
 */
#include <string.h>

#include "coretest.h"

int nw_access(struct nw_sim *s, u64 va, u16 pcid, unsigned int kind)
{
	struct nw_acc a = { .va = va, .pcid = pcid, .kind = kind };

	if (kind != a.kind)
		return -EINVAL;
	nw_access_batch(s, &a, 1);
	return s->status;
}

int nw_vm_map(struct nw_vm *vm, u64 gpa, u64 size)
{
	u64 end = gpa + size, pa;
	int err, level;

	if (vm->cfg.mode != NW_MODE_EPT && vm->cfg.mode != NW_MODE_NPT)
		return -EINVAL;
	while (gpa < end) {
		if (nw_pt_lookup(&vm->ept, gpa, &pa, &level, NULL)) {
			err = nw_vm_host_map(vm->sim, vm, gpa);
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

int nw_guest_pte_write(struct nw_vm *vm, u64 gpa, u64 val)
{
	u64 *ep = vm->gspace.entry(vm, gpa & ~7ULL);

	if (!ep)
		return -EFAULT;
	nw_entry_store(ep, val);
	if (vm->cfg.mode == NW_MODE_SHADOW)
		nw_shadow_wrote(vm, gpa);
	return 0;
}

struct nw_centry *nw_cache_probe(const struct nw_cache *c, u64 key, u32 tag,
				 u16 pcid)
{
	u32 set = (key >> 4) & c->set_mask, w;
	struct nw_centry *e = c->e + (size_t)set * c->ways;

	if (!c->entries)
		return NULL;
	for (w = 0; w < c->ways; w++, e++)
		if (nw_centry_match(e, key, tag, pcid))
			return e;
	return NULL;
}

u64 nw_cache_count(const struct nw_cache *c, const struct nw_inval *f)
{
	u64 n = 0;
	u32 i;

	for (i = 0; i < c->entries; i++)
		n += nw_inval_match(&c->e[i], f);
	return n;
}

u64 nw_pwc_count(const struct nw_pwc *p, const struct nw_inval *f)
{
	u64 n = 0;
	int l;

	for (l = NW_PDE; l <= NW_PML5E; l++)
		n += nw_cache_count(&p->c[l], f);
	return n;
}

u64 nw_tlb_count(const struct nw_tlb *t, const struct nw_inval *f)
{
	u64 n = 0;
	int lv, a;

	for (lv = 0; lv < t->nlevels; lv++)
		for (a = 0; a < NW_TLB_ARRAYS; a++)
			n += nw_cache_count(&t->l[lv].a[a], f);
	return n;
}

/*
 * Reach as the optimization manuals count it: every level's entries that
 * can hold @size, times the page size (levels are not assumed exclusive
 * or inclusive; this is the figure vendors quote).
 */
u64 nw_tlb_reach_kib(const struct nw_tlb *t, int size)
{
	u64 n = 0;
	int lv;

	/* A level that splinters the size holds it as smaller entries. */
	for (lv = 0; lv < t->nlevels; lv++)
		if (t->l[lv].holder[size])
			n += t->l[lv].holder[size]->entries *
			     (nw_level_size(t->l[lv].as[size]) >> 10);
	return n;
}

u64 nw_pt_entry_addr(struct nw_pt *pt, u64 va, int level)
{
	u64 table = pt->root, addr, e, *ep;
	int l;

	for (l = pt->levels; l >= level; l--) {
		addr = table + 8ULL * nw_pt_index(va, l);
		if (l == level)
			return addr;
		ep = pt->sp.entry(pt->sp.ctx, addr);
		if (!ep)
			return 0;
		e = nw_entry_load(ep);
		if (!nw_pt_present(pt, e) || (e & NW_PT_LARGE))
			return 0;
		table = e & NW_PT_ADDR_MASK;
	}
	return 0;
}

/* The leaf at @level mapping @va, or an error; *@base its first address. */
static int leaf_at(struct nw_pt *pt, u64 va, int level, u64 *base, u64 *pa,
		   u64 *e)
{
	int l, err = nw_pt_lookup(pt, va, pa, &l, e);

	if (err)
		return err == -ENOENT ? -EINVAL : err;
	if (l != level)
		return -EINVAL;
	*base = va & ~(nw_level_size(level) - 1);
	*pa -= va - *base;
	return 0;
}

/* Mapping the range again in smaller leaves splits the large one. */
int nw_pt_split(struct nw_pt *pt, u64 va, int level)
{
	u64 base, pa, e;
	int err;

	if (level <= NW_PTE || level > NW_PDPTE)
		return -EINVAL;
	err = leaf_at(pt, va, level, &base, &pa, &e);
	return err ?: nw_pt_map(pt, base, pa, nw_level_size(level),
				level - 1, e & NW_PT_ATTR_MASK);
}

/* 512 leaves, contiguous and alike, become one: mapped again whole. */
int nw_pt_merge(struct nw_pt *pt, u64 va, int level)
{
	u64 size = nw_level_size(level), child = nw_level_size(level - 1);
	u64 base = va & ~(size - 1), first = 0, pa0 = 0, pa, e, b;
	unsigned int i;
	int err;

	if (level <= NW_PTE || level > NW_PDPTE)
		return -EINVAL;
	for (i = 0; i < NW_PT_ENTRIES; i++) {
		err = leaf_at(pt, base + i * child, level - 1, &b, &pa, &e);
		if (err)
			return err;
		if (i == 0) {
			first = e;
			pa0 = pa;
			if (pa0 & (size - 1))
				return -EINVAL;
		}
		if ((e & NW_PT_ATTR_MASK) != (first & NW_PT_ATTR_MASK) ||
		    pa != pa0 + i * child)
			return -EINVAL;
	}
	return nw_pt_map(pt, base, pa0, size, level, first & NW_PT_ATTR_MASK);
}

int nw_ept_decode(u64 e, int level, const struct nw_ept_caps *caps,
		  struct nw_pte_info *out)
{
	u64 rsvd = nw_high_rsvd(caps->maxphyaddr);
	u64 rwx = e & NW_EPT_RWX;
	bool large = e & NW_EPT_LARGE;

	memset(out, 0, sizeof(*out));
	if (!rwx)
		return NW_PTE_NOT_PRESENT;

	/* Write without read, or execute-only where the CPU lacks it. */
	if ((rwx & NW_EPT_W) && !(rwx & NW_EPT_R))
		return NW_PTE_MISCONFIG;
	if (rwx == NW_EPT_X && !caps->exec_only)
		return NW_PTE_MISCONFIG;

	out->leaf = level == NW_PTE || (large && level <= NW_PDPTE);
	if (large && level >= NW_PML4E)
		return NW_PTE_MISCONFIG;
	/* SDM 29.3.3.1: a page size the CPU's EPT lacks. */
	if (large && level == NW_PDPTE && !caps->gbpages)
		return NW_PTE_MISCONFIG;
	if (large && level == NW_PDE && !caps->mbpages)
		return NW_PTE_MISCONFIG;
	if (!out->leaf)
		rsvd |= GENMASK_ULL(7, 3);
	else if (level > NW_PTE)
		rsvd |= nw_large_rsvd(level, 12);
	if (e & rsvd)
		return NW_PTE_MISCONFIG;
	if (out->leaf &&
	    !nw_ept_memtype_valid((e & NW_EPT_MT_MASK) >> NW_EPT_MT_SHIFT))
		return NW_PTE_MISCONFIG;

	out->addr = out->leaf ? nw_leaf_addr(e, level, caps->maxphyaddr) :
				e & nw_addr_mask(caps->maxphyaddr);
	out->perm = NW_PERM_U;	/* EPT has no user/supervisor distinction */
	if (rwx & NW_EPT_R)
		out->perm |= NW_PERM_R;
	if (rwx & NW_EPT_W)
		out->perm |= NW_PERM_W;
	if (rwx & NW_EPT_X)
		out->perm |= NW_PERM_X;
	if (caps->ad) {
		out->accessed = e & NW_EPT_A;
		out->dirty = out->leaf && (e & NW_EPT_D);
	}
	return NW_PTE_OK;
}

u64 nw_x86_make(u64 pa, int level, bool leaf, u64 flags)
{
	u64 e = flags | NW_X86_P;

	if (leaf && level > NW_PTE) {
		e |= NW_X86_PS;
		pa &= ~(nw_level_size(level) - 1);
	} else {
		e &= ~NW_X86_PS;
	}
	return e | (pa & nw_addr_mask(NW_MAXPHYADDR_MAX));
}

u64 nw_ept_make(u64 pa, int level, bool leaf, u64 rwx, unsigned int memtype)
{
	u64 e = rwx & NW_EPT_RWX;

	if (leaf) {
		e |= ((u64)memtype << NW_EPT_MT_SHIFT) & NW_EPT_MT_MASK;
		if (level > NW_PTE) {
			e |= NW_EPT_LARGE;
			pa &= ~(nw_level_size(level) - 1);
		}
	}
	return e | (pa & nw_addr_mask(NW_MAXPHYADDR_MAX));
}

int nw_preset_by_name(const char *name, struct nw_sim_cfg *cfg)
{
	int p;

	for (p = 0; p < NW_PRESET_NR; p++)
		if (!strcmp(name, nw_preset_names[p]))
			return nw_preset(p, cfg);
	return -EINVAL;
}

u64 nw_cost_per_access_m(u64 total_m, u64 accesses)
{
	return accesses ? nw_div64(total_m, accesses) : 0;
}

int nw_wl_init(struct nw_wl *wl, const struct nw_wl_cfg *cfg)
{
	int err = nw_wl_start(wl, cfg);

	if (!err)
		nw_wl_setup(wl, ~0ULL);
	return err;
}
