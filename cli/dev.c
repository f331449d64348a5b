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

const char *const dev_call_name[DEV_NCALLS] = { "open", "version", "status", "cpu_table" };

static dev_rec_fn *rec_fn;
static void *rec_arg;
static int replay_fd = -1;	/* the open replay directory, or -1 */

void dev_record(dev_rec_fn *fn, void *arg)
{
	rec_fn = fn;
	rec_arg = arg;
}

static void rec(enum dev_call call, int err, const void *data, size_t len)
{
	if (rec_fn)
		rec_fn(call, err, data, len, rec_arg);
}

/*
 * Replay of a diag bundle: <root>/dev/tdx_host/ holds, per call, either
 * NAME (the reply's bytes as the driver wrote them: struct tdx_host_version,
 * struct tdx_host_status, or the CPU table's struct tdx_host_cpu_info
 * records) or NAME.errno ("13 EACCES": the call failed).  No file for a
 * call: it was never made while collecting (EPROTO).
 */
static int replay_open(void)
{
	int fd = sr_open_dir(DEFAULT_DEVICE);

	if (fd >= 0 || fd == -ENOENT)
		return fd;
	/* a device node, a symbolic link, a file or a FIFO: never opened */
	warnmsg("warning: %s: not a directory of recorded driver replies (%s); "
		"a --sysroot never opens a device", dev_path(), strerror(-fd));
	return -ENOTDIR;
}

/* The errno a call failed with, 0 if it did not (no NAME.errno). */
static int replay_errno(int dir, enum dev_call call)
{
	char name[32], buf[64];
	ssize_t n;
	long e;
	int fd;

	snprintf(name, sizeof(name), "%s.errno", dev_call_name[call]);
	fd = openat(dir, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	e = strtol(buf, NULL, 10);
	return e > 0 && e < 4096 ? (int)e : EPROTO;
}

/* A call's reply into buf: its length, or -errno (-EPROTO: damaged or absent). */
static ssize_t replay_reply(int dir, enum dev_call call, void *buf, size_t max)
{
	int err = replay_errno(dir, call), fd;
	struct stat st;
	ssize_t n;

	if (err)
		return -err;
	fd = openat(dir, dev_call_name[call], O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
		dbg("replay %s/%s: absent, not a file or too large", dev_path(), dev_call_name[call]);
		if (fd >= 0)
			close(fd);
		return -EPROTO;
	}
	n = pread(fd, buf, (size_t)st.st_size, 0);
	close(fd);
	if (n != st.st_size)
		return -EPROTO;
	dbg("replay %s/%s: %zd bytes", dev_path(), dev_call_name[call], n);
	return n;
}

int dev_open(bool write)
{
	struct stat st;
	int fd;

	if (!g.device && !sr_is_live()) {
		int err;

		fd = replay_open();
		if (fd < 0) {
			rec(DEV_OPEN, -fd, NULL, 0);
			return fd;
		}
		err = replay_errno(fd, DEV_OPEN);
		if (!err && write)
			err = EROFS;	/* a bundle answers questions only */
		rec(DEV_OPEN, err, NULL, 0);
		if (err) {
			close(fd);
			return -err;
		}
		dbg("replaying the driver's replies from %s", dev_path());
		replay_fd = fd;
		return fd;
	}
	replay_fd = -1;
	fd = open(dev_path(), (write ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		int e = errno;

		dbg("open %s: %s", dev_path(), strerror(e));
		rec(DEV_OPEN, e, NULL, 0);
		return -e;
	}
	/* a FIFO or a file there is not the driver (and is never waited on) */
	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode)) {
		dbg("%s: not a character device", dev_path());
		close(fd);
		rec(DEV_OPEN, ENOTTY, NULL, 0);
		return -ENOTTY;
	}
	dbg("opened %s (%s)", dev_path(), write ? "read-write" : "read-only");
	rec(DEV_OPEN, 0, NULL, 0);
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

/* VERSION and STATUS: a fixed struct whose first member is its size. */
static int query(int fd, enum dev_call call, unsigned long nr, void *v, size_t size, const char *what)
{
	int r;

	if (fd >= 0 && fd == replay_fd) {
		ssize_t n = replay_reply(fd, call, v, size);
		uint32_t sz;

		memcpy(&sz, v, sizeof(sz));
		if (n >= 0 && ((size_t)n != size || sz != size)) {
			dbg("replay %s: %zd bytes, size field %u; struct is %zu", what, n, sz, size);
			n = -EPROTO;
		}
		r = n < 0 ? (int)n : 0;
		if (r)
			memset(v, 0, size);
	} else {
		r = xioctl(fd, nr, v, what);
	}
	rec(call, -r, v, size);
	return r;
}

int dev_version(int fd, struct tdx_host_version *v)
{
	memset(v, 0, sizeof(*v));
	v->size = sizeof(*v);
	return query(fd, DEV_VERSION, TDX_HOST_IOC_VERSION, v, sizeof(*v), "VERSION");
}

int dev_status(int fd, struct tdx_host_status *s)
{
	memset(s, 0, sizeof(*s));
	s->size = sizeof(*s);
	return query(fd, DEV_STATUS, TDX_HOST_IOC_STATUS, s, sizeof(*s), "STATUS");
}

char dev_table_error[160];

/* One record per possible CPU, ascending, each below the limit. */
static int check_table(const struct tdx_host_cpu_info *buf, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (buf[i].cpu >= CPUSET_MAX || (i && buf[i].cpu <= buf[i - 1].cpu)) {
			snprintf(dev_table_error, sizeof(dev_table_error),
				 "the driver's CPU table is invalid: record %u names CPU %u%s", i, buf[i].cpu,
				 buf[i].cpu >= CPUSET_MAX ? ", beyond the limit of 8192 CPUs" : ", out of order");
			return -EPROTO;
		}
	}
	return 0;
}

static int replay_table(int fd, struct tdx_host_cpu_info **tab, unsigned *n)
{
	size_t max = (size_t)CPUSET_MAX * sizeof(**tab);
	struct tdx_host_cpu_info *buf = malloc(max);
	ssize_t len;
	int r;

	if (!buf)
		return -ENOMEM;
	len = replay_reply(fd, DEV_CPU_TABLE, buf, max);
	if (len >= 0 && len % (ssize_t)sizeof(*buf)) {
		dbg("replay CPU_TABLE: %zd bytes, not whole records", len);
		len = -EPROTO;
	}
	if (len < 0) {
		free(buf);
		rec(DEV_CPU_TABLE, (int)-len, NULL, 0);
		return (int)len;
	}
	rec(DEV_CPU_TABLE, 0, buf, (size_t)len);
	r = check_table(buf, (unsigned)(len / (ssize_t)sizeof(*buf)));
	if (r) {
		free(buf);
		return r;
	}
	*tab = buf;
	*n = (unsigned)(len / (ssize_t)sizeof(*buf));
	return 0;
}

int dev_cpu_table(int fd, struct tdx_host_cpu_info **tab, unsigned *n)
{
	struct tdx_host_cpu_table t;
	struct tdx_host_cpu_info *buf = NULL;
	int r, tries;

	*tab = NULL;
	*n = 0;
	if (fd >= 0 && fd == replay_fd)
		return replay_table(fd, tab, n);
	memset(&t, 0, sizeof(t));
	t.size = sizeof(t);
	t.entry_size = sizeof(*buf);
	r = xioctl(fd, TDX_HOST_IOC_CPU_TABLE, &t, "CPU_TABLE (count)");
	if (r) {
		rec(DEV_CPU_TABLE, -r, NULL, 0);
		return r;
	}
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
		if (!r && t.nr_entries > want)
			r = -EPROTO;
		if (r) {
			free(buf);
			rec(DEV_CPU_TABLE, -r, NULL, 0);
			return r;
		}
		rec(DEV_CPU_TABLE, 0, buf, (size_t)t.nr_entries * sizeof(*buf));
		r = check_table(buf, t.nr_entries);
		if (r) {
			free(buf);
			return r;
		}
		*tab = buf;
		*n = t.nr_entries;
		return 0;
	}
	free(buf);
	rec(DEV_CPU_TABLE, EOVERFLOW, NULL, 0);
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
	case EPROTO:
		return replay_fd >= 0 ? "a reply of the driver saved in the bundle is damaged or absent"
				      : "the driver speaks another ABI version";
	case EROFS: return "a replayed diag bundle answers queries only";
	case ENOTDIR: return "not a directory of recorded replies: a --sysroot never opens a device";
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
				 : "tdxctl status says what this kernel needs: the tdxctl driver, KVM, or nothing";
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
