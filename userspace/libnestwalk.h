/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libnestwalk: thin wrappers over the /dev/nestwalk uAPI. Functions return
 * 0 or a negative errno; they never print (but nw_hint() and
 * nw_open_or_hint(), which exist to).
 */
#ifndef _LIBNESTWALK_H
#define _LIBNESTWALK_H

#include <linux/nestwalk.h>

#define NW_DEV_PATH		"/dev/nestwalk"
#define NW_DEBUGFS_PATH		"/sys/kernel/debug/nestwalk"

int nw_open(void);
/*
 * The exceptions that print: why command @cmd ("run") cannot use the
 * device, errno @err, in one line on stderr that says what to do (load the
 * module or try it in a VM; run as root).
 */
void nw_hint(const char *cmd, int err);
/* nw_open(), or -1 with nw_hint() said. */
int nw_open_or_hint(const char *cmd);
/* 0 if the device is there for us, else -1 with nw_hint() said: no session. */
int nw_device_or_hint(const char *cmd);
int nw_version(int fd, struct nestwalk_version *v);
/* "0.1.0" from the 0x00MMmmpp code, into @buf of @len bytes. */
void nw_version_string(__u64 code, char *buf, unsigned long len);
/* The value of line "@name value" of debugfs file @file, into @buf. */
int nw_debugfs_field(const char *file, const char *name, char *buf,
		     unsigned long len);

#endif /* _LIBNESTWALK_H */
