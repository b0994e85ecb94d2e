// SPDX-License-Identifier: GPL-2.0
/*
 * The trace reader: lackey records and the binary format, read in batches
 * through a buffer much smaller than the trace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/*
 * The edges of a record's "ADDR,SIZE": 16 hex digits of either case and a
 * size up to NESTWALK_ACCESS_SIZE_MAX are taken; a 17th digit, a larger
 * size, prefixes, signs, spaces and missing halves are refused.
 */
TEST(lackey_record_edges)
{
	static const struct {
		const char *line;
		__u64 gva;		/* 0: refused */
		__u64 size;
	} cases[] = {
		{ " L ffffffffffffffff,1\n", 0xffffffffffffffffULL, 1 },
		{ " L 00000000DeadBeef,4096\n", 0xdeadbeef, 4096 },
		{ " L 1,0\n", 1, 0 },
		{ " L 1ffffffffffffffff,1\n", 0, 0 },
		{ " L 1000,4097\n", 0, 0 },
		{ " L 1000,100000\n", 0, 0 },
		{ " L 0x1000,8\n", 0, 0 },
		{ " L  1000,8\n", 0, 0 },
		{ " L 1000,+8\n", 0, 0 },
		{ " L 1000, 8\n", 0, 0 },
		{ " L 1000,8 \n", 0, 0 },
		{ " L 1000,\n", 0, 0 },
		{ " L ,8\n", 0, 0 },
		{ " L 1000\n", 0, 0 },
		{ " L 10g0,8\n", 0, 0 },
	};
	struct nestwalk_access acc[2];
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nw_trace t;
		FILE *f = opened(cases[i].line, NW_TRACE_LACKEY, &t);

		ASSERT_NE(NULL, f);
		if (!cases[i].gva) {
			EXPECT_EQ(-1, nw_trace_read(&t, acc, 2));
			EXPECT_NE(NULL, strstr(t.err, "line 1: bad record"));
		} else {
			EXPECT_EQ(1, nw_trace_read(&t, acc, 2));
			EXPECT_EQ(cases[i].gva, acc[0].gva);
			EXPECT_EQ(USIZE(NESTWALK_READ, cases[i].size),
				  acc[0].attr);
		}
		fclose(f);
	}
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

/* Empty traces are refused: no records at all is no experiment. */
TEST(empty_is_refused)
{
	struct nestwalk_access acc[4];
	struct nw_trace t;
	FILE *f;

	f = opened("==1== Lackey\n==1== exit 0\n", NW_TRACE_AUTO, &t);
	ASSERT_NE(NULL, f);
	EXPECT_EQ(-1, nw_trace_read(&t, acc, 4));
	EXPECT_STREQ("the trace holds no records (no I, L, S or M lines): make it with valgrind --tool=lackey --trace-mem=yes",
		     t.err);
	fclose(f);
	f = opened("", NW_TRACE_AUTO, &t);
	ASSERT_NE(NULL, f);
	EXPECT_EQ(-1, nw_trace_read(&t, acc, 4));
	fclose(f);
	f = opened(NW_TRACE_MAGIC, NW_TRACE_AUTO, &t);
	ASSERT_NE(NULL, f);
	EXPECT_EQ(-1, nw_trace_read(&t, acc, 4));
	EXPECT_NE(NULL, strstr(t.err, "no records, only the NWTRACE1 magic"));
	fclose(f);
	/* One record, then the end: 1, then 0. */
	f = opened(" L 1000,8\n", NW_TRACE_AUTO, &t);
	ASSERT_NE(NULL, f);
	EXPECT_EQ(1, nw_trace_read(&t, acc, 4));
	EXPECT_EQ(0, nw_trace_read(&t, acc, 4));
	fclose(f);
}

/* What a whole trace file gives: records, accesses and their checksum. */
struct summary {
	unsigned long records, accesses, sum;
	int kind;
	char err[200];
};

static int summarize(const char *path, struct summary *s)
{
	struct nestwalk_access acc[1000];
	FILE *f = fopen(path, "r");
	struct nw_trace t;
	long n, i;

	memset(s, 0, sizeof(*s));
	if (!f)
		return -1;
	if (nw_trace_open(&t, f, NW_TRACE_AUTO)) {
		strcpy(s->err, t.err);
		fclose(f);
		return -1;
	}
	s->kind = t.z.kind;
	while ((n = nw_trace_read(&t, acc, 1000)) > 0) {
		for (i = 0; i < n; i++)
			s->sum = s->sum * 31 + acc[i].gva + acc[i].attr;
		s->accesses += n;
	}
	s->records = t.records;
	if (n < 0)
		strcpy(s->err, t.err);
	nw_trace_close(&t);
	fclose(f);
	return n < 0 ? -1 : 0;
}

static char dir[] = "/tmp/nw_trace_test.XXXXXX";

/* 150000 lackey lines (2.3 MB), one in five an M, and a binary trace. */
static int make_traces(void)
{
	char path[64];
	FILE *f, *b;
	unsigned long i;

	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/t.lackey", dir);
	f = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/t.bin", dir);
	b = fopen(path, "w");
	if (!f || !b)
		return -1;
	fputs("==7== Lackey, an example Valgrind tool\n", f);
	fwrite(NW_TRACE_MAGIC, 1, NW_TRACE_MAGIC_LEN, b);
	for (i = 0; i < 150000; i++) {
		fprintf(f, "%s%lx,%lu\n", i % 5 == 4 ? " M " :
			i % 3 ? " L " : "I  ", 0x400000 + i * 24, 1 + i % 8);
		put(b, 0x400000 + i * 24, NESTWALK_ACCESS(i % 7, i & 1));
	}
	fputs("==7== \n", f);
	return fclose(f) | fclose(b);
}

/* @tool (gzip, xz, zstd) makes FILE.EXT of FILE; 0, or -1 if missing. */
static int compress(const char *tool, const char *file, const char *ext)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "%s -c -q %s/%s > %s/%s.%s 2>/dev/null",
		 tool, dir, file, dir, file, ext);
	return system(cmd) ? -1 : 0;
}

static void cleanup(void)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		perror(cmd);
}

FIXTURE(compressed) {
	int dummy;
};

FIXTURE_SETUP(compressed)
{
	ASSERT_EQ(0, make_traces());
}

FIXTURE_TEARDOWN(compressed)
{
	cleanup();
}

static const char *const tools[] = { "gzip", "xz", "zstd" };
static const char *const exts[] = { "gz", "xz", "zst" };

/* Each format, lackey and binary, gives what the plain file gives. */
TEST_F(compressed, same_records)
{
	static const char *const files[] = { "t.lackey", "t.bin" };
	struct summary plain, z;
	char path[80];
	int i, k;

	for (k = 0; k < 2; k++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[k]);
		ASSERT_EQ(0, summarize(path, &plain));
		EXPECT_EQ(150000, plain.records);
		EXPECT_EQ(k ? 150000 : 180000, plain.accesses);
		EXPECT_EQ(NW_Z_NONE, plain.kind);
		for (i = 0; i < 3; i++) {
			if (compress(tools[i], files[k], exts[i]))
				SKIP(return, "no %s tool (scripts/deps.sh)",
				     tools[i]);
			/* Named .trace: the magic decides, not the name. */
			snprintf(path, sizeof(path), "%s/%s.%s", dir,
				 files[k], exts[i]);
			ASSERT_EQ(0, summarize(path, &z)) TH_LOG("%s", z.err);
			EXPECT_EQ(i + 1, z.kind);
			EXPECT_EQ(plain.records, z.records);
			EXPECT_EQ(plain.accesses, z.accesses);
			EXPECT_EQ(plain.sum, z.sum);
		}
	}
}

/* Cut in half: an error naming where the compressed input ends. */
TEST_F(compressed, truncated)
{
	char path[80], want[120];
	struct summary z;
	struct stat st;
	int i;

	for (i = 0; i < 3; i++) {
		if (compress(tools[i], "t.lackey", exts[i]))
			SKIP(return, "no %s tool (scripts/deps.sh)", tools[i]);
		snprintf(path, sizeof(path), "%s/t.lackey.%s", dir, exts[i]);
		ASSERT_EQ(0, stat(path, &st));
		ASSERT_EQ(0, truncate(path, st.st_size / 2));
		EXPECT_EQ(-1, summarize(path, &z));
		snprintf(want, sizeof(want),
			 "the %s stream ends at byte %lld before its end: the file is truncated (%s -t FILE checks it)",
			 i == 0 ? "gzip" : tools[i],
			 (long long)st.st_size / 2, tools[i]);
		EXPECT_STREQ(want, z.err);
	}
}

/* Overwrite @n bytes at @at of @path with @bytes. */
static int damage(const char *path, long at, const char *bytes, size_t n)
{
	FILE *f = fopen(path, "r+");

	if (!f)
		return -1;
	fseek(f, at, SEEK_SET);
	fwrite(bytes, 1, n, f);
	return fclose(f);
}

/*
 * A damaged header (gzip's reserved flags, xz's stream flags, zstd's
 * reserved frame bit): corrupt data near the start, the format named.
 */
TEST_F(compressed, corrupt)
{
	static const long at[] = { 3, 7, 4 };
	static const char *const bad[] = { "\xe0", "\x7f", "\x08" };
	char path[80], want[64];
	unsigned long where;
	struct summary z;
	struct stat st;
	int i;

	for (i = 0; i < 3; i++) {
		if (compress(tools[i], "t.lackey", exts[i]))
			SKIP(return, "no %s tool (scripts/deps.sh)", tools[i]);
		snprintf(path, sizeof(path), "%s/t.lackey.%s", dir, exts[i]);
		ASSERT_EQ(0, damage(path, at[i], bad[i], 1));
		EXPECT_EQ(-1, summarize(path, &z));
		snprintf(want, sizeof(want), "corrupt %s data at byte ",
			 i ? tools[i] : "gzip");
		EXPECT_EQ(0, strncmp(want, z.err, strlen(want)))
			TH_LOG("%s", z.err);
		EXPECT_EQ(1, sscanf(z.err + strlen(want), "%lu", &where));
		EXPECT_GE(18, where);
		EXPECT_NE(NULL, strstr(z.err, "-t FILE checks it"));
	}
	/*
	 * gzip's CRC-32 of the data, 8 bytes from the end: all read, then
	 * refused where the CRC ends.
	 */
	snprintf(path, sizeof(path), "%s/t.lackey.gz", dir);
	ASSERT_EQ(0, compress("gzip", "t.lackey", "gz"));
	ASSERT_EQ(0, stat(path, &st));
	ASSERT_EQ(0, damage(path, st.st_size - 8, "\0\0\0\0", 4));
	EXPECT_EQ(-1, summarize(path, &z));
	snprintf(path, sizeof(path),
		 "corrupt gzip data at byte %lld (incorrect data check)",
		 (long long)st.st_size - 4);
	EXPECT_EQ(0, strncmp(path, z.err, strlen(path))) TH_LOG("%s", z.err);
}

static int tee_count(void *arg, const void *buf, size_t len)
{
	*(size_t *)arg += len;
	return 0;
}

struct zout_tee {
	struct nw_zout zo;
	char err[100];
};

static int tee_save(void *arg, const void *buf, size_t len)
{
	struct zout_tee *s = arg;

	return nw_zout_write(&s->zo, buf, len, s->err, sizeof(s->err));
}

/* --save: what was read, compressed as the name says, reads back equal. */
TEST_F(compressed, save_round_trip)
{
	static const char *const names[] = { "s.gz", "s.zst" };
	struct nestwalk_access acc[1000];
	struct summary plain, back;
	char path[80];
	struct nw_trace t;
	struct zout_tee s;
	size_t seen;
	FILE *f, *out;
	int k;

	EXPECT_EQ(NW_Z_GZIP, nw_zout_kind("x.gz"));
	EXPECT_EQ(NW_Z_ZSTD, nw_zout_kind("x.zst"));
	EXPECT_EQ(NW_Z_ZSTD, nw_zout_kind("gz"));
	snprintf(path, sizeof(path), "%s/t.lackey", dir);
	ASSERT_EQ(0, summarize(path, &plain));
	for (k = 0; k < 2; k++) {
		f = fopen(path, "r");
		snprintf(path, sizeof(path), "%s/%s", dir, names[k]);
		out = fopen(path, "w");
		ASSERT_NE(NULL, out);
		ASSERT_EQ(0, nw_zout_open(&s.zo, out, nw_zout_kind(path),
					  s.err, sizeof(s.err)));
		ASSERT_EQ(0, nw_trace_open(&t, f, NW_TRACE_LACKEY));
		seen = 0;
		ASSERT_EQ(0, nw_trace_tee(&t, tee_count, &seen));
		t.tee = tee_save;
		t.tee_arg = &s;
		ASSERT_EQ(0, tee_save(&s, t.buf, t.len));
		while (nw_trace_read(&t, acc, 1000) > 0)
			;
		nw_trace_close(&t);
		fclose(f);
		ASSERT_EQ(0, nw_zout_close(&s.zo, s.err, sizeof(s.err)));
		fclose(out);
		EXPECT_LT(0, seen);
		ASSERT_EQ(0, summarize(path, &back)) TH_LOG("%s", back.err);
		EXPECT_EQ(k ? NW_Z_ZSTD : NW_Z_GZIP, back.kind);
		EXPECT_EQ(plain.accesses, back.accesses);
		EXPECT_EQ(plain.sum, back.sum);
		snprintf(path, sizeof(path), "%s/t.lackey", dir);
	}
}

TEST_HARNESS_MAIN
