// SPDX-License-Identifier: GPL-2.0
/*
 * Invariants only the kernel build can check: the model's encodings of the
 * hardware formats equal the kernel's own definitions (at compile time), and
 * under DEBUG, the model's decoder reads the kernel's real page tables the
 * way the kernel itself does (at load time).
 */
#include <linux/build_bug.h>
#include <linux/mem_encrypt.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <asm/cpufeature.h>
#include <asm/mtrr.h>
#include <asm/pgtable.h>
#include <asm/vmx.h>

#include <linux/nestwalk.h>

#include "nestwalk.h"
#include "pte.h"

static_assert(NW_PAGE_SHIFT == PAGE_SHIFT);
static_assert(NW_PT_ENTRIES == PTRS_PER_PTE);
static_assert(NW_X86_P == _PAGE_PRESENT);
static_assert(NW_X86_RW == _PAGE_RW);
static_assert(NW_X86_US == _PAGE_USER);
static_assert(NW_X86_PWT == _PAGE_PWT);
static_assert(NW_X86_PCD == _PAGE_PCD);
static_assert(NW_X86_A == _PAGE_ACCESSED);
static_assert(NW_X86_D == _PAGE_DIRTY);
static_assert(NW_X86_PS == _PAGE_PSE);
static_assert(NW_X86_G == _PAGE_GLOBAL);
static_assert(NW_X86_PAT_LARGE == _PAGE_PAT_LARGE);
static_assert(NW_X86_XD == _PAGE_NX);
static_assert(NW_EPT_R == VMX_EPT_READABLE_MASK);
static_assert(NW_EPT_W == VMX_EPT_WRITABLE_MASK);
static_assert(NW_EPT_X == VMX_EPT_EXECUTABLE_MASK);
static_assert(NW_EPT_MT_SHIFT == VMX_EPT_MT_EPTE_SHIFT);
static_assert(NW_EPT_IPAT == VMX_EPT_IPAT_BIT);
static_assert(NW_EPT_A == VMX_EPT_ACCESS_BIT);
static_assert(NW_EPT_D == VMX_EPT_DIRTY_BIT);
static_assert(NW_MT_WB == MTRR_TYPE_WRBACK);
static_assert(NW_MT_UC == MTRR_TYPE_UNCACHABLE);
static_assert(sizeof(struct nestwalk_version) == NESTWALK_VERSION_SIZE_V1);

#ifdef DEBUG

/* Decode the kernel's own mapping of @addr with the model and compare. */
static int check_kernel_mapping(const void *p, const char *what)
{
	const struct nw_x86_caps caps = {
		.maxphyaddr = boot_cpu_data.x86_phys_bits,
		.nxe = !!(__supported_pte_mask & _PAGE_NX),
		.gbpages = boot_cpu_has(X86_FEATURE_GBPAGES),
	};
	unsigned long addr = (unsigned long)p;
	struct nw_pte_info info;
	unsigned int level;
	u64 pa, e;
	pte_t *pte;

	pte = lookup_address(addr, &level);
	if (!pte || level < PG_LEVEL_4K || level > PG_LEVEL_1G) {
		pr_err("selftest: no kernel mapping of %s\n", what);
		return -EINVAL;
	}
	e = __sme_clr(pte_val(*pte));
	pa = slow_virt_to_phys((void *)addr);

	if (nw_x86_decode(e, level, &caps, &info) != NW_PTE_OK ||
	    !info.leaf ||
	    info.addr + (addr & (nw_level_size(level) - 1)) != pa ||
	    !!(info.perm & NW_PERM_W) != !!(e & _PAGE_RW) ||
	    !!(info.perm & NW_PERM_X) == !!(e & _PAGE_NX)) {
		pr_err("selftest: model disagrees with the kernel on %s (level %u)\n",
		       what, level);
		return -EINVAL;
	}
	pr_debug("selftest: %s decoded at level %u\n", what, level);
	return 0;
}

int nw_selftest(void)
{
	void *direct, *vmapped;
	int ret;

	direct = kmalloc(64, GFP_KERNEL);
	vmapped = vmalloc(PAGE_SIZE);
	if (!direct || !vmapped) {
		ret = -ENOMEM;
		goto out;
	}
	ret = check_kernel_mapping(direct, "direct map");
	if (!ret)
		ret = check_kernel_mapping(vmapped, "vmalloc");
	if (!ret)
		ret = check_kernel_mapping(nw_selftest, "module text");
out:
	vfree(vmapped);
	kfree(direct);
	if (!ret)
		pr_info("selftest: page-table decoding agrees with the kernel\n");
	return ret;
}

#endif /* DEBUG */
