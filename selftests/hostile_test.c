// SPDX-License-Identifier: GPL-2.0
/*
 * The caller is hostile: it writes any byte of its guest memory between
 * two ioctls, and passes sizes that ask the kernel for hours of work or
 * terabytes of bookkeeping. One test per finding of the review that
 * opened the issue "Hostile guest memory":
 *
 *  - a crafted link in a freed guest table page (the free list of
 *    31883ee lived there) changes nothing the model writes;
 *  - a MAP of 2^64 - 2^30 bytes, and a long valid one, end within a
 *    second of SIGKILL;
 *  - a MEMSLOT of 1 TiB is refused before anything is allocated, with no
 *    warning in the kernel log;
 *  - the module-wide bound on table pages refuses with ENOSPC;
 *  - 70,000 MEMSLOT calls undone (their result could not be copied back)
 *    leave the session's model addresses where they were;
 *  - a zipf generator over 16 GiB ends within a second of SIGKILL while
 *    it sets up its table.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/nestwalk.h>

#include "kselftest_harness.h"
#include "nwtest.h"

#define PARAM_TABLES	"/sys/module/nestwalk/parameters/max_table_pages"
#define SZ_1G		(1ULL << 30)
#define SZ_4K		4096ULL

static int vm_create(int fd, int mode, __u64 gpt_base, __u64 gpt_size)
{
	struct nestwalk_vm_create vc = {
		.size = sizeof(vc), .mode = mode, .guest_levels = 4,
		.host_levels = mode == NESTWALK_MODE_EPT ||
			       mode == NESTWALK_MODE_NPT ? 4 : 0,
		.gpt_base = gpt_base, .gpt_size = gpt_size,
	};

	return ioctl(fd, NESTWALK_IOC_VM_CREATE, &vc) ? -1 : (int)vc.vm_id;
}

static int memslot(int fd, int vm, __u64 gpa, void *mem, __u64 len)
{
	struct nestwalk_memslot ms = {
		.size = sizeof(ms), .vm_id = vm, .gpa = gpa,
		.memory_size = len, .userspace_addr = (unsigned long)mem,
	};

	return ioctl(fd, NESTWALK_IOC_MEMSLOT, &ms);
}

static int map(int fd, int vm, __u64 gva, __u64 gpa, __u64 len, int leaf)
{
	struct nestwalk_map m = {
		.size = sizeof(m), .vm_id = vm, .gva = gva, .gpa = gpa,
		.length = len, .leaf = leaf,
		.prot = NESTWALK_PROT_WRITE | NESTWALK_PROT_USER,
	};

	return ioctl(fd, NESTWALK_IOC_MAP, &m);
}

/* Index of counter @name in NESTWALK_IOC_STATS order (debugfs order). */
static int counter_index(const char *name)
{
	char dir[256], path[300];
	int line = -1;

	nwt_newest_session(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/stats", dir);
	nwt_value(path, name, &line);
	return line;
}

/* One read of each of @n addresses; what it added to counter @c. */
static long long run_reads(int fd, int vm, const __u64 *gva, int n, int c)
{
	struct nestwalk_access acc[16];
	__u64 deltas[256] = { 0 };
	struct nestwalk_run r = {
		.size = sizeof(r), .vm_id = vm, .accesses = (unsigned long)acc,
		.count = n, .deltas = (unsigned long)deltas, .ndeltas = 256,
	};
	int i;

	for (i = 0; i < n; i++) {
		acc[i].gva = gva[i];
		acc[i].attr = NESTWALK_ACCESS(0, NESTWALK_READ);
	}
	if (ioctl(fd, NESTWALK_IOC_RUN, &r) || c < 0 || c >= (int)r.ndeltas)
		return -1;
	return deltas[c];
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * Run @fn in a child and SIGKILL it after @delay_ms (unless it ended by
 * then). Returns the milliseconds from the kill until the child was gone,
 * or -1 if it was still there @limit_ms later (it is left to end on its
 * own). *@status gets its wait status.
 */
static double kill_after(int (*fn)(void *), void *arg, int delay_ms,
			 int limit_ms, int *status)
{
	pid_t pid = fork();
	double t;

	if (pid == 0)
		_exit(fn(arg));
	if (pid < 0)
		return -1;
	usleep(delay_ms * 1000);
	kill(pid, SIGKILL);
	for (t = now_ms(); now_ms() - t < limit_ms; usleep(2000))
		if (waitpid(pid, status, WNOHANG) == pid)
			return now_ms() - t;
	return -1;
}

FIXTURE(dev) {
	int fd;
	void *mem;
	size_t len;
	long long saved_tables;	/* max_table_pages to restore, or -1 */
};

FIXTURE_SETUP(dev)
{
	self->fd = -1;
	self->mem = MAP_FAILED;
	self->saved_tables = -1;
	if (geteuid())
		NWT_SETUP_SKIP(return, "must be root");
	if (access(NW_DEV, F_OK))
		NWT_SETUP_SKIP(return, NW_DEV " missing: module not loaded");
	self->fd = open(NW_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(dev)
{
	if (self->saved_tables >= 0)
		nwt_write_ll(PARAM_TABLES, self->saved_tables);
	if (self->fd >= 0)
		close(self->fd);
	if (self->mem != MAP_FAILED)
		munmap(self->mem, self->len);
}

static void *mem_of(FIXTURE_DATA(dev) *self, size_t len)
{
	self->len = len;
	self->mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return self->mem;
}

/*
 * The steps, in a nested and a shadow VM: map a 4 KiB page at
 * GVA 0 (root, PDPT, PD and PT in the gpt region, in that order), map a
 * 2 MiB page over it (the PT is freed), write 0x1ff8 into the first 8
 * bytes of the freed PT, map a 4 KiB page at 1 GiB. 31883ee followed
 * that link and zeroed 4 KiB from GPA 0x1ff8 on; now the data below the
 * gpt region stays as it was, the freed PT comes back as the new PD and
 * both mappings translate.
 */
#define FL_MEM		(8UL << 20)
#define FL_GPT		(6UL << 20)
#define FL_PATTERN	0x5a5a5a5a5a5a5a5aULL

static void free_list_scenario(struct __test_metadata *_metadata,
			       FIXTURE_DATA(dev) *self, int mode)
{
	const __u64 gva[2] = { 0x1000, SZ_1G };
	__u64 *m, *pt, i, changed = 0;
	int vm, pf = counter_index("guest_pf");
	int viol = counter_index("ept_violation");

	ASSERT_LE(0, pf);
	ASSERT_LE(0, viol);
	m = mem_of(self, FL_MEM);
	ASSERT_NE(MAP_FAILED, m);
	for (i = 0; i < FL_GPT / 8; i++)
		m[i] = FL_PATTERN;
	vm = vm_create(self->fd, mode, FL_GPT, FL_MEM - FL_GPT);
	ASSERT_LE(0, vm);
	ASSERT_EQ(0, memslot(self->fd, vm, 0, m, FL_MEM));
	ASSERT_EQ(0, map(self->fd, vm, 0, 1UL << 20, SZ_4K,
			 NESTWALK_PAGE_4K));
	ASSERT_EQ(0, map(self->fd, vm, 0, 2UL << 20, 2UL << 20,
			 NESTWALK_PAGE_2M));
	pt = m + (FL_GPT + 3 * SZ_4K) / 8;
	*pt = 0x1ff8;
	ASSERT_EQ(0, map(self->fd, vm, SZ_1G, 3UL << 20, SZ_4K,
			 NESTWALK_PAGE_4K));
	for (i = 0; i < FL_GPT / 8; i++)
		changed += m[i] != FL_PATTERN;
	EXPECT_EQ(0, changed) TH_LOG("data words below the gpt region changed");
	/* The freed PT is the new PD; its entry 0 is the next gpt page. */
	EXPECT_EQ(FL_GPT + 4 * SZ_4K, pt[0] & ~0xfffULL);
	EXPECT_EQ(0, run_reads(self->fd, vm, gva, 2, pf));
	EXPECT_EQ(0, run_reads(self->fd, vm, gva, 2, viol));
}

NWT_TEST_F(dev, free_list_link_in_guest_memory_ept)
{
	free_list_scenario(_metadata, self, NESTWALK_MODE_EPT);
}

NWT_TEST_F(dev, free_list_link_in_guest_memory_shadow)
{
	free_list_scenario(_metadata, self, NESTWALK_MODE_SHADOW);
}

struct map_arg {
	int fd, vm;
	__u64 len;
	int leaf;
};

static int map_child(void *p)
{
	struct map_arg *a = p;

	return map(a->fd, a->vm, 0, 0, a->len, a->leaf) ? errno : 0;
}

/*
 * 2^64 - 2^30 bytes of 1 GiB leaves: 2^34 iterations over the same
 * entries in 31883ee (minutes, unkillable), more than a 4-level guest's
 * 2^48-byte address space now: refused, or at worst killed at once.
 */
NWT_TEST_F(dev, map_beyond_the_address_space_ends_at_once)
{
	struct map_arg a = { .fd = self->fd, .len = -(1ULL << 30),
			     .leaf = NESTWALK_PAGE_1G };
	void *m = mem_of(self, 8UL << 20);
	double ms;
	int st;

	ASSERT_NE(MAP_FAILED, m);
	a.vm = vm_create(self->fd, NESTWALK_MODE_EPT, 2UL << 20, 6UL << 20);
	ASSERT_LE(0, a.vm);
	ASSERT_EQ(0, memslot(self->fd, a.vm, 0, m, 8UL << 20));
	ms = kill_after(map_child, &a, 200, 1000, &st);
	ASSERT_LE(0, ms) TH_LOG("MAP still running 1 s after SIGKILL");
	if (WIFEXITED(st))
		EXPECT_EQ(EINVAL, WEXITSTATUS(st));
	TH_LOG("gone %.0f ms after SIGKILL (%s)", ms,
	       WIFEXITED(st) ? "refused" : "killed");
}

/*
 * A valid MAP of 16M leaves (64 GiB of 4 KiB pages, all a 128 MiB gpt
 * region can hold): seconds natively, minutes under emulation. Still
 * running 300 ms in, it must be gone within a second of SIGKILL.
 */
NWT_TEST_F(dev, long_map_stops_on_sigkill)
{
	struct map_arg a = { .fd = self->fd, .len = 64ULL << 30,
			     .leaf = NESTWALK_PAGE_4K };
	void *m = mem_of(self, 128UL << 20);
	double ms;
	int st;

	ASSERT_NE(MAP_FAILED, m);
	a.vm = vm_create(self->fd, NESTWALK_MODE_EPT, 0, 128UL << 20);
	ASSERT_LE(0, a.vm);
	ASSERT_EQ(0, memslot(self->fd, a.vm, 0, m, 128UL << 20));
	ms = kill_after(map_child, &a, 300, 1000, &st);
	ASSERT_LE(0, ms) TH_LOG("MAP still running 1 s after SIGKILL");
	EXPECT_TRUE(WIFSIGNALED(st))
		TH_LOG("the MAP ended by itself before the kill: exit %d",
		       WEXITSTATUS(st));
	TH_LOG("gone %.0f ms after SIGKILL", ms);
}

/* One more leaf than the gpt region's pages could hold: ENOSPC. */
NWT_TEST_F(dev, map_larger_than_the_gpt_region_can_hold)
{
	void *m = mem_of(self, 2UL << 20);
	int vm;

	ASSERT_NE(MAP_FAILED, m);
	vm = vm_create(self->fd, NESTWALK_MODE_EPT, 0, 2UL << 20);
	ASSERT_LE(0, vm);
	ASSERT_EQ(0, memslot(self->fd, vm, 0, m, 2UL << 20));
	EXPECT_EQ(-1, map(self->fd, vm, 0, 0, 512 * 512 * SZ_4K + SZ_4K,
			  NESTWALK_PAGE_4K));
	EXPECT_EQ(ENOSPC, errno);
}

/*
 * 1 TiB: 2^28 pages, 64 times the default pin budget. 31883ee allocated
 * its page array first (2 GiB, past INT_MAX: kvmalloc's WARN_ON_ONCE).
 */
NWT_TEST_F(dev, memslot_of_1tib_refused_without_warning)
{
	static const char *const bad[] = {
		"WARNING", "Call Trace", "allocation failure", NULL
	};
	int vm = vm_create(self->fd, NESTWALK_MODE_EPT, 0, 2UL << 20);
	int kmsg = nwt_kmsg_open();

	ASSERT_LE(0, vm);
	ASSERT_LE(0, kmsg);
	EXPECT_EQ(-1, memslot(self->fd, vm, 0, (void *)(16ULL << 40),
			      1ULL << 40));
	EXPECT_EQ(ENOMEM, errno);
	EXPECT_EQ(0, nwt_kmsg_count(kmsg, bad));
	EXPECT_EQ(0, nwt_stat("pinned_pages"));
	close(kmsg);
}

/*
 * The table-page bound, lowered to what the module holds plus 16: MAPs
 * of one 4 KiB page at 2 MiB strides in native mode (tables in kernel
 * memory, one new PT each) stop with ENOSPC at the bound.
 */
NWT_TEST_F(dev, table_pages_bound_refuses_with_enospc)
{
	long long held = nwt_stat("table_pages");
	void *m = mem_of(self, 2UL << 20);
	int vm, i, ret = 0;

	ASSERT_NE(MAP_FAILED, m);
	ASSERT_LE(0, held);
	self->saved_tables = nwt_read_ll(PARAM_TABLES);
	ASSERT_LT(0, self->saved_tables) TH_LOG(PARAM_TABLES " missing");
	vm = vm_create(self->fd, NESTWALK_MODE_NATIVE, 0, 0);
	ASSERT_LE(0, vm);
	ASSERT_EQ(0, memslot(self->fd, vm, 0, m, 2UL << 20));
	ASSERT_EQ(0, nwt_write_ll(PARAM_TABLES, held + 16));
	EXPECT_EQ(held + 16, nwt_stat("max_table_pages"));
	for (i = 0; i < 64 && !ret; i++)
		ret = map(self->fd, vm, i * (2ULL << 20), 0, SZ_4K,
			  NESTWALK_PAGE_4K);
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_GT(20, i);
	EXPECT_GE(held + 16, nwt_stat("table_pages"));
	ASSERT_EQ(0, nwt_write_ll(PARAM_TABLES, self->saved_tables));
	self->saved_tables = -1;
	/* With the bound back, the next map goes through. */
	EXPECT_EQ(0, map(self->fd, vm, 100 * (2ULL << 20), 0, SZ_4K,
			 NESTWALK_PAGE_4K));
}

/*
 * 70,000 MEMSLOT calls whose result cannot be copied back (the structure
 * is in a read-only page): each is undone. 31883ee kept each one's 1 GiB
 * of model addresses, so the next memslot began past 2^46 = MAXPHYADDR,
 * and a native walk to it faulted on reserved address bits.
 */
NWT_TEST_F(dev, undone_memslots_give_back_their_addresses)
{
	const __u64 gva[1] = { 0x1000 };
	struct nestwalk_memslot *ro;
	char dir[256], path[300];
	long long before, after;
	int vm, i, fails = 0, pf = counter_index("guest_pf");
	void *m = mem_of(self, 2UL << 20);

	ASSERT_NE(MAP_FAILED, m);
	ASSERT_LE(0, pf);
	nwt_newest_session(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/stats", dir);
	vm = vm_create(self->fd, NESTWALK_MODE_NATIVE, 0, 0);
	ASSERT_LE(0, vm);
	before = nwt_value(path, "hpa_next", NULL);
	ro = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	*ro = (struct nestwalk_memslot){
		.size = sizeof(*ro), .vm_id = vm, .gpa = 0,
		.memory_size = SZ_4K, .userspace_addr = (unsigned long)m,
	};
	ASSERT_EQ(0, mprotect(ro, SZ_4K, PROT_READ));
	for (i = 0; i < 70000; i++)
		fails += !(ioctl(self->fd, NESTWALK_IOC_MEMSLOT, ro) == -1 &&
			   errno == EFAULT);
	EXPECT_EQ(0, fails);
	munmap(ro, SZ_4K);
	ASSERT_EQ(0, memslot(self->fd, vm, 0, m, 2UL << 20));
	ASSERT_EQ(0, map(self->fd, vm, 0, 0, 2UL << 20, NESTWALK_PAGE_4K));
	EXPECT_EQ(0, run_reads(self->fd, vm, gva, 1, pf));
	after = nwt_value(path, "hpa_next", NULL);
	ASSERT_LT(0, before);
	/* The real memslot's range starts at @before, as with no undo. */
	EXPECT_EQ((before + ((unsigned long)m & (SZ_1G - 1)) + (2UL << 20) +
		   SZ_1G - 1) & ~(SZ_1G - 1), after);
}

struct gen_arg {
	int fd, vm;
};

static int zipf_child(void *p)
{
	struct gen_arg *a = p;
	struct nestwalk_generate g = {
		.size = sizeof(g), .vm_id = a->vm,
		.pattern = NESTWALK_GEN_ZIPF, .base = 0,
		.length = 16ULL << 30, .theta_milli = 990, .count = 1,
	};

	return ioctl(a->fd, NESTWALK_IOC_GENERATE, &g) ? errno : 0;
}

/* 2^22 zipf weights: about 1.4 s natively, in one loop in 31883ee. */
NWT_TEST_F(dev, zipf_setup_stops_on_sigkill)
{
	struct gen_arg a = { .fd = self->fd };
	double ms;
	int st;

	a.vm = vm_create(self->fd, NESTWALK_MODE_NATIVE, 0, 0);
	ASSERT_LE(0, a.vm);
	ms = kill_after(zipf_child, &a, 50, 1000, &st);
	ASSERT_LE(0, ms) TH_LOG("GENERATE still running 1 s after SIGKILL");
	TH_LOG("gone %.0f ms after SIGKILL (%s)", ms,
	       WIFSIGNALED(st) ? "killed" : "had finished");
}

NWT_REQUIRE(NWT_ROOT | NWT_MODULE | NWT_DEBUGFS)

TEST_HARNESS_MAIN
