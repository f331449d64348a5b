// SPDX-License-Identifier: GPL-2.0-only
/*
 * kmsg.c - reading the kernel log (live /dev/kmsg or a replay file)
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include "dlib.h"
#include "kmsg.h"
#include "sysroot.h"
#include "tdxctl.h"

#define KLOG_MAX (16u << 20)

static const char *const keep[] = {
	"virt/tdx:", "x86/tme:", "x86/mktme:", "kvm_intel:", "tdxctl", "seamldr:", "tdx:",
	/* the BIOS memory map of boot: what the CMRs can cover */
	"BIOS-e820:",
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

static struct klog_source src;

const struct klog_source *klog_source(void)
{
	return &src;
}

/* Append s[0..n) to the growing buffer; false when it would pass KLOG_MAX. */
static bool append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t nc = *cap;
		char *nb;

		while (*len + n + 1 > nc)
			nc *= 2;
		if (nc > KLOG_MAX)
			return false;
		nb = realloc(*buf, nc);
		if (!nb)
			return false;
		*buf = nb;
		*cap = nc;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
	return true;
}

/* A journal field's value ("NAME=value", not NUL-terminated). */
static bool field(sd_journal *j, const char *name, const char **v, size_t *n)
{
	const void *d;
	size_t len, nl = strlen(name);

	if (sd_journal_get_data(j, name, &d, &len) < 0 || len <= nl)
		return false;
	*v = (const char *)d + nl + 1;
	*n = len - nl - 1;
	return true;
}

/* libsystemd, loaded on first use: without it there is no journal */
static bool journal_lib(void)
{
	if (dl_journal() == 0)
		return true;
	snprintf(src.journal, sizeof(src.journal), "cannot open the journal: %s", dl_error(DLIB_JOURNAL));
	return false;
}

/*
 * The kernel's messages of this boot from the journal, as kmsg records
 * ("PRIO,SEQ,USEC,-;text", USEC the monotonic time the kernel stamped).
 * NULL when there is no journal or it holds no kernel message of this boot
 * (src.journal says which).
 */
#define JOURNAL_FILES_MAX 256

static void close_all(int *fds, int n)
{
	for (int i = 0; i < n; i++)
		close(fds[i]);
}

/* A directory stream of fd (closed when there is none); NULL for fd < 0. */
static DIR *dir_of(int fd)
{
	DIR *d = fd < 0 ? NULL : fdopendir(fd);

	if (!d && fd >= 0)
		close(fd);
	return d;
}

/*
 * The journal files of a replayed tree, opened the way every sysroot
 * read is: var/log/journal and run/log/journal resolved inside the root
 * (sr_open_dir), then one directory level (the machine ID) and the
 * *.journal files in it opened with O_NOFOLLOW, regular files only.  A
 * link anywhere in there is passed over, so a bundle's journal can never
 * be the analyst's own.  Returns how many were opened into fds.
 */
static int journal_files(int *fds, int max)
{
	static const char *const dirs[] = { "/var/log/journal", "/run/log/journal" };
	int n = 0;

	for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
		DIR *dt = dir_of(sr_open_dir(dirs[d]));
		struct dirent *e;

		if (!dt)
			continue;
		while (n < max && (e = readdir(dt))) {
			DIR *ds;
			struct dirent *f;

			if (e->d_name[0] == '.')
				continue;
			ds = dir_of(openat(dirfd(dt), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
			if (!ds)
				continue;
			while (n < max && (f = readdir(ds))) {
				size_t l = strlen(f->d_name);
				struct stat st;
				int fd;

				if (f->d_name[0] == '.' || l < 9 ||
				    (strcmp(f->d_name + l - 8, ".journal") && strcmp(f->d_name + l - 9, ".journal~")))
					continue;
				fd = openat(dirfd(ds), f->d_name,
					    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
				if (fd < 0)
					continue;
				if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
					close(fd);
					continue;
				}
				fds[n++] = fd;
			}
			closedir(ds);
		}
		closedir(dt);
	}
	return n;
}

static char *journal_raw(size_t *lenp)
{
	sd_journal *j = NULL;
	sd_id128_t boot;
	char match[64], idbuf[64], *buf;
	size_t len = 0, cap = 65536;
	bool have_boot = false;
	int r, fds[JOURNAL_FILES_MAX], nfds = 0;

	if (sr_is_live()) {
		if (!journal_lib())
			return NULL;
		r = sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM);
		have_boot = sd_id128_get_boot(&boot) == 0;
	} else {
		nfds = journal_files(fds, JOURNAL_FILES_MAX);
		if (!nfds) {
			snprintf(src.journal, sizeof(src.journal), "no journal below the sysroot");
			return NULL;
		}
		if (!journal_lib()) {
			close_all(fds, nfds);
			return NULL;
		}
		r = sd_journal_open_files_fd(&j, fds, (unsigned)nfds, 0);
		have_boot = sr_read("/proc/sys/kernel/random/boot_id", idbuf, sizeof(idbuf)) > 0 &&
			    sd_id128_from_string(idbuf, &boot) == 0;
	}
	if (r < 0) {
		close_all(fds, nfds);
		snprintf(src.journal, sizeof(src.journal), "cannot open the journal: %s", strerror(-r));
		return NULL;
	}
	sd_journal_add_match(j, "_TRANSPORT=kernel", 0);
	if (have_boot) {
		snprintf(match, sizeof(match), "_BOOT_ID=%s", sd_id128_to_string(boot, idbuf));
		sd_journal_add_match(j, match, 0);
	}
	buf = malloc(cap);
	if (!buf) {
		sd_journal_close(j);
		close_all(fds, nfds);
		snprintf(src.journal, sizeof(src.journal), "%s", strerror(ENOMEM));
		return NULL;
	}
	buf[0] = '\0';
	SD_JOURNAL_FOREACH(j) {
		const char *msg, *v;
		size_t mn, vn;
		char head[96], t[32];
		unsigned prio = 6;
		unsigned long long usec = 0;

		if (!field(j, "MESSAGE", &msg, &mn))
			continue;
		if (field(j, "PRIORITY", &v, &vn) && vn == 1 && v[0] >= '0' && v[0] <= '7')
			prio = (unsigned)(v[0] - '0');
		if (field(j, "_SOURCE_MONOTONIC_TIMESTAMP", &v, &vn) && vn < sizeof(t)) {
			memcpy(t, v, vn);
			t[vn] = '\0';
			usec = strtoull(t, NULL, 10);
		}
		snprintf(head, sizeof(head), "%u,%zu,%llu,-;", prio, src.lines, usec);
		if (!append(&buf, &len, &cap, head, strlen(head)))
			break;
		/* one record, one line */
		for (size_t i = 0; i < mn; i++) {
			char c = msg[i] == '\n' || msg[i] == '\0' ? ' ' : msg[i];

			if (!append(&buf, &len, &cap, &c, 1))
				break;
		}
		if (!append(&buf, &len, &cap, "\n", 1))
			break;
		src.lines++;
	}
	sd_journal_close(j);
	close_all(fds, nfds);
	if (!src.lines) {
		free(buf);
		snprintf(src.journal, sizeof(src.journal), "no kernel message of %s in the journal%s",
			 have_boot ? "this boot" : "any boot", sr_is_live() ? " (or not readable by this user)" : "");
		return NULL;
	}
	snprintf(src.journal, sizeof(src.journal), "%zu kernel messages of %s", src.lines,
		 have_boot ? "this boot" : "every boot (no boot_id)");
	*lenp = len;
	return buf;
}

char *klog_raw(size_t *lenp, int *err)
{
	char *buf;
	size_t len = 0, cap = 65536;
	int fd;

	*err = 0;
	memset(&src, 0, sizeof(src));
	fd = sr_open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		*err = -fd;
		src.kmsg_err = *err;
		dbg("kernel log: %s", strerror(*err));
		if (*err == EACCES || *err == EPERM) {
			buf = journal_raw(lenp);
			dbg("kernel log from the journal: %s", src.journal);
			if (buf) {
				src.source = "journal";
				*err = 0;
				return buf;
			}
		} else {
			snprintf(src.journal, sizeof(src.journal), "not needed");
		}
		return NULL;
	}
	src.source = "kmsg";
	snprintf(src.journal, sizeof(src.journal), "not needed");
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
