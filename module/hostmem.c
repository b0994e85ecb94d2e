// SPDX-License-Identifier: GPL-2.0
/*
 * The model's host-physical memory, as the core reaches it through struct
 * nw_mem_ops: below 4 GiB, table pages the module allocates for EPT, NPT
 * and shadow tables; above, the pinned pages of the session's memslots
 * (see struct nw_memslot for how their addresses are chosen). Nothing else
 * is ever returned, so no crafted table can make the model touch memory
 * that is not the session's own.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "compat.h"
#include "nestwalk.h"
#include "mem.h"
#include "pte.h"

/* Table page i lives at hpa (i + 1) * 4 KiB: hpa 0 is never valid. */
#define NW_MAX_TABLES	((SZ_4G >> PAGE_SHIFT) - 1)

static struct nw_memslot *slot_of_hpa(struct nw_session *s, u64 hpa)
{
	struct nw_memslot *slot;
	u32 i;

	for (i = 0; i < s->nvms; i++)
		list_for_each_entry(slot, &s->vms[i]->slots, node)
			if (hpa >= slot->hpa_base &&
			    hpa < slot->hpa_base + slot->size)
				return slot;
	return NULL;
}

static u64 *hm_page(void *ctx, u64 hpa)
{
	struct nw_session *s = ctx;
	struct nw_memslot *slot;
	u64 i;

	if (hpa < SZ_4G) {
		i = (hpa >> PAGE_SHIFT) - 1;
		if (!hpa || i >= s->ntables || !s->tables[i])
			return NULL;
		return page_address(s->tables[i]);
	}
	slot = slot_of_hpa(s, hpa);
	if (!slot)
		return NULL;
	return page_address(slot->pages[(hpa - slot->hpa_base) >> PAGE_SHIFT]);
}

/* One page of the module-wide table budget (max_table_pages). */
static int reserve_table(void)
{
	if (atomic64_inc_return(&nw_table_pages) >
	    READ_ONCE(nw_max_table_pages)) {
		atomic64_dec(&nw_table_pages);
		return -ENOSPC;
	}
	return 0;
}

static int hm_alloc_table(void *ctx, u64 *hpa)
{
	struct nw_session *s = ctx;
	struct page **grown;
	struct page *page;
	u32 i, cap;
	int ret;

	ret = reserve_table();
	if (ret)
		return ret;
	page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!page) {
		ret = -ENOMEM;
		goto err_reserved;
	}
	if (s->nfree) {
		i = s->free_tables[--s->nfree];
	} else {
		if (s->ntables == NW_MAX_TABLES)
			goto err_page;
		if (s->ntables == s->cap_tables) {
			cap = max_t(u32, 64, s->cap_tables * 2);
			grown = nw_kvrealloc(s->tables,
					     s->cap_tables * sizeof(*grown),
					     cap * sizeof(*grown),
					     GFP_KERNEL_ACCOUNT);
			if (!grown)
				goto err_page;
			s->tables = grown;
			s->cap_tables = cap;
		}
		i = s->ntables++;
	}
	s->tables[i] = page;
	s->table_pages++;
	*hpa = ((u64)i + 1) << PAGE_SHIFT;
	return 0;

err_page:
	__free_page(page);
	ret = -ENOMEM;
err_reserved:
	atomic64_dec(&nw_table_pages);
	return ret;
}

static void hm_free_table(void *ctx, u64 hpa)
{
	struct nw_session *s = ctx;
	u32 i = (hpa >> PAGE_SHIFT) - 1;
	u32 *grown;

	if (WARN_ON_ONCE(!hpa || hpa >= SZ_4G || i >= s->ntables ||
			 !s->tables[i]))
		return;
	__free_page(s->tables[i]);
	s->tables[i] = NULL;
	s->table_pages--;
	atomic64_dec(&nw_table_pages);
	/* Keep the index for reuse; if that needs memory, just leak it. */
	if (s->nfree == s->cap_free) {
		grown = nw_kvrealloc(s->free_tables,
				     s->cap_free * sizeof(*grown),
				     max_t(u32, 64, s->cap_free * 2) *
				     sizeof(*grown), GFP_KERNEL_ACCOUNT);
		if (!grown)
			return;
		s->free_tables = grown;
		s->cap_free = max_t(u32, 64, s->cap_free * 2);
	}
	s->free_tables[s->nfree++] = i;
}

/* The leaf that may map @gpa: nw_backing_level() over the user address. */
static int hm_backing(void *ctx, u32 vm, u64 gpa, u64 *hpa, int *level)
{
	struct nw_session *s = ctx;
	struct nw_memslot *slot;
	u64 off;

	if (vm >= s->nvms)
		return -EFAULT;
	list_for_each_entry(slot, &s->vms[vm]->slots, node) {
		if (gpa < slot->gpa || gpa >= slot->gpa + slot->size)
			continue;
		off = gpa - slot->gpa;
		*hpa = slot->hpa_base + off;
		*level = nw_backing_level(gpa, slot->uaddr + off,
					  slot->level[off >> PAGE_SHIFT],
					  slot->gpa, slot->size);
		return 0;
	}
	return -EFAULT;
}

const struct nw_mem_ops nw_hostmem_ops = {
	.page = hm_page,
	.alloc_table = hm_alloc_table,
	.free_table = hm_free_table,
	.backing = hm_backing,
};

/* After the simulator is gone: every table page it left. */
void nw_hostmem_free(struct nw_session *s)
{
	u32 i;

	for (i = 0; i < s->ntables; i++)
		if (s->tables[i])
			__free_page(s->tables[i]);
	atomic64_sub(s->table_pages, &nw_table_pages);
	s->table_pages = 0;
	kvfree(s->tables);
	kvfree(s->free_tables);
}
