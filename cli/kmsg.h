/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kmsg.h - the kernel log, read from <sysroot>/dev/kmsg.
 *
 * Live: /dev/kmsg, non-blocking, from the start of the ring buffer.
 * Replay: the same path under --sysroot holds either kmsg records
 * ("6,1234,5678,-;virt/tdx: ...") or plain dmesg output ("[  1.2] ...").
 * Only lines about TDX and its neighbours are kept.
 * When /dev/kmsg may not be read, the journal is (klog_source()).
 */
#ifndef TDXCTL_KMSG_H
#define TDXCTL_KMSG_H

#include <stdbool.h>
#include <stddef.h>

struct klog {
	char **lines;
	size_t n;
	int err;	/* 0, or errno of opening the log */
};

void klog_read(struct klog *k);
void klog_free(struct klog *k);
/* The log as read (live: kmsg records), malloc'd and NUL-terminated;
 * NULL with *err set when it cannot be read. */
char *klog_raw(size_t *lenp, int *err);
/*
 * Where the last klog_raw() found the log.  /dev/kmsg first; when it may
 * not be read (EACCES, EPERM: not root, kernel.dmesg_restrict), the
 * kernel's messages of this boot in the systemd journal (sd-journal; under
 * --sysroot, the journal below that root), as kmsg records.
 */
struct klog_source {
	const char *source;	/* "kmsg", "journal", or NULL: none */
	int kmsg_err;		/* errno of /dev/kmsg, 0 if it was read */
	char journal[160];	/* what the journal gave, or why not */
	size_t lines;		/* lines read from the journal */
};
const struct klog_source *klog_source(void);
/* Is this line of the raw log one that klog_read() keeps? */
bool klog_relevant(const char *line, size_t len);
/* The last line containing needle, or NULL. */
const char *klog_find(const struct klog *k, const char *needle);

#endif
