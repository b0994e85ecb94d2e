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
#include <linux/math64.h>
#include <linux/atomic.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>

/* What differs between kernel releases (try_cmpxchg64 before 5.19). */
#include "../compat.h"

/* Core objects may be large (TLB arrays); they are charged to the caller. */
static inline void *nw_zalloc(size_t size)
{
	return kvzalloc(size, GFP_KERNEL_ACCOUNT);
}

static inline void nw_free(void *p)
{
	kvfree(p);
}

/* Index of the lowest set bit of a non-zero @x. */
static inline unsigned int nw_ffs32(u32 x)
{
	return __ffs(x);
}

/*
 * A loop whose length a caller decides (tearing down its tables, setting up
 * a generator) lets others run between its steps.
 */
static inline void nw_cond_resched(void)
{
	cond_resched();
}

/* 64-bit division: 32-bit kernels have no native u64 '/'. */
static inline u64 nw_div64(u64 a, u64 b)
{
	return div64_u64(a, b);
}

#else /* userspace */

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
#define GENMASK_ULL(h, l)	((~0ULL << (l)) & (~0ULL >> (63 - (h))))
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define fallthrough		__attribute__((__fallthrough__))
#define noinline		__attribute_noinline__	/* <sys/cdefs.h> */
#define __cold			__attribute__((__cold__))
/* Each argument evaluated once, as the kernel's min_t/max_t do. */
#define min_t(t, a, b)		__nw_cmp_t(t, a, b, <)
#define max_t(t, a, b)		__nw_cmp_t(t, a, b, >)
#define __nw_cmp_t(t, a, b, op)	({ t __a = (a), __b = (b); __a op __b ? __a : __b; })

static inline void *nw_zalloc(size_t size)
{
	return calloc(1, size);
}

static inline void nw_free(void *p)
{
	free(p);
}

static inline u64 nw_div64(u64 a, u64 b)
{
	return a / b;
}

static inline unsigned int nw_ffs32(u32 x)
{
	return __builtin_ctz(x);
}

static inline void nw_cond_resched(void)
{
}

/*
 * Memory another party may write at any moment (guest memory: the caller's
 * own pages): each value is loaded or stored once, as the kernel's macros
 * of the same names do, and bits are set with a compare-and-exchange.
 */
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

/*
 * Tests set it to make that many compare-exchanges fail, as against a
 * writer that stores between their load and their exchange.
 */
__attribute__((weak)) int nw_shim_cas_fail;

static inline bool try_cmpxchg64(u64 *p, u64 *old, u64 new)
{
	if (nw_shim_cas_fail > 0) {
		nw_shim_cas_fail--;
		*old = READ_ONCE(*p);
		return false;
	}
	return __atomic_compare_exchange_n(p, old, new, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

#endif /* __KERNEL__ */

/*
 * 2^64 / phi, odd: multiplying by it spreads any bits of @x into the high
 * ones (Fibonacci hashing, Knuth 6.4); splitmix64's increment too.
 */
#define NW_GOLDEN64		0x9e3779b97f4a7c15ULL

/* The top @bits bits of @x * NW_GOLDEN64 (1 <= @bits <= 63). */
static __always_inline u64 nw_hash64(u64 x, unsigned int bits)
{
	return (x * NW_GOLDEN64) >> (64 - bits);
}

/*
 * The loop that follows runs up to @n times with bounds the compiler may
 * know (a specialised shape): unrolled, each pass's constants stay
 * constants. GCC and clang honour the pragma at -O2.
 */
#define NW_UNROLL(n)		_Pragma(__stringify(GCC unroll n))
#ifndef __stringify
#define __stringify_1(x...)	#x
#define __stringify(x...)	__stringify_1(x)
#endif

/* @p as computed, in a register: the compiler can't re-associate past it. */
static __always_inline const u8 *nw_hide_ptr(const u8 *p)
{
	__asm__ ("" : "+r" (p));
	return p;
}

#endif /* _NESTWALK_CORE_SHIM_H */
