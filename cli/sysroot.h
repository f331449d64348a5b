/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sysroot.h - every sysfs, proc and dev access goes through here, under
 * the --sysroot prefix (default "/").
 */
#ifndef TDXCTL_SYSROOT_H
#define TDXCTL_SYSROOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

void sr_set(const char *root);
/* The prefix, "" when reading the live system. */
const char *sr_root(void);
int sr_is_live(void);
/* root + path into buf; returns 0 or -ENAMETOOLONG */
int sr_path(char *buf, size_t len, const char *path);
/*
 * Under a --sysroot every path resolves inside the root, whatever its
 * symbolic links say (openat2() RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
 * or a component walk that follows no link by itself where openat2() is
 * missing): a replayed tree can never show the host's own files.
 */
int sr_open(const char *path, int flags);
/* A directory below the sysroot (confined the same way; a symbolic link
 * as its last component is refused, -ELOOP); fd or -errno. */
int sr_open_dir(const char *path);
/* Tests: resolve with the component walk, as if openat2() were missing. */
void sr_force_walk(bool on);
int sr_exists(const char *path);
/*
 * Every file is read whole, and only a regular file (or, live, the
 * character devices /dev/kmsg and /dev/cpu/N/msr): a FIFO, a directory or
 * a device is refused (-EINVAL, -EISDIR), never waited on.  A file larger
 * than its bound is refused with a warning (-EFBIG), never cut short.
 */
/* A small file into buf (NUL-terminated, trailing newline removed); the
 * bound is len - 1.  Returns the length or -errno. */
ssize_t sr_read(const char *path, char *buf, size_t len);
/* A whole file into a malloc'd, NUL-terminated buffer; NULL + errno. */
#define SR_SLURP_MAX (32u << 20)
char *sr_slurp(const char *path, size_t *lenp);
char *sr_slurp_max(const char *path, size_t max, size_t *lenp);
/* SYM=y in /boot/config-RELEASE: 1, 0 when not set, -1 when there is
 * no such file to read (no release, or one naming a directory); the path
 * read goes to PATH (LEN bytes). */
int sr_kconfig(const char *release, const char *sym, char *path, size_t len);
int sr_read_u64(const char *path, uint64_t *v);
int sr_write(const char *path, const char *s);
/* Read MSR msr of CPU cpu from <root>/dev/cpu/N/msr, or in a replay from
 * <root>/dev/cpu/msr.replay when there is one (the replay layouts in
 * sysroot.c): 0, -ENOENT (no msr file / driver), -EACCES/-EPERM, -EIO
 * (MSR not readable: #GP), -EBADMSG (msr.replay malformed), or why
 * msr.replay could not be read.  Each answer is kept for the life of the
 * process (until sr_set()): an MSR is read once. */
#define SR_MSR_MAXCPU 8192u	/* CPUs 0 .. SR_MSR_MAXCPU - 1 (CPUSET_MAX) */
int sr_rdmsr(unsigned cpu, uint32_t msr, uint64_t *val);
/* The one msr file kept open (a CPU's MSRs are read one after the
 * other) closed; the answers read are kept. */
void sr_msr_done(void);
/* Why msr.replay was refused ("/dev/cpu/msr.replay: line 3: bad CPU
 * list '3-1'"), or NULL. */
const char *sr_msr_problem(void);
/* Every MSR answer read so far, as a dev/cpu/msr.replay text (malloc'd,
 * *lenp its length); NULL when there is none. */
char *sr_msr_replay_text(size_t *lenp);

/*
 * tdxctl diag: every path below the sysroot that is opened for reading
 * (SR_READ) or whose existence is asked (SR_PROBE) is reported to fn,
 * so the inputs of status and check are known from the reads themselves.
 * fn NULL: off.
 */
enum sr_how { SR_READ, SR_PROBE };
typedef void sr_tap_fn(const char *path, enum sr_how how, void *arg);
void sr_tap(sr_tap_fn *fn, void *arg);

#endif
