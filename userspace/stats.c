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

	if (ret) {
		fprintf(stderr, "nestwalk: %s/version: %s (module loaded, debugfs mounted?)\n",
			NW_DEBUGFS_PATH, strerror(-ret));
		return -1;
	}
	if (atoi(api) < 1) {
		fprintf(stderr, "nestwalk: module speaks API \"%s\", this helper 1 to %d\n",
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

static int show(const char *only, struct counters *prev, double secs)
{
	struct dirent *e;
	struct counters c;
	int first = 1, shown = 0;
	DIR *d = opendir(NW_DEBUGFS_PATH "/sessions");

	if (!d) {
		fprintf(stderr, "nestwalk: %s/sessions: %s\n", NW_DEBUGFS_PATH,
			strerror(errno));
		return NW_EXIT_FAIL;
	}
	if (nw_json)
		printf("[");
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || (only && strcmp(only, e->d_name)))
			continue;
		if (read_counters(e->d_name, &c))
			continue;	/* closed meanwhile */
		print(e->d_name, &c, only ? prev : NULL, secs, &first);
		if (only)
			*prev = c;
		shown++;
	}
	closedir(d);
	if (nw_json)
		printf("]\n");
	fflush(stdout);
	if (only && !shown) {
		fprintf(stderr, "nestwalk: no session %s\n", only);
		return NW_EXIT_FAIL;
	}
	return NW_EXIT_OK;
}

int cmd_stats(int argc, char **argv)
{
	const char *session = NULL;
	struct counters prev = { .n = 0 };
	int watch = 0, interval = 1, i, ret;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--watch")) {
			watch = 1;
			if (i + 1 < argc && atoi(argv[i + 1]) > 0)
				interval = atoi(argv[++i]);
		} else if (!session && strspn(argv[i], "0123456789") ==
			   strlen(argv[i])) {
			session = argv[i];
		} else {
			fprintf(stderr, "Usage: nestwalk stats [SESSION] [--watch [SECONDS]]\n");
			return NW_EXIT_USAGE;
		}
	}
	if (watch && !session) {
		fprintf(stderr, "nestwalk: stats --watch needs a SESSION\n");
		return NW_EXIT_USAGE;
	}
	if (check_version())
		return NW_EXIT_FAIL;
	ret = show(session, &prev, interval);
	while (watch && ret == NW_EXIT_OK) {
		sleep(interval);
		ret = show(session, &prev, interval);
	}
	return ret;
}
