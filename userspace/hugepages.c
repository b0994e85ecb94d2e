// SPDX-License-Identifier: GPL-2.0
/*
 * nestwalk hugepages: the kernel's hugetlb pools, read from
 * /sys/kernel/mm/hugepages, resized through /proc/sys/vm/nr_hugepages
 * (default size) or sysfs (other sizes). Every write is read back: the
 * kernel may grant fewer pages than asked, and then the command says how
 * many and exits with NW_EXIT_PARTIAL. The first change saves every pool's
 * size in a state file, which "restore" puts back.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmds.h"
#include "size.h"

#define HP_SYSFS	"/sys/kernel/mm/hugepages"
#define HP_PROC		"/proc/sys/vm/nr_hugepages"
#define HP_MAX		8

struct pool {
	uint64_t size;		/* bytes */
	long long total, free, resv, surplus, overcommit;
	int is_default;
};

static long long read_num(const char *dir, const char *file)
{
	char path[512];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static uint64_t default_size(void)
{
	char line[128];
	uint64_t kb = 0;
	FILE *f = fopen("/proc/meminfo", "re");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Hugepagesize: %llu kB",
			   (unsigned long long *)&kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb << 10;
}

static void pool_dir(uint64_t size, char *buf, size_t len)
{
	snprintf(buf, len, HP_SYSFS "/hugepages-%llukB",
		 (unsigned long long)(size >> 10));
}

static int read_pool(uint64_t size, struct pool *p)
{
	char dir[256];

	pool_dir(size, dir, sizeof(dir));
	p->size = size;
	p->total = read_num(dir, "nr_hugepages");
	p->free = read_num(dir, "free_hugepages");
	p->resv = read_num(dir, "resv_hugepages");
	p->surplus = read_num(dir, "surplus_hugepages");
	p->overcommit = read_num(dir, "nr_overcommit_hugepages");
	p->is_default = size == default_size();
	return p->total < 0 ? -1 : 0;
}

static int read_pools(struct pool *pools)
{
	struct dirent *e;
	unsigned long long kb;
	int n = 0;
	DIR *d = opendir(HP_SYSFS);

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < HP_MAX)
		if (sscanf(e->d_name, "hugepages-%llukB", &kb) == 1 &&
		    !read_pool(kb << 10, &pools[n]))
			n++;
	closedir(d);
	/* Smallest first, as people list them. */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && pools[j].size < pools[j - 1].size;
		     j--) {
			struct pool t = pools[j];

			pools[j] = pools[j - 1];
			pools[j - 1] = t;
		}
	return n;
}

static const char *state_path(void)
{
	static char path[512];
	const char *dir = getenv("NESTWALK_STATE_DIR");

	snprintf(path, sizeof(path), "%s/hugepages.state",
		 dir ? dir : "/run/nestwalk");
	return path;
}

/* mkdir -p @path (a copy is cut at each '/'): 0 or -1 with errno. */
static int mkdir_parents(const char *path)
{
	char dir[512], *p;
	int end;

	snprintf(dir, sizeof(dir), "%s", path);
	for (p = dir + 1; ; p++) {
		if (*p && *p != '/')
			continue;
		end = !*p;
		*p = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST)
			return -1;
		if (end)
			return 0;
		*p = '/';
	}
}

/* Before the first change: every pool's size, for "restore". */
static int save_state(void)
{
	struct pool pools[HP_MAX];
	const char *path = state_path();
	char dir[512], *slash;
	int i, n = read_pools(pools);
	FILE *f;

	if (!access(path, F_OK))
		return 0;
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir_parents(dir)) {
			fprintf(stderr, "nestwalk hugepages: creating %s: %s (set NESTWALK_STATE_DIR to a writable directory)\n",
				dir, strerror(errno));
			return -1;
		}
	}
	f = fopen(path, "we");
	if (!f) {
		fprintf(stderr, "nestwalk hugepages: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++)
		fprintf(f, "%llu %lld\n", (unsigned long long)pools[i].size,
			pools[i].total);
	return fclose(f) ? -1 : 0;
}

static int write_count(uint64_t size, long long count)
{
	char path[256];
	FILE *f;
	int bad;

	if (size == default_size()) {
		snprintf(path, sizeof(path), "%s", HP_PROC);
	} else {
		pool_dir(size, path, sizeof(path));
		strncat(path, "/nr_hugepages", sizeof(path) - strlen(path) - 1);
	}
	f = fopen(path, "we");
	if (!f)
		return -errno;
	bad = fprintf(f, "%lld\n", count) < 0;
	bad |= fclose(f) != 0;
	return bad ? -EIO : 0;
}

/* JSON objects printed since the caller set it to 0: a ',' before the next. */
static int json_items;

static void print_result(uint64_t size, long long asked, long long granted)
{
	char name[16];

	nw_size_name(size, name, sizeof(name));
	if (nw_json)
		printf("%s{\"size\":\"%s\",\"requested\":%lld,\"granted\":%lld,\"shortfall\":%lld}",
		       json_items++ ? "," : "", name, asked, granted,
		       granted < asked ? asked - granted : 0);
	else
		printf("%-5s requested %lld granted %lld shortfall %lld\n",
		       name, asked, granted,
		       granted < asked ? asked - granted : 0);
}

/* Set the @size pool to @count pages; read back what the kernel gave. */
static int set_pool(uint64_t size, long long count, int dry_run)
{
	struct pool p;
	char name[16];
	int ret;

	nw_size_name(size, name, sizeof(name));
	if (dry_run && nw_json) {
		printf("%s{\"size\":\"%s\",\"requested\":%lld,\"dry_run\":true,\"file\":\"%s\"}",
		       json_items++ ? "," : "", name, count,
		       size == default_size() ? HP_PROC : HP_SYSFS);
		return NW_EXIT_OK;
	}
	if (dry_run) {
		printf("would write %lld to the %s pool (%s)\n", count, name,
		       size == default_size() ? HP_PROC : HP_SYSFS);
		return NW_EXIT_OK;
	}
	if (geteuid()) {
		fprintf(stderr, "nestwalk hugepages: resizing a pool needs root: run as root (--dry-run shows what it would write)\n");
		return NW_EXIT_FAIL;
	}
	if (save_state())
		return NW_EXIT_FAIL;
	ret = write_count(size, count);
	/* The kernel may refuse a part, or fail the write: read back. */
	if (read_pool(size, &p)) {
		fprintf(stderr, "nestwalk hugepages: %s pool vanished\n", name);
		return NW_EXIT_FAIL;
	}
	if (ret && p.total != count)
		fprintf(stderr, "nestwalk hugepages: writing the %s pool: %s\n", name,
			strerror(-ret));
	print_result(size, count, p.total);
	if (p.total == count)
		return NW_EXIT_OK;
	if (size >= (1ULL << 30) && p.total < count)
		fprintf(stderr, "nestwalk hugepages: 1 GiB pages rarely come at run time: reserve them at boot (hugepagesz=1G hugepages=N) or through hugetlb_cma=\n");
	return NW_EXIT_PARTIAL;
}

static int find_pool(uint64_t size, struct pool *p)
{
	struct pool pools[HP_MAX];
	char name[16], have[128] = "";
	int i, n = read_pools(pools);

	for (i = 0; i < n; i++) {
		if (pools[i].size == size) {
			*p = pools[i];
			return 0;
		}
		nw_size_name(pools[i].size, name, sizeof(name));
		strncat(have, i ? ", " : "", sizeof(have) - strlen(have) - 1);
		strncat(have, name, sizeof(have) - strlen(have) - 1);
	}
	nw_size_name(size, name, sizeof(name));
	fprintf(stderr, "nestwalk hugepages: this kernel has no %s hugepage pool (it has: %s)\n",
		name, n ? have : "none");
	return -1;
}

#define NODE_SYSFS	"/sys/devices/system/node"

/* NUMA nodes with memory (node0, node1, ...): how many; ids in @ids. */
static int read_nodes(int *ids, int max)
{
	struct dirent *e;
	int n = 0, id;
	DIR *d = opendir(NODE_SYSFS);

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max)
		if (sscanf(e->d_name, "node%d", &id) == 1)
			ids[n++] = id;
	closedir(d);
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && ids[j] < ids[j - 1]; j--) {
			int t = ids[j];

			ids[j] = ids[j - 1];
			ids[j - 1] = t;
		}
	return n;
}

/* Node @node's share of the pool of @size: total, free, surplus. */
static void read_node_pool(int node, uint64_t size, long long *v)
{
	char dir[256];

	snprintf(dir, sizeof(dir), NODE_SYSFS "/node%d/hugepages/hugepages-%llukB",
		 node, (unsigned long long)(size >> 10));
	v[0] = read_num(dir, "nr_hugepages");
	v[1] = read_num(dir, "free_hugepages");
	v[2] = read_num(dir, "surplus_hugepages");
}

static int cmd_status(void)
{
	int nodes[64], nn = read_nodes(nodes, 64), k;
	long long nv[3];

	struct pool pools[HP_MAX];
	char name[16];
	int i, n = read_pools(pools);

	if (!n) {
		fprintf(stderr, "nestwalk hugepages: no hugepage pools (%s missing)\n",
			HP_SYSFS);
		return NW_EXIT_FAIL;
	}
	if (nw_json)
		printf("[");
	else
		printf("%-5s %8s %8s %8s %8s %10s %s\n", "size", "total",
		       "free", "reserved", "surplus", "overcommit", "default");
	for (i = 0; i < n; i++) {
		const struct pool *p = &pools[i];

		nw_size_name(p->size, name, sizeof(name));
		if (nw_json) {
			printf("%s{\"size\":\"%s\",\"bytes\":%llu,\"total\":%lld,\"free\":%lld,\"reserved\":%lld,\"surplus\":%lld,\"overcommit\":%lld,\"default\":%s",
			       i ? "," : "", name,
			       (unsigned long long)p->size, p->total, p->free,
			       p->resv, p->surplus, p->overcommit,
			       p->is_default ? "true" : "false");
			/* Per node, where there is more than one. */
			for (k = 0; nn > 1 && k < nn; k++) {
				read_node_pool(nodes[k], p->size, nv);
				printf("%s{\"node\":%d,\"total\":%lld,\"free\":%lld,\"surplus\":%lld}",
				       k ? "," : ",\"nodes\":[", nodes[k],
				       nv[0], nv[1], nv[2]);
			}
			printf("%s}", nn > 1 ? "]" : "");
		} else
			printf("%-5s %8lld %8lld %8lld %8lld %10lld %s\n",
			       name, p->total, p->free, p->resv, p->surplus,
			       p->overcommit, p->is_default ? "*" : "");
	}
	if (nw_json) {
		printf("]\n");
		return NW_EXIT_OK;
	}
	if (nn < 2)
		return NW_EXIT_OK;
	printf("\n%-5s %-5s %8s %8s %8s\n", "node", "size", "total", "free",
	       "surplus");
	for (k = 0; k < nn; k++) {
		for (i = 0; i < n; i++) {
			nw_size_name(pools[i].size, name, sizeof(name));
			read_node_pool(nodes[k], pools[i].size, nv);
			printf("%-5d %-5s %8lld %8lld %8lld\n", nodes[k], name,
			       nv[0], nv[1], nv[2]);
		}
	}
	return NW_EXIT_OK;
}

/* SIZE:COUNT, SIZE:+N or SIZE:MEM. */
static int cmd_set(const char *spec, int dry_run)
{
	char size_s[32];
	const char *colon = strchr(spec, ':');
	uint64_t size, n, mem;
	struct pool p;
	int rel, ret;

	if (!colon || colon == spec || (size_t)(colon - spec) >= sizeof(size_s)) {
		fprintf(stderr, "nestwalk hugepages: set: expected SIZE:COUNT, SIZE:+N or SIZE:MEM, got '%s'\n",
			spec);
		return NW_EXIT_USAGE;
	}
	memcpy(size_s, spec, colon - spec);
	size_s[colon - spec] = '\0';
	if (nw_parse_size(size_s, &size)) {
		fprintf(stderr, "nestwalk hugepages: set: bad page size '%s': give a size such as 2M or 1G\n",
			size_s);
		return NW_EXIT_USAGE;
	}
	if (!nw_parse_count(colon + 1, &n, &rel)) {
		mem = 0;
	} else if (!nw_parse_size(colon + 1, &mem)) {
		rel = 0;
		n = (mem + size - 1) / size;
	} else {
		fprintf(stderr, "nestwalk hugepages: set: bad count or memory '%s': give COUNT, +N or a size such as 64M\n",
			colon + 1);
		return NW_EXIT_USAGE;
	}
	if (find_pool(size, &p))
		return NW_EXIT_FAIL;
	json_items = 0;
	ret = set_pool(size, rel ? p.total + (long long)n : (long long)n,
		       dry_run);
	if (nw_json && json_items)
		printf("\n");
	return ret;
}

/* Enough free pages of @size for a VM of @mem bytes. */
static int cmd_for_vm(const char *mem_s, const char *size_s, int dry_run)
{
	uint64_t mem, size = default_size(), need;
	int ret = NW_EXIT_OK;
	char name[16];
	struct pool p;

	if (nw_parse_size(mem_s, &mem) ||
	    (size_s && nw_parse_size(size_s, &size))) {
		fprintf(stderr, "nestwalk hugepages: for-vm: bad size '%s': give a size such as 64M or 2M\n",
			nw_parse_size(mem_s, &mem) ? mem_s : size_s);
		return NW_EXIT_USAGE;
	}
	if (find_pool(size, &p))
		return NW_EXIT_FAIL;
	need = (mem + size - 1) / size;
	nw_size_name(size, name, sizeof(name));
	if (nw_json)
		printf("{\"size\":\"%s\",\"mem\":%llu,\"needed\":%llu,\"free\":%lld,\"resized\":",
		       name, (unsigned long long)mem,
		       (unsigned long long)need, p.free);
	else
		printf("a VM of %llu MiB needs %llu pages of %llu KiB; %lld free\n",
		       (unsigned long long)(mem >> 20),
		       (unsigned long long)need,
		       (unsigned long long)(size >> 10), p.free);
	json_items = 0;
	if (p.free < (long long)need)
		ret = set_pool(size, p.total + (long long)need - p.free,
			       dry_run);
	if (nw_json)
		printf("%s}\n", json_items ? "" : "null");
	return ret;
}

static int cmd_restore(int dry_run)
{
	const char *path = state_path();
	unsigned long long size;
	int ret = NW_EXIT_OK, r;
	long long count;
	FILE *f = fopen(path, "re");

	/*
	 * No state: set and for-vm changed no pool since the last restore
	 * (for-vm finds the pool big enough, say). The pools are as they
	 * were: nothing to do, and no failure.
	 */
	if (!f && errno == ENOENT) {
		fprintf(stderr, "nestwalk hugepages: nothing to restore: no pool was changed since the last restore (%s holds the sizes set and for-vm change)\n",
			path);
		if (nw_json)
			printf("[]\n");
		return NW_EXIT_OK;
	}
	if (!f) {
		fprintf(stderr, "nestwalk hugepages: %s: %s: run as root\n",
			path, strerror(errno));
		return NW_EXIT_FAIL;
	}
	json_items = 0;
	if (nw_json)
		printf("[");
	while (fscanf(f, "%llu %lld", &size, &count) == 2) {
		r = set_pool(size, count, dry_run);
		if (r > ret)
			ret = r;
	}
	if (nw_json)
		printf("]\n");
	fclose(f);
	if (ret == NW_EXIT_OK && !dry_run && unlink(path))
		fprintf(stderr, "nestwalk hugepages: %s: %s\n", path, strerror(errno));
	return ret;
}

static void hugepages_usage(FILE *f)
{
	fprintf(f,
		"Usage: nestwalk [-j] hugepages status\n"
		"       nestwalk [-j] hugepages set SIZE:COUNT|SIZE:+N|SIZE:MEM [--dry-run]\n"
		"       nestwalk [-j] hugepages for-vm MEM [--size SIZE] [--dry-run]\n"
		"       nestwalk [-j] hugepages restore [--dry-run]\n"
		"The hugetlb pools: their sizes; resize one (root), read back\n"
		"what the kernel granted; enough free pages for a VM of MEM;\n"
		"put back the sizes saved before the first change, in\n"
		"$NESTWALK_STATE_DIR/hugepages.state (default /run/nestwalk).\n");
}

int cmd_hugepages(int argc, char **argv)
{
	int dry_run = 0, help = 0, i, j;
	const char *size_s = NULL;

	/* Options anywhere after the command: --dry-run, --size S. */
	for (i = j = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--dry-run"))
			dry_run = 1;
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			help = 1;
		else if (!strcmp(argv[i], "--size") && i + 1 < argc)
			size_s = argv[++i];
		else
			argv[j++] = argv[i];
	}
	argc = j;
	if (help) {
		hugepages_usage(stdout);
		return NW_EXIT_OK;
	}
	if (argc == 1 && !strcmp(argv[0], "status"))
		return cmd_status();
	if (argc == 2 && !strcmp(argv[0], "set"))
		return cmd_set(argv[1], dry_run);
	if (argc == 2 && !strcmp(argv[0], "for-vm"))
		return cmd_for_vm(argv[1], size_s, dry_run);
	if (argc == 1 && !strcmp(argv[0], "restore"))
		return cmd_restore(dry_run);
	if (!argc || (strcmp(argv[0], "status") && strcmp(argv[0], "set") &&
		      strcmp(argv[0], "for-vm") && strcmp(argv[0], "restore")))
		fprintf(stderr, "nestwalk hugepages: %s%s%sgive status, set, for-vm or restore (see nestwalk hugepages --help)\n",
			argc ? "unknown \"" : "", argc ? argv[0] : "",
			argc ? "\": " : "");
	else
		fprintf(stderr, "nestwalk hugepages: %s: wrong arguments (see nestwalk hugepages --help)\n",
			argv[0]);
	return NW_EXIT_USAGE;
}
