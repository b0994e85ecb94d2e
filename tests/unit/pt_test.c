// SPDX-License-Identifier: GPL-2.0
/*
 * Page-table builders in both formats: map, split, merge, unmap, and
 * tables that the decoders accept as the SDM defines them.
 */
#include "kselftest_harness.h"
#include "env.h"

FIXTURE(pt) {
	struct simmem mem;
	struct nw_pt pt;
	struct nw_pt_space sp;
};

FIXTURE_VARIANT(pt) {
	int fmt;
	int levels;
};

FIXTURE_VARIANT_ADD(pt, x86_4) { .fmt = NW_FMT_X86, .levels = 4 };
FIXTURE_VARIANT_ADD(pt, x86_5) { .fmt = NW_FMT_X86, .levels = 5 };
FIXTURE_VARIANT_ADD(pt, ept_4) { .fmt = NW_FMT_EPT, .levels = 4 };
FIXTURE_VARIANT_ADD(pt, ept_5) { .fmt = NW_FMT_EPT, .levels = 5 };

static u64 *sp_entry(void *ctx, u64 addr)
{
	u64 *page = simmem_page(ctx, addr & ~0xfffULL);

	return page ? page + ((addr & 0xfff) >> 3) : NULL;
}

static int sp_alloc(void *ctx, u64 *addr)
{
	return simmem_ops.alloc_table(ctx, addr);
}

static bool sp_free(void *ctx, u64 addr)
{
	simmem_ops.free_table(ctx, addr);
	return true;
}

FIXTURE_SETUP(pt)
{
	ASSERT_EQ(0, simmem_init(&self->mem, 16ULL << 30, 1ULL << 30,
				 64ULL << 20));
	self->sp = (struct nw_pt_space){
		.entry = sp_entry, .alloc = sp_alloc, .free = sp_free,
		.ctx = &self->mem,
	};
	ASSERT_EQ(0, nw_pt_init(&self->pt, &self->sp, variant->levels,
				variant->fmt));
}

FIXTURE_TEARDOWN(pt)
{
	nw_pt_destroy(&self->pt);
	EXPECT_EQ(0, self->mem.tables);	/* every table page given back */
	simmem_fini(&self->mem);
}

static u64 leaf_flags(int fmt)
{
	return fmt == NW_FMT_EPT ? NW_PT_EPT_LEAF : NW_X86_RW | NW_X86_US;
}

/* Decode the leaf for @va with the SDM rules of its format. */
static int decode_leaf(struct nw_pt *pt, u64 va, struct nw_pte_info *i)
{
	static const struct nw_x86_caps x86 = { 46, true, true };
	static const struct nw_ept_caps ept = {
		.maxphyaddr = 46, .mbpages = true, .gbpages = true,
		.exec_only = true,
	};
	u64 pa, e;
	int level, err = nw_pt_lookup(pt, va, &pa, &level, &e);

	if (err)
		return err;
	return pt->fmt == NW_FMT_EPT ? nw_ept_decode(e, level, &ept, i) :
				       nw_x86_decode(e, level, &x86, i);
}

TEST_F(pt, map_each_size)
{
	struct nw_pte_info i;
	u64 pa;
	int level;

	ASSERT_EQ(0, nw_pt_map(&self->pt, 0x1000, 0x5000, 0x3000, NW_PTE,
			       leaf_flags(variant->fmt)));
	ASSERT_EQ(0, nw_pt_map(&self->pt, 0x40000000, 0x80000000, 4 << 20,
			       NW_PDE, leaf_flags(variant->fmt)));
	ASSERT_EQ(0, nw_pt_map(&self->pt, 0x8000000000ULL, 0xc0000000,
			       1ULL << 30, NW_PDPTE, leaf_flags(variant->fmt)));
	EXPECT_EQ(3, self->pt.leaves[NW_PTE]);
	EXPECT_EQ(2, self->pt.leaves[NW_PDE]);
	EXPECT_EQ(1, self->pt.leaves[NW_PDPTE]);

	ASSERT_EQ(0, nw_pt_lookup(&self->pt, 0x2abc, &pa, &level, NULL));
	EXPECT_EQ(0x6abc, pa);
	EXPECT_EQ(NW_PTE, level);
	ASSERT_EQ(0, nw_pt_lookup(&self->pt, 0x40234567, &pa, &level, NULL));
	EXPECT_EQ(0x80234567, pa);
	EXPECT_EQ(NW_PDE, level);
	ASSERT_EQ(0, nw_pt_lookup(&self->pt, 0x8012345678ULL, &pa, &level,
				  NULL));
	EXPECT_EQ(0xd2345678, pa);
	EXPECT_EQ(NW_PDPTE, level);
	EXPECT_EQ(-ENOENT, nw_pt_lookup(&self->pt, 0x4000, &pa, &level,
					NULL));

	/* The entries built are what the SDM calls valid leaves. */
	ASSERT_EQ(NW_PTE_OK, decode_leaf(&self->pt, 0x40000000, &i));
	EXPECT_TRUE(i.leaf);
	EXPECT_EQ(0x80000000, i.addr);
	ASSERT_EQ(NW_PTE_OK, decode_leaf(&self->pt, 0x8000000000ULL, &i));
	EXPECT_EQ(0xc0000000, i.addr);

	/* Misaligned requests are refused. */
	EXPECT_EQ(-EINVAL, nw_pt_map(&self->pt, 0x1000, 0x200000, 2 << 20,
				     NW_PDE, 0));
	EXPECT_EQ(-EINVAL, nw_pt_map(&self->pt, 0, 0, 4096, NW_PML4E, 0));
}

TEST_F(pt, split_and_merge)
{
	struct nw_pte_info i;
	u64 tables, pa;
	int level;

	ASSERT_EQ(0, nw_pt_map(&self->pt, 0x40000000, 0x80000000, 2 << 20,
			       NW_PDE, leaf_flags(variant->fmt)));
	tables = self->pt.tables;
	ASSERT_EQ(0, nw_pt_split(&self->pt, 0x40000000, NW_PDE));
	EXPECT_EQ(tables + 1, self->pt.tables);
	EXPECT_EQ(0, self->pt.leaves[NW_PDE]);
	EXPECT_EQ(512, self->pt.leaves[NW_PTE]);
	ASSERT_EQ(0, nw_pt_lookup(&self->pt, 0x401ff123, &pa, &level, NULL));
	EXPECT_EQ(0x801ff123, pa);
	EXPECT_EQ(NW_PTE, level);
	ASSERT_EQ(NW_PTE_OK, decode_leaf(&self->pt, 0x40001000, &i));

	ASSERT_EQ(0, nw_pt_merge(&self->pt, 0x40000000, NW_PDE));
	EXPECT_EQ(tables, self->pt.tables);
	EXPECT_EQ(1, self->pt.leaves[NW_PDE]);
	EXPECT_EQ(0, self->pt.leaves[NW_PTE]);
	ASSERT_EQ(0, nw_pt_lookup(&self->pt, 0x401ff123, &pa, &level, NULL));
	EXPECT_EQ(0x801ff123, pa);
	EXPECT_EQ(NW_PDE, level);

	/* Not mergeable: a hole, or pages out of order. */
	ASSERT_EQ(0, nw_pt_split(&self->pt, 0x40000000, NW_PDE));
	ASSERT_EQ(0, nw_pt_map(&self->pt, 0x40003000, 0x90000000, 4096,
			       NW_PTE, leaf_flags(variant->fmt)));
	EXPECT_EQ(-EINVAL, nw_pt_merge(&self->pt, 0x40000000, NW_PDE));
	ASSERT_EQ(0, nw_pt_unmap(&self->pt, 0x40003000, 4096, NULL));
	EXPECT_EQ(-EINVAL, nw_pt_merge(&self->pt, 0x40000000, NW_PDE));
	EXPECT_EQ(-EINVAL, nw_pt_split(&self->pt, 0x40000000, NW_PDE));

	/* 1 GiB into 2 MiB leaves. */
	ASSERT_EQ(0, nw_pt_map(&self->pt, 0x80000000, 0x40000000, 1 << 30,
			       NW_PDPTE, leaf_flags(variant->fmt)));
	ASSERT_EQ(0, nw_pt_split(&self->pt, 0x80000000, NW_PDPTE));
	EXPECT_EQ(512, self->pt.leaves[NW_PDE]);
	ASSERT_EQ(0, nw_pt_merge(&self->pt, 0x80000000, NW_PDPTE));
	EXPECT_EQ(1, self->pt.leaves[NW_PDPTE]);
}

TEST_F(pt, unmap_splits_partial_leaves)
{
	u64 pa, cleared = 0;
	int level;

	ASSERT_EQ(0, nw_pt_map(&self->pt, 0x40000000, 0x80000000, 4 << 20,
			       NW_PDE, leaf_flags(variant->fmt)));
	/* The first 2 MiB go whole; 8 KiB of the second split it. */
	ASSERT_EQ(0, nw_pt_unmap(&self->pt, 0x40000000, (2 << 20) + 0x2000,
				 &cleared));
	EXPECT_EQ(3, cleared);
	EXPECT_EQ(-ENOENT, nw_pt_lookup(&self->pt, 0x40100000, &pa, &level,
					NULL));
	EXPECT_EQ(-ENOENT, nw_pt_lookup(&self->pt, 0x40201000, &pa, &level,
					NULL));
	ASSERT_EQ(0, nw_pt_lookup(&self->pt, 0x40202000, &pa, &level, NULL));
	EXPECT_EQ(0x80202000, pa);
	EXPECT_EQ(NW_PTE, level);
	EXPECT_EQ(510, self->pt.leaves[NW_PTE]);
	EXPECT_EQ(0, self->pt.leaves[NW_PDE]);

	/* Only whole pages can be unmapped. */
	EXPECT_EQ(-EINVAL, nw_pt_unmap(&self->pt, 0x40202008, 4096, NULL));
	EXPECT_EQ(-EINVAL, nw_pt_unmap(&self->pt, 0x40202000, 100, NULL));

	/* Remapping a range with a larger leaf frees the table below. */
	ASSERT_EQ(0, nw_pt_map(&self->pt, 0x40200000, 0x80200000, 2 << 20,
			       NW_PDE, leaf_flags(variant->fmt)));
	EXPECT_EQ(0, self->pt.leaves[NW_PTE]);
	EXPECT_EQ(1, self->pt.leaves[NW_PDE]);
}

TEST_HARNESS_MAIN
