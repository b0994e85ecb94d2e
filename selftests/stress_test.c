// SPDX-License-Identifier: GPL-2.0
/*
 * nestwalk stress: 4 sessions, each driven by two threads at once (its
 * ioctls must serialise), with sessions closed and reopened under the
 * feet of two threads that read every debugfs file in a loop. Runs for
 * NESTWALK_STRESS_SECONDS (default 10); the kernel's own detectors (KASAN,
 * lockdep, kmemleak in the debug VM) judge what this cannot see. At the
 * end every session is closed and the module's gauges must be back to
 * where they started.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/nestwalk.h>

#include "kselftest_harness.h"
#include "nwtest.h"

#define SESSIONS	4
#define MEM		(8UL << 20)
#define GVA		0x40000000UL

struct slot {
	pthread_mutex_t lock;	/* fd changes hands on reopen */
	int fd;
	void *mem;
};

static struct slot slots[SESSIONS];
static atomic_bool stop;
static atomic_ulong ioctls, failures, reopens, reads, accesses, resets;

/* A session with one EPT VM over @mem, guest memory mapped at GVA. */
static int session_open(void *mem)
{
	struct nestwalk_vm_create vc = {
		.size = sizeof(vc), .mode = NESTWALK_MODE_EPT, .vpid = 1,
		.guest_levels = 4, .host_levels = 4, .gpt_size = 1UL << 20,
	};
	struct nestwalk_memslot ms = {
		.size = sizeof(ms), .memory_size = MEM,
		.userspace_addr = (unsigned long)mem,
	};
	struct nestwalk_map map = {
		.size = sizeof(map), .gva = GVA, .gpa = 2UL << 20,
		.length = 4UL << 20, .leaf = NESTWALK_PAGE_4K,
		.prot = NESTWALK_PROT_WRITE,
	};
	int fd = open(NW_DEV, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (ioctl(fd, NESTWALK_IOC_VM_CREATE, &vc) ||
	    ioctl(fd, NESTWALK_IOC_MEMSLOT, &ms) ||
	    ioctl(fd, NESTWALK_IOC_MAP, &map)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void count(int ret)
{
	atomic_fetch_add(&ioctls, 1);
	if (ret)
		atomic_fetch_add(&failures, 1);
}

static void *driver(void *arg)
{
	long id = (long)arg;
	struct slot *sl = &slots[id / 2];
	unsigned int seed = id;
	__u64 values[64];

	while (!atomic_load(&stop)) {
		struct nestwalk_generate g = {
			.size = sizeof(g), .pattern = rand_r(&seed) % 5,
			.base = GVA, .length = 4UL << 20, .stride = 4096,
			.theta_milli = 900, .write_pct = 20,
			.seed = rand_r(&seed), .count = 100000,
		};
		struct nestwalk_invalidate iv = {
			.size = sizeof(iv), .op = NESTWALK_INV_INVVPID,
			.type = 1, .vpid = 1,
		};
		struct nestwalk_stats st = {
			.size = sizeof(st), .values = (unsigned long)values,
			.count = 64,
		};

		pthread_mutex_lock(&sl->lock);
		count(ioctl(sl->fd, NESTWALK_IOC_GENERATE, &g));
		atomic_fetch_add(&accesses, g.done);
		count(ioctl(sl->fd, NESTWALK_IOC_INVALIDATE, &iv));
		count(ioctl(sl->fd, NESTWALK_IOC_STATS, &st));
		if (rand_r(&seed) % 8 == 0) {
			count(ioctl(sl->fd, NESTWALK_IOC_RESET, 0));
			atomic_fetch_add(&resets, 1);
		}
		/* One thread of each pair replaces its session now and then. */
		if (id % 2 == 0 && rand_r(&seed) % 16 == 0) {
			close(sl->fd);
			sl->fd = session_open(sl->mem);
			atomic_fetch_add(&reopens, 1);
			if (sl->fd < 0)
				atomic_fetch_add(&failures, 1);
		}
		pthread_mutex_unlock(&sl->lock);
		if (sl->fd < 0)
			break;
	}
	return NULL;
}

/* Read every file under @dir, recursively. */
static void read_tree(const char *dir)
{
	char path[512], buf[4096];
	struct dirent *e;
	DIR *d = opendir(dir);
	int fd;

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_type == DT_DIR) {
			read_tree(path);
			continue;
		}
		/* Sessions come and go: a vanished file is not an error. */
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		close(fd);
		atomic_fetch_add(&reads, 1);
	}
	closedir(d);
}

static void *reader(void *arg)
{
	while (!atomic_load(&stop))
		read_tree(NW_DEBUGFS);
	return NULL;
}

/* Runs NESTWALK_STRESS_SECONDS: longer than the harness's default 30 s. */
FIXTURE(stress) {
};

FIXTURE_SETUP(stress)
{
}

FIXTURE_TEARDOWN(stress)
{
}

NWT_TEST_F_TIMEOUT(stress, threads_sessions_debugfs_readers, 300)
{
	const char *env = getenv("NESTWALK_STRESS_SECONDS");
	int seconds = env ? atoi(env) : 10;
	pthread_t drivers[2 * SESSIONS], readers[2];
	long long pinned0, open0;
	long i;

	if (geteuid())
		SKIP(return, "must be root");
	if (access(NW_DEV, F_OK) || access(NW_DEBUGFS "/stats", R_OK))
		SKIP(return, "module not loaded or debugfs not mounted");
	pinned0 = nwt_stat("pinned_pages");
	open0 = nwt_stat("sessions_open");

	for (i = 0; i < SESSIONS; i++) {
		slots[i].mem = mmap(NULL, MEM, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, slots[i].mem);
		slots[i].fd = session_open(slots[i].mem);
		ASSERT_LE(0, slots[i].fd);
		pthread_mutex_init(&slots[i].lock, NULL);
	}
	for (i = 0; i < 2 * SESSIONS; i++)
		ASSERT_EQ(0, pthread_create(&drivers[i], NULL, driver,
					    (void *)i));
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&readers[i], NULL, reader, NULL));
	sleep(seconds);
	atomic_store(&stop, true);
	for (i = 0; i < 2 * SESSIONS; i++)
		pthread_join(drivers[i], NULL);
	for (i = 0; i < 2; i++)
		pthread_join(readers[i], NULL);

	EXPECT_EQ(0, atomic_load(&failures));
	EXPECT_LT(0, atomic_load(&reopens));
	EXPECT_LT(0, atomic_load(&reads));
	for (i = 0; i < SESSIONS; i++) {
		if (slots[i].fd >= 0)
			close(slots[i].fd);
		munmap(slots[i].mem, MEM);
	}
	EXPECT_EQ(pinned0, nwt_stat("pinned_pages"));
	EXPECT_EQ(open0, nwt_stat("sessions_open"));
	TH_LOG("%d s: %lu ioctls (%lu accesses), %lu session reopens, %lu debugfs reads, %d threads on %d sessions",
	       seconds, atomic_load(&ioctls), atomic_load(&accesses),
	       atomic_load(&reopens), atomic_load(&reads), 2 * SESSIONS,
	       SESSIONS);
	printf("# figures: load: %lu accesses simulated, %d sessions (%lu reopened), %d threads, %lu stats resets among %lu ioctls, %lu debugfs reads, %d s\n",
	       atomic_load(&accesses), SESSIONS, atomic_load(&reopens),
	       2 * SESSIONS + 2, atomic_load(&resets), atomic_load(&ioctls),
	       atomic_load(&reads), seconds);
}

NWT_REQUIRE(NWT_ROOT | NWT_MODULE | NWT_DEBUGFS)

TEST_HARNESS_MAIN
