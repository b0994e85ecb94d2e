// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory is the caller's: whatever it holds, the model writes only
 * its own table pages and accessed/dirty flags there. The record of which
 * gpt-region pages are tables lives in kernel memory (gpt.h); crafted
 * links in freed table pages, entries that point at data pages or twice
 * at one table change nothing of it.
 */
#include "kselftest_harness.h"
#include "env.h"

#define REGION	0x100000ULL
#define PAGES	200

TEST(gpt_pool_hands_out_each_page_once)
{
	struct nw_gpt_pool p;
	u64 gpa, first, i;

	nw_gpt_pool_init(&p, REGION, PAGES * NW_PAGE_SIZE);
	ASSERT_EQ(0, nw_gpt_pool_get(&p, &first));
	EXPECT_EQ(REGION, first);
	/* Past the first growth of the bookkeeping (64 pages). */
	for (i = 1; i < PAGES; i++) {
		ASSERT_EQ(0, nw_gpt_pool_get(&p, &gpa));
		EXPECT_EQ(REGION + i * NW_PAGE_SIZE, gpa);
	}
	EXPECT_EQ(-ENOMEM, nw_gpt_pool_get(&p, &gpa));

	/* Only in-use, page-aligned pages of the region come back. */
	EXPECT_FALSE(nw_gpt_pool_put(&p, REGION + 0x1ff8));
	EXPECT_FALSE(nw_gpt_pool_put(&p, REGION - NW_PAGE_SIZE));
	EXPECT_FALSE(nw_gpt_pool_put(&p, REGION + PAGES * NW_PAGE_SIZE));
	EXPECT_FALSE(nw_gpt_pool_put(&p, ~0ULL & ~0xfffULL));
	EXPECT_TRUE(nw_gpt_pool_put(&p, REGION + 5 * NW_PAGE_SIZE));
	EXPECT_FALSE(nw_gpt_pool_put(&p, REGION + 5 * NW_PAGE_SIZE));
	EXPECT_TRUE(nw_gpt_pool_put(&p, REGION + 7 * NW_PAGE_SIZE));
	EXPECT_EQ(2, p.nfree);

	/* The most recently freed first, then nothing. */
	ASSERT_EQ(0, nw_gpt_pool_get(&p, &gpa));
	EXPECT_EQ(REGION + 7 * NW_PAGE_SIZE, gpa);
	ASSERT_EQ(0, nw_gpt_pool_get(&p, &gpa));
	EXPECT_EQ(REGION + 5 * NW_PAGE_SIZE, gpa);
	EXPECT_EQ(-ENOMEM, nw_gpt_pool_get(&p, &gpa));
	nw_gpt_pool_fini(&p);
}

TEST(gpt_pool_pages_never_handed_out_are_not_taken)
{
	struct nw_gpt_pool p;
	u64 gpa;

	nw_gpt_pool_init(&p, REGION, PAGES * NW_PAGE_SIZE);
	ASSERT_EQ(0, nw_gpt_pool_get(&p, &gpa));
	EXPECT_FALSE(nw_gpt_pool_put(&p, REGION + NW_PAGE_SIZE));
	EXPECT_EQ(0, p.nfree);
	nw_gpt_pool_fini(&p);
}

FIXTURE(guest) {
	struct env e;
	struct nw_vm *vm;
	struct nw_as *as;
};

FIXTURE_VARIANT(guest) {
	int mode;
};

FIXTURE_VARIANT_ADD(guest, ept) { .mode = NW_MODE_EPT };
FIXTURE_VARIANT_ADD(guest, npt) { .mode = NW_MODE_NPT };
FIXTURE_VARIANT_ADD(guest, shadow) { .mode = NW_MODE_SHADOW };

#define DATA_GPA	0x1000ULL	/* data pages: 0x1000 .. 0x8000 */
#define DATA_PAGES	8
#define PATTERN		0xa5a5a5a5a5a5a5a5ULL
#define LEAF		(NW_X86_RW | NW_X86_US)

/* The guest memory at @gpa, as the caller sees it. */
static u64 *gmem(struct nw_vm *vm, u64 gpa)
{
	return vm->gspace.entry(vm, gpa);
}

static void fill_data(struct nw_vm *vm)
{
	u64 a;

	for (a = DATA_GPA; a < DATA_GPA + DATA_PAGES * NW_PAGE_SIZE; a += 8)
		*gmem(vm, a) = PATTERN;
}

/* Words of the data pages the model changed (A/D flags aside). */
static int data_changed(struct nw_vm *vm)
{
	int n = 0;
	u64 a;

	for (a = DATA_GPA; a < DATA_GPA + DATA_PAGES * NW_PAGE_SIZE; a += 8)
		n += (*gmem(vm, a) | NW_X86_A | NW_X86_D) !=
		     (PATTERN | NW_X86_A | NW_X86_D);
	return n;
}

/* The table page holding @va's entry at @level. */
static u64 table_of(struct nw_as *as, u64 va, int level)
{
	return nw_pt_entry_addr(&as->gpt, va, level) & ~(NW_PAGE_SIZE - 1);
}

FIXTURE_SETUP(guest)
{
	struct nw_sim_cfg cfg;

	env_cfg_bare(&cfg);
	ASSERT_EQ(0, env_init(&self->e, &cfg));
	ASSERT_EQ(0, env_vm(&self->e, variant->mode, 4, 4, NW_PTE, 1,
			    &self->vm));
	ASSERT_EQ(0, nw_as_create(self->vm, 1, &self->as));
	nw_vm_enter(self->e.s, self->vm);
	fill_data(self->vm);
}

FIXTURE_TEARDOWN(guest)
{
	env_fini(&self->e);
}

/* Translates @va to @gpa in the guest's tables, and an access works. */
static bool maps(struct env *e, struct nw_as *as, u64 va, u64 gpa)
{
	u64 pa;
	int level;

	return !nw_pt_lookup(&as->gpt, va, &pa, &level, NULL) && pa == gpa &&
	       nw_access(e->s, va, as->pcid, NW_READ) == NW_OK;
}

/*
 * The free list of 31883ee, linked through freed table pages: a link
 * written into the freed PT made the next table allocation zero 4 KiB
 * from inside a data page.
 */
TEST_F(guest, crafted_link_in_freed_table)
{
	u64 pt, *link;

	ASSERT_EQ(0, nw_as_map(self->as, 0, 0x100000, NW_PAGE_SIZE, NW_PTE,
			       LEAF));
	pt = table_of(self->as, 0, NW_PTE);
	ASSERT_EQ(0, nw_as_map(self->as, 0, 0x200000, 1ULL << 21, NW_PDE,
			       LEAF));
	link = gmem(self->vm, pt);
	ASSERT_NE(NULL, link);
	*link = DATA_GPA + 0xff8;
	ASSERT_EQ(0, nw_as_map(self->as, 1ULL << 30, 0x300000, NW_PAGE_SIZE,
			       NW_PTE, LEAF));
	EXPECT_EQ(0, data_changed(self->vm));
	/* The freed PT came back as the new PD; the PT is a new page. */
	EXPECT_EQ(pt, table_of(self->as, 1ULL << 30, NW_PDE));
	EXPECT_NE(pt, table_of(self->as, 1ULL << 30, NW_PTE));
	EXPECT_LE(ENV_GPT_BASE, table_of(self->as, 1ULL << 30, NW_PTE));
	EXPECT_TRUE(maps(&self->e, self->as, 0x1000, 0x201000));
	EXPECT_TRUE(maps(&self->e, self->as, 1ULL << 30, 0x300000));
	EXPECT_EQ(0, self->vm->gpt_pool.nfree);
}

/*
 * A subtree freed through entries the guest rewrote: one points at a
 * data page, one at a table another entry already references. Only the
 * table pages really in use are freed, each once.
 */
TEST_F(guest, foreign_and_duplicate_pointers_in_a_freed_subtree)
{
	u64 pd, pt, e, held, va;
	int i;

	ASSERT_EQ(0, nw_as_map(self->as, 0, 0x100000, NW_PAGE_SIZE, NW_PTE,
			       LEAF));
	pd = table_of(self->as, 0, NW_PDE);
	pt = table_of(self->as, 0, NW_PTE);
	e = *gmem(self->vm, pd);
	*gmem(self->vm, pd + 8) = (DATA_GPA + 4 * NW_PAGE_SIZE) |
				  (e & 0xfff);
	*gmem(self->vm, pd + 16) = e;
	held = self->as->gpt.tables;
	ASSERT_EQ(0, nw_as_map(self->as, 0, 1ULL << 30, 1ULL << 30, NW_PDPTE,
			       LEAF));
	EXPECT_EQ(2, self->vm->gpt_pool.nfree);
	EXPECT_EQ(held - 2, self->as->gpt.tables);
	EXPECT_EQ(0, data_changed(self->vm));

	/* Four new 4 KiB maps need eight tables: two reused, six new. */
	for (i = 0, va = 2ULL << 30; i < 4; i++, va += 1ULL << 30)
		ASSERT_EQ(0, nw_as_map(self->as, va, 0x400000 + i * 4096,
				       NW_PAGE_SIZE, NW_PTE, LEAF));
	EXPECT_EQ(0, self->vm->gpt_pool.nfree);
	EXPECT_EQ(0, data_changed(self->vm));
	/* Freed children first: the PD is on top of the stack. */
	EXPECT_EQ(pd, table_of(self->as, 2ULL << 30, NW_PDE));
	EXPECT_EQ(pt, table_of(self->as, 2ULL << 30, NW_PTE));
	for (i = 0, va = 2ULL << 30; i < 4; i++, va += 1ULL << 30)
		EXPECT_TRUE(maps(&self->e, self->as, va, 0x400000 + i * 4096));
	EXPECT_TRUE(maps(&self->e, self->as, 0x5000, (1ULL << 30) + 0x5000));
}

/* A guest table entry pointing at its own table: bounded, nothing lost. */
TEST_F(guest, table_entry_pointing_at_itself)
{
	u64 pd, e;

	ASSERT_EQ(0, nw_as_map(self->as, 0, 0x100000, NW_PAGE_SIZE, NW_PTE,
			       LEAF));
	pd = table_of(self->as, 0, NW_PDE);
	e = *gmem(self->vm, pd);
	*gmem(self->vm, pd) = pd | (e & 0xfff);
	/* The PD read as a PT: its entry 0 maps VA 0 to the PD itself. */
	EXPECT_TRUE(maps(&self->e, self->as, 0, pd));
	ASSERT_EQ(0, nw_as_map(self->as, 0, 1ULL << 30, 1ULL << 30, NW_PDPTE,
			       LEAF));
	EXPECT_EQ(0, data_changed(self->vm));
	EXPECT_EQ(1, self->vm->gpt_pool.nfree);
	EXPECT_TRUE(maps(&self->e, self->as, 0x3000, (1ULL << 30) + 0x3000));
}

TEST_HARNESS_MAIN
