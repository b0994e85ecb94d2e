// SPDX-License-Identifier: GPL-2.0
/*
 * Encoding and checking of IA-32e paging and EPT entries.
 *
 * Decoders return what a walker needs to continue (next address, rights,
 * leaf or not) or why the walk stops there. Reserved-bit and
 * misconfiguration rules are those of the Intel SDM, Vol. 3A.
 */
#include "pte.h"

int nw_x86_decode(u64 e, int level, const struct nw_x86_caps *caps,
		  struct nw_pte_info *out)
{
	u64 rsvd = nw_high_rsvd(caps->maxphyaddr);
	bool ps = e & NW_X86_PS;

	memset(out, 0, sizeof(*out));
	if (!(e & NW_X86_P))
		return NW_PTE_NOT_PRESENT;

	if (!caps->nxe)
		rsvd |= NW_X86_XD;
	out->leaf = level == NW_PTE || (ps && level <= NW_PDPTE);
	if (ps && level >= NW_PML4E)
		rsvd |= NW_X86_PS;
	if (ps && level == NW_PDPTE && !caps->gbpages)
		rsvd |= NW_X86_PS;
	if (out->leaf && level > NW_PTE)
		rsvd |= nw_large_rsvd(level, 13);
	if (e & rsvd)
		return NW_PTE_RSVD;

	out->addr = out->leaf ? nw_leaf_addr(e, level, caps->maxphyaddr) :
				e & nw_addr_mask(caps->maxphyaddr);
	out->perm = NW_PERM_R;
	if (e & NW_X86_RW)
		out->perm |= NW_PERM_W;
	if (e & NW_X86_US)
		out->perm |= NW_PERM_U;
	if (!(caps->nxe && (e & NW_X86_XD)))
		out->perm |= NW_PERM_X;
	out->accessed = e & NW_X86_A;
	if (out->leaf) {
		out->dirty = e & NW_X86_D;
		out->global = e & NW_X86_G;
	}
	return NW_PTE_OK;
}

void nw_fmt_x86(struct nw_fmt *f, const struct nw_x86_caps *caps)
{
	u64 base = nw_high_rsvd(caps->maxphyaddr) | (caps->nxe ? 0 : NW_X86_XD);
	int level;

	memset(f, 0, sizeof(*f));
	f->addr = nw_addr_mask(caps->maxphyaddr);
	for (level = NW_PTE; level <= NW_PML5E; level++) {
		f->rsvd[level][0] = base;
		if (level == NW_PTE)
			f->rsvd[level][1] = base;	/* bit 7 is PAT */
		else if (level == NW_PDE ||
			 (level == NW_PDPTE && caps->gbpages))
			f->rsvd[level][1] = base | nw_large_rsvd(level, 13);
		else
			f->rsvd[level][1] = base | NW_X86_PS;
	}
	nw_fmt_fast(f, 0, false);
}

void nw_fmt_ept(struct nw_fmt *f, const struct nw_ept_caps *caps)
{
	u64 high = nw_high_rsvd(caps->maxphyaddr);
	unsigned int mt;
	int level;

	memset(f, 0, sizeof(*f));
	f->ept = true;
	f->addr = nw_addr_mask(caps->maxphyaddr);
	/* Write without read; execute-only without the capability. */
	f->bad_rwx = BIT(NW_EPT_W) | BIT(NW_EPT_W | NW_EPT_X);
	if (!caps->exec_only)
		f->bad_rwx |= BIT(NW_EPT_X);
	for (mt = 0; mt < 8; mt++)
		if (!nw_ept_memtype_valid(mt))
			f->bad_mt |= BIT(mt);
	for (level = NW_PTE; level <= NW_PML5E; level++) {
		if (level == NW_PTE) {
			f->rsvd[level][0] = high;
			f->rsvd[level][1] = high;	/* bit 7 ignored */
			continue;
		}
		f->rsvd[level][0] = high | GENMASK_ULL(7, 3);
		/* SDM 29.3.3.1: bit 7 is reserved where no page is allowed. */
		if ((level == NW_PDE && caps->mbpages) ||
		    (level == NW_PDPTE && caps->gbpages))
			f->rsvd[level][1] = high | nw_large_rsvd(level, 12);
		else
			f->rsvd[level][1] = high | NW_EPT_LARGE;
	}
	nw_fmt_fast(f, 0, false);
}

void nw_fmt_fast(struct nw_fmt *f, u64 abit, bool rw_us)
{
	/* Rights: all of R/W/X (EPT); P, R/W, U/S set and XD clear (x86). */
	u64 rights = f->ept ? NW_EPT_RWX :
		     NW_X86_P | (rw_us ? 0 : NW_X86_RW | NW_X86_US);
	u64 mask = rights | abit | (f->ept ? 0 : NW_X86_XD);
	int level;

	/* A 4 KiB leaf; bit 7 is PAT (x86) or ignored (EPT). EPT: WB only. */
	f->fast_mask[NW_PTE] = mask | f->rsvd[NW_PTE][0] |
			       (f->ept ? NW_EPT_MT_MASK : 0);
	f->fast_val[NW_PTE] = rights | abit |
			      (f->ept ? (u64)NW_MT_WB << NW_EPT_MT_SHIFT : 0);
	for (level = NW_PDE; level <= NW_PML5E; level++) {
		f->fast_mask[level] = mask | BIT_ULL(7) | f->rsvd[level][0];
		f->fast_val[level] = rights | abit;
	}
}
