/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel glue of nestwalk: the pieces that connect the model core
 * (module/core/) to the device, debugfs and real memory.
 */
#ifndef _NESTWALK_H
#define _NESTWALK_H

#include <linux/mutex.h>
#include <linux/types.h>

/* One open of /dev/nestwalk: one simulated physical CPU. */
struct nw_session {
	struct mutex lock;	/* serialises the session's ioctls */
	u64 id;
};

int nw_dev_init(void);
void nw_dev_exit(void);

void nw_debugfs_init(void);
void nw_debugfs_exit(void);

#ifdef DEBUG
int nw_selftest(void);
#else
static inline int nw_selftest(void)
{
	return 0;
}
#endif

#endif /* _NESTWALK_H */
