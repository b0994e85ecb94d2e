// SPDX-License-Identifier: GPL-2.0
/*
 * Memslots: guest-physical ranges backed by the caller's own memory, pinned
 * for the session's lifetime (FOLL_LONGTERM, charged to RLIMIT_MEMLOCK),
 * with the size of the host mapping of every page read from the caller's
 * page tables - the figure KVM uses to size its EPT leaves.
 */
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "nestwalk.h"
#include "pte.h"
#include "shadow.h"

/* Largest guest-physical address the model accepts (its MAXPHYADDR). */
#define NW_GPA_LIMIT	BIT_ULL(NW_MAXPHYADDR)
/* Pages pinned per call, so that a fatal signal is seen in time. */
#define NW_PIN_CHUNK	512

/*
 * The level at which @hva is mapped in @mm: 3 for a 1 GiB leaf, 2 for
 * 2 MiB, 1 otherwise. Called under mmap_read_lock with the page pinned, so
 * the tables cannot go away under the walk.
 */
static u8 host_level(struct mm_struct *mm, unsigned long hva)
{
	pgd_t pgdv;
	p4d_t p4dv;
	pud_t pudv;
	pmd_t pmdv;

	/*
	 * Each level is read once and the next one found from that copy,
	 * as gup's lockless walk does (pmd_offset_lockless()): THP splits
	 * and collapses change these entries without mmap_lock for write.
	 */
	pgdv = READ_ONCE(*pgd_offset(mm, hva));
	if (!pgd_present(pgdv))
		return NW_PTE;
	p4dv = READ_ONCE(*p4d_offset(&pgdv, hva));
	if (!p4d_present(p4dv))
		return NW_PTE;
	pudv = READ_ONCE(*pud_offset(&p4dv, hva));
	if (!pud_present(pudv))
		return NW_PTE;
	if (pud_leaf(pudv))
		return NW_PDPTE;
	pmdv = READ_ONCE(*pmd_offset(&pudv, hva));
	if (pmd_present(pmdv) && pmd_leaf(pmdv))
		return NW_PDE;
	return NW_PTE;
}

/* Record every page's host level and count the mappings by size. */
static void read_host_levels(struct nw_memslot *slot)
{
	unsigned long i, step;

	mmap_read_lock(slot->mm);
	for (i = 0; i < slot->npages; i += step) {
		unsigned long hva = slot->uaddr + i * PAGE_SIZE;
		u8 level = host_level(slot->mm, hva);
		u64 span = nw_level_size(level);
		/* Pages of this mapping inside the slot, from hva on. */
		unsigned long left = (span - (hva & (span - 1))) >> PAGE_SHIFT;

		step = min(left, slot->npages - i);
		memset(slot->level + i, level, step);
		if (level == NW_PTE)
			slot->host[0] += step;
		else
			slot->host[level - 1]++;
		cond_resched();
	}
	mmap_read_unlock(slot->mm);
}

static int pin_pages(struct nw_memslot *slot)
{
	unsigned long done = 0;
	long n;

	while (done < slot->npages) {
		if (fatal_signal_pending(current)) {
			n = -EINTR;
			goto err_unpin;
		}
		n = pin_user_pages_fast(slot->uaddr + done * PAGE_SIZE,
					min_t(unsigned long, NW_PIN_CHUNK,
					      slot->npages - done),
					FOLL_WRITE | FOLL_LONGTERM,
					slot->pages + done);
		if (n <= 0) {
			if (!n)
				n = -EFAULT;
			goto err_unpin;
		}
		done += n;
		cond_resched();
	}
	return 0;

err_unpin:
	unpin_user_pages(slot->pages, done);
	return n;
}

static bool overlaps(struct nw_gvm *vm, u64 gpa, u64 size)
{
	struct nw_memslot *slot;

	list_for_each_entry(slot, &vm->slots, node)
		if (gpa < slot->gpa + slot->size && slot->gpa < gpa + size)
			return true;
	return false;
}

static int check_args(struct nw_gvm *vm, const struct nestwalk_memslot *m)
{
	if (!m->memory_size || !PAGE_ALIGNED(m->memory_size) ||
	    !PAGE_ALIGNED(m->gpa) || !PAGE_ALIGNED(m->userspace_addr))
		return -EINVAL;
	if (m->gpa + m->memory_size < m->gpa ||
	    m->gpa + m->memory_size > NW_GPA_LIMIT ||
	    m->userspace_addr + m->memory_size < m->userspace_addr ||
	    !access_ok(u64_to_user_ptr(m->userspace_addr), m->memory_size))
		return -EINVAL;
	if (overlaps(vm, m->gpa, m->memory_size))
		return -EEXIST;
	if (vm->nslots >= nw_max_memslots)
		return -ENOSPC;
	return 0;
}

/*
 * Reserve @npages of the module-wide pin budget. A request above the
 * whole budget fails here, before anything sized by it is allocated.
 */
static int reserve_pins(u64 npages)
{
	if (npages > READ_ONCE(nw_max_pinned_pages))
		return -ENOMEM;
	if (atomic64_add_return(npages, &nw_pinned_pages) >
	    READ_ONCE(nw_max_pinned_pages)) {
		atomic64_sub(npages, &nw_pinned_pages);
		return -ENOMEM;
	}
	return 0;
}

int nw_memslot_add(struct nw_session *s, struct nw_gvm *vm,
		   struct nestwalk_memslot *m)
{
	/* Sized by the caller: a failure is an answer, not a warning. */
	const gfp_t gfp = GFP_KERNEL_ACCOUNT | __GFP_NOWARN;
	u64 npages = m->memory_size >> PAGE_SHIFT;
	struct nw_memslot *slot;
	int ret;

	ret = check_args(vm, m);
	if (ret)
		return ret;
	ret = reserve_pins(npages);
	if (ret)
		return ret;

	slot = kzalloc(sizeof(*slot), GFP_KERNEL_ACCOUNT);
	if (!slot) {
		ret = -ENOMEM;
		goto err_pins;
	}
	slot->gpa = m->gpa;
	slot->size = m->memory_size;
	slot->uaddr = m->userspace_addr;
	slot->npages = npages;
	slot->pages = kvcalloc(slot->npages, sizeof(*slot->pages), gfp);
	slot->level = kvzalloc(slot->npages, gfp);
	if (!slot->pages || !slot->level) {
		ret = -ENOMEM;
		goto err_free;
	}

	slot->mm = current->mm;
	mmgrab(slot->mm);
	ret = account_locked_vm(slot->mm, slot->npages, true);
	if (ret)
		goto err_mm;
	ret = pin_pages(slot);
	if (ret)
		goto err_account;
	read_host_levels(slot);

	/* Congruent to uaddr modulo 1 GiB; slots never share a gigabyte. */
	slot->hpa_base = s->hpa_next + (slot->uaddr & (SZ_1G - 1));

	mutex_lock(&s->objs_lock);
	s->hpa_next = ALIGN(slot->hpa_base + slot->size, SZ_1G);
	slot->id = vm->nslots++;
	list_add_tail(&slot->node, &vm->slots);
	mutex_unlock(&s->objs_lock);
	/* KVM resizes its shadow MMU quota on every memslot change. */
	nw_shadow_slot_added(vm->core, npages);

	m->slot_id = slot->id;
	m->host_4k = slot->host[0];
	m->host_2m = slot->host[1];
	m->host_1g = slot->host[2];
	return 0;

err_account:
	account_locked_vm(slot->mm, slot->npages, false);
err_mm:
	mmdrop(slot->mm);
err_free:
	kvfree(slot->level);
	kvfree(slot->pages);
	kfree(slot);
err_pins:
	atomic64_sub(npages, &nw_pinned_pages);
	return ret;
}

/* Unpin and uncharge; the slot must already be off its VM's list. */
void nw_memslot_free(struct nw_memslot *slot)
{
	unpin_user_pages_dirty_lock(slot->pages, slot->npages, true);
	/* The owner may be exiting: uncharge only a live mm. */
	if (mmget_not_zero(slot->mm)) {
		account_locked_vm(slot->mm, slot->npages, false);
		mmput(slot->mm);
	}
	mmdrop(slot->mm);
	atomic64_sub(slot->npages, &nw_pinned_pages);
	kvfree(slot->level);
	kvfree(slot->pages);
	kfree(slot);
}

/* Bytes of bookkeeping the memslots of @s take (objs_lock held). */
u64 nw_session_meta_bytes(struct nw_session *s)
{
	const struct nw_memslot *slot;
	u64 bytes = 0;
	u32 i;

	for (i = 0; i < s->nvms; i++)
		list_for_each_entry(slot, &s->vms[i]->slots, node)
			bytes += sizeof(*slot) + slot->npages *
				 (sizeof(*slot->pages) + sizeof(*slot->level));
	return bytes;
}
