// SPDX-License-Identifier: GPL-2.0
/*
 * Accesses that cross a page boundary (an unaligned load, an instruction
 * that straddles two pages) translate each page they touch, first to
 * last (SDM 4.10.2.3: a translation per page, each cached on its own),
 * and fault as a whole if either page faults: the access does not happen
 * in part. Before this, the model translated the first page only.
 */
#include "kselftest_harness.h"
#include "env.h"

#define VA	0x7f1240000000ULL

FIXTURE(cross) {
	struct env e;
	struct nw_vm *vm;
	struct nw_as *as;
};

FIXTURE_SETUP(cross)
{
	struct nw_sim_cfg cfg;

	env_cfg_bare(&cfg);
	ASSERT_EQ(0, env_init(&self->e, &cfg));
	ASSERT_EQ(0, env_vm(&self->e, NW_MODE_NATIVE, 4, 0, NW_PTE, 0,
			    &self->vm));
	ASSERT_EQ(0, nw_as_create(self->vm, 0, &self->as));
	/* Pages 0 and 1 writable, page 2 read-only, page 3 unmapped. */
	ASSERT_EQ(0, nw_as_map(self->as, VA, ENV_NATIVE_DATA, 2 * NW_PAGE_SIZE,
			       NW_PTE, NW_X86_RW));
	ASSERT_EQ(0, nw_as_map(self->as, VA + 2 * NW_PAGE_SIZE,
			       ENV_NATIVE_DATA + 2 * NW_PAGE_SIZE, NW_PAGE_SIZE,
			       NW_PTE, 0));
	nw_vm_enter(self->e.s, self->vm);
}

FIXTURE_TEARDOWN(cross)
{
	env_fini(&self->e);
}

static u64 run(struct nw_sim *s, u64 va, u8 kind, u64 bytes)
{
	struct nw_acc a = { .va = va, .kind = kind | nw_cross(va, bytes) };

	return nw_access_batch(s, &a, 1);
}

TEST_F(cross, both_pages_translated_and_counted_once)
{
	struct nw_sim *s = self->e.s;

	/* 8 bytes at the page's last 4: one read, two pages, two walks. */
	EXPECT_EQ(0, run(s, VA + 0xffc, NW_READ, 8));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_READS));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_PAGE_CROSS));
	EXPECT_EQ(2, nw_sim_counter(s, NW_C_TLB_MISS));
	EXPECT_EQ(2, nw_sim_counter(s, NW_C_WALKS));
	EXPECT_EQ(ENV_NATIVE_DATA + NW_PAGE_SIZE, s->last.hpa);
	/* Both are in the TLB now: the same access hits twice. */
	EXPECT_EQ(0, run(s, VA + 0xffc, NW_READ, 8));
	EXPECT_EQ(2, nw_sim_counter(s, NW_C_TLB_L1_HIT));
	EXPECT_EQ(2, nw_sim_counter(s, NW_C_WALKS));
	EXPECT_EQ(2, nw_sim_counter(s, NW_C_PAGE_CROSS));
	/* Ending on the last byte of a page is no crossing. */
	EXPECT_EQ(0, run(s, VA + 0xff8, NW_READ, 8));
	EXPECT_EQ(2, nw_sim_counter(s, NW_C_PAGE_CROSS));
	EXPECT_EQ(3, nw_sim_counter(s, NW_C_READS));
	/* A fetch of 15 bytes straddling pages 0 and 1. */
	EXPECT_EQ(0, run(s, VA + 0xff9, NW_FETCH, 15));
	EXPECT_EQ(3, nw_sim_counter(s, NW_C_PAGE_CROSS));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_FETCHES));
}

/* SDM 4.7: the fault is the second page's, at its first byte. */
TEST_F(cross, into_an_unmapped_page_faults_as_a_whole)
{
	struct nw_sim *s = self->e.s;
	u64 last = VA + 3 * NW_PAGE_SIZE - 2;

	EXPECT_EQ(1, run(s, last, NW_READ, 4));
	EXPECT_EQ(NW_GUEST_PF, s->status);
	EXPECT_EQ(VA + 3 * NW_PAGE_SIZE, s->last.fault_addr);
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_GUEST_PF));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_READS));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_PAGE_CROSS));
	/* The first page was translated: it stays cached. */
	EXPECT_EQ(0, run(s, last, NW_READ, 1));
	EXPECT_EQ(1, nw_sim_counter(s, NW_C_TLB_L1_HIT));
}

/* A write into a read-only second page faults; a read of both does not. */
TEST_F(cross, rights_of_both_pages)
{
	struct nw_sim *s = self->e.s;
	u64 va = VA + 2 * NW_PAGE_SIZE - 4;

	EXPECT_EQ(1, run(s, va, NW_WRITE, 8));
	EXPECT_EQ(NW_GUEST_PF, s->status);
	EXPECT_EQ(VA + 2 * NW_PAGE_SIZE, s->last.fault_addr);
	EXPECT_EQ(0, run(s, va, NW_READ, 8));
	/* Without the crossing, the write is within page 1: no fault. */
	EXPECT_EQ(0, run(s, va, NW_WRITE, 4));
}

TEST_HARNESS_MAIN
