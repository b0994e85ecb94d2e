// SPDX-License-Identifier: GPL-2.0
/*
 * The progress line as a person sees it: the helper (NESTWALK, its path)
 * counts a trace fed slowly through a pipe (run --trace - --count-only,
 * no module needed), its stderr a pseudo-terminal this test opens, then
 * a pipe. On the terminal the line shows and is wiped; with --quiet, or
 * on a pipe, stderr gets not a byte. With the module loaded (the VM
 * suite), a generator run - one GENERATE ioctl a pass - shows its line
 * while the ioctl runs, its count rising, and its JSON is whole.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pty.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#include "kselftest_harness.h"

/*
 * 40000 lackey lines, a pause of 1.5 s, 40000 more, into the helper;
 * its stdout to /dev/null: what remains is stderr.
 */
static void child(const char *opts, int stderr_to_stdout)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd),
		 "gen() { i=0; while [ $i -lt 4 ]; do seq 10000 | sed 's/.*/ L &0,8/'; i=$((i + 1)); done; }; "
		 "(gen; sleep 1.5; gen) | %s run --trace - --count-only %s >/dev/null%s",
		 getenv("NESTWALK"), opts, stderr_to_stdout ? " 2>&1" : "");
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

#define GEN_RUN	"run --mode ept --workload uniform --mem 64M"

/* Accesses of a pass of the generator run: about 3 s on this machine. */
static unsigned long long gen_accesses;

static double seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/*
 * Time 200000 accesses, once: the debug kernel runs them some twenty
 * times slower than the packaged one, both slower than a real machine.
 */
static unsigned long long calibrate(void)
{
	char cmd[512];
	double t;

	snprintf(cmd, sizeof(cmd),
		 "%s " GEN_RUN " --accesses 200000 --no-warmup >/dev/null 2>&1",
		 getenv("NESTWALK"));
	t = seconds();
	if (system(cmd))
		return 0;
	t = seconds() - t;
	return ((unsigned long long)(200000 * 3 / (t > 0.01 ? t : 0.01)) /
		100000 + 1) * 100000;
}

/* The generator run, two passes of gen_accesses, its JSON into /tmp. */
static void gen_child(void)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd),
		 "%s -j " GEN_RUN " --accesses %llu >/tmp/pty_gen.json",
		 getenv("NESTWALK"), gen_accesses);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

/* All @fd gives until the end, into @buf; its length. */
static size_t slurp(int fd, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	for (;;) {
		n = read(fd, buf + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)	/* EIO: the pty's other side is gone */
			break;
		got += n;
	}
	buf[got] = '\0';
	return got;
}

/*
 * stderr on a pseudo-terminal: what it shows, and the exit status; @opts
 * NULL: the generator run.
 */
static int on_pty(const char *opts, char *buf, size_t len)
{
	int master, status;
	pid_t pid = forkpty(&master, NULL, NULL, NULL);

	if (pid == 0 && !opts)
		gen_child();
	if (pid == 0)
		child(opts, 0);
	if (pid < 0)
		return -1;
	slurp(master, buf, len);
	close(master);
	waitpid(pid, &status, 0);
	return status;
}

static int on_pipe(char *buf, size_t len)
{
	int fds[2], status;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		child("", 1);
	}
	close(fds[1]);
	slurp(fds[0], buf, len);
	close(fds[0]);
	waitpid(pid, &status, 0);
	return status;
}

TEST(progress_on_a_terminal)
{
	static char out[65536];
	regex_t re;

	if (!getenv("NESTWALK"))
		SKIP(return, "NESTWALK (the helper's path) not set");
	ASSERT_EQ(0, on_pty("", out, sizeof(out)));
	/* One line at least, rewritten in place, then wiped. */
	ASSERT_EQ(0, regcomp(&re, "^(\rnestwalk: [0-9.]+k? accesses, [0-9.]+[kM]?/s\033\\[K)+\r\033\\[K$",
			     REG_EXTENDED));
	EXPECT_EQ(0, regexec(&re, out, 0, NULL, 0)) TH_LOG("got \"%s\"", out);
	regfree(&re);
}

TEST(quiet_on_a_terminal)
{
	static char out[65536];

	if (!getenv("NESTWALK"))
		SKIP(return, "NESTWALK (the helper's path) not set");
	ASSERT_EQ(0, on_pty("--quiet", out, sizeof(out)));
	EXPECT_STREQ("", out);
}

TEST(nothing_on_a_pipe)
{
	static char out[65536];

	if (!getenv("NESTWALK"))
		SKIP(return, "NESTWALK (the helper's path) not set");
	ASSERT_EQ(0, on_pipe(out, sizeof(out)));
	EXPECT_STREQ("", out);
}

/*
 * The module runs a generator pass in one ioctl: the line comes from a
 * thread reading the session's counters meanwhile (NESTWALK_IOC_STATS does
 * not wait for the run). Lines whose count is not the end of a pass
 * (where the main thread updates) show it; the counts rise; the share and
 * time left are there.
 */
TEST(generator_run_on_a_terminal)
{
	static char out[65536], json[65536], want[64];
	unsigned long long prev = 0, v, mid = 0;
	unsigned int lines = 0;
	char *p = out, *q;
	double num;
	char unit;
	int fd, n;

	if (!getenv("NESTWALK"))
		SKIP(return, "NESTWALK (the helper's path) not set");
	if (access("/dev/nestwalk", F_OK) || geteuid())
		SKIP(return, "needs root and the nestwalk module");
	gen_accesses = calibrate();
	ASSERT_NE(0, gen_accesses);
	TH_LOG("%llu accesses a pass", gen_accesses);
	ASSERT_EQ(0, on_pty(NULL, out, sizeof(out)));
	while ((p = strstr(p, "\rnestwalk: "))) {
		p += strlen("\rnestwalk: ");
		unit = ' ';
		if (sscanf(p, "%lf%c", &num, &unit) < 1)
			break;
		v = num * (unit == 'k' ? 1e3 : unit == 'M' ? 1e6 : 1);
		q = strchr(p, '\r') ?: p + strlen(p);
		/* "%, m:ss left" within this line */
		if (!memmem(p, q - p, "%, ", 3) || !memmem(p, q - p, "left", 4))
			continue;
		EXPECT_GE(v, prev) TH_LOG("counts fell: %llu after %llu", v, prev);
		prev = v;
		lines++;
		mid += v % gen_accesses != 0;	/* not at a pass's end */
	}
	EXPECT_GE(lines, 2) TH_LOG("got \"%s\"", out);
	EXPECT_GE(mid, 2) TH_LOG("no line during the run: \"%s\"", out);
	fd = open("/tmp/pty_gen.json", O_RDONLY);
	ASSERT_GE(fd, 0);
	n = read(fd, json, sizeof(json) - 1);
	close(fd);
	ASSERT_GT(n, 0);
	json[n] = '\0';
	EXPECT_EQ('{', json[0]);
	snprintf(want, sizeof(want), "\"accesses\":%llu,", gen_accesses);
	EXPECT_NE(NULL, strstr(json, want)) TH_LOG("%s", json);
	EXPECT_EQ(NULL, strstr(json, "nestwalk: ")) TH_LOG("%s", json);
}

TEST_HARNESS_MAIN
