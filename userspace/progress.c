// SPDX-License-Identifier: GPL-2.0
#include <time.h>

#include "progress.h"

double nw_progress_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void nw_progress_start(struct nw_progress *p, int on, FILE *out,
		       double (*now)(void))
{
	p->on = on;
	p->out = out;
	p->now = now ? now : nw_progress_clock;
	p->start = p->now();
	p->last = p->start;
	p->shown = 0;
}

int nw_progress_due(const struct nw_progress *p, double t)
{
	if (!p->on || t - p->start < NW_PROGRESS_AFTER)
		return 0;
	return !p->shown || t - p->last >= NW_PROGRESS_EVERY;
}

/* @v with a k/M/G suffix, three significant digits or so. */
static void human(char *buf, size_t len, double v)
{
	static const char unit[] = " kMGT";
	int u = 0;

	while (v >= 1000 && u < 4) {
		v /= 1000;
		u++;
	}
	if (!u)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.*f%c", v < 10 ? 2 : v < 100 ? 1 : 0, v,
			 unit[u]);
}

int nw_progress_format(char *buf, size_t len, uint64_t done, double secs,
		       uint64_t pos, uint64_t size)
{
	char n[16], rate[16];
	int w;

	human(n, sizeof(n), done);
	human(rate, sizeof(rate), secs > 0 ? done / secs : 0);
	w = snprintf(buf, len, "nestwalk: %s accesses, %s/s", n, rate);
	if (size && pos <= size && w < (int)len) {
		double share = (double)pos / size, left;

		w += snprintf(buf + w, len - w, ", %.0f%%", share * 100);
		if (pos && w < (int)len) {
			left = secs * (size - pos) / pos;
			w += snprintf(buf + w, len - w, ", %d:%02d left",
				      (int)(left / 60), (int)left % 60);
		}
	}
	return w;
}

void nw_progress_update(struct nw_progress *p, uint64_t done, uint64_t pos,
			uint64_t size)
{
	double t;
	char line[128];

	if (!p->on)
		return;
	t = p->now();
	if (!nw_progress_due(p, t))
		return;
	nw_progress_format(line, sizeof(line), done, t - p->start, pos, size);
	/* Back to the line's start, the line, the rest of the old one wiped. */
	fprintf(p->out, "\r%s\033[K", line);
	fflush(p->out);
	p->last = t;
	p->shown = 1;
}

void nw_progress_end(struct nw_progress *p)
{
	if (p->shown) {
		fprintf(p->out, "\r\033[K");
		fflush(p->out);
	}
	p->shown = 0;
}
