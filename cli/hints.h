/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hints.h - what to do about TDX on this host, in one table.
 *
 * The kernel's regime decides, with the few other facts that matter:
 * whether the tdxctl driver answered, the TDX module state, a virtual
 * machine, kvm_intel loaded, kvm.enable_virt_at_load.  status ("to enable
 * TDX", its errors), enable and module enable without the driver (the
 * outcome, the exit status, the hint), cpu list and cpu enable without
 * the driver, and check all read this table, so they never disagree.
 */
#ifndef TDXCTL_HINTS_H
#define TDXCTL_HINTS_H

#include <stddef.h>

#include "dev.h"
#include "facts.h"

/* The blank at the end of an action, filled from the facts. */
enum hint_tail {
	TAIL_NONE,
	TAIL_WHY,	/* ": " and what decided the regime (kernel.why) */
	TAIL_REFUSAL,	/* " (" the kernel's boot-time refusal ")", if any */
};

struct hint {
	/* enable and module enable without the driver */
	const char *result;	/* JSON word of the outcome ("initialized-at-boot") */
	const char *outcome;	/* the outcome in words */
	int rc;			/* their exit status */
	/* everyone */
	const char *action;	/* what to do: "nothing: initialized at boot" */
	enum hint_tail tail;
	const char *fix;	/* the hint of an error, NULL: the action */
};

/* The row of the table for these facts (never NULL). */
const struct hint *hint_find(const struct facts *f);
/* The action with its blank filled, into buf; returns buf. */
const char *hint_action(const struct facts *f, char *buf, size_t len);
/* The hint of an error: the row's fix, else its action (f->kernel.enable). */
const char *hint_fix(const struct facts *f);
/* The kernel's TDX failure lines and what to change: NEEDLE i (a
 * substring of the line), its FIX; a refusal at boot takes its fix here
 * too (hint_fix). */
size_t hint_log_count(void);
const char *hint_log_needle(size_t i);
const char *hint_log_fix(size_t i);
/*
 * A command that needs the driver found none (d->err): the error, with
 * the regime's hint when the driver is simply not loaded (on a kernel
 * that initialized TDX at boot "modprobe tdxctl" would be wrong advice).
 * Returns the exit code.
 */
int hint_driver_error(const struct drv *d, const struct facts *f);

#endif
