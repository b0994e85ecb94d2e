// SPDX-License-Identifier: GPL-2.0
/*
 * nestwalk run's options for the guest's access-rights registers
 * (--cr0-wp, --smep, --smap, --pkru): what they set in the experiment's
 * VM flags and PKRU (uAPI 4: NESTWALK_VM_NO_WP/SMEP/SMAP/PKE, pkru), and
 * what they refuse.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "experiment.h"
#include "runopts.h"

int nw_json;		/* nestwalk.c's --json, not linked here */

/* Apply option --@name @arg to @x as the command line would. */
static int opt(struct nw_exp *x, const char *name, const char *arg)
{
	struct nw_run_extra e = { 0 };
	int i;

	for (i = 0; nw_run_longopts[i].name; i++)
		if (!strcmp(nw_run_longopts[i].name, name))
			return nw_run_option(x, &e, nw_run_longopts[i].val,
					     arg);
	return -2;
}

TEST(rights_defaults_are_a_usual_kernel)
{
	struct nw_exp x;

	nw_exp_defaults(&x);
	EXPECT_EQ(0, x.vm_flags);
	EXPECT_EQ(0, x.pkru);
}

TEST(cr0_wp_smep_smap)
{
	struct nw_exp x;
	char d[256];

	nw_exp_defaults(&x);
	EXPECT_EQ(0, opt(&x, "cr0-wp", "0"));
	EXPECT_EQ(NESTWALK_VM_NO_WP, x.vm_flags);
	EXPECT_EQ(0, opt(&x, "smep", NULL));
	EXPECT_EQ(0, opt(&x, "smap", NULL));
	EXPECT_EQ(NESTWALK_VM_NO_WP | NESTWALK_VM_SMEP | NESTWALK_VM_SMAP,
		  x.vm_flags);
	nw_exp_describe(&x, d, sizeof(d));
	EXPECT_NE(NULL, strstr(d, ", CR0.WP 0, SMEP, SMAP"));
	EXPECT_EQ(0, opt(&x, "cr0-wp", "1"));
	EXPECT_EQ(NESTWALK_VM_SMEP | NESTWALK_VM_SMAP, x.vm_flags);
	EXPECT_EQ(-1, opt(&x, "cr0-wp", "2"));
	EXPECT_EQ(-1, opt(&x, "cr0-wp", "on"));
	EXPECT_EQ(-1, opt(&x, "cr0-wp", ""));
}

TEST(pkru_sets_pke)
{
	struct nw_exp x;
	char d[256];

	nw_exp_defaults(&x);
	EXPECT_EQ(0, opt(&x, "pkru", "55555554"));
	EXPECT_EQ(NESTWALK_VM_PKE, x.vm_flags);
	EXPECT_EQ(0x55555554, x.pkru);
	nw_exp_describe(&x, d, sizeof(d));
	EXPECT_NE(NULL, strstr(d, ", PKRU 0x55555554"));
	EXPECT_EQ(0, opt(&x, "pkru", "0x0"));
	EXPECT_EQ(0, x.pkru);
	EXPECT_EQ(0, opt(&x, "pkru", "ffffffff"));
	EXPECT_EQ(0xffffffff, x.pkru);
	/* PKRU is 32 bits (SDM 4.6.2). */
	EXPECT_EQ(-1, opt(&x, "pkru", "100000000"));
	EXPECT_EQ(-1, opt(&x, "pkru", "-1"));
	EXPECT_EQ(-1, opt(&x, "pkru", "12g"));
	EXPECT_EQ(-1, opt(&x, "pkru", ""));
	EXPECT_EQ(0xffffffff, x.pkru);
}

TEST_HARNESS_MAIN
