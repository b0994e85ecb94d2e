// SPDX-License-Identifier: GPL-2.0
/*
 * nestwalk stats [SESSION] [--watch [SECONDS]]: the counters of live
 * sessions, read from debugfs like kvm_stat reads KVM's. Once, or every
 * interval with the rate of change of each counter.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "libnestwalk.h"

#define MAX_COUNTERS	128

struct counters {
	int n;
	char name[MAX_COUNTERS][32];
	unsigned long long v[MAX_COUNTERS];
};

static int read_counters(const char *session, struct counters *c)
{
	char path[320], line[128];
	FILE *f;

	snprintf(path, sizeof(path), NW_DEBUGFS_PATH "/sessions/%s/stats",
		 session);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	c->n = 0;
	while (c->n < MAX_COUNTERS && fgets(line, sizeof(line), f))
		if (sscanf(line, "%31s %llu", c->name[c->n], &c->v[c->n]) == 2)
			c->n++;
	fclose(f);
	return 0;
}

/*
 * The stats files are append-only since API 1: any module from then on
 * serves this helper, newer ones with counters it shows by their names.
 */
static int check_version(void)
{
	char api[32];
	int ret = nw_debugfs_field("version", "api_version", api, sizeof(api));

	if (ret && nw_device_or_hint("stats"))
		return -1;
	if (ret) {
		fprintf(stderr, "nestwalk stats: %s/version: %s (mount debugfs: mount -t debugfs none /sys/kernel/debug)\n",
			NW_DEBUGFS_PATH, strerror(-ret));
		return -1;
	}
	if (atoi(api) < 1) {
		fprintf(stderr, "nestwalk stats: the module speaks API \"%s\", this helper 1 to %d: load this release's module\n",
			api, NESTWALK_API_VERSION);
		return -1;
	}
	return 0;
}

static void print(const char *session, const struct counters *c,
		  const struct counters *prev, double secs, int *first)
{
	int i;

	if (nw_json) {
		printf("%s{\"session\":%s", *first ? "" : ",", session);
		for (i = 0; i < c->n; i++)
			printf(",\"%s\":%llu", c->name[i], c->v[i]);
		printf("}");
	} else {
		printf("session %s\n", session);
		for (i = 0; i < c->n; i++) {
			printf("  %-20s %20llu", c->name[i], c->v[i]);
			if (prev && i < prev->n)
				printf(" %14.0f/s", (double)(c->v[i] - prev->v[i]) / secs);
			printf("\n");
		}
	}
	*first = 0;
}

/* The last reading of each session watched, for the rates. */
#define MAX_WATCHED	64

static struct watched {
	char id[256];
	struct counters c;
} watched[MAX_WATCHED];
static int nwatched;

/* The previous reading of session @id, or NULL; remember @c as the next. */
static const struct counters *swap_prev(const char *id,
					 const struct counters *c,
					 struct counters *prev)
{
	int i;

	for (i = 0; i < nwatched; i++)
		if (!strcmp(watched[i].id, id))
			break;
	if (i == nwatched) {
		if (nwatched == MAX_WATCHED)
			return NULL;
		snprintf(watched[nwatched++].id, sizeof(watched[0].id), "%s",
			 id);
		watched[i].c = *c;
		return NULL;
	}
	*prev = watched[i].c;
	watched[i].c = *c;
	return prev;
}

/*
 * Every live session, or only session @only; with @watch, each counter's
 * rate since the last call over @secs seconds.
 */
static int show(const char *only, int watch, double secs)
{
	static struct counters c, prev;
	const struct counters *p;
	struct dirent *e;
	int first = 1, shown = 0;
	DIR *d = opendir(NW_DEBUGFS_PATH "/sessions");

	if (!d) {
		fprintf(stderr, "nestwalk stats: %s/sessions: %s\n",
			NW_DEBUGFS_PATH, strerror(errno));
		return NW_EXIT_FAIL;
	}
	if (nw_json)
		printf("[");
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || (only && strcmp(only, e->d_name)))
			continue;
		if (read_counters(e->d_name, &c))
			continue;	/* closed meanwhile */
		p = watch ? swap_prev(e->d_name, &c, &prev) : NULL;
		print(e->d_name, &c, p, secs, &first);
		shown++;
	}
	closedir(d);
	if (nw_json)
		printf("]\n");
	else if (watch && !shown)
		printf("no live session (waiting; Ctrl-C stops)\n");
	if (watch && !nw_json)
		printf("\n");
	fflush(stdout);
	if (only && !shown) {
		fprintf(stderr, "nestwalk stats: no session %s (nestwalk stats lists the live ones)\n",
			only);
		return NW_EXIT_FAIL;
	}
	return NW_EXIT_OK;
}

static void stats_usage(FILE *f)
{
	fprintf(f,
		"Usage: nestwalk [-j] stats [SESSION] [--watch [SECONDS]]\n"
		"The counters of the live sessions (of SESSION only), from\n"
		"%s/sessions. --watch: again every SECONDS\n"
		"(default 1) with each counter's rate, every live session\n"
		"unless SESSION is given, until Ctrl-C; with -j, one JSON\n"
		"array per line each time.\n", NW_DEBUGFS_PATH);
}

int cmd_stats(int argc, char **argv)
{
	const char *session = NULL;
	int watch = 0, interval = 1, i, ret;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			stats_usage(stdout);
			return NW_EXIT_OK;
		}
		if (!strcmp(argv[i], "--watch")) {
			watch = 1;
			if (i + 1 < argc && atoi(argv[i + 1]) > 0)
				interval = atoi(argv[++i]);
		} else if (!session && argv[i][0] && strspn(argv[i],
			   "0123456789") == strlen(argv[i])) {
			session = argv[i];
		} else {
			fprintf(stderr, "nestwalk stats: unexpected \"%s\" (SESSION is a number; see nestwalk stats --help)\n",
				argv[i]);
			return NW_EXIT_USAGE;
		}
	}
	if (check_version())
		return NW_EXIT_FAIL;
	ret = show(session, watch, interval);
	while (watch && ret == NW_EXIT_OK) {
		sleep(interval);
		ret = show(session, watch, interval);
	}
	return ret;
}
