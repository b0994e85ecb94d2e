// SPDX-License-Identifier: GPL-2.0
/*
 * MAP: guest mappings, written into the guest's page tables in guest
 * memory (native mode: model tables), in chunks that look at the
 * scheduler and at fatal signals.
 */
#include <linux/sched.h>
#include <linux/sched/signal.h>

#include "abi.h"

static u64 prot_flags(u64 prot)
{
	u64 f = 0;

	if (prot & NESTWALK_PROT_WRITE)
		f |= NW_X86_RW;
	if (prot & NESTWALK_PROT_USER)
		f |= NW_X86_US;
	if (!(prot & NESTWALK_PROT_EXEC))
		f |= NW_X86_XD;
	return f;
}

/*
 * Native mode has no guest-physical dimension: its page tables hold the
 * model's host-physical addresses, so the memslot range @gpa names is
 * translated here, and must be one contiguous, leaf-aligned piece.
 */
static int native_target(struct nw_gvm *vm, const struct nestwalk_map *m,
			 u64 span, u64 *pa)
{
	struct nw_memslot *slot;

	list_for_each_entry(slot, &vm->slots, node) {
		if (m->gpa < slot->gpa ||
		    m->gpa + m->length > slot->gpa + slot->size)
			continue;
		*pa = slot->hpa_base + (m->gpa - slot->gpa);
		return *pa & (span - 1) ? -EINVAL : 0;
	}
	return -EFAULT;
}

/*
 * Leaves a MAP may write: each sits in a table page, so no more than the
 * table pages the VM could ever hold have room for - its gpt region, or
 * in native mode (tables in kernel memory) the module's table budget.
 */
static u64 map_leaves_max(const struct nw_gvm *vm)
{
	u64 tables = vm->cfg.mode == NESTWALK_MODE_NATIVE ?
		     READ_ONCE(nw_max_table_pages) :
		     vm->cfg.gpt_size >> PAGE_SHIFT;

	return min_t(u64, tables, U64_MAX / NW_PT_ENTRIES) * NW_PT_ENTRIES;
}

/* Leaves written between two looks at the scheduler and at signals. */
#define NW_MAP_CHUNK	NW_PT_ENTRIES

/*
 * Write @m's leaves in chunks, as RUN replays accesses: a fatal signal
 * stops it with -EINTR, the leaves written so far staying mapped.
 */
static int map_chunks(struct nw_as *as, const struct nestwalk_map *m, u64 pa)
{
	u64 span = nw_level_size(m->leaf), chunk = NW_MAP_CHUNK * span;
	u64 off, len;
	int ret;

	for (off = 0; off < m->length; off += len) {
		len = min_t(u64, chunk, m->length - off);
		ret = nw_as_map(as, m->gva + off, pa + off, len, m->leaf,
				prot_flags(m->prot));
		if (ret)
			return ret;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return 0;
}

int nw_map_ioctl(struct nw_session *s, const struct nestwalk_map *m)
{
	struct nw_gvm *vm = nw_vm_lookup(s, m->vm_id);
	struct nw_as *as;
	u64 span, pa = m->gpa;
	int ret;

	if (m->prot & ~NESTWALK_PROT_FLAGS || m->pcid > NESTWALK_PCID_MAX ||
	    m->leaf < NESTWALK_PAGE_4K || m->leaf > NESTWALK_PAGE_1G)
		return -EINVAL;
	span = nw_level_size(m->leaf);
	if (!m->length || (m->gva | m->gpa | m->length) & (span - 1) ||
	    m->gva + m->length < m->gva || m->gpa + m->length < m->gpa)
		return -EINVAL;
	if (!vm)
		return -ENOENT;
	/* No more than the guest's whole linear address space (SDM 4.5). */
	if (m->length > nw_level_size(vm->cfg.guest_levels + 1))
		return -EINVAL;
	if (m->length / span > map_leaves_max(vm))
		return -ENOSPC;
	if (vm->cfg.mode == NESTWALK_MODE_NATIVE) {
		ret = native_target(vm, m, span, &pa);
		if (ret)
			return ret;
	}

	as = nw_as_find(vm->core, m->pcid);
	if (!as) {
		ret = nw_as_create(vm->core, m->pcid, &as);
		if (ret)
			return ret;
	}
	return map_chunks(as, m, pa);
}
