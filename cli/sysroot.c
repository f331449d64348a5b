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
static void msrs_free(void);
static void cpufiles_free(void);

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
	msrs_free();
	cpufiles_free();
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
static int open_file(const char *path, int flags, bool devok, struct stat *stp)
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
	if (stp)
		*stp = st;
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
	return open_file(path, flags, sr_is_live(), NULL);
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

/*
 * A regular file whose size fstat() told is whole once that much is read:
 * no second read() to see the end (a replayed tree's files, sysfs's
 * attributes of one page).  proc's files say 0 and are read to the end.
 */
static bool whole(const struct stat *st, size_t len)
{
	return S_ISREG(st->st_mode) && st->st_size > 0 && (off_t)len == st->st_size;
}

static void too_big(const char *path, size_t max)
{
	warnmsg("warning: %s%s: larger than %zu bytes, ignored", sr_root(), path, max);
}

/*
 * Per-CPU sysfs files other than "online" (which hotplug changes and
 * callers re-read on purpose: cpu_online_now()) are read once per
 * process: status --cpus reads each CPU's topology, and diag puts the
 * same files in its bundle.  Their text is kept as read, or the error.
 */
#define SR_CPUFILE_MAX 4096
struct cpufile {
	struct cpufile *next;
	char *data;		/* as read, NUL-terminated; NULL on error */
	size_t len;
	int err;
	char name[];		/* below /sys/devices/system/cpu/cpuN/ */
};
static struct cpufile **cpufiles;	/* [SR_MSR_MAXCPU] */

static const char *cpufile_name(const char *path, unsigned *cpu)
{
	static const char pre[] = "/sys/devices/system/cpu/cpu";
	const char *p = path + sizeof(pre) - 1;
	char *end;
	unsigned long c;

	if (strncmp(path, pre, sizeof(pre) - 1) || *p < '0' || *p > '9')
		return NULL;
	c = strtoul(p, &end, 10);
	if (*end != '/' || c >= SR_MSR_MAXCPU || strncmp(end + 1, "topology/", 9) || strstr(end, "/.."))
		return NULL;
	*cpu = (unsigned)c;
	return end + 1;
}

static void cpufiles_free(void)
{
	if (!cpufiles)
		return;
	for (unsigned c = 0; c < SR_MSR_MAXCPU; c++)
		while (cpufiles[c]) {
			struct cpufile *f = cpufiles[c];

			cpufiles[c] = f->next;
			free(f->data);
			free(f);
		}
	free(cpufiles);
	cpufiles = NULL;
}

/* Read whole under the bound: the text (malloc'd) and its length, or
 * -errno (-EFBIG: larger than max, warned about). */
static ssize_t read_file(const char *path, size_t max, char **out)
{
	struct stat st;
	size_t cap = 8192, len = 0;
	ssize_t n = 0;
	char *buf, *nb, extra;
	int fd;

	*out = NULL;
	fd = open_file(path, O_RDONLY, sr_is_live(), &st);
	if (fd < 0)
		return fd;
	/* a replayed file's size is known: one read */
	if (S_ISREG(st.st_mode) && st.st_size > 0 && (uint64_t)st.st_size <= max)
		cap = (size_t)st.st_size;
	if (cap > max)
		cap = max;
	buf = malloc(cap + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		if (len == cap) {
			if (whole(&st, len))
				break;
			if (cap >= max) {
				do {
					n = read(fd, &extra, 1);
				} while (n < 0 && errno == EINTR);
				n = n < 0 ? -errno : n > 0 ? -EFBIG : 0;
				break;
			}
			cap = cap * 2 > max ? max : cap * 2;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				n = -ENOMEM;
				break;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		n = 0;
		if (whole(&st, len))
			break;
	}
	close(fd);
	if (n == -EFBIG)
		too_big(path, max);
	if (n < 0) {
		free(buf);
		return n;
	}
	buf[len] = '\0';
	*out = buf;
	return (ssize_t)len;
}

/* The text of a file: a per-CPU sysfs file from the cache, any other
 * read now.  Returns the length (text malloc'd in *out) or -errno. */
static ssize_t get_file(const char *path, size_t max, char **out)
{
	struct cpufile *f;
	const char *name;
	unsigned cpu;
	ssize_t n;
	char *copy;

	name = cpufile_name(path, &cpu);
	if (!name)
		return read_file(path, max, out);
	if (!cpufiles && !(cpufiles = calloc(SR_MSR_MAXCPU, sizeof(*cpufiles))))
		return read_file(path, max, out);
	for (f = cpufiles[cpu]; f; f = f->next)
		if (!strcmp(f->name, name))
			break;
	if (f) {
		if (tap_fn)
			tap_fn(path, SR_READ, tap_arg);
	} else {
		n = read_file(path, SR_CPUFILE_MAX, out);
		if (n == -EFBIG)	/* not kept: let the caller's bound decide */
			return read_file(path, max, out);
		f = calloc(1, sizeof(*f) + strlen(name) + 1);
		if (!f) {
			free(*out);
			*out = NULL;
			return -ENOMEM;
		}
		strcpy(f->name, name);
		f->data = *out;
		f->len = n > 0 ? (size_t)n : 0;
		f->err = n < 0 ? (int)-n : 0;
		f->next = cpufiles[cpu];
		cpufiles[cpu] = f;
		*out = NULL;
	}
	if (f->err)
		return -f->err;
	if (f->len > max) {
		too_big(path, max);
		return -EFBIG;
	}
	copy = malloc(f->len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, f->data, f->len + 1);
	*out = copy;
	return (ssize_t)f->len;
}

ssize_t sr_read(const char *path, char *buf, size_t len)
{
	char *text;
	ssize_t n;

	if (len == 0)
		return -EINVAL;
	buf[0] = '\0';
	n = get_file(path, len - 1, &text);
	if (n < 0)
		return n;
	memcpy(buf, text, (size_t)n + 1);
	free(text);
	/* a NUL inside is the end of the text */
	n = (ssize_t)strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return n;
}

char *sr_slurp_max(const char *path, size_t max, size_t *lenp)
{
	char *text;
	ssize_t n = get_file(path, max, &text);

	if (n < 0) {
		errno = (int)-n;
		return NULL;
	}
	if (lenp)
		*lenp = (size_t)n;
	return text;
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
 * MSRs.  Live: the msr driver's file, offset = MSR number, 8 bytes; EIO
 * when the MSR raises #GP.  Each CPU's file is opened once (callers read
 * a CPU's MSRs one after the other), and every answer, value or error, is
 * kept for the life of the process: diag puts in its bundle the values
 * its check read, never reading them twice.
 *
 * Replay (--sysroot), two layouts:
 *
 * - dev/cpu/msr.replay, one text file for every CPU (what diag writes),
 *   read once and answered from memory:
 *
 *	tdxctl-msr-replay 1
 *	0-3 0x87 0x000000300000000f	CPULIST MSR VALUE
 *	0-3 0x3a gp			the MSR raised #GP on these CPUs
 *	4-7 0x87 EACCES			the read failed: the errno's name
 *	end
 *
 *   A CPU that no line names has no msr file (-ENOENT); an MSR not given
 *   for a CPU that has lines raised #GP (-EIO).  Blank lines and lines
 *   starting with '#' are ignored.  A file that is not this, whole (no
 *   "end": cut short), every CPU and MSR at most once, is refused with a
 *   warning naming the line, and every MSR read fails with EBADMSG: no
 *   verdict rests on it, and the per-CPU files are not consulted either.
 *
 * - dev/cpu/N/msr per CPU (bundles of older versions, when msr.replay is
 *   absent): a regular file can't hold adjacent MSRs (0x981 and 0x982
 *   overlap at byte offsets), so it is an array of 16-byte records
 *   indexed by MSR number: u64 value, u64 flags with bit 0 set when the
 *   MSR was readable.  A hole or a short file reads as "not readable",
 *   like a #GP.
 */
#define SR_REPLAY_PATH "/dev/cpu/msr.replay"
#define SR_REPLAY_HEADER "tdxctl-msr-replay"
#define SR_REPLAY_VERSION 1
#define SR_REPLAY_MAX (16u << 20)
#define SR_MSR_PER_CPU 64	/* a replay names at most this many MSRs per CPU */

struct msr_ent {
	uint32_t msr;
	int err;
	uint64_t v;
};
struct msr_cpu {
	struct msr_ent *e;
	unsigned n, cap;
	int open_err;		/* opening its file failed: every MSR fails so */
	bool listed;		/* msr.replay names the CPU */
};
static struct msr_cpu *msrs;	/* [SR_MSR_MAXCPU], allocated on first use */
static int msr_fd = -1;		/* the msr file of CPU msr_fd_cpu, kept open */
static unsigned msr_fd_cpu;
static enum { REPLAY_UNKNOWN, REPLAY_PERCPU, REPLAY_COMPACT, REPLAY_BAD } replay;
static int replay_err;		/* REPLAY_BAD: EBADMSG, or why it was not read */
static char replay_why[PATH_MAX + 160];

static const struct { int err; const char *name; } msr_errs[] = {
	{ EIO, "gp" }, { EACCES, "EACCES" }, { EPERM, "EPERM" }, { ENOENT, "ENOENT" },
	{ ENXIO, "ENXIO" }, { ENODEV, "ENODEV" }, { EINVAL, "EINVAL" }, { EBUSY, "EBUSY" },
	{ EFAULT, "EFAULT" }, { EISDIR, "EISDIR" }, { ELOOP, "ELOOP" }, { EXDEV, "EXDEV" },
	{ ENOTDIR, "ENOTDIR" }, { ESPIPE, "ESPIPE" }, { EFBIG, "EFBIG" }, { EBADMSG, "EBADMSG" },
	{ ENOMEM, "ENOMEM" }, { ENAMETOOLONG, "ENAMETOOLONG" }, { EAGAIN, "EAGAIN" },
	{ EINTR, "EINTR" },
};
#define NMSR_ERRS (sizeof(msr_errs) / sizeof(msr_errs[0]))

void sr_msr_done(void)
{
	if (msr_fd >= 0)
		close(msr_fd);
	msr_fd = -1;
}

static void msrs_free(void)
{
	sr_msr_done();
	if (msrs)
		for (unsigned c = 0; c < SR_MSR_MAXCPU; c++)
			free(msrs[c].e);
	free(msrs);
	msrs = NULL;
	replay = REPLAY_UNKNOWN;
	replay_why[0] = '\0';
}

const char *sr_msr_problem(void)
{
	return replay == REPLAY_BAD ? replay_why : NULL;
}

static bool msrs_alloc(void)
{
	if (!msrs)
		msrs = calloc(SR_MSR_MAXCPU, sizeof(*msrs));
	return msrs != NULL;
}

static struct msr_ent *msr_find(unsigned cpu, uint32_t msr)
{
	struct msr_cpu *c = &msrs[cpu];

	for (unsigned i = 0; i < c->n; i++)
		if (c->e[i].msr == msr)
			return &c->e[i];
	return NULL;
}

static int msr_add(unsigned cpu, uint32_t msr, int err, uint64_t v)
{
	struct msr_cpu *c = &msrs[cpu];

	if (c->n == c->cap) {
		unsigned cap = c->cap ? c->cap * 2 : 16;
		struct msr_ent *ne = realloc(c->e, cap * sizeof(*ne));

		if (!ne)
			return -ENOMEM;
		c->e = ne;
		c->cap = cap;
	}
	c->e[c->n++] = (struct msr_ent){ .msr = msr, .err = err, .v = v };
	return 0;
}

/* "0-3,8" into the CPUs of the line (each below SR_MSR_MAXCPU). */
static bool parse_cpus(const char *s, uint64_t *set)
{
	memset(set, 0, SR_MSR_MAXCPU / 8);
	for (;;) {
		unsigned long a, b;
		char *end;

		if (*s < '0' || *s > '9')
			return false;
		a = strtoul(s, &end, 10);
		b = a;
		if (*end == '-') {
			s = end + 1;
			if (*s < '0' || *s > '9')
				return false;
			b = strtoul(s, &end, 10);
		}
		if (a > b || b >= SR_MSR_MAXCPU)
			return false;
		for (unsigned long c = a; c <= b; c++)
			set[c / 64] |= 1ULL << (c % 64);
		if (!*end)
			return true;
		if (*end != ',')
			return false;
		s = end + 1;
	}
}

static bool parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && !*end && *v <= max;
}

/* One line of msr.replay; NULL or what is wrong with it. */
static const char *replay_line(char *line, uint64_t *set, char *why, size_t whylen)
{
	char *tok[4], *save = NULL;
	uint64_t msr, v = 0;
	int k = 0, err = 0;

	for (char *t = strtok_r(line, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (k == 4)
			break;
		tok[k++] = t;
	}
	if (k != 3)
		return "not CPULIST MSR VALUE";
	if (!parse_cpus(tok[0], set)) {
		snprintf(why, whylen, "bad CPU list '%.40s' (CPUs 0-%u, as 0-3,8)", tok[0], SR_MSR_MAXCPU - 1);
		return why;
	}
	if (!parse_u64(tok[1], UINT32_MAX, &msr)) {
		snprintf(why, whylen, "bad MSR number '%.40s'", tok[1]);
		return why;
	}
	if (!parse_u64(tok[2], UINT64_MAX, &v)) {
		size_t i;

		for (i = 0; i < NMSR_ERRS && strcmp(tok[2], msr_errs[i].name); i++)
			;
		if (i == NMSR_ERRS) {
			snprintf(why, whylen, "bad value '%.40s' (a number, gp, or an errno name)", tok[2]);
			return why;
		}
		err = msr_errs[i].err;
		v = 0;
	}
	for (unsigned w = 0; w < SR_MSR_MAXCPU / 64; w++) {
		for (uint64_t bits = set[w]; bits; bits &= bits - 1) {
			unsigned cpu = w * 64 + (unsigned)__builtin_ctzll(bits);

			if (msr_find(cpu, (uint32_t)msr)) {
				snprintf(why, whylen, "CPU %u MSR 0x%" PRIx64 " given twice", cpu, msr);
				return why;
			}
			if (msrs[cpu].n >= SR_MSR_PER_CPU) {
				snprintf(why, whylen, "more than %d MSRs for CPU %u", SR_MSR_PER_CPU, cpu);
				return why;
			}
			if (msr_add(cpu, (uint32_t)msr, err, v))
				return "out of memory";
			msrs[cpu].listed = true;
		}
	}
	return NULL;
}

/* The MSRs of every CPU from msr.replay: NULL, or what is wrong and at
 * which line. */
static const char *replay_parse(char *text, unsigned *lineno, char *why, size_t whylen)
{
	uint64_t *set = malloc(SR_MSR_MAXCPU / 8);
	bool header = false, end = false;
	const char *bad = NULL;
	char *line = text, *nl;

	if (!set)
		return "out of memory";
	for (*lineno = 1; line && !bad; line = nl ? nl + 1 : NULL, ++*lineno) {
		char *p;
		size_t l;

		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		else if (!*line)
			break;
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		l = strlen(p);
		while (l && (p[l - 1] == ' ' || p[l - 1] == '\t' || p[l - 1] == '\r'))
			p[--l] = '\0';
		if (!*p || *p == '#')
			continue;
		if (end) {
			bad = "text after the end line";
			break;
		} else if (!header) {
			unsigned long ver;
			char *e;

			if (strncmp(p, SR_REPLAY_HEADER " ", sizeof(SR_REPLAY_HEADER))) {
				bad = "no '" SR_REPLAY_HEADER " 1' header";
				break;
			}
			ver = strtoul(p + sizeof(SR_REPLAY_HEADER), &e, 10);
			if (*e || e == p + sizeof(SR_REPLAY_HEADER) || ver != SR_REPLAY_VERSION) {
				snprintf(why, whylen, "format version '%.20s' not understood (this tdxctl reads %d)",
					 p + sizeof(SR_REPLAY_HEADER), SR_REPLAY_VERSION);
				bad = why;
				break;
			}
			header = true;
		} else if (!strcmp(p, "end")) {
			end = true;
		} else if ((bad = replay_line(p, set, why, whylen))) {
			break;
		}
	}
	free(set);
	if (!bad && !header) {
		*lineno = 1;
		bad = "no '" SR_REPLAY_HEADER " 1' header";
	}
	if (!bad && !end)
		bad = "no end line: the file is cut short";
	return bad;
}

/* In a replay: msr.replay, read once, when there is one. */
static void replay_load(void)
{
	sr_tap_fn *fn = tap_fn;
	const char *bad = NULL;
	unsigned lineno = 0;
	char why[160], *text;
	const char *nul;
	ssize_t n;

	if (replay != REPLAY_UNKNOWN)
		return;
	replay = REPLAY_PERCPU;
	tap_fn = NULL;		/* diag lists the file only when there is one */
	n = read_file(SR_REPLAY_PATH, SR_REPLAY_MAX, &text);
	tap_fn = fn;
	if (n == -ENOENT)
		return;
	if (tap_fn)
		tap_fn(SR_REPLAY_PATH, SR_READ, tap_arg);
	if (n < 0) {
		replay_err = (int)-n;
		snprintf(replay_why, sizeof(replay_why), "%s: %s", SR_REPLAY_PATH,
			 n == -EFBIG ? "too large" : n == -EINVAL ? "not a regular file" :
			 n == -ELOOP || n == -EXDEV ? "a symbolic link loop, or a magic link" : strerror((int)-n));
		/* too big, not a regular file, a link loop: read_file() said so */
		if (n != -EFBIG && n != -EINVAL && n != -ELOOP && n != -EXDEV)
			warnmsg("warning: %s%s; no MSR is read", sr_root(), replay_why);
		replay = REPLAY_BAD;
		return;
	}
	if ((nul = memchr(text, '\0', (size_t)n))) {
		lineno = 1;
		for (const char *p = text; p < nul; p++)
			lineno += *p == '\n';
		bad = "a NUL byte";
	} else {
		bad = replay_parse(text, &lineno, why, sizeof(why));
	}
	free(text);
	if (bad) {
		snprintf(replay_why, sizeof(replay_why), "%s: line %u: %s", SR_REPLAY_PATH, lineno, bad);
		warnmsg("warning: %s%s; no MSR is read from it", sr_root(), replay_why);
		for (unsigned c = 0; c < SR_MSR_MAXCPU; c++) {
			free(msrs[c].e);
			msrs[c] = (struct msr_cpu){ 0 };
		}
		replay_err = EBADMSG;
		replay = REPLAY_BAD;
		return;
	}
	replay = REPLAY_COMPACT;
}

/* The open msr file of cpu (one kept open at a time), or -errno. */
static int msr_file(unsigned cpu)
{
	char path[64];
	int fd;

	if (msr_fd >= 0 && msr_fd_cpu == cpu)
		return msr_fd;
	sr_msr_done();
	snprintf(path, sizeof(path), "/dev/cpu/%u/msr", cpu);
	fd = sr_open(path, O_RDONLY);
	if (fd < 0)
		return fd;
	msr_fd = fd;
	msr_fd_cpu = cpu;
	return fd;
}

/* Read one MSR from its file now: 0 or -errno. */
static int msr_pread(unsigned cpu, uint32_t msr, uint64_t *val)
{
	uint64_t rec[2];
	ssize_t n;
	int fd = msr_file(cpu);

	if (fd < 0)
		return fd;
	if (sr_is_live()) {
		n = pread(fd, &rec[0], sizeof(rec[0]), (off_t)msr);
		if (n < 0)
			n = -errno;
		if (n < 0 || n != (ssize_t)sizeof(rec[0])) {
			dbg("cpu %u MSR 0x%x: %s", cpu, msr, n < 0 ? strerror((int)-n) : "short read");
			return n < 0 ? (int)n : -EIO;
		}
		*val = rec[0];
		return 0;
	}
	n = pread(fd, rec, sizeof(rec), (off_t)msr * (off_t)sizeof(rec));
	if (n < 0)
		return -errno;
	if (n != (ssize_t)sizeof(rec) || !(rec[1] & 1))
		return -EIO;
	*val = rec[0];
	return 0;
}

static int msr_result(unsigned cpu, uint32_t msr, const struct msr_ent *e, uint64_t *val)
{
	if (e->err) {
		dbg("cpu %u MSR 0x%x: %s", cpu, msr, e->err == EIO ? "not readable (#GP)" : strerror(e->err));
		return -e->err;
	}
	*val = e->v;
	dbg("cpu %u MSR 0x%x = 0x%016llx", cpu, msr, (unsigned long long)*val);
	return 0;
}

int sr_rdmsr(unsigned cpu, uint32_t msr, uint64_t *val)
{
	struct msr_ent *e, tmp = { .msr = msr };
	int r;

	if (cpu >= SR_MSR_MAXCPU)
		return -ENOENT;
	if (!msrs_alloc())
		return -ENOMEM;
	if (!sr_is_live()) {
		replay_load();
		if (replay == REPLAY_BAD)
			return -replay_err;
		if (replay == REPLAY_COMPACT) {
			if (!msrs[cpu].listed)
				return -ENOENT;
			e = msr_find(cpu, msr);
			if (!e) {
				tmp.err = EIO;
				e = &tmp;
			}
			return msr_result(cpu, msr, e, val);
		}
	}
	e = msr_find(cpu, msr);
	if (e)
		return msr_result(cpu, msr, e, val);
	/* the file could not be opened: not again for each MSR */
	r = msrs[cpu].open_err ? -msrs[cpu].open_err : msr_pread(cpu, msr, &tmp.v);
	if (r < 0 && !msrs[cpu].n && !msrs[cpu].open_err && (msr_fd < 0 || msr_fd_cpu != cpu))
		msrs[cpu].open_err = -r;
	tmp.err = r < 0 ? -r : 0;
	if (msr_add(cpu, msr, tmp.err, tmp.v))
		return -ENOMEM;
	return msr_result(cpu, msr, &tmp, val);
}

static int ent_cmp(const void *a, const void *b)
{
	const struct { uint32_t msr; int err; uint64_t v; unsigned cpu; } *x = a, *y = b;

	if (x->msr != y->msr)
		return x->msr < y->msr ? -1 : 1;
	if (x->err != y->err)
		return x->err < y->err ? -1 : 1;
	if (x->v != y->v)
		return x->v < y->v ? -1 : 1;
	return x->cpu < y->cpu ? -1 : x->cpu > y->cpu;
}

char *sr_msr_replay_text(size_t *lenp)
{
	struct flat { uint32_t msr; int err; uint64_t v; unsigned cpu; } *all;
	size_t n = 0, cap = 0, len = 0, tcap;
	char *text;

	*lenp = 0;
	if (!msrs)
		return NULL;
	for (unsigned c = 0; c < SR_MSR_MAXCPU; c++)
		cap += msrs[c].n;
	all = malloc((cap ? cap : 1) * sizeof(*all));
	if (!all)
		return NULL;
	for (unsigned c = 0; c < SR_MSR_MAXCPU; c++)
		for (unsigned i = 0; i < msrs[c].n; i++) {
			const struct msr_ent *e = &msrs[c].e[i];

			size_t k = 0;

			/* no file: the CPU is not named; an errno a replay
			 * cannot name is left out the same way */
			while (e->err && k < NMSR_ERRS && msr_errs[k].err != e->err)
				k++;
			if (e->err != ENOENT && k < NMSR_ERRS)
				all[n++] = (struct flat){ e->msr, e->err, e->v, c };
		}
	if (!n) {
		free(all);
		return NULL;
	}
	qsort(all, n, sizeof(*all), ent_cmp);
	/* at most per entry: its CPU ("8191,"), or a line of its own */
	tcap = 64 + n * 48;
	text = malloc(tcap);
	if (!text) {
		free(all);
		return NULL;
	}
	len = (size_t)snprintf(text, tcap, "%s %d\n", SR_REPLAY_HEADER, SR_REPLAY_VERSION);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		const char *name = NULL;

		while (j < n && all[j].msr == all[i].msr && all[j].err == all[i].err && all[j].v == all[i].v)
			j++;
		/* the CPUs: ranges of consecutive numbers */
		for (size_t k = i; k < j;) {
			size_t e = k;

			while (e + 1 < j && all[e + 1].cpu == all[e].cpu + 1)
				e++;
			len += (size_t)snprintf(text + len, tcap - len, e == k ? "%s%u" : "%s%u-%u",
						k == i ? "" : ",", all[k].cpu, all[e].cpu);
			k = e + 1;
		}
		for (size_t k = 0; all[i].err && k < NMSR_ERRS; k++)
			if (msr_errs[k].err == all[i].err)
				name = msr_errs[k].name;
		if (!all[i].err)
			len += (size_t)snprintf(text + len, tcap - len, " 0x%x 0x%016" PRIx64 "\n", all[i].msr,
						all[i].v);
		else
			len += (size_t)snprintf(text + len, tcap - len, " 0x%x %s\n", all[i].msr, name);
		i = j;
	}
	len += (size_t)snprintf(text + len, tcap - len, "end\n");
	free(all);
	*lenp = len;
	return text;
}

int sr_kconfig(const char *release, const char *sym, char *path, size_t len)
{
	char want[128], *cfg;
	int set;

	if (!release[0] || strchr(release, '/'))
		return -1;
	snprintf(path, len, "/boot/config-%s", release);
	cfg = sr_slurp_max(path, 4u << 20, NULL);
	if (!cfg)
		return -1;
	snprintf(want, sizeof(want), "%s=y", sym);
	set = !strncmp(cfg, want, strlen(want));
	snprintf(want, sizeof(want), "\n%s=y", sym);
	set = set || strstr(cfg, want);
	free(cfg);
	return set;
}
