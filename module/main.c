// SPDX-License-Identifier: GPL-2.0
/*
 * nestwalk: a software x86-64 MMU (nested and shadow paging, TLBs, walk
 * caches) that counts every reference a translation costs.
 */
#include <linux/init.h>
#include <linux/module.h>

#include <linux/nestwalk.h>

#include "nestwalk.h"
#include "version.h"

static int __init nestwalk_init(void)
{
	int ret;

	ret = nw_selftest();
	if (ret)
		return ret;

	nw_debugfs_init();
	ret = nw_dev_init();
	if (ret)
		goto err_debugfs;

	pr_info("version %s (uAPI %d) loaded\n", NESTWALK_VERSION,
		NESTWALK_API_VERSION);
	return 0;

err_debugfs:
	nw_debugfs_exit();
	return ret;
}

static void __exit nestwalk_exit(void)
{
	nw_dev_exit();
	nw_debugfs_exit();
}

module_init(nestwalk_init);
module_exit(nestwalk_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Software model of x86-64 nested paging, TLBs and walk caches");
MODULE_VERSION(NESTWALK_VERSION);
