/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * nestwalk: a software model of the x86-64 MMU (native, nested EPT/NPT and
 * shadow paging, TLBs and walk caches) that counts what translation costs.
 *
 * The control plane is the misc device /dev/nestwalk. Every open is one
 * session. All structures hold only __u64 fields; fields marked (in) are read
 * by the kernel, (out) are written by it. Reserved fields and undefined flag
 * bits must be zero, or the call fails with EINVAL.
 *
 * Size negotiation: each structure begins with @size, set by the caller to
 * sizeof() of the structure it was compiled with. The kernel accepts any size
 * from the first published size of that structure up to its own: fields past
 * the caller's size are treated as zero on input and not written on output,
 * so helpers built against an older header keep working.
 */
#ifndef _UAPI_LINUX_NESTWALK_H
#define _UAPI_LINUX_NESTWALK_H

#include <linux/ioctl.h>
#include <linux/types.h>

/*
 * Bumped when a released interface gains an ioctl or a structure; never for
 * a change in meaning.
 */
#define NESTWALK_API_VERSION	5

/* Largest PCID (CR3 bits 11:0, SDM 4.10.1) and VPID (SDM 29.1) operands. */
#define NESTWALK_PCID_MAX	4095
#define NESTWALK_VPID_MAX	65535

/* 0xB8 is unassigned in Documentation/userspace-api/ioctl/ioctl-number.rst. */
#define NESTWALK_IOC_MAGIC	0xB8

/**
 * struct nestwalk_version - what the loaded module implements
 * @size: (in) sizeof(struct nestwalk_version) as the caller knows it.
 * @flags: (in) must be zero.
 * @api_version: (out) NESTWALK_API_VERSION of the module.
 * @module_version: (out) module release as 0x00MMmmpp (major, minor, patch).
 * @reserved: (in) must be zero.
 */
struct nestwalk_version {
	__u64 size;
	__u64 flags;
	__u64 api_version;
	__u64 module_version;
	__u64 reserved[4];
};

#define NESTWALK_VERSION_SIZE_V1	64

#define NESTWALK_IOC_VERSION	_IOWR(NESTWALK_IOC_MAGIC, 0x00, \
				      struct nestwalk_version)

/* Translation modes of a VM (struct nestwalk_vm_create.mode). */
#define NESTWALK_MODE_NATIVE	0	/* 1D walk, no host dimension */
#define NESTWALK_MODE_EPT	1	/* 2D walk, Intel EPT host tables */
#define NESTWALK_MODE_NPT	2	/* 2D walk, AMD NPT host tables */
#define NESTWALK_MODE_SHADOW	3	/* 1D walk of a shadow table */

/* Page sizes, as paging-structure levels (1 = 4 KiB, 2 = 2 MiB, 3 = 1 GiB). */
#define NESTWALK_PAGE_4K	1
#define NESTWALK_PAGE_2M	2
#define NESTWALK_PAGE_1G	3

/*
 * struct nestwalk_vm_create.flags: the guest's control registers as its
 * kernel sets them (SDM 4.6 "Access Rights", 4.6.2 "Protection Keys").
 */
#define NESTWALK_VM_EPT_AD	(1ULL << 0)	/* EPT accessed/dirty flags */
#define NESTWALK_VM_NO_WP	(1ULL << 1)	/* CR0.WP = 0 (API 4) */
#define NESTWALK_VM_SMEP	(1ULL << 2)	/* CR4.SMEP = 1 (API 4) */
#define NESTWALK_VM_SMAP	(1ULL << 3)	/* CR4.SMAP = 1 (API 4) */
#define NESTWALK_VM_PKE		(1ULL << 4)	/* CR4.PKE = 1, @pkru (API 4) */
#define NESTWALK_VM_FLAGS	0x1fULL

/**
 * struct nestwalk_vm_create - a VM on the session's simulated CPU
 * @size: (in) sizeof(struct nestwalk_vm_create) as the caller knows it.
 * @flags: (in) NESTWALK_VM_* bits.
 * @mode: (in) NESTWALK_MODE_*.
 * @vpid: (in) the VM's VPID, 1 to 65535, unique in the session; 0 runs the
 *	VM with VPID disabled (its TLB entries are flushed on every VM entry
 *	and exit).
 * @guest_levels: (in) 4 or 5: levels of the guest's page tables.
 * @host_levels: (in) 4 or 5 in the nested modes; 0 otherwise.
 * @max_leaf: (in) largest host leaf the VM's policy allows, a
 *	NESTWALK_PAGE_* value; 0 means NESTWALK_PAGE_1G.
 * @vm_id: (out) the VM's number in this session.
 * @gpt_base: (in) guest-physical region, 4 KiB aligned, from which the
 *	guest's page-table pages are taken (it must lie in the VM's memslots
 *	by the time NESTWALK_IOC_MAP writes them). Unused in native mode.
 * @gpt_size: (in) bytes of that region.
 * @pkru: (in) the guest's PKRU register (bits 31:0) with NESTWALK_VM_PKE:
 *	for key i, bit 2i disables access, bit 2i+1 write (SDM 4.6.2); must
 *	be zero without it. Since API 4.
 * @reserved: (in) must be zero.
 */
struct nestwalk_vm_create {
	__u64 size;
	__u64 flags;
	__u64 mode;
	__u64 vpid;
	__u64 guest_levels;
	__u64 host_levels;
	__u64 max_leaf;
	__u64 vm_id;
	__u64 gpt_base;
	__u64 gpt_size;
	__u64 pkru;
	__u64 reserved[5];
};

#define NESTWALK_VM_CREATE_SIZE_V1	128

/**
 * struct nestwalk_memslot - guest-physical memory backed by caller memory
 * @size: (in) sizeof(struct nestwalk_memslot) as the caller knows it.
 * @flags: (in) must be zero.
 * @vm_id: (in) the VM, as NESTWALK_IOC_VM_CREATE returned it.
 * @gpa: (in) first guest-physical address; 4 KiB aligned.
 * @memory_size: (in) bytes; a non-zero multiple of 4 KiB.
 * @userspace_addr: (in) the caller's memory backing it, 4 KiB aligned,
 *	mapped writable. The pages are pinned (and charged to
 *	RLIMIT_MEMLOCK) until the session is closed.
 * @slot_id: (out) the memslot's number in the VM.
 * @host_4k: (out) pages of the range mapped by 4 KiB host PTEs.
 * @host_2m: (out) 2 MiB host mappings (THP or hugetlb) in the range.
 * @host_1g: (out) 1 GiB host mappings (hugetlb) in the range.
 * @reserved: (in) must be zero.
 *
 * The host mapping sizes are read from the caller's page tables when the
 * pages are pinned; the model's EPT/NPT never maps a guest range with a
 * leaf larger than the host mapping behind it.
 */
struct nestwalk_memslot {
	__u64 size;
	__u64 flags;
	__u64 vm_id;
	__u64 gpa;
	__u64 memory_size;
	__u64 userspace_addr;
	__u64 slot_id;
	__u64 host_4k;
	__u64 host_2m;
	__u64 host_1g;
	__u64 reserved[6];
};

#define NESTWALK_MEMSLOT_SIZE_V1	128

#define NESTWALK_IOC_VM_CREATE	_IOWR(NESTWALK_IOC_MAGIC, 0x01, \
				      struct nestwalk_vm_create)
#define NESTWALK_IOC_MEMSLOT	_IOWR(NESTWALK_IOC_MAGIC, 0x02, \
				      struct nestwalk_memslot)

/* Machine presets (struct nestwalk_config.preset). */
#define NESTWALK_PRESET_CUSTOM	0
#define NESTWALK_PRESET_NEHALEM	1
#define NESTWALK_PRESET_SKYLAKE	2
#define NESTWALK_PRESET_ZEN2	3

/* struct nestwalk_config.flags: parts of the machine switched off. */
#define NESTWALK_CFG_NO_TLB	(1ULL << 0)	/* every access walks */
#define NESTWALK_CFG_NO_PWC	(1ULL << 1)	/* guest-dimension PSCs */
#define NESTWALK_CFG_NO_HPWC	(1ULL << 2)	/* host-dimension PSCs */
#define NESTWALK_CFG_NO_NTLB	(1ULL << 3)	/* nested TLB */
/* API 4: fetches use the data TLB, as before API 4 (no instruction TLB). */
#define NESTWALK_CFG_UNIFIED_TLB	(1ULL << 4)
/* API 4: @cpu_caps replaces the preset's capabilities. */
#define NESTWALK_CFG_CAPS	(1ULL << 5)
/* API 5: @dcache_mode and the data-cache geometry are read. */
#define NESTWALK_CFG_DCACHE	(1ULL << 6)
#define NESTWALK_CFG_FLAGS	0x7fULL

/*
 * struct nestwalk_config.cpu_caps: what the simulated CPU can do (API 4).
 * Guest leaves the CPU lacks fault as the SDM says; host leaves its EPT or
 * NPT cannot use are not built (KVM's rule); the rest refuse the request
 * that needs them with EOPNOTSUPP.
 */
#define NESTWALK_CAP_PDPE1GB	(1ULL << 0)	/* 1 GiB guest pages, CPUID
						 * 80000001H:EDX[26]
						 */
#define NESTWALK_CAP_LA57	(1ULL << 1)	/* 5-level paging, CPUID
						 * 07H:ECX[16]
						 */
#define NESTWALK_CAP_PCID	(1ULL << 2)	/* CPUID 01H:ECX[17] */
#define NESTWALK_CAP_INVPCID	(1ULL << 3)	/* CPUID 07H:EBX[10] */
#define NESTWALK_CAP_EPT_2M	(1ULL << 4)	/* 2 MiB EPT/NPT leaves,
						 * IA32_VMX_EPT_VPID_CAP[16]
						 */
#define NESTWALK_CAP_EPT_1G	(1ULL << 5)	/* 1 GiB EPT/NPT leaves, [17] */
#define NESTWALK_CAP_EPT_XO	(1ULL << 6)	/* execute-only EPT, [0] */
#define NESTWALK_CAP_EPT_5L	(1ULL << 7)	/* 5-level EPT/NPT, [7] */
#define NESTWALK_CAPS		0xffULL

/* struct nestwalk_tlb_array.repl: replacement policy of a set. */
#define NESTWALK_REPL_LRU	0	/* true least-recently used */
#define NESTWALK_REPL_PLRU	1	/* tree pseudo-LRU, power-of-two ways */
#define NESTWALK_REPL_RANDOM	2	/* xorshift seeded by the config's seed */

/* struct nestwalk_tlb_array.sizes: the page sizes an array holds. */
#define NESTWALK_TLB_SIZE(page)	(1ULL << (page))	/* NESTWALK_PAGE_* */
#define NESTWALK_TLB_SIZES	(NESTWALK_TLB_SIZE(NESTWALK_PAGE_4K) | \
				 NESTWALK_TLB_SIZE(NESTWALK_PAGE_2M) | \
				 NESTWALK_TLB_SIZE(NESTWALK_PAGE_1G))

/* Limits of an explicit TLB geometry. */
#define NESTWALK_TLB_MAX_LEVELS		3
#define NESTWALK_TLB_MAX_ARRAYS		3	/* per level */
#define NESTWALK_TLB_MAX_ENTRIES	65536	/* per array */
#define NESTWALK_TLB_MAX_WAYS		64	/* per set */

/**
 * struct nestwalk_tlb_array - one array of a TLB level
 * @sizes: NESTWALK_TLB_SIZE() bits of the page sizes it holds (several:
 *	a unified array, like Skylake's STLB for 4 KiB and 2 MiB pages);
 *	0: the slot is unused, and every other field must be 0 too. Each
 *	page size is held by at most one array of a level.
 * @entries: entries, 1 to NESTWALK_TLB_MAX_ENTRIES; @entries / @ways
 *	sets, a power of two.
 * @ways: associativity, dividing @entries, at most NESTWALK_TLB_MAX_WAYS;
 *	0 (or @entries): fully associative, so at most that many entries.
 * @repl: NESTWALK_REPL_*; PLRU needs a power of two of at most 64 ways.
 */
struct nestwalk_tlb_array {
	__u64 sizes;
	__u64 entries;
	__u64 ways;
	__u64 repl;
};

/* struct nestwalk_tlb_level.flags */
#define NESTWALK_TLB_VICTIM	(1ULL << 0)	/* filled by evictions above */
/*
 * API 4, instruction levels only: this level is the data hierarchy's level
 * of the same index (Nehalem's and Skylake's STLB serve both); its arrays
 * and latency must be zero.
 */
#define NESTWALK_TLB_SHARED	(1ULL << 1)
#define NESTWALK_TLB_FLAGS	0x3ULL

/**
 * struct nestwalk_tlb_level - one level of an explicit TLB hierarchy
 * @flags: NESTWALK_TLB_VICTIM: the level takes only what the level above
 *	evicts (the reach of the hierarchy is then the sum of the levels',
 *	as the vendors' manuals count it); else every walk fills it. Not
 *	for the first level.
 * @latency_milli: hit latency in thousandths of a cycle, at most 10^6.
 * @arrays: the level's arrays, at least one in use.
 * @reserved: must be zero.
 */
struct nestwalk_tlb_level {
	__u64 flags;
	__u64 latency_milli;
	struct nestwalk_tlb_array arrays[NESTWALK_TLB_MAX_ARRAYS];
	__u64 reserved[2];
};

/*
 * struct nestwalk_config.dcache_mode (API 5): what goes through the
 * data-cache model. With it on, every paging-structure load (both
 * dimensions, every mode) costs the latency of the level it hits instead
 * of the preset's fixed per-reference latency.
 */
#define NESTWALK_DCACHE_OFF	0	/* fixed latency per entry read */
#define NESTWALK_DCACHE_DATA	1	/* walk loads, and every access's
					 * data line (fetches from L2 on)
					 */
#define NESTWALK_DCACHE_WALKS	2	/* walk loads only */

/* Limits of an explicit data-cache geometry; lines are 64 bytes. */
#define NESTWALK_DCACHE_LINE		64
#define NESTWALK_DCACHE_MAX_LEVELS	3
#define NESTWALK_DCACHE_MAX_WAYS	32
#define NESTWALK_DCACHE_MAX_LINES	(1ULL << 20)	/* per level: 64 MiB */

/**
 * struct nestwalk_dcache_level - one level of an explicit data-cache
 *	hierarchy (API 5): L1d first, then L2, then the LLC
 * @sets: sets, a power of two from 1.
 * @ways: lines per set, 1 to NESTWALK_DCACHE_MAX_WAYS; @sets * @ways at
 *	most NESTWALK_DCACHE_MAX_LINES. Replacement is true LRU.
 * @latency_milli: load-to-use latency of a hit, thousandths of a cycle,
 *	1 to 10^6.
 * @reserved: must be zero.
 */
struct nestwalk_dcache_level {
	__u64 sets;
	__u64 ways;
	__u64 latency_milli;
	__u64 reserved[5];
};

/**
 * struct nestwalk_config - the session's simulated CPU
 * @size: (in) sizeof(struct nestwalk_config) as the caller knows it.
 * @flags: (in) NESTWALK_CFG_* bits.
 * @preset: (in) NESTWALK_PRESET_*: TLB geometry, walk caches, latencies.
 * @seed: (in) seed of random replacement policies.
 * @tlb_levels: (in) user pointer to @ntlb_levels struct nestwalk_tlb_level,
 *	first level first: a TLB hierarchy that replaces the preset's (whose
 *	walk caches and memory latencies stay). 0 with @ntlb_levels 0: the
 *	preset's own.
 * @ntlb_levels: (in) 0 to NESTWALK_TLB_MAX_LEVELS.
 * @itlb_levels: (in) user pointer to @nitlb_levels struct
 *	nestwalk_tlb_level: the instruction TLB, first level first; a level
 *	may be NESTWALK_TLB_SHARED with the data level of its index. 0 with
 *	@nitlb_levels 0: the preset's instruction TLB, its shared levels
 *	those of the data hierarchy in use. Since API 4.
 * @nitlb_levels: (in) 0 to NESTWALK_TLB_MAX_LEVELS.
 * @cpu_caps: (in) NESTWALK_CAP_* bits, read with NESTWALK_CFG_CAPS (else
 *	ignored, so that a structure CONFIG wrote back can be passed again);
 *	(out) the capabilities the session's CPU has. Since API 4.
 * @dcache_mode: (in) NESTWALK_DCACHE_*, read with NESTWALK_CFG_DCACHE
 *	(else ignored: the data-cache model stays off, as before API 5);
 *	(out) the session's mode. Since API 5, as are the next three.
 * @dcache_levels: (in) user pointer to @ndcache_levels struct
 *	nestwalk_dcache_level, L1d first: a data-cache hierarchy that replaces
 *	the preset's. 0 with @ndcache_levels 0: the preset's own. Read with
 *	NESTWALK_CFG_DCACHE and a mode other than NESTWALK_DCACHE_OFF.
 * @ndcache_levels: (in) 0 to NESTWALK_DCACHE_MAX_LEVELS.
 * @dcache_mem_latency_milli: (in) latency of a load no level holds,
 *	thousandths of a cycle, at most 10^7; 0: the preset's. Read as
 *	@dcache_levels is. (out) the session's.
 * @reserved: (in) must be zero.
 *
 * Only before the session's first VM (EBUSY after). Until then the
 * session runs NESTWALK_PRESET_SKYLAKE with everything on. A geometry the
 * model cannot build fails with EINVAL and leaves the session as it was.
 */
struct nestwalk_config {
	__u64 size;
	__u64 flags;
	__u64 preset;
	__u64 seed;
	__u64 tlb_levels;
	__u64 ntlb_levels;
	__u64 itlb_levels;
	__u64 nitlb_levels;
	__u64 cpu_caps;
	__u64 dcache_mode;
	__u64 dcache_levels;
	__u64 ndcache_levels;
	__u64 dcache_mem_latency_milli;
	__u64 reserved[3];
};

#define NESTWALK_CONFIG_SIZE_V1	64
#define NESTWALK_CONFIG_SIZE_V2	96
#define NESTWALK_CONFIG_SIZE_V3	128

/* struct nestwalk_map.prot */
#define NESTWALK_PROT_WRITE	(1ULL << 0)
#define NESTWALK_PROT_USER	(1ULL << 1)
#define NESTWALK_PROT_EXEC	(1ULL << 2)
#define NESTWALK_PROT_FLAGS	0x7ULL

/**
 * struct nestwalk_map - a mapping in a guest address space
 * @size: (in) sizeof(struct nestwalk_map) as the caller knows it.
 * @flags: (in) must be zero.
 * @vm_id: (in) the VM.
 * @pcid: (in) the address space (created on first use), 0 to 4095.
 * @gva: (in) first guest-virtual address, aligned to @leaf.
 * @gpa: (in) guest-physical address it maps to, aligned to @leaf.
 * @length: (in) bytes, a non-zero multiple of the @leaf size.
 * @leaf: (in) NESTWALK_PAGE_*: the guest's leaf size.
 * @prot: (in) NESTWALK_PROT_* rights of the leaves.
 * @reserved: (in) must be zero.
 *
 * The entries are written into the guest's page tables, in guest memory;
 * in shadow mode those writes are trapped like any guest PTE write.
 */
struct nestwalk_map {
	__u64 size;
	__u64 flags;
	__u64 vm_id;
	__u64 pcid;
	__u64 gva;
	__u64 gpa;
	__u64 length;
	__u64 leaf;
	__u64 prot;
	__u64 reserved[7];
};

#define NESTWALK_MAP_SIZE_V1	128

/* Kinds of access, for NESTWALK_ACCESS(). */
#define NESTWALK_READ		0
#define NESTWALK_WRITE		1
#define NESTWALK_FETCH		2
#define NESTWALK_USER		4	/* or-ed in: a user-mode access */

/*
 * Or-ed into @attr (API 4). A supervisor access with EFLAGS.AC = 1, which
 * SMAP lets read and write user pages (SDM 4.6.1):
 */
#define NESTWALK_ACCESS_AC		(1ULL << 20)
/*
 * An implicit supervisor-mode access made at CPL 3 (a descriptor table
 * read, SDM 4.6.1): checked as a supervisor access, SMAP whatever
 * EFLAGS.AC; not with NESTWALK_USER.
 */
#define NESTWALK_ACCESS_IMPLICIT	(1ULL << 21)

/**
 * struct nestwalk_access - one access of a run
 * @gva: guest-virtual address; canonical for the guest's paging mode, or
 *	the access takes a #GP (counted as gp_fault).
 * @attr: NESTWALK_ACCESS(pcid, kind), NESTWALK_ACCESS_SIZE(bytes) and the
 *	NESTWALK_ACCESS_AC/IMPLICIT bits or-ed in.
 *
 * An access of more than one byte whose last byte lies on the next 4 KiB
 * page translates both pages, first to last (SDM 4.10.2.3 caches each
 * translation); if either faults, no part of the access happens.
 */
struct nestwalk_access {
	__u64 gva;
	__u64 attr;
};

#define NESTWALK_ACCESS(pcid, kind)	((__u64)(pcid) | (__u64)(kind) << 16)
#define NESTWALK_ACCESS_PCID(attr)	((attr) & 0xfff)
#define NESTWALK_ACCESS_KIND(attr)	(((attr) >> 16) & 0x7)
/* Bytes accessed, 1 to 4096; 0 (before API 4) means one byte. */
#define NESTWALK_ACCESS_SIZE(bytes)	((__u64)(bytes) << 32)
#define NESTWALK_ACCESS_BYTES(attr)	(((attr) >> 32) & 0x1fff)
#define NESTWALK_ACCESS_SIZE_MAX	4096
#define NESTWALK_ACCESS_RSVD		(~0x1fff00370fffULL)

/* Accesses one NESTWALK_IOC_RUN takes at most. */
#define NESTWALK_RUN_MAX	(1ULL << 24)

/**
 * struct nestwalk_run - replay accesses in a VM
 * @size: (in) sizeof(struct nestwalk_run) as the caller knows it.
 * @flags: (in) must be zero.
 * @vm_id: (in) the VM to run; switching from another VM is a VM exit and
 *	entry (TLB entries survive only with VPID).
 * @accesses: (in) user pointer to @count struct nestwalk_access.
 * @count: (in) how many, at most NESTWALK_RUN_MAX.
 * @done: (out) how many were simulated: @count, or fewer when a fatal
 *	signal stopped the run (the call then fails with EINTR).
 * @deltas: (in) optional user pointer to @ndeltas __u64: what this run
 *	added to each counter, in NESTWALK_IOC_STATS order; 0 for none.
 * @ndeltas: (in) room in @deltas; (out) how many were written.
 */
struct nestwalk_run {
	__u64 size;
	__u64 flags;
	__u64 vm_id;
	__u64 accesses;
	__u64 count;
	__u64 done;
	__u64 deltas;
	__u64 ndeltas;
};

#define NESTWALK_RUN_SIZE_V1	64

/**
 * enum nestwalk_stat - the counters of NESTWALK_IOC_STATS, in its order
 *
 * The module names each (NESTWALK_IOC_STATS with @names, debugfs
 * sessions/<id>/stats); the name is given after each member. New counters
 * are only ever appended: a module may report more than a caller knows, or,
 * older, fewer.
 *
 * @NESTWALK_STAT_ACCESSES: "accesses": reads + writes + fetches.
 * @NESTWALK_STAT_READS: "reads": data reads.
 * @NESTWALK_STAT_WRITES: "writes": data writes.
 * @NESTWALK_STAT_FETCHES: "fetches": instruction fetches.
 * @NESTWALK_STAT_TLB_L1_HIT: "tlb_l1_hit": data accesses (reads, writes; and
 *	fetches with NESTWALK_CFG_UNIFIED_TLB) that hit the first data TLB level;
 *	each page of a page-crossing access counts.
 * @NESTWALK_STAT_TLB_L2_HIT: "tlb_l2_hit": ... the second data TLB level.
 * @NESTWALK_STAT_TLB_L3_HIT: "tlb_l3_hit": ... the third data TLB level.
 * @NESTWALK_STAT_TLB_MISS: "tlb_miss": ... that missed every data TLB level.
 * @NESTWALK_STAT_TLB_ASSIST: "tlb_assist": TLB hits that still walked
 *	(rights, first write), data and instruction TLB.
 * @NESTWALK_STAT_WALKS: "walks": page walks.
 * @NESTWALK_STAT_WALK_REFS: "walk_refs": paging-structure entries read, both dimensions.
 * @NESTWALK_STAT_GUEST_REFS_L1: "guest_refs_l1": guest (or native, shadow)
 *	entries read at level 1 (PTE).
 * @NESTWALK_STAT_GUEST_REFS_L2: "guest_refs_l2": ... at level 2 (PDE).
 * @NESTWALK_STAT_GUEST_REFS_L3: "guest_refs_l3": ... at level 3 (PDPTE).
 * @NESTWALK_STAT_GUEST_REFS_L4: "guest_refs_l4": ... at level 4 (PML4E).
 * @NESTWALK_STAT_GUEST_REFS_L5: "guest_refs_l5": ... at level 5 (PML5E).
 * @NESTWALK_STAT_HOST_REFS_L1: "host_refs_l1": EPT or NPT entries read at level 1.
 * @NESTWALK_STAT_HOST_REFS_L2: "host_refs_l2": ... at level 2.
 * @NESTWALK_STAT_HOST_REFS_L3: "host_refs_l3": ... at level 3.
 * @NESTWALK_STAT_HOST_REFS_L4: "host_refs_l4": ... at level 4.
 * @NESTWALK_STAT_HOST_REFS_L5: "host_refs_l5": ... at level 5.
 * @NESTWALK_STAT_AD_WRITES: "ad_writes": accessed and dirty flag updates, both dimensions.
 * @NESTWALK_STAT_PWC_HIT: "pwc_hit": guest-dimension paging-structure cache hits.
 * @NESTWALK_STAT_PWC_MISS: "pwc_miss": ... and misses.
 * @NESTWALK_STAT_HPWC_HIT: "host_pwc_hit": host-dimension paging-structure cache hits.
 * @NESTWALK_STAT_HPWC_MISS: "host_pwc_miss": ... and misses.
 * @NESTWALK_STAT_NTLB_HIT: "ntlb_hit": nested TLB (guest-physical mappings) hits.
 * @NESTWALK_STAT_NTLB_MISS: "ntlb_miss": ... and misses.
 * @NESTWALK_STAT_GUEST_PF: "guest_pf": page faults of the guest.
 * @NESTWALK_STAT_EPT_VIOLATION: "ept_violation": EPT (NPT) violations not fixed.
 * @NESTWALK_STAT_EPT_MISCONFIG: "ept_misconfig": EPT misconfigurations.
 * @NESTWALK_STAT_PHYS_FAULT: "phys_fault": walks stopped by a table outside provided memory.
 * @NESTWALK_STAT_PF_FIXED: "pf_fixed": EPT violations or shadow faults the hypervisor fixed.
 * @NESTWALK_STAT_EXITS: "exits": VM exits.
 * @NESTWALK_STAT_TLB_FLUSH: "tlb_flush": TLB flushes the hypervisor makes
 *	(KVM's tlb_flush: kvm_vcpu_flush_tlb_*()): INVVPID of a context, INVEPT,
 *	and under shadow paging the flushes KVM makes on a guest's MOV to CR3,
 *	INVPCID or page-table write; never a guest's own INVLPG.
 * @NESTWALK_STAT_MMU_PTE_WRITE: "mmu_pte_write": trapped guest page-table writes (shadow).
 * @NESTWALK_STAT_MMU_SHADOW_ZAPPED: "mmu_shadow_zapped": shadow pages zapped
 *	(KVM's kvm_mmu_prepare_zap_page()).
 * @NESTWALK_STAT_SHADOW_PAGES: "shadow_pages": shadow table pages held (a gauge).
 * @NESTWALK_STAT_PAGES_4K: "pages_4k": 4 KiB EPT/NPT leaves (a gauge, as in KVM).
 * @NESTWALK_STAT_PAGES_2M: "pages_2m": 2 MiB EPT/NPT leaves (a gauge).
 * @NESTWALK_STAT_PAGES_1G: "pages_1g": 1 GiB EPT/NPT leaves (a gauge).
 * @NESTWALK_STAT_MCYCLES: "mcycles": estimated cost of everything counted, milli-cycles.
 * @NESTWALK_STAT_ITLB_L1_HIT: "itlb_l1_hit": fetches that hit the first
 *	instruction TLB level (API 4).
 * @NESTWALK_STAT_ITLB_L2_HIT: "itlb_l2_hit": ... the second level (its own
 *	or the one shared with data).
 * @NESTWALK_STAT_ITLB_L3_HIT: "itlb_l3_hit": ... the third level.
 * @NESTWALK_STAT_ITLB_MISS: "itlb_miss": fetches that missed every level.
 * @NESTWALK_STAT_PAGE_CROSS: "page_cross": accesses that touched two pages.
 * @NESTWALK_STAT_GP_FAULT: "gp_fault": accesses to a non-canonical address.
 * @NESTWALK_STAT_MMU_UNSYNC: "mmu_unsync": last-level shadow pages unsync
 *	now (a gauge, KVM's mmu_unsync).
 * @NESTWALK_STAT_MMU_RECYCLED: "mmu_recycled": shadow pages zapped to stay
 *	within the quota (KVM's mmu_recycled).
 * @NESTWALK_STAT_DCACHE_L1_HIT: "dcache_l1_hit": line loads through the
 *	data-cache model (walk loads and data accesses) that hit L1d (API 5;
 *	the next 19 too, all zero with the model off).
 * @NESTWALK_STAT_DCACHE_L2_HIT: "dcache_l2_hit": ... that hit L2.
 * @NESTWALK_STAT_DCACHE_L3_HIT: "dcache_l3_hit": ... that hit the LLC.
 * @NESTWALK_STAT_DCACHE_MISS: "dcache_miss": ... served from memory.
 * @NESTWALK_STAT_WALKER_LOADS_DTLB_L1: "walker_loads_dtlb_l1": guest (native,
 *	shadow) paging-structure loads of data-access walks that hit L1d
 *	(PAGE_WALKER_LOADS.DTLB_L1 of Intel's Haswell PMU).
 * @NESTWALK_STAT_WALKER_LOADS_DTLB_L2: "walker_loads_dtlb_l2": ... L2.
 * @NESTWALK_STAT_WALKER_LOADS_DTLB_L3: "walker_loads_dtlb_l3": ... the LLC.
 * @NESTWALK_STAT_WALKER_LOADS_DTLB_MEM: "walker_loads_dtlb_mem": ... memory.
 * @NESTWALK_STAT_WALKER_LOADS_ITLB_L1: "walker_loads_itlb_l1": the same for
 *	the walks of instruction fetches (PAGE_WALKER_LOADS.ITLB_L1).
 * @NESTWALK_STAT_WALKER_LOADS_ITLB_L2: "walker_loads_itlb_l2".
 * @NESTWALK_STAT_WALKER_LOADS_ITLB_L3: "walker_loads_itlb_l3".
 * @NESTWALK_STAT_WALKER_LOADS_ITLB_MEM: "walker_loads_itlb_mem".
 * @NESTWALK_STAT_WALKER_LOADS_EPT_DTLB_L1: "walker_loads_ept_dtlb_l1": EPT
 *	(NPT) entry loads of data-access walks that hit L1d
 *	(PAGE_WALKER_LOADS.EPT_DTLB_L1).
 * @NESTWALK_STAT_WALKER_LOADS_EPT_DTLB_L2: "walker_loads_ept_dtlb_l2".
 * @NESTWALK_STAT_WALKER_LOADS_EPT_DTLB_L3: "walker_loads_ept_dtlb_l3".
 * @NESTWALK_STAT_WALKER_LOADS_EPT_DTLB_MEM: "walker_loads_ept_dtlb_mem".
 * @NESTWALK_STAT_WALKER_LOADS_EPT_ITLB_L1: "walker_loads_ept_itlb_l1": ...
 *	of instruction-fetch walks (PAGE_WALKER_LOADS.EPT_ITLB_L1).
 * @NESTWALK_STAT_WALKER_LOADS_EPT_ITLB_L2: "walker_loads_ept_itlb_l2".
 * @NESTWALK_STAT_WALKER_LOADS_EPT_ITLB_L3: "walker_loads_ept_itlb_l3".
 * @NESTWALK_STAT_WALKER_LOADS_EPT_ITLB_MEM: "walker_loads_ept_itlb_mem".
 */
enum nestwalk_stat {
	NESTWALK_STAT_ACCESSES,
	NESTWALK_STAT_READS,
	NESTWALK_STAT_WRITES,
	NESTWALK_STAT_FETCHES,
	NESTWALK_STAT_TLB_L1_HIT,
	NESTWALK_STAT_TLB_L2_HIT,
	NESTWALK_STAT_TLB_L3_HIT,
	NESTWALK_STAT_TLB_MISS,
	NESTWALK_STAT_TLB_ASSIST,
	NESTWALK_STAT_WALKS,
	NESTWALK_STAT_WALK_REFS,
	NESTWALK_STAT_GUEST_REFS_L1,
	NESTWALK_STAT_GUEST_REFS_L2,
	NESTWALK_STAT_GUEST_REFS_L3,
	NESTWALK_STAT_GUEST_REFS_L4,
	NESTWALK_STAT_GUEST_REFS_L5,
	NESTWALK_STAT_HOST_REFS_L1,
	NESTWALK_STAT_HOST_REFS_L2,
	NESTWALK_STAT_HOST_REFS_L3,
	NESTWALK_STAT_HOST_REFS_L4,
	NESTWALK_STAT_HOST_REFS_L5,
	NESTWALK_STAT_AD_WRITES,
	NESTWALK_STAT_PWC_HIT,
	NESTWALK_STAT_PWC_MISS,
	NESTWALK_STAT_HPWC_HIT,
	NESTWALK_STAT_HPWC_MISS,
	NESTWALK_STAT_NTLB_HIT,
	NESTWALK_STAT_NTLB_MISS,
	NESTWALK_STAT_GUEST_PF,
	NESTWALK_STAT_EPT_VIOLATION,
	NESTWALK_STAT_EPT_MISCONFIG,
	NESTWALK_STAT_PHYS_FAULT,
	NESTWALK_STAT_PF_FIXED,
	NESTWALK_STAT_EXITS,
	NESTWALK_STAT_TLB_FLUSH,
	NESTWALK_STAT_MMU_PTE_WRITE,
	NESTWALK_STAT_MMU_SHADOW_ZAPPED,
	NESTWALK_STAT_SHADOW_PAGES,
	NESTWALK_STAT_PAGES_4K,
	NESTWALK_STAT_PAGES_2M,
	NESTWALK_STAT_PAGES_1G,
	NESTWALK_STAT_MCYCLES,
	NESTWALK_STAT_ITLB_L1_HIT,
	NESTWALK_STAT_ITLB_L2_HIT,
	NESTWALK_STAT_ITLB_L3_HIT,
	NESTWALK_STAT_ITLB_MISS,
	NESTWALK_STAT_PAGE_CROSS,
	NESTWALK_STAT_GP_FAULT,
	NESTWALK_STAT_MMU_UNSYNC,
	NESTWALK_STAT_MMU_RECYCLED,
	NESTWALK_STAT_DCACHE_L1_HIT,
	NESTWALK_STAT_DCACHE_L2_HIT,
	NESTWALK_STAT_DCACHE_L3_HIT,
	NESTWALK_STAT_DCACHE_MISS,
	NESTWALK_STAT_WALKER_LOADS_DTLB_L1,
	NESTWALK_STAT_WALKER_LOADS_DTLB_L2,
	NESTWALK_STAT_WALKER_LOADS_DTLB_L3,
	NESTWALK_STAT_WALKER_LOADS_DTLB_MEM,
	NESTWALK_STAT_WALKER_LOADS_ITLB_L1,
	NESTWALK_STAT_WALKER_LOADS_ITLB_L2,
	NESTWALK_STAT_WALKER_LOADS_ITLB_L3,
	NESTWALK_STAT_WALKER_LOADS_ITLB_MEM,
	NESTWALK_STAT_WALKER_LOADS_EPT_DTLB_L1,
	NESTWALK_STAT_WALKER_LOADS_EPT_DTLB_L2,
	NESTWALK_STAT_WALKER_LOADS_EPT_DTLB_L3,
	NESTWALK_STAT_WALKER_LOADS_EPT_DTLB_MEM,
	NESTWALK_STAT_WALKER_LOADS_EPT_ITLB_L1,
	NESTWALK_STAT_WALKER_LOADS_EPT_ITLB_L2,
	NESTWALK_STAT_WALKER_LOADS_EPT_ITLB_L3,
	NESTWALK_STAT_WALKER_LOADS_EPT_ITLB_MEM,
};

/* Bytes of one name, with its terminating NUL. */
#define NESTWALK_STAT_NAME_LEN	32

/**
 * struct nestwalk_stats - the session's counters
 * @size: (in) sizeof(struct nestwalk_stats) as the caller knows it.
 * @flags: (in) must be zero.
 * @values: (in) user pointer to an array of @count __u64.
 * @count: (in) room in @values (and @names); (out) counters the module
 *	has. Values are in enum nestwalk_stat order, that of the first
 *	@count lines of debugfs sessions/<id>/stats.
 * @names: (in) optional user pointer to room for @count names of
 *	NESTWALK_STAT_NAME_LEN bytes each, NUL-terminated, in the same
 *	order; 0 for none. Since API 3 (before, a non-zero value is EINVAL).
 * @reserved: (in) must be zero.
 *
 * NESTWALK_IOC_STATS does not wait for a RUN or GENERATE of the session in
 * progress in another thread: it returns the counters as they are at that
 * moment, as a read of debugfs sessions/<id>/stats does (a progress line;
 * not a snapshot: counters may disagree by the accesses in between). After
 * the run, the values are exact.
 */
struct nestwalk_stats {
	__u64 size;
	__u64 flags;
	__u64 values;
	__u64 count;
	__u64 names;
	__u64 reserved[3];
};

#define NESTWALK_STATS_SIZE_V1	64

#define NESTWALK_IOC_CONFIG	_IOWR(NESTWALK_IOC_MAGIC, 0x03, \
				      struct nestwalk_config)
#define NESTWALK_IOC_MAP	_IOWR(NESTWALK_IOC_MAGIC, 0x04, \
				      struct nestwalk_map)
#define NESTWALK_IOC_RUN	_IOWR(NESTWALK_IOC_MAGIC, 0x05, \
				      struct nestwalk_run)
#define NESTWALK_IOC_STATS	_IOWR(NESTWALK_IOC_MAGIC, 0x06, \
				      struct nestwalk_stats)
#define NESTWALK_IOC_RESET	_IO(NESTWALK_IOC_MAGIC, 0x07)

/* struct nestwalk_invalidate.op: what the simulated CPU executes. */
#define NESTWALK_INV_INVLPG	0	/* @addr, in the VM */
#define NESTWALK_INV_INVPCID	1	/* @type 0-3, @pcid, @addr, in the VM */
#define NESTWALK_INV_MOV_CR3	2	/* @pcid; @type 1: PCID no-flush bit */
#define NESTWALK_INV_INVVPID	3	/* @type 0-3, @vpid, @addr, VMX root */
#define NESTWALK_INV_INVEPT	4	/* @type 1 (single, @vm_id), 2 (global) */
#define NESTWALK_INV_VM_EXIT	5	/* leave the running VM */
#define NESTWALK_INV_VM_ENTER	6	/* enter @vm_id */

/**
 * struct nestwalk_invalidate - a TLB or paging-structure-cache operation
 * @size: (in) sizeof(struct nestwalk_invalidate) as the caller knows it.
 * @flags: (in) must be zero.
 * @op: (in) NESTWALK_INV_*.
 * @type: (in) the instruction's type operand, as the SDM numbers it:
 *	INVPCID 0 individual address, 1 single context, 2 all contexts
 *	with globals, 3 all contexts; INVVPID 0 individual address, 1 single
 *	context, 2 all contexts, 3 single context retaining globals;
 *	INVEPT 1 single context, 2 global.
 * @vm_id: (in) the VM that executes INVLPG, INVPCID and MOV to CR3 (it
 *	is entered first if another VM runs), the VM of INVEPT single
 *	context, the VM entered by NESTWALK_INV_VM_ENTER.
 * @pcid: (in) PCID operand, 0 to 4095.
 * @vpid: (in) VPID operand, 1 to 65535.
 * @addr: (in) linear-address operand.
 * @reserved: (in) must be zero.
 */
struct nestwalk_invalidate {
	__u64 size;
	__u64 flags;
	__u64 op;
	__u64 type;
	__u64 vm_id;
	__u64 pcid;
	__u64 vpid;
	__u64 addr;
	__u64 reserved[8];
};

#define NESTWALK_INVALIDATE_SIZE_V1	128

/* struct nestwalk_generate.pattern */
#define NESTWALK_GEN_SEQUENTIAL	0	/* every 64-byte line in order */
#define NESTWALK_GEN_STRIDED	1	/* every @stride bytes, wrapping */
#define NESTWALK_GEN_UNIFORM	2	/* uniformly random lines */
#define NESTWALK_GEN_ZIPF	3	/* page popularity ~ 1 / rank^theta */
#define NESTWALK_GEN_CHASE	4	/* a random cyclic walk over pages */

/* struct nestwalk_generate.flags */
#define NESTWALK_GEN_USER	(1ULL << 0)

/**
 * struct nestwalk_generate - run accesses made by an in-kernel generator
 * @size: (in) sizeof(struct nestwalk_generate) as the caller knows it.
 * @flags: (in) NESTWALK_GEN_USER: user-mode accesses.
 * @vm_id: (in) the VM to run, as for NESTWALK_IOC_RUN.
 * @pattern: (in) NESTWALK_GEN_*.
 * @base: (in) first guest-virtual address of the working set.
 * @length: (in) bytes of the working set, a non-zero multiple of 4 KiB
 *	(at most 16 GiB for zipf and chase, which keep a table per page).
 * @stride: (in) bytes between accesses of the strided pattern.
 * @theta_milli: (in) zipf exponent in thousandths (990 for 0.99).
 * @write_pct: (in) percentage of writes, 0 to 100.
 * @fetch_pct: (in) percentage of instruction fetches; with @write_pct at
 *	most 100.
 * @pcid: (in) the address space, 0 to 4095.
 * @seed: (in) seed of the generator: equal seeds, equal sequences.
 * @count: (in) accesses to run, at most 2^40.
 * @done: (out) accesses run (fewer when a fatal signal stopped the run,
 *	which then fails with EINTR).
 * @deltas: (in) optional user pointer to @ndeltas __u64, as for
 *	struct nestwalk_run.
 * @ndeltas: (in) room in @deltas; (out) how many were written.
 */
struct nestwalk_generate {
	__u64 size;
	__u64 flags;
	__u64 vm_id;
	__u64 pattern;
	__u64 base;
	__u64 length;
	__u64 stride;
	__u64 theta_milli;
	__u64 write_pct;
	__u64 fetch_pct;
	__u64 pcid;
	__u64 seed;
	__u64 count;
	__u64 done;
	__u64 deltas;
	__u64 ndeltas;
};

#define NESTWALK_GENERATE_SIZE_V1	128

#define NESTWALK_IOC_INVALIDATE	_IOWR(NESTWALK_IOC_MAGIC, 0x08, \
				      struct nestwalk_invalidate)
#define NESTWALK_IOC_GENERATE	_IOWR(NESTWALK_IOC_MAGIC, 0x09, \
				      struct nestwalk_generate)

#endif /* _UAPI_LINUX_NESTWALK_H */
