// SPDX-License-Identifier: GPL-2.0
/*
 * nestwalk trace [RUN-OPTIONS] -- COMMAND [ARGS...]: COMMAND runs under
 * valgrind --tool=lackey --trace-mem=yes --log-fd=N, N a pipe this helper
 * reads while valgrind runs, feeding the same replay as run --trace (the
 * parse and the ioctls overlap lackey; the trace is never whole in
 * memory). COMMAND keeps its stdout and stderr. --save FILE keeps the
 * trace as well, compressed: gzip if FILE ends in .gz, zstd otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmds.h"
#include "libnestwalk.h"
#include "runopts.h"
#include "tracecmd.h"

int nw_trace_count(struct nw_trace *t, struct nw_progress *p,
		   struct nw_trace_counts *c)
{
	static struct nestwalk_access acc[4096];
	long n, i;

	memset(c, 0, sizeof(*c));
	while ((n = nw_trace_read(t, acc, 4096)) > 0) {
		for (i = 0; i < n; i++) {
			__u64 kind = NESTWALK_ACCESS_KIND(acc[i].attr);

			if (kind & NESTWALK_FETCH)
				c->fetches++;
			else if (kind & NESTWALK_WRITE)
				c->writes++;
			else
				c->reads++;
		}
		c->accesses += n;
		if (p)
			nw_progress_update(p, c->accesses, nw_zin_pos(&t->z),
					   t->z.size);
	}
	if (p)
		nw_progress_end(p);
	c->records = t->records;
	return n < 0 ? -1 : 0;
}

static void json_argv(FILE *f, char *const *argv)
{
	const char *s;
	int i;

	fprintf(f, "[");
	for (i = 0; argv[i]; i++) {
		fprintf(f, "%s\"", i ? "," : "");
		for (s = argv[i]; *s; s++) {
			if (*s == '"' || *s == '\\')
				fputc('\\', f);
			if ((unsigned char)*s < 0x20)
				fprintf(f, "\\u%04x", *s);
			else
				fputc(*s, f);
		}
		fprintf(f, "\"");
	}
	fprintf(f, "]");
}

void nw_command_json(FILE *f, char *const *argv, int status)
{
	fprintf(f, ",\"command\":{\"argv\":");
	json_argv(f, argv);
	if (WIFSIGNALED(status))
		fprintf(f, ",\"signal\":%d}", WTERMSIG(status));
	else
		fprintf(f, ",\"exit_status\":%d}", WEXITSTATUS(status));
}

void nw_command_text(FILE *f, char *const *argv, int status)
{
	int i;

	fprintf(f, "%-14s", "command");
	for (i = 0; argv[i]; i++)
		fprintf(f, " %s", argv[i]);
	if (WIFSIGNALED(status))
		fprintf(f, ": killed by signal %d\n", WTERMSIG(status));
	else
		fprintf(f, ": exit status %d\n", WEXITSTATUS(status));
}

void nw_trace_counts_print(const struct nw_trace_counts *c,
			   char *const *argv, int status)
{
	if (nw_json) {
		printf("{\"label\":\"count-only\",\"trace_records\":%llu,\"accesses\":%llu,\"reads\":%llu,\"writes\":%llu,\"fetches\":%llu",
		       (unsigned long long)c->records,
		       (unsigned long long)c->accesses,
		       (unsigned long long)c->reads,
		       (unsigned long long)c->writes,
		       (unsigned long long)c->fetches);
		if (argv)
			nw_command_json(stdout, argv, status);
		printf("}\n");
		return;
	}
	if (argv)
		nw_command_text(stdout, argv, status);
	printf("%-14s %llu records\n", "trace",
	       (unsigned long long)c->records);
	printf("%-14s %llu (reads %llu, writes %llu, fetches %llu)\n",
	       "accesses", (unsigned long long)c->accesses,
	       (unsigned long long)c->reads, (unsigned long long)c->writes,
	       (unsigned long long)c->fetches);
}

/* Whether @name runs: a path, or found in $PATH. */
static int runnable(const char *name)
{
	char path[4096], *dirs, *dir, *save = NULL;
	int ok = 0;

	if (strchr(name, '/'))
		return !access(name, X_OK);
	dirs = strdup(getenv("PATH") ?: "/usr/local/bin:/usr/bin:/bin");
	if (!dirs)
		return 0;
	for (dir = strtok_r(dirs, ":", &save); dir && !ok;
	     dir = strtok_r(NULL, ":", &save)) {
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", *dir ? dir : ".", name);
		ok = !stat(path, &st) && S_ISREG(st.st_mode) &&
		     !access(path, X_OK);
	}
	free(dirs);
	return ok;
}

/*
 * valgrind --tool=lackey --trace-mem=yes --log-fd=W @cmd..., W the write
 * end of a pipe whose read end is returned in *@rfd. 0 or -1 (said).
 */
static int spawn_lackey(char **cmd, pid_t *pid, int *rfd)
{
	char logfd[32], **argv;
	int fds[2], n;

	for (n = 0; cmd[n]; n++)
		;
	argv = calloc(n + 5, sizeof(*argv));
	if (!argv || pipe2(fds, O_CLOEXEC)) {
		fprintf(stderr, "nestwalk trace: pipe: %s\n", strerror(errno));
		free(argv);
		return -1;
	}
	/* Fewer wake-ups: lackey writes about 14 bytes per access. */
	fcntl(fds[0], F_SETPIPE_SZ, NW_ZIN_PIPE_SIZE);
	snprintf(logfd, sizeof(logfd), "--log-fd=%d", fds[1]);
	argv[0] = "valgrind";
	argv[1] = "--tool=lackey";
	argv[2] = "--trace-mem=yes";
	argv[3] = logfd;
	memcpy(argv + 4, cmd, (n + 1) * sizeof(*argv));
	fflush(NULL);
	*pid = fork();
	if (*pid == 0) {
		fcntl(fds[1], F_SETFD, 0);	/* W survives the exec */
		execvp(argv[0], argv);
		fprintf(stderr, "nestwalk trace: valgrind: %s\n",
			strerror(errno));
		_exit(127);
	}
	free(argv);
	close(fds[1]);
	if (*pid < 0) {
		fprintf(stderr, "nestwalk trace: fork: %s\n", strerror(errno));
		close(fds[0]);
		return -1;
	}
	*rfd = fds[0];
	return 0;
}

struct save {
	const char *path;
	FILE *f;
	struct nw_zout z;
	char err[128];
};

static int save_tee(void *arg, const void *buf, size_t len)
{
	struct save *s = arg;

	return nw_zout_write(&s->z, buf, len, s->err, sizeof(s->err));
}

/* --save: the file, opened before COMMAND runs. */
static int save_open(struct save *s)
{
	if (!s->path)
		return 0;
	s->f = fopen(s->path, "we");
	if (s->f)
		return 0;
	fprintf(stderr, "nestwalk trace: --save %s: %s\n", s->path,
		strerror(errno));
	return -1;
}

/* An encoder, and every byte the trace gives to it. */
static int save_start(struct save *s, struct nw_trace *t)
{
	if (nw_zout_open(&s->z, s->f, nw_zout_kind(s->path), s->err,
			 sizeof(s->err)) ||
	    nw_trace_tee(t, save_tee, s)) {
		fprintf(stderr, "nestwalk trace: --save %s: %s\n", s->path,
			s->err);
		return -1;
	}
	return 0;
}

static int save_end(struct save *s)
{
	int ret = 0;

	if (!s->f)
		return 0;
	if (nw_zout_close(&s->z, s->err, sizeof(s->err)) || fclose(s->f)) {
		fprintf(stderr, "nestwalk trace: --save %s: %s\n", s->path,
			s->err[0] ? s->err : strerror(errno));
		ret = -1;
	}
	s->f = NULL;
	return ret;
}

enum { OPT_SAVE = 0x200 };

static const char trace_usage[] =
	"Usage: nestwalk [-j] trace [OPTIONS] -- COMMAND [ARGS...]\n"
	"COMMAND runs under valgrind --tool=lackey --trace-mem=yes; its accesses\n"
	"are replayed as they come, as run --trace would (see run --help for the\n"
	"options; --trace and --trace-format are not for trace). Also:\n"
	"  -j, --json                       one JSON object\n"
	"  --save FILE                      keep the trace, compressed: gzip if\n"
	"                                   FILE ends in .gz, zstd otherwise\n";

/* The run options, --save and -j: into @opts, room for 64. */
static void trace_options(struct option *opts)
{
	static const struct option more[] = {
		{ "save", required_argument, NULL, OPT_SAVE },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int n;

	for (n = 0; nw_run_longopts[n].name; n++)
		opts[n] = nw_run_longopts[n];
	memcpy(opts + n, more, sizeof(more));
}

/* The options, up to COMMAND: 0, 1 (--help done) or NW_EXIT_USAGE. */
static int trace_parse(int argc, char **argv, struct nw_exp *x,
		       struct nw_run_extra *e, struct save *s)
{
	static struct option opts[64];
	int opt;

	trace_options(opts);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+hj", opts, NULL)) != -1) {
		if (opt == 'h') {
			printf("%s%s", trace_usage, nw_run_options_help);
			return 1;
		} else if (opt == 'j') {
			nw_json = 1;
		} else if (opt == OPT_SAVE) {
			s->path = optarg;
		} else if (opt == 't' || opt == 'f') {
			fprintf(stderr, "nestwalk trace: --%s is for nestwalk run: here the trace comes from COMMAND (see nestwalk trace --help)\n",
				opt == 't' ? "trace" : "trace-format");
			return NW_EXIT_USAGE;
		} else if (opt == '?' ||
			   nw_run_option_said("trace", x, e, opt, optarg)) {
			return NW_EXIT_USAGE;
		}
	}
	if (nw_run_options_done("trace", x))
		return NW_EXIT_USAGE;
	if (optind == argc) {
		fprintf(stderr, "nestwalk trace: no COMMAND: nestwalk trace [OPTIONS] -- COMMAND [ARGS...]\n");
		return NW_EXIT_USAGE;
	}
	return 0;
}

/* What must hold before COMMAND runs: valgrind, COMMAND, the module. */
static int trace_ready(const char *cmd, const struct nw_run_extra *e)
{
	if (!runnable("valgrind")) {
		fprintf(stderr, "nestwalk trace: valgrind not found in PATH: install it (apt-get install valgrind)\n");
		return -1;
	}
	if (!runnable(cmd)) {
		fprintf(stderr, "nestwalk trace: %s: command not found\n", cmd);
		return -1;
	}
	if (e->count_only)
		return 0;
	/* The device without a session; the hint names modprobe and make try. */
	return nw_device_or_hint("trace");
}

/* Read lackey's pipe @rfd into the replay (or the count) as it comes. */
static int trace_replay(int rfd, struct nw_exp *x,
			const struct nw_run_extra *e, struct save *s,
			struct nw_exp_result *r, struct nw_trace_counts *c)
{
	static struct nw_trace trace;
	struct nw_progress progress;
	FILE *f = fdopen(rfd, "r");
	char err[256] = "";
	int ret = -1;

	if (!f) {
		fprintf(stderr, "nestwalk trace: %s\n", strerror(errno));
		close(rfd);
		save_end(s);
		return -1;
	}
	if (nw_trace_open(&trace, f, NW_TRACE_LACKEY)) {
		fprintf(stderr, "nestwalk trace: %s\n", trace.err);
		fclose(f);
		save_end(s);
		return -1;
	}
	x->trace = &trace;
	nw_run_progress(x, e, &progress);
	if (s->path && save_start(s, &trace))
		goto out;
	if (!e->count_only)
		ret = nw_exp_run(x, r, err, sizeof(err));
	else
		ret = nw_trace_count(&trace, x->progress, c);
	if (ret && e->count_only)
		snprintf(err, sizeof(err), "trace: %s", trace.err);
	if (ret)
		fprintf(stderr, "nestwalk trace: %s%s%s\n", err,
			s->err[0] ? ": " : "", s->err);
out:
	if (save_end(s))
		ret = -1;
	nw_trace_close(&trace);
	fclose(f);
	return ret;
}

int cmd_trace(int argc, char **argv)
{
	struct nw_run_extra e = { .trace_format = NW_TRACE_LACKEY };
	struct nw_trace_counts c;
	struct nw_exp_result r;
	struct save s = { 0 };
	struct nw_exp x;
	int ret, rfd, status = 0;
	pid_t pid;

	nw_exp_defaults(&x);
	x.label = "trace";
	ret = trace_parse(argc, argv, &x, &e, &s);
	if (ret)
		return ret == 1 ? NW_EXIT_OK : ret;
	argv += optind;
	if (trace_ready(argv[0], &e) || save_open(&s))
		return NW_EXIT_FAIL;
	if (spawn_lackey(argv, &pid, &rfd)) {
		if (s.f)
			fclose(s.f);
		return NW_EXIT_FAIL;
	}
	ret = trace_replay(rfd, &x, &e, &s, &r, &c);
	/* A replay that failed leaves lackey writing to no one: stop it. */
	if (ret)
		kill(pid, SIGTERM);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (ret) {
		if (WIFEXITED(status) && WEXITSTATUS(status))
			fprintf(stderr, "nestwalk trace: valgrind exited with status %d: valgrind --tool=lackey %s... alone shows why\n",
				WEXITSTATUS(status), argv[0]);
		return NW_EXIT_FAIL;
	}
	if (e.count_only) {
		nw_trace_counts_print(&c, argv, status);
		return NW_EXIT_OK;
	}
	r.command = argv;
	r.command_status = status;
	nw_run_print(&x, &r);
	return NW_EXIT_OK;
}
