// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_cpu.c - tdxctl cpu list [LIST], tdxctl cpu enable LIST
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "kvm.h"
#include "dev.h"
#include "facts.h"
#include "hints.h"
#include "sysroot.h"
#include "tdxstatus.h"
#include "tdxctl.h"

const struct pr_col cpu_cols[] = {
	{ "cpu", "CPU", COL_DEFAULT | COL_RIGHT, "CPU number" },
	{ "online", "ONLINE", COL_DEFAULT, "the CPU is online" },
	{ "enabled", "ENABLED", COL_DEFAULT, "TDH.SYS.LP.INIT succeeded on the CPU (TDX-enabled)" },
	{ "package", "PACKAGE", COL_DEFAULT | COL_RIGHT, "physical package (socket)" },
	{ "tdx_status", "TDX-STATUS", COL_DEFAULT,
	  "TDX status of the CPU's last TDH.SYS.LP.INIT (null: never attempted, or unknown: the backend does not report it)" },
	{ "status_name", "STATUS-NAME", 0, "name of the TDX status" },
	{ "failed", "FAILED", 0, "the last attempt to enable the CPU failed" },
	{ "errno", "ERRNO", 0,
	  "errno of that failure (EIO: the TDX module refused it; EACCES: the CPU was not in VMX operation; "
	  "null: no failure, or the driver does not say)" },
	{ "present", "PRESENT", 0, "the CPU is present" },
	{ "core", "CORE", COL_RIGHT, "core id within the package (online CPUs)" },
	{ "enabled_ns", "ENABLED-AT", COL_RIGHT, "CLOCK_BOOTTIME of the enable, nanoseconds" },
};
const size_t n_cpu_cols = sizeof(cpu_cols) / sizeof(cpu_cols[0]);

int cpu_cols_select(const char *spec, int *sel, size_t *nsel)
{
	char err[256];

	if (spec && !strcmp(spec, "help")) {
		g.list_columns = 1;
		return 0;
	}
	if (pr_cols_select(cpu_cols, n_cpu_cols, spec, sel, nsel, err, sizeof(err))) {
		pr_error(EXIT_USAGE, NULL, "tdxctl cpu list --list-columns lists the columns", "%s", err);
		return EXIT_USAGE;
	}
	return 0;
}

int parse_cpu_arg(const char *list, const struct cpumasks *m, struct cpuset **out)
{
	char err[256];

	*out = NULL;
	if (!list)
		return 0;
	if (cpulist_parse(list, m, out, err, sizeof(err))) {
		pr_error(EXIT_USAGE, NULL, "CPU lists look like 0-3,8,10-15:2 or all, online, offline",
			 "%s", err);
		return EXIT_USAGE;
	}
	if (cpuset_empty(*out)) {
		pr_error(EXIT_USAGE, NULL, "tdxctl cpu list shows the CPUs there are",
			 "CPU list '%s' selects no CPU", list);
		cpuset_free(*out);
		*out = NULL;
		return EXIT_USAGE;
	}
	return 0;
}

static bool cpu_col_shown(const char *key, const int *sel, size_t nsel)
{
	for (size_t i = 0; i < nsel; i++)
		if (!strcmp(cpu_cols[sel[i]].key, key))
			return true;
	return false;
}

static struct pv topo(long long v)
{
	return v < 0 ? pv_null(NULL) : pv_u((uint64_t)v);
}

void cpu_table_print(const char *key, const struct tdx_host_cpu_info *tab, unsigned n,
		     const struct facts *f, const struct cpuset *only,
		     const int *sel, size_t nsel, unsigned backend)
{
	struct pr_table *t = pr_table_begin(key, cpu_cols, n_cpu_cols, sel, nsel);
	const struct cpumasks *m = &f->m;
	bool unknown_shown = false;
	/* a topology file is read only for a column that shows it */
	bool core = cpu_col_shown("core", sel, nsel), package = cpu_col_shown("package", sel, nsel);

	if (tab) {
		for (unsigned i = 0; i < n; i++) {
			const struct tdx_host_cpu_info *c = &tab[i];
			bool enabled = c->flags & TDX_HOST_CPU_ENABLED;
			bool failed = c->flags & TDX_HOST_CPU_FAILED;
			bool known = c->flags & TDX_HOST_CPU_TDX_STATUS;
			bool tried = enabled || failed || (known && c->tdx_status);

			if (only && !cpuset_test(only, c->cpu))
				continue;
			/* tried, but the backend does not report the status */
			unknown_shown |= tried && !known;
			pr_row_begin(t);
			pr_cell(t, "cpu", pv_u(c->cpu));
			pr_cell(t, "online", pv_bool(c->flags & TDX_HOST_CPU_ONLINE));
			pr_cell(t, "enabled", pv_color(pv_bool(enabled), enabled ? C_GOOD : C_WARN));
			pr_cell(t, "package", c->package == 0xffffffffu ? pv_null(NULL) : pv_u(c->package));
			pr_cell(t, "tdx_status", !tried ? pv_null(NULL) : !known ? pv_null("unknown") :
				 pv_color(pv_hex(c->tdx_status), failed ? C_BAD : C_NONE));
			pr_cell(t, "status_name", !tried ? pv_null(NULL) : !known ? pv_null("unknown") :
				 pv_str(tdx_status_name(c->tdx_status)));
			pr_cell(t, "failed", pv_bool(failed));
			pr_cell(t, "errno", failed && (c->flags & TDX_HOST_CPU_ERRNO) && c->err_errno > 0 ?
				 pv_str(errno_name(c->err_errno)) : pv_null(NULL));
			pr_cell(t, "present", pv_bool(c->flags & TDX_HOST_CPU_PRESENT));
			pr_cell(t, "core", core && (c->flags & TDX_HOST_CPU_ONLINE) ?
				 topo(facts_cpu_core(f, c->cpu)) : pv_null(NULL));
			pr_cell(t, "enabled_ns", c->enabled_ns ? pv_u(c->enabled_ns) : pv_null(NULL));
			pr_row_end(t);
		}
	} else {
		cpuset_for_each(cpu, m->possible) {
			unsigned c = (unsigned)cpu;
			bool online = cpuset_test(m->online, c);

			if (only && !cpuset_test(only, c))
				continue;
			pr_row_begin(t);
			pr_cell(t, "cpu", pv_u(c));
			pr_cell(t, "online", pv_bool(online));
			pr_cell(t, "enabled", pv_null(NULL));
			pr_cell(t, "package", package && online ? topo(facts_cpu_package(f, c)) : pv_null(NULL));
			pr_cell(t, "tdx_status", pv_null(NULL));
			pr_cell(t, "status_name", pv_null(NULL));
			pr_cell(t, "failed", pv_null(NULL));
			pr_cell(t, "errno", pv_null(NULL));
			pr_cell(t, "present", pv_bool(cpuset_test(m->present, c)));
			pr_cell(t, "core", core && online ? topo(facts_cpu_core(f, c)) : pv_null(NULL));
			pr_cell(t, "enabled_ns", pv_null(NULL));
			pr_row_end(t);
		}
	}
	pr_table_end(t);
	/* Text with headings only: -n and -r stay one line per CPU. */
	if (unknown_shown && !g.noheadings && !g.raw && (cpu_col_shown("tdx_status", sel, nsel) ||
							 cpu_col_shown("status_name", sel, nsel)))
		pr_text("TDX status %s\n", not_reported(backend));
}

/* ---- cpu list ---- */

struct cpu_list_opts {
	const char *list;
	const char *cols;
};

static const struct argp_option cpu_list_options[] = {
	{ "output", 'o', "COLS", 0,
	  "Columns to show, comma-separated; +COLS adds to the defaults; 'help' lists them", 0 },
	{ 0 }
};

static error_t cpu_list_parse(int key, char *arg, struct argp_state *state)
{
	struct cpu_list_opts *o = state->input;

	switch (key) {
	case 'o':
		o->cols = arg;
		return 0;
	case ARGP_KEY_ARG:
		if (o->list)
			argp_error(state, "one CPU list only; join lists with commas");
		o->list = arg;
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static const struct argp cpu_list_argp = {
	cpu_list_options, cpu_list_parse, "[LIST]",
	"Show the TDX state of each CPU as a table (default: every possible CPU).\v"
	"--list-columns lists the columns; their names are the keys of the JSON rows.",
	table_children, NULL, NULL
};

int cmd_cpu_list(int argc, char **argv)
{
	struct cpu_list_opts o = { 0 };
	struct tdx_host_cpu_info *tab = NULL;
	struct cpuset *only = NULL;
	struct facts f;	/* the masks, and the regime for the hint */
	unsigned n = 0;
	int sel[32];
	size_t nsel;
	struct drv d;
	int rc = cmd_parse(&cpu_list_argp, argc, argv, &o);

	if (rc)
		return rc;
	if (o.list && g.cpu_arg) {
		pr_error(EXIT_USAGE, NULL, NULL, "give the CPU list either as argument or with -c, not both");
		return EXIT_USAGE;
	}
	rc = cpu_cols_select(o.cols, sel, &nsel);
	if (rc)
		return rc;
	if (g.list_columns) {
		pr_cols_list(cpu_cols, n_cpu_cols);
		return EXIT_OK;
	}
	facts_gather(&f, 0);
	rc = parse_cpu_arg(o.list ? o.list : g.cpu_arg, &f.m, &only);
	if (rc)
		goto out;

	drv_probe(&d, false);
	if (!d.err) {
		int e = dev_cpu_table(d.fd, &tab, &n);

		if (e) {
			free(tab);
			tab = NULL;
			rc = dev_table_fail(e);
		}
	}
	cpu_table_print("cpu_table", tab, n, &f, only, sel, nsel, d.have_version ? d.ver.backend : 0);
	if (d.err)
		rc = hint_driver_error(&d, &f);
	drv_close(&d);
	free(tab);
out:
	cpuset_free(only);
	facts_free(&f);
	return rc;
}

/* ---- cpu enable ---- */

struct cpu_enable_opts {
	const char *list;
	int online_cpus;
};

enum { OPT_ONLINE_CPUS = 0x200 };

static const struct argp_option cpu_enable_options[] = {
	{ "online-cpus", OPT_ONLINE_CPUS, NULL, 0,
	  "Bring listed offline CPUs online first (otherwise they are skipped)", 0 },
	{ 0 }
};

static error_t cpu_enable_parse(int key, char *arg, struct argp_state *state)
{
	struct cpu_enable_opts *o = state->input;

	switch (key) {
	case OPT_ONLINE_CPUS:
		o->online_cpus = 1;
		return 0;
	case ARGP_KEY_ARG:
		if (o->list)
			argp_error(state, "one CPU list only; join lists with commas");
		o->list = arg;
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static const struct argp cpu_enable_argp = {
	cpu_enable_options, cpu_enable_parse, "LIST",
	"Enable TDX (TDH.SYS.LP.INIT) on the listed CPUs, one result line per CPU.\v"
	"An enabled CPU counts as success (already-enabled).  A CPU that goes offline before "
	"its turn is reported as went-offline, an offline one as skipped-offline.  Exit status "
	"3 when only some CPUs were enabled.",
	global_children, NULL, NULL
};

int cmd_cpu_enable(int argc, char **argv)
{
	struct cpu_enable_opts o = { 0 };
	struct cpuset *want = NULL;
	struct facts f;	/* the masks, and the regime for the hint */
	struct cpumasks *m = &f.m;
	struct cpu_run run;
	struct drv d;
	int rc = cmd_parse(&cpu_enable_argp, argc, argv, &o);

	if (rc)
		return rc;
	finish_work_regardless_of_output();
	if (o.list && g.cpu_arg) {
		pr_error(EXIT_USAGE, NULL, NULL, "give the CPU list either as argument or with -c, not both");
		return EXIT_USAGE;
	}
	if (!o.list && !g.cpu_arg) {
		pr_error(EXIT_USAGE, NULL, "e.g. tdxctl cpu enable 0-3, or tdxctl enable for every CPU",
			 "which CPUs? give a CPU list");
		return EXIT_USAGE;
	}
	facts_gather(&f, 0);
	rc = parse_cpu_arg(o.list ? o.list : g.cpu_arg, m, &want);
	if (rc)
		goto out;
	cpuset_and(want, m->possible);

	drv_probe(&d, true);
	if (d.err) {
		rc = hint_driver_error(&d, &f);
		drv_close(&d);
		goto out;
	}
	kvm_hold_for(d.ver.backend);
	cpu_run(d.fd, m, want, o.online_cpus, d.ver.backend, &run);
	rc = cpu_run_summary(&run);
	if (rc == EXIT_PARTIAL)
		pr_error(rc, NULL, run.vague ? "tdxctl cpu list shows each CPU's state; the kernel log may say why" :
			 "tdxctl cpu list shows each CPU's state; tdxctl explain CODE decodes a status",
			 "only some CPUs were enabled");
	else if (kvm_vmx_refusal(run.fatal_err, d.ver.backend))
		rc = kvm_vmx_error("stopped");
	else if (rc && run.fatal_err)
		pr_error(rc, errno_name(run.fatal_err), NULL, "stopped: %s",
			 strerror(run.fatal_err));
	else if (rc == EXIT_BUSY)
		pr_error(rc, NULL, "bring the CPUs online or pass --online-cpus", "no listed CPU is online");
	else if (rc)
		pr_error(rc, NULL, run.vague ? "the kernel log may say why" : "tdxctl explain CODE decodes a TDX status",
			 "no CPU could be enabled");
	cpu_run_free(&run);
	drv_close(&d);
out:
	cpuset_free(want);
	facts_free(&f);
	return rc;
}
