// SPDX-License-Identifier: GPL-2.0
/*
 * Building and tearing down page tables.
 *
 * Upper-level entries are made permissive (x86: P, R/W, U/S; EPT: R/W/X) so
 * that rights are decided by leaves, as Linux and KVM build their tables.
 */
#include "pt.h"

#define ADDR_MASK	NW_PT_ADDR_MASK
#define LARGE_BIT	NW_PT_LARGE
#define ATTR_MASK	NW_PT_ATTR_MASK
#define present		nw_pt_present

static bool is_leaf(u64 e, int level)
{
	return level == NW_PTE || (e & LARGE_BIT);
}

static u64 table_entry(const struct nw_pt *pt, u64 pa)
{
	u64 e = pt->fmt == NW_FMT_EPT ? NW_EPT_RWX : NW_PT_X86_TABLE;

	return e | (pa & ADDR_MASK);
}

static u64 leaf_entry(const struct nw_pt *pt, u64 pa, int level, u64 flags)
{
	u64 e = flags & ATTR_MASK;

	if (pt->fmt == NW_FMT_X86)
		e |= NW_X86_P;
	if (level > NW_PTE)
		e |= LARGE_BIT;
	return e | (pa & ADDR_MASK & ~(nw_level_size(level) - 1));
}

static u64 entry_pa(u64 e, int level)
{
	if (is_leaf(e, level))
		return e & ADDR_MASK & ~(nw_level_size(level) - 1);
	return e & ADDR_MASK;
}

static void set_entry(struct nw_pt *pt, u64 *ep, u64 addr, u64 val)
{
	nw_entry_store(ep, val);
	if (pt->sp.wrote)
		pt->sp.wrote(pt->sp.ctx, addr);
}

static u64 *entry_at(struct nw_pt *pt, u64 table, u64 va, int level,
		     u64 *addr)
{
	*addr = table + 8ULL * nw_pt_index(va, level);
	return pt->sp.entry(pt->sp.ctx, *addr);
}

static int new_table(struct nw_pt *pt, u64 *pa)
{
	int err = pt->sp.alloc(pt->sp.ctx, pa);

	if (!err)
		pt->tables++;
	return err;
}

static void count_leaf(struct nw_pt *pt, int level, s64 delta)
{
	if (level <= NW_PDPTE)
		pt->leaves[level] += delta;
}

int nw_pt_init(struct nw_pt *pt, const struct nw_pt_space *sp, int levels,
	       int fmt)
{
	memset(pt, 0, sizeof(*pt));
	if (levels != 4 && levels != 5)
		return -EINVAL;
	pt->sp = *sp;
	pt->levels = levels;
	pt->fmt = fmt;
	return new_table(pt, &pt->root);
}

/*
 * Free the table at @level and all below; depth is at most 5. Guest
 * tables live in memory the guest can write, so their entries may point
 * anywhere, even many times at one table: @budget (the tables this pt
 * believes it holds) bounds the work whatever they contain, and the space
 * frees only pages it handed out (gpt.h).
 */
static void free_subtree(struct nw_pt *pt, u64 table, int level, u64 *budget)
{
	unsigned int i;

	/* A corrupted entry may point outside memory: nothing to free. */
	if (!*budget || !pt->sp.entry(pt->sp.ctx, table))
		return;
	(*budget)--;
	for (i = 0; i < NW_PT_ENTRIES; i++) {
		u64 *ep = pt->sp.entry(pt->sp.ctx, table + 8ULL * i), e;

		if (!ep)
			continue;
		e = nw_entry_load(ep);
		if (!present(pt, e))
			continue;
		if (is_leaf(e, level))
			count_leaf(pt, level, -1);
		else
			free_subtree(pt, entry_pa(e, level), level - 1,
				     budget);
	}
	if (pt->sp.free(pt->sp.ctx, table) && pt->tables)
		pt->tables--;
	/* A caller decides how many tables there are. */
	nw_cond_resched();
}

static void free_table_tree(struct nw_pt *pt, u64 table, int level)
{
	u64 budget = pt->tables;

	free_subtree(pt, table, level, &budget);
}

void nw_pt_destroy(struct nw_pt *pt)
{
	if (pt->tables)
		free_table_tree(pt, pt->root, pt->levels);
	pt->tables = 0;
	pt->root = 0;
}

/* A table of this pt that no entry references (any more). */
static void drop_table(struct nw_pt *pt, u64 table)
{
	if (pt->sp.free(pt->sp.ctx, table))
		pt->tables--;
}

/*
 * Replace the large leaf @e (read from @ep, at @addr) by a table of 512
 * smaller leaves, whose address goes to *@table.
 */
static int split_entry(struct nw_pt *pt, u64 *ep, u64 e, u64 addr, int level,
		       u64 *table)
{
	u64 pa = entry_pa(e, level), child = nw_level_size(level - 1);
	u64 flags = e & ATTR_MASK & ~NW_X86_PAT_LARGE;
	u64 t;
	unsigned int i;
	int err;

	err = new_table(pt, &t);
	if (err)
		return err;
	for (i = 0; i < NW_PT_ENTRIES; i++) {
		u64 *cp = pt->sp.entry(pt->sp.ctx, t + 8ULL * i);

		if (!cp) {
			drop_table(pt, t);
			return -EFAULT;
		}
		nw_entry_store(cp, leaf_entry(pt, pa + i * child, level - 1,
					      flags));
	}
	count_leaf(pt, level - 1, NW_PT_ENTRIES);
	count_leaf(pt, level, -1);
	/* The model's A/D state of the big leaf carries to every piece. */
	set_entry(pt, ep, addr, table_entry(pt, t));
	*table = t;
	return 0;
}

/*
 * The entry for @va at @level, creating tables (and splitting larger
 * leaves) on the way when @alloc; NULL when absent or on error. Each
 * entry on the way is read once: its copy decides.
 */
static u64 *descend(struct nw_pt *pt, u64 va, int level, bool alloc,
		    u64 *addr, int *err)
{
	u64 table = pt->root;
	int l;

	*err = 0;
	for (l = pt->levels; l > level; l--) {
		u64 *ep = entry_at(pt, table, va, l, addr), e;

		if (!ep) {
			*err = -EFAULT;
			return NULL;
		}
		e = nw_entry_load(ep);
		if (!present(pt, e)) {
			if (!alloc)
				return NULL;
			*err = new_table(pt, &table);
			if (*err)
				return NULL;
			set_entry(pt, ep, *addr, table_entry(pt, table));
		} else if (is_leaf(e, l)) {
			if (!alloc)
				return NULL;
			*err = split_entry(pt, ep, e, *addr, l, &table);
			if (*err)
				return NULL;
		} else {
			table = entry_pa(e, l);
		}
	}
	return entry_at(pt, table, va, level, addr);
}

/* What replacing the entry @e at @level drops: a leaf, or a subtree. */
static void drop_entry(struct nw_pt *pt, u64 e, int level)
{
	if (!present(pt, e))
		return;
	if (is_leaf(e, level))
		count_leaf(pt, level, -1);
	else
		free_table_tree(pt, entry_pa(e, level), level - 1);
}

int nw_pt_map(struct nw_pt *pt, u64 va, u64 pa, u64 size, int level,
	      u64 flags)
{
	u64 step = nw_level_size(level), off;

	if (level < NW_PTE || level > NW_PDPTE || ((va | pa | size) &
						   (step - 1)) ||
	    va + size < va || pa + size < pa)
		return -EINVAL;
	for (off = 0; off < size; off += step) {
		u64 addr, *ep;
		int err;

		ep = descend(pt, va + off, level, true, &addr, &err);
		if (!ep)
			return err ? err : -EFAULT;
		drop_entry(pt, nw_entry_load(ep), level);
		set_entry(pt, ep, addr, leaf_entry(pt, pa + off, level, flags));
		count_leaf(pt, level, 1);
	}
	return 0;
}

int nw_pt_unmap(struct nw_pt *pt, u64 va, u64 size, u64 *cleared)
{
	u64 end = va + size;

	if ((va | size) & (NW_PAGE_SIZE - 1))
		return -EINVAL;

	while (va < end) {
		u64 table = pt->root, addr = 0, *ep = NULL, e;
		int l;

		for (l = pt->levels; l >= NW_PTE; l--) {
			u64 span = nw_level_size(l), base = va & ~(span - 1);

			ep = entry_at(pt, table, va, l, &addr);
			if (!ep)
				return -EFAULT;
			e = nw_entry_load(ep);
			if (!present(pt, e)) {
				va = base + span;
				break;
			}
			if (base >= va && base + span <= end) {
				drop_entry(pt, e, l);
				set_entry(pt, ep, addr, 0);
				if (cleared)
					(*cleared)++;
				va = base + span;
				break;
			}
			if (is_leaf(e, l)) {
				int err = l > NW_PTE ?
					  split_entry(pt, ep, e, addr, l,
						      &table) : -EINVAL;

				if (err)
					return err;
				continue;
			}
			table = entry_pa(e, l);
		}
		if (!va)	/* wrapped past the top of the address space */
			break;
	}
	return 0;
}

int nw_pt_lookup(struct nw_pt *pt, u64 va, u64 *pa, int *level, u64 *entry)
{
	u64 table = pt->root, addr, e;
	int l;

	for (l = pt->levels; l >= NW_PTE; l--) {
		u64 *ep = entry_at(pt, table, va, l, &addr);

		if (!ep)
			return -EFAULT;
		e = nw_entry_load(ep);
		if (!present(pt, e))
			return -ENOENT;
		if (is_leaf(e, l)) {
			if (l > NW_PDPTE)
				return -EINVAL;
			*pa = entry_pa(e, l) + (va & (nw_level_size(l) - 1));
			*level = l;
			if (entry)
				*entry = e;
			return 0;
		}
		table = entry_pa(e, l);
	}
	return -EINVAL;
}
