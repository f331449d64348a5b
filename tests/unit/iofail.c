// SPDX-License-Identifier: GPL-2.0-only
/*
 * iofail.c - LD_PRELOAD for unit tests of diag's output file.
 *
 *   IOFAIL_ENOSPC_AFTER=N  write() to a file whose name holds "tdxctl-diag"
 *                          or ends in ".tar.gz" fails with ENOSPC once N
 *                          bytes have gone to such files (a disk that fills
 *                          up half-way through a bundle)
 *   IOFAIL_TIME=T          time() returns T (runs "in the same second")
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static unsigned long long written;

static int is_bundle(int fd)
{
	char link[64], path[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0)
		return 0;
	path[n] = '\0';
	return strstr(path, "tdxctl-diag") || (n > 7 && !strcmp(path + n - 7, ".tar.gz"));
}

ssize_t write(int fd, const void *buf, size_t len)
{
	const char *after = getenv("IOFAIL_ENOSPC_AFTER");

	if (after && fd > 2 && is_bundle(fd)) {
		unsigned long long max = strtoull(after, NULL, 10);

		if (written + len > max) {
			errno = ENOSPC;
			return -1;
		}
		written += len;
	}
	return syscall(SYS_write, fd, buf, len);
}

time_t time(time_t *t)
{
	const char *fixed = getenv("IOFAIL_TIME");
	time_t now;

	if (fixed) {
		now = (time_t)strtoll(fixed, NULL, 10);
	} else {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		now = ts.tv_sec;
	}
	if (t)
		*t = now;
	return now;
}
