// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libnestwalk.h"

int nw_open(void)
{
	int fd = open(NW_DEV_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int nw_version(int fd, struct nestwalk_version *v)
{
	memset(v, 0, sizeof(*v));
	v->size = sizeof(*v);
	return ioctl(fd, NESTWALK_IOC_VERSION, v) ? -errno : 0;
}

void nw_version_string(__u64 code, char *buf, unsigned long len)
{
	snprintf(buf, len, "%u.%u.%u", (unsigned int)(code >> 16) & 0xff,
		 (unsigned int)(code >> 8) & 0xff, (unsigned int)code & 0xff);
}

int nw_debugfs_field(const char *file, const char *name, char *buf,
		     unsigned long len)
{
	size_t n = strlen(name);
	char path[256], line[512];
	int ret = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", NW_DEBUGFS_PATH, file);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, name, n) || line[n] != ' ')
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(buf, len, "%s", line + n + 1);
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}
