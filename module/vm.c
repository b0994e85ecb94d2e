// SPDX-License-Identifier: GPL-2.0
/*
 * VMs of a session: their configuration and memslots.
 */
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "nestwalk.h"
#include "invalidate.h"

static int check_cfg(struct nw_session *s, const struct nestwalk_vm_create *c)
{
	bool nested = c->mode == NESTWALK_MODE_EPT ||
		      c->mode == NESTWALK_MODE_NPT;
	u32 i;

	if (c->mode > NESTWALK_MODE_SHADOW || c->vpid > NESTWALK_VPID_MAX)
		return -EINVAL;
	if (c->guest_levels != 4 && c->guest_levels != 5)
		return -EINVAL;
	if (nested ? c->host_levels != 4 && c->host_levels != 5 :
		     c->host_levels != 0)
		return -EINVAL;
	if (c->max_leaf > NESTWALK_PAGE_1G)
		return -EINVAL;
	if ((c->flags & NESTWALK_VM_EPT_AD) && c->mode != NESTWALK_MODE_EPT)
		return -EINVAL;
	/* PKRU is 32 bits (SDM 4.6.2), and only with CR4.PKE. */
	if (c->pkru > U32_MAX || (c->pkru && !(c->flags & NESTWALK_VM_PKE)))
		return -EINVAL;
	/* KVM offers no PKU to a guest under shadow paging (cpuid.c). */
	if ((c->flags & NESTWALK_VM_PKE) && c->mode == NESTWALK_MODE_SHADOW)
		return -EOPNOTSUPP;
	for (i = 0; i < s->nvms && c->vpid; i++)
		if (s->vms[i]->cfg.vpid == c->vpid)
			return -EEXIST;
	if (s->nvms >= min_t(unsigned int, nw_max_vms, NW_SESSION_VMS))
		return -ENOSPC;
	if ((c->gpt_base | c->gpt_size) & ~PAGE_MASK ||
	    c->gpt_base + c->gpt_size < c->gpt_base)
		return -EINVAL;
	return 0;
}

static int core_vm_create(struct nw_session *s, struct nw_gvm *vm)
{
	const struct nestwalk_vm_create *c = &vm->cfg;
	struct nw_vm_cfg cfg = {
		.mode = c->mode,
		.vpid = c->vpid,
		.guest_levels = c->guest_levels,
		.host_levels = c->host_levels,
		.max_level = c->max_leaf,
		.ept_ad = !!(c->flags & NESTWALK_VM_EPT_AD),
		.cr = {
			.no_wp = !!(c->flags & NESTWALK_VM_NO_WP),
			.smep = !!(c->flags & NESTWALK_VM_SMEP),
			.smap = !!(c->flags & NESTWALK_VM_SMAP),
			.pke = !!(c->flags & NESTWALK_VM_PKE),
			.pkru = c->pkru,
		},
		.gpt_base = c->gpt_base,
		.gpt_size = c->gpt_size,
	};
	int ret;

	ret = nw_vm_create(s->sim, &cfg, &vm->core);
	/* Both number VMs in creation order and destroy the last first. */
	if (!ret && WARN_ON_ONCE(vm->core->id != vm->id)) {
		nw_vm_destroy(vm->core);
		ret = -EINVAL;
	}
	return ret;
}

int nw_vm_create_ioctl(struct nw_session *s, struct nestwalk_vm_create *c)
{
	struct nw_gvm *vm;
	int ret;

	ret = check_cfg(s, c);
	if (ret)
		return ret;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return -ENOMEM;
	INIT_LIST_HEAD(&vm->slots);
	vm->cfg = *c;
	if (!vm->cfg.max_leaf)
		vm->cfg.max_leaf = NESTWALK_PAGE_1G;
	vm->id = s->nvms;
	mutex_lock(&s->objs_lock);
	ret = core_vm_create(s, vm);
	if (!ret)
		s->vms[s->nvms++] = vm;
	mutex_unlock(&s->objs_lock);
	if (ret) {
		kfree(vm);
		return ret;
	}

	c->vm_id = vm->id;
	return 0;
}

struct nw_gvm *nw_vm_lookup(struct nw_session *s, u64 id)
{
	return id < s->nvms ? s->vms[id] : NULL;
}

static void free_slots(struct nw_gvm *vm)
{
	struct nw_memslot *slot, *tmp;

	list_for_each_entry_safe(slot, tmp, &vm->slots, node) {
		list_del(&slot->node);
		nw_memslot_free(slot);
	}
}

/* Undo the last nw_vm_create_ioctl(). */
void nw_vm_destroy_last(struct nw_session *s)
{
	struct nw_gvm *vm;

	/* Under objs_lock: debugfs readers look into the model's VMs. */
	mutex_lock(&s->objs_lock);
	vm = s->vms[--s->nvms];
	s->vms[s->nvms] = NULL;
	/* The model lets go of the VM's memory before it is unpinned. */
	nw_vm_destroy(vm->core);
	nw_mem_forget(&s->sim->mem, ~0ULL);
	mutex_unlock(&s->objs_lock);
	free_slots(vm);
	kfree(vm);
}

/* Undo the last nw_memslot_add() on @vm. */
void nw_memslot_remove_last(struct nw_session *s, struct nw_gvm *vm)
{
	struct nw_memslot *slot;

	mutex_lock(&s->objs_lock);
	slot = list_last_entry(&vm->slots, struct nw_memslot, node);
	list_del(&slot->node);
	vm->nslots--;
	/*
	 * It was the session's newest: its model addresses go back, or
	 * undone calls would push hpa_next past MAXPHYADDR and, at 2^64,
	 * onto the table pages below 4 GiB.
	 */
	s->hpa_next = ALIGN_DOWN(slot->hpa_base, SZ_1G);
	mutex_unlock(&s->objs_lock);
	nw_mem_forget(&s->sim->mem, ~0ULL);
	nw_memslot_free(slot);
}

/* At close: nothing can reach the session any more. */
void nw_vms_destroy(struct nw_session *s)
{
	while (s->nvms)
		nw_vm_destroy_last(s);
}

/* Make @vm the running VM, as a VM exit and entry would. */
void nw_session_enter(struct nw_session *s, struct nw_gvm *vm)
{
	if (s->sim->vm != vm->core)
		nw_vm_switch(s->sim, vm->core);
}
