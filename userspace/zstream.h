/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Compressed streams, read and written in pieces: gzip (zlib), xz
 * (liblzma) and zstd (libzstd). A reader tells the formats apart by their
 * magic bytes, not by the file's name; a file with none of them is read
 * as it is. Errors name the byte offset of the compressed input.
 */
#ifndef _NW_ZSTREAM_H
#define _NW_ZSTREAM_H

#include <stdint.h>
#include <stdio.h>

enum nw_zkind {
	NW_Z_NONE,
	NW_Z_GZIP,
	NW_Z_XZ,
	NW_Z_ZSTD,
};

struct nw_zin {
	FILE *f;
	int kind;
	void *state;		/* the library's decoder */
	unsigned char in[65536];
	size_t in_len, in_pos;	/* bytes in @in, bytes the decoder took */
	uint64_t read;		/* bytes read from @f */
	uint64_t size;		/* of a regular file; 0: unknown */
	int in_eof;
	int pipe;		/* a pipe: read(2), paced */
	int pipe_err;		/* its errno */
	int ended;		/* the stream (or a gzip member) ended */
};

/*
 * The size a pipe a trace comes through is given (F_SETPIPE_SZ): a writer
 * of one line at a time (lackey) fills it while the paced reader sleeps.
 */
#define NW_ZIN_PIPE_SIZE	(1 << 20)

/* Start reading @f: detect the format. 0, or -1 with @err set. */
int nw_zin_open(struct nw_zin *z, FILE *f, char *err, size_t elen);
/* Up to @len bytes into @buf: the number, 0 at the end, -1 with @err. */
long nw_zin_read(struct nw_zin *z, void *buf, size_t len, char *err,
		 size_t elen);
/* Bytes of @f (the compressed input) the decoder has taken so far. */
uint64_t nw_zin_pos(const struct nw_zin *z);
void nw_zin_close(struct nw_zin *z);
/* "plain", "gzip", "xz", "zstd". */
const char *nw_zkind_name(int kind);

struct nw_zout {
	FILE *f;
	int kind;		/* NW_Z_GZIP or NW_Z_ZSTD */
	void *state;
	unsigned char out[65536];
};

/* The kind a saved file gets: gzip if @path ends in ".gz", else zstd. */
int nw_zout_kind(const char *path);
int nw_zout_open(struct nw_zout *z, FILE *f, int kind, char *err,
		 size_t elen);
int nw_zout_write(struct nw_zout *z, const void *buf, size_t len, char *err,
		  size_t elen);
/* End the stream and flush it to @f (which stays open); 0 or -1. */
int nw_zout_close(struct nw_zout *z, char *err, size_t elen);

#endif /* _NW_ZSTREAM_H */
