// SPDX-License-Identifier: GPL-2.0
/*
 * Every allocation of the core may fail, as failslab makes it fail in the
 * kernel: the N-th one fails, for each N, in a scenario that builds a
 * simulated CPU of every preset, a VM of every mode, address spaces,
 * mappings over many guest tables and accesses. Each failure comes back
 * as -ENOMEM, and what was built is torn down whole: LeakSanitizer
 * looks for leaks at the end (when the build has it).
 */
#include "kselftest_harness.h"
#include "env.h"
#include "failalloc.h"
#include "presets.h"

/* LeakSanitizer's, when ASan is linked in (not in the coverage build). */
int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

/* A VM of @mode, 300 guest pages at 2 MiB strides (300 tables), accesses. */
static int vm_scenario(struct nw_sim *s, int mode)
{
	struct nw_vm_cfg c = {
		.mode = mode, .vpid = 1, .guest_levels = 4,
		.host_levels = mode == NW_MODE_EPT || mode == NW_MODE_NPT ? 4 : 0,
		.max_level = NW_PDPTE, .gpt_base = ENV_GPT_BASE,
		.gpt_size = ENV_GPT_SIZE,
	};
	u64 gpa0 = mode == NW_MODE_NATIVE ? ENV_NATIVE_DATA : 0;
	struct nw_vm *vm;
	struct nw_as *as;
	int err, i;

	err = nw_vm_create(s, &c, &vm);
	if (err)
		return err;
	err = simmem_slot(s->mem.ctx, vm->id, 0, ENV_GUEST_SIZE,
			  env_slot_hpa(vm->id), NW_PDE);
	if (err)
		return err;
	err = nw_as_create(vm, 3, &as);
	for (i = 0; !err && i < 300; i++)
		err = nw_as_map(as, i * (2ULL << 20), gpa0 + i * 4096ULL,
				4096, NW_PTE, NW_X86_RW | NW_X86_US);
	if (err)
		return err;
	nw_vm_enter(s, vm);
	for (i = 0; i < 300; i++)
		nw_access(s, i * (2ULL << 20) + 64, 3, i % 3);
	nw_invept(s, NW_INVEPT_GLOBAL, NULL);
	return 0;
}

/*
 * The whole scenario over every preset, the @nth allocation of the core
 * failing (0: none); 0 if it ran to the end.
 */
static int scenario(unsigned long nth)
{
	static const int modes[] = {
		NW_MODE_NATIVE, NW_MODE_EPT, NW_MODE_NPT, NW_MODE_SHADOW,
	};
	struct nw_sim_cfg cfg;
	struct simmem mem;
	struct nw_sim *s;
	int err, p, m;

	failalloc_nth(0);
	if (simmem_init(&mem, ENV_HOST_LIMIT, ENV_TABLES, ENV_TABLES_SIZE))
		return -1;	/* not the core's: fails the test */
	failalloc_nth(nth);
	err = 0;
	for (p = NW_PRESET_NEHALEM; !err && p < NW_PRESET_NR; p++) {
		err = nw_preset(p, &cfg);
		if (err)
			break;
		cfg.caps = NW_CAPS;	/* every scenario on every TLB */
		s = nw_sim_create(&cfg, &simmem_ops, &mem, &err);
		if (!s)
			break;
		for (m = 0; !err && m < (int)ARRAY_SIZE(modes); m++)
			err = vm_scenario(s, modes[m]);
		nw_sim_destroy(s);
		mem.nslots = 0;
	}
	simmem_fini(&mem);
	return err;
}

TEST(each_allocation_failure_unwinds)
{
	unsigned long nth, total;
	int err, failed = 0;

	/* Counted once without failures: the scenario's allocations. */
	ASSERT_EQ(0, scenario(0));
	total = failalloc_calls();
	ASSERT_LT(10, total);
	for (nth = 1; nth <= total; nth++) {
		err = scenario(nth);
		if (err) {
			EXPECT_EQ(-ENOMEM, err) TH_LOG("allocation %lu", nth);
			failed++;
		}
	}
	failalloc_nth(0);
	TH_LOG("%lu allocations, %d failures injected", total, failed);
	EXPECT_EQ(total, (unsigned long)failed);
	/* The harness's child ends with _exit(): no check at exit. */
	if (__lsan_do_recoverable_leak_check)
		EXPECT_EQ(0, __lsan_do_recoverable_leak_check());
}

TEST_HARNESS_MAIN
