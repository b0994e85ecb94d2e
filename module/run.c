// SPDX-License-Identifier: GPL-2.0
/*
 * Driving the model: the session's machine configuration, guest mappings
 * and runs of accesses.
 */
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "abi.h"
#include "presets.h"
#include "invalidate.h"
#include "workload.h"

/* Accesses copied from userspace per step of a run. */
#define NW_RUN_CHUNK	4096

static int tlb_array(const struct nestwalk_tlb_array *u,
		     struct nw_cache_cfg *a)
{
	if (!u->sizes)
		return u->entries || u->ways || u->repl ? -EINVAL : 0;
	if (u->sizes & ~NESTWALK_TLB_SIZES || !u->entries ||
	    u->entries > NESTWALK_TLB_MAX_ENTRIES || u->ways > u->entries ||
	    (u->ways ? u->ways : u->entries) > NESTWALK_TLB_MAX_WAYS ||
	    u->repl > NESTWALK_REPL_RANDOM)
		return -EINVAL;
	/* Sets, associativity and replacement are checked as it is built. */
	*a = (struct nw_cache_cfg){
		.entries = u->entries, .ways = u->ways, .sizes = u->sizes,
		.repl = u->repl,
	};
	return 1;
}

/* The caller's TLB hierarchy, if it gives one, into @t. */
static int tlb_geometry(const struct nestwalk_config *c, struct nw_tlb_cfg *t)
{
	struct nestwalk_tlb_level lv[NESTWALK_TLB_MAX_LEVELS];
	u64 i, a;
	int used, ret;

	if (!c->ntlb_levels)
		return c->tlb_levels ? -EINVAL : 0;
	if (c->ntlb_levels > NESTWALK_TLB_MAX_LEVELS)
		return -EINVAL;
	if (copy_from_user(lv, u64_to_user_ptr(c->tlb_levels),
			   c->ntlb_levels * sizeof(lv[0])))
		return -EFAULT;
	memset(t, 0, sizeof(*t));
	for (i = 0; i < c->ntlb_levels; i++) {
		if (lv[i].flags & ~NESTWALK_TLB_FLAGS ||
		    (!i && lv[i].flags & NESTWALK_TLB_VICTIM) ||
		    lv[i].latency_milli > 1000000 ||
		    memchr_inv(lv[i].reserved, 0, sizeof(lv[i].reserved)))
			return -EINVAL;
		t->l[i].lat_m = lv[i].latency_milli;
		t->l[i].victim = lv[i].flags & NESTWALK_TLB_VICTIM;
		for (used = 0, a = 0; a < NESTWALK_TLB_MAX_ARRAYS; a++) {
			ret = tlb_array(&lv[i].arrays[a], &t->l[i].a[a]);
			if (ret < 0)
				return ret;
			used += ret;
		}
		if (!used)
			return -EINVAL;
	}
	t->nlevels = c->ntlb_levels;
	return 0;
}

/* (Re)build the session's simulated CPU; only while it has no VM. */
int nw_sim_configure(struct nw_session *s, const struct nestwalk_config *c)
{
	struct nw_sim_cfg cfg;
	struct nw_sim *sim;
	int ret;

	if (c->flags & ~NESTWALK_CFG_FLAGS ||
	    memchr_inv(c->reserved, 0, sizeof(c->reserved)) ||
	    c->preset >= NW_PRESET_NR)
		return -EINVAL;
	if (s->nvms)
		return -EBUSY;

	ret = nw_preset(c->preset, &cfg);
	if (ret)
		return ret;
	ret = tlb_geometry(c, &cfg.tlb);
	if (ret)
		return ret;
	cfg.seed = c->seed;
	if (c->flags & NESTWALK_CFG_NO_TLB)
		cfg.tlb.nlevels = 0;
	if (c->flags & NESTWALK_CFG_NO_PWC)
		memset(cfg.pwc.entries, 0, sizeof(cfg.pwc.entries));
	if (c->flags & NESTWALK_CFG_NO_HPWC)
		memset(cfg.hpwc.entries, 0, sizeof(cfg.hpwc.entries));
	if (c->flags & NESTWALK_CFG_NO_NTLB)
		cfg.ntlb.entries = 0;

	sim = nw_sim_create(&cfg, &nw_hostmem_ops, s, &ret);
	if (!sim)
		return ret;
	mutex_lock(&s->objs_lock);
	nw_sim_destroy(s->sim);
	s->sim = sim;
	s->cfg = *c;
	s->tlb_cfg = cfg.tlb;
	mutex_unlock(&s->objs_lock);
	return 0;
}

static u64 prot_flags(u64 prot)
{
	u64 f = 0;

	if (prot & NESTWALK_PROT_WRITE)
		f |= NW_X86_RW;
	if (prot & NESTWALK_PROT_USER)
		f |= NW_X86_US;
	if (!(prot & NESTWALK_PROT_EXEC))
		f |= NW_X86_XD;
	return f;
}

/*
 * Native mode has no guest-physical dimension: its page tables hold the
 * model's host-physical addresses, so the memslot range @gpa names is
 * translated here, and must be one contiguous, leaf-aligned piece.
 */
static int native_target(struct nw_gvm *vm, const struct nestwalk_map *m,
			 u64 span, u64 *pa)
{
	struct nw_memslot *slot;

	list_for_each_entry(slot, &vm->slots, node) {
		if (m->gpa < slot->gpa ||
		    m->gpa + m->length > slot->gpa + slot->size)
			continue;
		*pa = slot->hpa_base + (m->gpa - slot->gpa);
		return *pa & (span - 1) ? -EINVAL : 0;
	}
	return -EFAULT;
}

/*
 * Leaves a MAP may write: each sits in a table page, so no more than the
 * table pages the VM could ever hold have room for - its gpt region, or
 * in native mode (tables in kernel memory) the module's table budget.
 */
static u64 map_leaves_max(const struct nw_gvm *vm)
{
	u64 tables = vm->cfg.mode == NESTWALK_MODE_NATIVE ?
		     READ_ONCE(nw_max_table_pages) :
		     vm->cfg.gpt_size >> PAGE_SHIFT;

	return min_t(u64, tables, U64_MAX / NW_PT_ENTRIES) * NW_PT_ENTRIES;
}

/* Leaves written between two looks at the scheduler and at signals. */
#define NW_MAP_CHUNK	NW_PT_ENTRIES

/*
 * Write @m's leaves in chunks, as RUN replays accesses: a fatal signal
 * stops it with -EINTR, the leaves written so far staying mapped.
 */
static int map_chunks(struct nw_as *as, const struct nestwalk_map *m, u64 pa)
{
	u64 span = nw_level_size(m->leaf), chunk = NW_MAP_CHUNK * span;
	u64 off, len;
	int ret;

	for (off = 0; off < m->length; off += len) {
		len = min_t(u64, chunk, m->length - off);
		ret = nw_as_map(as, m->gva + off, pa + off, len, m->leaf,
				prot_flags(m->prot));
		if (ret)
			return ret;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return 0;
}

int nw_map_ioctl(struct nw_session *s, const struct nestwalk_map *m)
{
	struct nw_gvm *vm = nw_vm_lookup(s, m->vm_id);
	struct nw_as *as;
	u64 span, pa = m->gpa;
	int ret;

	if (m->flags || memchr_inv(m->reserved, 0, sizeof(m->reserved)) ||
	    m->prot & ~NESTWALK_PROT_FLAGS || m->pcid > NESTWALK_PCID_MAX ||
	    m->leaf < NESTWALK_PAGE_4K || m->leaf > NESTWALK_PAGE_1G)
		return -EINVAL;
	span = nw_level_size(m->leaf);
	if (!m->length || (m->gva | m->gpa | m->length) & (span - 1) ||
	    m->gva + m->length < m->gva || m->gpa + m->length < m->gpa)
		return -EINVAL;
	if (!vm)
		return -ENOENT;
	/* No more than the guest's whole linear address space (SDM 4.5). */
	if (m->length > nw_level_size(vm->cfg.guest_levels + 1))
		return -EINVAL;
	if (m->length / span > map_leaves_max(vm))
		return -ENOSPC;
	if (vm->cfg.mode == NESTWALK_MODE_NATIVE) {
		ret = native_target(vm, m, span, &pa);
		if (ret)
			return ret;
	}

	as = nw_as_find(vm->core, m->pcid);
	if (!as) {
		ret = nw_as_create(vm->core, m->pcid, &as);
		if (ret)
			return ret;
	}
	return map_chunks(as, m, pa);
}

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

/* Make @vm the running VM, as a VM exit and entry would. */
static void enter(struct nw_session *s, struct nw_gvm *vm)
{
	if (s->sim->vm != vm->core)
		nw_vm_switch(s->sim, vm->core);
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
	enter(s, vm);
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

/* Records of the caller's array; reserved bits or kind 3 (and 7): EINVAL. */
static int fill_user(void *ctx, struct nw_acc *acc, u64 off, u64 n)
{
	struct user_accesses *u = ctx;
	u64 i;

	if (copy_from_user(u->buf, u->uacc + off, n * sizeof(*u->buf)))
		return -EFAULT;
	for (i = 0; i < n; i++) {
		if (u->buf[i].attr & NESTWALK_ACCESS_RSVD ||
		    (NESTWALK_ACCESS_KIND(u->buf[i].attr) & 3) == 3)
			return -EINVAL;
		acc[i].va = u->buf[i].gva;
		acc[i].pcid = NESTWALK_ACCESS_PCID(u->buf[i].attr);
		acc[i].kind = NESTWALK_ACCESS_KIND(u->buf[i].attr);
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
	if (r->flags || r->count > NESTWALK_RUN_MAX)
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

int nw_invalidate_ioctl(struct nw_session *s,
			const struct nestwalk_invalidate *iv)
{
	struct nw_gvm *vm = nw_vm_lookup(s, iv->vm_id);
	bool in_vm = iv->op <= NESTWALK_INV_MOV_CR3 ||
		     iv->op == NESTWALK_INV_VM_ENTER;

	if (iv->flags || memchr_inv(iv->reserved, 0, sizeof(iv->reserved)) ||
	    iv->op > NESTWALK_INV_VM_ENTER || iv->pcid > NESTWALK_PCID_MAX ||
	    iv->vpid > NESTWALK_VPID_MAX || iv->type > 3)
		return -EINVAL;
	if ((in_vm || (iv->op == NESTWALK_INV_INVEPT &&
		       iv->type == NW_INVEPT_SINGLE)) && !vm)
		return -ENOENT;

	switch (iv->op) {
	case NESTWALK_INV_INVLPG:
		enter(s, vm);
		nw_invlpg(s->sim, iv->addr);
		return 0;
	case NESTWALK_INV_INVPCID:
		enter(s, vm);
		return nw_invpcid(s->sim, iv->type, iv->pcid, iv->addr);
	case NESTWALK_INV_MOV_CR3:
		if (iv->type > 1)
			return -EINVAL;
		enter(s, vm);
		nw_mov_cr3(s->sim, iv->pcid, iv->type);
		return 0;
	case NESTWALK_INV_INVVPID:
		if (!iv->vpid && iv->type != NW_INVVPID_ALL)
			return -EINVAL;
		return nw_invvpid(s->sim, iv->type, iv->vpid, iv->addr);
	case NESTWALK_INV_INVEPT:
		return nw_invept(s->sim, iv->type, vm ? vm->core : NULL);
	case NESTWALK_INV_VM_EXIT:
		nw_vm_exit(s->sim);
		return 0;
	default:
		enter(s, vm);
		return 0;
	}
}

static int check_generate(const struct nestwalk_generate *g)
{
	if (g->flags & ~NESTWALK_GEN_USER ||
	    g->pattern > NESTWALK_GEN_CHASE || g->pcid > NESTWALK_PCID_MAX ||
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
