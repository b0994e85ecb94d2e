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

void nw_hint(const char *cmd, int err)
{
	if (err == ENOENT || err == ENODEV || err == ENXIO)
		fprintf(stderr, "nestwalk %s: the nestwalk module is not loaded: load it with 'modprobe nestwalk' (as root), or try it in a VM with 'make try'\n",
			cmd);
	else if (err == EACCES || err == EPERM)
		fprintf(stderr, "nestwalk %s: %s: %s: run as root\n", cmd,
			NW_DEV_PATH, strerror(err));
	else
		fprintf(stderr, "nestwalk %s: %s: %s\n", cmd, NW_DEV_PATH,
			strerror(err));
}

int nw_device_or_hint(const char *cmd)
{
	if (!access(NW_DEV_PATH, R_OK | W_OK))
		return 0;
	nw_hint(cmd, errno);
	return -1;
}

int nw_open_or_hint(const char *cmd)
{
	int fd = nw_open();

	if (fd < 0)
		nw_hint(cmd, -fd);
	return fd < 0 ? -1 : fd;
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
