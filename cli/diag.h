/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * diag.h - the parts of tdxctl diag (cmd_diag.c: collecting and writing
 * the bundle; diag_verify.c: --verify).
 */
#ifndef TDXCTL_DIAG_H
#define TDXCTL_DIAG_H

#include <limits.h>
#include <stdbool.h>
#include <time.h>

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

#endif
