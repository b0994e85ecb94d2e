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
 */
#ifndef _NW_TRACE_H
#define _NW_TRACE_H

#include <stdint.h>
#include <stdio.h>

#include <linux/nestwalk.h>

#define NW_TRACE_MAGIC		"NWTRACE1"
#define NW_TRACE_MAGIC_LEN	8

enum nw_trace_format {
	NW_TRACE_AUTO,
	NW_TRACE_BINARY,
	NW_TRACE_LACKEY,
};

struct nw_trace {
	FILE *f;
	int format;
	char buf[65536];
	size_t len, pos;	/* bytes in buf, bytes consumed */
	int eof;
	uint64_t line;		/* lackey: current line number */
	uint64_t records;	/* records read (an M record is one) */
	int pending;		/* the store half of an M record is due */
	uint64_t pending_va;
	uint64_t pending_size;
	char err[160];
};

/* Start reading @f; AUTO tells the formats apart by the magic. */
int nw_trace_open(struct nw_trace *t, FILE *f, int format);
/*
 * Up to @max accesses into @acc: the number read, 0 at the end, or -1 on
 * a malformed trace or a read error (t->err says which and where).
 */
long nw_trace_read(struct nw_trace *t, struct nestwalk_access *acc,
		   size_t max);
/* "auto", "binary", "lackey" -> enum nw_trace_format; -1 otherwise. */
int nw_trace_format_parse(const char *s);

#endif /* _NW_TRACE_H */
