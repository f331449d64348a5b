/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * status_export.h - tdxctl status --format prometheus|nfd
 *
 * The values are those tdxctl status prints: cmd_status.c records each
 * one as it prints it (the same struct pv), so an export cannot decide
 * anything status did not.  A value status gives as null is not known
 * here either, and is left out of the export, never written as 0.
 */
#ifndef TDXCTL_STATUS_EXPORT_H
#define TDXCTL_STATUS_EXPORT_H

#include <stdbool.h>
#include <stdint.h>

enum status_format { SF_TEXT, SF_JSON, SF_PROMETHEUS, SF_NFD };

/* "text", "json", "prometheus", "nfd"; -1 for another word */
int status_format_parse(const char *s);

struct sv_num {
	bool known;
	uint64_t v;
};

struct status_values {
	/* driver */
	bool driver_loaded;
	char backend[16];		/* "" when null */
	struct sv_num abi_version;
	char driver_version[64];
	/* kernel */
	char regime[32];
	/* module */
	char state[32];
	char source[16];
	char version[64];
	char seamldr_version[64];
	struct sv_num remaining_updates, build_date, build_num;
	bool failed;			/* "error" is an object, not null */
	char err_step[48], err_errno[32];
	char err_tdx_status[24];
	struct sv_num enable_ns, max_tdmrs, tdmrs, pamt_kb, global_keyid, guest_first, guest_count;
	/* cpus */
	struct sv_num possible, present, online, enabled, module_lp_count, module_packages;
};

/* Record a value as status prints it, and return it unchanged. */
struct pv;
struct pv sv_u(struct sv_num *slot, struct pv v);
struct pv sv_s(char *slot, size_t len, struct pv v);
#define SV_S(slot, v) sv_s((slot), sizeof(slot), (v))

/*
 * Write the export of fmt (SF_PROMETHEUS or SF_NFD) to path: NULL or "-"
 * is stdout; a file is written atomically (a temporary file in its
 * directory, mode 0644, fsync, rename).  exit_code: status's own exit
 * code, exported as a metric.  Returns 0 or an exit code, the error
 * reported.
 */
int status_export(enum status_format fmt, const struct status_values *v, int exit_code,
		  const char *path);

#endif
