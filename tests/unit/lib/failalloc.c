// SPDX-License-Identifier: GPL-2.0
/*
 * Injected allocation failures (see failalloc.h).
 */
#include <stddef.h>

#include "failalloc.h"

void *__real_calloc(size_t n, size_t size);

static unsigned long fail_at, calls;

void failalloc_nth(unsigned long nth)
{
	fail_at = nth;
	calls = 0;
}

unsigned long failalloc_calls(void)
{
	return calls;
}

void *__wrap_calloc(size_t n, size_t size)
{
	if (++calls == fail_at)
		return NULL;
	return __real_calloc(n, size);
}
