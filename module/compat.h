/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels nestwalk builds for (Debian's 6.1 and
 * the 6.12 of bookworm-backports), in one place: the rest of the module
 * uses these names and has no version checks of its own.
 */
#ifndef _NESTWALK_COMPAT_H
#define _NESTWALK_COMPAT_H

#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/version.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
/* 6.12 removed no_llseek: a NULL ->llseek now says "cannot seek". */
#define nw_no_llseek	NULL
#else
#define nw_no_llseek	no_llseek
#endif

/* 6.12's kvrealloc() takes no old size (it finds it, as krealloc does). */
static inline void *nw_kvrealloc(void *p, size_t oldsize, size_t newsize,
				 gfp_t flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	return kvrealloc(p, newsize, flags);
#else
	return kvrealloc(p, oldsize, newsize, flags);
#endif
}

#endif /* _NESTWALK_COMPAT_H */
