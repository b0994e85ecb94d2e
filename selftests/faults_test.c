// SPDX-License-Identifier: GPL-2.0
/*
 * Injected allocation failures: failslab and fail_page_alloc, armed for
 * this thread only through /proc/thread-self/fail-nth, make the N-th
 * allocation of a call fail, for N = 1, 2, ... until the call needs fewer
 * than N and succeeds. Every call that saw a failure must fail cleanly
 * (an errno, no partial state: the session's objects, the pinned pages,
 * the process's locked memory and the open sessions as before) and the
 * same call must then work. Module init is driven the same way through
 * finit_module(). The debug kernel's kmemleak scan after the suite and
 * the console scan cover leaks and splats.
 *
 * Needs CONFIG_FAULT_INJECTION_DEBUG_FS, FAILSLAB and FAIL_PAGE_ALLOC;
 * skips elsewhere. Prints a figures line per test.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/nestwalk.h>

#include "kselftest_harness.h"
#include "nwtest.h"

#define FAILNTH		"/proc/thread-self/fail-nth"
#define FI		"/sys/kernel/debug"
#define MEM		(8UL << 20)
#define MAX_NTH		5000

static const char *const knobs[][2] = {
	/* Fail GFP_KERNEL allocations too, quietly; order-0 pages too. */
	{ FI "/failslab/ignore-gfp-wait", "N" },
	{ FI "/failslab/verbose", "0" },
	{ FI "/fail_page_alloc/ignore-gfp-wait", "N" },
	{ FI "/fail_page_alloc/min-order", "0" },
	{ FI "/fail_page_alloc/verbose", "0" },
};

#define NKNOBS	(sizeof(knobs) / sizeof(knobs[0]))

static char saved[NKNOBS][32];
static unsigned long injected_total;

static int put(const char *path, const char *v)
{
	int fd = open(path, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, v, strlen(v)) == (ssize_t)strlen(v);
	close(fd);
	return ok ? 0 : -1;
}

static int get(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* 0 if fault injection is there and armed as above. */
static int arm(void)
{
	unsigned int i;

	if (access(FAILNTH, W_OK) || access(FI "/failslab", F_OK) ||
	    access(FI "/fail_page_alloc", F_OK))
		return -1;
	for (i = 0; i < NKNOBS; i++)
		if (get(knobs[i][0], saved[i], sizeof(saved[i])) ||
		    put(knobs[i][0], knobs[i][1]))
			return -1;
	return 0;
}

static void disarm(void)
{
	unsigned int i;

	for (i = 0; i < NKNOBS; i++)
		if (saved[i][0])
			put(knobs[i][0], saved[i]);
}

/* Arm the @n-th allocation of this thread from now to fail. */
static void fail_nth(int n)
{
	char v[16];

	snprintf(v, sizeof(v), "%d", n);
	put(FAILNTH, v);
}

/* Whether the armed failure happened; disarms. */
static int injected(void)
{
	char v[16] = "";

	get(FAILNTH, v, sizeof(v));
	put(FAILNTH, "0");
	if (strcmp(v, "0"))
		return 0;
	injected_total++;
	return 1;
}

static long long locked_kib(void)
{
	char line[128];
	long long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmLck: %lld kB", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib;
}

/* What must not change when a call fails. */
struct state {
	long long sessions, pinned, locked;
	char objs[2][4096];	/* the session's vms and memslots files */
};

static void snap(const char *dir, struct state *st)
{
	char path[300];

	st->sessions = nwt_stat("sessions_open");
	st->pinned = nwt_stat("pinned_pages");
	st->locked = locked_kib();
	st->objs[0][0] = st->objs[1][0] = '\0';
	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/vms", dir);
	snprintf(st->objs[0], sizeof(st->objs[0]), "%s", nwt_file(path));
	snprintf(path, sizeof(path), "%s/memslots", dir);
	snprintf(st->objs[1], sizeof(st->objs[1]), "%s", nwt_file(path));
}

static int same(const struct state *a, const struct state *b)
{
	return a->sessions == b->sessions && a->pinned == b->pinned &&
	       a->locked == b->locked && !strcmp(a->objs[0], b->objs[0]) &&
	       !strcmp(a->objs[1], b->objs[1]);
}

/*
 * Module init, first: the test unloads the module the runner loaded,
 * loads it with each allocation failing in turn, and leaves it loaded.
 */
TEST(module_init)
{
	const char *ko = getenv("NESTWALK_KO");
	struct state before, after;
	int fd, total = 0, n, ret = -1, err = 0;

	if (geteuid())
		SKIP(return, "must be root");
	if (!ko)
		SKIP(return, "NESTWALK_KO not set");
	if (arm())
		SKIP(return, "no fault injection in this kernel");
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	if (!access(NW_DEV, F_OK))
		ASSERT_EQ(0, syscall(SYS_delete_module, "nestwalk",
				     O_NONBLOCK));
	for (n = 1; n < MAX_NTH; n++) {
		snap(NULL, &before);
		fail_nth(n);
		ret = syscall(SYS_finit_module, fd, "", 0);
		err = errno;
		if (!injected())
			break;
		total++;
		if (ret == 0) {	/* absorbed: it loaded anyway */
			ASSERT_EQ(0, syscall(SYS_delete_module, "nestwalk",
					     O_NONBLOCK));
			continue;
		}
		EXPECT_NE(0, access(NW_DEV, F_OK))
			TH_LOG("allocation %d: a failed load left the device", n);
		EXPECT_NE(0, access(NW_DEBUGFS, F_OK))
			TH_LOG("allocation %d: a failed load left debugfs files", n);
		snap(NULL, &after);
		EXPECT_EQ(before.locked, after.locked);
	}
	EXPECT_EQ(0, ret) TH_LOG("load without a failure: %s", strerror(err));
	EXPECT_EQ(0, access(NW_DEV, F_OK));
	close(fd);
	disarm();
	printf("# figures: faults: %d allocations failed on purpose in module init, every load survived\n",
	       total);
}

FIXTURE(faults) {
	int fd;
	char dir[256];
	void *mem;
};

FIXTURE_SETUP(faults)
{
	self->fd = -1;
	self->mem = MAP_FAILED;
	if (geteuid())
		NWT_SETUP_SKIP(return, "must be root");
	if (access(NW_DEV, F_OK))
		NWT_SETUP_SKIP(return, NW_DEV " missing: module not loaded");
	if (arm())
		NWT_SETUP_SKIP(return, "no fault injection (FAILSLAB, FAIL_PAGE_ALLOC, fail-nth) in this kernel");
	/* Touched now, so that pinning it later allocates nothing of GUP's. */
	self->mem = mmap(NULL, MEM, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, self->mem);
	memset(self->mem, 1, MEM);
}

FIXTURE_TEARDOWN(faults)
{
	put(FAILNTH, "0");
	if (self->fd >= 0)
		close(self->fd);
	if (self->mem != MAP_FAILED)
		munmap(self->mem, MEM);
	disarm();
}

/*
 * Run @call with its n-th allocation failing, n = 1, 2, ... With a failure
 * injected the call must fail with an errno and leave @dir's session (and
 * the module-wide counts) as they were; the loop ends at the first n the
 * call completes without reaching. A call that absorbs a failure (a
 * fallback allocation) and succeeds ends it too, unless @idem says the
 * call may be repeated. Returns the failures injected.
 */
#define DRIVE(_call, _dir, _what, _idem) ({				\
	struct state _before, _after;					\
	int _n, _ret, _err, _inj, _count = 0;				\
	for (_n = 1; _n < MAX_NTH; _n++) {				\
		snap(_dir, &_before);					\
		fail_nth(_n);						\
		_ret = (_call);						\
		_err = errno;						\
		_inj = injected();					\
		if (!_inj)						\
			break;						\
		_count++;						\
		if (_ret >= 0) {	/* failure absorbed */		\
			if (_idem)					\
				continue;				\
			break;						\
		}							\
		snap(_dir, &_after);					\
		EXPECT_TRUE(_err == ENOMEM || _err == EFAULT)		\
			TH_LOG("%s, allocation %d: errno %d", _what,	\
			       _n, _err);				\
		EXPECT_TRUE(same(&_before, &_after))			\
			TH_LOG("%s, allocation %d: state changed "	\
			       "(pinned %lld -> %lld, locked %lld -> %lld)", \
			       _what, _n, _before.pinned, _after.pinned, \
			       _before.locked, _after.locked);		\
	}								\
	EXPECT_LE(0, _ret) TH_LOG("%s without a failure: %s", _what,	\
				   strerror(_err));			\
	EXPECT_GT(MAX_NTH, _n);						\
	TH_LOG("%s: %d allocations failed on purpose, all survived",	\
	       _what, _count);						\
	_count;								\
})

static int do_open(void)
{
	return open(NW_DEV, O_RDWR | O_CLOEXEC);
}

NWT_TEST_F(faults, every_ioctl_path)
{
	struct nestwalk_config cfg = {
		.size = sizeof(cfg), .preset = NESTWALK_PRESET_SKYLAKE,
	};
	struct nestwalk_vm_create vc = {
		.size = sizeof(vc), .mode = NESTWALK_MODE_EPT, .vpid = 1,
		.guest_levels = 4, .host_levels = 4,
		.gpt_base = 6UL << 20, .gpt_size = 2UL << 20,
	};
	struct nestwalk_memslot ms = {
		.size = sizeof(ms), .memory_size = MEM,
	};
	struct nestwalk_map map = {
		.size = sizeof(map), .gva = 0x7f0000000000ULL, .gpa = 0,
		.length = 4UL << 20, .leaf = NESTWALK_PAGE_4K,
		.prot = NESTWALK_PROT_WRITE,
	};
	struct nestwalk_generate gen = {
		.size = sizeof(gen), .pattern = NESTWALK_GEN_ZIPF,
		.base = 0x7f0000000000ULL, .length = 4UL << 20,
		.theta_milli = 990, .seed = 1, .count = 20000,
	};
	struct nestwalk_access acc[64];
	struct nestwalk_run run = {
		.size = sizeof(run), .accesses = (unsigned long)acc,
		.count = 64,
	};
	__u64 values[128], deltas[128];
	struct nestwalk_stats st = {
		.size = sizeof(st), .values = (unsigned long)values,
		.count = 128,
	};
	struct nestwalk_invalidate inv = {
		.size = sizeof(inv), .op = NESTWALK_INV_INVEPT, .type = 2,
	};
	int total = 0, fd, i;

	for (i = 0; i < 64; i++) {
		acc[i].gva = 0x7f0000000000ULL + i * 4096 * 7 % (4UL << 20);
		acc[i].attr = NESTWALK_ACCESS(0, NESTWALK_READ);
	}
	total += DRIVE(fd = do_open(), NULL, "open", 0);
	ASSERT_LE(0, fd);
	self->fd = fd;
	nwt_newest_session(self->dir, sizeof(self->dir));
	total += DRIVE(ioctl(fd, NESTWALK_IOC_CONFIG, &cfg), self->dir,
		       "CONFIG", 1);
	total += DRIVE(ioctl(fd, NESTWALK_IOC_VM_CREATE, &vc), self->dir,
		       "VM_CREATE", 0);
	ms.vm_id = vc.vm_id;
	ms.userspace_addr = (unsigned long)self->mem;
	total += DRIVE(ioctl(fd, NESTWALK_IOC_MEMSLOT, &ms), self->dir,
		       "MEMSLOT", 0);
	map.vm_id = vc.vm_id;
	total += DRIVE(ioctl(fd, NESTWALK_IOC_MAP, &map), self->dir, "MAP",
		       1);
	/* The first run builds the EPT: table pages on every fault. */
	run.vm_id = vc.vm_id;
	total += DRIVE(ioctl(fd, NESTWALK_IOC_RUN, &run), self->dir, "RUN",
		       1);
	run.deltas = (unsigned long)deltas;
	run.ndeltas = 128;
	total += DRIVE(ioctl(fd, NESTWALK_IOC_RUN, &run), self->dir,
		       "RUN with deltas", 1);
	gen.vm_id = vc.vm_id;
	gen.deltas = (unsigned long)deltas;
	gen.ndeltas = 128;
	total += DRIVE(ioctl(fd, NESTWALK_IOC_GENERATE, &gen), self->dir,
		       "GENERATE", 1);
	total += DRIVE(ioctl(fd, NESTWALK_IOC_STATS, &st), self->dir,
		       "STATS", 1);
	inv.vm_id = vc.vm_id;
	total += DRIVE(ioctl(fd, NESTWALK_IOC_INVALIDATE, &inv), self->dir,
		       "INVALIDATE", 1);
	/* Every access still walks to the same place: the model is whole. */
	ASSERT_EQ(0, ioctl(fd, NESTWALK_IOC_RESET, 0));
	ASSERT_EQ(0, ioctl(fd, NESTWALK_IOC_RUN, &run));
	ASSERT_EQ(0, ioctl(fd, NESTWALK_IOC_STATS, &st));
	EXPECT_EQ(64, values[0]);	/* accesses */
	close(fd);
	self->fd = -1;
	EXPECT_EQ(0, nwt_stat("pinned_pages"));
	printf("# figures: faults: %d allocations failed on purpose in the ioctl paths, every call survived\n",
	       total);
}

NWT_REQUIRE(NWT_ROOT | NWT_MODULE | NWT_DEBUGFS)

TEST_HARNESS_MAIN
