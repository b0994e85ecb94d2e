/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel glue of nestwalk: the pieces that connect the model core
 * (module/core/) to the device, debugfs and real memory.
 */
#ifndef _NESTWALK_H
#define _NESTWALK_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include <linux/nestwalk.h>

#include "dcache.h"
#include "tlb.h"

struct dentry;
struct mm_struct;
struct nw_mem_ops;
struct nw_sim;
struct nw_vm;
struct page;

/* VMs a session can hold at most; max_vms may only lower it. */
#define NW_SESSION_VMS	8

/* Limits, module parameters (main.c). */
extern unsigned int nw_max_sessions;
extern unsigned int nw_max_vms;
extern unsigned int nw_max_memslots;
extern unsigned long nw_max_pinned_pages;
extern unsigned long nw_max_table_pages;

/* Module-wide gauges, shown in debugfs "stats". */
extern atomic_t nw_sessions_open;
extern atomic64_t nw_pinned_pages;
extern atomic64_t nw_table_pages;

/*
 * Guest-physical memory backed by pinned caller memory. The model's host
 * physical address of userspace address a is hpa_base + a - uaddr, and
 * hpa_base is congruent to uaddr modulo 1 GiB, so that a host huge page
 * is as aligned in the model as it is in the caller's address space.
 */
struct nw_memslot {
	struct list_head node;
	u32 id;
	u64 gpa;
	u64 size;
	u64 uaddr;
	u64 hpa_base;
	unsigned long npages;
	struct page **pages;
	u8 *level;		/* host mapping level of each page */
	u64 host[3];		/* 4 KiB pages, 2 MiB and 1 GiB mappings */
	struct mm_struct *mm;	/* charged for the pinned pages */
};

struct nw_gvm {
	u32 id;
	struct nw_vm *core;
	struct nestwalk_vm_create cfg;
	struct list_head slots;
	u32 nslots;
};

/* One open of /dev/nestwalk: one simulated physical CPU. */
struct nw_session {
	/* Serialises the session's ioctls. */
	struct mutex lock;
	/*
	 * Guards what debugfs readers walk (vms[], each VM's slots); held
	 * only briefly, never across a run.
	 */
	struct mutex objs_lock;
	u64 id;
	struct nw_gvm *vms[NW_SESSION_VMS];
	u32 nvms;
	u64 hpa_next;		/* next free model host-physical address */
	struct nestwalk_config cfg;	/* as NESTWALK_IOC_CONFIG last set */
	struct nw_tlb_cfg tlb_cfg;	/* the TLB geometry it built */
	struct nw_dcache_cfg dc_cfg;	/* and the data-cache model */
	struct dentry *debugfs;
	/* The model (module/core/), and the table pages it was given. */
	struct nw_sim *sim;
	struct page **tables;
	u32 ntables, cap_tables;
	u32 *free_tables;
	u32 nfree, cap_free;
	u64 table_pages;	/* of them, held now (nw_table_pages) */
};

extern const struct nw_mem_ops nw_hostmem_ops;
void nw_hostmem_free(struct nw_session *s);

int nw_sim_configure(struct nw_session *s, const struct nestwalk_config *c);
int nw_map_ioctl(struct nw_session *s, const struct nestwalk_map *m);
int nw_run_ioctl(struct nw_session *s, struct nestwalk_run *r);
int nw_invalidate_ioctl(struct nw_session *s,
			const struct nestwalk_invalidate *iv);
int nw_generate_ioctl(struct nw_session *s, struct nestwalk_generate *g);

int nw_dev_init(void);
void nw_dev_exit(void);

void nw_debugfs_init(void);
void nw_debugfs_exit(void);
void nw_debugfs_session_add(struct nw_session *s);
void nw_debugfs_session_remove(struct nw_session *s);

int nw_vm_create_ioctl(struct nw_session *s, struct nestwalk_vm_create *c);
void nw_vm_destroy_last(struct nw_session *s);
void nw_vms_destroy(struct nw_session *s);
struct nw_gvm *nw_vm_lookup(struct nw_session *s, u64 id);
/* Make @vm the running VM, as a VM exit and entry would. */
void nw_session_enter(struct nw_session *s, struct nw_gvm *vm);

int nw_memslot_add(struct nw_session *s, struct nw_gvm *vm,
		   struct nestwalk_memslot *m);
void nw_memslot_free(struct nw_memslot *slot);
void nw_memslot_remove_last(struct nw_session *s, struct nw_gvm *vm);
u64 nw_session_meta_bytes(struct nw_session *s);

#ifdef DEBUG
int nw_selftest(void);
#else
static inline int nw_selftest(void)
{
	return 0;
}
#endif

#endif /* _NESTWALK_H */
