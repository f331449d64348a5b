// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysroot.c - file access under the --sysroot prefix
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>

#include "sysroot.h"
#include "tdxctl.h"

static char *root;	/* NULL or "": the live system */
static int root_fd = -1;	/* root, opened O_PATH on first use */
static bool force_walk;		/* tests: as if openat2() were missing */
static sr_tap_fn *tap_fn;
static void *tap_arg;

void sr_tap(sr_tap_fn *fn, void *arg)
{
	tap_fn = fn;
	tap_arg = arg;
}

void sr_set(const char *r)
{
	size_t n;

	free(root);
	root = NULL;
	if (root_fd >= 0)
		close(root_fd);
	root_fd = -1;
	if (!r || !strcmp(r, "/"))
		return;
	root = strdup(r);
	if (!root) {
		perror("tdxctl");
		exit(EXIT_FAILED);
	}
	n = strlen(root);
	while (n > 0 && root[n - 1] == '/')
		root[--n] = '\0';
}

const char *sr_root(void)
{
	return root ? root : "";
}

int sr_is_live(void)
{
	return !root || !root[0];
}

int sr_path(char *buf, size_t len, const char *path)
{
	int n = snprintf(buf, len, "%s%s", sr_root(), path);

	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

void sr_force_walk(bool on)
{
	force_walk = on;
}

static int get_root_fd(void)
{
	if (root_fd < 0) {
		root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (root_fd < 0)
			return -errno;
	}
	return root_fd;
}

#define SR_MAXLINKS 40

/* Push the components of s, in order, in front of the stack's top. */
static int push_parts(char **stack, int *n, int max, char *s)
{
	char *parts[PATH_MAX / 2], *save = NULL;
	int k = 0;

	for (char *t = strtok_r(s, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
		if (k == (int)(sizeof(parts) / sizeof(parts[0])))
			return -ENAMETOOLONG;
		parts[k++] = t;
	}
	if (*n + k > max)
		return -ENAMETOOLONG;
	while (k > 0)
		stack[(*n)++] = parts[--k];
	return 0;
}

/*
 * Where openat2() is missing: resolve rel below rfd the way
 * RESOLVE_IN_ROOT does, one component at a time, without ever following
 * a link by the kernel: an absolute link target starts again at the
 * root, ".." never climbs above it.  The path found has no symbolic link
 * left in it and is opened with O_NOFOLLOW.
 */
static int walk_open(int rfd, const char *rel, int flags)
{
	char buf[PATH_MAX], out[PATH_MAX] = "", *stack[PATH_MAX / 2];
	char links[SR_MAXLINKS][PATH_MAX];
	int n = 0, nlinks = 0, r;
	size_t olen = 0;

	if (snprintf(buf, sizeof(buf), "%s", rel) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	if ((r = push_parts(stack, &n, PATH_MAX / 2, buf)))
		return r;
	while (n > 0) {
		char *c = stack[--n], try[PATH_MAX];
		struct stat st;
		ssize_t l;

		if (!strcmp(c, "."))
			continue;
		if (!strcmp(c, "..")) {
			char *sl = strrchr(out, '/');

			olen = sl ? (size_t)(sl - out) : 0;
			out[olen] = '\0';
			continue;
		}
		if (snprintf(try, sizeof(try), "%s%s%s", out, olen ? "/" : "", c) >= (int)sizeof(try))
			return -ENAMETOOLONG;
		if (fstatat(rfd, try, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return -errno;
		if (S_ISLNK(st.st_mode) && ((flags & O_NOFOLLOW) == 0 || n > 0)) {
			if (nlinks == SR_MAXLINKS)
				return -ELOOP;
			l = readlinkat(rfd, try, links[nlinks], PATH_MAX - 1);
			if (l < 0)
				return -errno;
			links[nlinks][l] = '\0';
			if (links[nlinks][0] == '/')
				out[olen = 0] = '\0';
			if ((r = push_parts(stack, &n, PATH_MAX / 2, links[nlinks++])))
				return r;
			continue;
		}
		memcpy(out, try, strlen(try) + 1);
		olen = strlen(out);
		if (n > 0 && !S_ISDIR(st.st_mode))
			return -ENOTDIR;
	}
	r = openat(rfd, olen ? out : ".", flags | O_NOFOLLOW);
	return r < 0 ? -errno : r;
}

/*
 * Open path below the sysroot, never outside it: openat2() with
 * RESOLVE_IN_ROOT (a symbolic link, absolute or with "..", resolves
 * inside the root) and RESOLVE_NO_MAGICLINKS; walk_open() where the
 * kernel has no openat2().  Live: open() as it is.
 */
static int open_below(const char *path, int flags)
{
	struct open_how how = { .flags = (uint64_t)flags,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	const char *rel = path;
	int rfd, fd;

	if (sr_is_live()) {
		fd = open(path, flags);
		return fd < 0 ? -errno : fd;
	}
	rfd = get_root_fd();
	if (rfd < 0)
		return rfd;
	while (*rel == '/')
		rel++;
	if (!*rel)
		rel = ".";
	if (!force_walk) {
		/* EAGAIN: a rename raced the resolution (openat2(2)); try again */
		for (int tries = 0; tries < 8; tries++) {
			fd = (int)syscall(SYS_openat2, rfd, rel, &how, sizeof(how));
			if (fd >= 0 || errno != EAGAIN)
				break;
		}
		if (fd >= 0 || errno != ENOSYS)
			return fd < 0 ? -errno : fd;
	}
	return walk_open(rfd, rel, flags);
}

/* A replayed tree holds regular files; say once per file why one is not read. */
static void refused(const char *p, const char *why)
{
	static char warned[PATH_MAX];

	if (strcmp(warned, p)) {	/* once per file, not per MSR */
		warnmsg("warning: %s: %s, ignored", p, why);
		snprintf(warned, sizeof(warned), "%s", p);
	}
}

/*
 * Open for reading without blocking (a FIFO would wait for a writer) and
 * accept only a regular file: sysfs and proc files are regular, and a
 * replayed tree has nothing else.  devok: a character device is fine too
 * (the live /dev/kmsg and /dev/cpu/N/msr).
 */
static int open_file(const char *path, int flags, bool devok)
{
	char p[PATH_MAX];
	struct stat st;
	int fd;

	if (tap_fn && (flags & O_ACCMODE) == O_RDONLY)
		tap_fn(path, SR_READ, tap_arg);
	if (sr_path(p, sizeof(p), path)) {
		dbg("%s%s: path too long", sr_root(), path);
		return -ENAMETOOLONG;
	}
	fd = open_below(path, flags | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		dbg("open %s: %s", p, strerror(-fd));
		if (fd == -ELOOP || fd == -EXDEV)
			refused(p, "a symbolic link loop, or a magic link");
		return fd;
	}
	if (fstat(fd, &st) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	if (!S_ISREG(st.st_mode) && !(devok && S_ISCHR(st.st_mode))) {
		close(fd);
		if (S_ISDIR(st.st_mode))
			return -EISDIR;
		refused(p, "not a regular file");
		return -EINVAL;
	}
	dbg("open %s", p);
	return fd;
}

int sr_open_dir(const char *path)
{
	int fd;

	if (sr_is_live()) {
		fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		return fd < 0 ? -errno : fd;
	}
	return open_below(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
}

int sr_open(const char *path, int flags)
{
	return open_file(path, flags, sr_is_live());
}

int sr_exists(const char *path)
{
	char p[PATH_MAX];
	int fd;

	if (tap_fn)
		tap_fn(path, SR_PROBE, tap_arg);
	if (sr_path(p, sizeof(p), path))
		return 0;
	if (sr_is_live())
		return access(p, F_OK) == 0;
	fd = open_below(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/* Read fd whole into buf[0 .. max-1]; -EFBIG if there is more. */
static ssize_t read_all(int fd, char *buf, size_t max)
{
	size_t len = 0;
	char extra;

	while (len < max) {
		ssize_t n = read(fd, buf + len, max - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return (ssize_t)len;
		len += (size_t)n;
	}
	for (;;) {
		ssize_t n = read(fd, &extra, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		return n ? -EFBIG : (ssize_t)len;
	}
}

static void too_big(const char *path, size_t max)
{
	warnmsg("warning: %s%s: larger than %zu bytes, ignored", sr_root(), path, max);
}

ssize_t sr_read(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	if (len == 0)
		return -EINVAL;
	buf[0] = '\0';
	fd = sr_open(path, O_RDONLY);
	if (fd < 0)
		return fd;
	n = read_all(fd, buf, len - 1);
	close(fd);
	if (n == -EFBIG)
		too_big(path, len - 1);
	if (n < 0)
		return n;
	buf[n] = '\0';
	/* a NUL inside is the end of the text */
	n = (ssize_t)strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return n;
}

char *sr_slurp_max(const char *path, size_t max, size_t *lenp)
{
	size_t cap = 8192, len = 0;
	char *buf, *nb;
	ssize_t n;
	int fd;

	fd = sr_open(path, O_RDONLY);
	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	buf = malloc(cap + 1);
	if (!buf) {
		close(fd);
		errno = ENOMEM;
		return NULL;
	}
	for (;;) {
		if (len == cap) {
			if (cap >= max) {
				char extra;

				do {
					n = read(fd, &extra, 1);
				} while (n < 0 && errno == EINTR);
				if (n == 0)
					break;
				free(buf);
				close(fd);
				if (n > 0)
					too_big(path, max);
				errno = n > 0 ? EFBIG : errno;
				return NULL;
			}
			cap = cap * 2 > max ? max : cap * 2;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				free(buf);
				close(fd);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			free(buf);
			close(fd);
			errno = e;
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

char *sr_slurp(const char *path, size_t *lenp)
{
	return sr_slurp_max(path, SR_SLURP_MAX, lenp);
}

int sr_read_u64(const char *path, uint64_t *v)
{
	char buf[64], *end;
	ssize_t n = sr_read(path, buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	errno = 0;
	*v = strtoull(buf, &end, 0);
	if (errno || end == buf)
		return -EINVAL;
	return 0;
}

int sr_write(const char *path, const char *s)
{
	size_t len = strlen(s);
	ssize_t n;
	int fd = sr_open(path, O_WRONLY);

	if (fd < 0)
		return fd;
	n = write(fd, s, len);
	if (n < 0) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	if (close(fd) < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

/*
 * Live system: the msr driver's file, offset = MSR number, 8 bytes; EIO
 * when the MSR raises #GP.  Replay (--sysroot): a regular file can't
 * hold adjacent MSRs (0x981 and 0x982 overlap at byte offsets), so it is
 * an array of 16-byte records indexed by MSR number: u64 value, u64
 * flags with bit 0 set when the MSR was readable.  A hole or a short
 * file reads as "not readable", like a #GP.
 */
int sr_rdmsr(unsigned cpu, uint32_t msr, uint64_t *val)
{
	char path[64];
	uint64_t rec[2];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/dev/cpu/%u/msr", cpu);
	fd = sr_open(path, O_RDONLY);
	if (fd < 0)
		return fd;
	if (sr_is_live()) {
		n = pread(fd, &rec[0], sizeof(rec[0]), (off_t)msr);
		if (n < 0)
			n = -errno;
		close(fd);
		if (n < 0 || n != (ssize_t)sizeof(rec[0])) {
			dbg("cpu %u MSR 0x%x: %s", cpu, msr, n < 0 ? strerror((int)-n) : "short read");
			return n < 0 ? (int)n : -EIO;
		}
		*val = rec[0];
		dbg("cpu %u MSR 0x%x = 0x%016llx", cpu, msr, (unsigned long long)*val);
		return 0;
	}
	n = pread(fd, rec, sizeof(rec), (off_t)msr * (off_t)sizeof(rec));
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return (int)n;
	if (n != (ssize_t)sizeof(rec) || !(rec[1] & 1)) {
		dbg("cpu %u MSR 0x%x: not readable (#GP)", cpu, msr);
		return -EIO;
	}
	*val = rec[0];
	dbg("cpu %u MSR 0x%x = 0x%016llx", cpu, msr, (unsigned long long)*val);
	return 0;
}
