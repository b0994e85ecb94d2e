/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the nestwalk selftests share: paths, reading and writing the
 * kernel's "value" and "name value" files, and memory set-up.
 */
#ifndef _NWTEST_H
#define _NWTEST_H

#include <stdbool.h>
#include <stddef.h>

#define NW_DEV		"/dev/nestwalk"
#define NW_DEBUGFS	"/sys/kernel/debug/nestwalk"
#define NR_HUGEPAGES	"/proc/sys/vm/nr_hugepages"
#define THP_ENABLED	"/sys/kernel/mm/transparent_hugepage/enabled"
#define SZ_2M		(2UL << 20)

/*
 * What every test of a binary needs. NWT_REQUIRE(needs), once in a test
 * file, checks it before the harness starts: a binary that lacks one
 * exits with kselftest's skip (4) and one "1..0 # SKIP reason" line, so
 * the runner reports "ok N selftests: nestwalk: NAME # SKIP" (a harness
 * whose tests all skipped exits 0, which the runner reports as a pass).
 */
#define NWT_ROOT	0x1	/* effective uid 0 */
#define NWT_MODULE	0x2	/* NW_DEV: the module is loaded */
#define NWT_DEBUGFS	0x4	/* NW_DEBUGFS: debugfs is mounted */

void nwt_require(unsigned int needs);

#define NWT_REQUIRE(needs)						\
	static void __attribute__((constructor)) nwt_require_needs(void) \
	{								\
		nwt_require(needs);					\
	}

/*
 * A fixture's setup that skips must keep its test's body from running:
 * the 6.1 harness runs the body after a SKIP() in FIXTURE_SETUP (newer
 * ones do not). NWT_SETUP_SKIP() in FIXTURE_SETUP is SKIP() that also
 * sets nwt_setup_skipped, and the body of an NWT_TEST_F() returns at once
 * when it is set. Each test runs in a process of its own, forked by the
 * harness, so the flag starts false in every test.
 */
extern bool nwt_setup_skipped;

#define NWT_SETUP_SKIP(statement, fmt, ...) do {			\
	nwt_setup_skipped = true;					\
	SKIP(statement, fmt, ##__VA_ARGS__);				\
} while (0)

#define NWT_TEST_F_IMPL(fixture, name, test_f)				\
	static void nwt_##fixture##_##name(				\
		struct __test_metadata *_metadata,			\
		FIXTURE_DATA(fixture) *self,				\
		const FIXTURE_VARIANT(fixture) *variant);		\
	test_f								\
	{								\
		if (!nwt_setup_skipped)					\
			nwt_##fixture##_##name(_metadata, self, variant); \
	}								\
	static void nwt_##fixture##_##name(				\
		struct __test_metadata __attribute__((unused)) *_metadata, \
		FIXTURE_DATA(fixture) __attribute__((unused)) *self,	\
		const FIXTURE_VARIANT(fixture)				\
			__attribute__((unused)) *variant)

#define NWT_TEST_F(fixture, name)					\
	NWT_TEST_F_IMPL(fixture, name, TEST_F(fixture, name))
#define NWT_TEST_F_TIMEOUT(fixture, name, timeout)			\
	NWT_TEST_F_IMPL(fixture, name, TEST_F_TIMEOUT(fixture, name, timeout))

/* The number a file holds (nr_hugepages, a module parameter); -1 if none. */
long long nwt_read_ll(const char *path);
int nwt_write_ll(const char *path, long long v);
/*
 * The value of line "@name value" of @path, -1 if there is none; @line,
 * if given, gets its 0-based line number.
 */
long long nwt_value(const char *path, const char *name, int *line);
/* Module-wide debugfs stats: sessions_open, pinned_pages. */
long long nwt_stat(const char *name);
/* The whole file (at most 64 KiB); the last three results stay valid. */
const char *nwt_file(const char *path);
/* debugfs directory of the newest session: ids only grow. */
void nwt_newest_session(char *out, size_t len);
/* @len bytes, 2 MiB aligned, cut from a larger anonymous mapping. */
void *nwt_map_2m_aligned(size_t len);
/* Transparent hugepages switched off ("[never]"). */
bool nwt_thp_never(void);
/*
 * The kernel log from now on: /dev/kmsg opened at its end (-1 if it
 * cannot be); nwt_kmsg_count() reads what was logged since and counts
 * the records that contain any of @pats (NULL-terminated).
 */
int nwt_kmsg_open(void);
int nwt_kmsg_count(int fd, const char *const *pats);

#endif /* _NWTEST_H */
