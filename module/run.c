// SPDX-License-Identifier: GPL-2.0
/*
 * RUN and GENERATE: accesses from the caller's array or an in-kernel
 * generator, through one loop of batches.
 */
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "abi.h"

/* Accesses copied from userspace per step of a run. */
#define NW_RUN_CHUNK	4096

/* The counters now, for the deltas of a run; NULL if none were asked. */
static u64 *snapshot(struct nw_session *s, u64 ndeltas, int *err)
{
	u64 *v;
	int i;

	*err = 0;
	if (!ndeltas)
		return NULL;
	v = kvmalloc_array(NW_C_NR, sizeof(*v), GFP_KERNEL);
	if (!v) {
		*err = -ENOMEM;
		return NULL;
	}
	for (i = 0; i < NW_C_NR; i++)
		v[i] = nw_sim_counter(s->sim, i);
	return v;
}

/* Write what the run added to each counter; @before is freed. */
static int put_deltas(struct nw_session *s, u64 *before, u64 udeltas,
		      u64 *ndeltas)
{
	u64 __user *out = u64_to_user_ptr(udeltas);
	u64 i, n = min_t(u64, *ndeltas, NW_C_NR);
	int ret = 0;

	if (!before)
		return 0;
	for (i = 0; i < n && !ret; i++)
		if (put_user(nw_sim_counter(s->sim, i) - before[i], out + i))
			ret = -EFAULT;
	kvfree(before);
	*ndeltas = ret ? 0 : n;
	return ret;
}

/* Fill @acc with accesses @off to @off + @n - 1 of a run. */
typedef int (*nw_fill_fn)(void *ctx, struct nw_acc *acc, u64 off, u64 n);

/*
 * The loop of RUN and GENERATE: @count accesses in @vm, NW_RUN_CHUNK at a
 * time from @fill, stopping on a fatal signal; *@done: how many ran. With
 * room for deltas (*@ndeltas), what the run added to each counter goes to
 * @udeltas and *@ndeltas says how many.
 */
static int run_batches(struct nw_session *s, struct nw_gvm *vm, u64 count,
		       u64 *done, nw_fill_fn fill, void *ctx, u64 udeltas,
		       u64 *ndeltas)
{
	u64 room = *ndeltas, *before, n;
	struct nw_acc *acc;
	int ret, ret2;

	/* Nothing is written back unless the run gets going. */
	*ndeltas = 0;
	before = snapshot(s, room, &ret);
	if (ret)
		return ret;
	acc = kvmalloc_array(NW_RUN_CHUNK, sizeof(*acc), GFP_KERNEL);
	if (!acc) {
		kvfree(before);
		return -ENOMEM;
	}
	nw_session_enter(s, vm);
	for (*done = 0; *done < count; *done += n) {
		n = min_t(u64, NW_RUN_CHUNK, count - *done);
		ret = fill(ctx, acc, *done, n);
		if (ret)
			break;
		nw_access_batch(s->sim, acc, n);
		if (fatal_signal_pending(current)) {
			*done += n;
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	kvfree(acc);
	*ndeltas = room;
	ret2 = put_deltas(s, before, udeltas, ndeltas);
	return ret ? ret : ret2;
}

struct user_accesses {
	struct nestwalk_access __user *uacc;
	struct nestwalk_access *buf;
};

/*
 * The core's kind of an access's @attr: the uAPI's kind, EFLAGS.AC and
 * implicit-access bits; -EINVAL for kind 3 (and 7), and for an implicit
 * access said to be a user one (SDM 4.6.1: implicit ones are supervisor).
 */
static int acc_kind(u64 attr)
{
	unsigned int kind = NESTWALK_ACCESS_KIND(attr);

	if ((kind & 3) == 3 ||
	    ((attr & NESTWALK_ACCESS_IMPLICIT) && (kind & NESTWALK_USER)))
		return -EINVAL;
	return kind | (attr & NESTWALK_ACCESS_AC ? NW_AC : 0) |
	       (attr & NESTWALK_ACCESS_IMPLICIT ? NW_IMPLICIT : 0);
}

/* Records of the caller's array; reserved bits or a bad kind: EINVAL. */
static int fill_user(void *ctx, struct nw_acc *acc, u64 off, u64 n)
{
	struct user_accesses *u = ctx;
	u64 i;
	int kind;

	if (copy_from_user(u->buf, u->uacc + off, n * sizeof(*u->buf)))
		return -EFAULT;
	for (i = 0; i < n; i++) {
		u64 attr = u->buf[i].attr, bytes = NESTWALK_ACCESS_BYTES(attr);

		kind = acc_kind(attr);
		if (attr & NESTWALK_ACCESS_RSVD || kind < 0 ||
		    bytes > NESTWALK_ACCESS_SIZE_MAX)
			return -EINVAL;
		acc[i].va = u->buf[i].gva;
		acc[i].pcid = NESTWALK_ACCESS_PCID(attr);
		acc[i].kind = kind | nw_cross(u->buf[i].gva, bytes);
	}
	return 0;
}

int nw_run_ioctl(struct nw_session *s, struct nestwalk_run *r)
{
	struct user_accesses u = { .uacc = u64_to_user_ptr(r->accesses) };
	struct nw_gvm *vm = nw_vm_lookup(s, r->vm_id);
	u64 room = r->ndeltas;
	int ret;

	r->ndeltas = 0;
	if (r->count > NESTWALK_RUN_MAX)
		return -EINVAL;
	if (!vm)
		return -ENOENT;
	u.buf = kvmalloc_array(NW_RUN_CHUNK, sizeof(*u.buf), GFP_KERNEL);
	if (!u.buf)
		return -ENOMEM;
	r->ndeltas = room;
	ret = run_batches(s, vm, r->count, &r->done, fill_user, &u, r->deltas,
			  &r->ndeltas);
	kvfree(u.buf);
	return ret;
}

static int check_generate(const struct nestwalk_generate *g)
{
	if (g->pattern > NESTWALK_GEN_CHASE || g->pcid > NESTWALK_PCID_MAX ||
	    g->write_pct > 100 || g->fetch_pct > 100 - g->write_pct ||
	    g->count > BIT_ULL(40) || g->theta_milli > U32_MAX)
		return -EINVAL;
	if (!g->length || !PAGE_ALIGNED(g->length) ||
	    g->base + g->length < g->base)
		return -EINVAL;
	if (g->pattern == NESTWALK_GEN_STRIDED && !g->stride)
		return -EINVAL;
	return 0;
}

/* Steps of a generator's set-up between two looks at signals. */
#define NW_WL_SETUP_CHUNK	16384

/* A zipf or chase table of up to 2^22 pages, set up in chunks. */
static int wl_setup(struct nw_wl *wl)
{
	while (nw_wl_setup(wl, NW_WL_SETUP_CHUNK)) {
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return 0;
}

static int fill_generated(void *ctx, struct nw_acc *acc, u64 off, u64 n)
{
	nw_wl_fill(ctx, acc, n);
	return 0;
}

int nw_generate_ioctl(struct nw_session *s, struct nestwalk_generate *g)
{
	struct nw_gvm *vm = nw_vm_lookup(s, g->vm_id);
	struct nw_wl_cfg cfg = {
		.pattern = g->pattern, .pcid = g->pcid,
		.user = !!(g->flags & NESTWALK_GEN_USER),
		.write_pct = g->write_pct,
		.fetch_pct = g->fetch_pct, .theta_m = g->theta_milli,
		.base = g->base, .size = g->length, .stride = g->stride,
		.seed = g->seed,
	};
	u64 room = g->ndeltas;
	struct nw_wl wl;
	int ret;

	g->ndeltas = 0;
	ret = check_generate(g);
	if (ret)
		return ret;
	if (!vm)
		return -ENOENT;
	ret = nw_wl_start(&wl, &cfg);
	if (!ret)
		ret = wl_setup(&wl);
	if (!ret) {
		g->ndeltas = room;
		ret = run_batches(s, vm, g->count, &g->done, fill_generated,
				  &wl, g->deltas, &g->ndeltas);
	}
	nw_wl_fini(&wl);
	return ret;
}
