// SPDX-License-Identifier: GPL-2.0
/*
 * nestwalk compare: the same workload under native, nested and shadow
 * paging, 4 KiB and 2 MiB pages on each side, walk caches on and off, and
 * two VMs taking turns with and without VPIDs; one table, ratios to
 * native, and with the data-cache model on where each row's walk loads
 * were served. nestwalk plot draws such a table (its --data file) with
 * gnuplot.
 */
#include <errno.h>
#include <getopt.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmds.h"
#include "experiment.h"
#include "libnestwalk.h"
#include "runopts.h"
#include "size.h"

extern char **environ;

#define NO_CACHES	(NESTWALK_CFG_NO_PWC | NESTWALK_CFG_NO_HPWC | \
			 NESTWALK_CFG_NO_NTLB)

struct row {
	const char *label;
	int mode;
	int guest_page;
	int backing;		/* -1: as given */
	int caches;		/* 0 off, 1 as given */
	int vpid;		/* -1: as given */
	int switches;
};

static const struct row rows[] = {
	{ "native-4K", NESTWALK_MODE_NATIVE, 1, NW_BACK_4K, 1, -1, 0 },
	{ "native-2M", NESTWALK_MODE_NATIVE, 2, NW_BACK_HUGETLB_2M, 1, -1, 0 },
	{ "nested-4K/4K", NESTWALK_MODE_EPT, 1, NW_BACK_4K, 1, -1, 0 },
	{ "nested-4K/4K-nocache", NESTWALK_MODE_EPT, 1, NW_BACK_4K, 0, -1, 0 },
	{ "nested-4K/2M-nocache", NESTWALK_MODE_EPT, 1, NW_BACK_HUGETLB_2M, 0,
	  -1, 0 },
	{ "nested-4K/2M", NESTWALK_MODE_EPT, 1, NW_BACK_HUGETLB_2M, 1, -1, 0 },
	{ "nested-2M/2M", NESTWALK_MODE_EPT, 2, NW_BACK_HUGETLB_2M, 1, -1, 0 },
	{ "shadow-4K", NESTWALK_MODE_SHADOW, 1, NW_BACK_4K, 1, -1, 0 },
	{ "vpid-on-switching", NESTWALK_MODE_EPT, 1, NW_BACK_4K, 1, 1, 1 },
	{ "vpid-off-switching", NESTWALK_MODE_EPT, 1, NW_BACK_4K, 1, 0, 1 },
};

#define NROWS	(sizeof(rows) / sizeof(rows[0]))

/* What x_native, ratio_to_native, means: said under the table and in --help. */
#define X_NATIVE_MEANS \
	"x_native: cycles per access over those of the native row with the\n" \
	"same guest page size (native-4K for 4K guest pages, native-2M for 2M)\n"

/* The native row row @i is measured against: the one of its guest page size. */
static unsigned int native_of(unsigned int i)
{
	unsigned int j;

	for (j = 0; j < NROWS; j++)
		if (rows[j].mode == NESTWALK_MODE_NATIVE &&
		    rows[j].guest_page == rows[i].guest_page)
			return j;
	return 0;
}

/* Row @i's cycles per access over its native row's; 0 if that failed. */
static double x_native(unsigned int i, const struct nw_exp_result *rs,
		       const int *ok)
{
	unsigned int n = native_of(i);
	double native = ok[n] ? nw_res_cycles_per_access(&rs[n]) : 0;

	return native > 0 ? nw_res_cycles_per_access(&rs[i]) / native : 0.0;
}

static const struct option extra_opts[] = {
	{ "plot", required_argument, NULL, 1000 },
	{ "data", required_argument, NULL, 1001 },
};

/* Run gnuplot on @script for command @cmd; 0 if it exited 0. */
static int gnuplot(const char *cmd, const char *script)
{
	char *argv[] = { "gnuplot", (char *)script, NULL };
	int status, ret;
	pid_t pid;

	ret = posix_spawnp(&pid, "gnuplot", NULL, NULL, argv, environ);
	if (ret) {
		fprintf(stderr, "nestwalk %s: gnuplot: %s: install gnuplot (gnuplot-nox), or draw the data where it is\n",
			cmd, strerror(ret));
		return -1;
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		fprintf(stderr, "nestwalk %s: gnuplot failed (its message is above)\n",
			cmd);
		return -1;
	}
	return 0;
}

/*
 * What the TSV at @data says in its comments: whether it has the
 * walk-load columns (its header names them), and the workload line
 * compare writes under it ("" if none), into @title.
 */
static int read_head(const char *data, char *title, size_t len)
{
	char line[512];
	FILE *f = fopen(data, "re");
	int wl = 0;

	title[0] = '\0';
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f) && line[0] == '#') {
		line[strcspn(line, "\n")] = '\0';
		if (strstr(line, "\twalk_loads_l1"))
			wl = 1;
		if (!strncmp(line, "# workload: ", 12))
			snprintf(title, len, "%s", line + 12);
	}
	fclose(f);
	/* A quote would end gnuplot's string. */
	for (; *title; title++)
		if (*title == '\'' || *title == '\\')
			*title = ' ';
	return wl;
}

/*
 * One panel of bars, a bar per row of @data, column @col on a log scale
 * (1 and 161 both readable), each bar's value over it (printf format
 * @fmt) and its label under it.
 */
static void plot_bars(FILE *f, const char *data, int col, const char *title,
		      const char *ylabel, const char *fmt, const char *color)
{
	fprintf(f,
		"set title '%s'\n"
		"set ylabel '%s'\n"
		"set logscale y\n"
		"set yrange [0.5:*]\n"
		"plot '%s' using 0:%d:xtic(1) with boxes linecolor rgb '%s', '' using 0:%d:(sprintf('%s', $%d)) with labels offset 0,0.8 font ',10'\n"
		"unset logscale y\n"
		"unset arrow\n",
		title, ylabel, data, col, color, col, fmt, col);
}

/*
 * Panels one above the other into @svg: cycles per access, the ratio to
 * native (a dashed line at 1), and when @data has them the walk loads by
 * where served (columns 7 to 10), a stacked bar per row.
 */
static void plot_script(FILE *f, const char *data, const char *svg, int wl,
			const char *title)
{
	fprintf(f,
		"set terminal svg size 900,%d dynamic enhanced\n"
		"set output '%s'\n"
		"set multiplot layout %d,1 title 'nestwalk compare%s%s' font ',14'\n"
		"set style fill solid 0.8 border -1\n"
		"set boxwidth 0.7\n"
		"unset key\n"
		"set xtics rotate by 30 right noenhanced nomirror\n"
		"stats '%s' using 5 nooutput\n"
		"set xrange [-0.6:STATS_records - 0.4]\n"
		"set grid ytics\n"
		"set lmargin 10\n"
		"set rmargin 3\n",
		wl ? 1200 : 820, svg, wl ? 3 : 2, title[0] ? ": " : "", title,
		data);
	plot_bars(f, data, 5, "estimated cycles per access (log scale)",
		  "cycles per access", "%.2f", "#4472c4");
	fprintf(f, "set arrow from graph 0, first 1 to graph 1, first 1 nohead dashtype 2 linecolor rgb '#000000'\n");
	plot_bars(f, data, 6, "x native: over the native row of the same guest page size (log scale)",
		  "x native", "%.2fx", "#c55a11");
	if (wl)
		fprintf(f,
			"set title 'walk loads by where served'\n"
			"set style data histograms\n"
			"set style histogram rowstacked\n"
			"set ylabel '%% of walk loads'\n"
			"set yrange [0:100]\n"
			"set key outside top center horizontal width 2\n"
			"plot '%s' using 7:xtic(1) title 'L1' linecolor rgb '#4472c4', '' using 8 title 'L2' linecolor rgb '#70ad47', '' using 9 title 'LLC' linecolor rgb '#ffc000', '' using 10 title 'memory' linecolor rgb '#c00000'\n",
			data);
	fprintf(f, "unset multiplot\n");
}

/*
 * The chart of @data (the TSV nestwalk compare --data writes) as SVG into
 * @svg, for command @cmd.
 */
static int plot(const char *cmd, const char *data, const char *svg)
{
	char script[] = "/tmp/nestwalk-plot-XXXXXX", title[512];
	int fd, wl, ret;
	FILE *f;

	if (access(data, R_OK)) {
		fprintf(stderr, "nestwalk %s: %s: %s (nestwalk compare --data FILE writes one)\n",
			cmd, data, strerror(errno));
		return -1;
	}
	wl = read_head(data, title, sizeof(title));
	fd = mkstemp(script);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		fprintf(stderr, "nestwalk %s: %s: %s\n", cmd, script,
			strerror(errno));
		return -1;
	}
	plot_script(f, data, svg, wl, title);
	fclose(f);
	ret = gnuplot(cmd, script);
	unlink(script);
	return ret;
}

/* Whether any row that ran had the data-cache model on. */
static int dcache_on(const struct nw_exp_result *rs, const int *ok)
{
	unsigned int i;

	for (i = 0; i < NROWS; i++)
		if (ok[i] && rs[i].dcache_mode != NESTWALK_DCACHE_OFF)
			return 1;
	return 0;
}

/* Row @r's walk loads served at @at, in percent of its walk loads. */
static double walk_load_pct(const struct nw_exp_result *r, int at)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < NW_SERVED_NR; i++)
		n += nw_res_walk_loads(r, -1, i);
	return 100 * nw_res_ratio(nw_res_walk_loads(r, -1, at), n);
}

static int write_data(const char *path, const struct nw_exp *base,
		      const struct nw_exp *xs, const struct nw_exp_result *rs,
		      const int *ok)
{
	FILE *f = fopen(path, "w");
	int dc = dcache_on(rs, ok), at;
	unsigned int i;
	char ws[32];

	if (!f) {
		fprintf(stderr, "nestwalk compare: --data %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	fprintf(f, "# label\ttlb_miss_rate\twalks\trefs_per_walk\tcycles_per_access\tratio_to_native%s\n",
		dc ? "\twalk_loads_l1\twalk_loads_l2\twalk_loads_llc\twalk_loads_mem" : "");
	nw_size_name(base->ws, ws, sizeof(ws));
	fprintf(f, "# workload: %s over %s, %llu accesses, preset %s\n",
		nw_pattern_name(base), ws,
		(unsigned long long)base->accesses,
		nw_preset_names[base->preset]);
	fprintf(f, "# ratio_to_native: over the native row of the same guest page size\n");
	for (i = 0; i < NROWS; i++) {
		double cpa = nw_res_cycles_per_access(&rs[i]);

		if (!ok[i])
			continue;
		fprintf(f, "%s\t%.6f\t%llu\t%.4f\t%.4f\t%.4f", xs[i].label,
			nw_res_ratio(nw_res(&rs[i], NESTWALK_STAT_TLB_MISS),
				     nw_res(&rs[i], NESTWALK_STAT_ACCESSES)),
			(unsigned long long)nw_res(&rs[i], NESTWALK_STAT_WALKS),
			nw_res_refs_per_walk(&rs[i]), cpa, x_native(i, rs, ok));
		for (at = 0; dc && at < NW_SERVED_NR; at++)
			fprintf(f, "\t%.2f", walk_load_pct(&rs[i], at));
		fprintf(f, "\n");
	}
	return fclose(f) ? -1 : 0;
}

/*
 * The table: per row the TLB miss rate, walks, references per walk, VM
 * exits, cycles per access and the ratio to native; with the data-cache
 * model on, the shares of the walk loads served by L1, L2, the LLC and
 * memory.
 */
static void print_rows(const struct nw_exp *base,
		       const struct nw_exp_result *rs, const int *ok)
{
	int dc = dcache_on(rs, ok), at;
	unsigned int i;

	printf("workload: %llu accesses, preset %s, data cache %s (the rest per row)\n",
	       (unsigned long long)base->accesses,
	       nw_preset_names[base->preset],
	       nw_dcache_mode_names[dc ? base->dcache_mode :
				    NESTWALK_DCACHE_OFF]);
	printf("%-22s %10s %10s %10s %10s %10s %10s", "config",
	       "tlb_miss%", "walks", "refs/walk", "exits", "cyc/acc",
	       "x_native");
	if (dc)
		printf(" %7s %7s %7s %7s", "wl_L1%", "wl_L2%", "wl_LLC%",
		       "wl_mem%");
	printf("\n");
	for (i = 0; i < NROWS; i++) {
		double cpa = nw_res_cycles_per_access(&rs[i]);

		if (!ok[i]) {
			printf("%-22s %10s\n", rows[i].label, "(failed)");
			continue;
		}
		printf("%-22s %10.3f %10llu %10.2f %10llu %10.3f %10.2f",
		       rows[i].label,
		       100 * nw_res_ratio(nw_res(&rs[i], NESTWALK_STAT_TLB_MISS),
					  nw_res(&rs[i], NESTWALK_STAT_ACCESSES)),
		       (unsigned long long)nw_res(&rs[i], NESTWALK_STAT_WALKS),
		       nw_res_refs_per_walk(&rs[i]),
		       (unsigned long long)nw_res(&rs[i], NESTWALK_STAT_EXITS),
		       cpa, x_native(i, rs, ok));
		for (at = 0; dc && at < NW_SERVED_NR; at++)
			printf(" %7.2f", walk_load_pct(&rs[i], at));
		printf("\n");
	}
	printf("%s", X_NATIVE_MEANS);
}

/* @s as a JSON string on stdout. */
static void json_path(const char *s)
{
	putchar('"');
	for (; *s; s++)
		printf((unsigned char)*s < 0x20 || *s == '"' || *s == '\\' ?
		       "\\u%04x" : "%c", *s);
	putchar('"');
}

int cmd_plot(int argc, char **argv)
{
	int help = argc == 2 && !strcmp(argv[1], "--help");

	if (help) {
		printf("Usage: nestwalk [-j] plot DATA.tsv OUT.svg\n"
		       "Draws what nestwalk compare --data wrote, with gnuplot.\n");
		return NW_EXIT_OK;
	}
	if (argc != 3) {
		fprintf(stderr, "nestwalk plot: give DATA.tsv and OUT.svg (see nestwalk plot --help)\n");
		return NW_EXIT_USAGE;
	}
	if (plot("plot", argv[1], argv[2]))
		return NW_EXIT_FAIL;
	if (nw_json) {
		printf("{\"data\":");
		json_path(argv[1]);
		printf(",\"svg\":");
		json_path(argv[2]);
		printf("}\n");
	}
	return NW_EXIT_OK;
}

int cmd_compare(int argc, char **argv)
{
	struct nw_run_extra e = { .trace_format = NW_TRACE_AUTO };
	static struct nw_exp_result rs[NROWS];
	struct option opts[64];
	const char *plot_path = NULL, *data_path = NULL;
	struct nw_exp base, xs[NROWS];
	int ok[NROWS], failed = 0, opt;
	char err[256], data_tmp[64] = "";
	unsigned int i, n;

	nw_exp_defaults(&base);
	base.switch_every = 0;
	for (n = 0; nw_run_longopts[n].name; n++)
		opts[n] = nw_run_longopts[n];
	opts[n++] = extra_opts[0];
	opts[n++] = extra_opts[1];
	memset(&opts[n], 0, sizeof(opts[n]));
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (opt == 'h') {
			printf("Usage: nestwalk [-j] compare [OPTIONS] [--data FILE.tsv] [--plot FILE.svg]\n"
			       "Runs the workload in every configuration of the matrix\n"
			       "(the mode, page size, backing, caches and VPID options are\n"
			       "the matrix's; --switch-every sets how often the two VMs of\n"
			       "the VPID rows take turns, default 1000). With the data-cache\n"
			       "model on, the share of walk loads served by L1, L2, the LLC\n"
			       "and memory follows, and --plot draws it under the cycles.\n"
			       X_NATIVE_MEANS "%s", nw_run_options_help);
			return NW_EXIT_OK;
		}
		if (opt == 1000) {
			plot_path = optarg;
			continue;
		}
		if (opt == 1001) {
			data_path = optarg;
			continue;
		}
		if (opt == '?' || opt == ':') {
			nw_run_bad_option("compare", opt, argv);
			return NW_EXIT_USAGE;
		}
		if (nw_run_option_said("compare", &base, &e, opt, optarg))
			return NW_EXIT_USAGE;
	}
	if (nw_run_options_done("compare", &base))
		return NW_EXIT_USAGE;
	if (optind != argc || e.trace || e.count_only) {
		fprintf(stderr, "nestwalk compare: %s\n",
			e.trace || e.count_only ?
			"replays a generator workload, not a trace (use nestwalk run --trace)" :
			"unexpected arguments: compare takes options only (see nestwalk compare --help)");
		return NW_EXIT_USAGE;
	}
	if (nw_device_or_hint("compare"))
		return NW_EXIT_FAIL;
	for (i = 0; i < NROWS; i++) {
		const struct row *w = &rows[i];
		struct nw_exp *x = &xs[i];

		*x = base;
		x->label = w->label;
		x->mode = w->mode;
		x->guest_page = w->guest_page;
		x->backing = w->backing;
		if (!w->caches)
			x->cfg_flags |= NO_CACHES;
		if (w->vpid >= 0)
			x->vpid = w->vpid;
		x->switch_every = w->switches ?
				  (base.switch_every ?: 1000) : 0;
		ok[i] = !nw_exp_run(x, &rs[i], err, sizeof(err));
		if (!ok[i]) {
			fprintf(stderr, "nestwalk compare: %s: %s\n", w->label,
				err);
			failed++;
		}
	}
	if (nw_json) {
		printf("{\"rows\":[");
		for (i = 0, n = 0; i < NROWS; i++) {
			if (!ok[i])
				continue;
			printf("%s{\"ratio_to_native\":%.4f,\"native\":\"%s\",\"result\":",
			       n++ ? "," : "", x_native(i, rs, ok),
			       rows[native_of(i)].label);
			nw_exp_json(stdout, &xs[i], &rs[i]);
			printf("}");
		}
		printf("],\"failed\":%d}\n", failed);
	} else {
		print_rows(&base, rs, ok);
	}
	if (plot_path && !data_path) {
		int fd;

		snprintf(data_tmp, sizeof(data_tmp),
			 "/tmp/nestwalk-compare-XXXXXX.tsv");
		fd = mkstemps(data_tmp, 4);
		if (fd < 0) {
			fprintf(stderr, "nestwalk compare: %s: %s\n", data_tmp,
				strerror(errno));
			return NW_EXIT_FAIL;
		}
		close(fd);
		data_path = data_tmp;
	}
	if (data_path && write_data(data_path, &base, xs, rs, ok))
		return NW_EXIT_FAIL;
	if (plot_path && plot("compare", data_path, plot_path)) {
		/* The run is done: keep its data for a plot elsewhere. */
		fprintf(stderr, "nestwalk compare: the data is in %s: draw it later with 'nestwalk plot %s %s'\n",
			data_path, data_path, plot_path);
		return NW_EXIT_FAIL;
	}
	if (data_tmp[0])
		unlink(data_tmp);
	if (failed == NROWS)
		return NW_EXIT_FAIL;
	return failed ? NW_EXIT_PARTIAL : NW_EXIT_OK;
}
