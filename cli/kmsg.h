/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kmsg.h - the kernel log, read from <sysroot>/dev/kmsg.
 *
 * Live: /dev/kmsg, non-blocking, from the start of the ring buffer.
 * Replay: the same path under --sysroot holds either kmsg records
 * ("6,1234,5678,-;virt/tdx: ...") or plain dmesg output ("[  1.2] ...").
 * Only lines about TDX and its neighbours are kept.
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
/* Is this line of the raw log one that klog_read() keeps? */
bool klog_relevant(const char *line, size_t len);
/* The last line containing needle, or NULL. */
const char *klog_find(const struct klog *k, const char *needle);

#endif
