// SPDX-License-Identifier: GPL-2.0
/*
 * --tlb-level: an explicit TLB hierarchy (see geometry.h). The parser
 * checks everything the module would refuse with a bare EINVAL, so that
 * a mistyped geometry gets a reason and the usage exit code instead.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "geometry.h"
#include "size.h"

static const char *const repl_names[] = {
	[NESTWALK_REPL_LRU] = "lru",
	[NESTWALK_REPL_PLRU] = "plru",
	[NESTWALK_REPL_RANDOM] = "random",
};

static const char *const page_names[] = {
	[NESTWALK_PAGE_4K] = "4k",
	[NESTWALK_PAGE_2M] = "2m",
	[NESTWALK_PAGE_1G] = "1g",
};

/* Decimal digits at *@p, at most @max; *@p moves past them. */
static int digits(const char **p, uint64_t max, __u64 *v)
{
	const char *s = *p;

	for (*v = 0; *s >= '0' && *s <= '9'; s++) {
		*v = *v * 10 + (uint64_t)(*s - '0');
		if (*v > max)
			return -1;
	}
	if (s == *p)
		return -1;
	*p = s;
	return 0;
}

static int is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* "4k+2m" into NESTWALK_TLB_SIZE() bits. */
static int parse_sizes(const char *s, size_t n, __u64 *sizes)
{
	int page;

	*sizes = 0;
	while (n) {
		for (page = NESTWALK_PAGE_4K; page <= NESTWALK_PAGE_1G; page++)
			if (n >= 2 && !strncasecmp(s, page_names[page], 2) &&
			    (n == 2 || s[2] == '+'))
				break;
		if (page > NESTWALK_PAGE_1G ||
		    *sizes & NESTWALK_TLB_SIZE(page))
			return -1;
		*sizes |= NESTWALK_TLB_SIZE(page);
		s += n == 2 ? 2 : 3;
		n -= n == 2 ? 2 : 3;
		if (!n && s[-1] == '+')
			return -1;
	}
	return *sizes ? 0 : -1;
}

/* ENTRIES[xWAYS][:REPL] */
static int parse_array(const char *s, size_t n,
		       struct nestwalk_tlb_array *a, char *err, size_t len)
{
	const char *p = s, *end = s + n;
	uint64_t sets;
	size_t i;

	if (digits(&p, NESTWALK_TLB_MAX_ENTRIES, &a->entries) ||
	    !a->entries || p > end)
		return nw_errf(err, len, "entries must be 1 to %d",
			    NESTWALK_TLB_MAX_ENTRIES);
	a->ways = 0;
	if (p < end && *p == 'x') {
		p++;
		if (end - p >= 4 && !strncmp(p, "full", 4))
			p += 4;
		else if (digits(&p, a->entries, &a->ways) || !a->ways ||
			 p > end)
			return nw_errf(err, len, "ways must be 1 to the entries (%llu), or full",
				    (unsigned long long)a->entries);
	}
	a->repl = NESTWALK_REPL_LRU;
	if (p < end && *p == ':') {
		p++;
		for (i = 0; i < sizeof(repl_names) / sizeof(*repl_names); i++)
			if ((size_t)(end - p) == strlen(repl_names[i]) &&
			    !strncmp(p, repl_names[i], end - p))
				break;
		if (i == sizeof(repl_names) / sizeof(*repl_names))
			return nw_errf(err, len, "replacement \"%.*s\": lru, plru or random",
				    (int)(end - p), p);
		a->repl = i;
		p = end;
	}
	if (p != end)
		return nw_errf(err, len, "\"%.*s\": ENTRIES[xWAYS][:REPL]",
			    (int)n, s);
	if (a->ways == a->entries)
		a->ways = 0;
	if (a->ways && a->entries % a->ways)
		return nw_errf(err, len, "%llu ways do not divide %llu entries",
			    (unsigned long long)a->ways,
			    (unsigned long long)a->entries);
	if ((a->ways ? a->ways : a->entries) > NESTWALK_TLB_MAX_WAYS)
		return nw_errf(err, len, "%llu ways: at most %d a set",
			       (unsigned long long)(a->ways ? a->ways : a->entries),
			       NESTWALK_TLB_MAX_WAYS);
	sets = a->ways ? a->entries / a->ways : 1;
	if (!is_pow2(sets))
		return nw_errf(err, len, "%llu sets: not a power of two",
			    (unsigned long long)sets);
	if (a->repl == NESTWALK_REPL_PLRU &&
	    (!is_pow2(a->ways ? a->ways : a->entries) ||
	     (a->ways ? a->ways : a->entries) > 64))
		return nw_errf(err, len, "plru needs a power of two of at most 64 ways");
	return 0;
}

/*
 * "1", "7.5", "0.125": cycles into thousandths, at most @max_milli; the
 * first @n characters of @s. *@milli is left as it was on garbage.
 */
static int parse_cycles(const char *s, size_t n, uint64_t max_milli,
			__u64 *milli)
{
	const char *p = s;
	__u64 whole;
	uint64_t frac = 0, scale = 100;

	if (digits(&p, max_milli / 1000, &whole) || (size_t)(p - s) > n)
		return -1;
	if ((size_t)(p - s) < n && *p == '.') {
		for (p++; (size_t)(p - s) < n && *p >= '0' && *p <= '9'; p++) {
			if (!scale)
				return -1;
			frac += (uint64_t)(*p - '0') * scale;
			scale /= 10;
		}
		if (scale == 100)
			return -1;
	}
	if ((size_t)(p - s) != n)
		return -1;
	if (whole * 1000 + frac > max_milli)
		return -1;
	*milli = whole * 1000 + frac;
	return 0;
}

int nw_parse_cycles(const char *s, uint64_t max_milli, __u64 *milli)
{
	return parse_cycles(s, strlen(s), max_milli, milli);
}

void nw_cycles_name(uint64_t milli, char *buf, size_t len)
{
	char frac[8];

	snprintf(frac, sizeof(frac), "%03llu",
		 (unsigned long long)milli % 1000);
	while (frac[0] && frac[strlen(frac) - 1] == '0')
		frac[strlen(frac) - 1] = '\0';
	snprintf(buf, len, "%llu%s%s", (unsigned long long)milli / 1000,
		 frac[0] ? "." : "", frac);
}

int nw_geometry_add_level(struct nw_geometry *g, const char *spec,
			  char *err, size_t errlen)
{
	struct nestwalk_tlb_level l = { 0 };
	const char *item = spec, *next, *eq;
	unsigned int narrays = 0;
	uint64_t held = 0;
	size_t n;
	int lat = 0;

	if (g->n >= NESTWALK_TLB_MAX_LEVELS)
		return nw_errf(err, errlen, "at most %d TLB levels",
			    NESTWALK_TLB_MAX_LEVELS);
	for (; *item; item = *next ? next + 1 : next) {
		next = strchr(item, ',');
		if (!next)
			next = item + strlen(item);
		n = next - item;
		eq = memchr(item, '=', n);
		if (n == 6 && !strncmp(item, "shared", 6)) {
			if (!g->n)
				return nw_errf(err, errlen, "the first level cannot be shared");
			l.flags |= NESTWALK_TLB_SHARED;
		} else if (n == 6 && !strncmp(item, "victim", 6)) {
			if (!g->n)
				return nw_errf(err, errlen, "the first level cannot be a victim level");
			l.flags |= NESTWALK_TLB_VICTIM;
		} else if (eq == item + 3 && !strncmp(item, "lat", 3)) {
			if (parse_cycles(eq + 1, next - eq - 1, 1000000,
					 &l.latency_milli))
				return nw_errf(err, errlen, "lat=\"%.*s\": cycles from 0 to 1000, up to three decimals",
					    (int)(next - eq - 1), eq + 1);
			lat = 1;
		} else if (eq) {
			struct nestwalk_tlb_array *a;

			if (narrays == NESTWALK_TLB_MAX_ARRAYS)
				return nw_errf(err, errlen, "at most %d arrays a level",
					    NESTWALK_TLB_MAX_ARRAYS);
			a = &l.arrays[narrays];
			if (parse_sizes(item, eq - item, &a->sizes))
				return nw_errf(err, errlen, "page sizes \"%.*s\": 4k, 2m, 1g joined by +",
					    (int)(eq - item), item);
			if (a->sizes & held)
				return nw_errf(err, errlen, "a page size is held by two arrays of the level");
			held |= a->sizes;
			if (parse_array(eq + 1, next - eq - 1, a, err, errlen))
				return -1;
			narrays++;
		} else {
			return nw_errf(err, errlen, "\"%.*s\": SIZES=ENTRIES[xWAYS][:REPL], lat=CYCLES or victim",
				    (int)n, item);
		}
	}
	if (l.flags & NESTWALK_TLB_SHARED) {
		/* The data level's arrays, latency and victim flag hold. */
		if (l.flags != NESTWALK_TLB_SHARED || narrays || lat)
			return nw_errf(err, errlen, "a shared level takes nothing else");
		g->l[g->n++] = l;
		return 0;
	}
	if (!narrays)
		return nw_errf(err, errlen, "a TLB level needs an array, e.g. 4k=64x4");
	if (!lat)
		l.latency_milli = g->n ? 7000 : 1000;
	g->l[g->n++] = l;
	return 0;
}

void nw_geometry_describe(const struct nw_geometry *g, char *buf, size_t len)
{
	size_t off = 0;
	unsigned int i, a;
	char lat[32];
	int page;

#define OUT(...) (off += snprintf(buf + off, off < len ? len - off : 0, \
				  __VA_ARGS__))
	if (len)
		buf[0] = '\0';
	for (i = 0; i < g->n; i++) {
		const struct nestwalk_tlb_level *l = &g->l[i];

		if (i)
			OUT(" / ");
		if (l->flags & NESTWALK_TLB_SHARED) {
			OUT("shared");
			continue;
		}
		if (l->flags & NESTWALK_TLB_VICTIM)
			OUT("victim,");
		for (a = 0; a < NESTWALK_TLB_MAX_ARRAYS; a++) {
			const struct nestwalk_tlb_array *ar = &l->arrays[a];
			const char *sep = "";

			if (!ar->sizes)
				continue;
			for (page = NESTWALK_PAGE_4K; page <= NESTWALK_PAGE_1G;
			     page++) {
				if (!(ar->sizes & NESTWALK_TLB_SIZE(page)))
					continue;
				OUT("%s%s", sep, page_names[page]);
				sep = "+";
			}
			if (ar->ways)
				OUT("=%llux%llu", (unsigned long long)ar->entries,
				    (unsigned long long)ar->ways);
			else
				OUT("=%lluxfull",
				    (unsigned long long)ar->entries);
			if (ar->repl != NESTWALK_REPL_LRU)
				OUT(":%s", repl_names[ar->repl]);
			OUT(",");
		}
		nw_cycles_name(l->latency_milli, lat, sizeof(lat));
		OUT("lat=%s", lat);
	}
#undef OUT
}

/* Entries of level @l's array that holds @page, or 0. */
static uint64_t level_entries(const struct nestwalk_tlb_level *l, int page)
{
	unsigned int a;

	for (a = 0; a < NESTWALK_TLB_MAX_ARRAYS; a++)
		if (l->arrays[a].sizes & NESTWALK_TLB_SIZE(page))
			return l->arrays[a].entries;
	return 0;
}

/*
 * A level without an array for @page holds it as parts of the largest
 * smaller size it has (the module splinters it, SDM 4.10.2.3): those
 * count at their own size.
 */
uint64_t nw_geometry_reach_kib(const struct nw_geometry *g, int page)
{
	uint64_t kib = 0, n;
	unsigned int i;
	int p;

	for (i = 0; i < g->n; i++)
		for (p = page; p >= NESTWALK_PAGE_4K; p--) {
			n = level_entries(&g->l[i], p);
			if (n) {
				kib += n << (2 + 9 * (p - NESTWALK_PAGE_4K));
				break;
			}
		}
	return kib;
}

/*
 * --dcache-level SIZE:WAYS:CYCLES. The checks are the module's
 * (struct nestwalk_dcache_level): sets = SIZE / 64 / WAYS a power of two,
 * 1 to NESTWALK_DCACHE_MAX_WAYS ways, at most NESTWALK_DCACHE_MAX_LINES
 * lines, a latency of 0.001 to 1000 cycles.
 */
int nw_dcache_add_level(struct nw_dcache_geometry *g, const char *spec,
			char *err, size_t errlen)
{
	struct nestwalk_dcache_level l = { 0 };
	const char *c1 = strchr(spec, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	const char *p;
	char size[32];
	uint64_t bytes, lines;

	if (g->n >= NESTWALK_DCACHE_MAX_LEVELS)
		return nw_errf(err, errlen, "at most %d data-cache levels",
			       NESTWALK_DCACHE_MAX_LEVELS);
	if (!c2 || strchr(c2 + 1, ':'))
		return nw_errf(err, errlen, "\"%s\": SIZE:WAYS:CYCLES, e.g. 32K:8:5",
			       spec);
	snprintf(size, sizeof(size), "%.*s", (int)(c1 - spec), spec);
	if ((size_t)(c1 - spec) >= sizeof(size) || nw_parse_size(size, &bytes))
		return nw_errf(err, errlen, "size \"%.*s\": bytes, or K, M with a number",
			       (int)(c1 - spec), spec);
	p = c1 + 1;
	if (digits(&p, NESTWALK_DCACHE_MAX_WAYS, &l.ways) || p != c2 ||
	    !l.ways)
		return nw_errf(err, errlen, "ways \"%.*s\": 1 to %d",
			       (int)(c2 - c1 - 1), c1 + 1,
			       NESTWALK_DCACHE_MAX_WAYS);
	if (parse_cycles(c2 + 1, strlen(c2 + 1), 1000000, &l.latency_milli) ||
	    !l.latency_milli)
		return nw_errf(err, errlen, "latency \"%s\": cycles from 0.001 to 1000, up to three decimals",
			       c2 + 1);
	if (bytes % (NESTWALK_DCACHE_LINE * l.ways))
		return nw_errf(err, errlen, "%s is not a whole number of %llu-way sets of %d-byte lines",
			       size, (unsigned long long)l.ways,
			       NESTWALK_DCACHE_LINE);
	lines = bytes / NESTWALK_DCACHE_LINE;
	if (lines > NESTWALK_DCACHE_MAX_LINES)
		return nw_errf(err, errlen, "%s: at most %llu lines (%llu MiB) a level",
			       size, NESTWALK_DCACHE_MAX_LINES,
			       NESTWALK_DCACHE_MAX_LINES *
			       NESTWALK_DCACHE_LINE >> 20);
	l.sets = lines / l.ways;
	if (!is_pow2(l.sets))
		return nw_errf(err, errlen, "%s / %d / %llu = %llu sets: not a power of two",
			       size, NESTWALK_DCACHE_LINE,
			       (unsigned long long)l.ways,
			       (unsigned long long)l.sets);
	g->l[g->n++] = l;
	return 0;
}

void nw_dcache_describe(const struct nw_dcache_geometry *g, char *buf,
			size_t len)
{
	char size[32], lat[32];
	size_t off = 0;
	unsigned int i;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < g->n; i++) {
		const struct nestwalk_dcache_level *l = &g->l[i];

		nw_size_name(l->sets * l->ways * NESTWALK_DCACHE_LINE, size,
			     sizeof(size));
		nw_cycles_name(l->latency_milli, lat, sizeof(lat));
		off += snprintf(buf + off, off < len ? len - off : 0,
				"%s%s:%llu:%s", i ? " / " : "", size,
				(unsigned long long)l->ways, lat);
	}
}
