/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * check.h - the registry of prerequisite checks (stable dotted IDs)
 */
#ifndef TDXCTL_CHECK_H
#define TDXCTL_CHECK_H

struct check_def {
	const char *id;
	const char *title;
	const char *category;		/* environment, cpu, bios, kernel, kvm, driver, module */
	const char *requirement;	/* required, recommended, info */
	const char *about;		/* what it looks at and why */
	const char *fix;		/* what to do when it fails */
};

extern const struct check_def check_defs[];
extern const unsigned n_check_defs;
const struct check_def *check_def_find(const char *id);

#endif
