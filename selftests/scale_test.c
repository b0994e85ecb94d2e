// SPDX-License-Identifier: GPL-2.0
/*
 * nestwalk scale: memslots of 256 MiB, 1 GiB and 4 GiB are created (their
 * creation time must grow linearly), and a VM with 4 GiB of guest memory
 * is touched page by page by a strided workload, so that its EPT maps all
 * of it with 4 KiB leaves. What the module holds for it - EPT pages, pin
 * arrays, per-page metadata, as debugfs reports them - must stay within
 * 0.5% of guest memory.
 */
#include <errno.h>
#include <fcntl.h>
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

#define GIB		(1ULL << 30)
#define GPT_SIZE	(16ULL << 20)
#define GVA		(1ULL << 40)

static long long meminfo_kb(const char *key)
{
	char line[128];
	long long v = -1;
	size_t n = strlen(key);
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n))
			v = atoll(line + n);
	fclose(f);
	return v;
}

static long long session_stat(const char *name)
{
	char path[160];

	nwt_newest_session(path, sizeof(path) - 8);
	strcat(path, "/stats");
	return nwt_value(path, name, NULL);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A session with one EPT VM; returns the fd, the memslot's creation time. */
static int vm_with_memory(struct __test_metadata *_metadata, void *mem,
			  unsigned long long len, double *secs)
{
	struct nestwalk_config cfg = {
		.size = sizeof(cfg), .preset = NESTWALK_PRESET_SKYLAKE,
	};
	struct nestwalk_vm_create vc = {
		.size = sizeof(vc), .mode = NESTWALK_MODE_EPT, .vpid = 1,
		.guest_levels = 4, .host_levels = 4,
		.gpt_base = len - GPT_SIZE, .gpt_size = GPT_SIZE,
	};
	struct nestwalk_memslot ms = {
		.size = sizeof(ms), .memory_size = len,
		.userspace_addr = (unsigned long)mem,
	};
	double t;
	int fd, ret;

	fd = open(NW_DEV, O_RDWR | O_CLOEXEC);
	EXPECT_LE(0, fd);
	if (fd < 0)
		return -1;
	EXPECT_EQ(0, ioctl(fd, NESTWALK_IOC_CONFIG, &cfg));
	EXPECT_EQ(0, ioctl(fd, NESTWALK_IOC_VM_CREATE, &vc));
	t = now();
	ret = ioctl(fd, NESTWALK_IOC_MEMSLOT, &ms);
	*secs = now() - t;
	EXPECT_EQ(0, ret) {
		TH_LOG("memslot of %llu MiB: %s", len >> 20, strerror(errno));
	}
	EXPECT_EQ(len >> 12, ms.host_4k);
	return fd;
}

/* Longer than the harness's default 30 s. */
FIXTURE(scale) {
};

FIXTURE_SETUP(scale)
{
}

FIXTURE_TEARDOWN(scale)
{
}

NWT_TEST_F_TIMEOUT(scale, four_gib_guest, 600)
{
	const unsigned long long sizes[] = { GIB / 4, GIB, 4 * GIB };
	unsigned long long len = 4 * GIB, data = len - GPT_SIZE, held;
	struct nestwalk_map map = {
		.size = sizeof(map), .gva = GVA, .gpa = 0,
		.leaf = NESTWALK_PAGE_4K, .prot = NESTWALK_PROT_WRITE,
	};
	struct nestwalk_generate g = {
		.size = sizeof(g), .pattern = NESTWALK_GEN_STRIDED,
		.base = GVA, .stride = 4096,
	};
	double secs[3];
	long long tables, meta;
	void *mem;
	int i, fd;

	if (geteuid())
		SKIP(return, "must be root");
	if (access(NW_DEV, F_OK))
		SKIP(return, NW_DEV " missing: module not loaded");
	if (meminfo_kb("MemTotal:") < 5500LL << 10)
		SKIP(return, "needs at least 6 GiB of RAM (MemTotal %lld kB)",
		     meminfo_kb("MemTotal:"));

	mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	ASSERT_EQ(0, madvise(mem, len, MADV_NOHUGEPAGE));
	memset(mem, 0, len);

	for (i = 0; i < 3; i++) {
		fd = vm_with_memory(_metadata, mem, sizes[i], &secs[i]);
		ASSERT_LE(0, fd);
		TH_LOG("memslot of %4llu MiB created in %.3f s (%.3f s/GiB)",
		       sizes[i] >> 20, secs[i], secs[i] * GIB / sizes[i]);
		if (i < 2)
			close(fd);
	}
	/* Linear: 4x the memory may not cost more than 8x the time. */
	EXPECT_GT(secs[0] * 8, secs[1]);
	EXPECT_GT(secs[1] * 8, secs[2]);

	map.length = data;
	g.length = data;
	g.count = data >> 12;
	ASSERT_EQ(0, ioctl(fd, NESTWALK_IOC_MAP, &map));
	ASSERT_EQ(0, ioctl(fd, NESTWALK_IOC_GENERATE, &g));
	EXPECT_EQ(g.count, g.done);
	/* Every guest page, data and tables, is mapped by a 4 KiB leaf. */
	EXPECT_LE((long long)(data >> 12), session_stat("pages_4k"));
	EXPECT_EQ(0, session_stat("pages_2m"));
	tables = session_stat("table_pages");
	meta = session_stat("meta_bytes");
	ASSERT_LT(0, tables);
	ASSERT_LT(0, meta);
	held = tables * 4096ULL + meta;
	TH_LOG("4 GiB guest: %lld EPT table pages + %lld bytes of memslot metadata = %.3f%% of guest memory",
	       tables, meta, 100.0 * held / len);
	EXPECT_GE(len / 200, held);
	close(fd);
	munmap(mem, len);
}

NWT_REQUIRE(NWT_ROOT | NWT_MODULE | NWT_DEBUGFS)

TEST_HARNESS_MAIN
