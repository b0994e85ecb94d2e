// SPDX-License-Identifier: GPL-2.0
/*
 * What the simulated CPU cannot do (NW_CAP_*): guest leaves it lacks
 * fault as the SDM says, host leaves its EPT or NPT cannot walk are not
 * built (KVM's kvm_configure_mmu()), and paging modes and PCIDs it lacks
 * are refused. Each test fails on a model that ignores the capability.
 */
#include "kselftest_harness.h"
#include "env.h"
#include "presets.h"

#define VA	0x7f1240000000ULL	/* 1 GiB aligned */
#define GPA	0x40000000ULL

static void cfg_caps(struct nw_sim_cfg *cfg, u32 caps)
{
	env_cfg_bare(cfg);
	cfg->caps = caps;
}

/*
 * SDM 4.5.4, table "Format of a PDPTE that maps a 1-GByte page": without
 * CPUID.80000001H:EDX.Page1GB, PS in a PDPTE is a reserved bit, so the
 * walk stops there with a page fault (error code RSVD). The preset
 * nehalem has no 1 GiB pages (they came with Westmere).
 */
TEST(guest_1g_page_faults_without_pdpe1gb)
{
	struct nw_sim_cfg cfg;
	struct nw_vm *vm;
	struct nw_as *as;
	struct env e;
	int with;

	for (with = 0; with < 2; with++) {
		ASSERT_EQ(0, nw_preset(NW_PRESET_NEHALEM, &cfg));
		EXPECT_EQ(0, cfg.caps & NW_CAP_PDPE1GB);
		if (with)
			cfg.caps |= NW_CAP_PDPE1GB;
		ASSERT_EQ(0, env_init(&e, &cfg));
		ASSERT_EQ(0, env_vm(&e, NW_MODE_NATIVE, 4, 0, NW_PTE, 0, &vm));
		ASSERT_EQ(0, nw_as_create(vm, 0, &as));
		/* The guest writes the entry; the CPU refuses to use it. */
		ASSERT_EQ(0, nw_as_map(as, VA, ENV_NATIVE_DATA, 1ULL << 30,
				       NW_PDPTE, NW_X86_RW));
		nw_vm_enter(e.s, vm);
		EXPECT_EQ(with ? NW_OK : NW_GUEST_PF,
			  nw_access(e.s, VA + 0x1234, 0, NW_READ));
		if (!with) {
			EXPECT_EQ(NW_PDPTE, e.s->last.fault_level);
			EXPECT_EQ(1, nw_sim_counter(e.s, NW_C_GUEST_PF));
			/* Two entries read: the PML4E and the bad PDPTE. */
			EXPECT_EQ(2, nw_sim_counter(e.s, NW_C_WALK_REFS));
		} else {
			EXPECT_EQ(NW_PDPTE, e.s->last.guest_size);
		}
		env_fini(&e);
	}
}

/* The EPT leaf of a 1 GiB host page under each EPT capability. */
static int ept_leaf(struct __test_metadata *_metadata, u32 caps, int mode,
		    enum nw_counter *leaf)
{
	static const enum nw_counter gauge[] = {
		NW_C_PAGES_4K, NW_C_PAGES_2M, NW_C_PAGES_1G,
	};
	struct nw_sim_cfg cfg;
	struct nw_vm *vm;
	struct nw_as *as;
	struct env e;
	int i, n = 0, size = 0;

	cfg_caps(&cfg, caps | NW_CAP_PDPE1GB);
	EXPECT_EQ(0, env_init(&e, &cfg));
	EXPECT_EQ(0, env_vm(&e, mode, 4, 4, NW_PDPTE, 1, &vm));
	EXPECT_EQ(0, nw_as_create(vm, 0, &as));
	EXPECT_EQ(0, nw_as_map(as, VA, GPA, 1ULL << 30, NW_PDPTE,
			       NW_X86_RW));
	nw_vm_enter(e.s, vm);
	EXPECT_EQ(NW_OK, nw_access(e.s, VA + 0x1234, 0, NW_READ));
	size = e.s->last.size;
	for (i = 0; i < 3; i++)
		if (nw_sim_counter(e.s, gauge[i])) {
			*leaf = gauge[i];
			n++;
		}
	env_fini(&e);
	EXPECT_EQ(1, n);	/* the data's leaf and the tables' are alike */
	return size;
}

/*
 * KVM builds no EPT leaf the CPU cannot walk: the largest is 1 GiB with
 * IA32_VMX_EPT_VPID_CAP bit 17, 2 MiB with bit 16, else 4 KiB
 * (vmx.c ept_caps_to_lpage_level()), whatever the host backing; a 1 GiB
 * guest page over it is cached as the host leaf (SDM 29.4.2).
 */
TEST(ept_leaf_is_the_smallest_of_backing_policy_and_capability)
{
	enum nw_counter leaf = NW_C_NR;

	EXPECT_EQ(NW_PDPTE, ept_leaf(_metadata, NW_CAP_EPT_2M | NW_CAP_EPT_1G,
				     NW_MODE_EPT, &leaf));
	EXPECT_EQ(NW_C_PAGES_1G, leaf);
	EXPECT_EQ(NW_PDE, ept_leaf(_metadata, NW_CAP_EPT_2M, NW_MODE_EPT,
				   &leaf));
	EXPECT_EQ(NW_C_PAGES_2M, leaf);
	EXPECT_EQ(NW_PTE, ept_leaf(_metadata, 0, NW_MODE_EPT, &leaf));
	EXPECT_EQ(NW_C_PAGES_4K, leaf);
	/* NPT: the same rule (svm.c sets the largest from the CPU's pages). */
	EXPECT_EQ(NW_PDE, ept_leaf(_metadata, NW_CAP_EPT_2M, NW_MODE_NPT,
				   &leaf));
	EXPECT_EQ(NW_C_PAGES_2M, leaf);
}

/*
 * SDM 29.3.3.1: bit 7 of an EPT PDE (PDPTE) is reserved, so an EPT
 * misconfiguration, when the CPU lacks 2 MiB (1 GiB) EPT pages, and an
 * execute-only entry is one without bit 0 of IA32_VMX_EPT_VPID_CAP.
 */
TEST(ept_entries_the_cpu_cannot_use_are_misconfigurations)
{
	struct nw_ept_caps caps = { .maxphyaddr = 46 };
	u64 big = NW_EPT_RWX | NW_EPT_LARGE | (u64)NW_MT_WB << NW_EPT_MT_SHIFT;
	struct nw_fmt f;

	nw_fmt_ept(&f, &caps);
	EXPECT_EQ(NW_PTE_MISCONFIG, nw_fmt_check(&f, big | 0x40000000, NW_PDE));
	EXPECT_EQ(NW_PTE_MISCONFIG,
		  nw_fmt_check(&f, big | 0x40000000, NW_PDPTE));
	EXPECT_EQ(NW_PTE_MISCONFIG, nw_fmt_check(&f, NW_EPT_X | 0x1000 |
						 (u64)NW_MT_WB <<
						 NW_EPT_MT_SHIFT, NW_PTE));
	caps.mbpages = caps.gbpages = caps.exec_only = true;
	nw_fmt_ept(&f, &caps);
	EXPECT_NE(NW_PTE_MISCONFIG,
		  nw_fmt_check(&f, big | 0x40000000, NW_PDE));
	EXPECT_NE(NW_PTE_MISCONFIG,
		  nw_fmt_check(&f, big | 0x40000000, NW_PDPTE));
	EXPECT_NE(NW_PTE_MISCONFIG, nw_fmt_check(&f, NW_EPT_X | 0x1000 |
						 (u64)NW_MT_WB <<
						 NW_EPT_MT_SHIFT, NW_PTE));
}

/*
 * A paging mode the CPU lacks cannot be entered: 5-level paging needs
 * CPUID.(EAX=07H,ECX=0):ECX.LA57 (SDM 4.1.4), a 5-level EPT walk bit 7
 * of IA32_VMX_EPT_VPID_CAP; PCIDs other than 0 need CR4.PCIDE, which
 * needs CPUID.01H:ECX.PCID (SDM 4.10.1).
 */
TEST(paging_modes_and_pcids_the_cpu_lacks_are_refused)
{
	struct nw_sim_cfg cfg;
	struct nw_vm *vm;
	struct nw_as *as;
	struct env e;

	cfg_caps(&cfg, NW_CAPS & ~(NW_CAP_LA57 | NW_CAP_EPT_5L | NW_CAP_PCID));
	ASSERT_EQ(0, env_init(&e, &cfg));
	EXPECT_EQ(-EOPNOTSUPP, env_vm(&e, NW_MODE_EPT, 5, 4, NW_PTE, 1, &vm));
	EXPECT_EQ(-EOPNOTSUPP, env_vm(&e, NW_MODE_NPT, 4, 5, NW_PTE, 1, &vm));
	EXPECT_EQ(-EOPNOTSUPP, env_vm(&e, NW_MODE_NATIVE, 5, 0, NW_PTE, 0,
				      &vm));
	ASSERT_EQ(0, env_vm(&e, NW_MODE_EPT, 4, 4, NW_PTE, 1, &vm));
	EXPECT_EQ(-EOPNOTSUPP, nw_as_create(vm, 1, &as));
	EXPECT_EQ(0, nw_as_create(vm, 0, &as));
	env_fini(&e);

	cfg_caps(&cfg, NW_CAPS);
	ASSERT_EQ(0, env_init(&e, &cfg));
	ASSERT_EQ(0, env_vm(&e, NW_MODE_EPT, 5, 5, NW_PTE, 1, &vm));
	EXPECT_EQ(0, nw_as_create(vm, 1, &as));
	env_fini(&e);
}

/* The presets' capabilities, as presets.c documents them. */
TEST(preset_capabilities)
{
	struct nw_sim_cfg cfg;

	ASSERT_EQ(0, nw_preset(NW_PRESET_NEHALEM, &cfg));
	EXPECT_EQ(NW_CAP_EPT_2M | NW_CAP_EPT_XO, cfg.caps);
	ASSERT_EQ(0, nw_preset(NW_PRESET_SKYLAKE, &cfg));
	EXPECT_EQ(NW_CAP_PDPE1GB | NW_CAP_PCID | NW_CAP_INVPCID |
		  NW_CAP_EPT_2M | NW_CAP_EPT_1G | NW_CAP_EPT_XO, cfg.caps);
	ASSERT_EQ(0, nw_preset(NW_PRESET_ZEN2, &cfg));
	EXPECT_EQ(NW_CAP_PDPE1GB | NW_CAP_EPT_2M | NW_CAP_EPT_1G, cfg.caps);
}

TEST_HARNESS_MAIN
