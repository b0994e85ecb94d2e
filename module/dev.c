// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/nestwalk: the control plane. Every open is one session; its ioctls
 * are serialised by the session lock.
 */
#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <linux/nestwalk.h>

#include "compat.h"
#include "counters.h"
#include "nestwalk.h"
#include "sim.h"
#include "version.h"

static atomic64_t nw_session_ids = ATOMIC64_INIT(0);

/*
 * What a session runs until NESTWALK_IOC_CONFIG says otherwise: without
 * NESTWALK_CFG_DCACHE, the data-cache model stays off (the fixed
 * per-entry latency of API 4).
 */
static const struct nestwalk_config nw_default_config = {
	.size = sizeof(struct nestwalk_config),
	.preset = NESTWALK_PRESET_SKYLAKE,
};

static int nw_open(struct inode *inode, struct file *file)
{
	struct nw_session *s;
	int ret;

	ret = nonseekable_open(inode, file);
	if (ret)
		return ret;

	if (atomic_inc_return(&nw_sessions_open) > nw_max_sessions) {
		ret = -EMFILE;
		goto err_count;
	}
	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s) {
		ret = -ENOMEM;
		goto err_count;
	}
	mutex_init(&s->lock);
	mutex_init(&s->objs_lock);
	s->id = atomic64_inc_return(&nw_session_ids);
	/* Model host-physical memory below 4 GiB is kept for tables. */
	s->hpa_next = SZ_4G;
	ret = nw_sim_configure(s, &nw_default_config);
	if (ret)
		goto err_free;
	nw_debugfs_session_add(s);
	file->private_data = s;
	return 0;

err_free:
	nw_hostmem_free(s);
	mutex_destroy(&s->objs_lock);
	mutex_destroy(&s->lock);
	kfree(s);
err_count:
	atomic_dec(&nw_sessions_open);
	return ret;
}

static int nw_release(struct inode *inode, struct file *file)
{
	struct nw_session *s = file->private_data;

	/* Waits for debugfs readers still inside the session's files. */
	nw_debugfs_session_remove(s);
	nw_vms_destroy(s);
	nw_sim_destroy(s->sim);
	nw_hostmem_free(s);
	atomic_dec(&nw_sessions_open);
	mutex_destroy(&s->objs_lock);
	mutex_destroy(&s->lock);
	kfree(s);
	return 0;
}

/*
 * Reads the caller's structure whatever size it was built with (see the
 * uAPI header): @usize is its first field, bounded by @min and PAGE_SIZE.
 */
/*
 * What every ioctl's structure may hold in its flags and reserved fields,
 * checked in one place: flags outside @flags_ok or a non-zero reserved
 * byte fail with EINVAL before the command looks at anything else.
 */
struct nw_arg_rule {
	u64 flags_ok;
	size_t flags_off;
	size_t rsvd_off;
	size_t rsvd_len;	/* 0: the structure has no reserved field */
};

#define NW_RULE(type, ok) {						\
	.flags_ok = (ok), .flags_off = offsetof(type, flags),		\
	.rsvd_off = offsetof(type, reserved),				\
	.rsvd_len = sizeof_field(type, reserved),			\
}

#define NW_RULE_NO_RSVD(type, ok) {					\
	.flags_ok = (ok), .flags_off = offsetof(type, flags),		\
}

static const struct nw_arg_rule nw_arg_rules[] = {
	[_IOC_NR(NESTWALK_IOC_VERSION)] = NW_RULE(struct nestwalk_version, 0),
	[_IOC_NR(NESTWALK_IOC_VM_CREATE)] =
		NW_RULE(struct nestwalk_vm_create, NESTWALK_VM_FLAGS),
	[_IOC_NR(NESTWALK_IOC_MEMSLOT)] = NW_RULE(struct nestwalk_memslot, 0),
	[_IOC_NR(NESTWALK_IOC_CONFIG)] =
		NW_RULE(struct nestwalk_config, NESTWALK_CFG_FLAGS),
	[_IOC_NR(NESTWALK_IOC_MAP)] = NW_RULE(struct nestwalk_map, 0),
	[_IOC_NR(NESTWALK_IOC_RUN)] = NW_RULE_NO_RSVD(struct nestwalk_run, 0),
	[_IOC_NR(NESTWALK_IOC_STATS)] = NW_RULE(struct nestwalk_stats, 0),
	[_IOC_NR(NESTWALK_IOC_INVALIDATE)] =
		NW_RULE(struct nestwalk_invalidate, 0),
	[_IOC_NR(NESTWALK_IOC_GENERATE)] =
		NW_RULE_NO_RSVD(struct nestwalk_generate, NESTWALK_GEN_USER),
};

/*
 * The caller's structure of command @cmd into @dst: any size from @min
 * (the first published) up to PAGE_SIZE, as copy_struct_from_user()
 * takes it, then the flags and reserved fields by nw_arg_rules[].
 */
static int nw_copy_in(unsigned int cmd, void *dst, size_t ksize, size_t min,
		      void __user *uarg, u64 *usize)
{
	const struct nw_arg_rule *r = &nw_arg_rules[_IOC_NR(cmd)];
	u64 flags;
	int ret;

	if (get_user(*usize, (u64 __user *)uarg))
		return -EFAULT;
	if (*usize < min || *usize > PAGE_SIZE)
		return -EINVAL;
	ret = copy_struct_from_user(dst, ksize, uarg, *usize);
	if (ret)
		return ret;
	memcpy(&flags, dst + r->flags_off, sizeof(flags));
	if (flags & ~r->flags_ok ||
	    (r->rsvd_len && memchr_inv(dst + r->rsvd_off, 0, r->rsvd_len)))
		return -EINVAL;
	return 0;
}

static int nw_copy_out(void __user *uarg, const void *src, size_t ksize,
		       u64 usize)
{
	if (copy_to_user(uarg, src, min_t(u64, ksize, usize)))
		return -EFAULT;
	return 0;
}

static long nw_ioctl_version(void __user *uarg)
{
	struct nestwalk_version v;
	u64 usize;
	int ret;

	ret = nw_copy_in(NESTWALK_IOC_VERSION, &v, sizeof(v),
			 NESTWALK_VERSION_SIZE_V1, uarg, &usize);
	if (ret)
		return ret;
	v.api_version = NESTWALK_API_VERSION;
	v.module_version = NESTWALK_VERSION_CODE;
	return nw_copy_out(uarg, &v, sizeof(v), usize);
}

static long nw_ioctl_vm_create(struct nw_session *s, void __user *uarg)
{
	struct nestwalk_vm_create c;
	u64 usize;
	int ret;

	ret = nw_copy_in(NESTWALK_IOC_VM_CREATE, &c, sizeof(c),
			 NESTWALK_VM_CREATE_SIZE_V1, uarg, &usize);
	if (ret)
		return ret;
	ret = nw_vm_create_ioctl(s, &c);
	if (ret)
		return ret;
	/* A caller that cannot learn the id gets no VM either. */
	ret = nw_copy_out(uarg, &c, sizeof(c), usize);
	if (ret)
		nw_vm_destroy_last(s);
	return ret;
}

static long nw_ioctl_memslot(struct nw_session *s, void __user *uarg)
{
	struct nestwalk_memslot m;
	struct nw_gvm *vm;
	u64 usize;
	int ret;

	ret = nw_copy_in(NESTWALK_IOC_MEMSLOT, &m, sizeof(m),
			 NESTWALK_MEMSLOT_SIZE_V1, uarg, &usize);
	if (ret)
		return ret;
	vm = nw_vm_lookup(s, m.vm_id);
	if (!vm)
		return -ENOENT;
	ret = nw_memslot_add(s, vm, &m);
	if (ret)
		return ret;
	ret = nw_copy_out(uarg, &m, sizeof(m), usize);
	if (ret)
		nw_memslot_remove_last(s, vm);
	return ret;
}

static long nw_ioctl_config(struct nw_session *s, void __user *uarg)
{
	struct nestwalk_config c;
	u64 usize;
	int ret;

	ret = nw_copy_in(NESTWALK_IOC_CONFIG, &c, sizeof(c),
			 NESTWALK_CONFIG_SIZE_V1, uarg, &usize);
	if (ret)
		return ret;
	ret = nw_sim_configure(s, &c);
	if (ret)
		return ret;
	c.cpu_caps = s->sim->caps;
	/* A V3 caller learns the data-cache mode and memory latency in use. */
	c.dcache_mode = s->cfg.dcache_mode;
	c.dcache_mem_latency_milli = s->cfg.dcache_mem_latency_milli;
	return nw_copy_out(uarg, &c, sizeof(c), usize);
}

static long nw_ioctl_map(struct nw_session *s, void __user *uarg)
{
	struct nestwalk_map m;
	u64 usize;
	int ret;

	ret = nw_copy_in(NESTWALK_IOC_MAP, &m, sizeof(m),
			 NESTWALK_MAP_SIZE_V1, uarg, &usize);
	if (ret)
		return ret;
	return nw_map_ioctl(s, &m);
}

static long nw_ioctl_run(struct nw_session *s, void __user *uarg)
{
	struct nestwalk_run r;
	u64 usize;
	int ret, ret2;

	ret = nw_copy_in(NESTWALK_IOC_RUN, &r, sizeof(r),
			 NESTWALK_RUN_SIZE_V1, uarg, &usize);
	if (ret)
		return ret;
	r.done = 0;
	ret = nw_run_ioctl(s, &r);
	/* How far it got is reported even when the run stopped early. */
	ret2 = nw_copy_out(uarg, &r, sizeof(r), usize);
	return ret ? ret : ret2;
}

/* Counter @i's name, NUL-padded, into the caller's array at @unames. */
static int put_stat_name(u64 unames, u64 i)
{
	char name[NESTWALK_STAT_NAME_LEN] = { 0 };

	strscpy(name, nw_counter_names[i], sizeof(name));
	if (copy_to_user(u64_to_user_ptr(unames) + i * sizeof(name), name,
			 sizeof(name)))
		return -EFAULT;
	return 0;
}

/*
 * Outside the session's lock, as debugfs sessions/<id>/stats reads: a
 * second thread of the caller sees the counters of a RUN or GENERATE in
 * progress (the helper's progress line), each taken under the object
 * lock, which keeps s->sim (CONFIG replaces it) and which a run does not
 * hold; no copy to the user with a lock held.
 */
static long nw_ioctl_stats(struct nw_session *s, void __user *uarg)
{
	struct nestwalk_stats st;
	u64 usize, i, v;
	int ret;

	ret = nw_copy_in(NESTWALK_IOC_STATS, &st, sizeof(st),
			 NESTWALK_STATS_SIZE_V1, uarg, &usize);
	if (ret)
		return ret;
	for (i = 0; i < min_t(u64, st.count, NW_C_NR); i++) {
		if (mutex_lock_killable(&s->objs_lock))
			return -EINTR;
		v = nw_sim_counter(s->sim, i);
		mutex_unlock(&s->objs_lock);
		if (put_user(v, (u64 __user *)u64_to_user_ptr(st.values) + i))
			return -EFAULT;
		if (st.names && put_stat_name(st.names, i))
			return -EFAULT;
	}
	st.count = NW_C_NR;
	return nw_copy_out(uarg, &st, sizeof(st), usize);
}

static long nw_ioctl_invalidate(struct nw_session *s, void __user *uarg)
{
	struct nestwalk_invalidate iv;
	u64 usize;
	int ret;

	ret = nw_copy_in(NESTWALK_IOC_INVALIDATE, &iv, sizeof(iv),
			 NESTWALK_INVALIDATE_SIZE_V1, uarg, &usize);
	if (ret)
		return ret;
	return nw_invalidate_ioctl(s, &iv);
}

static long nw_ioctl_generate(struct nw_session *s, void __user *uarg)
{
	struct nestwalk_generate g;
	u64 usize;
	int ret, ret2;

	ret = nw_copy_in(NESTWALK_IOC_GENERATE, &g, sizeof(g),
			 NESTWALK_GENERATE_SIZE_V1, uarg, &usize);
	if (ret)
		return ret;
	g.done = 0;
	ret = nw_generate_ioctl(s, &g);
	ret2 = nw_copy_out(uarg, &g, sizeof(g), usize);
	return ret ? ret : ret2;
}

/*
 * A command without its size field: each structure carries its own @size
 * (nw_copy_in()), so a caller built against an older header, whose
 * _IOWR() encoded a smaller structure (struct nestwalk_config grew in
 * API 4 and 5), reaches the same command.
 */
#define NW_CMD(cmd)	((cmd) & ~IOCSIZE_MASK)

static long nw_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct nw_session *s = file->private_data;
	void __user *uarg = (void __user *)arg;
	long ret;

	/* Not behind a run: see nw_ioctl_stats(). */
	if (NW_CMD(cmd) == NW_CMD(NESTWALK_IOC_STATS))
		return nw_ioctl_stats(s, uarg);
	if (mutex_lock_killable(&s->lock))
		return -EINTR;

	switch (NW_CMD(cmd)) {
	case NW_CMD(NESTWALK_IOC_VERSION):
		ret = nw_ioctl_version(uarg);
		break;
	case NW_CMD(NESTWALK_IOC_VM_CREATE):
		ret = nw_ioctl_vm_create(s, uarg);
		break;
	case NW_CMD(NESTWALK_IOC_MEMSLOT):
		ret = nw_ioctl_memslot(s, uarg);
		break;
	case NW_CMD(NESTWALK_IOC_CONFIG):
		ret = nw_ioctl_config(s, uarg);
		break;
	case NW_CMD(NESTWALK_IOC_MAP):
		ret = nw_ioctl_map(s, uarg);
		break;
	case NW_CMD(NESTWALK_IOC_RUN):
		ret = nw_ioctl_run(s, uarg);
		break;
	case NW_CMD(NESTWALK_IOC_INVALIDATE):
		ret = nw_ioctl_invalidate(s, uarg);
		break;
	case NW_CMD(NESTWALK_IOC_GENERATE):
		ret = nw_ioctl_generate(s, uarg);
		break;
	case NW_CMD(NESTWALK_IOC_RESET):
		ret = arg ? -EINVAL : 0;
		if (!ret)
			nw_sim_reset_counters(s->sim);
		break;
	default:
		ret = -ENOTTY;
		break;
	}

	mutex_unlock(&s->lock);
	return ret;
}

static const struct file_operations nw_fops = {
	.owner = THIS_MODULE,
	.open = nw_open,
	.release = nw_release,
	.unlocked_ioctl = nw_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = nw_no_llseek,
};

static struct miscdevice nw_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = KBUILD_MODNAME,
	.fops = &nw_fops,
	.mode = 0600,
};

int nw_dev_init(void)
{
	return misc_register(&nw_misc);
}

void nw_dev_exit(void)
{
	misc_deregister(&nw_misc);
}
