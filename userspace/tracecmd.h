/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nestwalk trace: a command run under valgrind's lackey, its accesses
 * replayed as they come through a pipe; and counting a trace's records
 * without the module (--count-only, for run --trace too).
 */
#ifndef _NW_TRACECMD_H
#define _NW_TRACECMD_H

#include <stdint.h>
#include <stdio.h>

#include "progress.h"
#include "trace.h"

struct nw_trace_counts {
	uint64_t records, accesses, reads, writes, fetches;
};

/* Read @t to its end, counting: 0, or -1 with t->err set. */
int nw_trace_count(struct nw_trace *t, struct nw_progress *p,
		   struct nw_trace_counts *c);
/*
 * The counts, and the traced command's wait status if @argv, as a table
 * or (-j) one JSON object.
 */
void nw_trace_counts_print(const struct nw_trace_counts *c,
			   char *const *argv, int status);
/* ,"command":{...}: @argv and how it ended (waitpid's @status). */
void nw_command_json(FILE *f, char *const *argv, int status);
/* "command  ARGV: exit status N" (or the signal) for the table. */
void nw_command_text(FILE *f, char *const *argv, int status);

#endif /* _NW_TRACECMD_H */
