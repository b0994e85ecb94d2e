/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * nestwalk: a software model of the x86-64 MMU (native, nested EPT/NPT and
 * shadow paging, TLBs and walk caches) that counts what translation costs.
 *
 * The control plane is the misc device /dev/nestwalk. Every open is one
 * session. All structures hold only __u64 fields; fields marked (in) are read
 * by the kernel, (out) are written by it. Reserved fields and undefined flag
 * bits must be zero, or the call fails with EINVAL.
 *
 * Size negotiation: each structure begins with @size, set by the caller to
 * sizeof() of the structure it was compiled with. The kernel accepts any size
 * from the first published size of that structure up to its own: fields past
 * the caller's size are treated as zero on input and not written on output,
 * so helpers built against an older header keep working.
 */
#ifndef _UAPI_LINUX_NESTWALK_H
#define _UAPI_LINUX_NESTWALK_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Bumped when an ioctl or structure is added; never for a change in meaning. */
#define NESTWALK_API_VERSION	1

/* 0xB8 is unassigned in Documentation/userspace-api/ioctl/ioctl-number.rst. */
#define NESTWALK_IOC_MAGIC	0xB8

/**
 * struct nestwalk_version - what the loaded module implements
 * @size: (in) sizeof(struct nestwalk_version) as the caller knows it.
 * @flags: (in) must be zero.
 * @api_version: (out) NESTWALK_API_VERSION of the module.
 * @module_version: (out) module release as 0x00MMmmpp (major, minor, patch).
 * @reserved: (in) must be zero.
 */
struct nestwalk_version {
	__u64 size;
	__u64 flags;
	__u64 api_version;
	__u64 module_version;
	__u64 reserved[4];
};

#define NESTWALK_VERSION_SIZE_V1	64

#define NESTWALK_IOC_VERSION	_IOWR(NESTWALK_IOC_MAGIC, 0x00, \
				      struct nestwalk_version)

#endif /* _UAPI_LINUX_NESTWALK_H */
