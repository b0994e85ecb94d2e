// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl_fuzz: random sequences of every nestwalk ioctl against the loaded
 * module - random, boundary and structurally valid arguments - with fds
 * opened and closed at random, forks that share them, memslot memory
 * unmapped while another thread runs on it, and signals that kill long
 * runs. Deterministic for a seed (but for thread timing); bounded by time.
 *
 * Guest memory is hostile too: a thread writes random and crafted values
 * into the memory the fuzzer registers as memslots while the ioctls run -
 * misaligned links, entries pointing at other tables, at themselves and
 * outside every slot, all-ones, reserved bits, flipped A/D flags - most
 * often into the first word of a page, where a table's first entry (and
 * 31883ee's free-list link) lives. A scenario of its own knows its
 * memory's layout and checks it: random maps in a nested or shadow VM,
 * crafted links and table pointers stored into its guest tables between
 * them, and after them the guest data no stored value names must be as
 * the fuzzer left it - the model writes only its tables there.
 *
 *   NESTWALK_FUZZ_SECONDS (default 20), NESTWALK_FUZZ_SEED (default: time)
 *
 * The run is a time and an amount of work: it goes on past the seconds
 * until MIN_IOCTLS ioctls were issued, for at most OVERTIME seconds more,
 * so a slow machine (a debug kernel under TCG on a loaded host) gets the
 * same coverage instead of failing the floor; the floor still fails a
 * module that makes every call slow.
 *
 * The kernel is judged by the VM harness (no KASAN, UBSAN, lockdep,
 * kmemleak or hung-task report); this program checks that every call
 * returns, that the module's sessions and pinned pages come back to where
 * they were, and prints a figures line: ioctls issued, distinct error
 * codes, seconds. Prints TAP; exits 4 (skip) without root or the module.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/nestwalk.h>

#define DEV		"/dev/nestwalk"
#define STATS		"/sys/kernel/debug/nestwalk/stats"
#define NFDS		4
#define NREG		4
#define MAXREG		(8UL << 20)
/* The floor of work, and how long past the seconds the run may go for it. */
#define MIN_IOCTLS	1500u
#define OVERTIME	120.0

static uint64_t rng;
static unsigned long long issued, gwrites;
/*
 * Held for writing while reg[] changes, by the writer thread for reading;
 * writers first, or the thread's bursts would keep the main loop out.
 */
static pthread_rwlock_t reg_lock =
	PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP;
static volatile int stop_writer;
static uint8_t seen[4096];		/* errno values returned */
static int fds[NFDS] = { -1, -1, -1, -1 };
static void *reg[NREG];
static size_t reglen[NREG];

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t pick(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static long long stat_of(const char *name)
{
	char line[128], key[64];
	long long v, r = -1;
	FILE *f = fopen(STATS, "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %lld", key, &v) == 2 && !strcmp(key, name))
			r = v;
	if (f)
		fclose(f);
	return r;
}

/* Values that sit on edges: sizes, alignments, limits, our memory. */
static uint64_t value(void)
{
	static const uint64_t edge[] = {
		0, 1, 2, 3, 4, 5, 6, 7, 8, 64, 128, 4095, 4096, 4097,
		1ULL << 21, (1ULL << 21) + 4096, 1ULL << 30, 1ULL << 32,
		1ULL << 39, 1ULL << 47, 1ULL << 48, 1ULL << 52, 1ULL << 57,
		~0ULL, ~0ULL >> 1, 0x7f0000000000ULL, 0xffff800000000000ULL,
		1ULL << 24, (1ULL << 24) + 1, 1ULL << 40,
	};
	unsigned int r;

	switch (pick(4)) {
	case 0:
		return edge[pick(sizeof(edge) / sizeof(edge[0]))];
	case 1:
		r = pick(NREG);
		return reg[r] ? (uintptr_t)reg[r] + (pick(2) ? 0 :
			pick(reglen[r])) : rnd();
	case 2:
		return pick(16);
	default:
		return rnd();
	}
}

/* x86 and EPT entry flags a table or leaf would carry. */
static uint64_t entry_flags(uint64_t r)
{
	static const uint64_t f[] = {
		0x7, 0x27, 0x67, 0xe7, 0x1, 0x3, 0x5, 0x107, 0x8000000000000007,
		0x37, 0x3f, 0x77, 0x177, 0x4,
	};

	return f[r % (sizeof(f) / sizeof(f[0]))];
}

/* A value for guest memory: what a hostile guest would store there. */
static uint64_t hostile_value(uint64_t r, uint64_t old)
{
	uint64_t page = (r >> 8) % 2048 << 12;

	switch (r % 10) {
	case 0:		/* a misaligned link, like 0x1ff8 */
		return page + 8 * (1 + (r >> 24) % 511);
	case 1:		/* another table of a gpt region (0 or 4 MiB) */
		return ((r >> 40) & 1 ? 4ULL << 20 : 0) + page +
		       entry_flags(r >> 44);
	case 2:		/* outside every slot, up to MAXPHYADDR and past it */
		return (1ULL << (22 + (r >> 24) % 30)) + page +
		       entry_flags(r >> 44);
	case 3:
		return ~0ULL;
	case 4:		/* reserved bits: above MAXPHYADDR, PS where it is not */
		return page | entry_flags(r >> 44) |
		       (r >> 40 & 1 ? 1ULL << (46 + (r >> 41) % 6) : 0x80);
	case 5:
		return 0;
	case 6:		/* A and D (x86 and EPT) flipped in what is there */
		return old ^ (r >> 40 & 1 ? 0x60 : 0x300);
	case 7:		/* not present, or present with nothing else */
		return old & ~1ULL;
	default:
		return rnd();
	}
}

/*
 * The hostile guest: bursts of writes into the registered regions, while
 * the main thread's ioctls (and their runs, in other threads) go on.
 */
static void *guest_writer(void *arg)
{
	uint64_t r = (uint64_t)(uintptr_t)arg | 1;

	while (!stop_writer) {
		unsigned int k, i;

		pthread_rwlock_rdlock(&reg_lock);
		for (k = 0; k < 64; k++) {
			uint64_t *w, words;

			r ^= r << 13;
			r ^= r >> 7;
			r ^= r << 17;
			i = r % NREG;
			if (!reg[i])
				continue;
			words = reglen[i] / 8;
			/* The first word of a page, half of the time. */
			w = (uint64_t *)reg[i] + ((r >> 8) % words &
						  (r >> 60 & 1 ? ~511ULL : ~0ULL));
			*(volatile uint64_t *)w = hostile_value(r * 0x9e3779b97f4a7c15ULL,
								*w);
			__atomic_add_fetch(&gwrites, 1, __ATOMIC_RELAXED);
		}
		pthread_rwlock_unlock(&reg_lock);
		/* A pause per burst: the ioctls need the CPUs too. */
		usleep(50 + (r >> 58));
	}
	return NULL;
}

/* TLB levels for CONFIG, mostly near the limits of what builds. */
static struct nestwalk_tlb_level *geometry(void)
{
	static __thread struct nestwalk_tlb_level l[NESTWALK_TLB_MAX_LEVELS];
	unsigned int i, a;

	memset(l, 0, sizeof(l));
	for (i = 0; i < NESTWALK_TLB_MAX_LEVELS; i++) {
		l[i].flags = pick(4) ? 0 : pick(3);
		l[i].latency_milli = pick(4) ? pick(20000) : value();
		l[i].reserved[1] = pick(16) ? 0 : value();
		for (a = 0; a < NESTWALK_TLB_MAX_ARRAYS; a++) {
			struct nestwalk_tlb_array *ar = &l[i].arrays[a];

			if (pick(3) == 0)
				continue;
			ar->sizes = pick(8) ? 1ULL << (1 + pick(3)) : pick(32);
			ar->entries = pick(6) ? 1ULL << pick(17) : value();
			ar->ways = pick(4) ? 1ULL << pick(7) : pick(24);
			/* Wide sets are slow to scan: keep runs short. */
			if ((!ar->ways || ar->ways > 64) && ar->entries > 128)
				ar->entries = 128;
			ar->repl = pick(8) ? pick(3) : value();
		}
	}
	return l;
}

/*
 * Data-cache levels for CONFIG (API 5), up to the largest that builds
 * now and then: a level of 2^20 lines is 8 MiB to zero, slow in a debug
 * kernel under emulation, so most levels are small (at most 256 sets).
 */
static struct nestwalk_dcache_level *dcache_geometry(void)
{
	static __thread struct nestwalk_dcache_level
		l[NESTWALK_DCACHE_MAX_LEVELS];
	unsigned int i;

	memset(l, 0, sizeof(l));
	for (i = 0; i < NESTWALK_DCACHE_MAX_LEVELS; i++) {
		l[i].sets = pick(8) ? 1ULL << pick(8) :
			    pick(8) ? 1ULL << pick(21) : value();
		l[i].ways = pick(6) ? 1 + pick(32) : value();
		l[i].latency_milli = pick(6) ? 1 + pick(60000) : value();
		l[i].reserved[pick(5)] = pick(16) ? 0 : value();
	}
	return l;
}

/* An argument block: random, or a valid-looking one for @nr. */
static void argument(unsigned int nr, uint64_t *a, size_t words)
{
	size_t i;

	for (i = 0; i < words; i++)
		a[i] = pick(3) ? 0 : value();
	if (pick(8) == 0)
		return;			/* pure noise (and zeros) */
	a[0] = pick(6) ? 8 * words : value();	/* size */
	a[1] = pick(4) ? 0 : value();		/* flags */
	switch (nr) {
	case 0x01:	/* VM_CREATE: mode, vpid, levels, max_leaf, id, gpt */
		a[2] = pick(5);
		a[3] = pick(4);
		a[4] = 4 + pick(2);
		a[5] = pick(3) ? 4 + pick(2) : 0;
		a[6] = pick(4);
		a[8] = pick(2) ? 0 : (4ULL << 20);
		a[9] = 1ULL << (12 + pick(10));
		break;
	case 0x02: {	/* MEMSLOT: vm, gpa, size, address */
		unsigned int r = pick(NREG);

		a[2] = pick(3);
		a[3] = pick(2) ? 0 : value() & ~0xfffULL;
		a[4] = reg[r] ? reglen[r] >> pick(3) : value();
		a[5] = reg[r] ? (uintptr_t)reg[r] : value();
		break;
	}
	case 0x03:	/* CONFIG: preset, seed, TLB levels, data caches */
		a[1] = pick(16) | (pick(4) ? 0 : NESTWALK_CFG_DCACHE);
		a[2] = pick(5);
		if (pick(2)) {
			a[4] = pick(8) ? (uintptr_t)geometry() : value();
			a[5] = pick(8) ? 1 + pick(3) : value();
		}
		a[9] = pick(8) ? pick(3) : value();
		if (pick(2)) {
			a[10] = pick(8) ? (uintptr_t)dcache_geometry() : value();
			a[11] = pick(8) ? 1 + pick(3) : value();
		}
		a[12] = pick(3) ? 0 : pick(4) ? pick(400000) : value();
		break;
	case 0x04:	/* MAP: vm, pcid, gva, gpa, length, leaf, prot */
		a[2] = pick(3);
		a[3] = pick(3);
		a[7] = 1 + pick(3);
		a[8] = pick(8);
		if (pick(2)) {
			a[4] = 0x7f0000000000ULL + (pick(64) << 12);
			a[5] = pick(64) << 12;
			a[6] = pick(16) << 12;
			break;
		}
		/*
		 * Leaf-aligned: large leaves over small ones free guest
		 * tables, small ones over large split them.
		 */
		a[4] = 0x7f0000000000ULL + (pick(4) << (3 + 9 * a[7]));
		a[5] = pick(4) << (3 + 9 * a[7]);
		a[6] = (1 + pick(4)) << (3 + 9 * a[7]);
		break;
	case 0x05:	/* RUN: vm, accesses, count, done, deltas, n */
	case 0x09:	/* GENERATE: ... count at 12 */
		a[2] = pick(3);
		if (nr == 0x09) {
			a[3] = pick(6);
			a[4] = 0x7f0000000000ULL;
			a[5] = pick(16) << 12;
			a[6] = 64 << pick(6);
			a[7] = pick(1500);
			a[8] = pick(101);
			a[9] = pick(101 - a[8]);
			a[12] = pick(4) ? pick(50000) : value();
		} else {
			unsigned int r = pick(NREG);

			a[3] = reg[r] ? (uintptr_t)reg[r] : value();
			a[4] = pick(4) ? pick(4096) : value();
		}
		break;
	case 0x06:	/* STATS: values, count */
		a[2] = reg[0] ? (uintptr_t)reg[0] : value();
		a[3] = pick(200);
		break;
	case 0x08:	/* INVALIDATE: op, type, vm, pcid, vpid, addr */
		a[2] = pick(8);
		a[3] = pick(5);
		a[4] = pick(3);
		a[5] = pick(4);
		a[6] = pick(4);
		break;
	}
}

static void note(long ret)
{
	issued++;
	if (ret < 0 && errno > 0 && errno < (int)sizeof(seen))
		seen[errno] = 1;
}

static void one_ioctl(int fd)
{
	static const unsigned int sizes[] = { 64, 128, 128, 128, 128, 64, 64,
					      0, 128, 128 };
	uint64_t a[32];
	unsigned int nr = pick(12), size = nr < 10 ? sizes[nr] : 8 * pick(32);
	unsigned long cmd;

	if (nr == 0x07) {
		note(ioctl(fd, NESTWALK_IOC_RESET, 0));
		return;
	}
	argument(nr, a, 32);
	/*
	 * A valid generator count may be 2^40: hours in a debug VM. Keep it
	 * short (signal_long_run() covers long runs being killed).
	 */
	if (nr == 0x09 && a[12] > 200000 && a[12] <= 1ULL << 40)
		a[12] = 200000;
	if (size == 0)
		size = 8;
	cmd = _IOC(pick(8) ? _IOC_READ | _IOC_WRITE : pick(4), pick(16) ?
		   NESTWALK_IOC_MAGIC : pick(256), nr, pick(8) ? size :
		   pick(512));
	note(ioctl(fd, cmd, pick(16) ? (void *)a : (void *)(uintptr_t)value()));
}

static int any_fd(void)
{
	int i = pick(NFDS);

	if (fds[i] < 0)
		fds[i] = open(DEV, O_RDWR | O_CLOEXEC);
	return fds[i];
}

static void *runner(void *arg)
{
	uint64_t *a = arg;

	note(ioctl((int)a[31], NESTWALK_IOC_GENERATE, a));
	return NULL;
}

/* A long run in a thread while its memslot memory is unmapped. */
static void unmap_under_run(void)
{
	int fd = open(DEV, O_RDWR | O_CLOEXEC), r = pick(NREG);
	struct nestwalk_vm_create vc = {
		.size = sizeof(vc), .mode = NESTWALK_MODE_EPT, .vpid = 1,
		.guest_levels = 4, .host_levels = 4,
		.gpt_base = 2UL << 20, .gpt_size = 2UL << 20,
	};
	struct nestwalk_memslot ms = { .size = sizeof(ms) };
	struct nestwalk_map map = {
		.size = sizeof(map), .gva = 0x7f0000000000ULL,
		.length = 2UL << 20, .leaf = 1, .prot = 1,
	};
	uint64_t g[32] = { 128, 0, 0, NESTWALK_GEN_UNIFORM,
			   0x7f0000000000ULL, 2UL << 20, 0, 0, 30, 0, 0, 1,
			   500000 };
	pthread_t t;

	if (fd < 0)
		return;
	pthread_rwlock_wrlock(&reg_lock);
	if (reg[r])
		munmap(reg[r], reglen[r]);
	reglen[r] = 4UL << 20;
	reg[r] = mmap(NULL, reglen[r], PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (reg[r] == MAP_FAILED)
		reg[r] = NULL;
	pthread_rwlock_unlock(&reg_lock);
	if (!reg[r]) {
		close(fd);
		return;
	}
	note(ioctl(fd, NESTWALK_IOC_VM_CREATE, &vc));
	ms.memory_size = reglen[r];
	ms.userspace_addr = (uintptr_t)reg[r];
	note(ioctl(fd, NESTWALK_IOC_MEMSLOT, &ms));
	note(ioctl(fd, NESTWALK_IOC_MAP, &map));
	g[31] = fd;
	if (pthread_create(&t, NULL, runner, g) == 0) {
		usleep(pick(20000));
		pthread_rwlock_wrlock(&reg_lock);
		munmap(reg[r], reglen[r]);	/* pinned: the run goes on */
		reg[r] = NULL;
		pthread_rwlock_unlock(&reg_lock);
		pthread_join(t, NULL);
	}
	close(fd);
}

/* A child in a long run, killed or interrupted after a random delay. */
static void signal_long_run(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		int fd = any_fd();
		uint64_t g[16] = { 128, 0, 0, NESTWALK_GEN_UNIFORM,
				   0x7f0000000000ULL, 4096, 0, 0, 0, 0, 0, 1,
				   1ULL << 36 };

		signal(SIGALRM, SIG_DFL);
		ioctl(fd, NESTWALK_IOC_GENERATE, g);
		_exit(0);
	}
	if (pid < 0)
		return;
	usleep(pick(30000));
	kill(pid, pick(2) ? SIGKILL : SIGTERM);
	waitpid(pid, &st, 0);
}

/* hostile_maps(): 8 MiB of guest memory, data below 4 MiB, tables above. */
#define HM_MEM		(8UL << 20)
#define HM_GPT		(4UL << 20)
#define HM_PAGES	(HM_GPT / 4096)
static unsigned long hm_runs, hm_bad;
static double t_start;

static uint64_t hm_pattern(uint64_t i)
{
	return 0x5a5a5a5a00000000ULL ^ (i * 0x9e3779b97f4a7c15ULL);
}

/*
 * Maps of every leaf size over each other (small under large frees
 * guest tables, large under small splits them), with misaligned links
 * and table pointers into the data stored into the first words of the
 * tables between them. Then every data page no stored value named must
 * hold its pattern.
 */
static void hostile_maps(void)
{
	int fd = open(DEV, O_RDWR | O_CLOEXEC), k, nested = pick(2);
	uint8_t named[HM_PAGES] = { 0 };
	struct nestwalk_vm_create vc = {
		.size = sizeof(vc), .guest_levels = 4,
		.mode = nested ? NESTWALK_MODE_EPT : NESTWALK_MODE_SHADOW,
		.host_levels = nested ? 4 : 0,
		.gpt_base = HM_GPT, .gpt_size = HM_MEM - HM_GPT,
	};
	struct nestwalk_memslot ms = {
		.size = sizeof(ms), .memory_size = HM_MEM,
	};
	uint64_t *m, i, bad = 0;

	if (fd < 0)
		return;
	m = mmap(NULL, HM_MEM, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		close(fd);
		return;
	}
	for (i = 0; i < HM_GPT / 8; i++)
		m[i] = hm_pattern(i);
	ms.userspace_addr = (uintptr_t)m;
	if (ioctl(fd, NESTWALK_IOC_VM_CREATE, &vc) ||
	    ioctl(fd, NESTWALK_IOC_MEMSLOT, &ms))
		goto out;
	for (k = 0; k < 48; k++) {
		unsigned int leaf = 1 + pick(3), shift = 3 + 9 * leaf;
		struct nestwalk_map map = {
			.size = sizeof(map), .leaf = leaf,
			.gva = 0x7f0000000000ULL + (pick(4) << shift),
			.gpa = pick(4) << shift, .length = (1 + pick(2)) << shift,
			.prot = NESTWALK_PROT_WRITE,
		};
		uint64_t page = pick(HM_PAGES), *w;

		note(ioctl(fd, NESTWALK_IOC_MAP, &map));
		/*
		 * The first word, or any word, of one of the first 32 pages
		 * of the gpt region: those the maps' tables take.
		 */
		w = m + (HM_GPT + pick(32) * 4096) / 8 +
		    (pick(2) ? 0 : pick(512));
		*w = (page << 12) + (pick(2) ? 8 * (1 + pick(511)) : 0x27);
		named[page] = 1;
	}
	for (i = 0; i < HM_GPT / 8; i++)
		bad += !named[i / 512] && m[i] != hm_pattern(i);
	hm_runs++;
	if (bad) {
		hm_bad++;
		printf("# hostile maps (%s): %llu data words changed, scenario %lu, %.1f s in\n",
		       nested ? "ept" : "shadow", (unsigned long long)bad,
		       hm_runs, now() - t_start);
	}
out:
	close(fd);
	munmap(m, HM_MEM);
}

/* A child that uses the fds it shares with us, then exits. */
static void forked_user(void)
{
	pid_t pid = fork();
	int st, i;

	if (pid == 0) {
		rng ^= (uint64_t)getpid() << 32;
		for (i = 0; i < 20; i++) {
			int fd = fds[pick(NFDS)];

			if (fd >= 0)
				one_ioctl(fd);
		}
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, &st, 0);
}

int main(void)
{
	const char *s = getenv("NESTWALK_FUZZ_SECONDS");
	const char *sd = getenv("NESTWALK_FUZZ_SEED");
	double budget = s ? atof(s) : 20, t0, t;
	long long sessions0, pinned0, sessions1, pinned1;
	uint64_t seed = sd ? strtoull(sd, NULL, 0) : (uint64_t)time(NULL);
	unsigned int i, codes = 0;
	pthread_t writer;
	int fails = 0, writing;

	printf("TAP version 13\n");
	if (geteuid() || access(DEV, F_OK)) {
		printf("1..0 # SKIP needs root and the nestwalk module\n");
		return 4;
	}
	rng = seed | 1;
	sessions0 = stat_of("sessions_open");
	pinned0 = stat_of("pinned_pages");
	printf("# seed %llu, %.0f s\n", (unsigned long long)seed, budget);
	writing = !pthread_create(&writer, NULL, guest_writer,
				  (void *)(uintptr_t)(seed * 3));
	t_start = t0 = now();
	hostile_maps();		/* at least one, however short the run */
	while ((t = now() - t0) < budget ||
	       (issued < MIN_IOCTLS && t < budget + OVERTIME)) {
		unsigned int r = pick(NREG), k;
		int fd;

		switch (pick(100)) {
		case 0 ... 2:
			i = pick(NFDS);
			if (fds[i] >= 0) {
				close(fds[i]);
				fds[i] = -1;
			}
			break;
		case 3 ... 5:
			pthread_rwlock_wrlock(&reg_lock);
			if (reg[r])
				munmap(reg[r], reglen[r]);
			reglen[r] = 4096UL << pick(12);
			reg[r] = mmap(NULL, reglen[r], PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (reg[r] == MAP_FAILED)
				reg[r] = NULL;
			pthread_rwlock_unlock(&reg_lock);
			break;
		case 6:
			forked_user();
			break;
		case 7:
			unmap_under_run();
			break;
		case 8:
			signal_long_run();
			break;
		case 9:
			hostile_maps();
			break;
		default:
			fd = any_fd();
			for (k = 0; fd >= 0 && k < 8; k++)
				one_ioctl(fd);
		}
	}
	stop_writer = 1;
	if (writing)
		pthread_join(writer, NULL);
	for (i = 0; i < NFDS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	for (i = 0; i < NREG; i++)
		if (reg[i])
			munmap(reg[i], reglen[i]);
	/* Sessions close when the last user of their file goes. */
	usleep(100000);
	sessions1 = stat_of("sessions_open");
	pinned1 = stat_of("pinned_pages");
	printf("%sok 1 fuzz: sessions back to %lld (%lld)\n",
	       sessions1 == sessions0 ? "" : "not ", sessions0, sessions1);
	fails += sessions1 != sessions0;
	printf("%sok 2 fuzz: pinned pages back to %lld (%lld)\n",
	       pinned1 == pinned0 ? "" : "not ", pinned0, pinned1);
	fails += pinned1 != pinned0;
	printf("# error codes:");
	for (i = 0; i < sizeof(seen); i++)
		if (seen[i]) {
			printf(" %s", strerrorname_np(i) ?: "?");
			codes++;
		}
	printf("\n# figures: fuzzer: %llu ioctls issued, %llu hostile guest-memory writes, %lu hostile-map scenarios, %u distinct error codes, %.0f s, seed %llu\n",
	       issued, gwrites, hm_runs, codes, now() - t0,
	       (unsigned long long)seed);
	printf("%sok 3 fuzz: %llu ioctls (at least %u), %u error codes (at least 4)\n",
	       issued >= MIN_IOCTLS && codes >= 4 ? "" : "not ", issued,
	       MIN_IOCTLS, codes);
	fails += !(issued >= MIN_IOCTLS && codes >= 4);
	printf("%sok 4 fuzz: %llu guest-memory writes while the ioctls ran\n",
	       writing && gwrites > 1000 ? "" : "not ", gwrites);
	fails += !(writing && gwrites > 1000);
	printf("%sok 5 fuzz: guest data intact after %lu hostile-map scenarios (%lu changed)\n",
	       hm_runs && !hm_bad ? "" : "not ", hm_runs, hm_bad);
	fails += !hm_runs || hm_bad;
	printf("1..5\n");
	return fails ? 1 : 0;
}
