// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "experiment.h"
#include "libnestwalk.h"
#include "size.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT	26
#endif

#define GVA_BASE	0x7f0000000000ULL	/* generator workloads */
#define SZ_2M		(2ULL << 20)
#define SZ_1G		(1ULL << 30)
#define TRACE_BATCH	65536

const char *const nw_backing_names[NW_BACK_NR] = {
	"4k", "thp", "hugetlb-2M", "hugetlb-1G",
};

const char *const nw_mode_names[4] = { "native", "ept", "npt", "shadow" };
const char *const nw_preset_names[4] = {
	"custom", "nehalem", "skylake", "zen2",
};

const char *const nw_dcache_mode_names[3] = {
	[NESTWALK_DCACHE_OFF] = "off",
	[NESTWALK_DCACHE_DATA] = "data",
	[NESTWALK_DCACHE_WALKS] = "walks-only",
};

const char *const nw_served_names[NW_SERVED_NR] = {
	"L1", "L2", "LLC", "memory",
};

void nw_exp_defaults(struct nw_exp *x)
{
	memset(x, 0, sizeof(*x));
	x->mode = NESTWALK_MODE_EPT;
	x->preset = NESTWALK_PRESET_NEHALEM;
	x->vpid = 1;
	x->guest_levels = 4;
	x->host_levels = 4;
	x->guest_page = NESTWALK_PAGE_4K;
	x->backing = NW_BACK_4K;
	x->ws = 16ULL << 20;
	x->pattern = NESTWALK_GEN_ZIPF;
	x->theta_milli = 990;
	x->seed = 1;
	x->accesses = 1000000;
	x->warmup = 1;
	x->dcache_mode = NESTWALK_DCACHE_DATA;
}

static uint64_t round_up(uint64_t v, uint64_t to)
{
	return (v + to - 1) / to * to;
}

static uint64_t page_bytes(int level)
{
	return 1ULL << (12 + 9 * (level - 1));
}

/* Where a VM's guest memory goes: data at GPA 0, page tables above. */
struct layout {
	uint64_t data;		/* bytes of data, from GPA 0 */
	uint64_t gpt_base;
	uint64_t gpt_size;
	uint64_t total;		/* the memslot: all of it */
};

static void plan(const struct nw_exp *x, struct layout *l)
{
	static const uint64_t backing_page[NW_BACK_NR] = {
		4096, SZ_2M, SZ_2M, SZ_1G,
	};
	uint64_t align = page_bytes(x->guest_page);

	if (align < backing_page[x->backing])
		align = backing_page[x->backing];
	if (align < SZ_2M)
		align = SZ_2M;
	l->data = round_up(x->ws, page_bytes(x->guest_page));
	l->gpt_base = round_up(l->data, align);
	/* A 4 KiB guest page needs 8 bytes of PTE, plus the upper levels. */
	l->gpt_size = round_up(l->data / 256 + (2ULL << 20), SZ_2M);
	l->total = round_up(l->gpt_base + l->gpt_size, backing_page[x->backing]);
}

static void *alloc_backing(int backing, uint64_t len, char *err, size_t elen)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
	uint8_t *p;

	if (backing == NW_BACK_HUGETLB_2M)
		flags |= MAP_HUGETLB | (21 << MAP_HUGE_SHIFT);
	if (backing == NW_BACK_HUGETLB_1G)
		flags |= MAP_HUGETLB | (30 << MAP_HUGE_SHIFT);
	if (backing == NW_BACK_THP) {
		/* Cut a 2 MiB aligned piece out of a larger mapping. */
		p = mmap(NULL, len + SZ_2M, PROT_READ | PROT_WRITE, flags,
			 -1, 0);
		if (p == MAP_FAILED)
			goto failed;
		uint64_t head = round_up((uintptr_t)p, SZ_2M) - (uintptr_t)p;

		if (head)
			munmap(p, head);
		munmap(p + head + len, SZ_2M - head);
		p += head;
		if (madvise(p, len, MADV_HUGEPAGE)) {
			nw_errf(err, elen, "madvise(MADV_HUGEPAGE): %s",
			     strerror(errno));
			munmap(p, len);
			return NULL;
		}
	} else {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, -1, 0);
		if (p == MAP_FAILED)
			goto failed;
		if (backing == NW_BACK_4K)
			madvise(p, len, MADV_NOHUGEPAGE);
	}
	memset(p, 0, len);	/* fault it in as the backing says */
	return p;

failed:
	if (backing >= NW_BACK_HUGETLB_2M)
		nw_errf(err, elen, "no %s memory for %llu MiB: %s (size the pool: nestwalk hugepages for-vm %lluM --size %s)",
		     nw_backing_names[backing],
		     (unsigned long long)(len >> 20), strerror(errno),
		     (unsigned long long)(len >> 20),
		     backing == NW_BACK_HUGETLB_2M ? "2M" : "1G");
	else
		nw_errf(err, elen, "mmap of %llu MiB: %s",
		     (unsigned long long)(len >> 20), strerror(errno));
	return NULL;
}

struct vmstate {
	uint64_t id;
	void *mem;
	uint64_t len;
};

static int setup_vm(int fd, const struct nw_exp *x, const struct layout *l,
		    int idx, struct vmstate *v, struct nw_exp_result *r,
		    char *err, size_t elen)
{
	struct nestwalk_vm_create vc = {
		.size = sizeof(vc), .mode = x->mode,
		.flags = (x->ept_ad ? NESTWALK_VM_EPT_AD : 0) | x->vm_flags,
		.pkru = x->pkru,
		.vpid = x->vpid ? idx + 1 : 0,
		.guest_levels = x->guest_levels,
		.host_levels = x->mode == NESTWALK_MODE_EPT ||
			       x->mode == NESTWALK_MODE_NPT ? x->host_levels : 0,
		.gpt_base = l->gpt_base, .gpt_size = l->gpt_size,
	};
	struct nestwalk_memslot ms = {
		.size = sizeof(ms), .gpa = 0, .memory_size = l->total,
	};
	struct nestwalk_map map = {
		.size = sizeof(map), .gva = GVA_BASE, .gpa = 0,
		.length = l->data, .leaf = x->guest_page,
		.prot = NESTWALK_PROT_WRITE | NESTWALK_PROT_USER,
	};

	v->mem = alloc_backing(x->backing, l->total, err, elen);
	if (!v->mem)
		return -1;
	v->len = l->total;
	if (ioctl(fd, NESTWALK_IOC_VM_CREATE, &vc))
		return nw_errf(err, elen, "VM_CREATE (%s, %d+%d levels): %s",
			    nw_mode_names[x->mode], x->guest_levels,
			    x->host_levels, strerror(errno));
	v->id = vc.vm_id;
	ms.vm_id = vc.vm_id;
	ms.userspace_addr = (uintptr_t)v->mem;
	if (ioctl(fd, NESTWALK_IOC_MEMSLOT, &ms))
		return nw_errf(err, elen, "MEMSLOT of %llu MiB: %s",
			    (unsigned long long)(l->total >> 20),
			    strerror(errno));
	r->host_pages[1] += ms.host_4k;
	r->host_pages[2] += ms.host_2m;
	r->host_pages[3] += ms.host_1g;
	if (x->trace)		/* traces map their pages as they come */
		return 0;
	map.vm_id = vc.vm_id;
	if (ioctl(fd, NESTWALK_IOC_MAP, &map))
		return nw_errf(err, elen, "MAP %llu MiB with %s guest pages: %s",
			    (unsigned long long)(l->data >> 20),
			    x->guest_page == 1 ? "4K" :
			    x->guest_page == 2 ? "2M" : "1G",
			    strerror(errno));
	return 0;
}

static int generate(int fd, const struct nw_exp *x, uint64_t vm,
		    uint64_t seed, uint64_t count)
{
	struct nestwalk_generate g = {
		.size = sizeof(g), .flags = NESTWALK_GEN_USER, .vm_id = vm,
		.pattern = x->pattern, .base = GVA_BASE, .length = x->ws,
		.stride = x->stride, .theta_milli = x->theta_milli,
		.write_pct = x->write_pct, .fetch_pct = x->fetch_pct,
		.seed = seed, .count = count,
	};

	return ioctl(fd, NESTWALK_IOC_GENERATE, &g) ? -errno : 0;
}

/* The session's accesses counter; -1 if the module did not say. */
static int64_t accesses_now(int fd)
{
	__u64 v[NESTWALK_STAT_ACCESSES + 1] = { 0 };
	struct nestwalk_stats st = {
		.size = sizeof(st), .values = (uintptr_t)v,
		.count = NESTWALK_STAT_ACCESSES + 1,
	};

	return ioctl(fd, NESTWALK_IOC_STATS, &st) ? -1 :
	       (int64_t)v[NESTWALK_STAT_ACCESSES];
}

/*
 * The progress of a generator pass, which the module runs in one
 * GENERATE ioctl a VM's turn: a thread reads the session's accesses
 * counter every NW_PROGRESS_EVERY seconds while the ioctl runs (STATS
 * does not wait for it, include/uapi/linux/nestwalk.h) and updates the
 * line; the main thread updates it after each turn.
 */
struct genwatch {
	int fd;
	struct nw_progress *p;
	uint64_t before, total;	/* accesses of earlier passes; of all */
	int64_t c0;		/* the counter when this pass began */
	pthread_mutex_t lock;	/* the line, @stop */
	pthread_cond_t wake;
	int stop;
};

static void genwatch_update(struct genwatch *w, int64_t now)
{
	uint64_t done;

	if (now < w->c0)	/* not said, or counters reset */
		return;
	done = w->before + (now - w->c0);
	nw_progress_update(w->p, done, done, w->total);
}

static void *genwatch_thread(void *arg)
{
	struct genwatch *w = arg;
	struct timespec at;
	int64_t now;

	pthread_mutex_lock(&w->lock);
	while (!w->stop) {
		clock_gettime(CLOCK_REALTIME, &at);
		at.tv_nsec += (long)(NW_PROGRESS_EVERY * 1e9);
		at.tv_sec += at.tv_nsec / 1000000000;
		at.tv_nsec %= 1000000000;
		pthread_cond_timedwait(&w->wake, &w->lock, &at);
		if (w->stop)
			break;
		pthread_mutex_unlock(&w->lock);
		now = accesses_now(w->fd);
		pthread_mutex_lock(&w->lock);
		genwatch_update(w, now);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/*
 * The workload, whole: one VM, or two taking turns every switch_every.
 * @before: accesses of the passes before this one (for the progress line).
 */
static int workload(int fd, const struct nw_exp *x, const struct vmstate *vm,
		    int nvms, uint64_t before, char *err, size_t elen)
{
	struct genwatch w = {
		.fd = fd, .p = x->progress, .before = before,
		.total = x->accesses * (x->warmup ? 2 : 1),
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.wake = PTHREAD_COND_INITIALIZER,
	};
	uint64_t done = 0, chunk = x->switch_every ?: x->accesses, n;
	unsigned int turn = 0;
	pthread_t watcher;
	int ret = 0, watching = 0;

	if (x->progress && x->progress->on) {
		w.c0 = accesses_now(fd);
		watching = w.c0 >= 0 &&
			   !pthread_create(&watcher, NULL, genwatch_thread, &w);
	}
	while (done < x->accesses) {
		n = x->accesses - done < chunk ? x->accesses - done : chunk;
		ret = generate(fd, x, vm[turn % nvms].id, x->seed + turn, n);
		if (ret) {
			nw_errf(err, elen, "GENERATE: %s", strerror(-ret));
			break;
		}
		done += n;
		turn++;
		pthread_mutex_lock(&w.lock);
		if (x->progress)
			nw_progress_update(x->progress, before + done,
					   before + done, w.total);
		pthread_mutex_unlock(&w.lock);
	}
	if (watching) {
		pthread_mutex_lock(&w.lock);
		w.stop = 1;
		pthread_cond_signal(&w.wake);
		pthread_mutex_unlock(&w.lock);
		pthread_join(watcher, NULL);
	}
	return ret ? -1 : 0;
}

/* A small open-addressing set of guest page numbers already mapped. */
struct pageset {
	uint64_t *slot;		/* page number + 1; 0: empty */
	uint64_t cap, n;
};

static int pageset_add(struct pageset *s, uint64_t pn)
{
	uint64_t i, *old = s->slot, oldcap = s->cap;

	if (2 * (s->n + 1) > s->cap) {
		s->cap = s->cap ? 2 * s->cap : 4096;
		s->slot = calloc(s->cap, sizeof(*s->slot));
		if (!s->slot)
			return -ENOMEM;
		s->n = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i])
				pageset_add(s, old[i] - 1);
		free(old);
	}
	for (i = (pn * 0x9e3779b97f4a7c15ULL) & (s->cap - 1);;
	     i = (i + 1) & (s->cap - 1)) {
		if (s->slot[i] == pn + 1)
			return 0;
		if (!s->slot[i]) {
			s->slot[i] = pn + 1;
			s->n++;
			return 1;
		}
	}
}

/* Where a trace's pages go: the next free guest-physical page. */
struct trace_map {
	int fd;
	uint64_t vm;
	uint64_t psize;
	uint64_t next_gpa;
	struct pageset set;
};

/*
 * Map the guest page holding @gva in @pcid's space, if it is new: 0, 1
 * if guest memory is full, or -1 with @err set.
 */
static int map_touched(struct trace_map *t, const struct nw_exp *x,
		       const struct layout *l, uint64_t gva, uint64_t pcid,
		       char *err, size_t elen)
{
	uint64_t page = gva & ~(t->psize - 1);
	struct nestwalk_map map = {
		.size = sizeof(map), .vm_id = t->vm, .pcid = pcid,
		.gva = page, .length = t->psize, .leaf = x->guest_page,
		.prot = NESTWALK_PROT_WRITE | NESTWALK_PROT_USER |
			NESTWALK_PROT_EXEC,
	};
	int added = pageset_add(&t->set, page / t->psize | pcid << 52);

	if (added < 0)
		return nw_errf(err, elen, "out of memory");
	if (!added)
		return 0;
	if (t->next_gpa + t->psize > l->data)
		return 1;
	map.gpa = t->next_gpa;
	if (ioctl(t->fd, NESTWALK_IOC_MAP, &map))
		return nw_errf(err, elen, "MAP of %#llx: %s",
			       (unsigned long long)page, strerror(errno));
	t->next_gpa += t->psize;
	return 0;
}

/* Both pages of an access that ends on the next one. */
static int map_access(struct trace_map *t, const struct nw_exp *x,
		      const struct layout *l, const struct nestwalk_access *a,
		      char *err, size_t elen)
{
	uint64_t bytes = NESTWALK_ACCESS_BYTES(a->attr);
	uint64_t pcid = NESTWALK_ACCESS_PCID(a->attr);
	int ret = map_touched(t, x, l, a->gva, pcid, err, elen);

	if (!ret && bytes > 1)
		ret = map_touched(t, x, l, a->gva + bytes - 1, pcid, err,
				  elen);
	return ret;
}

/*
 * Guest memory is full at access @i of the batch @acc of @n: count the
 * pages the rest of the trace touches (mapping none) to say what --mem
 * the trace needs.
 */
static int too_big(struct trace_map *t, const struct nw_exp *x,
		   struct nestwalk_access *acc, long i, long n, char *err,
		   size_t elen)
{
	uint64_t bytes, pcid, last;
	char mem[32], need[32];

	do {
		for (; i < n; i++) {
			bytes = NESTWALK_ACCESS_BYTES(acc[i].attr) ?: 1;
			pcid = NESTWALK_ACCESS_PCID(acc[i].attr);
			last = acc[i].gva + bytes - 1;
			if (pageset_add(&t->set, acc[i].gva / t->psize |
					pcid << 52) < 0 ||
			    pageset_add(&t->set, last / t->psize |
					pcid << 52) < 0)
				return nw_errf(err, elen, "out of memory");
		}
		i = 0;
	} while ((n = nw_trace_read(x->trace, acc, TRACE_BATCH)) > 0);
	if (n < 0)
		return nw_errf(err, elen, "trace: %s", x->trace->err);
	bytes = round_up(t->set.n * t->psize, 1ULL << 20);
	nw_size_name(x->ws, mem, sizeof(mem));
	nw_size_name(bytes, need, sizeof(need));
	return nw_errf(err, elen, "the trace touches %llu guest pages of %llu KiB, more than --mem %s holds: run it with --mem %s or more",
		       (unsigned long long)t->set.n,
		       (unsigned long long)(t->psize >> 10), mem, need);
}

/*
 * Stream the trace: each batch's new guest pages are mapped (to the next
 * free guest-physical page) before the batch runs; an access that ends
 * on the next page maps that one too.
 */
static int replay(int fd, const struct nw_exp *x, const struct layout *l,
		  uint64_t vm, struct nw_exp_result *r, char *err,
		  size_t elen)
{
	struct nestwalk_access *acc = calloc(TRACE_BATCH, sizeof(*acc));
	struct trace_map t = {
		.fd = fd, .vm = vm, .psize = page_bytes(x->guest_page),
	};
	uint64_t done = 0;
	int ret = -1;
	long n, i;

	if (!acc)
		return nw_errf(err, elen, "out of memory");
	while ((n = nw_trace_read(x->trace, acc, TRACE_BATCH)) > 0) {
		struct nestwalk_run run = {
			.size = sizeof(run), .vm_id = vm,
			.accesses = (uintptr_t)acc, .count = n,
		};

		for (i = 0; i < n; i++) {
			ret = map_access(&t, x, l, &acc[i], err, elen);
			if (ret > 0)
				ret = too_big(&t, x, acc, i, n, err, elen);
			if (ret)
				goto out;
		}
		ret = -1;
		if (ioctl(fd, NESTWALK_IOC_RUN, &run)) {
			nw_errf(err, elen, "RUN: %s", strerror(errno));
			goto out;
		}
		done += n;
		if (x->progress)
			nw_progress_update(x->progress, done,
					   nw_zin_pos(&x->trace->z),
					   x->trace->z.size);
	}
	if (n < 0) {
		nw_errf(err, elen, "trace: %s", x->trace->err);
		goto out;
	}
	r->trace_records = x->trace->records;
	r->mapped_pages = t.set.n;
	ret = 0;
out:
	if (x->progress)
		nw_progress_end(x->progress);
	free(t.set.slot);
	free(acc);
	return ret;
}

_Static_assert((1ULL << NW_CAP_NAMES) == NESTWALK_CAPS + 1,
	       "a name per capability");

const char *const nw_cap_names[NW_CAP_NAMES] = {
	"pdpe1gb", "la57", "pcid", "invpcid", "ept_2m", "ept_1g", "ept_xo",
	"ept_5l",
};

/*
 * The data-cache model's part of @cfg (API 5): the mode, and the
 * geometry if one was given. A module without the model runs the
 * experiment without it when the mode is only the default; asked for, it
 * is refused. 1: @cfg changed.
 */
static int dcache_config(int fd, const struct nw_exp *x,
			 struct nestwalk_config *cfg,
			 struct nw_exp_result *r, char *err, size_t elen)
{
	struct nestwalk_version v;
	int ret;

	r->dcache_mode = NESTWALK_DCACHE_OFF;
	if (x->dcache_mode == NESTWALK_DCACHE_OFF)
		return 0;
	ret = nw_version(fd, &v);
	if (ret)
		return nw_errf(err, elen, "VERSION: %s", strerror(-ret));
	if (v.api_version < 5 && !x->dcache_given)
		return 0;
	if (v.api_version < 5)
		return nw_errf(err, elen, "the module (API %llu) has no data-cache model (--dcache off runs without it)",
			       (unsigned long long)v.api_version);
	cfg->flags |= NESTWALK_CFG_DCACHE;
	cfg->dcache_mode = x->dcache_mode;
	cfg->dcache_levels = x->dcache.n ? (uintptr_t)x->dcache.l : 0;
	cfg->ndcache_levels = x->dcache.n;
	cfg->dcache_mem_latency_milli = x->mem_latency_milli;
	r->dcache_mode = x->dcache_mode;
	return 1;
}

/*
 * The session's CPU: the preset, with the capabilities --cpu-caps
 * changes (CONFIG reports the preset's; a second CONFIG sets them) and
 * the data-cache model (the same second CONFIG).
 * What the experiment needs and the CPU lacks is refused here, with the
 * option that adds it, rather than faulting every access.
 */
static int configure(int fd, const struct nw_exp *x,
		     struct nestwalk_config *cfg, struct nw_exp_result *r,
		     char *err, size_t elen)
{
	uint64_t caps;
	int dc;

	if (ioctl(fd, NESTWALK_IOC_CONFIG, cfg))
		return nw_errf(err, elen, "CONFIG: %s", strerror(errno));
	caps = ((x->caps_set ? 0 : cfg->cpu_caps) | x->caps_on) & ~x->caps_off;
	if (caps != cfg->cpu_caps) {
		cfg->flags |= NESTWALK_CFG_CAPS;
		cfg->cpu_caps = caps;
	}
	dc = dcache_config(fd, x, cfg, r, err, elen);
	if (dc < 0)
		return -1;
	if ((dc || cfg->flags & NESTWALK_CFG_CAPS) &&
	    ioctl(fd, NESTWALK_IOC_CONFIG, cfg))
		return nw_errf(err, elen, "CONFIG: %s", strerror(errno));
	if (x->guest_page == NESTWALK_PAGE_1G &&
	    !(caps & NESTWALK_CAP_PDPE1GB))
		return nw_errf(err, elen, "this CPU has no 1 GiB pages: every access would fault (--cpu-caps +pdpe1gb adds them)");
	if (x->guest_levels == 5 && !(caps & NESTWALK_CAP_LA57))
		return nw_errf(err, elen, "this CPU has no 5-level paging (--cpu-caps +la57 adds it)");
	if (x->mode != NESTWALK_MODE_NATIVE && x->mode != NESTWALK_MODE_SHADOW &&
	    x->host_levels == 5 && !(caps & NESTWALK_CAP_EPT_5L))
		return nw_errf(err, elen, "this CPU has no 5-level EPT/NPT (--cpu-caps +ept_5l adds it)");
	return 0;
}

int nw_exp_run(const struct nw_exp *x, struct nw_exp_result *r, char *err,
	       size_t elen)
{
	struct nestwalk_config cfg = {
		.size = sizeof(cfg), .flags = x->cfg_flags,
		.preset = x->preset, .seed = x->seed,
		.tlb_levels = x->tlb.n ? (uintptr_t)x->tlb.l : 0,
		.ntlb_levels = x->tlb.n,
		.itlb_levels = x->itlb.n ? (uintptr_t)x->itlb.l : 0,
		.nitlb_levels = x->itlb.n,
	};
	struct nestwalk_stats st = { .size = sizeof(st) };
	struct vmstate vm[2] = { { 0 }, { 0 } };
	int nvms = x->switch_every && !x->trace ? 2 : 1, i, fd, ret = -1;
	struct rusage ru;
	struct layout l;

	memset(r, 0, sizeof(*r));
	if (x->trace && x->switch_every)
		return nw_errf(err, elen, "a trace runs in one VM (no --switch-every)");
	plan(x, &l);
	fd = nw_open();
	if (fd < 0)
		return nw_errf(err, elen, "%s: %s", NW_DEV_PATH, strerror(-fd));
	if (configure(fd, x, &cfg, r, err, elen))
		goto out;
	for (i = 0; i < nvms; i++)
		if (setup_vm(fd, x, &l, i, &vm[i], r, err, elen))
			goto out;
	if (x->trace) {
		if (replay(fd, x, &l, vm[0].id, r, err, elen))
			goto out;
	} else {
		if (x->warmup && workload(fd, x, vm, nvms, 0, err, elen))
			goto out;
		if (x->warmup && ioctl(fd, NESTWALK_IOC_RESET, 0)) {
			nw_errf(err, elen, "RESET: %s", strerror(errno));
			goto out;
		}
		if (workload(fd, x, vm, nvms, x->warmup ? x->accesses : 0,
			     err, elen))
			goto out;
	}
	st.values = (uintptr_t)r->v;
	st.names = (uintptr_t)r->names;
	st.count = NW_MAX_COUNTERS;
	if (ioctl(fd, NESTWALK_IOC_STATS, &st)) {
		nw_errf(err, elen, errno == EINVAL ?
			"STATS: the module names no counters (API 2 or older): load this release's module" :
			"STATS: %s", strerror(errno));
		goto out;
	}
	nw_res_take(r, st.count);
	if (!getrusage(RUSAGE_SELF, &ru))
		r->max_rss_kib = ru.ru_maxrss;
	ret = 0;
out:
	if (x->progress)
		nw_progress_end(x->progress);
	close(fd);
	for (i = 0; i < 2; i++)
		if (vm[i].mem)
			munmap(vm[i].mem, vm[i].len);
	return ret;
}

void nw_res_take(struct nw_exp_result *r, uint64_t count)
{
	unsigned int i;

	r->n = count < NW_MAX_COUNTERS ? count : NW_MAX_COUNTERS;
	for (i = 0; i < r->n; i++)
		r->names[i][NESTWALK_STAT_NAME_LEN - 1] = 0;
}

uint64_t nw_res(const struct nw_exp_result *r, enum nestwalk_stat c)
{
	return (unsigned int)c < r->n ? r->v[c] : 0;
}

double nw_res_ratio(uint64_t num, uint64_t den)
{
	return den ? (double)num / den : 0.0;
}

double nw_res_refs_per_walk(const struct nw_exp_result *r)
{
	return nw_res_ratio(nw_res(r, NESTWALK_STAT_WALK_REFS), nw_res(r, NESTWALK_STAT_WALKS));
}

double nw_res_cycles_per_access(const struct nw_exp_result *r)
{
	return nw_res_ratio(nw_res(r, NESTWALK_STAT_MCYCLES), nw_res(r, NESTWALK_STAT_ACCESSES)) /
	       1000.0;
}

uint64_t nw_res_walk_loads(const struct nw_exp_result *r, int dim, int at)
{
	uint64_t n = 0;
	int d, fetch;

	/* enum nestwalk_stat: DTLB, ITLB, EPT_DTLB, EPT_ITLB; L1 to MEM. */
	for (d = 0; d < 2; d++)
		for (fetch = 0; fetch < 2; fetch++)
			if (dim < 0 || dim == d)
				n += nw_res(r, NESTWALK_STAT_WALKER_LOADS_DTLB_L1 +
					    8 * d + 4 * fetch + at);
	return n;
}
