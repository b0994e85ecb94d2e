// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest.h"
#include "nwtest.h"

bool nwt_setup_skipped;

void nwt_require(unsigned int needs)
{
	if ((needs & NWT_ROOT) && geteuid())
		ksft_exit_skip("must be root\n");
	if ((needs & NWT_MODULE) && access(NW_DEV, F_OK))
		ksft_exit_skip(NW_DEV " missing: module not loaded\n");
	if ((needs & NWT_DEBUGFS) && access(NW_DEBUGFS, F_OK))
		ksft_exit_skip(NW_DEBUGFS " missing: debugfs not mounted\n");
}

long long nwt_read_ll(const char *path)
{
	long long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

int nwt_write_ll(const char *path, long long v)
{
	FILE *f = fopen(path, "w");
	int bad;

	if (!f)
		return -1;
	bad = fprintf(f, "%lld\n", v) < 0;
	bad |= fclose(f) != 0;
	return bad ? -1 : 0;
}

long long nwt_value(const char *path, const char *name, int *line)
{
	char buf[256], key[64];
	long long v, found = -1;
	FILE *f = fopen(path, "r");
	int i;

	if (!f)
		return -1;
	for (i = 0; fgets(buf, sizeof(buf), f); i++) {
		if (sscanf(buf, "%63s %lld", key, &v) == 2 &&
		    !strcmp(key, name)) {
			found = v;
			if (line)
				*line = i;
			break;
		}
	}
	fclose(f);
	return found;
}

long long nwt_stat(const char *name)
{
	return nwt_value(NW_DEBUGFS "/stats", name, NULL);
}

const char *nwt_file(const char *path)
{
	static char buf[3][65536];
	static int next;
	char *b = buf[next++ % 3];
	FILE *f = fopen(path, "r");
	size_t n;

	b[0] = '\0';
	if (f) {
		n = fread(b, 1, sizeof(buf[0]) - 1, f);
		b[n] = '\0';
		fclose(f);
	}
	return b;
}

void nwt_newest_session(char *out, size_t len)
{
	char line[64];
	long long max = -1;
	FILE *p = popen("ls " NW_DEBUGFS "/sessions", "r");

	while (p && fgets(line, sizeof(line), p))
		if (atoll(line) > max)
			max = atoll(line);
	if (p)
		pclose(p);
	snprintf(out, len, NW_DEBUGFS "/sessions/%lld", max);
}

void *nwt_map_2m_aligned(size_t len)
{
	char *p = mmap(NULL, len + SZ_2M, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a;

	if (p == MAP_FAILED)
		return p;
	a = (char *)(((unsigned long)p + SZ_2M - 1) & ~(SZ_2M - 1));
	if (a > p)
		munmap(p, a - p);
	munmap(a + len, p + SZ_2M - a);
	return a;
}

bool nwt_thp_never(void)
{
	return strstr(nwt_file(THP_ENABLED), "[never]");
}

int nwt_kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0 && lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int nwt_kmsg_count(int fd, const char *const *pats)
{
	char rec[8192];
	int n = 0, i;
	ssize_t len;

	for (;;) {
		len = read(fd, rec, sizeof(rec) - 1);
		if (len < 0 && errno == EPIPE)
			continue;	/* records overwritten: go on */
		if (len <= 0)
			break;
		rec[len] = '\0';
		for (i = 0; pats[i]; i++)
			if (strstr(rec, pats[i])) {
				n++;
				break;
			}
	}
	return n;
}
