// SPDX-License-Identifier: GPL-2.0
/*
 * Entry encoding and the SDM's reserved-bit / misconfiguration rules.
 */
#include "kselftest_harness.h"
#include "coretest.h"

static const struct nw_x86_caps x86 = {
	.maxphyaddr = 46, .nxe = true, .gbpages = true,
};
static const struct nw_ept_caps ept = {
	.maxphyaddr = 46, .mbpages = true, .gbpages = true, .exec_only = true,
	.ad = true,
};

TEST(index_and_size)
{
	/* 0x7f12_3456_789a: PML4 254, PDPT 72, PD 418, PT 359. */
	const u64 va = 0x7f123456789aULL;

	EXPECT_EQ(254, nw_pt_index(va, NW_PML4E));
	EXPECT_EQ(72, nw_pt_index(va, NW_PDPTE));
	EXPECT_EQ(418, nw_pt_index(va, NW_PDE));
	EXPECT_EQ(359, nw_pt_index(va, NW_PTE));
	EXPECT_EQ(0, nw_pt_index(va, NW_PML5E));
	EXPECT_EQ(4096ULL, nw_level_size(NW_PTE));
	EXPECT_EQ(2ULL << 20, nw_level_size(NW_PDE));
	EXPECT_EQ(1ULL << 30, nw_level_size(NW_PDPTE));
	EXPECT_EQ(512ULL << 30, nw_level_size(NW_PML4E));
}

TEST(x86_roundtrip_every_level)
{
	struct nw_pte_info i;
	int level;

	for (level = NW_PTE; level <= NW_PML5E; level++) {
		u64 e = nw_x86_make(0x123456789000ULL, level, false,
				    NW_X86_RW | NW_X86_US);

		ASSERT_EQ(NW_PTE_OK, nw_x86_decode(e, level, &x86, &i));
		EXPECT_EQ(0x123456789000ULL, i.addr);
		EXPECT_EQ(level == NW_PTE, i.leaf);
		EXPECT_EQ(NW_PERM_R | NW_PERM_W | NW_PERM_U | NW_PERM_X,
			  i.perm);
	}
}

TEST(x86_large_leaves)
{
	struct nw_pte_info i;
	u64 e;

	e = nw_x86_make(0x40200000ULL, NW_PDE, true,
			NW_X86_RW | NW_X86_XD | NW_X86_G | NW_X86_D);
	EXPECT_TRUE(e & NW_X86_PS);
	ASSERT_EQ(NW_PTE_OK, nw_x86_decode(e, NW_PDE, &x86, &i));
	EXPECT_TRUE(i.leaf);
	EXPECT_EQ(0x40200000ULL, i.addr);
	EXPECT_EQ(NW_PERM_R | NW_PERM_W, i.perm);
	EXPECT_TRUE(i.global);
	EXPECT_TRUE(i.dirty);

	/* PAT (bit 12) of a large leaf is not part of the address. */
	e = nw_x86_make(0x80000000ULL, NW_PDPTE, true, NW_X86_PAT_LARGE);
	ASSERT_EQ(NW_PTE_OK, nw_x86_decode(e, NW_PDPTE, &x86, &i));
	EXPECT_EQ(0x80000000ULL, i.addr);
}

TEST(x86_reserved_bits)
{
	struct nw_x86_caps no = x86;
	struct nw_pte_info i;
	u64 leaf2m = nw_x86_make(0x200000ULL, NW_PDE, true, 0);
	u64 leaf1g = nw_x86_make(0x40000000ULL, NW_PDPTE, true, 0);

	EXPECT_EQ(NW_PTE_NOT_PRESENT, nw_x86_decode(0xfffffffffffffffeULL,
						    NW_PTE, &x86, &i));
	/* Bits 20:13 of a 2 MiB leaf, 29:13 of a 1 GiB leaf. */
	EXPECT_EQ(NW_PTE_RSVD, nw_x86_decode(leaf2m | BIT_ULL(13), NW_PDE,
					     &x86, &i));
	EXPECT_EQ(NW_PTE_RSVD, nw_x86_decode(leaf2m | BIT_ULL(20), NW_PDE,
					     &x86, &i));
	EXPECT_EQ(NW_PTE_OK, nw_x86_decode(leaf2m | BIT_ULL(21), NW_PDE,
					   &x86, &i));
	EXPECT_EQ(NW_PTE_RSVD, nw_x86_decode(leaf1g | BIT_ULL(29), NW_PDPTE,
					     &x86, &i));
	/* PS is reserved in PML4Es and PML5Es. */
	EXPECT_EQ(NW_PTE_RSVD, nw_x86_decode(NW_X86_P | NW_X86_PS, NW_PML4E,
					     &x86, &i));
	EXPECT_EQ(NW_PTE_RSVD, nw_x86_decode(NW_X86_P | NW_X86_PS, NW_PML5E,
					     &x86, &i));
	/* Address bits at or above MAXPHYADDR. */
	EXPECT_EQ(NW_PTE_RSVD, nw_x86_decode(NW_X86_P | BIT_ULL(46), NW_PTE,
					     &x86, &i));
	EXPECT_EQ(NW_PTE_OK, nw_x86_decode(NW_X86_P | BIT_ULL(45), NW_PTE,
					   &x86, &i));
	/* Ignored high bits 62:52 are not reserved. */
	EXPECT_EQ(NW_PTE_OK, nw_x86_decode(NW_X86_P | BIT_ULL(55), NW_PTE,
					   &x86, &i));
	/* XD without EFER.NXE; PS in a PDPTE without 1 GiB pages. */
	no.nxe = false;
	no.gbpages = false;
	EXPECT_EQ(NW_PTE_RSVD, nw_x86_decode(NW_X86_P | NW_X86_XD, NW_PTE,
					     &no, &i));
	EXPECT_EQ(NW_PTE_RSVD, nw_x86_decode(leaf1g, NW_PDPTE, &no, &i));
	EXPECT_EQ(NW_PTE_OK, nw_x86_decode(leaf2m, NW_PDE, &no, &i));
	EXPECT_EQ(NW_PERM_R | NW_PERM_X, i.perm);
}

TEST(ept_roundtrip_and_ad)
{
	struct nw_ept_caps noad = ept;
	struct nw_pte_info i;
	u64 e;

	e = nw_ept_make(0x1234000ULL, NW_PML4E, false, NW_EPT_RWX, 0);
	ASSERT_EQ(NW_PTE_OK, nw_ept_decode(e, NW_PML4E, &ept, &i));
	EXPECT_FALSE(i.leaf);
	EXPECT_EQ(0x1234000ULL, i.addr);

	e = nw_ept_make(0x40000000ULL, NW_PDPTE, true, NW_EPT_R | NW_EPT_X,
			NW_MT_WB) | NW_EPT_A | NW_EPT_D;
	ASSERT_EQ(NW_PTE_OK, nw_ept_decode(e, NW_PDPTE, &ept, &i));
	EXPECT_TRUE(i.leaf);
	EXPECT_EQ(0x40000000ULL, i.addr);
	EXPECT_EQ(NW_PERM_R | NW_PERM_X | NW_PERM_U, i.perm);
	EXPECT_TRUE(i.accessed);
	EXPECT_TRUE(i.dirty);

	/* Without EPT A/D, bits 8 and 9 are ignored. */
	noad.ad = false;
	ASSERT_EQ(NW_PTE_OK, nw_ept_decode(e, NW_PDPTE, &noad, &i));
	EXPECT_FALSE(i.accessed);
	EXPECT_FALSE(i.dirty);
}

TEST(ept_misconfigurations)
{
	struct nw_ept_caps lim = ept;
	struct nw_pte_info i;
	u64 leaf2m = nw_ept_make(0x200000ULL, NW_PDE, true, NW_EPT_RWX,
				 NW_MT_WB);
	unsigned int mt;

	EXPECT_EQ(NW_PTE_NOT_PRESENT, nw_ept_decode(~NW_EPT_RWX, NW_PTE,
						    &ept, &i));
	EXPECT_EQ(NW_PTE_MISCONFIG, nw_ept_decode(NW_EPT_W, NW_PML4E, &ept,
						  &i));
	EXPECT_EQ(NW_PTE_MISCONFIG, nw_ept_decode(NW_EPT_W | NW_EPT_X,
						  NW_PTE, &ept, &i));
	EXPECT_EQ(NW_PTE_OK, nw_ept_decode(NW_EPT_X | (NW_MT_WB << 3),
					   NW_PTE, &ept, &i));
	lim.exec_only = false;
	EXPECT_EQ(NW_PTE_MISCONFIG, nw_ept_decode(NW_EPT_X | (NW_MT_WB << 3),
						  NW_PTE, &lim, &i));
	/* Memory types 2, 3 and 7 are reserved in leaves. */
	for (mt = 0; mt < 8; mt++) {
		u64 e = NW_EPT_R | ((u64)mt << NW_EPT_MT_SHIFT);
		int want = (mt == 2 || mt == 3 || mt == 7) ?
			   NW_PTE_MISCONFIG : NW_PTE_OK;

		EXPECT_EQ(want, nw_ept_decode(e, NW_PTE, &ept, &i));
	}
	/* Bits 7:3 are reserved in non-leaf entries. */
	EXPECT_EQ(NW_PTE_MISCONFIG, nw_ept_decode(NW_EPT_R | BIT_ULL(3),
						  NW_PDE, &ept, &i));
	EXPECT_EQ(NW_PTE_MISCONFIG, nw_ept_decode(NW_EPT_R | NW_EPT_LARGE,
						  NW_PML4E, &ept, &i));
	/* Bits 20:12 of a 2 MiB leaf; a 1 GiB leaf without the capability. */
	EXPECT_EQ(NW_PTE_MISCONFIG, nw_ept_decode(leaf2m | BIT_ULL(12),
						  NW_PDE, &ept, &i));
	lim.gbpages = false;
	EXPECT_EQ(NW_PTE_MISCONFIG,
		  nw_ept_decode(nw_ept_make(0, NW_PDPTE, true, NW_EPT_R,
					    NW_MT_WB), NW_PDPTE, &lim, &i));
	EXPECT_EQ(NW_PTE_MISCONFIG, nw_ept_decode(leaf2m | BIT_ULL(50),
						  NW_PDE, &ept, &i));
}

TEST_HARNESS_MAIN
