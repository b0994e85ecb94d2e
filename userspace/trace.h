/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Access traces, read as a stream in fixed-size pieces: the helper holds a
 * 64 KiB buffer and one batch of records, never the whole trace.
 *
 * Two formats. The binary one is "NWTRACE1" (8 bytes) followed by 16-byte
 * little-endian records laid out as struct nestwalk_access: the address,
 * then NESTWALK_ACCESS(pcid, kind). The other is the text valgrind's lackey
 * tool writes with --trace-mem=yes: "I  ADDR,SIZE" (instruction fetch),
 * " L ADDR,SIZE" (load), " S ADDR,SIZE" (store), " M ADDR,SIZE" (modify:
 * a load and a store, two accesses); other lines ("==PID== ...") are
 * skipped. Lackey's accesses are user-mode accesses of PCID 0.
 *
 * Either may come compressed (gzip, xz, zstd: zstream.h), told apart by
 * the magic bytes and decompressed as it is read.
 */
#ifndef _NW_TRACE_H
#define _NW_TRACE_H

#include <stdint.h>
#include <stdio.h>

#include <linux/nestwalk.h>

#include "zstream.h"

#define NW_TRACE_MAGIC		"NWTRACE1"
#define NW_TRACE_MAGIC_LEN	8

enum nw_trace_format {
	NW_TRACE_AUTO,
	NW_TRACE_BINARY,
	NW_TRACE_LACKEY,
};

/* Sees every byte of the (decompressed) trace as it is read: 0 or -1. */
typedef int (*nw_trace_tee_fn)(void *arg, const void *buf, size_t len);

struct nw_trace {
	struct nw_zin z;	/* the file, decompressed */
	int format;
	char buf[65536];
	size_t len, pos;	/* bytes in buf, bytes consumed */
	int eof;
	uint64_t line;		/* lackey: current line number */
	uint64_t records;	/* records read (an M record is one) */
	int pending;		/* the store half of an M record is due */
	uint64_t pending_va;
	uint64_t pending_size;
	nw_trace_tee_fn tee;
	void *tee_arg;
	char err[200];
};

/*
 * Start reading @f; AUTO tells the formats apart by the magic. On success
 * nw_trace_close() frees the decoder (@f stays open).
 */
int nw_trace_open(struct nw_trace *t, FILE *f, int format);
void nw_trace_close(struct nw_trace *t);
/* Hand every byte read so far, and from now on, to @fn; 0 or -1. */
int nw_trace_tee(struct nw_trace *t, nw_trace_tee_fn fn, void *arg);
/*
 * Up to @max accesses into @acc: the number read, 0 at the end, or -1 on
 * a malformed trace, a read error or a trace without any record (t->err
 * says which and where).
 */
long nw_trace_read(struct nw_trace *t, struct nestwalk_access *acc,
		   size_t max);
/* "auto", "binary", "lackey" -> enum nw_trace_format; -1 otherwise. */
int nw_trace_format_parse(const char *s);

#endif /* _NW_TRACE_H */
