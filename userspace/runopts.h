/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What nestwalk run and nestwalk compare share: the experiment options,
 * the description of an experiment and its JSON form.
 */
#ifndef _NW_RUNOPTS_H
#define _NW_RUNOPTS_H

#include <getopt.h>
#include <stdio.h>

#include "experiment.h"

struct nw_run_extra {
	const char *trace;
	int trace_format;
	int quiet;		/* --quiet: no progress line */
	int count_only;		/* --count-only: count, no module */
};

extern const struct option nw_run_longopts[];
extern const char *nw_run_options_help;

/*
 * Apply option @opt (its getopt value) with @arg; -1 if @arg is bad, -2
 * if bad and the reason printed on stderr.
 */
int nw_run_option(struct nw_exp *x, struct nw_run_extra *e, int opt,
		  const char *arg);
/*
 * The same, for command @cmd ("run"): a bad value is said in one line on
 * stderr (the reason, where the option has one). 0 or -1.
 */
int nw_run_option_said(const char *cmd, struct nw_exp *x,
		       struct nw_run_extra *e, int opt, const char *arg);
/*
 * getopt_long (optstring ":...", opterr 0) answered @opt '?' or ':' for
 * command @cmd: say so in one line that names nestwalk @cmd --help.
 */
void nw_run_bad_option(const char *cmd, int opt, char **argv);
/* After the last option: 0, or -1 with what is wrong said in one line. */
int nw_run_options_done(const char *cmd, const struct nw_exp *x);
/* Index in nw_run_longopts of the option whose value is @opt. */
int nw_opt_index(int opt);
int nw_run_open_trace(const struct nw_run_extra *e, struct nw_trace *t,
		      FILE **f);
/* The progress line @x gets: none with --quiet or when stderr is no tty. */
void nw_run_progress(struct nw_exp *x, const struct nw_run_extra *e,
		     struct nw_progress *p);
/* Print @r as a table or (-j) JSON. */
void nw_run_print(const struct nw_exp *x, const struct nw_exp_result *r);
void nw_exp_describe(const struct nw_exp *x, char *buf, size_t len);
void nw_exp_json(FILE *f, const struct nw_exp *x,
		 const struct nw_exp_result *r);
/* "uniform": the access pattern of a generator workload. */
const char *nw_pattern_name(const struct nw_exp *x);
uint64_t nw_host_refs(const struct nw_exp_result *r);

#endif /* _NW_RUNOPTS_H */
