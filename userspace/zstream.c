// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "zstream.h"

static const char *const kind_names[] = { "plain", "gzip", "xz", "zstd" };

const char *nw_zkind_name(int kind)
{
	return kind_names[kind];
}

static int errf(char *err, size_t elen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int errf(char *err, size_t elen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, elen, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Up to @len bytes of the file. A pipe is read with read(2), not stdio;
 * after a short read the reader waits 2 ms, so that a writer which writes
 * a line at a time (lackey) fills the pipe for a while rather than wake
 * the reader for each line: a few hundred reads a second, not millions.
 */
static size_t raw_read(struct nw_zin *z, void *buf, size_t len)
{
	static const struct timespec pause = { 0, 2000000 };
	ssize_t n;

	if (!z->pipe)
		return fread(buf, 1, len, z->f);
	do
		n = read(fileno(z->f), buf, len);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		/* As fread() says it: ferror() on the stream. */
		z->pipe_err = errno;
		return 0;
	}
	if ((size_t)n < len / 4)
		nanosleep(&pause, NULL);
	return n;
}

static int raw_error(const struct nw_zin *z)
{
	if (z->pipe)
		return z->pipe_err;
	return ferror(z->f) ? errno ?: EIO : 0;
}

/* Read more compressed input once all of @in was taken. */
static int refill(struct nw_zin *z, char *err, size_t elen)
{
	size_t n;

	if (z->in_pos < z->in_len || z->in_eof)
		return 0;
	n = raw_read(z, z->in, sizeof(z->in));
	z->in_len = n;
	z->in_pos = 0;
	z->read += n;
	if (n == 0) {
		if (raw_error(z))
			return errf(err, elen, "read error at byte %llu: %s",
				    (unsigned long long)z->read,
				    strerror(raw_error(z)));
		z->in_eof = 1;
	}
	return 0;
}

uint64_t nw_zin_pos(const struct nw_zin *z)
{
	return z->read - (z->in_len - z->in_pos);
}

/* The input ended inside a compressed stream. */
static int truncated(struct nw_zin *z, char *err, size_t elen)
{
	return errf(err, elen, "the %s stream ends at byte %llu before its end: the file is truncated (%s -t FILE checks it)",
		    kind_names[z->kind], (unsigned long long)nw_zin_pos(z),
		    z->kind == NW_Z_GZIP ? "gzip" : kind_names[z->kind]);
}

static int corrupt(struct nw_zin *z, const char *why, char *err,
		   size_t elen)
{
	return errf(err, elen, "corrupt %s data at byte %llu (%s): the file is damaged (%s -t FILE checks it)",
		    kind_names[z->kind], (unsigned long long)nw_zin_pos(z),
		    why, z->kind == NW_Z_GZIP ? "gzip" : kind_names[z->kind]);
}

/* The first bytes of each format (RFC 1952, xz and zstd formats). */
static int detect(const unsigned char *p, size_t n)
{
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return NW_Z_GZIP;
	if (n >= 6 && !memcmp(p, "\xfd" "7zXZ\0", 6))
		return NW_Z_XZ;
	if (n >= 4 && !memcmp(p, "\x28\xb5\x2f\xfd", 4))
		return NW_Z_ZSTD;
	return NW_Z_NONE;
}

static int decoder_init(struct nw_zin *z, char *err, size_t elen)
{
	lzma_stream init = LZMA_STREAM_INIT;

	switch (z->kind) {
	case NW_Z_GZIP:
		z->state = calloc(1, sizeof(z_stream));
		if (z->state && inflateInit2(z->state, 15 + 16) != Z_OK) {
			free(z->state);
			z->state = NULL;
		}
		break;
	case NW_Z_XZ:
		z->state = malloc(sizeof(lzma_stream));
		if (!z->state)
			break;
		memcpy(z->state, &init, sizeof(init));
		if (lzma_stream_decoder(z->state, UINT64_MAX,
					LZMA_CONCATENATED) != LZMA_OK) {
			free(z->state);
			z->state = NULL;
		}
		break;
	case NW_Z_ZSTD:
		z->state = ZSTD_createDStream();
		break;
	default:
		return 0;
	}
	return z->state ? 0 : errf(err, elen, "no memory for a %s decoder",
				   kind_names[z->kind]);
}

int nw_zin_open(struct nw_zin *z, FILE *f, char *err, size_t elen)
{
	struct stat st;

	z->f = f;
	z->kind = NW_Z_NONE;
	z->state = NULL;
	z->in_len = z->in_pos = 0;
	z->read = z->size = 0;
	z->in_eof = z->ended = 0;
	z->pipe = z->pipe_err = 0;
	if (!fstat(fileno(f), &st) && S_ISREG(st.st_mode))
		z->size = st.st_size;
	if (!fstat(fileno(f), &st) && S_ISFIFO(st.st_mode))
		z->pipe = 1;
	/* A magic can straddle two reads of a pipe: gather six bytes. */
	while (z->in_len < 6 && !z->in_eof) {
		size_t n = raw_read(z, z->in + z->in_len,
				    sizeof(z->in) - z->in_len);

		z->in_len += n;
		z->read += n;
		if (n == 0 && raw_error(z))
			return errf(err, elen, "read error: %s",
				    strerror(raw_error(z)));
		if (n == 0)
			z->in_eof = 1;
	}
	z->kind = detect(z->in, z->in_len);
	return decoder_init(z, err, elen);
}

/* Plain input: what is buffered, then straight from the file. */
static long plain_read(struct nw_zin *z, unsigned char *buf, size_t len,
		       char *err, size_t elen)
{
	size_t n;

	if (z->in_pos < z->in_len) {
		n = z->in_len - z->in_pos < len ? z->in_len - z->in_pos : len;
		memcpy(buf, z->in + z->in_pos, n);
		z->in_pos += n;
		return n;
	}
	if (z->in_eof)
		return 0;
	n = raw_read(z, buf, len);
	z->read += n;
	if (n == 0 && raw_error(z))
		return errf(err, elen, "read error at byte %llu: %s",
			    (unsigned long long)z->read,
			    strerror(raw_error(z)));
	if (n == 0)
		z->in_eof = 1;
	return n;
}

/* gzip: members follow each other (as gzip -d reads them). */
static long gz_read(struct nw_zin *z, unsigned char *buf, size_t len,
		    char *err, size_t elen)
{
	z_stream *s = z->state;
	int ret;

	for (;;) {
		if (refill(z, err, elen))
			return -1;
		if (z->in_pos == z->in_len)
			return z->ended ? 0 : truncated(z, err, elen);
		if (z->ended && inflateReset(s) == Z_OK)
			z->ended = 0;
		s->next_in = z->in + z->in_pos;
		s->avail_in = z->in_len - z->in_pos;
		s->next_out = buf;
		s->avail_out = len;
		ret = inflate(s, Z_NO_FLUSH);
		z->in_pos = z->in_len - s->avail_in;
		if (ret == Z_STREAM_END)
			z->ended = 1;
		else if (ret != Z_OK && ret != Z_BUF_ERROR)
			return corrupt(z, s->msg ? s->msg : "inflate", err,
				       elen);
		if (len - s->avail_out)
			return len - s->avail_out;
	}
}

static long xz_read(struct nw_zin *z, unsigned char *buf, size_t len,
		    char *err, size_t elen)
{
	lzma_stream *s = z->state;
	lzma_ret ret;

	for (;;) {
		if (z->ended)
			return 0;
		if (refill(z, err, elen))
			return -1;
		s->next_in = z->in + z->in_pos;
		s->avail_in = z->in_len - z->in_pos;
		s->next_out = buf;
		s->avail_out = len;
		ret = lzma_code(s, z->in_eof ? LZMA_FINISH : LZMA_RUN);
		z->in_pos = z->in_len - s->avail_in;
		if (ret == LZMA_STREAM_END)
			z->ended = 1;
		else if (ret == LZMA_BUF_ERROR)
			return truncated(z, err, elen);
		else if (ret != LZMA_OK)
			return corrupt(z, ret == LZMA_FORMAT_ERROR ?
				       "not xz" : "bad block or check",
				       err, elen);
		if (len - s->avail_out)
			return len - s->avail_out;
	}
}

/* zstd: frames follow each other; the input must end between frames. */
static long zstd_read(struct nw_zin *z, unsigned char *buf, size_t len,
		      char *err, size_t elen)
{
	for (;;) {
		ZSTD_inBuffer in;
		ZSTD_outBuffer out = { buf, len, 0 };
		size_t ret;

		if (refill(z, err, elen))
			return -1;
		in.src = z->in;
		in.size = z->in_len;
		in.pos = z->in_pos;
		ret = ZSTD_decompressStream(z->state, &out, &in);
		if (ZSTD_isError(ret))
			return corrupt(z, ZSTD_getErrorName(ret), err, elen);
		/* 0: a frame ended; called again with nothing, a hint. */
		if (out.pos || in.pos > z->in_pos)
			z->ended = ret == 0;
		z->in_pos = in.pos;
		if (out.pos)
			return out.pos;
		if (z->in_eof && z->in_pos == z->in_len)
			return z->ended ? 0 : truncated(z, err, elen);
	}
}

long nw_zin_read(struct nw_zin *z, void *buf, size_t len, char *err,
		 size_t elen)
{
	switch (z->kind) {
	case NW_Z_GZIP:
		return gz_read(z, buf, len, err, elen);
	case NW_Z_XZ:
		return xz_read(z, buf, len, err, elen);
	case NW_Z_ZSTD:
		return zstd_read(z, buf, len, err, elen);
	}
	return plain_read(z, buf, len, err, elen);
}

void nw_zin_close(struct nw_zin *z)
{
	if (!z->state)
		return;
	if (z->kind == NW_Z_GZIP)
		inflateEnd(z->state);
	else if (z->kind == NW_Z_XZ)
		lzma_end(z->state);
	if (z->kind == NW_Z_ZSTD)
		ZSTD_freeDStream(z->state);
	else
		free(z->state);
	z->state = NULL;
}

int nw_zout_kind(const char *path)
{
	size_t n = strlen(path);

	return n > 3 && !strcmp(path + n - 3, ".gz") ? NW_Z_GZIP : NW_Z_ZSTD;
}

int nw_zout_open(struct nw_zout *z, FILE *f, int kind, char *err,
		 size_t elen)
{
	z->f = f;
	z->kind = kind;
	if (kind == NW_Z_GZIP) {
		z->state = calloc(1, sizeof(z_stream));
		/* Level 1: the saved trace must keep up with lackey. */
		if (z->state && deflateInit2(z->state, 1, Z_DEFLATED, 15 + 16,
					     8, Z_DEFAULT_STRATEGY) != Z_OK) {
			free(z->state);
			z->state = NULL;
		}
	} else {
		z->state = ZSTD_createCStream();
		if (z->state && ZSTD_isError(ZSTD_initCStream(z->state, 3))) {
			ZSTD_freeCStream(z->state);
			z->state = NULL;
		}
	}
	return z->state ? 0 : errf(err, elen, "no memory for a %s encoder",
				   kind_names[kind]);
}

static int put(struct nw_zout *z, size_t n, char *err, size_t elen)
{
	if (n && fwrite(z->out, 1, n, z->f) != n)
		return errf(err, elen, "write error: %s", strerror(errno));
	return 0;
}

/* Deflate @len bytes (Z_FINISH: to the end of the stream). */
static int gz_code(struct nw_zout *z, const void *buf, size_t len, int flush,
		   char *err, size_t elen)
{
	z_stream *s = z->state;
	int ret;

	s->next_in = (unsigned char *)buf;
	s->avail_in = len;
	do {
		s->next_out = z->out;
		s->avail_out = sizeof(z->out);
		ret = deflate(s, flush);
		if (ret == Z_STREAM_ERROR)
			return errf(err, elen, "deflate failed");
		if (put(z, sizeof(z->out) - s->avail_out, err, elen))
			return -1;
	} while (s->avail_in || (flush == Z_FINISH && ret != Z_STREAM_END));
	return 0;
}

static int zstd_code(struct nw_zout *z, const void *buf, size_t len,
		     ZSTD_EndDirective end, char *err, size_t elen)
{
	ZSTD_inBuffer in = { buf, len, 0 };
	size_t left;

	do {
		ZSTD_outBuffer out = { z->out, sizeof(z->out), 0 };

		left = ZSTD_compressStream2(z->state, &out, &in, end);
		if (ZSTD_isError(left))
			return errf(err, elen, "zstd: %s",
				    ZSTD_getErrorName(left));
		if (put(z, out.pos, err, elen))
			return -1;
	} while (in.pos < in.size || (end == ZSTD_e_end && left));
	return 0;
}

int nw_zout_write(struct nw_zout *z, const void *buf, size_t len, char *err,
		  size_t elen)
{
	if (z->kind == NW_Z_GZIP)
		return gz_code(z, buf, len, Z_NO_FLUSH, err, elen);
	return zstd_code(z, buf, len, ZSTD_e_continue, err, elen);
}

int nw_zout_close(struct nw_zout *z, char *err, size_t elen)
{
	int ret;

	if (!z->state)
		return 0;
	if (z->kind == NW_Z_GZIP) {
		ret = gz_code(z, NULL, 0, Z_FINISH, err, elen);
		deflateEnd(z->state);
		free(z->state);
	} else {
		ret = zstd_code(z, NULL, 0, ZSTD_e_end, err, elen);
		ZSTD_freeCStream(z->state);
	}
	z->state = NULL;
	if (!ret && fflush(z->f))
		return errf(err, elen, "write error: %s", strerror(errno));
	return ret;
}
