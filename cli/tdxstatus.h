/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tdxstatus.h - decoding of TDX module status codes (TDX_STATUS_LIST of
 * include/tdx/tdx_arch.h), the driver's errno vocabulary, and names.
 */
#ifndef TDXCTL_TDXSTATUS_H
#define TDXCTL_TDXSTATUS_H

#include <stdbool.h>
#include <stdint.h>

struct tdx_status_info {
	uint64_t code;
	const char *name;	/* "TDX_SYS_BUSY", or NULL if unknown */
	const char *desc;	/* description, or NULL */
	unsigned class;		/* bits 47:40 */
	const char *class_name;
	bool error;		/* bit 63 */
	bool non_recoverable;	/* bit 62 */
	bool fatal;		/* bit 61 */
	bool host_recoverable;	/* bit 60 */
	bool retry;		/* an error the caller may retry */
	uint32_t operand;	/* bits 31:0 */
	const char *operand_kind; /* "register", "msr", "tdmr", "detail", NULL */
	const char *operand_name; /* "RCX", ... when a register */
	const char *linux_errno;  /* what Linux maps it to */
};

void tdx_status_decode(uint64_t code, struct tdx_status_info *out);
/* Name of a code, "unknown" if not in the list. */
const char *tdx_status_name(uint64_t code);
/* Look a name up (case-insensitive, with or without TDX_ prefix). */
bool tdx_status_by_name(const char *name, uint64_t *code);

/* Names from the uapi header. */
const char *tdx_state_name(unsigned state);	/* "uninitialized", ... */
const char *tdx_backend_name(unsigned backend);	/* "emulated", ... */
const char *tdx_step_name(unsigned step);	/* "lp_init", ... */
const char *tdx_step_desc(unsigned step);	/* "TDH.SYS.LP.INIT (per-CPU init)" */

/* Driver errno vocabulary: meaning for the driver, or NULL. */
struct errno_info {
	int err;
	const char *name;
	const char *meaning;
	const char *action;
	int exit_code;
};
const struct errno_info *errno_lookup(int err);
const struct errno_info *errno_by_name(const char *name);
extern const struct errno_info errno_table[];
extern const unsigned errno_table_len;

/* features0 bit names (TDX_FEATURES0_LIST); NULL for unnamed bits */
const char *features0_name(unsigned bit);

#endif
