// SPDX-License-Identifier: GPL-2.0-only
/*
 * kmsg.c - reading the kernel log (live /dev/kmsg or a replay file)
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmsg.h"
#include "sysroot.h"
#include "tdxctl.h"

#define KLOG_MAX (16u << 20)

static const char *const keep[] = {
	"virt/tdx:", "x86/tme:", "x86/mktme:", "kvm_intel:", "tdxctl", "seamldr:", "tdx:",
};

/* The text of a raw line (after a kmsg prefix or a dmesg timestamp);
 * NULL for a kmsg dictionary continuation or an empty line. */
static const char *line_text(const char *s, size_t len, size_t *tlen)
{
	const char *semi, *text = s;

	if (len == 0 || s[0] == ' ')	/* kmsg dictionary continuation */
		return NULL;
	/* kmsg record: "prio,seq,usec,flags;text" */
	semi = memchr(s, ';', len);
	if (semi && isdigit((unsigned char)s[0])) {
		const char *p = s;

		while (p < semi && (isdigit((unsigned char)*p) || *p == ',' || *p == '-' ||
				    isalpha((unsigned char)*p)))
			p++;
		if (p == semi)
			text = semi + 1;
	} else if (s[0] == '[') {
		/* dmesg: "[    1.234567] text" */
		const char *rb = memchr(s, ']', len);

		if (rb) {
			text = rb + 1;
			while (text < s + len && *text == ' ')
				text++;
		}
	}
	*tlen = len - (size_t)(text - s);
	return text;
}

bool klog_relevant(const char *s, size_t len)
{
	size_t tlen;
	const char *text = line_text(s, len, &tlen);

	if (!text)
		return false;
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if (memmem(text, tlen, keep[i], strlen(keep[i])))
			return true;
	return false;
}

static void add_line(struct klog *k, const char *s, size_t len)
{
	const char *text;
	char **nl;

	if (!klog_relevant(s, len))
		return;
	text = line_text(s, len, &len);
	nl = realloc(k->lines, (k->n + 1) * sizeof(*nl));
	if (!nl)
		return;
	k->lines = nl;
	k->lines[k->n] = strndup(text, len);
	if (k->lines[k->n])
		k->n++;
}

char *klog_raw(size_t *lenp, int *err)
{
	char *buf;
	size_t len = 0, cap = 65536;
	int fd;

	*err = 0;
	fd = sr_open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		*err = -fd;
		dbg("kernel log: %s", strerror(*err));
		return NULL;
	}
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		*err = ENOMEM;
		return NULL;
	}
	for (;;) {
		ssize_t n;

		if (cap - len < 8192) {
			char *nb;

			if (cap >= KLOG_MAX) {
				/* live: the ring buffer is smaller; a replay file
				 * this large is refused, never cut short */
				if (!sr_is_live()) {
					warnmsg("warning: %s/dev/kmsg: larger than %u bytes, ignored",
						sr_root(), KLOG_MAX);
					*err = EFBIG;
					len = 0;
				}
				break;
			}
			nb = realloc(buf, cap * 2);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR || errno == EPIPE)	/* EPIPE: records lost, go on */
				continue;
			if (errno != EAGAIN)
				*err = errno;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

void klog_read(struct klog *k)
{
	size_t len = 0, start = 0;
	char *buf;

	memset(k, 0, sizeof(*k));
	buf = klog_raw(&len, &k->err);
	if (!buf)
		return;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || buf[i] == '\n') {
			add_line(k, buf + start, i - start);
			start = i + 1;
		}
	}
	free(buf);
	dbg("kernel log: %zu relevant lines", k->n);
}

void klog_free(struct klog *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->lines[i]);
	free(k->lines);
	memset(k, 0, sizeof(*k));
}

const char *klog_find(const struct klog *k, const char *needle)
{
	for (size_t i = k->n; i-- > 0;)
		if (strstr(k->lines[i], needle))
			return k->lines[i];
	return NULL;
}
