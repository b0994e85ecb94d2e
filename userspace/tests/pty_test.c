// SPDX-License-Identifier: GPL-2.0
/*
 * The progress line as a person sees it: the helper (NESTWALK, its path)
 * counts a trace fed slowly through a pipe (run --trace - --count-only,
 * no module needed), its stderr a pseudo-terminal this test opens, then
 * a pipe. On the terminal the line shows and is wiped; with --quiet, or
 * on a pipe, stderr gets not a byte.
 */
#include <errno.h>
#include <pty.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
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

/* stderr on a pseudo-terminal: what it shows, and the exit status. */
static int on_pty(const char *opts, char *buf, size_t len)
{
	int master, status;
	pid_t pid = forkpty(&master, NULL, NULL, NULL);

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

TEST_HARNESS_MAIN
