/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * check.h - the table of prerequisite checks (stable dotted IDs)
 */
#ifndef TDXCTL_CHECK_H
#define TDXCTL_CHECK_H

/* Verdicts; V_NONE: the check gave none (a bug, reported as unknown). */
enum verdict { V_NONE, V_PASS, V_FAIL, V_WARN, V_UNKNOWN, V_SKIP, V_NA, V_NR };
const char *verdict_name(enum verdict v);	/* "pass", ... (JSON) */
const char *verdict_label(enum verdict v);	/* "PASS", ... "N/A" (text) */

enum requirement { REQ_REQUIRED, REQ_RECOMMENDED, REQ_INFO };
const char *requirement_name(enum requirement r);

/* needs: what the runner checks before calling the check */
#define N_BARE		1u	/* hardware: n/a in a virtual machine or a TD */
#define N_TDXCPU	2u	/* n/a on a CPU that cannot run TDX */
#define N_MSR		4u	/* reads MSRs: unknown when none can be read */

struct result;
struct ctx;

struct check_def {
	const char *id;
	const char *title;
	const char *category;		/* environment, cpu, bios, kernel, kvm, driver, module */
	enum requirement req;		/* required checks decide the exit status */
	unsigned needs;			/* N_* */
	const char *expected;		/* the value wanted, NULL: none to state */
	void (*fn)(struct result *r, struct ctx *c);
	const char *about;		/* what it looks at and why */
	const char *fix;		/* what to do when it fails: BIOS setting, kernel parameter, package */
	const char *desc;		/* one sentence: what it tells (JSON description) */
};

extern const struct check_def check_defs[];
extern const unsigned n_check_defs;
const struct check_def *check_def_find(const char *id);
/* module update's pre-checks (cmd_module.c): explain describes them */
extern const struct check_def upd_check_defs[];
const struct check_def *upd_check_def_find(const char *id);

#endif
