// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "size.h"

static int digits(const char *s, uint64_t *v, const char **end)
{
	char *e;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoull(s, &e, 10);
	if (errno)
		return -1;
	*end = e;
	return 0;
}

int nw_parse_size(const char *s, uint64_t *bytes)
{
	static const char units[] = "KMGT";
	const char *u, *p;
	uint64_t v, mul = 1;

	if (digits(s, &v, &u))
		return -1;
	if (*u) {
		p = strchr(units, toupper((unsigned char)*u));
		if (!p)
			return -1;
		mul = 1ULL << (10 * (p - units + 1));
		u++;
		if (!strcasecmp(u, "ib"))
			u += 2;
		else if (!strcasecmp(u, "b"))
			u++;
		if (*u)
			return -1;
	}
	if (!v || v > UINT64_MAX / mul)
		return -1;
	*bytes = v * mul;
	return 0;
}

int nw_parse_count(const char *s, uint64_t *n, int *relative)
{
	const char *end;

	*relative = *s == '+';
	if (digits(s + *relative, n, &end) || *end)
		return -1;
	return 0;
}

void nw_size_name(uint64_t bytes, char *buf, unsigned long len)
{
	static const char units[] = "KMGT";
	int i = -1;

	while (i < 3 && bytes >= 1024 && !(bytes % 1024)) {
		bytes /= 1024;
		i++;
	}
	if (i < 0)
		snprintf(buf, len, "%llu", (unsigned long long)bytes);
	else
		snprintf(buf, len, "%llu%c", (unsigned long long)bytes,
			 units[i]);
}

int nw_errf(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}
