// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's batch path against the userspace build of the same core, on
 * the same trace, in the same machine (the test VM: TCG timings are not
 * real speeds, so only the ratio means anything). The trace is a zipf
 * (theta 0.99) trace over 64 MiB, replayed in an EPT 4x4 VM over 4 KiB
 * host pages with the skylake preset and every cache on; both sides run a
 * warm pass first, then a timed one.
 *
 * "vmbench drain" is the floor of make bench's ingest figure: it reads its
 * standard input, a pipe lackey writes its trace into, with the helper's
 * own reader (userspace/zstream.c: the same pipe size, reads and pacing as
 * nestwalk trace) and drops the bytes: what lackey pays for writing into
 * a pipe at all, before anything is parsed.
 */
#define _GNU_SOURCE
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

#include "../userspace/zstream.h"
#include "env.h"
#include "presets.h"
#include "sim.h"
#include "workload.h"

#define GVA	(1ULL << 40)
#define WS	(64ULL << 20)
#define MEM	(WS + (16ULL << 20))	/* data, then guest tables */
#define N	(1U << 21)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Accesses per second of the userspace core; @window: the fast path. */
static double user_rate(const struct nw_acc *t, bool window)
{
	struct nw_sim_cfg cfg;
	struct nw_vm *vm;
	struct nw_as *as;
	struct env e;
	double t0, secs;
	int err;

	nw_preset(NW_PRESET_SKYLAKE, &cfg);
	err = window ? env_init(&e, &cfg) : env_init_nowindow(&e, &cfg);
	err = err ?: env_vm(&e, NW_MODE_EPT, 4, 4, NW_PTE, 1, &vm);
	err = err ?: nw_as_create(vm, 0, &as);
	err = err ?: nw_as_map(as, GVA, 0, WS, NW_PTE, NW_X86_RW);
	if (err) {
		fprintf(stderr, "vmbench: userspace setup: %d\n", err);
		exit(1);
	}
	nw_vm_enter(e.s, vm);
	nw_access_batch(e.s, t, N);
	t0 = now();
	nw_access_batch(e.s, t, N);
	secs = now() - t0;
	env_fini(&e);
	return N / secs;
}

static void must(int ret, const char *what)
{
	if (ret) {
		fprintf(stderr, "vmbench: %s: %s\n", what, strerror(errno));
		exit(1);
	}
}

static double kernel_rate(const struct nw_acc *t)
{
	struct nestwalk_config cfg = {
		.size = sizeof(cfg), .preset = NESTWALK_PRESET_SKYLAKE,
	};
	struct nestwalk_vm_create vc = {
		.size = sizeof(vc), .mode = NESTWALK_MODE_EPT, .vpid = 1,
		.guest_levels = 4, .host_levels = 4,
		.gpt_base = WS, .gpt_size = MEM - WS,
	};
	struct nestwalk_memslot ms = {
		.size = sizeof(ms), .memory_size = MEM,
	};
	struct nestwalk_map map = {
		.size = sizeof(map), .gva = GVA, .gpa = 0, .length = WS,
		.leaf = NESTWALK_PAGE_4K, .prot = NESTWALK_PROT_WRITE,
	};
	struct nestwalk_run r = { .size = sizeof(r), .count = N };
	struct nestwalk_access *acc;
	double t0, secs;
	void *mem;
	unsigned int i;
	int fd;

	mem = mmap(NULL, MEM, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	acc = calloc(N, sizeof(*acc));
	if (mem == MAP_FAILED || !acc) {
		fprintf(stderr, "vmbench: out of memory\n");
		exit(1);
	}
	madvise(mem, MEM, MADV_NOHUGEPAGE);
	for (i = 0; i < N; i++) {
		acc[i].gva = t[i].va;
		acc[i].attr = NESTWALK_ACCESS(t[i].pcid, t[i].kind);
	}
	fd = open("/dev/nestwalk", O_RDWR | O_CLOEXEC);
	must(fd < 0, "/dev/nestwalk");
	must(ioctl(fd, NESTWALK_IOC_CONFIG, &cfg), "config");
	must(ioctl(fd, NESTWALK_IOC_VM_CREATE, &vc), "vm");
	ms.userspace_addr = (unsigned long)mem;
	must(ioctl(fd, NESTWALK_IOC_MEMSLOT, &ms), "memslot");
	must(ioctl(fd, NESTWALK_IOC_MAP, &map), "map");
	r.accesses = (unsigned long)acc;
	must(ioctl(fd, NESTWALK_IOC_RUN, &r), "warm run");
	t0 = now();
	must(ioctl(fd, NESTWALK_IOC_RUN, &r), "run");
	secs = now() - t0;
	close(fd);
	free(acc);
	munmap(mem, MEM);
	return N / secs;
}

static int drain(void)
{
	static unsigned char buf[1 << 16];
	unsigned long long bytes = 0;
	static struct nw_zin z;
	char err[256];
	long n;

	/* As spawn_lackey() sizes the helper's pipe (userspace/tracecmd.c). */
	fcntl(0, F_SETPIPE_SZ, NW_ZIN_PIPE_SIZE);
	if (nw_zin_open(&z, stdin, err, sizeof(err))) {
		fprintf(stderr, "vmbench drain: %s\n", err);
		return 1;
	}
	while ((n = nw_zin_read(&z, buf, sizeof(buf), err, sizeof(err))) > 0)
		bytes += n;
	nw_zin_close(&z);
	if (n < 0) {
		fprintf(stderr, "vmbench drain: %s\n", err);
		return 1;
	}
	printf("vmbench drain: %llu bytes\n", bytes);
	return 0;
}

int main(int argc, char **argv)
{
	struct nw_wl_cfg c = {
		.pattern = NW_WL_ZIPF, .base = GVA, .size = WS,
		.theta_m = 990, .write_pct = 20, .seed = 42,
	};
	struct nw_acc *t;
	double kern, user_win, user_nowin;
	struct nw_wl wl;

	if (argc > 1 && !strcmp(argv[1], "drain"))
		return drain();
	t = calloc(N, sizeof(*t));
	if (!t || nw_wl_init(&wl, &c)) {
		fprintf(stderr, "vmbench: trace\n");
		return 1;
	}
	nw_wl_fill(&wl, t, N);
	nw_wl_fini(&wl);

	kern = kernel_rate(t);
	user_win = user_rate(t, true);
	user_nowin = user_rate(t, false);
	printf("vmbench: zipf 0.99 over 64 MiB, EPT 4x4, skylake, %u accesses (TCG: ratios only)\n",
	       N);
	printf("vmbench: kernel batch path          %8.2f Macc/s\n", kern / 1e6);
	printf("vmbench: userspace core, window     %8.2f Macc/s  kernel/user time %.2f\n",
	       user_win / 1e6, user_win / kern);
	printf("vmbench: userspace core, frame cache %7.2f Macc/s  kernel/user time %.2f\n",
	       user_nowin / 1e6, user_nowin / kern);
	printf("vmbench: goal kernel/user time <= 1.5 (window): %s\n",
	       user_win / kern <= 1.5 ? "met" : "NOT met");
	return 0;
}
