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
#include "sim.h"
#include "version.h"

static struct dentry *nw_debugfs_root;
static struct dentry *nw_debugfs_sessions;

static const char *const nw_mode_names[] = {
	[NESTWALK_MODE_NATIVE] = "native",
	[NESTWALK_MODE_EPT] = "ept",
	[NESTWALK_MODE_NPT] = "npt",
	[NESTWALK_MODE_SHADOW] = "shadow",
};

static int version_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "api_version %d\n", NESTWALK_API_VERSION);
	seq_printf(m, "module_version %s\n", NESTWALK_VERSION);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(version);

static int stats_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "sessions_open %d\n", atomic_read(&nw_sessions_open));
	seq_printf(m, "pinned_pages %lld\n",
		   (long long)atomic64_read(&nw_pinned_pages));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

/* One line a VM: "vm ID key value ...". */
static int vms_show(struct seq_file *m, void *unused)
{
	struct nw_session *s = m->private;
	u32 i;

	mutex_lock(&s->objs_lock);
	for (i = 0; i < s->nvms; i++) {
		const struct nw_gvm *vm = s->vms[i];

		seq_printf(m, "vm %u mode %s vpid %llu guest_levels %llu host_levels %llu max_leaf %llu ept_ad %d memslots %u\n",
			   vm->id, nw_mode_names[vm->cfg.mode], vm->cfg.vpid,
			   vm->cfg.guest_levels, vm->cfg.host_levels,
			   vm->cfg.max_leaf,
			   !!(vm->cfg.flags & NESTWALK_VM_EPT_AD), vm->nslots);
	}
	mutex_unlock(&s->objs_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vms);

/* One line a memslot: "vm ID slot ID key value ...". */
static int memslots_show(struct seq_file *m, void *unused)
{
	struct nw_session *s = m->private;
	const struct nw_memslot *slot;
	u32 i;

	mutex_lock(&s->objs_lock);
	for (i = 0; i < s->nvms; i++) {
		list_for_each_entry(slot, &s->vms[i]->slots, node)
			seq_printf(m, "vm %u slot %u gpa 0x%llx size %llu pinned_pages %lu host_4k %llu host_2m %llu host_1g %llu\n",
				   i, slot->id, slot->gpa, slot->size,
				   slot->npages, slot->host[0], slot->host[1],
				   slot->host[2]);
	}
	mutex_unlock(&s->objs_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(memslots);

/* The session's counters, "name value", in NESTWALK_IOC_STATS order. */
static int session_stats_show(struct seq_file *m, void *unused)
{
	struct nw_session *s = m->private;
	int i;

	mutex_lock(&s->objs_lock);
	for (i = 0; i < NW_C_NR; i++)
		seq_printf(m, "%s %llu\n", nw_counter_names[i],
			   nw_sim_counter(s->sim, i));
	/* Not model counters: what the module holds for the session. */
	seq_printf(m, "table_pages %llu\n", s->table_pages);
	seq_printf(m, "meta_bytes %llu\n", nw_session_meta_bytes(s));
	mutex_unlock(&s->objs_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(session_stats);

void nw_debugfs_session_add(struct nw_session *s)
{
	char name[24];

	snprintf(name, sizeof(name), "%llu", s->id);
	s->debugfs = debugfs_create_dir(name, nw_debugfs_sessions);
	debugfs_create_file("vms", 0444, s->debugfs, s, &vms_fops);
	debugfs_create_file("memslots", 0444, s->debugfs, s, &memslots_fops);
	debugfs_create_file("stats", 0444, s->debugfs, s,
			    &session_stats_fops);
}

void nw_debugfs_session_remove(struct nw_session *s)
{
	debugfs_remove(s->debugfs);
}

void nw_debugfs_init(void)
{
	nw_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("version", 0444, nw_debugfs_root, NULL,
			    &version_fops);
	debugfs_create_file("stats", 0444, nw_debugfs_root, NULL,
			    &stats_fops);
	nw_debugfs_sessions = debugfs_create_dir("sessions", nw_debugfs_root);
}

void nw_debugfs_exit(void)
{
	debugfs_remove(nw_debugfs_root);
}
