// SPDX-License-Identifier: GPL-2.0
/*
 * nestwalk host: what this machine offers for virtualized memory - the
 * CPU's EPT/VPID/NPT/1 GiB/LA57 flags, KVM's module parameters when KVM is
 * loaded, page and hugepage sizes, THP policy, and whether nestwalk itself
 * is there.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "libnestwalk.h"

static const char *const cpu_flags[] = { "ept", "vpid", "npt", "pdpe1gb",
					 "la57" };

/* Whether @flag is a word of the "flags" line of /proc/cpuinfo. */
static int has_flag(const char *line, const char *flag)
{
	size_t n = strlen(flag);
	const char *p = line;

	while ((p = strstr(p, flag))) {
		if (p[-1] == ' ' && (p[n] == ' ' || p[n] == '\n' || !p[n]))
			return 1;
		p += n;
	}
	return 0;
}

static void cpu_line(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "re");

	buf[0] = '\0';
	while (f && fgets(buf, len, f))
		if (!strncmp(buf, "flags", 5))
			break;
	if (f)
		fclose(f);
}

/* First line of @path without its newline, or "-". */
static void first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	if (!f || !fgets(buf, len, f))
		snprintf(buf, len, "-");
	else
		buf[strcspn(buf, "\n")] = '\0';
	if (f)
		fclose(f);
}

static void field(const char *name, const char *value, int *first)
{
	if (nw_json)
		printf("%s\"%s\":\"%s\"", *first ? "" : ",", name, value);
	else
		printf("%-22s %s\n", name, value);
	*first = 0;
}

int cmd_host(int argc, char **argv)
{
	static const char *const params[][2] = {
		{ "kvm_intel.ept", "/sys/module/kvm_intel/parameters/ept" },
		{ "kvm_intel.vpid", "/sys/module/kvm_intel/parameters/vpid" },
		{ "kvm_amd.npt", "/sys/module/kvm_amd/parameters/npt" },
		{ "thp.enabled", "/sys/kernel/mm/transparent_hugepage/enabled" },
		{ "thp.defrag", "/sys/kernel/mm/transparent_hugepage/defrag" },
	};
	char line[8192], buf[256];
	unsigned int i;
	int first = 1;

	if (argc == 1 && (!strcmp(argv[0], "--help") ||
			  !strcmp(argv[0], "-h"))) {
		printf("Usage: nestwalk [-j] host\n"
		       "What this machine offers: the CPU's EPT, VPID, NPT, 1 GiB\n"
		       "page and LA57 flags, KVM's parameters, the page size, THP,\n"
		       "the hugepage pool and whether nestwalk is loaded.\n");
		return NW_EXIT_OK;
	}
	if (argc) {
		fprintf(stderr, "nestwalk host: unexpected \"%s\": it takes no arguments (see nestwalk host --help)\n",
			argv[0]);
		return NW_EXIT_USAGE;
	}
	cpu_line(line, sizeof(line));
	if (nw_json)
		printf("{");
	for (i = 0; i < sizeof(cpu_flags) / sizeof(cpu_flags[0]); i++) {
		snprintf(buf, sizeof(buf), "cpu.%s", cpu_flags[i]);
		field(buf, has_flag(line, cpu_flags[i]) ? "yes" : "no",
		      &first);
	}
	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		first_line(params[i][1], line, sizeof(line));
		field(params[i][0], line, &first);
	}
	snprintf(buf, sizeof(buf), "%ld", sysconf(_SC_PAGESIZE));
	field("page_size", buf, &first);
	first_line("/proc/sys/vm/nr_hugepages", buf, sizeof(buf));
	field("nr_hugepages", buf, &first);
	field("dev_nestwalk", access(NW_DEV_PATH, F_OK) ? "absent" : "present",
	      &first);
	field("debugfs_nestwalk",
	      access(NW_DEBUGFS_PATH "/version", R_OK) ? "absent" : "present",
	      &first);
	if (nw_json)
		printf("}\n");
	return NW_EXIT_OK;
}
