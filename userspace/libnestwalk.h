/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libnestwalk: thin wrappers over the /dev/nestwalk uAPI. Functions return
 * 0 or a negative errno; they never print.
 */
#ifndef _LIBNESTWALK_H
#define _LIBNESTWALK_H

#include <linux/nestwalk.h>

#define NW_DEV_PATH		"/dev/nestwalk"
#define NW_DEBUGFS_PATH		"/sys/kernel/debug/nestwalk"

int nw_open(void);
int nw_version(int fd, struct nestwalk_version *v);
/* "0.1.0" from the 0x00MMmmpp code, into @buf of @len bytes. */
void nw_version_string(__u64 code, char *buf, unsigned long len);
/* The value of line "@name value" of debugfs file @file, into @buf. */
int nw_debugfs_field(const char *file, const char *name, char *buf,
		     unsigned long len);

#endif /* _LIBNESTWALK_H */
