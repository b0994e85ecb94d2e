// SPDX-License-Identifier: GPL-2.0
/*
 * What a session may and may not see or touch: guest page tables crafted
 * to point outside guest memory end in EPT violations, never in reads of
 * other memory; one session's counters are not visible through another's
 * fd; every debugfs file is read-only (0444) and shows no kernel pointer.
 * (Root-only device, non-root open and RLIMIT_MEMLOCK: nestwalk_test and
 * memslot_test.)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/nestwalk.h>

#include "kselftest_harness.h"
#include "nwtest.h"

#define MEM		(8UL << 20)
#define GPT_BASE	(6UL << 20)
#define GVA		0x7f0000000000ULL

/* Counter @i of the session on @fd (index as in NESTWALK_IOC_STATS). */
static __u64 counter(int fd, int i)
{
	__u64 v[128] = { 0 };
	struct nestwalk_stats st = {
		.size = sizeof(st), .values = (unsigned long)v, .count = 128,
	};

	if (ioctl(fd, NESTWALK_IOC_STATS, &st))
		return ~0ULL;
	return v[i];
}

/* Index of counter @name in the session's debugfs stats. */
static int index_of(const char *dir, const char *name)
{
	char path[300];
	int line = -1;

	snprintf(path, sizeof(path), "%s/stats", dir);
	nwt_value(path, name, &line);
	return line;
}

FIXTURE(guest) {
	int fd;
	void *mem;
	char dir[256];
};

FIXTURE_SETUP(guest)
{
	struct nestwalk_vm_create vc = {
		.size = sizeof(vc), .mode = NESTWALK_MODE_EPT, .vpid = 1,
		.guest_levels = 4, .host_levels = 4,
		.gpt_base = GPT_BASE, .gpt_size = MEM - GPT_BASE,
	};
	struct nestwalk_memslot ms = {
		.size = sizeof(ms), .memory_size = MEM,
	};
	struct nestwalk_map map = {
		.size = sizeof(map), .gva = GVA, .gpa = 0, .length = 1UL << 20,
		.leaf = NESTWALK_PAGE_4K, .prot = NESTWALK_PROT_WRITE,
	};

	self->fd = -1;
	self->mem = MAP_FAILED;
	if (geteuid())
		NWT_SETUP_SKIP(return, "must be root");
	if (access(NW_DEV, F_OK))
		NWT_SETUP_SKIP(return, NW_DEV " missing: module not loaded");
	self->mem = mmap(NULL, MEM, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->mem);
	memset(self->mem, 0, MEM);
	self->fd = open(NW_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	nwt_newest_session(self->dir, sizeof(self->dir));
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_VM_CREATE, &vc));
	ms.vm_id = vc.vm_id;
	ms.userspace_addr = (unsigned long)self->mem;
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_MEMSLOT, &ms));
	map.vm_id = vc.vm_id;
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_MAP, &map));
}

FIXTURE_TEARDOWN(guest)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->mem != MAP_FAILED)
		munmap(self->mem, MEM);
}

/* INVEPT global: the model forgets every cached translation. */
static int flush(int fd)
{
	struct nestwalk_invalidate iv = {
		.size = sizeof(iv), .op = NESTWALK_INV_INVEPT, .type = 2,
	};

	return ioctl(fd, NESTWALK_IOC_INVALIDATE, &iv);
}

static int run(int fd, __u64 n)
{
	struct nestwalk_access acc[64];
	struct nestwalk_run r = {
		.size = sizeof(r), .accesses = (unsigned long)acc, .count = n,
	};
	__u64 i;

	for (i = 0; i < n; i++) {
		acc[i].gva = GVA + i * 4096;
		acc[i].attr = NESTWALK_ACCESS(0, NESTWALK_READ);
	}
	return ioctl(fd, NESTWALK_IOC_RUN, &r);
}

/*
 * The guest's page tables live in its memory, which the caller can write:
 * make every entry of the table region point at 1 TiB, far beyond the
 * memslot. Walks must stop at the EPT, as violations of that GPA; nothing
 * gets mapped or pinned.
 */
NWT_TEST_F(guest, crafted_tables_end_in_ept_violations)
{
	int viol = index_of(self->dir, "ept_violation");
	int p4k = index_of(self->dir, "pages_4k");
	int acc = index_of(self->dir, "accesses");
	__u64 *e = (__u64 *)((char *)self->mem + GPT_BASE), pages, pinned;
	unsigned long i;

	ASSERT_LE(0, viol);
	ASSERT_LE(0, p4k);
	ASSERT_EQ(0, run(self->fd, 16));	/* builds the EPT */
	pages = counter(self->fd, p4k);
	pinned = nwt_stat("pinned_pages");
	for (i = 0; i < (MEM - GPT_BASE) / 8; i++)
		e[i] = (1ULL << 40) | 0x7;	/* P, R/W, U/S at 1 TiB */
	ASSERT_EQ(0, flush(self->fd));		/* as a guest would */
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_RESET, 0));
	ASSERT_EQ(0, run(self->fd, 16));
	EXPECT_EQ(16, counter(self->fd, acc));
	EXPECT_LE(16, counter(self->fd, viol));
	EXPECT_EQ(pages, counter(self->fd, p4k));
	EXPECT_EQ(pinned, nwt_stat("pinned_pages"));
	/* Addresses beyond MAXPHYADDR are reserved bits: guest #PF. */
	for (i = 0; i < (MEM - GPT_BASE) / 8; i++)
		e[i] = (1ULL << 51) | 0x7;
	ASSERT_EQ(0, flush(self->fd));
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_RESET, 0));
	ASSERT_EQ(0, run(self->fd, 16));
	EXPECT_LE(16, counter(self->fd, index_of(self->dir, "guest_pf")));
	EXPECT_EQ(0, counter(self->fd, index_of(self->dir, "phys_fault")));
}

/* Another session's fd shows its own counters, not this one's. */
NWT_TEST_F(guest, counters_are_private)
{
	int acc = index_of(self->dir, "accesses");
	int fd2 = open(NW_DEV, O_RDWR | O_CLOEXEC);
	char dir2[256];

	ASSERT_LE(0, fd2);
	nwt_newest_session(dir2, sizeof(dir2));
	ASSERT_EQ(0, run(self->fd, 64));
	EXPECT_EQ(64, counter(self->fd, acc));
	EXPECT_EQ(0, counter(fd2, acc));
	EXPECT_NE(0, strcmp(self->dir, dir2));
	/* Nor can it run this session's VM: VM ids are per session. */
	EXPECT_EQ(-1, run(fd2, 1));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(64, counter(self->fd, acc));
	close(fd2);
}

static int walk(const char *dir, regex_t *ptr, int *files,
		struct __test_metadata *_metadata)
{
	struct dirent *d;
	DIR *dp = opendir(dir);
	char path[512];
	struct stat st;

	if (!dp)
		return -1;
	while ((d = readdir(dp))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (lstat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk(path, ptr, files, _metadata);
			continue;
		}
		(*files)++;
		EXPECT_EQ(0444, st.st_mode & 07777) TH_LOG("%s", path);
		EXPECT_NE(0, regexec(ptr, nwt_file(path), 0, NULL, 0))
			TH_LOG("%s shows what looks like a kernel pointer",
			       path);
	}
	closedir(dp);
	return 0;
}

/* With a session holding a VM, a memslot and TLB entries: every file. */
NWT_TEST_F(guest, debugfs_read_only_without_pointers)
{
	regex_t ptr;
	int files = 0;

	ASSERT_EQ(0, run(self->fd, 64));
	ASSERT_EQ(0, regcomp(&ptr, "(0x)?ffff[0-9a-f]{12}", REG_EXTENDED |
			     REG_ICASE | REG_NOSUB));
	ASSERT_EQ(0, walk(NW_DEBUGFS, &ptr, &files, _metadata));
	EXPECT_LE(9, files);
	regfree(&ptr);
}

NWT_REQUIRE(NWT_ROOT | NWT_MODULE | NWT_DEBUGFS)

TEST_HARNESS_MAIN
