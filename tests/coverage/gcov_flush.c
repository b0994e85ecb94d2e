// SPDX-License-Identifier: GPL-2.0
/*
 * Linked into the coverage builds only (-Wl,--wrap=_exit): the kselftest
 * harness runs each test in a child that ends with _exit(), which skips
 * the atexit handler that writes gcov's counters. Write them first.
 */
#include <unistd.h>

void __gcov_dump(void);
void __real__exit(int status) __attribute__((noreturn));

void __wrap__exit(int status)
{
	__gcov_dump();
	__real__exit(status);
}
