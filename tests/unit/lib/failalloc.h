/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Injected allocation failures for the userspace build of the core, as
 * failslab injects them in the kernel: the unit tests link with
 * -Wl,--wrap=calloc, so every nw_zalloc() of the core goes through here.
 */
#ifndef _NESTWALK_FAILALLOC_H
#define _NESTWALK_FAILALLOC_H

/* Fail the @nth allocation from now on (1: the next one); 0: none. */
void failalloc_nth(unsigned long nth);
/* Allocations made since the last failalloc_nth(). */
unsigned long failalloc_calls(void);

#endif /* _NESTWALK_FAILALLOC_H */
