// SPDX-License-Identifier: GPL-2.0-only
/*
 * log.c - the options every part of tdxctl reads (struct globals), exit
 * code and errno names, and the two messages to stderr: debug lines
 * (-vv) and warnings.  The library layer (sysroot, facts, printing, ...)
 * needs these and nothing of main.c's argp plumbing.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "print.h"
#include "tdxctl.h"

struct globals g = {
	.json_pretty = -1,
	.color = -1,
};

static const char *const exit_names[] = {
	[EXIT_OK] = "ok",
	[EXIT_FAILED] = "failed",
	[EXIT_USAGE] = "usage",
	[EXIT_PARTIAL] = "partial",
	[EXIT_NOTSUP] = "not-supported",
	[EXIT_PERM] = "permission",
	[EXIT_BUSY] = "busy",
	[EXIT_TIMEOUT] = "timeout",
	[EXIT_UNKNOWN] = "unknown",
};

const char *exit_name(int code)
{
	if (code >= 0 && code < (int)(sizeof(exit_names) / sizeof(exit_names[0])))
		return exit_names[code];
	return "failed";
}

const char *errno_name(int err)
{
	if (err < 0)
		err = -err;
	const char *n = strerrorname_np(err);

	return n ? n : "EUNKNOWN";
}

void dbg(const char *fmt, ...)
{
	va_list ap;

	if (g.verbose < 2)
		return;
	fputs("tdxctl: debug: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void warnmsg(const char *fmt, ...)
{
	va_list ap;

	pr_flush();
	fputs("tdxctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * A command that changes the system (enable, cpu enable, module enable)
 * finishes its work whatever becomes of its output: a reader that went
 * away (tdxctl enable | head -1) gives EPIPE on a write, never SIGPIPE
 * half-way, and close_stdout() at exit does not count it as an error.
 */
void finish_work_regardless_of_output(void)
{
	signal(SIGPIPE, SIG_IGN);
}
