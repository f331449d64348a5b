/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cmds.h - pieces shared between command groups
 */
#ifndef TDXCTL_CMDS_H
#define TDXCTL_CMDS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/tdx_host.h>

#include "cpulist.h"
#include "print.h"

/* ---- the per-CPU table (cmd_cpu.c) ---- */
extern const struct pr_col cpu_cols[];
extern const size_t n_cpu_cols;
/* Parse -o for the CPU table; usage error reported, returns exit code. */
int cpu_cols_select(const char *spec, int *sel, size_t *nsel);
/* Print the CPU table from the driver's records (tab may be NULL: the
 * driver is unavailable, columns it alone knows are null). */
struct facts;
void cpu_table_print(const char *key, const struct tdx_host_cpu_info *tab, unsigned n,
		     const struct facts *f, const struct cpuset *only,
		     const int *sel, size_t nsel, unsigned backend);
/* Resolve -c / a LIST argument; NULL list: default (NULL = all). */
int parse_cpu_arg(const char *list, const struct cpumasks *m, struct cpuset **out);

/* ---- hotplug-aware per-CPU enable (cpuiter.c) ---- */
enum cpu_result {
	CPU_ENABLED,		/* this run enabled it */
	CPU_ALREADY,		/* it was enabled before */
	CPU_FAILED,		/* the TDX module refused (tdx_status) */
	CPU_WENT_OFFLINE,	/* online in the snapshot, offline at its turn */
	CPU_SKIPPED_OFFLINE,	/* offline in the snapshot and not onlined */
	CPU_ERROR,		/* another error (errno) */
};
const char *cpu_result_name(enum cpu_result r);
/* One record of the "cpus" array (a line of text). */
struct cpu_outcome;
void cpu_outcome_print(const struct cpu_outcome *o);

struct cpu_outcome {
	unsigned cpu;
	enum cpu_result result;
	int err;		/* errno, 0 */
	unsigned step;		/* enum tdx_host_step of a failure */
	unsigned long long tdx_status;
	bool detail;		/* step and tdx_status are known (TDX_HOST_RESULT_DETAIL) */
	unsigned backend;	/* enum tdx_host_backend, to name it when they are not */
};

struct cpu_run {
	struct cpu_outcome *out;
	unsigned n;
	unsigned count[CPU_ERROR + 1];
	struct cpuset *onlined;		/* CPUs we brought online (--online-cpus) */
	struct cpuset *online_before;
	struct cpuset *online_after;
	int fatal_err;			/* stopped early: ENODEV, EPERM, ... */
	unsigned vague;			/* failures without step and TDX status */
};

/* Enable the CPUs in want (in CPU order), printing one record each in
 * the "cpus" array.  online_cpus: bring offline ones online first. */
void cpu_run(int fd, const struct cpumasks *m, const struct cpuset *want, bool online_cpus,
	     unsigned backend, struct cpu_run *run);
void cpu_run_free(struct cpu_run *run);
/* Print the run's "summary" object; returns the exit code of the run. */
int cpu_run_summary(const struct cpu_run *run);

/* ---- shared status printing (cmd_status.c) ---- */
/* Text of a fact whose "known" bit is clear (TDX_HOST_STATUS_*,
 * TDX_HOST_CPU_TDX_STATUS, TDX_HOST_RESULT_DETAIL): "unknown (the kernel
 * backend does not report it)"; JSON gives null.  Static storage. */
const char *not_reported(unsigned backend);
/* Print the "error" object of a STATUS reply (as in tdxctl status); f,
 * when not NULL, gives the kernel log's cause where the backend does not
 * report the step. */
struct facts;
void print_module_error(const struct tdx_host_status *s, const struct facts *f);
/* The kernel log's cause of a failed TDX module initialization in words
 * ("kernel log: TDH.SYS.CONFIG failed: NAME 0x..."), in buf; NULL if the
 * log has none. */
struct klog;
const char *kernel_log_cause(const struct klog *k, char *buf, size_t len);
/* Enable timing: "1.259 s"; the module steps' sum (0: not reported or
 * unknown); the "step_ns" object, and a text line under label (NULL:
 * none).  Without TDX_HOST_STATUS_STEP_TIMES every step is null, or with
 * null_unknown "step_ns" itself. */
const char *fmt_ns(uint64_t ns, char *buf, size_t len);
uint64_t module_enable_ns(const struct tdx_host_status *s);
void print_step_ns(const struct tdx_host_status *s, const char *label, bool null_unknown);

#endif
