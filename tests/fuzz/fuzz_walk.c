// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the entry decoders, the builders and the walkers with hostile
 * memory.
 *
 * Input: a 16-byte header (mode, levels, leaf sizes, access kind, caches,
 * the address), then operations of 11 bytes: an opcode, a 2-byte index
 * and an 8-byte value. They write a value into guest memory (what the
 * caller of the module can do at any moment) or anywhere in host memory
 * (tables the module owns: the walkers' robustness), map, unmap, split and
 * merge guest pages, make accesses and walks, invalidate, and store to a
 * guest page-table entry as the guest would (trapped in shadow mode).
 * Checked: every walk ends within 35 references (a 5x5 2D walk); an
 * access ends within the retry bound; the fast entry checks agree with
 * the reference decoders for every value written, at every level; the
 * model changes nothing of guest data below the gpt region but the
 * accessed and dirty flags of entries it walks, and entries of pages a
 * stored value names (a crafted entry leads the builders there, as it
 * would lead a guest OS), unless a store hit the model's own tables
 * (kernel memory in the module: a corrupted EPT entry may lead the
 * builders anywhere); nothing reads or writes outside the simulated
 * memory (ASan, and simmem's bounds).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coretest.h"
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
		{ .maxphyaddr = 46, .mbpages = true, .gbpages = true,
		  .exec_only = true, .ad = true },
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
	u8 mode, glevels, hlevels, flags, gleaf, hleaf, kind;
	u8 cr;		/* CR0.WP = 0, SMEP, SMAP, PKE with PKRU va[63:32] */
	u64 va;
};

/* Guest data: GPAs below the gpt region (the region is the upper half). */
#define DATA_WORDS	(GUEST_SIZE / 2 / 8)
#define DATA_PAGES	(DATA_WORDS / 512)
/* What the model may change in a word it walks: A and D, x86 and EPT. */
#define AD_BITS		(NW_X86_A | NW_X86_D | NW_EPT_A | NW_EPT_D)

struct run {
	struct simmem mem;
	struct nw_sim *s;
	struct nw_vm *vm;
	struct nw_as *as;
	u64 va;
	u8 kind;
	u64 *data;		/* guest data as the fuzzer left it */
	/* Data pages a stored value names, as a GPA or as an HPA. */
	bool named[DATA_PAGES];
	/*
	 * A store hit the model's own tables (host memory below GUEST_HPA):
	 * in the module they are kernel memory no caller can write, and a
	 * corrupted EPT/NPT entry may lead the builders anywhere, guest data
	 * included, so the data check no longer applies.
	 */
	bool tables_hit;
};

static void name_page(struct run *r, u64 val)
{
	u64 a = val & nw_addr_mask(NW_MAXPHYADDR_MAX);

	if (a < GUEST_SIZE / 2)
		r->named[a >> 12] = true;
	if (a >= GUEST_HPA && a - GUEST_HPA < GUEST_SIZE / 2)
		r->named[(a - GUEST_HPA) >> 12] = true;
}

static u64 *guest_word(struct run *r, u64 i)
{
	return simmem_page(&r->mem, GUEST_HPA + i / 512 * 4096) + i % 512;
}

/* Store @val at host-physical word @i, and remember guest data stores. */
static void poke(struct run *r, u64 i, u64 val)
{
	u64 *page = simmem_page(&r->mem, i / 512 * 4096);

	check(page != NULL, "simmem page");
	page[i % 512] = val;
	name_page(r, val);
	if (i < GUEST_HPA / 8)
		r->tables_hit = true;
	if (i >= GUEST_HPA / 8 && i - GUEST_HPA / 8 < DATA_WORDS)
		r->data[i - GUEST_HPA / 8] = val;
}

static void data_check(struct run *r)
{
	u64 i;

	for (i = 0; i < DATA_WORDS && !r->tables_hit; i++) {
		if (r->named[i / 512] ||
		    !((*guest_word(r, i) ^ r->data[i]) & ~AD_BITS))
			continue;
		fprintf(stderr, "fuzz_walk: GPA 0x%llx: 0x%llx, was 0x%llx\n",
			(unsigned long long)i * 8,
			(unsigned long long)*guest_word(r, i),
			(unsigned long long)r->data[i]);
		check(false, "the model changed guest data");
	}
}

static void access_check(struct run *r, u64 a, unsigned int kind)
{
	struct nw_walk_res w;
	u64 before = nw_sim_counter(r->s, NW_C_WALK_REFS);
	int err = nw_access(r->s, a, 1, kind);

	check(err >= NW_OK && err <= NW_GP_FAULT, "outcome");
	check(nw_sim_counter(r->s, NW_C_WALK_REFS) - before <= 8 * MAX_REFS,
	      "access references");
	err = nw_walk(r->s, r->vm, r->as, a, kind, &w);
	check(w.refs <= MAX_REFS, "walk references");
	check(err == w.outcome, "walk outcome");
}

/* One operation of the input: @idx and @val pick what and where. */
static void op(struct run *r, u8 code, u16 idx, u64 val)
{
	u64 va = r->va + (idx & 0x3f) * 0x200000ULL + (val & 0x1ff000);
	int level = 1 + idx % 3;
	u64 size = nw_level_size(level);

	switch (code % 12) {
	case 0:
	case 1:
	case 2:		/* the caller writes its guest memory */
		cross_check(val);
		poke(r, GUEST_HPA / 8 + (idx % (GUEST_SIZE / 8)), val);
		break;
	case 3:		/* ... the first word of a guest page */
		poke(r, GUEST_HPA / 8 + (idx % (GUEST_SIZE / 4096)) * 512,
		     val);
		break;
	case 4:		/* anywhere in host memory */
		cross_check(val);
		poke(r, idx % (HOST_PAGES * 512ULL), val);
		break;
	case 5:
		va &= ~(size - 1);
		nw_as_map(r->as, va, r->vm->cfg.mode == NW_MODE_NATIVE ?
			  GUEST_HPA + (val & (GUEST_SIZE - 1) & ~(size - 1)) :
			  val & (GUEST_SIZE - 1) & ~(size - 1),
			  size * (1 + (idx >> 8) % 3), level,
			  (val >> 60 & 1 ? NW_X86_RW : 0) | NW_X86_US);
		break;
	case 6:
		nw_pt_unmap(&r->as->gpt, va & ~0xfffULL,
			    4096ULL << (idx >> 8) % 12, NULL);
		break;
	case 7:
		if (idx & 0x100)
			nw_pt_split(&r->as->gpt, va & ~(size - 1), level);
		else
			nw_pt_merge(&r->as->gpt, va & ~(size - 1), level);
		break;
	case 8:
	case 9:
		access_check(r, va + (val & 0xfff), (r->kind + idx) % 3 |
			     (r->kind & (NW_USER | NW_AC | NW_IMPLICIT)));
		break;
	case 10:
		if (idx & 1)
			nw_invlpg(r->s, va);
		else
			nw_invept(r->s, NW_INVEPT_GLOBAL, NULL);
		break;
	default:	/* a guest store the model sees (a shadow trap) */
		va = (val >> 20) % GUEST_SIZE & ~7ULL;
		name_page(r, val);
		if (nw_guest_pte_write(r->vm, va, val))
			break;
		/*
		 * Native tables are host memory: @va is a host-physical
		 * address below GUEST_HPA, among the model's own tables.
		 */
		if (r->vm->cfg.mode == NW_MODE_NATIVE)
			r->tables_hit = true;
		else if (va < GUEST_SIZE / 2)
			r->data[va / 8] = val;
		break;
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct nw_sim_cfg cfg = { 0 };
	struct nw_vm_cfg vc = { 0 };
	struct run r = { 0 };
	struct hdr h;
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
	cfg.caps = NW_CAPS;
	/* Walk loads and data lines through a small cache hierarchy. */
	if (h.flags & 128)
		cfg.dcache = (struct nw_dcache_cfg){
			.mode = NW_DC_DATA, .nlevels = 2, .mem_lat_m = 100000,
			.l = { { 4, 2, 4000 }, { 16, 4, 12000 } },
		};

	/* Without the window, each page apart: ASan sees past its end. */
	if ((h.flags & 64 ? simmem_init_paged : simmem_init)(&r.mem,
							      HOST_LIMIT, 0,
							      GUEST_HPA))
		return 0;
	r.data = calloc(DATA_WORDS, sizeof(*r.data));
	check(r.data != NULL, "calloc");
	r.s = nw_sim_create(&cfg, h.flags & 64 ? &simmem_ops_nowindow :
			    &simmem_ops, &r.mem, &err);
	check(r.s != NULL, "sim_create");

	vc.mode = h.mode % 4;
	vc.guest_levels = h.glevels & 1 ? 5 : 4;
	vc.host_levels = h.hlevels & 1 ? 5 : 4;
	vc.max_level = 1 + h.hleaf % 3;
	vc.ept_ad = h.flags & 16;
	vc.vpid = h.flags & 32 ? 1 : 0;
	vc.cr.no_wp = h.cr & 1;
	vc.cr.smep = h.cr & 2;
	vc.cr.smap = h.cr & 4;
	vc.cr.pke = (h.cr & 8) && vc.mode != NW_MODE_SHADOW;
	vc.cr.pkru = vc.cr.pke ? h.va >> 32 : 0;
	vc.gpt_base = GUEST_SIZE / 2;
	vc.gpt_size = GUEST_SIZE / 2;
	check(!nw_vm_create(r.s, &vc, &r.vm), "vm_create");
	check(!simmem_slot(&r.mem, r.vm->id, 0, GUEST_SIZE, GUEST_HPA,
			   1 + h.hleaf % 3), "slot");
	check(!nw_as_create(r.vm, 1, &r.as), "as_create");
	r.va = h.va & ~0xfffULL & NW_VA_MASK;
	/* An implicit access is a supervisor one. */
	r.kind = h.kind & NW_USER ? h.kind & ~NW_IMPLICIT : h.kind;
	/* A sane start: 16 pages mapped (native: to guest memory's HPA). */
	nw_as_map(r.as, r.va, vc.mode == NW_MODE_NATIVE ? GUEST_HPA : 0,
		  16 * 4096, NW_PTE, NW_X86_RW | NW_X86_US);
	if (vc.mode == NW_MODE_EPT || vc.mode == NW_MODE_NPT)
		nw_vm_map(r.vm, 0, GUEST_SIZE);
	nw_vm_enter(r.s, r.vm);

	/* The input's operations, hostile stores among them. */
	for (; size >= 11; data += 11, size -= 11) {
		u16 idx;
		u64 val;

		memcpy(&idx, data + 1, 2);
		memcpy(&val, data + 3, 8);
		op(&r, data[0], idx, val);
	}
	for (i = 0; i < 6; i++)
		access_check(&r, r.va + (i % 3) * 0x1000 + (h.va & 0xfff),
			     (h.kind + i) % 3 |
			     (r.kind & (NW_USER | NW_AC | NW_IMPLICIT)));
	data_check(&r);
	nw_sim_destroy(r.s);
	simmem_fini(&r.mem);
	free(r.data);
	return 0;
}
