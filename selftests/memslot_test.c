// SPDX-License-Identifier: GPL-2.0
/*
 * nestwalk selftests: VMs and memslots over real memory. The host mapping
 * size the module reports for a memslot must be what the kernel gave the
 * memory (4 KiB pages, THP, hugetlb); pins must be released on close; every
 * invalid request must fail without changing anything.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/nestwalk.h>

#include "kselftest_harness.h"
#include "nwtest.h"


static int vm_create(int fd, __u64 mode, __u64 vpid, __u64 *id)
{
	struct nestwalk_vm_create c = {
		.size = sizeof(c), .mode = mode, .vpid = vpid,
		.guest_levels = 4,
		.host_levels = (mode == NESTWALK_MODE_EPT ||
				mode == NESTWALK_MODE_NPT) ? 4 : 0,
		/* Guest page tables: the first pages of the session slot. */
		.gpt_base = 1UL << 30, .gpt_size = 8 * 4096,
	};
	int ret = ioctl(fd, NESTWALK_IOC_VM_CREATE, &c);

	if (!ret && id)
		*id = c.vm_id;
	return ret;
}

static int memslot(int fd, __u64 vm, __u64 gpa, void *mem, __u64 len,
		   struct nestwalk_memslot *out)
{
	struct nestwalk_memslot m = {
		.size = sizeof(m), .vm_id = vm, .gpa = gpa,
		.memory_size = len, .userspace_addr = (unsigned long)mem,
	};
	int ret = ioctl(fd, NESTWALK_IOC_MEMSLOT, &m);

	if (out)
		*out = m;
	return ret;
}

/* kB of AnonHugePages in the smaps entry of the mapping starting at @a. */
static long long anon_huge_kb(void *a)
{
	char line[256], start[32];
	long long kb = -1;
	int in = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return -1;
	snprintf(start, sizeof(start), "%lx-", (unsigned long)a);
	while (fgets(line, sizeof(line), f)) {
		if (strchr(line, '-') && strchr(line, '-') < strchr(line, ' '))
			in = !strncmp(line, start, strlen(start));
		else if (in && sscanf(line, "AnonHugePages: %lld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

enum backing { B_4K, B_THP, B_HUGETLB };

FIXTURE(backing) {
	int fd;
	void *mem;
	size_t len;
	long long saved_pool;
};

FIXTURE_VARIANT(backing) {
	enum backing kind;
};

FIXTURE_VARIANT_ADD(backing, pages_4k) { .kind = B_4K };
FIXTURE_VARIANT_ADD(backing, thp) { .kind = B_THP };
FIXTURE_VARIANT_ADD(backing, hugetlb_2m) { .kind = B_HUGETLB };

FIXTURE_SETUP(backing)
{
	size_t off;

	self->fd = -1;
	self->saved_pool = -1;
	self->len = 16 * SZ_2M;
	if (geteuid())
		NWT_SETUP_SKIP(return, "must be root");
	if (access(NW_DEV, F_OK))
		NWT_SETUP_SKIP(return, NW_DEV " missing: module not loaded");

	switch (variant->kind) {
	case B_4K:
		self->mem = nwt_map_2m_aligned(self->len);
		ASSERT_NE(NULL, self->mem);
		/* Keep THP away: every page must be a 4 KiB mapping. */
		ASSERT_EQ(0, madvise(self->mem, self->len, MADV_NOHUGEPAGE));
		break;
	case B_THP:
		if (access(THP_ENABLED, R_OK))
			NWT_SETUP_SKIP(return, "kernel without transparent hugepages");
		if (nwt_thp_never())
			NWT_SETUP_SKIP(return, "THP disabled: " THP_ENABLED " is never");
		self->mem = nwt_map_2m_aligned(self->len);
		ASSERT_NE(NULL, self->mem);
		ASSERT_EQ(0, madvise(self->mem, self->len, MADV_HUGEPAGE));
		break;
	case B_HUGETLB:
		if (nwt_read_ll("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages") < 0)
			NWT_SETUP_SKIP(return, "no 2 MiB hugetlb pool on this kernel");
		if (!strstr(nwt_file("/proc/meminfo"), "Hugepagesize:       2048 kB"))
			NWT_SETUP_SKIP(return, "default hugepage size is not 2 MiB");
		self->saved_pool = nwt_read_ll(NR_HUGEPAGES);
		ASSERT_LE(0, self->saved_pool);
		ASSERT_EQ(0, nwt_write_ll(NR_HUGEPAGES, self->saved_pool + 16));
		if (nwt_read_ll(NR_HUGEPAGES) < self->saved_pool + 16)
			NWT_SETUP_SKIP(return,
				       "kernel granted %lld of %lld hugepages",
				       nwt_read_ll(NR_HUGEPAGES), self->saved_pool + 16);
		self->mem = mmap(NULL, self->len, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB,
				 -1, 0);
		ASSERT_NE(MAP_FAILED, self->mem);
		break;
	}
	for (off = 0; off < self->len; off += 4096)
		((volatile char *)self->mem)[off] = 1;
	self->fd = open(NW_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(backing)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->mem && self->mem != MAP_FAILED)
		munmap(self->mem, self->len);
	if (self->saved_pool >= 0)
		EXPECT_EQ(0, nwt_write_ll(NR_HUGEPAGES, self->saved_pool));
}

NWT_TEST_F(backing, host_mapping_size_reported)
{
	long long pinned0 = nwt_stat("pinned_pages");
	struct nestwalk_memslot m;
	char dir[128], want[256];
	long long huge_kb;
	__u64 vm;

	ASSERT_EQ(0, vm_create(self->fd, NESTWALK_MODE_EPT, 1, &vm));
	ASSERT_EQ(0, memslot(self->fd, vm, 0, self->mem, self->len, &m));
	EXPECT_EQ(pinned0 + (long long)(self->len / 4096),
		  nwt_stat("pinned_pages"));
	EXPECT_EQ(0, m.host_1g);

	switch (variant->kind) {
	case B_4K:
		EXPECT_EQ(self->len / 4096, m.host_4k);
		EXPECT_EQ(0, m.host_2m);
		break;
	case B_HUGETLB:
		EXPECT_EQ(0, m.host_4k);
		EXPECT_EQ(self->len / SZ_2M, m.host_2m);
		break;
	case B_THP:
		huge_kb = anon_huge_kb(self->mem);
		ASSERT_LE(0, huge_kb);
		/* What the module saw is what the kernel granted. */
		EXPECT_EQ(huge_kb / 2048, (long long)m.host_2m);
		EXPECT_EQ((self->len - huge_kb * 1024) / 4096, m.host_4k);
		if (!huge_kb)
			SKIP(return, "kernel granted no THP for the range");
		break;
	}

	nwt_newest_session(dir, sizeof(dir));
	snprintf(want, sizeof(want),
		 "vm 0 slot 0 gpa 0x0 size %zu pinned_pages %zu host_4k %llu host_2m %llu host_1g 0\n",
		 self->len, self->len / 4096, (unsigned long long)m.host_4k,
		 (unsigned long long)m.host_2m);
	strcat(dir, "/memslots");
	EXPECT_STREQ(want, nwt_file(dir));

	/* Closing the session unpins everything. */
	close(self->fd);
	self->fd = -1;
	EXPECT_EQ(pinned0, nwt_stat("pinned_pages"));
}

FIXTURE(session) {
	int fd;
	char *mem;
	char memslots[160];
	__u64 vm;
};

#define MEM_LEN	(64UL << 12)

FIXTURE_SETUP(session)
{
	self->fd = -1;
	if (geteuid())
		NWT_SETUP_SKIP(return, "must be root");
	if (access(NW_DEV, F_OK))
		NWT_SETUP_SKIP(return, NW_DEV " missing: module not loaded");
	self->fd = open(NW_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	self->mem = mmap(NULL, MEM_LEN, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->mem);
	ASSERT_EQ(0, vm_create(self->fd, NESTWALK_MODE_EPT, 1, &self->vm));
	ASSERT_EQ(0, memslot(self->fd, self->vm, 1UL << 30, self->mem,
			     MEM_LEN / 2, NULL));
	nwt_newest_session(self->memslots, sizeof(self->memslots));
	strcat(self->memslots, "/memslots");
}

FIXTURE_TEARDOWN(session)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->mem && self->mem != MAP_FAILED)
		munmap(self->mem, MEM_LEN);
}

/* @call fails with @err and neither the memslots nor the pins change. */
#define EXPECT_REJECTED(err, call) do {					\
	char *before = strdup(nwt_file(self->memslots));			\
	long long pinned = nwt_stat("pinned_pages");			\
									\
	EXPECT_EQ(-1, (call));						\
	EXPECT_EQ(err, errno);						\
	EXPECT_STREQ(before, nwt_file(self->memslots));			\
	EXPECT_EQ(pinned, nwt_stat("pinned_pages"));			\
	free(before);							\
} while (0)

NWT_TEST_F(session, memslot_validation)
{
	char *hi = self->mem + MEM_LEN / 2;
	struct nestwalk_memslot m = {
		.size = sizeof(m), .vm_id = self->vm, .gpa = 0,
		.memory_size = 4096, .userspace_addr = (unsigned long)hi,
	};
	char *ro;

	m.flags = 1;
	EXPECT_REJECTED(EINVAL, ioctl(self->fd, NESTWALK_IOC_MEMSLOT, &m));
	m.flags = 0;
	m.reserved[5] = 1;
	EXPECT_REJECTED(EINVAL, ioctl(self->fd, NESTWALK_IOC_MEMSLOT, &m));
	m.reserved[5] = 0;
	EXPECT_REJECTED(EINVAL, memslot(self->fd, self->vm, 4095, hi, 4096,
					NULL));
	EXPECT_REJECTED(EINVAL, memslot(self->fd, self->vm, 0, hi + 1, 4096,
					NULL));
	EXPECT_REJECTED(EINVAL, memslot(self->fd, self->vm, 0, hi, 4097,
					NULL));
	EXPECT_REJECTED(EINVAL, memslot(self->fd, self->vm, 0, hi, 0, NULL));
	EXPECT_REJECTED(EINVAL, memslot(self->fd, self->vm, -4096ULL, hi,
					8192, NULL));
	EXPECT_REJECTED(EINVAL, memslot(self->fd, self->vm, 1ULL << 46, hi,
					4096, NULL));
	/* Overlaps the slot at 1 GiB, at either end. */
	EXPECT_REJECTED(EEXIST, memslot(self->fd, self->vm,
					(1UL << 30) - 4096, hi, 8192, NULL));
	EXPECT_REJECTED(EEXIST, memslot(self->fd, self->vm,
					(1UL << 30) + MEM_LEN / 2 - 4096, hi,
					4096, NULL));
	EXPECT_REJECTED(ENOENT, memslot(self->fd, self->vm + 1, 0, hi, 4096,
					NULL));
	EXPECT_REJECTED(EFAULT, ioctl(self->fd, NESTWALK_IOC_MEMSLOT,
				      (void *)8));

	/* Memory that is not mapped, or not writable, cannot be pinned. */
	ASSERT_EQ(0, munmap(hi + 4096, 4096));
	EXPECT_REJECTED(EFAULT, memslot(self->fd, self->vm, 0, hi, 8192,
					NULL));
	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	EXPECT_REJECTED(EFAULT, memslot(self->fd, self->vm, 0, ro, 4096,
					NULL));
	munmap(ro, 4096);

	/* The valid request still works after all that. */
	EXPECT_EQ(0, memslot(self->fd, self->vm, 0, hi, 4096, &m));
	EXPECT_EQ(1, m.slot_id);
	EXPECT_EQ(1, m.host_4k);
}

NWT_TEST_F(session, memslot_limit)
{
	char *hi = self->mem + MEM_LEN / 2;
	long long max = nwt_read_ll("/sys/module/nestwalk/parameters/max_memslots");
	long long i;

	ASSERT_LT(0, max);
	ASSERT_GE(MEM_LEN / 2 / 4096, max - 1)
		TH_LOG("test memory too small for %lld slots", max);
	/* Slot 0 exists; fill up to the limit, one page each. */
	for (i = 1; i < max; i++)
		ASSERT_EQ(0, memslot(self->fd, self->vm, i * 4096,
				     hi + (i - 1) * 4096, 4096, NULL));
	EXPECT_REJECTED(ENOSPC, memslot(self->fd, self->vm, max * 4096, hi,
					4096, NULL));
}

NWT_TEST_F(session, vm_validation)
{
	struct nestwalk_vm_create c;
	char vms[160];
	__u64 id = 0;
	int i;

	nwt_newest_session(vms, sizeof(vms));
	strcat(vms, "/vms");
#define VM_REJECTED(err, ...) do {					\
	char *before = strdup(nwt_file(vms));				\
									\
	c = (struct nestwalk_vm_create){ .size = sizeof(c),		\
		.mode = NESTWALK_MODE_EPT, .guest_levels = 4,		\
		.host_levels = 4, __VA_ARGS__ };			\
	EXPECT_EQ(-1, ioctl(self->fd, NESTWALK_IOC_VM_CREATE, &c));	\
	EXPECT_EQ(err, errno);						\
	EXPECT_STREQ(before, nwt_file(vms));				\
	free(before);							\
} while (0)
	VM_REJECTED(EINVAL, .mode = 4);
	VM_REJECTED(EINVAL, .guest_levels = 3);
	VM_REJECTED(EINVAL, .host_levels = 6);
	VM_REJECTED(EINVAL, .mode = NESTWALK_MODE_NATIVE, .host_levels = 4);
	VM_REJECTED(EINVAL, .vpid = 65536);
	VM_REJECTED(EINVAL, .max_leaf = 4);
	VM_REJECTED(EINVAL, .flags = NESTWALK_VM_FLAGS + 1);
	VM_REJECTED(EINVAL, .mode = NESTWALK_MODE_NPT,
		    .flags = NESTWALK_VM_EPT_AD);
	/* PKRU: 32 bits (SDM 4.6.2), only with CR4.PKE; no PKU in shadow. */
	VM_REJECTED(EINVAL, .pkru = 4);
	VM_REJECTED(EINVAL, .flags = NESTWALK_VM_PKE, .pkru = 1ULL << 32);
	VM_REJECTED(EOPNOTSUPP, .mode = NESTWALK_MODE_SHADOW,
		    .host_levels = 0, .flags = NESTWALK_VM_PKE);
	VM_REJECTED(EINVAL, .reserved[0] = 1);
	/* VPID 1 is the fixture's VM. */
	VM_REJECTED(EEXIST, .vpid = 1);

	for (i = 1; i < 8; i++)
		ASSERT_EQ(0, vm_create(self->fd, NESTWALK_MODE_SHADOW, 0, &id));
	EXPECT_EQ(7, id);
	VM_REJECTED(ENOSPC, .vpid = 0);
#undef VM_REJECTED
}

/* A VM whose id cannot be written back is not created. */
NWT_TEST_F(session, vm_create_undone_on_efault)
{
	struct nestwalk_vm_create *c;
	__u64 id;

	c = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, c);
	*c = (struct nestwalk_vm_create){ .size = sizeof(*c),
		.mode = NESTWALK_MODE_NATIVE, .guest_levels = 4 };
	ASSERT_EQ(0, mprotect(c, 4096, PROT_READ));
	EXPECT_EQ(-1, ioctl(self->fd, NESTWALK_IOC_VM_CREATE, c));
	EXPECT_EQ(EFAULT, errno);
	munmap(c, 4096);
	ASSERT_EQ(0, vm_create(self->fd, NESTWALK_MODE_NATIVE, 0, &id));
	EXPECT_EQ(self->vm + 1, id);
}

/* Drop CAP_IPC_LOCK from the effective set, keeping the rest. */
static int drop_ipc_lock(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[CAP_IPC_LOCK / 32].effective &= ~(1U << (CAP_IPC_LOCK % 32));
	return syscall(SYS_capset, &h, d);
}

static long long vmlck_kb(void)
{
	char line[128];
	long long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmLck:", 6))
			v = atoll(line + 6);
	fclose(f);
	return v;
}

/* Pinned pages are charged to RLIMIT_MEMLOCK like mlock()ed ones. */
NWT_TEST_F(session, rlimit_memlock_enforced)
{
	struct rlimit rl = { .rlim_cur = 64 << 10, .rlim_max = 64 << 10 };
	char *hi = self->mem + MEM_LEN / 2;
	long long lck;
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* The fixture's slot was charged to the parent's mm. */
		lck = vmlck_kb();
		if (setrlimit(RLIMIT_MEMLOCK, &rl) || drop_ipc_lock())
			_exit(10);
		/* 32 pages > 64 KiB: refused, nothing charged. */
		if (memslot(self->fd, self->vm, 0, hi, 32 * 4096, NULL) != -1 ||
		    errno != ENOMEM || vmlck_kb() != lck)
			_exit(11);
		/* 8 pages fit, and show in VmLck. */
		if (memslot(self->fd, self->vm, 0, hi, 8 * 4096, NULL) ||
		    vmlck_kb() != lck + 32)
			_exit(12);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("10: setup failed, 11: over-limit slot accepted, 12: within-limit slot refused or not charged");
}

NWT_TEST_F(session, map_validation)
{
	struct nestwalk_map m = {
		.size = sizeof(m), .vm_id = self->vm, .gva = 1UL << 30,
		.gpa = 1UL << 30, .length = 4096, .leaf = NESTWALK_PAGE_4K,
	};
	struct nestwalk_map bad;

#define MAP_REJECTED(err, field, value) do {				\
	bad = m;							\
	bad.field = value;						\
	EXPECT_REJECTED(err, ioctl(self->fd, NESTWALK_IOC_MAP, &bad));	\
} while (0)
	MAP_REJECTED(EINVAL, flags, 1);
	MAP_REJECTED(EINVAL, reserved[6], 1);
	MAP_REJECTED(EINVAL, prot, 8);
	MAP_REJECTED(EINVAL, pcid, 4096);
	MAP_REJECTED(EINVAL, leaf, 0);
	MAP_REJECTED(EINVAL, leaf, 4);
	MAP_REJECTED(EINVAL, gva, (1UL << 30) + 512);
	MAP_REJECTED(EINVAL, gpa, (1UL << 30) + 512);
	MAP_REJECTED(EINVAL, length, 0);
	MAP_REJECTED(EINVAL, length, 4095);
	MAP_REJECTED(EINVAL, leaf, NESTWALK_PAGE_2M);
	MAP_REJECTED(EINVAL, gva, -4096ULL);
	MAP_REJECTED(ENOENT, vm_id, 5);
#undef MAP_REJECTED
	EXPECT_EQ(0, ioctl(self->fd, NESTWALK_IOC_MAP, &m));
}

NWT_REQUIRE(NWT_ROOT | NWT_MODULE | NWT_DEBUGFS)

TEST_HARNESS_MAIN
