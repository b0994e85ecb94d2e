// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the entry decoders and the walkers with random table contents.
 *
 * Input: a 16-byte header (mode, levels, leaf sizes, access kind, caches,
 * the address), then records of 2 bytes (entry index in host memory) and
 * 8 bytes (its new value) that overwrite tables a normal set-up built.
 * Checked: every walk ends within 35 references (a 5x5 2D walk); an
 * access ends within the retry bound; the fast entry checks agree with
 * the reference decoders for every record value at every level; nothing
 * reads outside the simulated memory (ASan, and simmem's bounds).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simmem.h"

#define HOST_PAGES	128
#define HOST_LIMIT	(HOST_PAGES * 4096ULL)
#define GUEST_HPA	(HOST_LIMIT / 2)
#define GUEST_SIZE	(HOST_LIMIT / 2)
#define MAX_REFS	35

static void check(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_walk: %s\n", what);
		abort();
	}
}

/*
 * The walkers' one-compare shortcut (nw_fmt_fast) may accept only what
 * the decoder calls valid, with every right (or, with @rw_us, the rights
 * nw_fmt_rw_us() gives), the accessed flag set when the walk sets it, a
 * table at levels 2-5 and a 4 KiB page at level 1.
 */
static void fast_check(struct nw_fmt *f, u64 e, int level, int st,
		       const struct nw_pte_info *i, u64 abit, bool rw_us)
{
	u8 all = NW_PERM_R | NW_PERM_W | NW_PERM_X | NW_PERM_U;

	nw_fmt_fast(f, abit, rw_us);
	if ((e & f->fast_mask[level]) != f->fast_val[level])
		return;
	check(st == NW_PTE_OK, "fast: accepted an invalid entry");
	check(i->perm == (rw_us ? nw_fmt_rw_us(e) : all),
	      "fast: accepted missing rights");
	check(!abit || (e & abit), "fast: accepted a clear accessed flag");
	check(i->leaf == (level == NW_PTE), "fast: leaf or table mix-up");
}

static void cross_check(u64 e)
{
	static const struct nw_x86_caps x86[2] = {
		{ .maxphyaddr = 46, .nxe = true, .gbpages = true },
		{ .maxphyaddr = 39, .nxe = false, .gbpages = false },
	};
	static const struct nw_ept_caps ept[2] = {
		{ .maxphyaddr = 46, .gbpages = true, .exec_only = true,
		  .ad = true },
		{ .maxphyaddr = 39 },
	};
	struct nw_pte_info i;
	struct nw_fmt f;
	int c, level, st;

	for (c = 0; c < 2; c++) {
		for (level = NW_PTE; level <= NW_PML5E; level++) {
			nw_fmt_x86(&f, &x86[c]);
			st = nw_x86_decode(e, level, &x86[c], &i);
			check(st == nw_fmt_check(&f, e, level), "x86 status");
			if (st == NW_PTE_OK) {
				check(i.leaf == nw_fmt_leaf(e, level),
				      "x86 leaf");
				check(i.addr == nw_fmt_addr(&f, e, level,
							    i.leaf), "x86 addr");
				check(i.perm == nw_fmt_perm(&f, e),
				      "x86 perm");
			}
			fast_check(&f, e, level, st, &i, NW_X86_A, false);
			fast_check(&f, e, level, st, &i, NW_X86_A, true);
			nw_fmt_ept(&f, &ept[c]);
			st = nw_ept_decode(e, level, &ept[c], &i);
			check(st == nw_fmt_check(&f, e, level), "ept status");
			if (st == NW_PTE_OK) {
				check(i.leaf == nw_fmt_leaf(e, level),
				      "ept leaf");
				check(i.addr == nw_fmt_addr(&f, e, level,
							    i.leaf), "ept addr");
				check(i.perm == nw_fmt_perm(&f, e),
				      "ept perm");
			}
			fast_check(&f, e, level, st, &i, c ? 0 : NW_EPT_A,
				   false);
		}
	}
}

struct hdr {
	u8 mode, glevels, hlevels, flags, gleaf, hleaf, kind, pad;
	u64 va;
};

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct nw_sim_cfg cfg = { 0 };
	struct nw_vm_cfg vc = { 0 };
	struct nw_walk_res r;
	struct simmem mem;
	struct nw_sim *s;
	struct nw_vm *vm;
	struct nw_as *as;
	struct hdr h;
	u64 va, before;
	int err, i;

	if (size < sizeof(h))
		return 0;
	memcpy(&h, data, sizeof(h));
	data += sizeof(h);
	size -= sizeof(h);

	cfg.tlb.nlevels = 1;
	cfg.tlb.l[0].lat_m = 1000;
	cfg.tlb.l[0].a[0] = (struct nw_cache_cfg){ 16, 4,
		BIT(NW_PTE) | BIT(NW_PDE) | BIT(NW_PDPTE), h.flags & 3 };
	if (cfg.tlb.l[0].a[0].repl > NW_REPL_RANDOM)
		cfg.tlb.l[0].a[0].repl = NW_REPL_LRU;
	if (h.flags & 4) {
		cfg.pwc.entries[NW_PDE] = 4;
		cfg.pwc.entries[NW_PDPTE] = 2;
		cfg.pwc.entries[NW_PML4E] = 2;
		cfg.pwc.entries[NW_PML5E] = 2;
		cfg.pwc.ways = 2;
		cfg.hpwc = cfg.pwc;
	}
	if (h.flags & 8)
		cfg.ntlb = (struct nw_cache_cfg){ 8, 2, BIT(NW_PTE) |
			BIT(NW_PDE) | BIT(NW_PDPTE), NW_REPL_LRU };
	nw_cost_defaults(&cfg.cost);

	if (simmem_init(&mem, HOST_LIMIT, 0, GUEST_HPA))
		return 0;
	s = nw_sim_create(&cfg, h.flags & 64 ? &simmem_ops_nowindow :
			  &simmem_ops, &mem, &err);
	check(s != NULL, "sim_create");

	vc.mode = h.mode % 4;
	vc.guest_levels = h.glevels & 1 ? 5 : 4;
	vc.host_levels = h.hlevels & 1 ? 5 : 4;
	vc.max_level = 1 + h.hleaf % 3;
	vc.ept_ad = h.flags & 16;
	vc.vpid = h.flags & 32 ? 1 : 0;
	vc.gpt_base = GUEST_SIZE / 2;
	vc.gpt_size = GUEST_SIZE / 2;
	check(!nw_vm_create(s, &vc, &vm), "vm_create");
	check(!simmem_slot(&mem, vm->id, 0, GUEST_SIZE, GUEST_HPA,
			   1 + h.hleaf % 3), "slot");
	check(!nw_as_create(vm, 1, &as), "as_create");
	va = h.va & ~0xfffULL & NW_VA_MASK;
	/* A sane start: 16 pages mapped (native: to guest memory's HPA). */
	nw_as_map(as, va, vc.mode == NW_MODE_NATIVE ? GUEST_HPA : 0,
		  16 * 4096, NW_PTE, NW_X86_RW | NW_X86_US);
	if (vc.mode == NW_MODE_EPT || vc.mode == NW_MODE_NPT)
		nw_vm_map(vm, 0, GUEST_SIZE);
	nw_vm_enter(s, vm);

	/* Then the fuzzer's overwrites, anywhere in host memory. */
	for (; size >= 10; data += 10, size -= 10) {
		u16 idx;
		u64 val, *page;

		memcpy(&idx, data, 2);
		memcpy(&val, data + 2, 8);
		cross_check(val);
		page = simmem_page(&mem, (idx % (HOST_PAGES * 512ULL)) / 512 *
				   4096);
		check(page != NULL, "simmem page");
		page[idx % 512] = val;
	}

	/*
	 * Guest tables live in memory the guest (in the kernel: the user)
	 * can write: the builders must stay safe on whatever they find.
	 */
	nw_as_map(as, va + (h.va & 0x3f) * 0x200000ULL, 0x3000, 2 * 4096,
		  NW_PTE, NW_X86_RW);
	nw_pt_unmap(&as->gpt, va + 0x2000, 0x2000, NULL);
	nw_pt_split(&as->gpt, va & ~0x1fffffULL, NW_PDE);
	nw_pt_merge(&as->gpt, va & ~0x1fffffULL, NW_PDE);
	nw_guest_pte_write(vm, (h.va >> 20) % GUEST_SIZE, h.va);

	for (i = 0; i < 6; i++) {
		u64 a = va + (i % 3) * 0x1000 + (h.va & 0xfff);
		unsigned int kind = (h.kind + i) % 3 | (h.kind & NW_USER);

		before = nw_sim_counter(s, NW_C_WALK_REFS);
		err = nw_access(s, a, 1, kind);
		check(err >= NW_OK && err <= NW_PHYS_FAULT, "outcome");
		check(nw_sim_counter(s, NW_C_WALK_REFS) - before <=
		      8 * MAX_REFS, "access references");
		err = nw_walk(s, vm, as, a, kind, &r);
		check(r.refs <= MAX_REFS, "walk references");
		check(err == r.outcome, "walk outcome");
		if (i == 2)
			nw_invlpg(s, a);
		if (i == 4)
			nw_invept(s, NW_INVEPT_GLOBAL, NULL);
	}
	nw_sim_destroy(s);
	simmem_fini(&mem);
	return 0;
}
