// SPDX-License-Identifier: GPL-2.0
/*
 * nestwalk: the command-line helper. "nestwalk OBJECT COMMAND [ARGS]".
 * Data goes to stdout, diagnostics to stderr. Exit codes: 0 success,
 * 1 failure, 2 usage error, 3 partial success (the kernel granted less
 * than asked).
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "libnestwalk.h"


#ifndef NESTWALK_HELPER_VERSION
#define NESTWALK_HELPER_VERSION "unknown"
#endif

int nw_json;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: nestwalk [-j|--json] OBJECT COMMAND\n"
		"       nestwalk --version | --help\n"
		"Objects and commands:\n"
		"  module version   API and module version, from %s and %s\n"
		"  hugepages status|set|for-vm|restore   hugetlb pools\n"
		"  host             CPU flags, KVM parameters, THP, hugepages\n"
		"  stats [SESSION] [--watch [SECONDS]]   live sessions' counters\n"
		"  run [OPTIONS]    one experiment: a workload or --trace (see run --help)\n"
		"  trace [OPTIONS] -- COMMAND [ARGS...]   run COMMAND under valgrind's\n"
		"                   lackey and replay its accesses as they come\n"
		"  compare [OPTIONS] [--data F.tsv] [--plot F.svg]   the matrix, ratios to native\n"
		"  plot DATA.tsv OUT.svg   draw compare's data with gnuplot\n"
		"nestwalk OBJECT --help: its usage. -j: one JSON document on stdout.\n"
		"Exit codes: 0 success, 1 failure, 2 usage, 3 partial (fewer pages granted)\n",
		NW_DEV_PATH, NW_DEBUGFS_PATH);
}

/* Both interfaces must be there and agree. */
static int cmd_module_version(void)
{
	char dev[32], dbg[32] = "", dbg_api[32] = "";
	struct nestwalk_version v;
	int fd, ret;

	fd = nw_open_or_hint("module version");
	if (fd < 0)
		return 1;
	ret = nw_version(fd, &v);
	close(fd);
	if (ret) {
		fprintf(stderr, "nestwalk module version: the VERSION ioctl: %s (is %s this module's?)\n",
			strerror(-ret), NW_DEV_PATH);
		return 1;
	}
	nw_version_string(v.module_version, dev, sizeof(dev));

	ret = nw_debugfs_field("version", "module_version", dbg, sizeof(dbg));
	if (!ret)
		ret = nw_debugfs_field("version", "api_version", dbg_api,
				       sizeof(dbg_api));
	if (ret)
		fprintf(stderr, "nestwalk module version: %s/version: %s (mount debugfs: mount -t debugfs none /sys/kernel/debug)\n",
			NW_DEBUGFS_PATH, strerror(-ret));

	if (nw_json) {
		printf("{\"device\":{\"api_version\":%llu,\"module_version\":\"%s\"},",
		       (unsigned long long)v.api_version, dev);
		if (ret)
			printf("\"debugfs\":null}\n");
		else
			printf("\"debugfs\":{\"api_version\":%s,\"module_version\":\"%s\"}}\n",
			       dbg_api, dbg);
	} else {
		printf("%-8s %-34s api %llu  module %s\n", "device",
		       NW_DEV_PATH, (unsigned long long)v.api_version, dev);
		printf("%-8s %-34s api %s  module %s\n", "debugfs",
		       NW_DEBUGFS_PATH "/version", ret ? "-" : dbg_api,
		       ret ? "-" : dbg);
	}
	if (ret)
		return 1;
	if (strcmp(dev, dbg) || strtoull(dbg_api, NULL, 10) != (unsigned long long)v.api_version) {
		fprintf(stderr, "nestwalk module version: device and debugfs disagree: unload and load the module again\n");
		return 1;
	}
	return 0;
}

static int cmd_module(int argc, char **argv)
{
	int help = argc >= 1 && (!strcmp(argv[argc - 1], "--help") ||
				 !strcmp(argv[argc - 1], "-h"));

	if (argc == 1 && !strcmp(argv[0], "version"))
		return cmd_module_version();
	if (help) {
		printf("Usage: nestwalk [-j] module version\n"
		       "The module's API and version, from %s and\n"
		       "%s/version; exits 1 if they disagree.\n",
		       NW_DEV_PATH, NW_DEBUGFS_PATH);
		return NW_EXIT_OK;
	}
	fprintf(stderr, "nestwalk module: %s%s%sthe command is version (see nestwalk module --help)\n",
		argc ? "unknown \"" : "", argc ? argv[0] : "", argc ? "\": " : "");
	return NW_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+jhV", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			nw_json = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf(nw_json ? "{\"helper\":\"%s\",\"uapi\":%d}\n" :
			       "nestwalk %s (uAPI %d)\n", NESTWALK_HELPER_VERSION,
			       NESTWALK_API_VERSION);
			return 0;
		default:
			fprintf(stderr, "nestwalk: unknown option %s: see nestwalk --help\n",
				argv[optind - 1]);
			return NW_EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc >= 1 && !strcmp(argv[0], "stats"))
		return cmd_stats(argc - 1, argv + 1);
	if (argc >= 1 && !strcmp(argv[0], "run"))
		return cmd_run(argc, argv);
	if (argc >= 1 && !strcmp(argv[0], "trace"))
		return cmd_trace(argc, argv);
	if (argc >= 1 && !strcmp(argv[0], "compare"))
		return cmd_compare(argc, argv);
	if (argc >= 1 && !strcmp(argv[0], "plot"))
		return cmd_plot(argc, argv);
	if (argc >= 1 && !strcmp(argv[0], "host"))
		return cmd_host(argc - 1, argv + 1);
	if (argc >= 1 && !strcmp(argv[0], "hugepages"))
		return cmd_hugepages(argc - 1, argv + 1);
	if (argc >= 1 && !strcmp(argv[0], "module"))
		return cmd_module(argc - 1, argv + 1);
	if (argc)
		fprintf(stderr, "nestwalk: unknown command \"%s\": see nestwalk --help\n",
			argv[0]);
	else
		usage(stderr);
	return NW_EXIT_USAGE;
}
