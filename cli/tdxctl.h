/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tdxctl.h - shared declarations of the tdxctl command-line tool
 */
#ifndef TDXCTL_H
#define TDXCTL_H

#include <argp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit codes: the one table of the tool (--help epilogue, man page). */
enum tdxctl_exit {
	EXIT_OK = 0,		/* success */
	EXIT_FAILED = 1,	/* the operation failed / a required check failed */
	EXIT_USAGE = 2,		/* bad option, argument or CPU list */
	EXIT_PARTIAL = 3,	/* some CPUs succeeded, some failed */
	EXIT_NOTSUP = 4,	/* not supported or not applicable */
	EXIT_PERM = 5,		/* permission denied */
	EXIT_BUSY = 6,		/* busy or state conflict (sticky error) */
	EXIT_TIMEOUT = 7,	/* timeout */
	EXIT_UNKNOWN = 8,	/* check: a required check could not be run */
};

const char *exit_name(int code);

/* Global options, shared by every command. */
struct globals {
	int json;		/* 0 text, 1 JSON */
	int json_pretty;	/* -1 auto, 0 compact, 1 pretty */
	int color;		/* -1 auto, 0 never, 1 always */
	int quiet;
	int verbose;
	const char *device;	/* NULL: <sysroot>/dev/tdx_host */
	const char *sysroot;	/* NULL or "" : / */
	const char *cpu_arg;	/* -c LIST, parsed by the command */
	int show_version;	/* -V */
	unsigned given;		/* G_* bits: global options given */
	int noheadings;		/* -n: tables without a header */
	int raw;		/* -r: raw tables */
	int list_columns;	/* --list-columns, -o help */
};

#define G_CPU		1u
#define G_SYSROOT	2u
#define G_DEVICE	4u
/* cmd_parse(): -V was given after the command; the command returns this */
#define CMD_SHOW_VERSION (-1)

extern struct globals g;

#define DEFAULT_DEVICE "/dev/tdx_host"
#define SCHEMA_VERSION 2

/* argp helpers (main.c) */
extern const struct argp_child global_children[2];
/* global options and -n, -r, --list-columns: commands that print tables */
extern const struct argp_child table_children[3];
int cmd_parse(const struct argp *argp, int argc, char **argv, void *input);

/* Command handlers: argv[0] is "tdxctl CMD"; return an exit code. */
int cmd_version(int argc, char **argv);
/* -V: the tool's versions only; the device is not opened. */
int cmd_version_tool(void);
int cmd_status(int argc, char **argv);
int cmd_enable(int argc, char **argv);
int cmd_module_enable(int argc, char **argv);
int cmd_module_update(int argc, char **argv);
int cmd_module_versions(int argc, char **argv);
int cmd_cpu_list(int argc, char **argv);
int cmd_cpu_enable(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_diag(int argc, char **argv);
int cmd_monitor(int argc, char **argv);

/* Ignore SIGPIPE: a command that changes the system does all its work
 * even when its reader went away (EPIPE is noticed at exit). */
void finish_work_regardless_of_output(void);

/* Reporting helpers */
void dbg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warnmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Exit code for an errno from the driver or a file (tdxstatus.c: the
 * driver's errno vocabulary is the one mapping). */
int exit_for_errno(int err);
const char *errno_name(int err);

#endif
