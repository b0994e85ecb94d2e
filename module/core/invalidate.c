// SPDX-License-Identifier: GPL-2.0
/*
 * Invalidation as the ISA defines it (Intel SDM Vol. 3A, "Invalidation of
 * TLBs and Paging-Structure Caches" and Vol. 3C, "Caching Translation
 * Information" under VMX).
 *
 * Guest instructions (INVLPG, INVPCID, MOV to CR3) act on the running VM's
 * VPID, whatever EPTP tags its entries carry; INVVPID acts on a VPID,
 * INVEPT on EPTP-tagged information: combined mappings, guest-physical
 * mappings (nested TLB) and host-dimension paging-structure caches.
 * Paging-structure-cache entries are never global: INVLPG, INVPCID and the
 * single-context forms remove all of them for the PCID or VPID concerned,
 * regardless of address; INVVPID individual-address only those that would
 * translate its address.
 *
 * tlb_flush counts the flushes the hypervisor makes, as KVM counts
 * vcpu->stat.tlb_flush (arch/x86/kvm/x86.c: kvm_vcpu_flush_tlb_all(),
 * kvm_vcpu_flush_tlb_current(), kvm_vcpu_flush_tlb_guest()): never the
 * hardware's own invalidations (a guest instruction that does not exit,
 * VM entry and exit without VPID); at most one per shadow-mode exit,
 * where KVM would flush (nw_shadow_flush()); one per INVVPID or INVEPT
 * the hypervisor executes, but INVVPID individual-address, which is KVM's
 * flush_tlb_gva() (vpid_sync_vcpu_addr()), not counted.
 */
#include "invalidate.h"
#include "shadow.h"

static u16 cur_pcid(const struct nw_sim *s)
{
	return s->as ? s->as->pcid : 0;
}

static u32 cur_vpid(const struct nw_sim *s)
{
	return s->vm ? s->vm->cfg.vpid : 0;
}

/*
 * Remove from the TLB what @f names, and from the walk caches the same
 * context: for every address, or (@pwc_by_addr) only the entries that
 * would translate f.addr.
 */
static void __inval_linear(struct nw_sim *s, struct nw_inval f,
			   bool pwc_by_addr)
{
	nw_tlb_inval(&s->tlb, &f);
	if (!pwc_by_addr)
		f.any_addr = true;
	nw_pwc_inval(&s->pwc, &f);
}

static void inval_linear(struct nw_sim *s, struct nw_inval f)
{
	__inval_linear(s, f, false);
}

/* The running VM if it uses shadow paging, whose hypervisor intercepts. */
static struct nw_vm *shadow_vm(const struct nw_sim *s)
{
	return s->vm && s->vm->cfg.mode == NW_MODE_SHADOW ? s->vm : NULL;
}

/*
 * Under shadow paging KVM sets "INVLPG exiting" (vmx.c, !enable_ept):
 * kvm_mmu_invlpg() syncs the entry of @va in every unsync page; the
 * address's own flush (flush_tlb_gva()) is not counted.
 */
void nw_invlpg(struct nw_sim *s, u64 va)
{
	struct nw_inval f = {
		.tag = cur_vpid(s), .tag_mask = NW_TAG_VPID_MASK,
		.pcid = cur_pcid(s), .globals = true, .addr = va,
	};
	struct nw_vm *vm = shadow_vm(s);
	/*
	 * INVLPG of a non-canonical address is a NOP (SDM vol. 2, INVLPG),
	 * which still exits under shadow paging, where KVM's
	 * kvm_mmu_invlpg() ignores it too.
	 */
	bool canon = !s->vm || nw_canonical(s->vm, va);

	if (canon)
		inval_linear(s, f);
	if (!vm)
		return;
	nw_charge_exit(s->cnt, &s->cost);
	if (!canon)
		return;
	nw_shadow_invlpg(vm, NULL, va);
	nw_shadow_flush(vm, false);
}

/*
 * INVPCID exits when "INVLPG exiting" and "enable INVPCID" are both set
 * (SDM Vol. 3C, 26.1.3 "Instructions That Cause VM Exits
 * Conditionally"), so under shadow paging. kvm_handle_invpcid():
 * individual-address is kvm_mmu_invpcid_gva(), no flush counted;
 * single-context is kvm_invalidate_pcid(): for the current PCID its pages
 * synced and KVM_REQ_TLB_FLUSH_CURRENT, for another its cached roots freed
 * (the model syncs them; the ISA's invalidation already removed its
 * entries, nothing counted); all-context is KVM_REQ_TLB_FLUSH_GUEST, whose
 * kvm_vcpu_flush_tlb_guest() counts one and syncs every root, which may
 * raise one more (KVM_REQ_TLB_FLUSH is served on the next entry).
 */
static void invpcid_exit(struct nw_sim *s, struct nw_vm *vm, int type,
			 u16 pcid, u64 va)
{
	struct nw_as *as = nw_as_find(vm, pcid);

	nw_charge_exit(s->cnt, &s->cost);
	switch (type) {
	case NW_INVPCID_ADDR:
		if (as)
			nw_shadow_invlpg(vm, as, va);
		nw_shadow_flush(vm, false);
		return;
	case NW_INVPCID_SINGLE:
		if (as)
			nw_shadow_sync(vm, as);
		if (as && as == s->as)
			nw_shadow_flush(vm, true);
		vm->wp_flush = false;
		return;
	default:
		nw_shadow_flush(vm, true);
		nw_shadow_sync(vm, NULL);
		nw_shadow_flush(vm, false);
	}
}

/*
 * SDM INVPCID: bits 63:12 of the descriptor must be zero whatever the
 * type (#GP, as kvm_handle_invpcid() checks operand.pcid >> 12); bits
 * 11:0, the PCID, are used by types 0 and 1 only.
 */
int nw_invpcid(struct nw_sim *s, int type, u64 pcid, u64 va)
{
	struct nw_inval f = {
		.tag = cur_vpid(s), .tag_mask = NW_TAG_VPID_MASK,
		.addr = va,
	};
	struct nw_vm *vm = shadow_vm(s);

	switch (type) {
	case NW_INVPCID_ADDR:
		break;
	case NW_INVPCID_SINGLE:
		f.any_addr = true;
		break;
	case NW_INVPCID_ALL_GLOBAL:
		f.globals = true;
		fallthrough;
	case NW_INVPCID_ALL:
		f.any_pcid = true;
		f.any_addr = true;
		break;
	default:
		return -EINVAL;
	}
	if (pcid >= NW_PCIDS)
		return -EINVAL;
	if (type <= NW_INVPCID_SINGLE)
		f.pcid = pcid;
	inval_linear(s, f);
	if (vm)
		invpcid_exit(s, vm, type, pcid, va);
	return 0;
}

/*
 * With CR4.PCIDE = 1: loading CR3 with bit 63 clear invalidates the new
 * PCID's non-global mappings; with bit 63 set it invalidates nothing.
 * Under shadow paging KVM sets "CR3-load exiting": kvm_set_cr3(), and
 * without the no-flush bit kvm_invalidate_pcid() of the new PCID: its
 * pages synced (KVM_REQ_MMU_SYNC) and KVM_REQ_TLB_FLUSH_CURRENT.
 */
void nw_mov_cr3(struct nw_sim *s, u16 pcid, bool noflush)
{
	struct nw_inval f = {
		.tag = cur_vpid(s), .tag_mask = NW_TAG_VPID_MASK,
		.pcid = pcid, .any_addr = true,
	};
	struct nw_vm *vm = shadow_vm(s);

	if (s->vm)
		s->as = nw_as_find(s->vm, pcid);
	if (!noflush)
		inval_linear(s, f);
	if (!vm)
		return;
	nw_charge_exit(s->cnt, &s->cost);
	if (!noflush && s->as)
		nw_shadow_sync(vm, s->as);
	nw_shadow_flush(vm, !noflush);
}

int nw_invvpid(struct nw_sim *s, int type, u16 vpid, u64 va)
{
	struct nw_inval f = {
		.tag = vpid, .tag_mask = NW_TAG_VPID_MASK, .any_pcid = true,
		.globals = true, .any_addr = true,
	};

	switch (type) {
	case NW_INVVPID_ADDR:
		f.any_addr = false;
		f.addr = va;
		break;
	case NW_INVVPID_SINGLE:
		break;
	case NW_INVVPID_ALL:
		f.tag = 0;
		f.tag_mask = 0;
		f.skip_zero = NW_TAG_VPID_MASK;
		break;
	case NW_INVVPID_SINGLE_KEEP_GLOBAL:
		f.globals = false;
		break;
	default:
		return -EINVAL;
	}
	/* VPID 0 belongs to VMX root: VMfailValid. */
	if (type != NW_INVVPID_ALL && !vpid)
		return -EINVAL;
	/* "Mappings ... that would be used to translate the address". */
	__inval_linear(s, f, type == NW_INVVPID_ADDR);
	if (type != NW_INVVPID_ADDR)
		s->cnt[NW_C_TLB_FLUSH]++;
	return 0;
}

int nw_invept(struct nw_sim *s, int type, struct nw_vm *vm)
{
	struct nw_inval f = {
		.tag_mask = NW_TAG_EPTP_MASK, .any_pcid = true,
		.globals = true, .any_addr = true,
	};

	switch (type) {
	case NW_INVEPT_SINGLE:
		if (!vm || !vm->eptp_tag)
			return -EINVAL;
		f.tag = vm->htag;
		break;
	case NW_INVEPT_GLOBAL:
		f.tag_mask = 0;
		f.skip_zero = NW_TAG_EPTP_MASK;
		break;
	default:
		return -EINVAL;
	}
	inval_linear(s, f);
	nw_pwc_inval(&s->hpwc, &f);
	nw_cache_inval(&s->ntlb, &f);
	s->cnt[NW_C_TLB_FLUSH]++;
	return 0;
}

/*
 * Without VPID, every VM entry and exit flushes VPID 0's mappings: the
 * hardware's doing (SDM Vol. 3C, 29.1 "Virtual Processor Identifiers"),
 * not counted.
 */
static void flush_vpid0(struct nw_sim *s)
{
	struct nw_inval f = {
		.tag = 0, .tag_mask = NW_TAG_VPID_MASK, .any_pcid = true,
		.globals = true, .any_addr = true,
	};

	inval_linear(s, f);
}

static bool is_vm(const struct nw_vm *vm)
{
	return vm && vm->cfg.mode != NW_MODE_NATIVE;
}

void nw_vm_enter(struct nw_sim *s, struct nw_vm *vm)
{
	s->vm = vm;
	s->as = NULL;
	if (is_vm(vm) && !vm->cfg.vpid)
		flush_vpid0(s);
}

void nw_vm_exit(struct nw_sim *s)
{
	struct nw_vm *vm = s->vm;

	if (!is_vm(vm))
		return;
	nw_charge_exit(s->cnt, &s->cost);
	if (!vm->cfg.vpid)
		flush_vpid0(s);
	s->vm = NULL;
	s->as = NULL;
}

void nw_vm_switch(struct nw_sim *s, struct nw_vm *vm)
{
	nw_vm_exit(s);
	nw_vm_enter(s, vm);
}
