// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_enable.c - tdxctl enable, tdxctl module enable
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmds.h"
#include "kmsg.h"
#include "kvm.h"
#include "pamt.h"
#include "sysroot.h"
#include "dev.h"
#include "facts.h"
#include "hints.h"
#include "tdxstatus.h"
#include "tdxctl.h"

static const char *module_version(const struct tdx_host_status *s, char *buf, size_t len)
{
	if (!(s->valid & TDX_HOST_STATUS_MODULE_INFO))
		return NULL;
	snprintf(buf, len, "%u.%u.%02u", s->version_major, s->version_minor, s->version_update);
	return buf;
}

/* CPUs the driver lists as not enabled: online ones, and offline ones.
 * Returns 0 or the -errno of the CPU table (its records are checked). */
static int missing_cpus(int fd, struct cpuset **online_ne, struct cpuset **offline_ne)
{
	struct tdx_host_cpu_info *tab;
	unsigned n, max = 1;
	int e;

	*online_ne = *offline_ne = NULL;
	if ((e = dev_cpu_table(fd, &tab, &n)))
		return e;
	for (unsigned i = 0; i < n; i++)
		if (tab[i].cpu + 1 > max)
			max = tab[i].cpu + 1;
	*online_ne = cpuset_new(max);
	*offline_ne = cpuset_new(max);
	for (unsigned i = 0; i < n; i++) {
		unsigned f = tab[i].flags;

		if (f & TDX_HOST_CPU_ENABLED || !(f & TDX_HOST_CPU_PRESENT))
			continue;
		cpuset_set((f & TDX_HOST_CPU_ONLINE) ? *online_ne : *offline_ne, tab[i].cpu);
	}
	free(tab);
	return 0;
}

/* What keeps the TDX module from initializing, in words: the online CPUs
 * not TDX-enabled, else the offline ones never enabled.  false: none. */
static bool missing_text(const struct cpuset *one, const struct cpuset *off, char *msg, size_t len)
{
	const struct cpuset *s = one && !cpuset_empty(one) ? one : off && !cpuset_empty(off) ? off : NULL;
	char *name;

	if (!s)
		return false;
	name = cpuset_name(s);
	if (s == one)
		snprintf(msg, len, "%s %s online but not TDX-enabled", name, cpuset_is(s));
	else
		snprintf(msg, len, "%s %s offline, never TDX-enabled; the TDX module needs every CPU it counted at boot",
			 name, cpuset_is(s));
	free(name);
	return true;
}

/*
 * Print the "module" object of an enable: result, state, failure.
 * before: the status read before the call.  Returns the exit code.
 */
/*
 * Before the TDX module's initialization allocates its PAMT (physically
 * contiguous, one range per TDMR): when the memory free in the largest
 * blocks is short of it, compact memory first, and say what is left.
 * Nothing is refused on the estimate: it cannot see what migrating
 * pages would free.
 */
static void pamt_prepare(const struct tdx_host_status *st)
{
	struct mem_added m;
	struct pamt_est e;
	struct klog k;
	int ret;

	if (st->state != TDX_HOST_STATE_UNINITIALIZED || st->step_ns[TDX_HOST_STEP_TDMR_INIT])
		return;
	/* memory the CMRs cannot cover: said, not refused (the CMRs are not known here) */
	klog_read(&k);
	if (!mem_added_scan(&k, &m) && m.ranges && !g.quiet)
		fprintf(stderr, "tdxctl: warning: %llu MiB of System RAM %s ([0x%llx-0x%llx]%s): outside the BIOS's CMRs, "
			"TDH.SYS.CONFIG will fail on it (tdxctl check --only memory.cmr)\n",
			(unsigned long long)(m.added_kb / 1024),
			m.kmem ? "is device memory or was added after boot" : "was added after boot",
			(unsigned long long)m.first_start, (unsigned long long)m.first_end,
			m.ranges > 1 ? ", and more" : "");
	klog_free(&k);

	if (pamt_estimate(&e) || !pamt_short(&e))
		return;
	ret = pamt_compact();
	if (!ret && !pamt_estimate(&e) && !pamt_short(&e)) {
		if (g.verbose)
			fprintf(stderr, "tdxctl: compacted memory for the PAMT: %s\n", pamt_text(&e));
		return;
	}
	if (g.quiet)
		return;
	if (ret == -ENOENT)
		fprintf(stderr, "tdxctl: warning: %s; this kernel cannot compact memory (no "
			"/proc/sys/vm/compact_memory: built without CONFIG_COMPACTION)\n", pamt_text(&e));
	else if (ret)
		fprintf(stderr, "tdxctl: warning: %s; compacting memory failed (%s)\n", pamt_text(&e),
			strerror(-ret));
	else
		fprintf(stderr, "tdxctl: warning: %s, after compacting memory: the allocation may fail (ENOMEM)%s\n",
			pamt_text(&e), st->backend == TDX_HOST_BACKEND_KERNEL ? ", and the kernel keeps that failure until reboot" : "");
}

/* The driver's own step times of the module enable just made. */
static void print_enable_steps(const struct tdx_host_status *after)
{
	char steps[512] = "", t[32];
	size_t o = 0;
	bool times = after->valid & TDX_HOST_STATUS_STEP_TIMES;

	for (unsigned i = TDX_HOST_STEP_PREFLIGHT; i < TDX_HOST_STEP_NR; i++)
		if (times && after->step_ns[i] && i != TDX_HOST_STEP_SYS_INIT &&
		    i != TDX_HOST_STEP_LP_INIT && o < sizeof(steps))
			o += (size_t)snprintf(steps + o, sizeof(steps) - o, "%s%s %s", o ? ", " : "",
					      tdx_step_name(i), fmt_ns(after->step_ns[i], t, sizeof(t)));
	if (!times)
		snprintf(steps, sizeof(steps), "step times unknown: the %s backend does not report them",
			 tdx_backend_name(after->backend));
	pr_text(" (driver: %s)\n", o || !times ? steps : "step times unknown");
}

/* What a failed module enable means and what to do: exit code. */
static int module_enable_error(int fd, int e, const struct tdx_host_status *before,
			       const struct tdx_host_status *after, const struct tdx_host_module_enable *r,
			       bool detail)
{
	struct cpuset *one = NULL, *off = NULL;
	char msg[512];
	int rc = EXIT_OK;

	switch (-e) {
	case 0:
		break;
	case EAGAIN:
		missing_cpus(fd, &one, &off);
		if (!missing_text(one, off, msg, sizeof(msg)))
			snprintf(msg, sizeof(msg), "a CPU is offline or not TDX-enabled (the kernel log names it)");
		rc = EXIT_BUSY;
		pr_error(rc, "EAGAIN",
			 "bring the CPUs online and run tdxctl enable again (tdxctl enable --online-cpus does both); nothing was changed",
			 "TDX module enable refused: %s", msg);
		break;
	case EIO:
		rc = before->state == TDX_HOST_STATE_ERROR ? EXIT_BUSY : EXIT_FAILED;
		if (detail && r->step == TDX_HOST_STEP_LP_INIT && after->state != TDX_HOST_STATE_ERROR)
			pr_error(rc, "EIO", "per-CPU, not sticky: tdxctl cpu list -o +status_name,errno shows each CPU; "
				 "tdxctl explain CODE decodes the status",
				 "the TDX module refused TDH.SYS.LP.INIT on a CPU: %s 0x%016llx; the TDX module was not attempted",
				 tdx_status_name(r->tdx_status), (unsigned long long)r->tdx_status);
		else if (detail)
			pr_error(rc, "EIO", "a failed TDX module initialization is sticky until reboot; tdxctl explain CODE decodes the status",
				 "TDX module initialization failed in %s: %s 0x%016llx",
				 tdx_step_desc(r->step), tdx_status_name(r->tdx_status),
				 (unsigned long long)r->tdx_status);
		else {
			struct klog k;
			char cause[256];
			const char *why;

			klog_read(&k);
			why = kernel_log_cause(&k, cause, sizeof(cause));
			if (why)
				pr_error(rc, "EIO", "a failed TDX module initialization is sticky until reboot; "
					 "tdxctl explain CODE decodes the status",
					 "TDX module initialization failed (EIO); %s", why);
			else
				pr_error(rc, "EIO", "a failed TDX module initialization is sticky until reboot; the kernel log may say more",
					 "TDX module initialization failed (EIO); the %s backend does not report the step or TDX status",
					 tdx_backend_name(before->backend));
			klog_free(&k);
		}
		break;
	case ERANGE:
		rc = exit_for_errno(ERANGE);
		pr_error(rc, "ERANGE", errno_lookup(ERANGE)->action,
			 "TDX module enable refused before TDH.SYS.CONFIG: memory is outside the TDX module's CMRs "
			 "(added after boot); nothing changed");
		break;
	case ENOMEM: {
		struct pamt_est pe;
		bool known = !pamt_estimate(&pe);

		rc = exit_for_errno(ENOMEM);
		pr_error(rc, "ENOMEM", after->state == TDX_HOST_STATE_ERROR ?
			 "the kernel keeps this failure until reboot; after it, enable TDX before memory fragments "
			 "(tdxctl check --only memory.pamt tells)" :
			 "nothing was changed: compact memory (echo 1 > /proc/sys/vm/compact_memory) or free some, and retry",
			 "TDX module enable: out of memory for the TDMRs and PAMT%s%s", known ? "; " : "",
			 known ? pamt_text(&pe) : "");
		break;
	}
	default:
		if (kvm_vmx_refusal(-e, before->backend)) {
			rc = kvm_vmx_error("TDX module enable");
			break;
		}
		rc = exit_for_errno(-e);
		pr_error(rc, errno_name(-e), errno_lookup(-e) ? errno_lookup(-e)->action : NULL,
			 "TDX module enable: %s", strerror(-e));
		break;
	}
	cpuset_free(one);
	cpuset_free(off);
	return rc;
}

static int module_enable_step(int fd, const struct tdx_host_status *before, unsigned flags,
			      bool skip, const char *skip_why)
{
	struct tdx_host_module_enable r = { 0 };
	struct tdx_host_status after;
	const char *result;
	char vbuf[48];
	int e = 0;
	uint64_t elapsed = 0;
	char tbuf[32];

	if (skip) {
		result = "skipped";
		e = 0;
	} else {
		struct timespec t0, t1;

		pamt_prepare(before);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		e = dev_module_enable(fd, flags, &r);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		elapsed = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000ULL + (uint64_t)t1.tv_nsec -
			  (uint64_t)t0.tv_nsec;
		if (!e)
			result = before->state == TDX_HOST_STATE_INITIALIZED ? "already-initialized"
									      : "initialized";
		else if (e == -EAGAIN)
			result = "refused";
		else
			result = "failed";
	}
	if (dev_status(fd, &after))
		after = *before;

	pr_obj_begin("module", NULL);
	pr_fmt("result", "TDX module: %s", pv_color(pv_str(result),
		 !strcmp(result, "initialized") || !strcmp(result, "already-initialized") ? C_GOOD :
		 !strcmp(result, "skipped") || !strcmp(result, "refused") ? C_WARN : C_BAD));
	/* the state only when the result does not already say it */
	bool said = after.state == TDX_HOST_STATE_INITIALIZED &&
		    (!strcmp(result, "initialized") || !strcmp(result, "already-initialized"));
	pr_fmt("state", said ? NULL : ", state %s", pv_str(tdx_state_name(after.state)));
	pr_fmt("version", after.valid & TDX_HOST_STATUS_MODULE_INFO ? ", version %s" : NULL,
	       pv_str(module_version(&after, vbuf, sizeof(vbuf))));
	pr_text("\n");
	/* step and tdx_status are output fields, known with RESULT_DETAIL */
	bool detail = skip || (r.valid & TDX_HOST_RESULT_DETAIL);
	bool failed = detail && (e == -EIO || (e && r.tdx_status));
	pr_fmt("step", failed ? "  failed at: %s\n" : NULL,
	       failed && r.step ? pv_text(pv_str(tdx_step_name(r.step)), tdx_step_desc(r.step)) : pv_null(NULL));
	pr_fmt("tdx_status", failed && r.tdx_status ? "  TDX status: %s" : NULL,
	       failed && r.tdx_status ? pv_hex(r.tdx_status) : pv_null(NULL));
	pr_fmt("status_name", failed && r.tdx_status ? " %s\n" : NULL,
	       failed && r.tdx_status ? pv_str(tdx_status_name(r.tdx_status)) : pv_null(NULL));
	pr_fmt("errno", e && !detail ? "  failed (%s)" : NULL, e ? pv_str(errno_name(-e)) : pv_null(NULL));
	if (e && !detail)
		pr_text("; the %s backend does not report the step or TDX status\n",
			tdx_backend_name(before->backend));
	/* how long: this call (wall clock), and the driver's step times */
	pr_fmt("elapsed_ns", skip ? NULL : "  took: %s", skip ? pv_null(NULL) :
	       pv_text(pv_u(elapsed), fmt_ns(elapsed, tbuf, sizeof(tbuf))));
	print_step_ns(&after, NULL, false);
	if (!skip)
		print_enable_steps(&after);
	pr_obj_end();

	if (skip) {
		pr_text("  not attempted: %s\n", skip_why);
		return EXIT_OK;	/* the caller's exit code stands */
	}
	return module_enable_error(fd, e, before, &after, &r, detail);
}

/*
 * On 6.16-6.18 (kvm_intel has a tdx parameter) a failed initialization of
 * the kernel's TDX module also keeps kvm_intel from loading with tdx=1
 * until reboot: said before an enable on the kernel backend starts.
 */
static void sticky_note(const struct tdx_host_status *st)
{
	char buf[8];

	if (st->backend != TDX_HOST_BACKEND_KERNEL || st->state != TDX_HOST_STATE_UNINITIALIZED || g.quiet ||
	    sr_read("/sys/module/kvm_intel/parameters/tdx", buf, sizeof(buf)) < 0)
		return;
	fprintf(stderr, "tdxctl: note: a failed TDX module initialization is sticky until reboot, and on this kernel it also keeps kvm_intel from loading with tdx=1\n");
}

/* A sticky failure from an earlier run: nothing to try. */
static int sticky_error(const struct tdx_host_status *s)
{
	pr_obj_begin("module", "TDX module");
	pr_kv("result", "result", pv_color(pv_str("failed"), C_BAD));
	pr_kv("state", "state", pv_str(tdx_state_name(s->state)));
	pr_kv("version", NULL, pv_null(NULL));
	if (s->valid & TDX_HOST_STATUS_TDX_ERRORS) {
		pr_kv("step", "failed at", pv_text(pv_str(tdx_step_name(s->err_step)), tdx_step_desc(s->err_step)));
		pr_kv("tdx_status", "TDX status", s->err_tdx_status ? pv_hex(s->err_tdx_status) : pv_null(NULL));
		pr_kv("status_name", "status name", s->err_tdx_status ? pv_str(tdx_status_name(s->err_tdx_status)) : pv_null(NULL));
		pr_kv("errno", NULL, s->err_errno ? pv_str(errno_name(s->err_errno)) : pv_null(NULL));
	} else {
		pr_kv("step", "failed at", pv_null(not_reported(s->backend)));
		pr_kv("tdx_status", "TDX status", pv_null(not_reported(s->backend)));
		pr_kv("status_name", NULL, pv_null(NULL));
		pr_kv("errno", "errno", s->err_errno ? pv_str(errno_name(s->err_errno)) : pv_null("unknown"));
	}
	pr_kv("elapsed_ns", NULL, pv_null(NULL));
	print_step_ns(s, NULL, false);
	pr_obj_end();
	pr_error(EXIT_BUSY, NULL, "a failed TDX module initialization is sticky: reboot, fix the cause (tdxctl explain CODE), retry",
		 "TDX module initialization failed earlier; nothing was tried");
	return EXIT_BUSY;
}

/*
 * No driver: the kernel's regime says whether TDX is up already (by KVM,
 * or at boot), what to do, or that there is nothing to enable.
 */
static int regime_enable(void)
{
	struct facts f;
	const struct hint *h;
	char vbuf[64];
	const char *ver;
	enum module_state ms;

	facts_gather(&f, 0);
	ms = f.module.state;
	ver = kernel_module_version(&f, vbuf, sizeof(vbuf));
	print_kernel_regime(&f);
	h = hint_find(&f);	/* the outcome, its exit status and hint: one table */
	pr_obj_begin("outcome", NULL);
	pr_kv("result", "TDX", pv_color(pv_text(pv_str(h->result), h->outcome),
					h->rc == EXIT_OK ? C_GOOD : h->rc == EXIT_BUSY ? C_BAD : C_WARN));
	pr_kv("module_state", "TDX module state", pv_str(module_state_name(ms)));
	pr_kv("module_version", ver ? "TDX module version" : NULL, ver ? pv_str(ver) : pv_null(NULL));
	pr_kv("log_line", f.module.line ? "kernel log" : NULL, f.module.line ? pv_str(f.module.line) : pv_null(NULL));
	pr_obj_end();
	if (h->rc == EXIT_BUSY)
		pr_error(h->rc, f.module.log_errno ? errno_name(f.module.log_errno) : NULL, hint_fix(&f), "%s",
			 h->outcome);
	else if (h->rc != EXIT_OK && f.kernel.regime == REGIME_ON_DEMAND)
		pr_error(h->rc, "ENOENT", hint_fix(&f), "%s", h->outcome);
	else if (h->rc != EXIT_OK)
		pr_error(h->rc, NULL, hint_fix(&f), "%s (%s)", h->outcome, f.kernel.why);
	facts_free(&f);
	return h->rc;
}

/*
 * What every enabling command does first: open the device for writing and
 * read its status.  A sticky failure from an earlier run ends the command
 * here.  Without the driver, the kernel's regime answers (regime_enable).
 * Returns 0 with d open, or the exit code (0 too) with d closed.
 */
static int enable_prologue(struct drv *d, struct tdx_host_status *st)
{
	int rc;

	drv_probe(d, true);
	if (d->err == ENOENT && !d->loaded) {
		drv_close(d);
		return regime_enable();
	}
	if (!d->err) {
		rc = dev_status(d->fd, st);
		if (rc)
			d->err = -rc;
	}
	if (d->err) {
		rc = drv_error(d);
		drv_close(d);
		return rc;
	}
	if (st->state == TDX_HOST_STATE_ERROR) {
		rc = sticky_error(st);
		drv_close(d);
		return rc;
	}
	return 0;
}

/* ---- enable ---- */

struct enable_opts {
	int online_cpus;
	int in_kernel;
};

enum { OPT_ONLINE_CPUS = 0x400, OPT_IN_KERNEL };

static const struct argp_option enable_options[] = {
	{ "online-cpus", OPT_ONLINE_CPUS, NULL, 0,
	  "Bring offline CPUs online first (tdxctl never changes CPU online state otherwise)", 0 },
	{ "in-kernel", OPT_IN_KERNEL, NULL, 0,
	  "Let the driver enable all online CPUs in parallel, then the TDX module, in one call", 0 },
	{ 0 }
};

static error_t enable_parse(int key, char *arg, struct argp_state *state)
{
	struct enable_opts *o = state->input;

	(void)arg;
	switch (key) {
	case OPT_ONLINE_CPUS:
		o->online_cpus = 1;
		return 0;
	case OPT_IN_KERNEL:
		o->in_kernel = 1;
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "enable takes no arguments (tdxctl cpu enable LIST enables some CPUs)");
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static const struct argp enable_argp = {
	enable_options, enable_parse, "",
	"Enable TDX on this host: TDH.SYS.LP.INIT on every online CPU (one result line per "
	"CPU), then the TDX module (TDMRs, PAMT, keys).\v"
	"CPUs are taken from one snapshot and each is re-checked right before its turn: one "
	"that went offline meanwhile is reported as went-offline, not as failed.  If a CPU "
	"fails, the TDX module is not attempted (a failed module init is sticky until reboot).  "
	"Running enable again is safe.",
	global_children, NULL, NULL
};

static int enable_in_kernel(int fd, const struct cpumasks *m, const struct tdx_host_status *before)
{
	struct tdx_host_cpu_info *pre = NULL, *post = NULL;
	unsigned npre = 0, npost = 0;
	struct cpu_run run = { 0 };
	int rc;

	dev_cpu_table(fd, &pre, &npre);
	/* The driver does the CPUs and the module in one call. */
	rc = module_enable_step(fd, before, TDX_HOST_ENABLE_ALL_CPUS, false, NULL);
	dev_cpu_table(fd, &post, &npost);

	run.out = calloc(npost + 1, sizeof(*run.out));
	run.onlined = cpuset_new(m->nr);
	run.online_before = cpuset_dup(m->online);
	run.online_after = cpuset_dup(m->online);
	if (!run.out) {
		perror("tdxctl");
		exit(EXIT_FAILED);
	}
	pr_text("per-CPU results:\n");
	pr_arr_begin("cpus", NULL);
	for (unsigned i = 0; i < npost; i++) {
		const struct tdx_host_cpu_info *c = &post[i];
		struct cpu_outcome *o;
		bool was = false;

		if (!cpuset_test(m->online, c->cpu))
			continue;
		for (unsigned j = 0; j < npre; j++)
			if (pre[j].cpu == c->cpu)
				was = pre[j].flags & TDX_HOST_CPU_ENABLED;
		o = &run.out[run.n++];
		o->cpu = c->cpu;
		o->backend = before->backend;
		o->detail = true;
		if (c->flags & TDX_HOST_CPU_ENABLED)
			o->result = was ? CPU_ALREADY : CPU_ENABLED;
		else if (!(c->flags & TDX_HOST_CPU_ONLINE))
			o->result = CPU_WENT_OFFLINE;
		else if ((c->flags & TDX_HOST_CPU_FAILED) && (c->flags & TDX_HOST_CPU_ERRNO) &&
			 c->err_errno > 0 && c->err_errno != EIO) {
			/* not the TDX module's refusal: VMX off, ... */
			o->result = CPU_ERROR;
			o->err = c->err_errno;
		} else if (c->flags & TDX_HOST_CPU_FAILED) {
			o->result = CPU_FAILED;
			o->err = (c->flags & TDX_HOST_CPU_ERRNO) ? c->err_errno : 0;
			o->detail = c->flags & TDX_HOST_CPU_TDX_STATUS;
			o->tdx_status = o->detail ? c->tdx_status : 0;
			o->step = o->detail ? TDX_HOST_STEP_LP_INIT : 0;
		} else {
			o->result = CPU_ERROR;
		}
		run.count[o->result]++;
		run.vague += o->result == CPU_FAILED && !o->detail;
		cpu_outcome_print(o);
	}
	pr_arr_end();
	int crc = cpu_run_summary(&run);

	cpu_run_free(&run);
	free(pre);
	free(post);
	return rc ? rc : crc;
}

int cmd_enable(int argc, char **argv)
{
	struct enable_opts o = { 0 };
	struct tdx_host_status st;
	struct cpumasks m;
	struct cpuset *want;
	struct cpu_run run;
	struct drv d;
	int rc = cmd_parse(&enable_argp, argc, argv, &o);

	if (rc)
		return rc;
	finish_work_regardless_of_output();
	if (g.cpu_arg) {
		pr_error(EXIT_USAGE, NULL, "tdxctl cpu enable LIST enables some CPUs",
			 "enable works on every online CPU and takes no -c");
		return EXIT_USAGE;
	}
	if (o.in_kernel && o.online_cpus) {
		pr_error(EXIT_USAGE, NULL, NULL, "--in-kernel and --online-cpus do not go together");
		return EXIT_USAGE;
	}
	rc = enable_prologue(&d, &st);
	if (rc || d.fd < 0)
		return rc;
	kvm_hold_for(st.backend);
	sticky_note(&st);
	cpumasks_read(&m);
	if (o.in_kernel) {
		rc = enable_in_kernel(d.fd, &m, &st);
		goto out;
	}

	/* Every present CPU gets a record: offline ones are skipped-offline
	 * (the TDX module may still need them) unless --online-cpus. */
	want = cpuset_dup(m.present);
	cpuset_or(want, m.online);
	cpu_run(d.fd, &m, want, o.online_cpus, st.backend, &run);
	cpuset_free(want);
	rc = cpu_run_summary(&run);

	if (kvm_vmx_refusal(run.fatal_err, st.backend)) {
		module_enable_step(d.fd, &st, 0, true, "the CPUs could not be enabled");
		rc = kvm_vmx_error("CPU enable stopped");
	} else if (run.fatal_err) {
		module_enable_step(d.fd, &st, 0, true, "the CPUs could not be enabled");
		pr_error(rc, errno_name(run.fatal_err), errno_lookup(run.fatal_err) ?
			 errno_lookup(run.fatal_err)->action : NULL, "CPU enable stopped: %s",
			 strerror(run.fatal_err));
	} else if (run.count[CPU_FAILED] + run.count[CPU_ERROR]) {
		module_enable_step(d.fd, &st, 0, true,
				   "some CPUs failed; a failed TDX module init would be sticky until reboot");
		pr_error(rc, NULL, run.vague ? "the kernel log may say why; tdxctl cpu list shows each CPU's state" :
			 "tdxctl cpu list -o +status_name shows the failures; tdxctl explain CODE decodes them",
			 "TDX could not be enabled on every online CPU");
	} else {
		/* Went-offline CPUs: the driver decides whether they matter. */
		rc = module_enable_step(d.fd, &st, 0, false, NULL);
	}
	cpu_run_free(&run);
out:
	cpumasks_free(&m);
	drv_close(&d);
	return rc;
}

/* ---- module enable ---- */

static const struct argp module_enable_argp = {
	NULL, NULL, "",
	"Initialize the TDX module only.  Every online CPU, and every CPU the TDX module "
	"counted at boot, must be TDX-enabled first (tdxctl cpu enable, or tdxctl enable for "
	"both steps); this command checks that first and says what is missing.\v"
	"A failed TDX module initialization is sticky until reboot.",
	global_children, NULL, NULL
};

int cmd_module_enable(int argc, char **argv)
{
	struct tdx_host_status st;
	struct cpuset *one = NULL, *off = NULL;
	struct drv d;
	int rc = cmd_parse(&module_enable_argp, argc, argv, NULL);

	if (rc)
		return rc;
	finish_work_regardless_of_output();
	if (g.cpu_arg) {
		pr_error(EXIT_USAGE, NULL, NULL, "module enable takes no -c");
		return EXIT_USAGE;
	}
	rc = enable_prologue(&d, &st);
	if (rc || d.fd < 0)
		return rc;
	kvm_hold_for(st.backend);

	/* The precondition: every online CPU, and every counted CPU, enabled. */
	if ((rc = missing_cpus(d.fd, &one, &off))) {
		rc = dev_table_fail(rc);
		drv_close(&d);
		return rc;
	}
	/*
	 * Offline CPUs never enabled matter when the TDX module counted more
	 * CPUs than are enabled.  A backend that does not report the count
	 * leaves it unknown: then the driver's own pre-flight decides
	 * (EAGAIN, nothing changed), and tdxctl cannot tell in advance.
	 */
	bool offline_missing = off && !cpuset_empty(off);
	bool counts_known = st.valid & TDX_HOST_STATUS_MODULE_CPUS;
	bool counted_missing = offline_missing && counts_known && st.module_lp_count > st.cpus_enabled;
	bool cannot_tell = offline_missing && !counts_known;
	bool ok = st.state == TDX_HOST_STATE_INITIALIZED ||
		  (one && cpuset_empty(one) && !counted_missing);

	pr_obj_begin("precondition", NULL);
	pr_kv("ok", NULL, pv_bool(ok));
	pr_kv("online_not_enabled", one && !cpuset_empty(one) ? "online, not TDX-enabled" : NULL,
	      one ? pv_cpus(one) : pv_null(NULL));
	pr_kv("offline_not_enabled", counted_missing || cannot_tell ? "offline, never TDX-enabled" : NULL,
	      off ? pv_cpus(off) : pv_null(NULL));
	pr_kv("offline_needed", cannot_tell ? "needed by the TDX module" : NULL,
	      cannot_tell ? pv_null(not_reported(st.backend)) : pv_bool(counted_missing));
	if (cannot_tell && st.state != TDX_HOST_STATE_INITIALIZED)
		pr_text("  tdxctl cannot tell; the driver checks and refuses, changing nothing, if they are\n");
	pr_obj_end();

	if (!ok) {
		char msg[512];
		bool online = one && !cpuset_empty(one);

		module_enable_step(d.fd, &st, 0, true, "CPUs are not TDX-enabled");
		rc = EXIT_BUSY;
		if (!missing_text(one, off, msg, sizeof(msg)))
			snprintf(msg, sizeof(msg), "a CPU is not TDX-enabled");
		pr_error(rc, NULL, online ? "run tdxctl enable (all CPUs, then the module) or tdxctl cpu enable LIST first" :
			 "bring them online and enable them: tdxctl enable --online-cpus",
			 "%s; the TDX module was not touched", msg);
	} else {
		rc = module_enable_step(d.fd, &st, 0, false, NULL);
	}
	cpuset_free(one);
	cpuset_free(off);
	drv_close(&d);
	return rc;
}
