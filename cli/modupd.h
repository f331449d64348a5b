/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * modupd.h - what module update and module versions share (cmd_module.c)
 */
#ifndef TDXCTL_MODUPD_H
#define TDXCTL_MODUPD_H

#include <stdbool.h>

#include "blob.h"
#include "check.h"
#include "cpulist.h"

/* The system as an update sees it (under --sysroot: the replay's) */
struct upd_sys {
	char release[128];
	int kmajor, kminor;
	bool faux;			/* /sys/devices/faux/tdx_host */
	char version[32], seamldr[32], remaining[32];
	int version_err, seamldr_err, remaining_err;
	bool version_ok, seamldr_ok, left_ok;
	struct tdx_ver running, loader;
	unsigned long left;
	bool fwu, fwu_class;		/* /sys/class/firmware/tdx_module, /sys/class/firmware */
	int kconfig_fwu;		/* CONFIG_FW_UPLOAD=y in /boot/config-RELEASE: 1, 0, -1 unknown */
	char kconfig_path[128];
	bool proc_config_gz;
	struct cpumasks m;
	int cpuinfo_err;
	bool have_cpu, bug_invd_vmcs;
	unsigned family, model;
	uint32_t eax;			/* CPUID.1.EAX, stepping 0 */
};
void upd_sys_read(struct upd_sys *s);
void upd_sys_free(struct upd_sys *s);
int upd_count_vms(void);

/* One pre-check, printed as tdxctl check prints its results */
#define UPD_NEV 4
struct upd_check {
	const char *id, *title;
	enum verdict v;
	char reason[400];
	const char *hint;		/* what to do when it fails */
	int code;			/* exit status when it fails */
	unsigned nev;
	struct { const char *source; const char *path; char value[160]; } ev[UPD_NEV];
};

/* What the checks are about */
struct upd_subject {
	const char *path;		/* the blob file, NULL: no blob (versions) */
	const struct blob *b;
	bool have_ver;
	struct tdx_ver ver;
	const struct release *rel;	/* its mapping entry, or NULL */
	const char *mapping_path;	/* NULL: none found */
	const char *mapping_why;	/* why there is no entry */
};

enum { UC_INTERFACE, UC_INITIALIZED, UC_CPUS, UC_REMAINING, UC_RELEASE, UC_CPU, UC_DEBUG,
       UC_LOADER, UC_NEWER, UC_TD_PRESERVING, UC_N };

/* Run every pre-check into c[UC_N]; returns the exit status they give
 * (0: all pass). */
int upd_checks(const struct upd_sys *s, const struct upd_subject *sub, struct upd_check *c);
void upd_checks_print(const struct upd_check *c, unsigned n);

#endif
