// SPDX-License-Identifier: GPL-2.0
/*
 * The trace reader: lackey records and the binary format, read in batches
 * through a buffer much smaller than the trace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "trace.h"

static FILE *text(const char *s)
{
	FILE *f = tmpfile();

	if (f) {
		fputs(s, f);
		rewind(f);
	}
	return f;
}

#define USER(kind)	NESTWALK_ACCESS(0, (kind) | NESTWALK_USER)
/* A record's attribute carries its size, for page-crossing accesses. */
#define USIZE(kind, n)	(USER(kind) | NESTWALK_ACCESS_SIZE(n))

/* @s as a trace file, opened as @fmt into *@t; NULL if either failed. */
static FILE *opened(const char *s, int fmt, struct nw_trace *t)
{
	FILE *f = text(s);

	if (f && nw_trace_open(t, f, fmt)) {
		fclose(f);
		return NULL;
	}
	return f;
}

TEST(lackey_records)
{
	FILE *f = text("==123== Lackey, an example Valgrind tool\n"
		       "==123== \n"
		       "I  0401ab70,3\n"
		       " S 1fff0006f8,8\n"
		       " L 04222cac,8\n"
		       " M 0421d5c8,4\n"
		       "==123== exit\n"
		       "I  0401ab73,5");	/* no newline at the end */
	struct nestwalk_access acc[8];
	struct nw_trace t;

	ASSERT_NE(NULL, f);
	ASSERT_EQ(0, nw_trace_open(&t, f, NW_TRACE_AUTO));
	EXPECT_EQ(NW_TRACE_LACKEY, t.format);
	ASSERT_EQ(6, nw_trace_read(&t, acc, 8));
	EXPECT_EQ(0x0401ab70, acc[0].gva);
	EXPECT_EQ(USIZE(NESTWALK_FETCH, 3), acc[0].attr);
	EXPECT_EQ(0x1fff0006f8, acc[1].gva);
	EXPECT_EQ(USIZE(NESTWALK_WRITE, 8), acc[1].attr);
	EXPECT_EQ(USIZE(NESTWALK_READ, 8), acc[2].attr);
	/* M: a load, then a store to the same address. */
	EXPECT_EQ(0x0421d5c8, acc[3].gva);
	EXPECT_EQ(USIZE(NESTWALK_READ, 4), acc[3].attr);
	EXPECT_EQ(0x0421d5c8, acc[4].gva);
	EXPECT_EQ(USIZE(NESTWALK_WRITE, 4), acc[4].attr);
	EXPECT_EQ(0x0401ab73, acc[5].gva);
	EXPECT_EQ(USIZE(NESTWALK_FETCH, 5), acc[5].attr);
	EXPECT_EQ(5, t.records);
	EXPECT_EQ(0, nw_trace_read(&t, acc, 8));
	fclose(f);
}

/* An M record split across two batches keeps both halves. */
TEST(lackey_modify_across_batches)
{
	struct nestwalk_access acc[1];
	struct nw_trace t;
	FILE *f = opened(" M 1000,4\n L 2000,8\n", NW_TRACE_LACKEY, &t);

	ASSERT_NE(NULL, f);
	ASSERT_EQ(1, nw_trace_read(&t, acc, 1));
	EXPECT_EQ(USIZE(NESTWALK_READ, 4), acc[0].attr);
	ASSERT_EQ(1, nw_trace_read(&t, acc, 1));
	EXPECT_EQ(0x1000, acc[0].gva);
	EXPECT_EQ(USIZE(NESTWALK_WRITE, 4), acc[0].attr);
	ASSERT_EQ(1, nw_trace_read(&t, acc, 1));
	EXPECT_EQ(0x2000, acc[0].gva);
	EXPECT_EQ(0, nw_trace_read(&t, acc, 1));
	fclose(f);
}

/* A bad record fails the read that meets it, naming its line. */
TEST(lackey_garbage_is_an_error)
{
	struct nw_trace t;
	FILE *f = opened("I  0401ab70,3\n L zz12,8\n", NW_TRACE_AUTO, &t);
	struct nestwalk_access acc[4];

	ASSERT_NE(NULL, f);
	EXPECT_EQ(-1, nw_trace_read(&t, acc, 4));
	EXPECT_NE(NULL, strstr(t.err, "line 2"));
	fclose(f);
}

/* 200000 lines (about 3 MB) through the 64 KiB buffer, in odd batches. */
TEST(lackey_streams)
{
	struct nestwalk_access acc[777];
	unsigned long i, n = 0, sum = 0;
	FILE *f = tmpfile();
	struct nw_trace t;
	long got;

	ASSERT_NE(NULL, f);
	for (i = 0; i < 200000; i++)
		fprintf(f, "%s%lx,8\n", i % 3 ? " L " : "I  ", 0x400000 + i);
	rewind(f);
	ASSERT_EQ(0, nw_trace_open(&t, f, NW_TRACE_AUTO));
	while ((got = nw_trace_read(&t, acc, 777)) > 0) {
		for (i = 0; i < (unsigned long)got; i++)
			sum += acc[i].gva - 0x400000;
		n += got;
	}
	EXPECT_EQ(0, got);
	EXPECT_EQ(200000, n);
	EXPECT_EQ(199999UL * 200000 / 2, sum);
	fclose(f);
}

static void put(FILE *f, __u64 va, __u64 attr)
{
	__u64 rec[2] = { htole64(va), htole64(attr) };

	fwrite(rec, sizeof(rec), 1, f);
}

TEST(binary_round_trip)
{
	struct nestwalk_access acc[4];
	FILE *f = tmpfile();
	struct nw_trace t;

	ASSERT_NE(NULL, f);
	fwrite(NW_TRACE_MAGIC, 1, NW_TRACE_MAGIC_LEN, f);
	put(f, 0x7f0000001000, NESTWALK_ACCESS(5, NESTWALK_WRITE));
	put(f, 0x1000, NESTWALK_ACCESS(0, NESTWALK_FETCH | NESTWALK_USER));
	/* SMAP's EFLAGS.AC and implicit accesses (API 4) pass through. */
	put(f, 0x2000, NESTWALK_ACCESS(0, NESTWALK_READ) | NESTWALK_ACCESS_AC);
	put(f, 0x3000, NESTWALK_ACCESS(0, NESTWALK_WRITE) |
		       NESTWALK_ACCESS_IMPLICIT);
	rewind(f);
	ASSERT_EQ(0, nw_trace_open(&t, f, NW_TRACE_AUTO));
	EXPECT_EQ(NW_TRACE_BINARY, t.format);
	ASSERT_EQ(4, nw_trace_read(&t, acc, 4));
	EXPECT_EQ(NESTWALK_ACCESS(0, NESTWALK_READ) | NESTWALK_ACCESS_AC,
		  acc[2].attr);
	EXPECT_EQ(NESTWALK_ACCESS(0, NESTWALK_WRITE) |
		  NESTWALK_ACCESS_IMPLICIT, acc[3].attr);
	EXPECT_EQ(0x7f0000001000, acc[0].gva);
	EXPECT_EQ(5, NESTWALK_ACCESS_PCID(acc[0].attr));
	EXPECT_EQ(NESTWALK_WRITE, NESTWALK_ACCESS_KIND(acc[0].attr));
	EXPECT_EQ(NESTWALK_FETCH | NESTWALK_USER,
		  NESTWALK_ACCESS_KIND(acc[1].attr));
	ASSERT_EQ(0, nw_trace_read(&t, acc, 4));
	fclose(f);
}

TEST(binary_errors)
{
	struct nestwalk_access acc[4];
	FILE *f = tmpfile();
	struct nw_trace t;

	ASSERT_NE(NULL, f);
	/* Forced binary without the magic. */
	fputs(" L 1000,8\n", f);
	rewind(f);
	EXPECT_EQ(-1, nw_trace_open(&t, f, NW_TRACE_BINARY));
	fclose(f);

	f = tmpfile();
	ASSERT_NE(NULL, f);
	fwrite(NW_TRACE_MAGIC, 1, NW_TRACE_MAGIC_LEN, f);
	put(f, 0x1000, NESTWALK_ACCESS(0, 3));	/* kind 3 is none */
	rewind(f);
	ASSERT_EQ(0, nw_trace_open(&t, f, NW_TRACE_AUTO));
	EXPECT_EQ(-1, nw_trace_read(&t, acc, 4));
	EXPECT_NE(NULL, strstr(t.err, "bad attribute"));
	fclose(f);

	/* An implicit access is never a user one (SDM 4.6.1). */
	f = tmpfile();
	ASSERT_NE(NULL, f);
	fwrite(NW_TRACE_MAGIC, 1, NW_TRACE_MAGIC_LEN, f);
	put(f, 0x1000, NESTWALK_ACCESS(0, NESTWALK_READ | NESTWALK_USER) |
		       NESTWALK_ACCESS_IMPLICIT);
	rewind(f);
	ASSERT_EQ(0, nw_trace_open(&t, f, NW_TRACE_AUTO));
	EXPECT_EQ(-1, nw_trace_read(&t, acc, 4));
	EXPECT_NE(NULL, strstr(t.err, "bad attribute"));
	fclose(f);

	f = tmpfile();
	ASSERT_NE(NULL, f);
	fwrite(NW_TRACE_MAGIC, 1, NW_TRACE_MAGIC_LEN, f);
	put(f, 0x1000, 0);
	fwrite("12345", 1, 5, f);		/* a truncated record */
	rewind(f);
	ASSERT_EQ(0, nw_trace_open(&t, f, NW_TRACE_AUTO));
	EXPECT_EQ(-1, nw_trace_read(&t, acc, 4));
	EXPECT_NE(NULL, strstr(t.err, "truncated"));
	fclose(f);
}

TEST(format_names)
{
	EXPECT_EQ(NW_TRACE_AUTO, nw_trace_format_parse("auto"));
	EXPECT_EQ(NW_TRACE_BINARY, nw_trace_format_parse("binary"));
	EXPECT_EQ(NW_TRACE_LACKEY, nw_trace_format_parse("lackey"));
	EXPECT_EQ(-1, nw_trace_format_parse("csv"));
}

TEST_HARNESS_MAIN
