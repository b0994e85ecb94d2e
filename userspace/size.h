/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NW_SIZE_H
#define _NW_SIZE_H

#include <stddef.h>
#include <stdint.h>

/*
 * "4096", "4K", "2M", "1G", "2048MB", "2GiB": bytes (K, M, G, T are
 * powers of 1024, with or without "B" or "iB"). 0 on success, -1 on
 * garbage, a zero size or overflow.
 */
int nw_parse_size(const char *s, uint64_t *bytes);
/* A plain count, "+N" sets *relative. 0 on success, -1 on garbage. */
int nw_parse_count(const char *s, uint64_t *n, int *relative);
/* "2M" for 2 MiB, "1G" for 1 GiB, "64K": the shortest exact form. */
void nw_size_name(uint64_t bytes, char *buf, unsigned long len);

/* The parsers' and the experiment's errors: @fmt into @err; returns -1. */
int nw_errf(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* _NW_SIZE_H */
