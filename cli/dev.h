/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dev.h - the driver's ioctls (linux/tdx_host.h), one wrapper each.
 * All return 0 or -errno.
 */
#ifndef TDXCTL_DEV_H
#define TDXCTL_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/tdx_host.h>

/* The device path: --device, else <sysroot>/dev/tdx_host. */
const char *dev_path(void);
/* Open for reading (queries) or writing (changes); -errno. */
int dev_open(bool write);
int dev_version(int fd, struct tdx_host_version *v);
int dev_status(int fd, struct tdx_host_status *s);
/* Two-call CPU table: allocates *tab (free()), *n records.  Records are
 * checked: -EPROTO, with the reason in dev_table_error, when a CPU number
 * is out of range or out of order. */
int dev_cpu_table(int fd, struct tdx_host_cpu_info **tab, unsigned *n);
extern char dev_table_error[160];
/* Report a failed dev_cpu_table(); returns the exit code. */
int dev_table_fail(int err);
int dev_cpu_enable(int fd, unsigned cpu, struct tdx_host_cpu_enable *r);
int dev_module_enable(int fd, unsigned flags, struct tdx_host_module_enable *r);
/*
 * tdxctl diag: every reply of the queries above (open, VERSION, STATUS,
 * CPU_TABLE) is reported to fn as it comes: err 0 and the reply's bytes
 * (for CPU_TABLE the records), or the errno.  fn NULL: off.
 *
 * Replay: under --sysroot (no --device), a directory <root>/dev/tdx_host/
 * holds those replies, one file per call (dev.c), and answers the queries
 * in place of the driver; changes are refused (EROFS).
 */
enum dev_call { DEV_OPEN, DEV_VERSION, DEV_STATUS, DEV_CPU_TABLE, DEV_NCALLS };
extern const char *const dev_call_name[DEV_NCALLS];
typedef void dev_rec_fn(enum dev_call call, int err, const void *data, size_t len, void *arg);
void dev_record(dev_rec_fn *fn, void *arg);

/* Is the driver module loaded (/sys/module/tdxctl)? */
bool dev_driver_loaded(void);

/* What we know about the driver after trying to open it. */
struct drv {
	int fd;				/* -1 if not open */
	int err;			/* errno of open or VERSION, 0 if fine */
	bool loaded;			/* module loaded or device present */
	bool have_version;
	struct tdx_host_version ver;
};

/* Open the device (read-only or read-write) and ask VERSION. */
void drv_probe(struct drv *d, bool write);
void drv_close(struct drv *d);
/* Words for d->err: "driver not loaded", "permission denied ...". */
const char *drv_reason(const struct drv *d);
/* Report d->err as the command's error; returns the exit code. */
int drv_error(const struct drv *d);

#endif
