// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/nestwalk/: read-only (0444) files of "name value" lines,
 * so they stay readable under lockdown and work with grep and awk. Return
 * values of debugfs calls are not checked: debugfs is optional by design.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>

#include <linux/nestwalk.h>

#include "nestwalk.h"
#include "presets.h"
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
	seq_printf(m, "table_pages %lld\n",
		   (long long)atomic64_read(&nw_table_pages));
	seq_printf(m, "max_table_pages %lu\n", READ_ONCE(nw_max_table_pages));
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
	seq_printf(m, "hpa_next %llu\n", s->hpa_next);
	mutex_unlock(&s->objs_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(session_stats);

static const char *size_name(int level)
{
	return level == NW_PDPTE ? "1g" : level == NW_PDE ? "2m" : "4k";
}

static const char *const repl_names[] = {
	[NW_REPL_LRU] = "lru",
	[NW_REPL_PLRU] = "plru",
	[NW_REPL_RANDOM] = "random",
};

static void show_sizes(struct seq_file *m, u8 sizes)
{
	int l;

	seq_puts(m, " sizes ");
	for (l = NW_PTE; l <= NW_PDPTE; l++)
		if (sizes & BIT(l))
			seq_printf(m, "%s%s", size_name(l),
				   sizes >> (l + 1) ? "," : "");
}

/* Levels of a TLB geometry, one line per array, each opened by @name. */
static void show_levels(struct seq_file *m, const char *name,
			const struct nw_tlb_level_cfg *l, int n)
{
	int lv, a;

	for (lv = 0; lv < n; lv++) {
		if (l[lv].shared)
			seq_printf(m, "%s level %d shared\n", name, lv + 1);
		for (a = 0; a < NW_TLB_ARRAYS && !l[lv].shared; a++) {
			const struct nw_cache_cfg *c = &l[lv].a[a];

			if (!c->entries)
				continue;
			seq_printf(m, "%s level %d array %d entries %u ways %u",
				   name, lv + 1, a, c->entries,
				   c->ways ? c->ways : c->entries);
			show_sizes(m, c->sizes);
			seq_printf(m, " repl %s latency_mcycles %u victim %d\n",
				   repl_names[c->repl], l[lv].lat_m,
				   l[lv].victim);
		}
	}
}

/*
 * A TLB geometry: the data levels under @name, then the instruction
 * levels under "i" @name (none: fetches use the data TLB).
 */
static void show_tlb(struct seq_file *m, const char *name,
		     const struct nw_tlb_cfg *t)
{
	char iname[40];

	show_levels(m, name, t->l, t->nlevels);
	snprintf(iname, sizeof(iname), "%s itlb", name);
	show_levels(m, iname, t->il, t->nilevels);
}

static const char *const dc_mode_names[] = {
	[NW_DC_OFF] = "off",
	[NW_DC_DATA] = "data",
	[NW_DC_WALKS] = "walks",
};

/* Levels of a data-cache hierarchy by index (the counters' l1, l2, l3). */
static const char *const dc_level_names[NW_DC_LEVELS] = {
	"l1d", "l2", "llc",
};

/*
 * A data-cache geometry, each line opened by @prefix: one per level (its
 * size in KiB rounded down; latencies in cycles, three decimals of the
 * milli-cycles the model keeps), then the memory's latency.
 */
static void show_dcache(struct seq_file *m, const char *prefix,
			const struct nw_dcache_cfg *d)
{
	int lv;

	for (lv = 0; lv < d->nlevels; lv++) {
		const struct nw_dc_level_cfg *l = &d->l[lv];

		seq_printf(m, "%s%s sets %u ways %u size_kib %llu latency_cycles %u.%03u\n",
			   prefix, dc_level_names[lv], l->sets, l->ways,
			   (u64)l->sets * l->ways * NESTWALK_DCACHE_LINE / SZ_1K,
			   l->lat_m / 1000, l->lat_m % 1000);
	}
	seq_printf(m, "%smemory latency_cycles %u.%03u\n", prefix,
		   d->mem_lat_m / 1000, d->mem_lat_m % 1000);
}

/* The TLB and data-cache geometries of every preset. */
static int presets_show(struct seq_file *m, void *unused)
{
	struct nw_sim_cfg cfg;
	char name[32];
	int p;

	for (p = 0; p < NW_PRESET_NR; p++) {
		if (nw_preset(p, &cfg))
			continue;
		snprintf(name, sizeof(name), "preset %s", nw_preset_names[p]);
		show_tlb(m, name, &cfg.tlb);
		snprintf(name, sizeof(name), "preset %s dcache ",
			 nw_preset_names[p]);
		show_dcache(m, name, &cfg.dcache);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(presets);

/* NESTWALK_CAP_* bit by bit, as the helper's --cpu-caps names them. */
static const char *const cap_names[] = {
	"pdpe1gb", "la57", "pcid", "invpcid", "ept_2m", "ept_1g", "ept_xo",
	"ept_5l",
};

static_assert(BIT(ARRAY_SIZE(cap_names)) == NW_CAPS + 1,
	      "a name per capability");

static void show_caps(struct seq_file *m, u32 caps)
{
	int i;

	seq_puts(m, "cpu_caps");
	for (i = 0; i < ARRAY_SIZE(cap_names); i++)
		if (caps & BIT(i))
			seq_printf(m, " %s", cap_names[i]);
	seq_putc(m, '\n');
}

static int config_show(struct seq_file *m, void *unused)
{
	struct nw_session *s = m->private;

	mutex_lock(&s->objs_lock);
	seq_printf(m, "preset %s\n", nw_preset_names[s->cfg.preset]);
	seq_printf(m, "tlb %d\n", !(s->cfg.flags & NESTWALK_CFG_NO_TLB));
	seq_printf(m, "pwc %d\n", !(s->cfg.flags & NESTWALK_CFG_NO_PWC));
	seq_printf(m, "host_pwc %d\n",
		   !(s->cfg.flags & NESTWALK_CFG_NO_HPWC));
	seq_printf(m, "nested_tlb %d\n",
		   !(s->cfg.flags & NESTWALK_CFG_NO_NTLB));
	seq_printf(m, "seed %llu\n", s->cfg.seed);
	show_caps(m, s->sim->caps);
	seq_printf(m, "vms %u\n", s->nvms);
	seq_printf(m, "tlb_geometry %s\n",
		   s->cfg.ntlb_levels ? "explicit" : "preset");
	seq_printf(m, "itlb_geometry %s\n",
		   s->tlb_cfg.nilevels ? s->cfg.nitlb_levels ? "explicit" :
					 "preset" : "unified");
	show_tlb(m, "tlb", &s->tlb_cfg);
	seq_printf(m, "dcache_mode %s\n", dc_mode_names[s->dc_cfg.mode]);
	seq_printf(m, "dcache_geometry %s\n",
		   s->cfg.ndcache_levels && s->dc_cfg.mode ? "explicit" :
		   "preset");
	show_dcache(m, "dcache ", &s->dc_cfg);
	mutex_unlock(&s->objs_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(config);

/*
 * The data-cache model: its mode and geometry, then its counters and the
 * walker loads', "name value" as in stats.
 */
static int dcache_show(struct seq_file *m, void *unused)
{
	struct nw_session *s = m->private;
	int i;

	mutex_lock(&s->objs_lock);
	seq_printf(m, "mode %s\n", dc_mode_names[s->dc_cfg.mode]);
	show_dcache(m, "", &s->dc_cfg);
	for (i = NW_C_DCACHE_L1_HIT; i <= NW_C_WL_EPT_ITLB_MEM; i++)
		seq_printf(m, "%s %llu\n", nw_counter_names[i],
			   nw_sim_counter(s->sim, i));
	mutex_unlock(&s->objs_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dcache);

/* "refs N walks M": how many walks read N entries, since the last reset. */
static int walks_show(struct seq_file *m, void *unused)
{
	struct nw_session *s = m->private;
	int i;

	mutex_lock(&s->objs_lock);
	for (i = 0; i <= NW_WALK_REFS_MAX; i++)
		if (s->sim->walk_hist[i])
			seq_printf(m, "refs %d walks %llu\n", i,
				   s->sim->walk_hist[i]);
	mutex_unlock(&s->objs_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(walks);

/* The entries of @t's own arrays (a shared level has none), each line
 * opened by @prefix.
 */
static void show_entries(struct seq_file *m, const char *prefix,
			 const struct nw_tlb *t)
{
	int l, a, level;
	u32 i;

	for (l = 0; l < t->nlevels; l++) {
		for (a = 0; a < NW_TLB_ARRAYS; a++) {
			const struct nw_cache *c = &t->l[l].a[a];

			for (i = 0; i < c->entries; i++) {
				const struct nw_centry e = c->e[i];

				if (!e.key)
					continue;
				level = nw_cache_key_level(e.key);
				/* val: the 4 KiB page that filled it. */
				seq_printf(m, "%slevel %d array %d va 0x%llx size %s vpid %u eptp %u pcid %u global %d pa 0x%llx\n",
					   prefix, l + 1, a,
					   nw_cache_key_addr(e.key),
					   size_name(level),
					   e.tag & NW_TAG_VPID_MASK,
					   e.tag >> NW_TAG_EPTP_SHIFT, e.pcid,
					   !!(e.flags & NW_CE_GLOBAL),
					   e.val & ~(nw_level_size(level) - 1));
			}
		}
	}
}

/*
 * Valid TLB entries, one line each: the data TLB's, then the instruction
 * TLB's ("itlb " first). A run may change them while this is read (the
 * arrays themselves stay): a snapshot, not a consistent one.
 */
static int tlb_show(struct seq_file *m, void *unused)
{
	struct nw_session *s = m->private;

	mutex_lock(&s->objs_lock);
	show_entries(m, "", &s->sim->tlb);
	if (s->sim->tlb.i)
		show_entries(m, "itlb ", s->sim->tlb.i);
	mutex_unlock(&s->objs_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tlb);

void nw_debugfs_session_add(struct nw_session *s)
{
	char name[24];

	snprintf(name, sizeof(name), "%llu", s->id);
	s->debugfs = debugfs_create_dir(name, nw_debugfs_sessions);
	debugfs_create_file("vms", 0444, s->debugfs, s, &vms_fops);
	debugfs_create_file("memslots", 0444, s->debugfs, s, &memslots_fops);
	debugfs_create_file("stats", 0444, s->debugfs, s,
			    &session_stats_fops);
	debugfs_create_file("config", 0444, s->debugfs, s, &config_fops);
	debugfs_create_file("walks", 0444, s->debugfs, s, &walks_fops);
	debugfs_create_file("tlb", 0444, s->debugfs, s, &tlb_fops);
	debugfs_create_file("dcache", 0444, s->debugfs, s, &dcache_fops);
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
	debugfs_create_file("presets", 0444, nw_debugfs_root, NULL,
			    &presets_fops);
	nw_debugfs_sessions = debugfs_create_dir("sessions", nw_debugfs_root);
}

void nw_debugfs_exit(void)
{
	debugfs_remove(nw_debugfs_root);
}
