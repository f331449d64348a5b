// SPDX-License-Identifier: GPL-2.0-only
/*
 * dev.c - ioctl wrappers for /dev/tdx_host
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpulist.h"
#include "dev.h"
#include "print.h"
#include "sysroot.h"
#include "tdxctl.h"

const char *dev_path(void)
{
	static char path[PATH_MAX];

	if (g.device)
		return g.device;
	/* --sysroot is checked to leave room; never the live node instead */
	if (sr_path(path, sizeof(path), DEFAULT_DEVICE))
		return "(--sysroot too long)";
	return path;
}

int dev_open(bool write)
{
	struct stat st;
	int fd = open(dev_path(), (write ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

	if (fd < 0) {
		int e = errno;

		dbg("open %s: %s", dev_path(), strerror(e));
		return -e;
	}
	/* a FIFO or a file there is not the driver (and is never waited on) */
	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode)) {
		dbg("%s: not a character device", dev_path());
		close(fd);
		return -ENOTTY;
	}
	dbg("opened %s (%s)", dev_path(), write ? "read-write" : "read-only");
	return fd;
}

static int xioctl(int fd, unsigned long nr, void *arg, const char *what)
{
	int r;

	do {
		r = ioctl(fd, nr, arg);
	} while (r < 0 && errno == EINTR);
	if (r < 0) {
		int e = errno;

		dbg("ioctl %s: %s", what, strerror(e));
		return -e;
	}
	dbg("ioctl %s: ok", what);
	return 0;
}

int dev_version(int fd, struct tdx_host_version *v)
{
	memset(v, 0, sizeof(*v));
	v->size = sizeof(*v);
	return xioctl(fd, TDX_HOST_IOC_VERSION, v, "VERSION");
}

int dev_status(int fd, struct tdx_host_status *s)
{
	memset(s, 0, sizeof(*s));
	s->size = sizeof(*s);
	return xioctl(fd, TDX_HOST_IOC_STATUS, s, "STATUS");
}

char dev_table_error[160];

int dev_cpu_table(int fd, struct tdx_host_cpu_info **tab, unsigned *n)
{
	struct tdx_host_cpu_table t;
	struct tdx_host_cpu_info *buf = NULL;
	int r, tries;

	*tab = NULL;
	*n = 0;
	memset(&t, 0, sizeof(t));
	t.size = sizeof(t);
	t.entry_size = sizeof(*buf);
	r = xioctl(fd, TDX_HOST_IOC_CPU_TABLE, &t, "CPU_TABLE (count)");
	if (r)
		return r;
	/* CPUs may appear between the calls: EOVERFLOW gives the new count. */
	for (tries = 0; tries < 8; tries++) {
		unsigned want = t.nr_entries;

		free(buf);
		buf = calloc(want ? want : 1, sizeof(*buf));
		if (!buf)
			return -ENOMEM;
		memset(&t, 0, sizeof(t));
		t.size = sizeof(t);
		t.entry_size = sizeof(*buf);
		t.nr_entries = want;
		t.entries = (uintptr_t)buf;
		r = xioctl(fd, TDX_HOST_IOC_CPU_TABLE, &t, "CPU_TABLE");
		if (r == -EOVERFLOW)
			continue;
		if (r) {
			free(buf);
			return r;
		}
		if (t.nr_entries > want) {
			free(buf);
			return -EPROTO;
		}
		/* one record per possible CPU, ascending, each below the limit */
		for (unsigned i = 0; i < t.nr_entries; i++) {
			if (buf[i].cpu >= CPUSET_MAX || (i && buf[i].cpu <= buf[i - 1].cpu)) {
				snprintf(dev_table_error, sizeof(dev_table_error),
					 "the driver's CPU table is invalid: record %u names CPU %u%s", i, buf[i].cpu,
					 buf[i].cpu >= CPUSET_MAX ? ", beyond the limit of 8192 CPUs" : ", out of order");
				free(buf);
				return -EPROTO;
			}
		}
		*tab = buf;
		*n = t.nr_entries;
		return 0;
	}
	free(buf);
	return -EOVERFLOW;
}

int dev_cpu_enable(int fd, unsigned cpu, struct tdx_host_cpu_enable *r)
{
	char what[48];

	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->cpu = cpu;
	snprintf(what, sizeof(what), "CPU_ENABLE cpu %u", cpu);
	return xioctl(fd, TDX_HOST_IOC_CPU_ENABLE, r, what);
}

int dev_module_enable(int fd, unsigned flags, struct tdx_host_module_enable *r)
{
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->flags = flags;
	return xioctl(fd, TDX_HOST_IOC_MODULE_ENABLE, r, "MODULE_ENABLE");
}

bool dev_driver_loaded(void)
{
	return sr_exists("/sys/module/tdxctl");
}

void drv_probe(struct drv *d, bool write)
{
	memset(d, 0, sizeof(*d));
	d->fd = dev_open(write);
	if (d->fd < 0) {
		d->err = -d->fd;
		d->fd = -1;
		d->loaded = dev_driver_loaded() || d->err != ENOENT;
		return;
	}
	d->loaded = true;
	int r = dev_version(d->fd, &d->ver);

	if (r) {
		d->err = -r;
		return;
	}
	d->have_version = true;
	d->ver.driver_version[sizeof(d->ver.driver_version) - 1] = 0;
	if (d->ver.abi_version != TDX_HOST_ABI_VERSION)
		d->err = EPROTO;
}

void drv_close(struct drv *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

const char *drv_reason(const struct drv *d)
{
	switch (d->err) {
	case 0: return NULL;
	case ENOENT:
		return d->loaded ? "driver loaded but its device node is missing" : "driver not loaded";
	case EACCES: case EPERM: return "permission denied opening the device (root needed)";
	case ENOTTY: return "the device does not answer the tdxctl ABI";
	case EPROTO: return "the driver speaks another ABI version";
	}
	return "the device could not be opened";
}

int drv_error(const struct drv *d)
{
	int code = exit_for_errno(d->err);
	const char *hint = NULL;

	switch (d->err) {
	case ENOENT:
		hint = d->loaded ? "check udev/devtmpfs for /dev/tdx_host"
				 : "load the driver: modprobe tdxctl (on hosts without TDX: modprobe tdxctl backend=emulated)";
		break;
	case EACCES: case EPERM: case EBADF:
		hint = "run as root";
		break;
	case EPROTO: case ENOTTY:
		hint = "install a tdxctl that matches the driver (tdxctl version shows both)";
		break;
	}
	pr_error(code, d->err == EPROTO ? NULL : errno_name(d->err), hint, "%s: %s", dev_path(),
		 drv_reason(d));
	return code;
}

int dev_table_fail(int err)
{
	if (err < 0)
		err = -err;
	if (err == EPROTO && dev_table_error[0]) {
		pr_error(EXIT_FAILED, "EPROTO", "a driver bug: report it with tdxctl version and the kernel log",
			 "%s", dev_table_error);
		return EXIT_FAILED;
	}
	pr_error(exit_for_errno(err), errno_name(err), NULL, "%s: CPU table: %s", dev_path(), strerror(err));
	return exit_for_errno(err);
}
