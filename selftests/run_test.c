// SPDX-License-Identifier: GPL-2.0
/*
 * nestwalk selftests: runs of the model over real memory. With every cache
 * off, a nested 4-level over 4-level walk reads 24 entries when the guest's
 * memory is backed by 4 KiB pages, and 19 when it is backed by 2 MiB
 * hugetlb pages (each host walk ends one level higher); the device and
 * debugfs report the same counters.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/nestwalk.h>

#include "kselftest_harness.h"
#include "nwtest.h"

#define MEM		(16 * SZ_2M)	/* guest memory */
#define GPT_SIZE	SZ_2M		/* guest page tables, at gpa 0 */
#define DATA_GPA	SZ_2M
#define DATA_LEN	(8 * SZ_2M)
#define GVA		0x40000000UL
#define NPAGES		(DATA_LEN / 4096)

/* The whole of debugfs file @dir/@name. */
static const char *file_of(const char *dir, const char *name)
{
	char path[192];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return nwt_file(path);
}

/* Line number of counter @name in @dir/stats, and its value in @dbg. */
static int counter_index(const char *dir, const char *name, long long *dbg)
{
	char path[192];
	int line = -1;

	snprintf(path, sizeof(path), "%s/stats", dir);
	*dbg = nwt_value(path, name, &line);
	return line;
}

enum backing { B_4K, B_HUGETLB, B_THP };

FIXTURE(nested) {
	int fd;
	void *mem;
	long long saved_pool;
	char dir[128];
	struct nestwalk_access *acc;
};

FIXTURE_VARIANT(nested) {
	enum backing kind;
	int refs_per_walk;
	__u64 mode;
};

FIXTURE_VARIANT_ADD(nested, ept4x4_host4k) {
	.kind = B_4K, .refs_per_walk = 24, .mode = NESTWALK_MODE_EPT,
};

FIXTURE_VARIANT_ADD(nested, ept4x4_host2m_hugetlb) {
	.kind = B_HUGETLB, .refs_per_walk = 19, .mode = NESTWALK_MODE_EPT,
};

FIXTURE_VARIANT_ADD(nested, ept4x4_host2m_thp) {
	.kind = B_THP, .refs_per_walk = 19, .mode = NESTWALK_MODE_EPT,
};

FIXTURE_VARIANT_ADD(nested, npt4x4_host4k) {
	.kind = B_4K, .refs_per_walk = 24, .mode = NESTWALK_MODE_NPT,
};

FIXTURE_VARIANT_ADD(nested, npt4x4_host2m_hugetlb) {
	.kind = B_HUGETLB, .refs_per_walk = 19, .mode = NESTWALK_MODE_NPT,
};

/* Counter @name of the session on @fd, from the device, checked against
 * debugfs @dir/stats: its value, its index and the name the device gives.
 */
static __u64 counter_of(struct __test_metadata *_metadata, int fd,
			const char *dir, const char *name)
{
	static char names[128][NESTWALK_STAT_NAME_LEN];
	__u64 values[128];
	struct nestwalk_stats st = {
		.size = sizeof(st), .values = (unsigned long)values,
		.count = 128, .names = (unsigned long)names,
	};
	long long dbg = -1;
	int i;

	memset(names, 0xff, sizeof(names));
	EXPECT_EQ(0, ioctl(fd, NESTWALK_IOC_STATS, &st));
	EXPECT_GE(128, st.count);
	EXPECT_LT(NESTWALK_STAT_MCYCLES, st.count);
	/* enum nestwalk_stat indexes the device's order. */
	EXPECT_STREQ("walks", names[NESTWALK_STAT_WALKS]);
	EXPECT_STREQ("mcycles", names[NESTWALK_STAT_MCYCLES]);
	i = counter_index(dir, name, &dbg);
	EXPECT_LE(0, i) TH_LOG("no counter %s in debugfs", name);
	if (i < 0 || i >= (int)st.count)
		return ~0ULL;
	EXPECT_STREQ(name, names[i]);
	EXPECT_EQ((__u64)dbg, values[i]) TH_LOG("%s differs", name);
	return values[i];
}

#define counter(_m, self, name)	counter_of(_m, (self)->fd, (self)->dir, name)
#define read_stats(_m, self)	do { } while (0)

FIXTURE_SETUP(nested)
{
	struct nestwalk_config cfg = {
		.size = sizeof(cfg), .preset = NESTWALK_PRESET_SKYLAKE,
		.flags = NESTWALK_CFG_NO_TLB | NESTWALK_CFG_NO_PWC |
			 NESTWALK_CFG_NO_HPWC | NESTWALK_CFG_NO_NTLB,
	};
	struct nestwalk_vm_create vc = {
		.size = sizeof(vc), .mode = variant->mode, .vpid = 1,
		.guest_levels = 4, .host_levels = 4,
		.gpt_base = 0, .gpt_size = GPT_SIZE,
	};
	struct nestwalk_memslot ms = {
		.size = sizeof(ms), .gpa = 0, .memory_size = MEM,
	};
	struct nestwalk_map map = {
		.size = sizeof(map), .pcid = 0, .gva = GVA, .gpa = DATA_GPA,
		.length = DATA_LEN, .leaf = NESTWALK_PAGE_4K,
		.prot = NESTWALK_PROT_WRITE,
	};
	unsigned long i;

	self->fd = -1;
	self->saved_pool = -1;
	self->mem = MAP_FAILED;
	self->acc = NULL;
	if (geteuid())
		NWT_SETUP_SKIP(return, "must be root");
	if (access(NW_DEV, F_OK))
		NWT_SETUP_SKIP(return, NW_DEV " missing: module not loaded");

	if (variant->kind == B_HUGETLB) {
		if (nwt_read_ll("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages") < 0)
			NWT_SETUP_SKIP(return, "no 2 MiB hugetlb pool on this kernel");
		self->saved_pool = nwt_read_ll(NR_HUGEPAGES);
		ASSERT_LE(0, self->saved_pool);
		ASSERT_EQ(0, nwt_write_ll(NR_HUGEPAGES,
				      self->saved_pool + MEM / SZ_2M));
		if (nwt_read_ll(NR_HUGEPAGES) < self->saved_pool + (long long)(MEM / SZ_2M))
			NWT_SETUP_SKIP(return,
				       "kernel granted %lld hugepages, %lld asked",
				       nwt_read_ll(NR_HUGEPAGES),
				       self->saved_pool + (long long)(MEM / SZ_2M));
		self->mem = mmap(NULL, MEM, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB,
				 -1, 0);
	} else if (variant->kind == B_THP) {
		if (access(THP_ENABLED, R_OK))
			NWT_SETUP_SKIP(return, "kernel without transparent hugepages");
		if (nwt_thp_never())
			NWT_SETUP_SKIP(return, "THP disabled: " THP_ENABLED " is never");
		self->mem = nwt_map_2m_aligned(MEM);
		if (self->mem != MAP_FAILED) {
			ASSERT_EQ(0, madvise(self->mem, MEM, MADV_HUGEPAGE));
		}
	} else {
		self->mem = mmap(NULL, MEM, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (self->mem != MAP_FAILED) {
			ASSERT_EQ(0, madvise(self->mem, MEM, MADV_NOHUGEPAGE));
		}
	}
	ASSERT_NE(MAP_FAILED, self->mem);
	memset(self->mem, 0, MEM);

	self->fd = open(NW_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	nwt_newest_session(self->dir, sizeof(self->dir));
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_CONFIG, &cfg));
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_VM_CREATE, &vc));
	ms.vm_id = vc.vm_id;
	ms.userspace_addr = (unsigned long)self->mem;
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_MEMSLOT, &ms));
	if (variant->kind == B_HUGETLB) {
		ASSERT_EQ(MEM / SZ_2M, ms.host_2m);
	} else if (variant->kind == B_THP) {
		/* memslot_test matches this report against smaps. */
		if (ms.host_2m != MEM / SZ_2M)
			NWT_SETUP_SKIP(return,
				       "kernel granted %llu of %lu THPs",
				       (unsigned long long)ms.host_2m, MEM / SZ_2M);
	} else {
		ASSERT_EQ(MEM / 4096, ms.host_4k);
	}
	map.vm_id = vc.vm_id;
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_MAP, &map))
		TH_LOG("map: %s", strerror(errno));

	self->acc = calloc(NPAGES, sizeof(*self->acc));
	ASSERT_NE(NULL, self->acc);
	for (i = 0; i < NPAGES; i++) {
		self->acc[i].gva = GVA + i * 4096 + (i % 512) * 8;
		self->acc[i].attr = NESTWALK_ACCESS(0, NESTWALK_READ);
	}
}

FIXTURE_TEARDOWN(nested)
{
	free(self->acc);
	if (self->fd >= 0)
		close(self->fd);
	if (self->mem != MAP_FAILED)
		munmap(self->mem, MEM);
	if (self->saved_pool >= 0)
		EXPECT_EQ(0, nwt_write_ll(NR_HUGEPAGES, self->saved_pool));
}

static int run(int fd, struct nestwalk_access *acc, __u64 n, __u64 *done)
{
	struct nestwalk_run r = {
		.size = sizeof(r), .vm_id = 0,
		.accesses = (unsigned long)acc, .count = n,
	};
	int ret = ioctl(fd, NESTWALK_IOC_RUN, &r);

	*done = r.done;
	return ret;
}

NWT_TEST_F(nested, uncached_references_per_walk)
{
	__u64 done, walks, refs, guest, host;
	char name[32], want[64];
	int l;

	/* The first pass builds the EPT lazily, as KVM does. */
	ASSERT_EQ(0, run(self->fd, self->acc, NPAGES, &done));
	ASSERT_EQ(NPAGES, done);
	read_stats(_metadata, self);
	/* Fixed violations count as pf_fixed; ept_violation is unfixable. */
	EXPECT_EQ(0, counter(_metadata, self, "ept_violation"));
	if (variant->kind != B_4K) {
		/* One 2 MiB leaf per data page, one for the guest tables. */
		EXPECT_EQ(DATA_LEN / SZ_2M + 1,
			  counter(_metadata, self, "pf_fixed"));
	} else {
		/* One per data page, plus the guest table pages. */
		EXPECT_LE(NPAGES, counter(_metadata, self, "pf_fixed"));
	}

	/* The second pass walks a complete EPT: every walk is uncached. */
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_RESET, 0));
	ASSERT_EQ(0, run(self->fd, self->acc, NPAGES, &done));
	ASSERT_EQ(NPAGES, done);
	read_stats(_metadata, self);
	walks = counter(_metadata, self, "walks");
	refs = counter(_metadata, self, "walk_refs");
	EXPECT_EQ(NPAGES, counter(_metadata, self, "accesses"));
	EXPECT_EQ(NPAGES, walks);
	EXPECT_EQ(0, counter(_metadata, self, "ept_violation"));
	EXPECT_EQ(variant->refs_per_walk * walks, refs);

	for (guest = host = 0, l = 1; l <= 5; l++) {
		snprintf(name, sizeof(name), "guest_refs_l%d", l);
		guest += counter(_metadata, self, name);
		snprintf(name, sizeof(name), "host_refs_l%d", l);
		host += counter(_metadata, self, name);
	}
	EXPECT_EQ(4 * walks, guest);
	EXPECT_EQ(refs - guest, host);
	/* Every walk read the same number of entries. */
	snprintf(want, sizeof(want), "refs %d walks %llu\n",
		 variant->refs_per_walk, (unsigned long long)walks);
	EXPECT_STREQ(want, file_of(self->dir, "walks"));

	if (variant->kind != B_4K) {
		EXPECT_EQ(0, counter(_metadata, self, "pages_4k"));
		EXPECT_LT(0, counter(_metadata, self, "pages_2m"));
	} else {
		EXPECT_LT(0, counter(_metadata, self, "pages_4k"));
		EXPECT_EQ(0, counter(_metadata, self, "pages_2m"));
	}
	TH_LOG("%llu walks, %llu references: %.2f per walk",
	       (unsigned long long)walks, (unsigned long long)refs,
	       walks ? (double)refs / walks : 0.0);
}

/* Documentation/walkthrough.rst, step 6 and 7: the generator's way. */
NWT_TEST_F(nested, walkthrough_generate)
{
	struct nestwalk_generate g = {
		.size = sizeof(g), .vm_id = 0,
		.pattern = NESTWALK_GEN_STRIDED, .base = GVA,
		.length = DATA_LEN, .stride = 4096, .count = NPAGES,
	};
	__u64 deltas[128];
	long long dbg;
	char want[64];
	int i;

	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_GENERATE, &g));
	if (variant->kind != B_4K)
		EXPECT_EQ(DATA_LEN / SZ_2M + 1,
			  counter(_metadata, self, "pf_fixed"));
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_RESET, 0));
	/* This time with the run's own counter deltas. */
	g.deltas = (unsigned long)deltas;
	g.ndeltas = 128;
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_GENERATE, &g));
	EXPECT_EQ(NPAGES, g.done);
	EXPECT_EQ(NPAGES, counter(_metadata, self, "walks"));
	i = counter_index(self->dir, "walks", &dbg);
	ASSERT_LE(0, i);
	ASSERT_LT(i, (int)g.ndeltas);
	EXPECT_EQ(NPAGES, deltas[i]);
	EXPECT_EQ(variant->refs_per_walk * NPAGES,
		  counter(_metadata, self, "walk_refs"));
	snprintf(want, sizeof(want), "refs %d walks %lu\n",
		 variant->refs_per_walk, NPAGES);
	EXPECT_STREQ(want, file_of(self->dir, "walks"));
}

NWT_TEST_F(nested, config_after_vm_is_busy)
{
	struct nestwalk_config cfg = {
		.size = sizeof(cfg), .preset = NESTWALK_PRESET_NEHALEM,
	};

	EXPECT_EQ(-1, ioctl(self->fd, NESTWALK_IOC_CONFIG, &cfg));
	EXPECT_EQ(EBUSY, errno);
}

NWT_TEST_F(nested, run_rejects_bad_records)
{
	__u64 done;

	self->acc[10].attr = NESTWALK_ACCESS(0, 3);
	EXPECT_EQ(-1, run(self->fd, self->acc, 20, &done));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, done);
	EXPECT_EQ(-1, run(self->fd, (void *)8, 20, &done));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, run(self->fd, self->acc, NESTWALK_RUN_MAX + 1, &done));
	EXPECT_EQ(EINVAL, errno);
}

/*
 * One-dimensional walks: native paging reads one entry per level; shadow
 * paging, once its table is filled, reads the shadow's four and nothing of
 * the guest's, and pays a trap for every later write to a guest PTE the
 * shadow was built from.
 */
FIXTURE(onedim) {
	int fd;
	void *mem;
	char dir[128];
	struct nestwalk_access *acc;
	__u64 vm;
};

FIXTURE_VARIANT(onedim) {
	__u64 mode;
	__u64 levels;
};

FIXTURE_VARIANT_ADD(onedim, native4) {
	.mode = NESTWALK_MODE_NATIVE, .levels = 4,
};

FIXTURE_VARIANT_ADD(onedim, native5) {
	.mode = NESTWALK_MODE_NATIVE, .levels = 5,
};

FIXTURE_VARIANT_ADD(onedim, shadow4) {
	.mode = NESTWALK_MODE_SHADOW, .levels = 4,
};

static int map(int fd, __u64 vm, __u64 gva, __u64 gpa, __u64 len)
{
	struct nestwalk_map m = {
		.size = sizeof(m), .vm_id = vm, .gva = gva, .gpa = gpa,
		.length = len, .leaf = NESTWALK_PAGE_4K,
		.prot = NESTWALK_PROT_WRITE,
	};

	return ioctl(fd, NESTWALK_IOC_MAP, &m);
}

FIXTURE_SETUP(onedim)
{
	struct nestwalk_config cfg = {
		.size = sizeof(cfg), .preset = NESTWALK_PRESET_SKYLAKE,
		.flags = NESTWALK_CFG_NO_TLB | NESTWALK_CFG_NO_PWC |
			 NESTWALK_CFG_NO_HPWC | NESTWALK_CFG_NO_NTLB |
			 NESTWALK_CFG_CAPS,
		/* Skylake has no 5-level paging: add it. */
		.cpu_caps = NESTWALK_CAPS,
	};
	struct nestwalk_vm_create vc = {
		.size = sizeof(vc), .mode = variant->mode,
		.guest_levels = variant->levels,
		.gpt_base = 0, .gpt_size = GPT_SIZE,
	};
	struct nestwalk_memslot ms = {
		.size = sizeof(ms), .gpa = 0, .memory_size = MEM,
	};
	unsigned long i;

	self->fd = -1;
	self->acc = NULL;
	self->mem = MAP_FAILED;
	if (geteuid())
		NWT_SETUP_SKIP(return, "must be root");
	if (access(NW_DEV, F_OK))
		NWT_SETUP_SKIP(return, NW_DEV " missing: module not loaded");
	self->mem = mmap(NULL, MEM, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->mem);
	self->fd = open(NW_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	nwt_newest_session(self->dir, sizeof(self->dir));
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_CONFIG, &cfg));
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_VM_CREATE, &vc));
	self->vm = vc.vm_id;
	ms.vm_id = vc.vm_id;
	ms.userspace_addr = (unsigned long)self->mem;
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_MEMSLOT, &ms));
	ASSERT_EQ(0, map(self->fd, self->vm, GVA, DATA_GPA, DATA_LEN))
		TH_LOG("map: %s", strerror(errno));
	self->acc = calloc(NPAGES, sizeof(*self->acc));
	ASSERT_NE(NULL, self->acc);
	for (i = 0; i < NPAGES; i++) {
		self->acc[i].gva = GVA + i * 4096;
		self->acc[i].attr = NESTWALK_ACCESS(0, NESTWALK_READ);
	}
}

FIXTURE_TEARDOWN(onedim)
{
	free(self->acc);
	if (self->fd >= 0)
		close(self->fd);
	if (self->mem != MAP_FAILED)
		munmap(self->mem, MEM);
}

NWT_TEST_F(onedim, references_per_walk)
{
	__u64 done, walks, refs;

	/* Shadow mode fills its table on first touch (hidden faults). */
	ASSERT_EQ(0, run(self->fd, self->acc, NPAGES, &done));
	if (variant->mode == NESTWALK_MODE_SHADOW)
		EXPECT_LE(NPAGES, counter(_metadata, self, "pf_fixed"));
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_RESET, 0));
	ASSERT_EQ(0, run(self->fd, self->acc, NPAGES, &done));
	ASSERT_EQ(NPAGES, done);
	walks = counter(_metadata, self, "walks");
	refs = counter(_metadata, self, "walk_refs");
	EXPECT_EQ(NPAGES, walks);
	EXPECT_EQ(variant->levels * walks, refs);
	EXPECT_EQ(0, counter(_metadata, self, "pf_fixed"));
	EXPECT_EQ(0, counter(_metadata, self, "guest_pf"));
	TH_LOG("%llu walks, %llu references: %.2f per walk",
	       (unsigned long long)walks, (unsigned long long)refs,
	       walks ? (double)refs / walks : 0.0);
}

/*
 * Records that end on the next page translate both pages (SDM 4.10.2.3):
 * with no TLB, two walks each, one access and one page_cross each; one
 * that ends past the mapped range faults as a whole; a record larger
 * than a page is refused.
 */
NWT_TEST_F(onedim, page_crossing_records)
{
	const __u64 n = 64;
	__u64 done, i;

	ASSERT_EQ(0, run(self->fd, self->acc, NPAGES, &done));
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_RESET, 0));
	for (i = 0; i < n; i++) {
		self->acc[i].gva = GVA + i * 4096 + 4092;
		self->acc[i].attr = NESTWALK_ACCESS(0, NESTWALK_READ) |
				    NESTWALK_ACCESS_SIZE(8);
	}
	ASSERT_EQ(0, run(self->fd, self->acc, n, &done));
	EXPECT_EQ(n, counter(_metadata, self, "page_cross"));
	EXPECT_EQ(n, counter(_metadata, self, "reads"));
	EXPECT_EQ(2 * n, counter(_metadata, self, "walks"));
	EXPECT_EQ(0, counter(_metadata, self, "guest_pf"));
	/* The last page's end: the next page is not mapped. */
	self->acc[0].gva = GVA + DATA_LEN - 2;
	ASSERT_EQ(0, run(self->fd, self->acc, 1, &done));
	EXPECT_EQ(1, counter(_metadata, self, "guest_pf"));
	EXPECT_EQ(n + 1, counter(_metadata, self, "page_cross"));
	self->acc[0].attr = NESTWALK_ACCESS(0, NESTWALK_READ) |
			    NESTWALK_ACCESS_SIZE(4097);
	EXPECT_EQ(-1, run(self->fd, self->acc, 1, &done));
	EXPECT_EQ(EINVAL, errno);
	for (i = 0; i < n; i++)
		self->acc[i].attr = NESTWALK_ACCESS(0, NESTWALK_READ);
}

/*
 * Shadow paging as KVM's: the first write to a guest PT that only
 * last-level shadow pages use is one fault that lets the page go unsync
 * (mmu_try_to_unsync_pages()); the other 15 writes are free. A flushing
 * CR3 load syncs it (kvm_invalidate_pcid()): the 16 remapped entries go
 * and refill on their next touch, and only they. Native paging: no exit.
 */
NWT_TEST_F(onedim, pte_writes_after_fill)
{
	const __u64 remapped = 16;
	bool shadow = variant->mode == NESTWALK_MODE_SHADOW;
	struct nestwalk_invalidate cr3 = {
		.size = sizeof(cr3), .op = NESTWALK_INV_MOV_CR3,
		.vm_id = self->vm,
	};
	__u64 done;

	ASSERT_EQ(0, run(self->fd, self->acc, NPAGES, &done));
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_RESET, 0));
	/* Point 16 already-used pages elsewhere: 16 guest PTE writes. */
	ASSERT_EQ(0, map(self->fd, self->vm, GVA, DATA_GPA + DATA_LEN,
			 remapped * 4096));
	EXPECT_EQ(0, counter(_metadata, self, "mmu_pte_write"));
	EXPECT_EQ(shadow, counter(_metadata, self, "exits"));
	EXPECT_EQ(shadow, counter(_metadata, self, "mmu_unsync"));
	EXPECT_EQ(0, counter(_metadata, self, "mmu_shadow_zapped"));
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_INVALIDATE, &cr3));
	EXPECT_EQ(0, counter(_metadata, self, "mmu_unsync"));
	EXPECT_EQ(shadow, counter(_metadata, self, "tlb_flush"));
	ASSERT_EQ(0, run(self->fd, self->acc, NPAGES, &done));
	/* The unsync write fault was fixed too (KVM: RET_PF_FIXED). */
	EXPECT_EQ(shadow ? remapped + 1 : 0,
		  counter(_metadata, self, "pf_fixed"));
}

/*
 * TLB tags in a running machine: two VMs alternate on one simulated CPU
 * (nehalem preset, every cache on), each with a working set well inside
 * the TLB's reach. With VPID, a VM comes back to its own entries; without,
 * every VM entry and exit flushes them and it starts cold again.
 */
#define WS_PAGES	128

FIXTURE(two_vms) {
	int fd;
	void *mem[2];
	char dir[128];
	struct nestwalk_access acc[WS_PAGES];
};

FIXTURE_VARIANT(two_vms) {
	__u64 vpid[2];
};

FIXTURE_VARIANT_ADD(two_vms, vpid_on) { .vpid = { 1, 2 } };
FIXTURE_VARIANT_ADD(two_vms, vpid_off) { .vpid = { 0, 0 } };

FIXTURE_SETUP(two_vms)
{
	struct nestwalk_config cfg = {
		.size = sizeof(cfg), .preset = NESTWALK_PRESET_NEHALEM,
	};
	int v, i;

	self->fd = -1;
	self->mem[0] = self->mem[1] = MAP_FAILED;
	if (geteuid())
		NWT_SETUP_SKIP(return, "must be root");
	if (access(NW_DEV, F_OK))
		NWT_SETUP_SKIP(return, NW_DEV " missing: module not loaded");
	self->fd = open(NW_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	nwt_newest_session(self->dir, sizeof(self->dir));
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_CONFIG, &cfg));
	for (v = 0; v < 2; v++) {
		struct nestwalk_vm_create vc = {
			.size = sizeof(vc), .mode = NESTWALK_MODE_EPT,
			.vpid = variant->vpid[v], .guest_levels = 4,
			.host_levels = 4, .gpt_size = GPT_SIZE,
		};
		struct nestwalk_memslot ms = {
			.size = sizeof(ms), .memory_size = MEM,
		};

		self->mem[v] = mmap(NULL, MEM, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, self->mem[v]);
		ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_VM_CREATE, &vc));
		ASSERT_EQ(v, vc.vm_id);
		ms.vm_id = v;
		ms.userspace_addr = (unsigned long)self->mem[v];
		ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_MEMSLOT, &ms));
		ASSERT_EQ(0, map(self->fd, v, GVA, DATA_GPA, DATA_LEN));
	}
	for (i = 0; i < WS_PAGES; i++) {
		self->acc[i].gva = GVA + i * 4096UL;
		self->acc[i].attr = NESTWALK_ACCESS(0, NESTWALK_READ);
	}
}

FIXTURE_TEARDOWN(two_vms)
{
	int v;

	if (self->fd >= 0)
		close(self->fd);
	for (v = 0; v < 2; v++)
		if (self->mem[v] != MAP_FAILED)
			munmap(self->mem[v], MEM);
}

static int run_vm(int fd, __u64 vm, struct nestwalk_access *acc, __u64 n)
{
	struct nestwalk_run r = {
		.size = sizeof(r), .vm_id = vm,
		.accesses = (unsigned long)acc, .count = n,
	};

	return ioctl(fd, NESTWALK_IOC_RUN, &r);
}

static int count_of(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay++;
	}
	return n;
}

NWT_TEST_F(two_vms, misses_after_vm_switch)
{
	__u64 want = variant->vpid[0] ? 0 : WS_PAGES;
	char tag[32];
	int round;

	/* Warm both: the first pass also builds each EPT. */
	ASSERT_EQ(0, run_vm(self->fd, 0, self->acc, WS_PAGES));
	ASSERT_EQ(0, run_vm(self->fd, 1, self->acc, WS_PAGES));
	for (round = 0; round < 3; round++) {
		ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_RESET, 0));
		ASSERT_EQ(0, run_vm(self->fd, round & 1, self->acc,
				    WS_PAGES));
		EXPECT_EQ(want, counter(_metadata, self, "tlb_miss"));
		EXPECT_EQ(1, counter(_metadata, self, "exits"));
	}
	/* The working set is in the TLB, tagged with the VM's VPID. */
	snprintf(tag, sizeof(tag), " size 4k vpid %llu ",
		 (unsigned long long)variant->vpid[0]);
	EXPECT_EQ(WS_PAGES, count_of(file_of(self->dir, "tlb"), tag));
	EXPECT_NE(NULL, strstr(file_of(self->dir, "config"),
			       "preset nehalem\ntlb 1\n"));
	/* Staying in one VM costs nothing, with or without VPID. */
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_RESET, 0));
	ASSERT_EQ(0, run_vm(self->fd, 0, self->acc, WS_PAGES));
	EXPECT_EQ(0, counter(_metadata, self, "tlb_miss"));
	EXPECT_EQ(0, counter(_metadata, self, "exits"));
}

static int inval(int fd, __u64 op, __u64 type, __u64 vm, __u64 vpid,
		 __u64 addr)
{
	struct nestwalk_invalidate iv = {
		.size = sizeof(iv), .op = op, .type = type, .vm_id = vm,
		.vpid = vpid, .addr = addr,
	};

	return ioctl(fd, NESTWALK_IOC_INVALIDATE, &iv);
}

NWT_TEST_F(two_vms, invlpg_and_invvpid)
{
	ASSERT_EQ(0, run_vm(self->fd, 0, self->acc, WS_PAGES));
	ASSERT_EQ(0, run_vm(self->fd, 0, self->acc, WS_PAGES));
	/* INVLPG in the guest: that page, and only it, misses. */
	ASSERT_EQ(0, inval(self->fd, NESTWALK_INV_INVLPG, 0, 0, 0,
			   GVA + 5 * 4096));
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_RESET, 0));
	ASSERT_EQ(0, run_vm(self->fd, 0, self->acc, WS_PAGES));
	EXPECT_EQ(1, counter(_metadata, self, "tlb_miss"));

	if (!variant->vpid[0])
		return;
	/* INVVPID single context of the other VM's VPID: no effect here. */
	ASSERT_EQ(0, inval(self->fd, NESTWALK_INV_INVVPID, 1, 0,
			   variant->vpid[1], 0));
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_RESET, 0));
	ASSERT_EQ(0, run_vm(self->fd, 0, self->acc, WS_PAGES));
	EXPECT_EQ(0, counter(_metadata, self, "tlb_miss"));
	/* Of its own: everything misses once. */
	ASSERT_EQ(0, inval(self->fd, NESTWALK_INV_INVVPID, 1, 0,
			   variant->vpid[0], 0));
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_RESET, 0));
	ASSERT_EQ(0, run_vm(self->fd, 0, self->acc, WS_PAGES));
	EXPECT_EQ(WS_PAGES, counter(_metadata, self, "tlb_miss"));
}

NWT_TEST_F(two_vms, invalidate_validation)
{
	EXPECT_EQ(-1, inval(self->fd, 7, 0, 0, 0, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, inval(self->fd, NESTWALK_INV_INVPCID, 4, 0, 0, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, inval(self->fd, NESTWALK_INV_INVLPG, 0, 9, 0, 0));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, inval(self->fd, NESTWALK_INV_INVVPID, 1, 0, 0, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, inval(self->fd, NESTWALK_INV_MOV_CR3, 2, 0, 0, 0));
	EXPECT_EQ(EINVAL, errno);
}

/* The in-kernel generator: counted, and the same for the same seed. */
NWT_TEST_F(two_vms, generator_is_deterministic)
{
	struct nestwalk_generate g = {
		.size = sizeof(g), .vm_id = 0,
		.pattern = NESTWALK_GEN_ZIPF, .base = GVA, .length = DATA_LEN,
		.theta_milli = 990, .write_pct = 30, .seed = 42,
		.count = 200000,
	};
	__u64 misses[2], writes[2];
	int i;

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_RESET, 0));
		/* Start from the same (flushed) state both times. */
		ASSERT_EQ(0, inval(self->fd, NESTWALK_INV_INVVPID, 2, 0, 0, 0));
		ASSERT_EQ(0, inval(self->fd, NESTWALK_INV_INVEPT, 2, 0, 0, 0));
		ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_GENERATE, &g));
		EXPECT_EQ(g.count, g.done);
		EXPECT_EQ(g.count, counter(_metadata, self, "accesses"));
		misses[i] = counter(_metadata, self, "tlb_miss");
		writes[i] = counter(_metadata, self, "writes");
	}
	EXPECT_EQ(misses[0], misses[1]);
	EXPECT_EQ(writes[0], writes[1]);
	/* 30% writes, within 1% of the count. */
	EXPECT_LT(g.count * 29 / 100, writes[0]);
	EXPECT_GT(g.count * 31 / 100, writes[0]);
	EXPECT_LT(0, misses[0]);
	g.write_pct = 80;
	g.fetch_pct = 30;
	EXPECT_EQ(-1, ioctl(self->fd, NESTWALK_IOC_GENERATE, &g));
	EXPECT_EQ(EINVAL, errno);
}

/* The presets file shows the nehalem TLB the figures come from. */
TEST(presets_file)
{
	const char *p = file_of(NW_DEBUGFS, "presets");

	if (access(NW_DEBUGFS "/presets", R_OK))
		SKIP(return, "module not loaded or debugfs not mounted");
	EXPECT_NE(NULL, strstr(p, "preset nehalem level 1 array 0 entries 64 ways 4 sizes 4k "));
	EXPECT_NE(NULL, strstr(p, "preset nehalem level 1 array 1 entries 32 ways 4 sizes 2m "));
	EXPECT_NE(NULL, strstr(p, "preset nehalem level 2 array 0 entries 512 ways 4 sizes 4k "));
}

/*
 * CPU capabilities: CONFIG reports the preset's; what the CPU lacks is
 * refused (5-level paging without LA57, a PCID without PCID, INVPCID
 * without INVPCID), and the session's config file lists them.
 */
TEST(cpu_caps)
{
	struct nestwalk_config cfg = {
		.size = sizeof(cfg), .preset = NESTWALK_PRESET_NEHALEM,
	};
	struct nestwalk_vm_create vc = {
		.size = sizeof(vc), .mode = NESTWALK_MODE_EPT,
		.guest_levels = 5, .host_levels = 4, .gpt_size = 1 << 20,
	};
	struct nestwalk_invalidate iv = {
		.size = sizeof(iv), .op = NESTWALK_INV_INVPCID, .type = 3,
	};
	struct nestwalk_map m = {
		.size = sizeof(m), .pcid = 1, .gva = 1ULL << 30,
		.gpa = 1ULL << 30, .length = 4096, .leaf = NESTWALK_PAGE_4K,
	};
	char dir[128];
	int fd;

	if (geteuid() || access(NW_DEV, F_OK))
		SKIP(return, "must be root with the module loaded");
	fd = open(NW_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	nwt_newest_session(dir, sizeof(dir));
	ASSERT_EQ(0, ioctl(fd, NESTWALK_IOC_CONFIG, &cfg));
	EXPECT_EQ(NESTWALK_CAP_EPT_2M | NESTWALK_CAP_EPT_XO, cfg.cpu_caps);
	EXPECT_NE(NULL, strstr(file_of(dir, "config"),
			       "cpu_caps ept_2m ept_xo\n"));
	/* Unknown capabilities; without NESTWALK_CFG_CAPS they are ignored. */
	cfg.flags = NESTWALK_CFG_CAPS;
	cfg.cpu_caps = NESTWALK_CAPS + 1;
	EXPECT_EQ(-1, ioctl(fd, NESTWALK_IOC_CONFIG, &cfg));
	EXPECT_EQ(EINVAL, errno);
	cfg.flags = 0;
	cfg.cpu_caps = NESTWALK_CAP_LA57;
	ASSERT_EQ(0, ioctl(fd, NESTWALK_IOC_CONFIG, &cfg));
	EXPECT_EQ(NESTWALK_CAP_EPT_2M | NESTWALK_CAP_EPT_XO, cfg.cpu_caps);
	EXPECT_EQ(-1, ioctl(fd, NESTWALK_IOC_VM_CREATE, &vc));
	EXPECT_EQ(EOPNOTSUPP, errno);
	vc.guest_levels = 4;
	ASSERT_EQ(0, ioctl(fd, NESTWALK_IOC_VM_CREATE, &vc));
	m.vm_id = vc.vm_id;
	EXPECT_EQ(-1, ioctl(fd, NESTWALK_IOC_MAP, &m));
	EXPECT_EQ(EOPNOTSUPP, errno);
	iv.vm_id = vc.vm_id;
	EXPECT_EQ(-1, ioctl(fd, NESTWALK_IOC_INVALIDATE, &iv));
	EXPECT_EQ(EOPNOTSUPP, errno);
	close(fd);

	/* With the capabilities given, the same calls succeed. */
	fd = open(NW_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	cfg.flags = NESTWALK_CFG_CAPS;
	cfg.cpu_caps = NESTWALK_CAPS;
	ASSERT_EQ(0, ioctl(fd, NESTWALK_IOC_CONFIG, &cfg));
	EXPECT_EQ(NESTWALK_CAPS, cfg.cpu_caps);
	vc.guest_levels = 5;
	EXPECT_EQ(0, ioctl(fd, NESTWALK_IOC_VM_CREATE, &vc));
	iv.vm_id = vc.vm_id;
	EXPECT_EQ(0, ioctl(fd, NESTWALK_IOC_INVALIDATE, &iv));
	close(fd);
}

/* Invalid calls of every run-time ioctl fail and leave all state alone. */
NWT_TEST_F(two_vms, invalid_calls_change_nothing)
{
	struct nestwalk_config cfg = { .size = sizeof(cfg) };
	struct nestwalk_run r = { .size = sizeof(r), .count = WS_PAGES };
	struct nestwalk_generate g = {
		.size = sizeof(g), .pattern = NESTWALK_GEN_UNIFORM,
		.base = GVA, .length = DATA_LEN, .count = 1000,
	};
	struct nestwalk_stats st = { .size = sizeof(st) };
	struct nestwalk_invalidate iv = {
		.size = sizeof(iv), .op = NESTWALK_INV_INVVPID, .type = 2,
	};
	char stats[8192], tlb[65536];
	__u64 values[8];

	ASSERT_EQ(0, run_vm(self->fd, 0, self->acc, WS_PAGES));
	snprintf(stats, sizeof(stats), "%s", file_of(self->dir, "stats"));
	snprintf(tlb, sizeof(tlb), "%s", file_of(self->dir, "tlb"));
	ASSERT_LT(0, strlen(tlb));

#define FAILS(err, cmd, arg) do {					\
	EXPECT_EQ(-1, ioctl(self->fd, cmd, arg));			\
	EXPECT_EQ(err, errno);						\
} while (0)
	/* Configuration: bad preset, flags, reserved, size; then busy. */
	cfg.preset = 9;
	FAILS(EINVAL, NESTWALK_IOC_CONFIG, &cfg);
	cfg.preset = 0;
	cfg.flags = NESTWALK_CFG_FLAGS + 1;
	FAILS(EINVAL, NESTWALK_IOC_CONFIG, &cfg);
	cfg.flags = 0;
	cfg.reserved[1] = 1;
	FAILS(EINVAL, NESTWALK_IOC_CONFIG, &cfg);
	cfg.reserved[1] = 0;
	cfg.size = 32;
	FAILS(EINVAL, NESTWALK_IOC_CONFIG, &cfg);
	cfg.size = sizeof(cfg);
	FAILS(EBUSY, NESTWALK_IOC_CONFIG, &cfg);
	/* Runs: flags, size, unknown VM, bad records, bad pointers. */
	r.accesses = (unsigned long)self->acc;
	r.flags = 1;
	FAILS(EINVAL, NESTWALK_IOC_RUN, &r);
	r.flags = 0;
	r.size = 8;
	FAILS(EINVAL, NESTWALK_IOC_RUN, &r);
	r.size = sizeof(r);
	r.vm_id = 2;
	FAILS(ENOENT, NESTWALK_IOC_RUN, &r);
	r.vm_id = 0;
	self->acc[0].attr |= 1ULL << 45;
	FAILS(EINVAL, NESTWALK_IOC_RUN, &r);
	/* An implicit access is a supervisor one (SDM 4.6.1). */
	self->acc[0].attr = NESTWALK_ACCESS(0, NESTWALK_READ | NESTWALK_USER) |
			    NESTWALK_ACCESS_IMPLICIT;
	FAILS(EINVAL, NESTWALK_IOC_RUN, &r);
	self->acc[0].attr = NESTWALK_ACCESS(0, NESTWALK_READ);
	r.accesses = 16;
	FAILS(EFAULT, NESTWALK_IOC_RUN, &r);
	/* Generator: pattern, mix, length, stride, flags. */
	g.pattern = 5;
	FAILS(EINVAL, NESTWALK_IOC_GENERATE, &g);
	g.pattern = NESTWALK_GEN_UNIFORM;
	g.write_pct = 101;
	FAILS(EINVAL, NESTWALK_IOC_GENERATE, &g);
	g.write_pct = 0;
	g.length = 4095;
	FAILS(EINVAL, NESTWALK_IOC_GENERATE, &g);
	g.length = DATA_LEN;
	g.base = -4096ULL;
	FAILS(EINVAL, NESTWALK_IOC_GENERATE, &g);
	g.base = GVA;
	g.pattern = NESTWALK_GEN_STRIDED;
	FAILS(EINVAL, NESTWALK_IOC_GENERATE, &g);
	g.flags = 2;
	FAILS(EINVAL, NESTWALK_IOC_GENERATE, &g);
	/* Invalidation and stats: reserved fields, bad pointers. */
	iv.reserved[0] = 1;
	FAILS(EINVAL, NESTWALK_IOC_INVALIDATE, &iv);
	FAILS(EFAULT, NESTWALK_IOC_INVALIDATE, (void *)16);
	st.flags = 1;
	FAILS(EINVAL, NESTWALK_IOC_STATS, &st);
	st.flags = 0;
	st.values = 16;
	st.count = 8;
	FAILS(EFAULT, NESTWALK_IOC_STATS, &st);
	FAILS(EINVAL, NESTWALK_IOC_RESET, 1);
#undef FAILS

	EXPECT_STREQ(stats, file_of(self->dir, "stats"));
	EXPECT_STREQ(tlb, file_of(self->dir, "tlb"));
	/* A stats buffer smaller than the counter set gets what fits. */
	st.values = (unsigned long)values;
	st.count = 8;
	EXPECT_EQ(0, ioctl(self->fd, NESTWALK_IOC_STATS, &st));
	EXPECT_LT(8, st.count);
}

/*
 * The data-cache model (API 5). Its walker-load counters are named after
 * Haswell's PAGE_WALKER_LOADS events (event BCH, umasks 11H-18H DTLB_L1,
 * _L2, _L3, _MEMORY; 21H-28H ITLB_*; 41H-48H EPT_DTLB_*; 81H-88H
 * EPT_ITLB_*: Intel SDM vol. 3B, "Performance Monitoring Events for the
 * 4th Generation Intel Core Processors"): the page walker's loads by the
 * kind of walk, the dimension (EPT entries or the guest's own) and where
 * the line was found. Every load of a walk is one of them.
 */

/* A valid explicit hierarchy: 8 KiB L1d, 64 KiB L2, a 1 MiB LLC. */
static const struct nestwalk_dcache_level dc_levels[3] = {
	{ .sets = 32, .ways = 4, .latency_milli = 3500 },
	{ .sets = 128, .ways = 8, .latency_milli = 11000 },
	{ .sets = 1024, .ways = 16, .latency_milli = 40250 },
};

/* Its lines in sessions/<id>/config ("dcache " first) and .../dcache. */
#define DC_LEVEL_LINES							\
	"l1d sets 32 ways 4 size_kib 8 latency_cycles 3.500\n"		\
	"l2 sets 128 ways 8 size_kib 64 latency_cycles 11.000\n"	\
	"llc sets 1024 ways 16 size_kib 1024 latency_cycles 40.250\n"

/* The 20 counters of API 5, in enum nestwalk_stat order. */
static const char *const dc_counters[] = {
	"dcache_l1_hit", "dcache_l2_hit", "dcache_l3_hit", "dcache_miss",
	"walker_loads_dtlb_l1", "walker_loads_dtlb_l2",
	"walker_loads_dtlb_l3", "walker_loads_dtlb_mem",
	"walker_loads_itlb_l1", "walker_loads_itlb_l2",
	"walker_loads_itlb_l3", "walker_loads_itlb_mem",
	"walker_loads_ept_dtlb_l1", "walker_loads_ept_dtlb_l2",
	"walker_loads_ept_dtlb_l3", "walker_loads_ept_dtlb_mem",
	"walker_loads_ept_itlb_l1", "walker_loads_ept_itlb_l2",
	"walker_loads_ept_itlb_l3", "walker_loads_ept_itlb_mem",
};

/*
 * Every geometry, mode and latency the uAPI refuses fails with EINVAL (a
 * bad pointer with EFAULT) and leaves the session's CPU as it was; without
 * NESTWALK_CFG_DCACHE, or with the model off, the fields are not read.
 */
TEST(dcache_config_rejects)
{
	static const struct {
		int lv;
		__u64 sets, ways, lat;
	} bad[] = {
		{ 0, 0, 4, 3500 },			/* no set */
		{ 0, 48, 4, 3500 },			/* not a power of 2 */
		{ 1, 1ULL << 21, 1, 11000 },		/* sets past the lines */
		{ 1, (1ULL << 32) + 128, 8, 11000 },	/* 128 if truncated */
		{ 2, 1024, 0, 40250 },			/* no way */
		{ 2, 1024, 33, 40250 },			/* past 32 ways */
		{ 2, 1ULL << 16, 32, 40250 },		/* 2^21 lines */
		{ 0, 32, 4, 0 },			/* no latency */
		{ 0, 32, 4, 1000001 },			/* past 10^6 */
		{ 0, 32, 4, (1ULL << 32) + 3500 },	/* 3500 if truncated */
	};
	struct nestwalk_dcache_level lv[4];
	struct nestwalk_config cfg = {
		.size = sizeof(cfg), .preset = NESTWALK_PRESET_SKYLAKE,
		.flags = NESTWALK_CFG_DCACHE,
		.dcache_mode = NESTWALK_DCACHE_WALKS,
		.dcache_levels = (unsigned long)lv, .ndcache_levels = 3,
		.dcache_mem_latency_milli = 200000,
	};
	char dir[128], config[16384], dcache[4096];
	unsigned int i;
	int fd;

	if (geteuid() || access(NW_DEV, F_OK))
		SKIP(return, "must be root with the module loaded");
	fd = open(NW_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	nwt_newest_session(dir, sizeof(dir));
	memcpy(lv, dc_levels, sizeof(dc_levels));
	ASSERT_EQ(0, ioctl(fd, NESTWALK_IOC_CONFIG, &cfg));
	snprintf(config, sizeof(config), "%s", file_of(dir, "config"));
	snprintf(dcache, sizeof(dcache), "%s", file_of(dir, "dcache"));
	ASSERT_NE(NULL, strstr(config, "dcache_mode walks\n"));

#define REFUSED(err) do {						\
	EXPECT_EQ(-1, ioctl(fd, NESTWALK_IOC_CONFIG, &cfg));		\
	EXPECT_EQ(err, errno);						\
	memcpy(lv, dc_levels, sizeof(dc_levels));			\
} while (0)
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		lv[bad[i].lv].sets = bad[i].sets;
		lv[bad[i].lv].ways = bad[i].ways;
		lv[bad[i].lv].latency_milli = bad[i].lat;
		EXPECT_EQ(-1, ioctl(fd, NESTWALK_IOC_CONFIG, &cfg))
			TH_LOG("geometry %u accepted", i);
		EXPECT_EQ(EINVAL, errno);
		memcpy(lv, dc_levels, sizeof(dc_levels));
	}
	lv[1].reserved[4] = 1;
	REFUSED(EINVAL);
	cfg.dcache_mode = NESTWALK_DCACHE_WALKS + 1;
	REFUSED(EINVAL);
	cfg.dcache_mode = 1ULL << 32 | NESTWALK_DCACHE_DATA;
	REFUSED(EINVAL);
	cfg.dcache_mode = NESTWALK_DCACHE_DATA;
	cfg.ndcache_levels = 4;
	REFUSED(EINVAL);
	cfg.ndcache_levels = 0;		/* a pointer and no level */
	REFUSED(EINVAL);
	cfg.ndcache_levels = 3;
	cfg.dcache_mem_latency_milli = 10000001;
	REFUSED(EINVAL);
	cfg.dcache_mem_latency_milli = 0;
	cfg.dcache_levels = 16;
	REFUSED(EFAULT);
#undef REFUSED
	EXPECT_STREQ(config, file_of(dir, "config"));
	EXPECT_STREQ(dcache, file_of(dir, "dcache"));

	/* Without the flag nothing of it is read: the model is off. */
	cfg.flags = 0;
	cfg.dcache_mode = 7;
	cfg.ndcache_levels = 9;
	cfg.dcache_mem_latency_milli = ~0ULL;
	ASSERT_EQ(0, ioctl(fd, NESTWALK_IOC_CONFIG, &cfg));
	EXPECT_EQ(NESTWALK_DCACHE_OFF, cfg.dcache_mode);
	EXPECT_EQ(0, strncmp(file_of(dir, "dcache"), "mode off\n", 9));
	/* Nor with the model off. */
	cfg.flags = NESTWALK_CFG_DCACHE;
	cfg.dcache_mode = NESTWALK_DCACHE_OFF;
	cfg.dcache_mem_latency_milli = ~0ULL;
	ASSERT_EQ(0, ioctl(fd, NESTWALK_IOC_CONFIG, &cfg));
	EXPECT_EQ(NESTWALK_DCACHE_OFF, cfg.dcache_mode);
	EXPECT_NE(NULL, strstr(file_of(dir, "config"),
			       "dcache_mode off\ndcache_geometry preset\n"));
	close(fd);
}

/*
 * An explicit hierarchy with the model on for walk loads only: accepted,
 * written back, shown in config and dcache; the written-back structure
 * builds the same CPU again; the limits themselves are accepted; 0 keeps
 * the preset's memory latency and no level the preset's hierarchy (as
 * presets shows it); V1 and V2 callers, and the default session, run
 * with the model off.
 */
TEST(dcache_config_explicit)
{
	struct nestwalk_dcache_level lv[3];
	struct nestwalk_config cfg = {
		.size = sizeof(cfg), .preset = NESTWALK_PRESET_SKYLAKE,
		.flags = NESTWALK_CFG_DCACHE,
		.dcache_mode = NESTWALK_DCACHE_WALKS,
		.dcache_levels = (unsigned long)lv, .ndcache_levels = 3,
		.dcache_mem_latency_milli = 123456,
	};
	char dir[128], want[4096], line[128];
	const char *f, *p, *presets;
	unsigned int i;
	size_t n;
	int fd;

	if (geteuid() || access(NW_DEV, F_OK))
		SKIP(return, "must be root with the module loaded");
	fd = open(NW_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	nwt_newest_session(dir, sizeof(dir));
	EXPECT_NE(NULL, strstr(file_of(dir, "config"), "dcache_mode off\n"));
	EXPECT_EQ(0, strncmp(file_of(dir, "dcache"), "mode off\n", 9));

	memcpy(lv, dc_levels, sizeof(dc_levels));
	ASSERT_EQ(0, ioctl(fd, NESTWALK_IOC_CONFIG, &cfg));
	EXPECT_EQ(NESTWALK_DCACHE_WALKS, cfg.dcache_mode);
	EXPECT_EQ(123456, cfg.dcache_mem_latency_milli);
	EXPECT_EQ((unsigned long)lv, cfg.dcache_levels);
	EXPECT_EQ(3, cfg.ndcache_levels);
	EXPECT_NE(NULL, strstr(file_of(dir, "config"),
			       "dcache_mode walks\ndcache_geometry explicit\n"
			       "dcache l1d sets 32 ways 4 size_kib 8 latency_cycles 3.500\n"
			       "dcache l2 sets 128 ways 8 size_kib 64 latency_cycles 11.000\n"
			       "dcache llc sets 1024 ways 16 size_kib 1024 latency_cycles 40.250\n"
			       "dcache memory latency_cycles 123.456\n"));
	/* The whole dcache file: nothing ran, every counter is 0. */
	n = snprintf(want, sizeof(want), "mode walks\n" DC_LEVEL_LINES
		     "memory latency_cycles 123.456\n");
	for (i = 0; i < ARRAY_SIZE(dc_counters); i++)
		n += snprintf(want + n, sizeof(want) - n, "%s 0\n",
			      dc_counters[i]);
	EXPECT_STREQ(want, file_of(dir, "dcache"));
	ASSERT_EQ(0, ioctl(fd, NESTWALK_IOC_CONFIG, &cfg));
	EXPECT_STREQ(want, file_of(dir, "dcache"));

	/* The limits: one level of a set of 32 ways, 10^6 and 10^7. */
	lv[0] = (struct nestwalk_dcache_level){
		.sets = 1, .ways = 32, .latency_milli = 1000000,
	};
	cfg.ndcache_levels = 1;
	cfg.dcache_mem_latency_milli = 10000000;
	ASSERT_EQ(0, ioctl(fd, NESTWALK_IOC_CONFIG, &cfg));
	EXPECT_EQ(10000000, cfg.dcache_mem_latency_milli);
	f = file_of(dir, "dcache");
	p = "mode walks\n"
	    "l1d sets 1 ways 32 size_kib 2 latency_cycles 1000.000\n"
	    "memory latency_cycles 10000.000\n"
	    "dcache_l1_hit 0\n";
	EXPECT_EQ(0, strncmp(f, p, strlen(p))) TH_LOG("%s", f);

	/* 0: the preset's latency, written back; no level: its caches. */
	cfg.dcache_mode = NESTWALK_DCACHE_DATA;
	cfg.dcache_levels = 0;
	cfg.ndcache_levels = 0;
	cfg.dcache_mem_latency_milli = 0;
	ASSERT_EQ(0, ioctl(fd, NESTWALK_IOC_CONFIG, &cfg));
	EXPECT_EQ(NESTWALK_DCACHE_DATA, cfg.dcache_mode);
	EXPECT_LT(0, cfg.dcache_mem_latency_milli);
	EXPECT_GE(10000000, cfg.dcache_mem_latency_milli);
	snprintf(line, sizeof(line), "dcache memory latency_cycles %llu.%03llu\n",
		 (unsigned long long)cfg.dcache_mem_latency_milli / 1000,
		 (unsigned long long)cfg.dcache_mem_latency_milli % 1000);
	f = file_of(dir, "config");
	EXPECT_NE(NULL, strstr(f, "dcache_mode data\ndcache_geometry preset\n"));
	EXPECT_NE(NULL, strstr(f, line)) TH_LOG("no %s", line);
	/* Each of its lines is skylake's in presets (3 levels, memory). */
	presets = file_of(NW_DEBUGFS, "presets");
	for (i = 0, p = strstr(f, "\ndcache "); p;
	     p = strstr(p, "\ndcache "), i++) {
		p++;
		n = strcspn(p, "\n") + 1;
		snprintf(line, sizeof(line), "preset skylake %.*s", (int)n, p);
		EXPECT_NE(NULL, strstr(presets, line)) TH_LOG("no %s", line);
		p += n - 1;
	}
	EXPECT_EQ(4, i);

	/*
	 * Callers from before API 5: accepted, the model off. Their
	 * command is the one their header's _IOWR() made, with the size of
	 * the structure they knew (64 bytes until API 4, then 96).
	 */
	memset(&cfg, 0, sizeof(cfg));
	cfg.preset = NESTWALK_PRESET_SKYLAKE;
	cfg.size = NESTWALK_CONFIG_SIZE_V2;
	ASSERT_EQ(0, ioctl(fd, _IOWR(NESTWALK_IOC_MAGIC, 0x03,
				     char[NESTWALK_CONFIG_SIZE_V2]), &cfg));
	EXPECT_NE(NULL, strstr(file_of(dir, "config"), "dcache_mode off\n"));
	EXPECT_EQ(0, cfg.dcache_mem_latency_milli);	/* not written */
	cfg.size = NESTWALK_CONFIG_SIZE_V1;
	ASSERT_EQ(0, ioctl(fd, _IOWR(NESTWALK_IOC_MAGIC, 0x03,
				     char[NESTWALK_CONFIG_SIZE_V1]), &cfg));
	EXPECT_EQ(0, cfg.dcache_mode);
	/* A command that is not CONFIG's, whatever its size: ENOTTY. */
	EXPECT_EQ(-1, ioctl(fd, _IOWR(NESTWALK_IOC_MAGIC, 0x7f, char[64]),
			    &cfg));
	EXPECT_EQ(ENOTTY, errno);
	close(fd);
}

/*
 * Walk loads through the data caches, skylake, EPT 4 x 4 over 4 KiB host
 * pages with every TLB and walk cache off: each access walks, reading 24
 * entries (4 guest, 20 EPT). With the model on, each of those loads is
 * one walker load (PAGE_WALKER_LOADS.DTLB_* for the guest's 4, .EPT_DTLB_*
 * for the EPT's 20; reads only, so no ITLB ones) and one line load of the
 * cache (dcache_*); in data mode each access's own line is one more. Off,
 * all 20 counters stay 0. The RUN's deltas and debugfs dcache agree.
 */
#define DC_MEM		(2 * SZ_2M)
#define DC_PAGES	64

FIXTURE(dcache_run) {
	int fd;
	void *mem;
	char dir[128];
	struct nestwalk_access acc[DC_PAGES];
};

FIXTURE_VARIANT(dcache_run) {
	__u64 mode;
	const char *mode_line;
};

FIXTURE_VARIANT_ADD(dcache_run, mode_off) {
	.mode = NESTWALK_DCACHE_OFF, .mode_line = "mode off\n",
};

FIXTURE_VARIANT_ADD(dcache_run, mode_walks) {
	.mode = NESTWALK_DCACHE_WALKS, .mode_line = "mode walks\n",
};

FIXTURE_VARIANT_ADD(dcache_run, mode_data) {
	.mode = NESTWALK_DCACHE_DATA, .mode_line = "mode data\n",
};

FIXTURE_SETUP(dcache_run)
{
	struct nestwalk_config cfg = {
		.size = sizeof(cfg), .preset = NESTWALK_PRESET_SKYLAKE,
		.flags = NESTWALK_CFG_NO_TLB | NESTWALK_CFG_NO_PWC |
			 NESTWALK_CFG_NO_HPWC | NESTWALK_CFG_NO_NTLB |
			 NESTWALK_CFG_DCACHE,
		.dcache_mode = variant->mode,
	};
	struct nestwalk_vm_create vc = {
		.size = sizeof(vc), .mode = NESTWALK_MODE_EPT, .vpid = 1,
		.guest_levels = 4, .host_levels = 4, .gpt_size = GPT_SIZE,
	};
	struct nestwalk_memslot ms = {
		.size = sizeof(ms), .memory_size = DC_MEM,
	};
	int i;

	self->fd = -1;
	self->mem = MAP_FAILED;
	if (geteuid() || access(NW_DEV, F_OK))
		NWT_SETUP_SKIP(return, "must be root with the module loaded");
	self->mem = mmap(NULL, DC_MEM, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->mem);
	ASSERT_EQ(0, madvise(self->mem, DC_MEM, MADV_NOHUGEPAGE));
	memset(self->mem, 0, DC_MEM);
	self->fd = open(NW_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	nwt_newest_session(self->dir, sizeof(self->dir));
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_CONFIG, &cfg));
	ASSERT_EQ(variant->mode, cfg.dcache_mode);
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_VM_CREATE, &vc));
	ms.vm_id = vc.vm_id;
	ms.userspace_addr = (unsigned long)self->mem;
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_MEMSLOT, &ms));
	/* 24 entries a walk needs 4 KiB host pages. */
	ASSERT_EQ(DC_MEM / 4096, ms.host_4k);
	ASSERT_EQ(0, map(self->fd, vc.vm_id, GVA, DATA_GPA, DC_PAGES * 4096))
		TH_LOG("map: %s", strerror(errno));
	for (i = 0; i < DC_PAGES; i++) {
		self->acc[i].gva = GVA + i * 4096 + (i % 64) * 64;
		self->acc[i].attr = NESTWALK_ACCESS(0, NESTWALK_READ);
	}
}

FIXTURE_TEARDOWN(dcache_run)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->mem != MAP_FAILED)
		munmap(self->mem, DC_MEM);
}

NWT_TEST_F(dcache_run, walk_loads_through_the_caches)
{
	struct nestwalk_run r = {
		.size = sizeof(r), .accesses = (unsigned long)self->acc,
		.count = DC_PAGES,
	};
	__u64 deltas[128], v, sum[5] = { 0 }, refs, on, data;
	char path[192];
	unsigned int i;

	on = variant->mode != NESTWALK_DCACHE_OFF;
	data = variant->mode == NESTWALK_DCACHE_DATA;
	/* The first pass builds the EPT lazily; the second only walks. */
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_RUN, &r));
	ASSERT_EQ(DC_PAGES, r.done);
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_RESET, 0));
	r.deltas = (unsigned long)deltas;
	r.ndeltas = 128;
	ASSERT_EQ(0, ioctl(self->fd, NESTWALK_IOC_RUN, &r));
	ASSERT_EQ(DC_PAGES, r.done);
	ASSERT_LT(NESTWALK_STAT_WALKER_LOADS_EPT_ITLB_MEM, r.ndeltas);
	EXPECT_EQ(DC_PAGES, counter(_metadata, self, "walks"));
	refs = counter(_metadata, self, "walk_refs");
	EXPECT_EQ(24 * DC_PAGES, refs);

	snprintf(path, sizeof(path), "%s/dcache", self->dir);
	EXPECT_EQ(0, strncmp(nwt_file(path), variant->mode_line,
			     strlen(variant->mode_line)));
	for (i = 0; i < ARRAY_SIZE(dc_counters); i++) {
		v = counter(_metadata, self, dc_counters[i]);
		/* The batch's deltas carry them, and the dcache file. */
		EXPECT_EQ(v, deltas[NESTWALK_STAT_DCACHE_L1_HIT + i])
			TH_LOG("delta of %s", dc_counters[i]);
		EXPECT_EQ((long long)v, nwt_value(path, dc_counters[i], NULL))
			TH_LOG("%s in dcache", dc_counters[i]);
		/* Line loads, then walker loads in groups of four. */
		sum[i < 4 ? 0 : 1 + (i - 4) / 4] += v;
	}
	/* 4 guest (DTLB) and 20 EPT (EPT_DTLB) loads a walk, no fetch. */
	EXPECT_EQ(on * 4 * DC_PAGES, sum[1]);
	EXPECT_EQ(0, sum[2]);
	EXPECT_EQ(on * 20 * DC_PAGES, sum[3]);
	EXPECT_EQ(0, sum[4]);
	EXPECT_EQ(on * refs, sum[1] + sum[3]);
	/* Each walk load is a line load; data mode adds each access's. */
	EXPECT_EQ(on * refs + data * DC_PAGES, sum[0]);
}

/* A process killed in the middle of a long run leaves nothing behind. */
TEST(killed_mid_run)
{
	long long pinned0, open0;
	int status, p[2];
	pid_t pid;
	char c;

	if (geteuid() || access(NW_DEV, F_OK))
		SKIP(return, "must be root with the module loaded");
	pinned0 = nwt_stat("pinned_pages");
	open0 = nwt_stat("sessions_open");
	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct nestwalk_vm_create vc = {
			.size = sizeof(vc), .mode = NESTWALK_MODE_EPT,
			.guest_levels = 4, .host_levels = 4,
			.gpt_size = GPT_SIZE,
		};
		struct nestwalk_memslot ms = {
			.size = sizeof(ms), .memory_size = MEM,
		};
		struct nestwalk_generate g = {
			.size = sizeof(g), .pattern = NESTWALK_GEN_UNIFORM,
			.base = GVA, .length = DATA_LEN, .count = 1ULL << 40,
		};
		void *mem = mmap(NULL, MEM, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		int fd = open(NW_DEV, O_RDWR);

		ms.userspace_addr = (unsigned long)mem;
		if (fd < 0 || ioctl(fd, NESTWALK_IOC_VM_CREATE, &vc) ||
		    ioctl(fd, NESTWALK_IOC_MEMSLOT, &ms) ||
		    map(fd, 0, GVA, DATA_GPA, DATA_LEN))
			_exit(1);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		ioctl(fd, NESTWALK_IOC_GENERATE, &g);
		_exit(2);
	}
	close(p[1]);
	ASSERT_EQ(1, read(p[0], &c, 1));
	usleep(500000);
	EXPECT_EQ(pinned0 + (long long)(MEM / 4096), nwt_stat("pinned_pages"));
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(pinned0, nwt_stat("pinned_pages"));
	EXPECT_EQ(open0, nwt_stat("sessions_open"));
	close(p[0]);
}

NWT_REQUIRE(NWT_ROOT | NWT_MODULE | NWT_DEBUGFS)

TEST_HARNESS_MAIN
