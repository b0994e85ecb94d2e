// SPDX-License-Identifier: GPL-2.0
/*
 * Runs a libFuzzer target's inputs without libFuzzer: each file named on
 * the command line, or each file of each directory named, once. Built with
 * gcc --coverage, it measures what a fuzzer's corpus reaches.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long len;

	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) || !(buf = malloc(len + 1)) ||
	    fread(buf, 1, len, f) != (size_t)len) {
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long n = 0, bad = 0;
	char path[4096];
	struct dirent *d;
	struct stat st;
	int i;

	for (i = 1; i < argc; i++) {
		DIR *dir;

		if (stat(argv[i], &st) || !S_ISDIR(st.st_mode)) {
			bad += run_file(argv[i]) != 0;
			n++;
			continue;
		}
		dir = opendir(argv[i]);
		while (dir && (d = readdir(dir))) {
			if (d->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i],
				 d->d_name);
			bad += run_file(path) != 0;
			n++;
		}
		if (dir)
			closedir(dir);
	}
	printf("replay: %lu inputs, %lu unreadable\n", n, bad);
	return bad != 0;
}
