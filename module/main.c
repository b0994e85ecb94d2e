// SPDX-License-Identifier: GPL-2.0
/*
 * nestwalk: a software x86-64 MMU (nested and shadow paging, TLBs, walk
 * caches) that counts every reference a translation costs.
 */
#include <linux/atomic.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include <linux/nestwalk.h>

#include "nestwalk.h"
#include "version.h"

unsigned int nw_max_sessions = 64;
module_param_named(max_sessions, nw_max_sessions, uint, 0444);
MODULE_PARM_DESC(max_sessions, "Sessions (opens of /dev/nestwalk) at once");

unsigned int nw_max_vms = NW_SESSION_VMS;
module_param_named(max_vms, nw_max_vms, uint, 0444);
MODULE_PARM_DESC(max_vms, "VMs per session (at most 8)");

unsigned int nw_max_memslots = 32;
module_param_named(max_memslots, nw_max_memslots, uint, 0444);
MODULE_PARM_DESC(max_memslots, "Memslots per VM");

/* Default: 16 GiB of 4 KiB pages, over all sessions. */
unsigned long nw_max_pinned_pages = 1UL << 22;
module_param_named(max_pinned_pages, nw_max_pinned_pages, ulong, 0444);
MODULE_PARM_DESC(max_pinned_pages, "Pages all sessions may pin together");

/*
 * Default: 1 GiB of table pages (EPT, NPT, shadow and native tables, in
 * kernel memory), over all sessions. Writable: the bound applies to the
 * next allocation; pages already held stay.
 */
unsigned long nw_max_table_pages = 1UL << 18;
module_param_named(max_table_pages, nw_max_table_pages, ulong, 0644);
MODULE_PARM_DESC(max_table_pages,
		 "Page-table pages all sessions may hold together (ENOSPC past it)");

atomic_t nw_sessions_open = ATOMIC_INIT(0);
atomic64_t nw_pinned_pages = ATOMIC64_INIT(0);
atomic64_t nw_table_pages = ATOMIC64_INIT(0);

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
