// SPDX-License-Identifier: GPL-2.0
/*
 * INVALIDATE: the ISA's TLB and paging-structure-cache operations, VM
 * exits and entries, executed by the session's simulated CPU.
 */
#include "abi.h"

int nw_invalidate_ioctl(struct nw_session *s,
			const struct nestwalk_invalidate *iv)
{
	struct nw_gvm *vm = nw_vm_lookup(s, iv->vm_id);
	bool in_vm = iv->op <= NESTWALK_INV_MOV_CR3 ||
		     iv->op == NESTWALK_INV_VM_ENTER;

	/* INVPCID too: #GP if its descriptor's bits 63:12 are set (SDM). */
	if (iv->op > NESTWALK_INV_VM_ENTER || iv->pcid > NESTWALK_PCID_MAX ||
	    iv->vpid > NESTWALK_VPID_MAX || iv->type > 3 ||
	    (iv->op == NESTWALK_INV_MOV_CR3 && iv->type > 1))
		return -EINVAL;
	if ((in_vm || (iv->op == NESTWALK_INV_INVEPT &&
		       iv->type == NW_INVEPT_SINGLE)) && !vm)
		return -ENOENT;

	/*
	 * What the CPU lacks: INVPCID is #UD without it, CR3 bit 63 is
	 * reserved without CR4.PCIDE (SDM vol. 2, INVPCID and MOV CR).
	 */
	if ((iv->op == NESTWALK_INV_INVPCID &&
	     !(s->sim->caps & NW_CAP_INVPCID)) ||
	    (iv->op == NESTWALK_INV_MOV_CR3 && iv->type &&
	     !(s->sim->caps & NW_CAP_PCID)))
		return -EOPNOTSUPP;

	switch (iv->op) {
	case NESTWALK_INV_INVLPG:
		nw_session_enter(s, vm);
		nw_invlpg(s->sim, iv->addr);
		return 0;
	case NESTWALK_INV_INVPCID:
		nw_session_enter(s, vm);
		return nw_invpcid(s->sim, iv->type, iv->pcid, iv->addr);
	case NESTWALK_INV_MOV_CR3:
		nw_session_enter(s, vm);
		nw_mov_cr3(s->sim, iv->pcid, iv->type);
		return 0;
	case NESTWALK_INV_INVVPID:
		if (!iv->vpid && iv->type != NW_INVVPID_ALL)
			return -EINVAL;
		return nw_invvpid(s->sim, iv->type, iv->vpid, iv->addr);
	case NESTWALK_INV_INVEPT:
		return nw_invept(s->sim, iv->type, vm ? vm->core : NULL);
	case NESTWALK_INV_VM_EXIT:
		nw_vm_exit(s->sim);
		return 0;
	default:
		nw_session_enter(s, vm);
		return 0;
	}
}
