// SPDX-License-Identifier: GPL-2.0
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"

/* Keep the unread bytes, then read as many more as the buffer takes. */
static int fill(struct nw_trace *t)
{
	size_t start;
	long n;

	if (t->eof)
		return 0;
	memmove(t->buf, t->buf + t->pos, t->len - t->pos);
	t->len -= t->pos;
	t->pos = 0;
	start = t->len;
	while (t->len < sizeof(t->buf)) {
		n = nw_zin_read(&t->z, t->buf + t->len,
				sizeof(t->buf) - t->len, t->err,
				sizeof(t->err));
		if (n < 0)
			return -1;
		if (n == 0) {
			t->eof = 1;
			break;
		}
		t->len += n;
	}
	if (t->tee && t->len > start &&
	    t->tee(t->tee_arg, t->buf + start, t->len - start)) {
		snprintf(t->err, sizeof(t->err), "saving the trace failed");
		return -1;
	}
	return 0;
}

int nw_trace_tee(struct nw_trace *t, nw_trace_tee_fn fn, void *arg)
{
	/* Nothing was consumed yet: the buffer holds all that was read. */
	if (t->len && fn(arg, t->buf, t->len))
		return -1;
	t->tee = fn;
	t->tee_arg = arg;
	return 0;
}

void nw_trace_close(struct nw_trace *t)
{
	nw_zin_close(&t->z);
}

int nw_trace_format_parse(const char *s)
{
	if (!strcmp(s, "auto"))
		return NW_TRACE_AUTO;
	if (!strcmp(s, "binary"))
		return NW_TRACE_BINARY;
	if (!strcmp(s, "lackey"))
		return NW_TRACE_LACKEY;
	return -1;
}

int nw_trace_open(struct nw_trace *t, FILE *f, int format)
{
	int magic;

	memset(t, 0, sizeof(*t));
	if (nw_zin_open(&t->z, f, t->err, sizeof(t->err)))
		return -1;
	while (t->len < NW_TRACE_MAGIC_LEN && !t->eof)
		if (fill(t)) {
			nw_trace_close(t);
			return -1;
		}
	magic = t->len >= NW_TRACE_MAGIC_LEN &&
		!memcmp(t->buf, NW_TRACE_MAGIC, NW_TRACE_MAGIC_LEN);
	if (format == NW_TRACE_AUTO)
		format = magic ? NW_TRACE_BINARY : NW_TRACE_LACKEY;
	if (format == NW_TRACE_BINARY) {
		if (!magic) {
			snprintf(t->err, sizeof(t->err),
				 "not a binary trace: no %s magic",
				 NW_TRACE_MAGIC);
			nw_trace_close(t);
			return -1;
		}
		t->pos = NW_TRACE_MAGIC_LEN;
	}
	t->format = format;
	return 0;
}

static long read_binary(struct nw_trace *t, struct nestwalk_access *acc,
			size_t max)
{
	size_t n = 0;

	while (n < max) {
		uint64_t rec[2];

		if (t->len - t->pos < sizeof(rec)) {
			if (fill(t))
				return -1;
			if (t->len - t->pos < sizeof(rec)) {
				if (t->len == t->pos)
					break;
				snprintf(t->err, sizeof(t->err),
					 "record %llu truncated",
					 (unsigned long long)t->records);
				return -1;
			}
		}
		memcpy(rec, t->buf + t->pos, sizeof(rec));
		t->pos += sizeof(rec);
		acc[n].gva = le64toh(rec[0]);
		acc[n].attr = le64toh(rec[1]);
		/* An implicit access is a supervisor one (SDM 4.6.1). */
		if (acc[n].attr & NESTWALK_ACCESS_RSVD ||
		    NESTWALK_ACCESS_KIND(acc[n].attr) > (NESTWALK_FETCH |
							 NESTWALK_USER) ||
		    (NESTWALK_ACCESS_KIND(acc[n].attr) & 3) == 3 ||
		    NESTWALK_ACCESS_BYTES(acc[n].attr) >
		    NESTWALK_ACCESS_SIZE_MAX ||
		    ((acc[n].attr & NESTWALK_ACCESS_IMPLICIT) &&
		     (NESTWALK_ACCESS_KIND(acc[n].attr) & NESTWALK_USER))) {
			snprintf(t->err, sizeof(t->err),
				 "record %llu: bad attribute %#llx",
				 (unsigned long long)t->records,
				 (unsigned long long)acc[n].attr);
			return -1;
		}
		t->records++;
		n++;
	}
	return n;
}

/* The next whole line (without its newline), or NULL at the end. */
static char *next_line(struct nw_trace *t, int *err)
{
	char *nl, *line;

	*err = 0;
	for (;;) {
		nl = memchr(t->buf + t->pos, '\n', t->len - t->pos);
		if (nl || t->eof)
			break;
		if (t->pos == 0 && t->len == sizeof(t->buf)) {
			snprintf(t->err, sizeof(t->err),
				 "line %llu longer than %zu bytes",
				 (unsigned long long)t->line + 1,
				 sizeof(t->buf));
			*err = -1;
			return NULL;
		}
		if (fill(t)) {
			*err = -1;
			return NULL;
		}
	}
	if (!nl) {		/* the end: a last line without newline? */
		if (t->pos == t->len)
			return NULL;
		if (t->len == sizeof(t->buf)) {
			snprintf(t->err, sizeof(t->err), "line too long");
			*err = -1;
			return NULL;
		}
		nl = t->buf + t->len;
		t->len++;	/* room: len < sizeof(buf) */
	}
	*nl = '\0';
	line = t->buf + t->pos;
	t->pos = nl - t->buf + 1;
	t->line++;
	return line;
}

/*
 * "ADDR,SIZE" in hex and decimal: the address and the size. Lackey prints
 * " L %08lx,%lu" (lackey/lk_main.c); digits are taken by hand, not by
 * strtoull() - a trace has one line an access, and nestwalk trace parses
 * it on a CPU lackey shares - but as strictly: 1 to 16 hex digits, a
 * comma, 1 to 5 decimal digits for at most NESTWALK_ACCESS_SIZE_MAX, the
 * end.
 */
static int lackey_addr(const char *s, uint64_t *va, uint64_t *size)
{
	uint64_t v = 0;
	unsigned int i, d;

	for (i = 0; i < 17; i++) {
		unsigned char c = s[i];

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			break;
		v = v << 4 | d;
	}
	if (i == 0 || i > 16 || s[i] != ',')
		return -1;
	*va = v;
	s += i + 1;
	for (v = 0, i = 0; i < 5 && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (s[i] - '0');
	if (i == 0 || s[i] || v > NESTWALK_ACCESS_SIZE_MAX)
		return -1;
	*size = v;
	return 0;
}

static long read_lackey(struct nw_trace *t, struct nestwalk_access *acc,
			size_t max)
{
	size_t n = 0;
	int err;

	while (n < max) {
		uint64_t va, size;
		__u64 kind;
		char *l;

		if (t->pending) {
			acc[n].gva = t->pending_va;
			acc[n].attr = NESTWALK_ACCESS(0, NESTWALK_WRITE |
						      NESTWALK_USER) |
				      NESTWALK_ACCESS_SIZE(t->pending_size);
			t->pending = 0;
			n++;
			continue;
		}
		l = next_line(t, &err);
		if (!l)
			return err ? -1 : (long)n;
		if (l[0] == 'I' && l[1] == ' ' && l[2] == ' ')
			kind = NESTWALK_FETCH;
		else if (l[0] == ' ' && l[1] == 'L' && l[2] == ' ')
			kind = NESTWALK_READ;
		else if (l[0] == ' ' && l[1] == 'S' && l[2] == ' ')
			kind = NESTWALK_WRITE;
		else if (l[0] == ' ' && l[1] == 'M' && l[2] == ' ')
			kind = NESTWALK_READ;	/* and a write, below */
		else
			continue;		/* valgrind's own lines */
		if (lackey_addr(l + 3, &va, &size)) {
			snprintf(t->err, sizeof(t->err),
				 "line %llu: bad record \"%.40s\"",
				 (unsigned long long)t->line, l);
			return -1;
		}
		acc[n].gva = va;
		/* An access that ends on the next page translates both. */
		acc[n].attr = NESTWALK_ACCESS(0, kind | NESTWALK_USER) |
			      NESTWALK_ACCESS_SIZE(size);
		n++;
		t->records++;
		if (l[1] == 'M') {
			t->pending = 1;
			t->pending_va = va;
			t->pending_size = size;
		}
	}
	return n;
}

long nw_trace_read(struct nw_trace *t, struct nestwalk_access *acc,
		   size_t max)
{
	long n;

	if (t->format == NW_TRACE_BINARY)
		n = read_binary(t, acc, max);
	else
		n = read_lackey(t, acc, max);
	if (n == 0 && max && !t->records) {
		snprintf(t->err, sizeof(t->err), "%s",
			 t->format == NW_TRACE_BINARY ?
			 "the trace holds no records, only the NWTRACE1 magic: give one that has some" :
			 "the trace holds no records (no I, L, S or M lines): make it with valgrind --tool=lackey --trace-mem=yes");
		return -1;
	}
	return n;
}
