// SPDX-License-Identifier: GPL-2.0
/*
 * nestwalk run: one experiment (see experiment.h), its figures as a table
 * or JSON. The option parser is shared with nestwalk compare.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "experiment.h"
#include "libnestwalk.h"
#include "runopts.h"
#include "size.h"
#include "tracecmd.h"

static const char *const patterns[] = {
	"sequential", "strided", "uniform", "zipf", "chase",
};

static int lookup(const char *s, const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcasecmp(s, names[i]))
			return i;
	return -1;
}

static int onoff(const char *s)
{
	if (!strcmp(s, "on"))
		return 1;
	if (!strcmp(s, "off"))
		return 0;
	return -1;
}

static int page_level(const char *s)
{
	uint64_t b;

	if (nw_parse_size(s, &b))
		return -1;
	switch (b) {
	case 4096:
		return NESTWALK_PAGE_4K;
	case 2ULL << 20:
		return NESTWALK_PAGE_2M;
	case 1ULL << 30:
		return NESTWALK_PAGE_1G;
	}
	return -1;
}

/* "zipf", "zipf:0.8", "strided:4096", "uniform"... */
static int parse_workload(struct nw_exp *x, const char *s)
{
	char name[32], *arg;
	uint64_t v;

	snprintf(name, sizeof(name), "%s", s);
	arg = strchr(name, ':');
	if (arg)
		*arg++ = '\0';
	x->pattern = lookup(name, patterns, 5);
	switch (x->pattern) {
	case NESTWALK_GEN_STRIDED:
		if (!arg || nw_parse_size(arg, &v))
			return -1;
		x->stride = v;
		return 0;
	case NESTWALK_GEN_ZIPF:
		if (arg) {
			char *end;
			double t = strtod(arg, &end);

			if (*end || !(t > 0 && t < 10))
				return -1;
			x->theta_milli = (uint64_t)(t * 1000 + 0.5);
		}
		return 0;
	case -1:
		return -1;
	default:
		return arg ? -1 : 0;
	}
}

/*
 * --cpu-caps [+|-]NAME,...: names alone replace the preset's
 * capabilities, +NAME adds one and -NAME takes one away.
 */
static int parse_caps(struct nw_exp *x, const char *arg)
{
	char buf[256], *tok, *save = NULL;
	int i, sign;

	if (snprintf(buf, sizeof(buf), "%s", arg) >= (int)sizeof(buf))
		return -1;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		sign = *tok == '+' ? 1 : *tok == '-' ? -1 : 0;
		i = lookup(tok + !!sign, nw_cap_names, NW_CAP_NAMES);
		if (i < 0 && !sign && !strcmp(tok, "none")) {
			x->caps_set = 1;
			continue;
		}
		if (i < 0)
			return -1;
		if (!sign)
			x->caps_set = 1;
		if (sign < 0) {
			x->caps_off |= 1ULL << i;
			x->caps_on &= ~(1ULL << i);
		} else {
			x->caps_on |= 1ULL << i;
			x->caps_off &= ~(1ULL << i);
		}
	}
	return 0;
}

/* The command whose options are parsed, for the messages. */
static const char *said_cmd = "run";

static int parse_u64(const char *s, uint64_t *v)
{
	int rel;

	return nw_parse_count(s, v, &rel) || rel ? -1 : 0;
}

/*
 * --tlb-level or --itlb-level @arg; only instruction levels are shared.
 * -2: refused, the reason printed.
 */
static int level_option(struct nw_geometry *g, const char *name,
			const char *arg)
{
	char err[128];

	if (nw_geometry_add_level(g, arg, err, sizeof(err)))
		goto bad;
	if (strcmp(name, "itlb") &&
	    g->l[g->n - 1].flags & NESTWALK_TLB_SHARED) {
		g->n--;
		snprintf(err, sizeof(err), "shared is for --itlb-level");
		goto bad;
	}
	return 0;
bad:
	fprintf(stderr, "nestwalk %s: --%s-level %s: %s\n", said_cmd, name, arg,
		err);
	return -2;
}

/* --dcache-level @arg, as level_option(). */
static int dcache_level_option(struct nw_exp *x, const char *arg)
{
	char err[128];

	x->dcache_given = 1;
	if (!nw_dcache_add_level(&x->dcache, arg, err, sizeof(err)))
		return 0;
	fprintf(stderr, "nestwalk %s: --dcache-level %s: %s\n", said_cmd, arg,
		err);
	return -2;
}

/* --mem-latency CYCLES: at most 10^7 thousandths (the uAPI's bound). */
static int mem_latency_option(struct nw_exp *x, const char *arg)
{
	__u64 m;

	x->dcache_given = 1;
	if (!nw_parse_cycles(arg, 10000000, &m) && m) {
		x->mem_latency_milli = m;
		return 0;
	}
	fprintf(stderr, "nestwalk %s: --mem-latency %s: cycles from 0.001 to 10000, up to three decimals\n",
		said_cmd, arg);
	return -2;
}

/* --dcache data|walks-only|off */
static int dcache_option(struct nw_exp *x, const char *arg)
{
	x->dcache_given = 1;
	x->dcache_mode = lookup(arg, nw_dcache_mode_names, 3);
	return x->dcache_mode < 0 ? -1 : 0;
}

/* Options without a short letter. */
enum {
	OPT_CR0_WP = 0x100,
	OPT_SMEP,
	OPT_SMAP,
	OPT_PKRU,
	OPT_DCACHE,
	OPT_DCACHE_LEVEL,
	OPT_MEM_LATENCY,
	OPT_QUIET,
	OPT_COUNT_ONLY,
};

const struct option nw_run_longopts[] = {
	{ "mode", required_argument, NULL, 'm' },
	{ "preset", required_argument, NULL, 'p' },
	{ "tlb-level", required_argument, NULL, 'L' },
	{ "itlb-level", required_argument, NULL, 'i' },
	{ "unified-tlb", no_argument, NULL, 'U' },
	{ "no-tlb", no_argument, NULL, 'T' },
	{ "no-pwc", no_argument, NULL, 'P' },
	{ "no-hpwc", no_argument, NULL, 'H' },
	{ "no-ntlb", no_argument, NULL, 'N' },
	{ "cpu-caps", required_argument, NULL, 'C' },
	{ "walk-caches", required_argument, NULL, 'c' },
	{ "vpid", required_argument, NULL, 'v' },
	{ "switch-every", required_argument, NULL, 'S' },
	{ "ept-ad", no_argument, NULL, 'A' },
	{ "cr0-wp", required_argument, NULL, OPT_CR0_WP },
	{ "smep", no_argument, NULL, OPT_SMEP },
	{ "smap", no_argument, NULL, OPT_SMAP },
	{ "pkru", required_argument, NULL, OPT_PKRU },
	{ "dcache", required_argument, NULL, OPT_DCACHE },
	{ "dcache-level", required_argument, NULL, OPT_DCACHE_LEVEL },
	{ "mem-latency", required_argument, NULL, OPT_MEM_LATENCY },
	{ "guest-levels", required_argument, NULL, 'g' },
	{ "host-levels", required_argument, NULL, 'G' },
	{ "guest-page", required_argument, NULL, 'l' },
	{ "backing", required_argument, NULL, 'b' },
	{ "mem", required_argument, NULL, 'M' },
	{ "workload", required_argument, NULL, 'w' },
	{ "writes", required_argument, NULL, 'W' },
	{ "fetches", required_argument, NULL, 'F' },
	{ "seed", required_argument, NULL, 's' },
	{ "accesses", required_argument, NULL, 'n' },
	{ "no-warmup", no_argument, NULL, 'O' },
	{ "trace", required_argument, NULL, 't' },
	{ "trace-format", required_argument, NULL, 'f' },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "count-only", no_argument, NULL, OPT_COUNT_ONLY },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* --pkru HEX: CR4.PKE on, PKRU (32 bits, SDM 4.6.2) as given. */
static int parse_pkru(struct nw_exp *x, const char *arg)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 16);
	if (errno || end == arg || *end || arg[0] == '-' || v > 0xffffffffULL)
		return -1;
	x->vm_flags |= NESTWALK_VM_PKE;
	x->pkru = v;
	return 0;
}

int nw_run_option(struct nw_exp *x, struct nw_run_extra *e, int opt,
		  const char *arg)
{
	uint64_t v;
	int i;

	switch (opt) {
	case 'm':
		x->mode = lookup(arg, nw_mode_names, 4);
		if (x->mode < 0 && !strcmp(arg, "nested-ept"))
			x->mode = NESTWALK_MODE_EPT;
		if (x->mode < 0 && !strcmp(arg, "nested-npt"))
			x->mode = NESTWALK_MODE_NPT;
		return x->mode < 0 ? -1 : 0;
	case 'p':
		x->preset = lookup(arg, nw_preset_names, 4);
		return x->preset < 0 ? -1 : 0;
	case 'L':
		return level_option(&x->tlb, "tlb", arg);
	case 'i':
		return level_option(&x->itlb, "itlb", arg);
	case 'U':
		x->cfg_flags |= NESTWALK_CFG_UNIFIED_TLB;
		return 0;
	case 'T':
		x->cfg_flags |= NESTWALK_CFG_NO_TLB;
		return 0;
	case 'P':
		x->cfg_flags |= NESTWALK_CFG_NO_PWC;
		return 0;
	case 'H':
		x->cfg_flags |= NESTWALK_CFG_NO_HPWC;
		return 0;
	case 'N':
		x->cfg_flags |= NESTWALK_CFG_NO_NTLB;
		return 0;
	case 'C':
		return parse_caps(x, arg);
	case 'c':
		i = onoff(arg);
		if (i < 0)
			return -1;
		if (i)
			x->cfg_flags &= ~(NESTWALK_CFG_NO_PWC |
					  NESTWALK_CFG_NO_HPWC |
					  NESTWALK_CFG_NO_NTLB);
		else
			x->cfg_flags |= NESTWALK_CFG_NO_PWC |
					NESTWALK_CFG_NO_HPWC |
					NESTWALK_CFG_NO_NTLB;
		return 0;
	case 'v':
		x->vpid = onoff(arg);
		return x->vpid < 0 ? -1 : 0;
	case 'S':
		return parse_u64(arg, &x->switch_every) || !x->switch_every ?
		       -1 : 0;
	case 'A':
		x->ept_ad = 1;
		return 0;
	case OPT_CR0_WP:
		if (strcmp(arg, "0") && strcmp(arg, "1"))
			return -1;
		if (arg[0] == '0')
			x->vm_flags |= NESTWALK_VM_NO_WP;
		else
			x->vm_flags &= ~NESTWALK_VM_NO_WP;
		return 0;
	case OPT_SMEP:
		x->vm_flags |= NESTWALK_VM_SMEP;
		return 0;
	case OPT_SMAP:
		x->vm_flags |= NESTWALK_VM_SMAP;
		return 0;
	case OPT_PKRU:
		return parse_pkru(x, arg);
	case OPT_DCACHE:
		return dcache_option(x, arg);
	case OPT_DCACHE_LEVEL:
		return dcache_level_option(x, arg);
	case OPT_MEM_LATENCY:
		return mem_latency_option(x, arg);
	case 'g':
	case 'G':
		i = atoi(arg);
		if (strcmp(arg, "4") && strcmp(arg, "5"))
			return -1;
		*(opt == 'g' ? &x->guest_levels : &x->host_levels) = i;
		return 0;
	case 'l':
		x->guest_page = page_level(arg);
		return x->guest_page < 0 ? -1 : 0;
	case 'b':
		x->backing = lookup(arg, nw_backing_names, NW_BACK_NR);
		return x->backing < 0 ? -1 : 0;
	case 'M':
		if (nw_parse_size(arg, &v) || v & 4095)
			return -1;
		x->ws = v;
		return 0;
	case 'w':
		return parse_workload(x, arg);
	case 'W':
	case 'F':
		if (parse_u64(arg, &v) || v > 100)
			return -1;
		*(opt == 'W' ? &x->write_pct : &x->fetch_pct) = v;
		return x->write_pct + x->fetch_pct > 100 ? -1 : 0;
	case 's':
		return parse_u64(arg, &x->seed);
	case 'n':
		return parse_u64(arg, &x->accesses) || !x->accesses ? -1 : 0;
	case 'O':
		x->warmup = 0;
		return 0;
	case 't':
		e->trace = arg;
		return 0;
	case 'f':
		e->trace_format = nw_trace_format_parse(arg);
		return e->trace_format < 0 ? -1 : 0;
	case OPT_QUIET:
		e->quiet = 1;
		return 0;
	case OPT_COUNT_ONLY:
		e->count_only = 1;
		return 0;
	}
	return -1;
}

/* What option --@name accepts, from its line of the help, into @buf. */
static void accepted(const char *name, char *buf, size_t len)
{
	static const char *const kinds[][2] = {
		{ "N", "a whole number" },
		{ "PCT", "a percentage, 0 to 100 (writes and fetches together)" },
		{ "SIZE", "a size such as 64M or 1G, in whole 4K pages" },
		{ "HEX", "a 32-bit hexadecimal number such as 55555554" },
	};
	char key[40], tok[128], *p;
	const char *at;
	unsigned int i;
	size_t n;

	snprintf(key, sizeof(key), "--%s ", name);
	at = strstr(nw_run_options_help, key);
	n = at ? strcspn(at + strlen(key), " \n") : 0;
	snprintf(tok, sizeof(tok), "%.*s", (int)n, at ? at + strlen(key) : "");
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(tok, kinds[i][0])) {
			snprintf(buf, len, "give %s", kinds[i][1]);
			return;
		}
	if (!strcmp(name, "cpu-caps")) {
		snprintf(buf, len, "give [+|-]CAP,... with CAP one of");
		for (i = 0; i < NW_CAP_NAMES; i++)
			if (nw_cap_names[i])
				snprintf(buf + strlen(buf), len - strlen(buf),
					 " %s", nw_cap_names[i]);
		return;
	}
	for (p = tok; (p = strchr(p, '|')); )
		*p = ',';
	snprintf(buf, len, "%s %s", strchr(tok, ',') ? "give one of" : "give",
		 tok);
	for (p = buf; (p = strchr(p, ',')); p += 2) {
		memmove(p + 2, p + 1, strlen(p + 1) + 1);
		p[0] = ',';
		p[1] = ' ';
	}
}

int nw_run_option_said(const char *cmd, struct nw_exp *x,
		       struct nw_run_extra *e, int opt, const char *arg)
{
	const char *name = nw_run_longopts[nw_opt_index(opt)].name;
	char acc[256];
	int ret;

	said_cmd = cmd;
	ret = nw_run_option(x, e, opt, arg);
	if (ret == -1) {
		accepted(name, acc, sizeof(acc) - 1);
		fprintf(stderr, "nestwalk %s: bad value \"%s\" for --%s: %s\n",
			cmd, arg, name, acc);
	}
	return ret ? -1 : 0;
}

void nw_run_bad_option(const char *cmd, int opt, char **argv)
{
	const char *what = argv[optind - 1];

	if (opt == ':')
		fprintf(stderr, "nestwalk %s: %s needs a value (see nestwalk %s --help)\n",
			cmd, what, cmd);
	else
		fprintf(stderr, "nestwalk %s: unknown option %s (see nestwalk %s --help)\n",
			cmd, what, cmd);
}

/* What no single option can check: the data-cache geometry needs a mode. */
int nw_run_options_done(const char *cmd, const struct nw_exp *x)
{
	if (x->dcache_mode != NESTWALK_DCACHE_OFF ||
	    (!x->dcache.n && !x->mem_latency_milli))
		return 0;
	fprintf(stderr, "nestwalk %s: --dcache-level and --mem-latency need --dcache data or walks-only\n",
		cmd);
	return -1;
}

const char *nw_run_options_help =
	"  --mode native|ept|npt|shadow     translation (default ept)\n"
	"  --preset nehalem|skylake|zen2|custom   TLB geometry, walk caches,\n"
	"                                   latencies (default nehalem)\n"
	"  --tlb-level SPEC                 one TLB level, first level first\n"
	"                                   (up to 3), replacing the preset's\n"
	"                                   TLB: SIZES=ENTRIES[xWAYS][:REPL],...\n"
	"                                   [,lat=CYCLES][,victim], e.g.\n"
	"                                   4k=64x4,2m=32x4 then victim,4k=512x4\n"
	"  --itlb-level SPEC                one instruction TLB level, the same,\n"
	"                                   or shared (the data level of its\n"
	"                                   index), e.g. 4k=128x8 then shared\n"
	"  --unified-tlb                    fetches use the data TLB (no ITLB)\n"
	"  --walk-caches on|off             all walk caches (default on)\n"
	"  --no-tlb --no-pwc --no-hpwc --no-ntlb   switch single parts off\n"
	"  --cpu-caps [+|-]CAP,...          the CPU's capabilities: names alone\n"
	"                                   replace the preset's, +CAP adds,\n"
	"                                   -CAP removes; CAP: pdpe1gb la57 pcid\n"
	"                                   invpcid ept_2m ept_1g ept_xo ept_5l\n"
	"  --vpid on|off                    VPIDs for the VMs (default on)\n"
	"  --switch-every N                 two VMs take turns every N accesses\n"
	"  --ept-ad                         EPT accessed/dirty flags on\n"
	"  --cr0-wp 0|1                     the guest's CR0.WP (default 1)\n"
	"  --smep --smap                    the guest's CR4.SMEP, CR4.SMAP on\n"
	"  --pkru HEX                       CR4.PKE on, the guest's PKRU\n"
	"  --dcache data|walks-only|off     walk loads through the data caches,\n"
	"                                   with the accesses' data (default\n"
	"                                   data), alone, or a fixed latency\n"
	"  --dcache-level SIZE:WAYS:CYCLES  one data-cache level, L1d first (up\n"
	"                                   to 3), replacing the preset's: e.g.\n"
	"                                   32K:8:5 then 1M:16:14 then 8M:16:42\n"
	"  --mem-latency CYCLES             a load no cache level holds\n"
	"  --guest-levels 4|5 --host-levels 4|5\n"
	"  --guest-page 4K|2M|1G            guest page-table leaves (default 4K)\n"
	"  --backing 4k|thp|hugetlb-2M|hugetlb-1G   guest memory (default 4k)\n"
	"  --mem SIZE                       working set / guest memory (default 16M)\n"
	"  --workload sequential|strided:BYTES|uniform|zipf[:THETA]|chase\n"
	"  --writes PCT --fetches PCT --seed N --accesses N (default 1000000)\n"
	"  --no-warmup                      count the first pass too\n"
	"  --trace FILE|-                   replay a trace instead (binary or lackey,\n"
	"                                   plain or gzip, xz, zstd compressed)\n"
	"  --trace-format auto|binary|lackey\n"
	"  --quiet                          no progress line on a terminal\n"
	"  --count-only                     count the trace's records and\n"
	"                                   accesses, without the module\n";

static const char *level_name(int level)
{
	return level == NESTWALK_PAGE_4K ? "4K" :
	       level == NESTWALK_PAGE_2M ? "2M" : "1G";
}

/* The guest's rights settings that differ from the defaults, or "". */
static void describe_cr(const struct nw_exp *x, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", x->vm_flags & NESTWALK_VM_NO_WP ?
		 ", CR0.WP 0" : "",
		 x->vm_flags & NESTWALK_VM_SMEP ? ", SMEP" : "",
		 x->vm_flags & NESTWALK_VM_SMAP ? ", SMAP" : "");
	if (x->vm_flags & NESTWALK_VM_PKE)
		snprintf(buf + strlen(buf), len - strlen(buf), ", PKRU %#llx",
			 (unsigned long long)x->pkru);
}

void nw_exp_describe(const struct nw_exp *x, char *buf, size_t len)
{
	char ws[32], tlb[48], cr[64];

	nw_size_name(x->ws, ws, sizeof(ws));
	if (x->tlb.n)
		snprintf(tlb, sizeof(tlb), "%s with TLB %d level%s",
			 nw_preset_names[x->preset], x->tlb.n,
			 x->tlb.n > 1 ? "s" : "");
	else
		snprintf(tlb, sizeof(tlb), "%s", nw_preset_names[x->preset]);
	describe_cr(x, cr, sizeof(cr));
	snprintf(buf, len, "%s, %s%s, %d+%d levels, %s guest pages, %s backing, walk caches %s%s, vpid %s%s%s, dcache %s%s",
		 nw_mode_names[x->mode], tlb,
		 x->cfg_flags & NESTWALK_CFG_UNIFIED_TLB ? ", unified TLB" :
		 x->itlb.n ? ", explicit ITLB" : "",
		 x->guest_levels, x->host_levels, level_name(x->guest_page),
		 nw_backing_names[x->backing],
		 x->cfg_flags & (NESTWALK_CFG_NO_PWC | NESTWALK_CFG_NO_HPWC |
				 NESTWALK_CFG_NO_NTLB) ? "off" : "on",
		 x->cfg_flags & NESTWALK_CFG_NO_TLB ? ", no TLB" : "",
		 x->vpid ? "on" : "off", x->switch_every ? ", two VMs" : "", cr,
		 nw_dcache_mode_names[x->dcache_mode],
		 x->dcache.n || x->mem_latency_milli ? " (explicit)" : "");
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* The explicit TLB hierarchies, each followed by a comma. */
static void geometry_json(FILE *f, const struct nw_exp *x)
{
	if (x->tlb.n) {
		char geo[256];

		nw_geometry_describe(&x->tlb, geo, sizeof(geo));
		fprintf(f, "\"tlb_levels\":");
		json_str(f, geo);
		fprintf(f, ",\"tlb_reach_kib\":{\"4k\":%llu,\"2m\":%llu,\"1g\":%llu},",
			(unsigned long long)nw_geometry_reach_kib(&x->tlb, NESTWALK_PAGE_4K),
			(unsigned long long)nw_geometry_reach_kib(&x->tlb, NESTWALK_PAGE_2M),
			(unsigned long long)nw_geometry_reach_kib(&x->tlb, NESTWALK_PAGE_1G));
	}
	if (x->itlb.n) {
		char geo[256];

		nw_geometry_describe(&x->itlb, geo, sizeof(geo));
		fprintf(f, "\"itlb_levels\":");
		json_str(f, geo);
		fprintf(f, ",");
	}
}

/* The experiment's data-cache options, each followed by a comma. */
static void dcache_json(FILE *f, const struct nw_exp *x)
{
	char geo[256];

	fprintf(f, "\"dcache\":\"%s\",", nw_dcache_mode_names[x->dcache_mode]);
	if (x->dcache.n) {
		nw_dcache_describe(&x->dcache, geo, sizeof(geo));
		fprintf(f, "\"dcache_levels\":");
		json_str(f, geo);
		fprintf(f, ",");
	}
	if (x->mem_latency_milli)
		fprintf(f, "\"mem_latency_milli\":%llu,",
			(unsigned long long)x->mem_latency_milli);
}

/* Shares of the walk loads by where served, both dimensions, then each. */
static void walk_loads_json(FILE *f, const struct nw_exp_result *r)
{
	static const char *const key[NW_SERVED_NR] = {
		"l1", "l2", "llc", "mem",
	};
	static const char *const dims[3] = { "all", "guest", "host" };
	uint64_t n;
	int d, at;

	fprintf(f, ",\"walk_load_share\":{");
	for (d = -1; d < 2; d++) {
		for (n = 0, at = 0; at < NW_SERVED_NR; at++)
			n += nw_res_walk_loads(r, d, at);
		fprintf(f, "%s\"%s\":{", d < 0 ? "" : ",", dims[d + 1]);
		for (at = 0; at < NW_SERVED_NR; at++)
			fprintf(f, "%s\"%s\":%.6f", at ? "," : "", key[at],
				nw_res_ratio(nw_res_walk_loads(r, d, at), n));
		fprintf(f, "}");
	}
	fprintf(f, "}");
}

/* Every figure of @r as one JSON object (no newline). */
void nw_exp_json(FILE *f, const struct nw_exp *x,
		 const struct nw_exp_result *r)
{
	uint64_t acc = nw_res(r, NESTWALK_STAT_ACCESSES), walks = nw_res(r, NESTWALK_STAT_WALKS);
	unsigned int i;
	char desc[256];

	nw_exp_describe(x, desc, sizeof(desc));
	fprintf(f, "{\"label\":");
	json_str(f, x->label ? x->label : "run");
	fprintf(f, ",\"experiment\":{\"description\":");
	json_str(f, desc);
	fprintf(f, ",\"mode\":\"%s\",\"preset\":\"%s\",\"guest_levels\":%d,\"host_levels\":%d,\"guest_page\":\"%s\",\"backing\":\"%s\",\"vpid\":%s,\"switch_every\":%llu,\"config_flags\":%llu,\"mem\":%llu,",
		nw_mode_names[x->mode], nw_preset_names[x->preset],
		x->guest_levels, x->host_levels, level_name(x->guest_page),
		nw_backing_names[x->backing], x->vpid ? "true" : "false",
		(unsigned long long)x->switch_every,
		(unsigned long long)x->cfg_flags,
		(unsigned long long)x->ws);
	fprintf(f, "\"cr0_wp\":%s,\"smep\":%s,\"smap\":%s,\"pke\":%s,\"pkru\":%llu,",
		x->vm_flags & NESTWALK_VM_NO_WP ? "false" : "true",
		x->vm_flags & NESTWALK_VM_SMEP ? "true" : "false",
		x->vm_flags & NESTWALK_VM_SMAP ? "true" : "false",
		x->vm_flags & NESTWALK_VM_PKE ? "true" : "false",
		(unsigned long long)x->pkru);
	geometry_json(f, x);
	dcache_json(f, x);
	if (x->trace)
		fprintf(f, "\"trace_records\":%llu,\"mapped_pages\":%llu},",
			(unsigned long long)r->trace_records,
			(unsigned long long)r->mapped_pages);
	else
		fprintf(f, "\"workload\":\"%s\",\"theta\":%.3f,\"accesses\":%llu,\"seed\":%llu,\"warmup\":%s},",
			patterns[x->pattern], x->theta_milli / 1000.0,
			(unsigned long long)x->accesses,
			(unsigned long long)x->seed,
			x->warmup ? "true" : "false");
	fprintf(f, "\"host_pages\":{\"4k\":%llu,\"2m\":%llu,\"1g\":%llu},",
		(unsigned long long)r->host_pages[1],
		(unsigned long long)r->host_pages[2],
		(unsigned long long)r->host_pages[3]);
	fprintf(f, "\"accesses\":%llu,\"tlb_miss_rate\":%.6f,\"walks\":%llu,\"refs_per_walk\":%.4f,\"guest_refs_per_walk\":%.4f,\"host_refs_per_walk\":%.4f,",
		(unsigned long long)acc,
		nw_res_ratio(nw_res(r, NESTWALK_STAT_TLB_MISS), acc),
		(unsigned long long)walks, nw_res_refs_per_walk(r),
		nw_res_ratio(nw_res(r, NESTWALK_STAT_WALK_REFS) - nw_host_refs(r), walks),
		nw_res_ratio(nw_host_refs(r), walks));
	fprintf(f, "\"pwc_hit_rate\":%.6f,\"host_pwc_hit_rate\":%.6f,\"ntlb_hit_rate\":%.6f,\"cycles_per_access\":%.4f,\"helper_max_rss_kib\":%ld,\"counters\":{",
		nw_res_ratio(nw_res(r, NESTWALK_STAT_PWC_HIT),
			     nw_res(r, NESTWALK_STAT_PWC_HIT) + nw_res(r, NESTWALK_STAT_PWC_MISS)),
		nw_res_ratio(nw_res(r, NESTWALK_STAT_HPWC_HIT),
			     nw_res(r, NESTWALK_STAT_HPWC_HIT) +
			     nw_res(r, NESTWALK_STAT_HPWC_MISS)),
		nw_res_ratio(nw_res(r, NESTWALK_STAT_NTLB_HIT),
			     nw_res(r, NESTWALK_STAT_NTLB_HIT) + nw_res(r, NESTWALK_STAT_NTLB_MISS)),
		nw_res_cycles_per_access(r), r->max_rss_kib);
	for (i = 0; i < r->n; i++)
		fprintf(f, "%s\"%s\":%llu", i ? "," : "", r->names[i],
			(unsigned long long)r->v[i]);
	fprintf(f, "},\"dcache_mode\":\"%s\"",
		nw_dcache_mode_names[r->dcache_mode]);
	if (r->dcache_mode != NESTWALK_DCACHE_OFF)
		walk_loads_json(f, r);
	if (r->command)
		nw_command_json(f, r->command, r->command_status);
	fprintf(f, "}");
}

uint64_t nw_host_refs(const struct nw_exp_result *r)
{
	uint64_t n = 0;
	int l;

	for (l = 0; l < 5; l++)
		n += nw_res(r, NESTWALK_STAT_HOST_REFS_L1 + l);
	return n;
}

static double pct(uint64_t n, uint64_t of)
{
	return 100.0 * nw_res_ratio(n, of);
}

/*
 * One TLB hierarchy's hits by level and misses, of the @n accesses it
 * served (@l1: its first counter; levels, then misses, follow).
 */
static void print_hits(const char *name, const struct nw_exp_result *r,
		       int l1, uint64_t n)
{
	printf("%-14s L1 %llu (%.2f%%), L2 %llu (%.2f%%), L3 %llu, misses %llu (%.2f%%)\n",
	       name, (unsigned long long)nw_res(r, l1),
	       pct(nw_res(r, l1), n),
	       (unsigned long long)nw_res(r, l1 + 1),
	       pct(nw_res(r, l1 + 1), n),
	       (unsigned long long)nw_res(r, l1 + 2),
	       (unsigned long long)nw_res(r, l1 + 3),
	       pct(nw_res(r, l1 + 3), n));
}

/*
 * The walk loads of dimension @dim (-1: both) by where they were served,
 * each with its share.
 */
static void print_walk_loads(const char *name, const struct nw_exp_result *r,
			     int dim)
{
	uint64_t n = 0, v;
	int at;

	for (at = 0; at < NW_SERVED_NR; at++)
		n += nw_res_walk_loads(r, dim, at);
	printf("%-14s %llu:", name, (unsigned long long)n);
	for (at = 0; at < NW_SERVED_NR; at++) {
		v = nw_res_walk_loads(r, dim, at);
		printf("%s %s %llu (%.2f%%)", at ? "," : "", nw_served_names[at],
		       (unsigned long long)v, pct(v, n));
	}
	printf("\n");
}

/*
 * The data-cache model's figures: paging-structure loads by dimension
 * (guest: PAGE_WALKER_LOADS.DTLB and ITLB; host: EPT_DTLB and EPT_ITLB)
 * and where served, then every line load's level (walks and data).
 */
static void print_dcache(const struct nw_exp_result *r)
{
	print_walk_loads("walk loads", r, -1);
	print_walk_loads("  guest", r, 0);
	print_walk_loads("  host", r, 1);
	printf("%-14s L1 hits %llu, L2 hits %llu, LLC hits %llu, misses %llu\n",
	       "data cache",
	       (unsigned long long)nw_res(r, NESTWALK_STAT_DCACHE_L1_HIT),
	       (unsigned long long)nw_res(r, NESTWALK_STAT_DCACHE_L2_HIT),
	       (unsigned long long)nw_res(r, NESTWALK_STAT_DCACHE_L3_HIT),
	       (unsigned long long)nw_res(r, NESTWALK_STAT_DCACHE_MISS));
}

/* The explicit hierarchies the experiment gave, a line each. */
static void print_geometries(const struct nw_exp *x)
{
	char geo[256];

	if (x->tlb.n) {
		nw_geometry_describe(&x->tlb, geo, sizeof(geo));
		printf("%-14s %s\n", "tlb levels", geo);
		printf("%-14s 4K pages %llu KiB, 2M pages %llu KiB, 1G pages %llu KiB\n",
		       "tlb reach",
		       (unsigned long long)nw_geometry_reach_kib(&x->tlb, NESTWALK_PAGE_4K),
		       (unsigned long long)nw_geometry_reach_kib(&x->tlb, NESTWALK_PAGE_2M),
		       (unsigned long long)nw_geometry_reach_kib(&x->tlb, NESTWALK_PAGE_1G));
	}
	if (x->itlb.n) {
		nw_geometry_describe(&x->itlb, geo, sizeof(geo));
		printf("%-14s %s\n", "itlb levels", geo);
	}
	if (x->dcache.n) {
		nw_dcache_describe(&x->dcache, geo, sizeof(geo));
		printf("%-14s %s\n", "dcache levels", geo);
	}
	if (x->mem_latency_milli) {
		nw_cycles_name(x->mem_latency_milli, geo, sizeof(geo));
		printf("%-14s %s cycles\n", "mem latency", geo);
	}
}

static void print_table(const struct nw_exp *x, const struct nw_exp_result *r)
{
	uint64_t acc = nw_res(r, NESTWALK_STAT_ACCESSES), walks = nw_res(r, NESTWALK_STAT_WALKS);
	/* Fetches the instruction TLB served (0: fetches use the data TLB). */
	uint64_t ifetch = nw_res(r, NESTWALK_STAT_ITLB_L1_HIT) +
			  nw_res(r, NESTWALK_STAT_ITLB_L2_HIT) +
			  nw_res(r, NESTWALK_STAT_ITLB_L3_HIT) +
			  nw_res(r, NESTWALK_STAT_ITLB_MISS);
	uint64_t host = nw_host_refs(r);
	char desc[256], ws[32];

	nw_exp_describe(x, desc, sizeof(desc));
	nw_size_name(x->ws, ws, sizeof(ws));
	if (r->command)
		nw_command_text(stdout, r->command, r->command_status);
	printf("%-14s %s\n", "experiment", desc);
	print_geometries(x);
	printf("%-14s host pages backing guest memory: 4K %llu, 2M %llu, 1G %llu\n",
	       "backing", (unsigned long long)r->host_pages[1],
	       (unsigned long long)r->host_pages[2],
	       (unsigned long long)r->host_pages[3]);
	if (x->trace)
		printf("%-14s %llu records, %llu guest pages mapped\n", "trace",
		       (unsigned long long)r->trace_records,
		       (unsigned long long)r->mapped_pages);
	else
		printf("%-14s %s over %s, %llu accesses%s\n", "workload",
		       patterns[x->pattern], ws,
		       (unsigned long long)x->accesses,
		       x->warmup ? " (after a warm-up pass)" : "");
	printf("%-14s %llu (reads %llu, writes %llu, fetches %llu)\n",
	       "accesses", (unsigned long long)acc,
	       (unsigned long long)nw_res(r, NESTWALK_STAT_READS),
	       (unsigned long long)nw_res(r, NESTWALK_STAT_WRITES),
	       (unsigned long long)nw_res(r, NESTWALK_STAT_FETCHES));
	print_hits("tlb hits", r, NESTWALK_STAT_TLB_L1_HIT, acc - ifetch);
	if (ifetch)
		print_hits("itlb hits", r, NESTWALK_STAT_ITLB_L1_HIT, ifetch);
	printf("%-14s %llu, %.2f references each (guest %.2f, host %.2f)\n",
	       "walks", (unsigned long long)walks, nw_res_refs_per_walk(r),
	       nw_res_ratio(nw_res(r, NESTWALK_STAT_WALK_REFS) - host, walks),
	       nw_res_ratio(host, walks));
	printf("%-14s guest PSC %.2f%%, host PSC %.2f%%, nested TLB %.2f%% hits\n",
	       "walk caches",
	       pct(nw_res(r, NESTWALK_STAT_PWC_HIT),
		   nw_res(r, NESTWALK_STAT_PWC_HIT) + nw_res(r, NESTWALK_STAT_PWC_MISS)),
	       pct(nw_res(r, NESTWALK_STAT_HPWC_HIT),
		   nw_res(r, NESTWALK_STAT_HPWC_HIT) + nw_res(r, NESTWALK_STAT_HPWC_MISS)),
	       pct(nw_res(r, NESTWALK_STAT_NTLB_HIT),
		   nw_res(r, NESTWALK_STAT_NTLB_HIT) + nw_res(r, NESTWALK_STAT_NTLB_MISS)));
	printf("%-14s guest #PF %llu, EPT violations %llu, misconfigs %llu, fixed %llu, VM exits %llu\n",
	       "faults", (unsigned long long)nw_res(r, NESTWALK_STAT_GUEST_PF),
	       (unsigned long long)nw_res(r, NESTWALK_STAT_EPT_VIOLATION),
	       (unsigned long long)nw_res(r, NESTWALK_STAT_EPT_MISCONFIG),
	       (unsigned long long)nw_res(r, NESTWALK_STAT_PF_FIXED),
	       (unsigned long long)nw_res(r, NESTWALK_STAT_EXITS));
	/* KVM's meanings: pages zapped (recycled: over the quota), unsync now. */
	printf("%-14s PTE-write traps %llu, pages zapped %llu (recycled %llu), unsync %llu, shadow pages %llu\n",
	       "shadow", (unsigned long long)nw_res(r, NESTWALK_STAT_MMU_PTE_WRITE),
	       (unsigned long long)nw_res(r, NESTWALK_STAT_MMU_SHADOW_ZAPPED),
	       (unsigned long long)nw_res(r, NESTWALK_STAT_MMU_RECYCLED),
	       (unsigned long long)nw_res(r, NESTWALK_STAT_MMU_UNSYNC),
	       (unsigned long long)nw_res(r, NESTWALK_STAT_SHADOW_PAGES));
	printf("%-14s EPT/NPT leaves: 4K %llu, 2M %llu, 1G %llu\n", "pages",
	       (unsigned long long)nw_res(r, NESTWALK_STAT_PAGES_4K),
	       (unsigned long long)nw_res(r, NESTWALK_STAT_PAGES_2M),
	       (unsigned long long)nw_res(r, NESTWALK_STAT_PAGES_1G));
	if (r->dcache_mode != NESTWALK_DCACHE_OFF)
		print_dcache(r);
	printf("%-14s %.3f cycles per access (estimated)\n", "cost",
	       nw_res_cycles_per_access(r));
}

/* Open --trace: "-" is stdin. */
int nw_run_open_trace(const struct nw_run_extra *e, struct nw_trace *t,
		      FILE **f)
{
	*f = strcmp(e->trace, "-") ? fopen(e->trace, "re") : stdin;
	if (!*f) {
		fprintf(stderr, "nestwalk: %s: %s\n", e->trace,
			strerror(errno));
		return -1;
	}
	if (nw_trace_open(t, *f, e->trace_format)) {
		fprintf(stderr, "nestwalk: %s: %s\n", e->trace, t->err);
		if (*f != stdin)
			fclose(*f);
		return -1;
	}
	return 0;
}

void nw_run_progress(struct nw_exp *x, const struct nw_run_extra *e,
		     struct nw_progress *p)
{
	nw_progress_start(p, !e->quiet && isatty(STDERR_FILENO), stderr,
			  NULL);
	x->progress = p;
}

void nw_run_print(const struct nw_exp *x, const struct nw_exp_result *r)
{
	if (nw_json) {
		nw_exp_json(stdout, x, r);
		putchar('\n');
	} else {
		print_table(x, r);
	}
}

/* run --trace FILE --count-only: the records, without the module. */
static int run_count(struct nw_trace *t, FILE *f, struct nw_progress *p)
{
	struct nw_trace_counts c;
	int ret = nw_trace_count(t, p, &c);

	if (ret)
		fprintf(stderr, "nestwalk run: trace: %s\n", t->err);
	else
		nw_trace_counts_print(&c, NULL, 0);
	nw_trace_close(t);
	if (f != stdin)
		fclose(f);
	return ret ? NW_EXIT_FAIL : NW_EXIT_OK;
}

int cmd_run(int argc, char **argv)
{
	struct nw_run_extra e = { .trace_format = NW_TRACE_AUTO };
	static struct nw_trace trace;
	struct nw_progress progress;
	struct nw_exp_result r;
	struct nw_exp x;
	char err[256];
	FILE *f = NULL;
	int opt, ret;

	nw_exp_defaults(&x);
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", nw_run_longopts,
				  NULL)) != -1) {
		if (opt == 'h') {
			printf("Usage: nestwalk [-j] run [OPTIONS]\n%s",
			       nw_run_options_help);
			return NW_EXIT_OK;
		}
		if (opt == '?' || opt == ':') {
			nw_run_bad_option("run", opt, argv);
			return NW_EXIT_USAGE;
		}
		if (nw_run_option_said("run", &x, &e, opt, optarg))
			return NW_EXIT_USAGE;
	}
	if (nw_run_options_done("run", &x))
		return NW_EXIT_USAGE;
	if (optind != argc) {
		fprintf(stderr, "nestwalk run: unexpected \"%s\": run takes options only (see nestwalk run --help)\n",
			argv[optind]);
		return NW_EXIT_USAGE;
	}
	if (e.count_only && !e.trace) {
		fprintf(stderr, "nestwalk run: --count-only counts a --trace: give one\n");
		return NW_EXIT_USAGE;
	}
	if (!e.count_only && nw_device_or_hint("run"))
		return NW_EXIT_FAIL;
	if (e.trace) {
		if (nw_run_open_trace(&e, &trace, &f))
			return NW_EXIT_FAIL;
		x.trace = &trace;
	}
	nw_run_progress(&x, &e, &progress);
	if (e.count_only)
		return run_count(&trace, f, &progress);
	ret = nw_exp_run(&x, &r, err, sizeof(err));
	if (e.trace)
		nw_trace_close(&trace);
	if (f && f != stdin)
		fclose(f);
	if (ret) {
		fprintf(stderr, "nestwalk run: %s\n", err);
		return NW_EXIT_FAIL;
	}
	nw_run_print(&x, &r);
	return NW_EXIT_OK;
}

const char *nw_pattern_name(const struct nw_exp *x)
{
	return patterns[x->pattern];
}

int nw_opt_index(int opt)
{
	int i;

	for (i = 0; nw_run_longopts[i].name; i++)
		if (nw_run_longopts[i].val == opt)
			return i;
	return 0;
}
