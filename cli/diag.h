/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * diag.h - the parts of tdxctl diag: cmd_diag.c (the command: runs
 * version, status and check, writes the manifest), diag_collect.c (each
 * source read), diag_archive.c (entries of the archive, redaction
 * applied), redact.c (what is redacted), diag_output.c (the bundle's
 * file), diag_verify.c (--verify).
 */
#ifndef TDXCTL_DIAG_H
#define TDXCTL_DIAG_H

#include <json-c/json.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "redact.h"
#include "sysroot.h"

/* Check a bundle: its entries, and its files against its manifest;
 * prints the result, returns the exit code. */
int diag_verify(const char *file);

/*
 * The bundle's file (diag_output.c): written to a temporary file in the
 * destination's directory, named only when whole.  out_open() reports
 * its error and returns -exit code; out_commit() returns 0 or an errno
 * (the temporary file is gone either way); out_abort() removes it.
 */
struct diag_out {
	int fd;
	bool default_name;
	char name[PATH_MAX];	/* "-": standard output; the final name once committed */
};
int out_open(struct diag_out *o, const char *arg, time_t now);
int out_commit(struct diag_out *o);
void out_abort(struct diag_out *o);

/* ---- inside diag: the bundle being written ---- */

struct archive;
struct klog_source;

struct bundle {
	struct archive *a;
	char top[64];
	time_t now;
	bool redact;
	struct redactor red;	/* what is redacted, and how (redact.c) */
	json_object *files, *missing, *absent, *redacted;
	json_object *kernel_log;	/* where the kernel log came from */
	unsigned long long bytes;
	int write_err;		/* libarchive failed: the bundle is broken */
	char write_msg[256];
};


/* The paths the commands read or probed (sr_tap()), in order. */
struct seen {
	char **v;
	size_t n, cap;
};

void tap(const char *path, enum sr_how how, void *arg);
int cmp_str(const void *a, const void *b);
void seen_free(struct seen *s);

/* DMI values redacted whole; DMI identity kept (diag_collect.c) */
extern const char *const dmi_secret[6];
#define NSECRET (sizeof(dmi_secret) / sizeof(dmi_secret[0]))
extern const char *const dmi_more[13];

/* diag_archive.c: entries of the bundle and what the manifest says of them */
void arc_fail(struct bundle *b, const char *what);
void put_dir(struct bundle *b, const char *rel);
/* A file of the bundle; listed in the manifest unless b->files is NULL. */
void put_file(struct bundle *b, const char *rel, const void *data, size_t len);
const char *why(int err);
void note_missing(struct bundle *b, const char *path, int err, const char *reason);
void note_redacted(struct bundle *b, const char *path, const char *what, size_t count);
void redact(struct bundle *b, const char *path, char **buf, size_t *len);

/* diag_collect.c: each source read and put in the bundle */
void collect(struct bundle *b, const char *path);
void note_klog(struct bundle *b, const struct klog_source *s, size_t kept);
void read_identity(struct bundle *b);
void add_extras(struct seen *s, const struct bundle *b);
json_object *collect_config(struct bundle *b, const char *krel);

#endif
