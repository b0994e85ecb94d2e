/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The progress line of a long run: after the first second, one line on
 * stderr rewritten in place (accesses done, their rate, the share of the
 * input read and the time left when the input's size is known), wiped at
 * the end. Only when stderr is a terminal and --quiet was not given.
 */
#ifndef _NW_PROGRESS_H
#define _NW_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

#define NW_PROGRESS_AFTER	1.0	/* seconds before the first line */
#define NW_PROGRESS_EVERY	0.25	/* seconds between two lines */

struct nw_progress {
	int on;			/* a terminal, not --quiet */
	double (*now)(void);	/* seconds, monotonic; a fake in tests */
	FILE *out;
	double start, last;
	int shown;		/* a line is on the terminal */
};

/* Seconds of CLOCK_MONOTONIC. */
double nw_progress_clock(void);
/* Start timing; @on: whether lines may be shown. */
void nw_progress_start(struct nw_progress *p, int on, FILE *out,
		       double (*now)(void));
/* Whether a line is due at @t. */
int nw_progress_due(const struct nw_progress *p, double t);
/*
 * The line for @done accesses after @secs, @pos of @size input units read
 * (@size 0: unknown). Returns its length.
 */
int nw_progress_format(char *buf, size_t len, uint64_t done, double secs,
		       uint64_t pos, uint64_t size);
/* Show the line if one is due. */
void nw_progress_update(struct nw_progress *p, uint64_t done, uint64_t pos,
			uint64_t size);
/* Wipe the line, if one was shown. */
void nw_progress_end(struct nw_progress *p);

#endif /* _NW_PROGRESS_H */
