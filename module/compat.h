/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels nestwalk builds for (5.10 to 7.3; the
 * README lists the ones tested), in one place: the rest of the module uses
 * these names and has no version checks of its own. Each branch names the
 * release that made the difference.
 */
#ifndef _NESTWALK_COMPAT_H
#define _NESTWALK_COMPAT_H

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/version.h>
#include <linux/atomic.h>

/*
 * 5.19 added the generic try_cmpxchg64() (locking/atomic); before it,
 * x86-64's try_cmpxchg() takes a u64 as it is (arch_try_cmpxchg, a
 * locked cmpxchg of the operand's size), which is all the core needs.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 19, 0)
#define try_cmpxchg64(ptr, oldp, new)	try_cmpxchg((ptr), (oldp), (new))
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
/* 6.12 removed no_llseek: a NULL ->llseek now says "cannot seek". */
#define nw_no_llseek	NULL
#else
#define nw_no_llseek	no_llseek
#endif

/*
 * kvrealloc() came in 5.15 (commit de2860f46362) with the old size as an
 * argument; 6.12 dropped it (it finds the size, as krealloc does). Before
 * 5.15, the same steps by hand: a new buffer, the old contents, the old
 * buffer freed; on failure the old buffer stays, as with kvrealloc().
 */
static inline void *nw_kvrealloc(void *p, size_t oldsize, size_t newsize,
				 gfp_t flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	return kvrealloc(p, newsize, flags);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(5, 15, 0)
	return kvrealloc(p, oldsize, newsize, flags);
#else
	void *q = kvmalloc(newsize, flags);

	if (!q)
		return NULL;
	memcpy(q, p, min(oldsize, newsize));
	kvfree(p);
	return q;
#endif
}

#endif /* _NESTWALK_COMPAT_H */
