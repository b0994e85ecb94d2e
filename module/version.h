/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NESTWALK_VERSION_H
#define _NESTWALK_VERSION_H

/* Keep in step with PACKAGE_VERSION in dkms.conf ("make style" checks). */
#define NESTWALK_VERSION_MAJOR	0
#define NESTWALK_VERSION_MINOR	1
#define NESTWALK_VERSION_PATCH	0
#define NESTWALK_VERSION	"0.1.0"

/* As reported by NESTWALK_IOC_VERSION: 0x00MMmmpp. */
#define NESTWALK_VERSION_CODE	((NESTWALK_VERSION_MAJOR << 16) | \
				 (NESTWALK_VERSION_MINOR << 8) | \
				 NESTWALK_VERSION_PATCH)

#endif /* _NESTWALK_VERSION_H */
