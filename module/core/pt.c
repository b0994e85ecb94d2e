// SPDX-License-Identifier: GPL-2.0
/*
 * Building, splitting, merging and tearing down page tables.
 *
 * Upper-level entries are made permissive (x86: P, R/W, U/S; EPT: R/W/X) so
 * that rights are decided by leaves, as Linux and KVM build their tables.
 */
#include "pt.h"

#define ADDR_MASK	nw_addr_mask(NW_MAXPHYADDR_MAX)
#define LARGE_BIT	BIT_ULL(7)	/* x86 PS and EPT "large page" */
#define ATTR_MASK	(~ADDR_MASK & ~LARGE_BIT)

static bool present(const struct nw_pt *pt, u64 e)
{
	return pt->fmt == NW_FMT_EPT ? e & NW_EPT_RWX : e & NW_X86_P;
}

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
	*ep = val;
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
 * believes it holds) bounds the work whatever they contain.
 */
static void free_subtree(struct nw_pt *pt, u64 table, int level, u64 *budget)
{
	unsigned int i;

	/* A corrupted entry may point outside memory: nothing to free. */
	if (!*budget || !pt->sp.entry(pt->sp.ctx, table))
		return;
	(*budget)--;
	for (i = 0; i < NW_PT_ENTRIES; i++) {
		u64 *ep = pt->sp.entry(pt->sp.ctx, table + 8ULL * i);

		if (!ep || !present(pt, *ep))
			continue;
		if (is_leaf(*ep, level))
			count_leaf(pt, level, -1);
		else
			free_subtree(pt, entry_pa(*ep, level), level - 1,
				     budget);
	}
	pt->sp.free(pt->sp.ctx, table);
	if (pt->tables)
		pt->tables--;
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

/* Replace the large leaf *@ep at @level by a table of 512 smaller leaves. */
static int split_entry(struct nw_pt *pt, u64 *ep, u64 addr, int level)
{
	u64 e = *ep, pa = entry_pa(e, level), child = nw_level_size(level - 1);
	u64 flags = e & ATTR_MASK & ~NW_X86_PAT_LARGE;
	u64 table;
	unsigned int i;
	int err;

	err = new_table(pt, &table);
	if (err)
		return err;
	for (i = 0; i < NW_PT_ENTRIES; i++) {
		u64 *cp = pt->sp.entry(pt->sp.ctx, table + 8ULL * i);

		if (!cp)
			return -EFAULT;
		*cp = leaf_entry(pt, pa + i * child, level - 1, flags);
	}
	count_leaf(pt, level - 1, NW_PT_ENTRIES);
	count_leaf(pt, level, -1);
	/* The model's A/D state of the big leaf carries to every piece. */
	ep = pt->sp.entry(pt->sp.ctx, addr);
	set_entry(pt, ep, addr, table_entry(pt, table));
	return 0;
}

/*
 * The entry for @va at @level, creating tables (and splitting larger
 * leaves) on the way when @alloc; NULL when absent or on error.
 */
static u64 *descend(struct nw_pt *pt, u64 va, int level, bool alloc,
		    u64 *addr, int *err)
{
	u64 table = pt->root;
	int l;

	*err = 0;
	for (l = pt->levels; l > level; l--) {
		u64 *ep = entry_at(pt, table, va, l, addr);

		if (!ep) {
			*err = -EFAULT;
			return NULL;
		}
		if (!present(pt, *ep)) {
			u64 t;

			if (!alloc)
				return NULL;
			*err = new_table(pt, &t);
			if (*err)
				return NULL;
			set_entry(pt, ep, *addr, table_entry(pt, t));
		} else if (is_leaf(*ep, l)) {
			if (!alloc)
				return NULL;
			*err = split_entry(pt, ep, *addr, l);
			if (*err)
				return NULL;
			ep = pt->sp.entry(pt->sp.ctx, *addr);
		}
		table = entry_pa(*ep, l);
	}
	return entry_at(pt, table, va, level, addr);
}

u64 nw_pt_entry_addr(struct nw_pt *pt, u64 va, int level)
{
	u64 addr;
	int err;

	return descend(pt, va, level, false, &addr, &err) ? addr : 0;
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
		if (present(pt, *ep)) {
			if (is_leaf(*ep, level))
				count_leaf(pt, level, -1);
			else
				free_table_tree(pt, entry_pa(*ep, level),
						level - 1);
		}
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
		u64 table = pt->root, addr = 0, *ep = NULL;
		int l;

		for (l = pt->levels; l >= NW_PTE; l--) {
			u64 span = nw_level_size(l), base = va & ~(span - 1);

			ep = entry_at(pt, table, va, l, &addr);
			if (!ep)
				return -EFAULT;
			if (!present(pt, *ep)) {
				va = base + span;
				break;
			}
			if (base >= va && base + span <= end) {
				if (is_leaf(*ep, l))
					count_leaf(pt, l, -1);
				else
					free_table_tree(pt, entry_pa(*ep, l),
							l - 1);
				set_entry(pt, ep, addr, 0);
				if (cleared)
					(*cleared)++;
				va = base + span;
				break;
			}
			if (is_leaf(*ep, l)) {
				int err = l > NW_PTE ?
					  split_entry(pt, ep, addr, l) : -EINVAL;

				if (err)
					return err;
				ep = pt->sp.entry(pt->sp.ctx, addr);
			}
			table = entry_pa(*ep, l);
		}
		if (!va)	/* wrapped past the top of the address space */
			break;
	}
	return 0;
}

int nw_pt_split(struct nw_pt *pt, u64 va, int level)
{
	u64 addr, *ep;
	int err;

	if (level <= NW_PTE || level > NW_PDPTE)
		return -EINVAL;
	ep = descend(pt, va, level, false, &addr, &err);
	if (!ep)
		return err ? err : -ENOENT;
	if (!present(pt, *ep) || !is_leaf(*ep, level))
		return -EINVAL;
	return split_entry(pt, ep, addr, level);
}

int nw_pt_merge(struct nw_pt *pt, u64 va, int level)
{
	u64 addr, *ep, table, first = 0, pa = 0;
	u64 child = nw_level_size(level - 1);
	unsigned int i;
	int err;

	if (level <= NW_PTE || level > NW_PDPTE)
		return -EINVAL;
	ep = descend(pt, va, level, false, &addr, &err);
	if (!ep)
		return err ? err : -ENOENT;
	if (!present(pt, *ep) || is_leaf(*ep, level))
		return -EINVAL;
	table = entry_pa(*ep, level);
	for (i = 0; i < NW_PT_ENTRIES; i++) {
		u64 *cp = pt->sp.entry(pt->sp.ctx, table + 8ULL * i);

		if (!cp || !present(pt, *cp) || !is_leaf(*cp, level - 1))
			return -EINVAL;
		if (i == 0) {
			first = *cp;
			pa = entry_pa(first, level - 1);
			if (pa & (nw_level_size(level) - 1))
				return -EINVAL;
		}
		if ((*cp & ATTR_MASK) != (first & ATTR_MASK) ||
		    entry_pa(*cp, level - 1) != pa + i * child)
			return -EINVAL;
	}
	set_entry(pt, ep, addr, leaf_entry(pt, pa, level, first & ATTR_MASK));
	count_leaf(pt, level - 1, -NW_PT_ENTRIES);
	count_leaf(pt, level, 1);
	pt->sp.free(pt->sp.ctx, table);
	pt->tables--;
	return 0;
}

int nw_pt_lookup(struct nw_pt *pt, u64 va, u64 *pa, int *level, u64 *entry)
{
	u64 table = pt->root, addr;
	int l;

	for (l = pt->levels; l >= NW_PTE; l--) {
		u64 *ep = entry_at(pt, table, va, l, &addr);

		if (!ep)
			return -EFAULT;
		if (!present(pt, *ep))
			return -ENOENT;
		if (is_leaf(*ep, l)) {
			if (l > NW_PDPTE)
				return -EINVAL;
			*pa = entry_pa(*ep, l) + (va & (nw_level_size(l) - 1));
			*level = l;
			if (entry)
				*entry = *ep;
			return 0;
		}
		table = entry_pa(*ep, l);
	}
	return -EINVAL;
}
