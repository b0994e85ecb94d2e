// SPDX-License-Identifier: GPL-2.0
/*
 * nestwalk selftests: the device, its version ioctl and its validation,
 * debugfs, privilege, module lifetime.
 *
 * Run by nestwalk.sh with the module loaded. The load/unload test needs
 * NESTWALK_KO, the path of the module file.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <linux/nestwalk.h>

#include "kselftest_harness.h"
#include "nwtest.h"

#define NW_SYSMOD	"/sys/module/nestwalk"

static int nw_version(int fd, struct nestwalk_version *v)
{
	memset(v, 0, sizeof(*v));
	v->size = sizeof(*v);
	return ioctl(fd, NESTWALK_IOC_VERSION, v);
}

/* "0.1.0" as the ioctl encodes it, 0x00MMmmpp; -1 if malformed. */
static long long parse_version(const char *s)
{
	unsigned int a, b, c;

	if (sscanf(s, "%u.%u.%u", &a, &b, &c) != 3 || a > 255 || b > 255 ||
	    c > 255)
		return -1;
	return (a << 16) | (b << 8) | c;
}

/* Value of the "name value" line @name in @path, as a string. */
static int read_field(const char *path, const char *name, char *val,
		      size_t len)
{
	char line[256], fmt[32];
	int found = -1;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		return -1;
	snprintf(fmt, sizeof(fmt), "%%%zus", len - 1);
	while (fgets(line, sizeof(line), f)) {
		size_t n = strlen(name);

		if (!strncmp(line, name, n) && line[n] == ' ' &&
		    sscanf(line + n + 1, fmt, val) == 1) {
			found = 0;
			break;
		}
	}
	fclose(f);
	return found;
}

static int delete_module(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK);
}

static int load_module(const char *path)
{
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	return ret;
}

FIXTURE(session) {
	int fd;
};

FIXTURE_SETUP(session)
{
	self->fd = -1;
	if (geteuid())
		NWT_SETUP_SKIP(return, "must be root to open " NW_DEV);
	if (access(NW_DEV, F_OK))
		NWT_SETUP_SKIP(return, NW_DEV " is missing: module not loaded");
	self->fd = open(NW_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_GE(self->fd, 0) TH_LOG("open: %s", strerror(errno));
}

FIXTURE_TEARDOWN(session)
{
	if (self->fd >= 0)
		close(self->fd);
}

NWT_TEST_F(session, version_matches_module)
{
	struct nestwalk_version v;
	char modver[32];

	ASSERT_EQ(0, nw_version(self->fd, &v));
	EXPECT_EQ(NESTWALK_API_VERSION, v.api_version);
	EXPECT_EQ(sizeof(v), v.size);
	ASSERT_EQ(0, read_field(NW_DEBUGFS "/version", "module_version",
				modver, sizeof(modver)));
	EXPECT_EQ(parse_version(modver), (long long)v.module_version);
}

NWT_TEST_F(session, version_size_negotiation)
{
	struct {
		struct nestwalk_version v;
		__u64 newer[8];
	} big;
	struct nestwalk_version v;

	/* A newer caller's larger struct works while its tail is zero. */
	memset(&big, 0, sizeof(big));
	big.v.size = sizeof(big);
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_VERSION, &big));
	EXPECT_EQ(NESTWALK_API_VERSION, big.v.api_version);
	EXPECT_EQ(0, big.newer[0]);

	big.newer[7] = 1;
	EXPECT_EQ(-1, ioctl(self->fd, NESTWALK_IOC_VERSION, &big));
	EXPECT_EQ(E2BIG, errno);

	memset(&v, 0, sizeof(v));
	v.size = NESTWALK_VERSION_SIZE_V1 - 8;
	EXPECT_EQ(-1, ioctl(self->fd, NESTWALK_IOC_VERSION, &v));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, v.api_version);

	v.size = 1 << 20;
	EXPECT_EQ(-1, ioctl(self->fd, NESTWALK_IOC_VERSION, &v));
	EXPECT_EQ(EINVAL, errno);
}

NWT_TEST_F(session, version_rejects_flags_and_reserved)
{
	struct nestwalk_version v;

	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	v.flags = 1;
	EXPECT_EQ(-1, ioctl(self->fd, NESTWALK_IOC_VERSION, &v));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, v.api_version);

	v.flags = 0;
	v.reserved[3] = 1ULL << 63;
	EXPECT_EQ(-1, ioctl(self->fd, NESTWALK_IOC_VERSION, &v));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, v.api_version);
}

NWT_TEST_F(session, version_bad_pointer)
{
	EXPECT_EQ(-1, ioctl(self->fd, NESTWALK_IOC_VERSION, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, NESTWALK_IOC_VERSION, NULL));
	EXPECT_EQ(EFAULT, errno);
}

NWT_TEST_F(session, unknown_ioctl_is_enotty)
{
	struct nestwalk_version v;
	struct termios t;

	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	EXPECT_EQ(-1, ioctl(self->fd, _IOWR(NESTWALK_IOC_MAGIC, 0x7f,
					    struct nestwalk_version), &v));
	EXPECT_EQ(ENOTTY, errno);
	/* Same number, other direction: a different command. */
	EXPECT_EQ(-1, ioctl(self->fd, _IOR(NESTWALK_IOC_MAGIC, 0x00,
					   struct nestwalk_version), &v));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, TCGETS, &t));
	EXPECT_EQ(ENOTTY, errno);
}

NWT_TEST_F(session, sessions_are_independent)
{
	struct nestwalk_version v;
	int fd2;

	fd2 = open(NW_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_GE(fd2, 0);
	EXPECT_EQ(0, nw_version(fd2, &v));
	close(fd2);
	/* Closing one session leaves the other working. */
	EXPECT_EQ(0, nw_version(self->fd, &v));
}

NWT_TEST_F(session, rmmod_refused_while_open)
{
	struct nestwalk_version v;

	EXPECT_EQ(-1, delete_module("nestwalk"));
	EXPECT_EQ(EWOULDBLOCK, errno);
	EXPECT_EQ(0, access(NW_SYSMOD, F_OK));
	/* The module is still fully usable afterwards. */
	EXPECT_EQ(0, nw_version(self->fd, &v));
	EXPECT_EQ(NESTWALK_API_VERSION, v.api_version);
}

TEST(device_node_is_root_only)
{
	struct stat st;

	ASSERT_EQ(0, stat(NW_DEV, &st)) TH_LOG("module not loaded?");
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
}

TEST(non_root_open_refused)
{
	int status;
	pid_t pid;

	if (geteuid())
		SKIP(return, "must be root to drop privileges");
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		int fd;

		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(10);
		fd = open(NW_DEV, O_RDWR);
		if (fd >= 0)
			_exit(11);
		_exit(errno == EACCES ? 0 : 12);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("10: could not drop privileges, 11: open succeeded, 12: wrong errno");
}

TEST(debugfs_version_readable)
{
	char api[32], modver[32];
	struct stat st;

	ASSERT_EQ(0, stat(NW_DEBUGFS "/version", &st))
		TH_LOG("debugfs not mounted or module not loaded");
	EXPECT_EQ(0444, st.st_mode & 07777);
	ASSERT_EQ(0, read_field(NW_DEBUGFS "/version", "api_version", api,
				sizeof(api)));
	EXPECT_EQ(NESTWALK_API_VERSION, atoi(api));
	ASSERT_EQ(0, read_field(NW_DEBUGFS "/version", "module_version",
				modver, sizeof(modver)));
	EXPECT_LT(0, parse_version(modver));
}

/* Nothing of the module may remain once it is unloaded. */
static void expect_gone(struct __test_metadata *_metadata)
{
	EXPECT_NE(0, access(NW_DEV, F_OK));
	EXPECT_NE(0, access(NW_DEBUGFS, F_OK));
	EXPECT_NE(0, access(NW_SYSMOD, F_OK));
}

TEST(session_limit)
{
	long long max = -1, open0 = -1;
	char val[32];
	int fds[256], n = 0, i, fd;
	FILE *f;

	if (geteuid() || access(NW_DEV, F_OK))
		SKIP(return, "must be root with the module loaded");
	f = fopen(NW_SYSMOD "/parameters/max_sessions", "r");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(1, fscanf(f, "%lld", &max));
	fclose(f);
	ASSERT_EQ(0, read_field(NW_DEBUGFS "/stats", "sessions_open", val,
				sizeof(val)));
	open0 = atoll(val);
	ASSERT_GE(256, max);
	for (i = open0; i < max; i++) {
		fds[n] = open(NW_DEV, O_RDWR | O_CLOEXEC);
		ASSERT_LE(0, fds[n]);
		n++;
	}
	fd = open(NW_DEV, O_RDWR | O_CLOEXEC);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EMFILE, errno);
	while (n)
		close(fds[--n]);
	/* Room again once sessions close. */
	fd = open(NW_DEV, O_RDWR | O_CLOEXEC);
	EXPECT_LE(0, fd);
	close(fd);
}

TEST(load_unload_cycles)
{
	const char *ko = getenv("NESTWALK_KO");
	struct nestwalk_version v;
	int i, fd;

	if (geteuid())
		SKIP(return, "must be root to load modules");
	if (!ko)
		SKIP(return, "NESTWALK_KO (path of nestwalk.ko) not set");

	ASSERT_EQ(0, delete_module("nestwalk"))
		TH_LOG("unload: %s", strerror(errno));
	expect_gone(_metadata);
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, load_module(ko))
			TH_LOG("load %d: %s", i, strerror(errno));
		fd = open(NW_DEV, O_RDWR | O_CLOEXEC);
		ASSERT_GE(fd, 0);
		EXPECT_EQ(0, nw_version(fd, &v));
		close(fd);
		EXPECT_EQ(0, access(NW_DEBUGFS "/version", R_OK));
		ASSERT_EQ(0, delete_module("nestwalk"))
			TH_LOG("unload %d: %s", i, strerror(errno));
		expect_gone(_metadata);
	}
	/* Leave it loaded, as the runner expects. */
	ASSERT_EQ(0, load_module(ko));
}

NWT_REQUIRE(NWT_ROOT | NWT_MODULE | NWT_DEBUGFS)

TEST_HARNESS_MAIN
