// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/nestwalk/: read-only (0444) files of "name value" lines,
 * so they stay readable under lockdown and work with grep and awk. Return
 * values of debugfs calls are not checked: debugfs is optional by design.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include <linux/nestwalk.h>

#include "nestwalk.h"
#include "version.h"

static struct dentry *nw_debugfs_root;

static int version_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "api_version %d\n", NESTWALK_API_VERSION);
	seq_printf(m, "module_version %s\n", NESTWALK_VERSION);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(version);

void nw_debugfs_init(void)
{
	nw_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("version", 0444, nw_debugfs_root, NULL,
			    &version_fops);
}

void nw_debugfs_exit(void)
{
	debugfs_remove(nw_debugfs_root);
}
