/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one header through which module/core/ reaches its environment.
 *
 * The model core is compiled twice: into nestwalk.ko (with __KERNEL__) and
 * into userspace unit tests, benchmarks and fuzzers. Core files include this
 * header and nothing else from outside module/core/, so the same source sees
 * the same types, helpers and allocator in both builds.
 */
#ifndef _NESTWALK_CORE_SHIM_H
#define _NESTWALK_CORE_SHIM_H

#ifdef __KERNEL__

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>

/* Core objects may be large (TLB arrays); they are charged to the caller. */
static inline void *nw_zalloc(size_t size)
{
	return kvzalloc(size, GFP_KERNEL_ACCOUNT);
}

static inline void nw_free(void *p)
{
	kvfree(p);
}

#else /* userspace */

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
#define GENMASK_ULL(h, l)	((~0ULL << (l)) & (~0ULL >> (63 - (h))))
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#ifndef __always_inline
#define __always_inline		inline __attribute__((__always_inline__))
#endif
#define fallthrough		__attribute__((__fallthrough__))

static inline void *nw_zalloc(size_t size)
{
	return calloc(1, size);
}

static inline void nw_free(void *p)
{
	free(p);
}

#endif /* __KERNEL__ */

#endif /* _NESTWALK_CORE_SHIM_H */
