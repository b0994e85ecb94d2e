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
