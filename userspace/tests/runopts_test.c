// SPDX-License-Identifier: GPL-2.0
/*
 * nestwalk run's options for the guest's access-rights registers
 * (--cr0-wp, --smep, --smap, --pkru): what they set in the experiment's
 * VM flags and PKRU (uAPI 4: NESTWALK_VM_NO_WP/SMEP/SMAP/PKE, pkru), and
 * what they refuse; those of the data-cache model (--dcache,
 * --dcache-level, --mem-latency: uAPI 5's dcache_mode, dcache_levels,
 * dcache_mem_latency_milli).
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

/* The model is on by default, walks and data (NESTWALK_DCACHE_DATA). */
TEST(dcache_defaults)
{
	struct nw_exp x;
	char d[256];

	nw_exp_defaults(&x);
	EXPECT_EQ(NESTWALK_DCACHE_DATA, x.dcache_mode);
	EXPECT_EQ(0, x.dcache_given);
	EXPECT_EQ(0, x.dcache.n);
	EXPECT_EQ(0, x.mem_latency_milli);
	nw_exp_describe(&x, d, sizeof(d));
	EXPECT_NE(NULL, strstr(d, ", dcache data")) TH_LOG("%s", d);
	EXPECT_EQ(0, nw_run_options_done("run", &x));
}

TEST(dcache_modes)
{
	struct nw_exp x;
	char d[256];

	nw_exp_defaults(&x);
	EXPECT_EQ(0, opt(&x, "dcache", "walks-only"));
	EXPECT_EQ(NESTWALK_DCACHE_WALKS, x.dcache_mode);
	EXPECT_EQ(1, x.dcache_given);
	EXPECT_EQ(0, opt(&x, "dcache", "off"));
	EXPECT_EQ(NESTWALK_DCACHE_OFF, x.dcache_mode);
	nw_exp_describe(&x, d, sizeof(d));
	EXPECT_NE(NULL, strstr(d, ", dcache off")) TH_LOG("%s", d);
	EXPECT_EQ(0, opt(&x, "dcache", "data"));
	EXPECT_EQ(NESTWALK_DCACHE_DATA, x.dcache_mode);
	EXPECT_EQ(-1, opt(&x, "dcache", "walks"));
	EXPECT_EQ(-1, opt(&x, "dcache", "on"));
	EXPECT_EQ(-1, opt(&x, "dcache", ""));
}

/* Levels in order, L1d first; the memory's latency in thousandths. */
TEST(dcache_geometry)
{
	struct nw_exp x;
	char d[256];

	nw_exp_defaults(&x);
	EXPECT_EQ(0, opt(&x, "dcache-level", "32K:8:5"));
	EXPECT_EQ(0, opt(&x, "dcache-level", "1M:16:14"));
	EXPECT_EQ(0, opt(&x, "mem-latency", "250.5"));
	EXPECT_EQ(2, x.dcache.n);
	EXPECT_EQ(64, x.dcache.l[0].sets);
	EXPECT_EQ(8, x.dcache.l[0].ways);
	EXPECT_EQ(5000, x.dcache.l[0].latency_milli);
	EXPECT_EQ(1024, x.dcache.l[1].sets);
	EXPECT_EQ(16, x.dcache.l[1].ways);
	EXPECT_EQ(14000, x.dcache.l[1].latency_milli);
	EXPECT_EQ(250500, x.mem_latency_milli);
	EXPECT_EQ(1, x.dcache_given);
	nw_exp_describe(&x, d, sizeof(d));
	EXPECT_NE(NULL, strstr(d, ", dcache data (explicit)")) TH_LOG("%s", d);
	EXPECT_EQ(0, nw_run_options_done("run", &x));
	/* A bad level leaves the others; a bad latency the one before. */
	EXPECT_EQ(-2, opt(&x, "dcache-level", "96K:8:4"));
	EXPECT_EQ(2, x.dcache.n);
	EXPECT_EQ(-2, opt(&x, "mem-latency", "0"));
	EXPECT_EQ(-2, opt(&x, "mem-latency", "10000.5"));
	EXPECT_EQ(-2, opt(&x, "mem-latency", "-3"));
	EXPECT_EQ(-2, opt(&x, "mem-latency", "fast"));
	EXPECT_EQ(250500, x.mem_latency_milli);
	EXPECT_EQ(0, opt(&x, "mem-latency", "10000"));
	EXPECT_EQ(10000000, x.mem_latency_milli);
}

/* A geometry with the model off is a contradiction, said once. */
TEST(dcache_geometry_needs_a_mode)
{
	struct nw_exp x;

	nw_exp_defaults(&x);
	EXPECT_EQ(0, opt(&x, "dcache-level", "32K:8:5"));
	EXPECT_EQ(0, opt(&x, "dcache", "off"));
	EXPECT_EQ(-1, nw_run_options_done("run", &x));
	nw_exp_defaults(&x);
	EXPECT_EQ(0, opt(&x, "mem-latency", "200"));
	EXPECT_EQ(0, opt(&x, "dcache", "off"));
	EXPECT_EQ(-1, nw_run_options_done("compare", &x));
	EXPECT_EQ(0, opt(&x, "dcache", "walks-only"));
	EXPECT_EQ(0, nw_run_options_done("compare", &x));
}

/*
 * Bad values exit 2 after one line that names the command: the reason, or
 * the values the option accepts.
 */
TEST(one_line_per_error)
{
	struct nw_run_extra e = { 0 };
	struct nw_exp x;
	char *buf = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&buf, &len), *old = stderr;
	int i, lines = 0;

	ASSERT_NE(NULL, err);
	nw_exp_defaults(&x);
	stderr = err;
	static const char *const level =
		"nestwalk run: --dcache-level 32K:12:5: 32K is not a whole number of 12-way sets of 64-byte lines\n";
	static const char *const mode =
		"nestwalk run: bad value \"most\" for --dcache: give one of data, walks-only, off\n";
	const struct option *o;

	for (o = nw_run_longopts; o->name; o++) {
		if (!strcmp(o->name, "dcache-level"))
			EXPECT_EQ(-1, nw_run_option_said("run", &x, &e, o->val,
							 "32K:12:5"));
		if (!strcmp(o->name, "dcache"))
			EXPECT_EQ(-1, nw_run_option_said("run", &x, &e, o->val,
							 "most"));
	}
	stderr = old;
	fclose(err);
	for (i = 0; buf[i]; i++)
		lines += buf[i] == '\n';
	EXPECT_EQ(2, lines) TH_LOG("%s", buf);
	EXPECT_NE(NULL, strstr(buf, level)) TH_LOG("%s", buf);
	EXPECT_NE(NULL, strstr(buf, mode)) TH_LOG("%s", buf);
	free(buf);
}

TEST_HARNESS_MAIN
