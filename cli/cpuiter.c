// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpuiter.c - hotplug-aware per-CPU TDX enable.
 *
 * Snapshot the masks once; right before each CPU's ioctl, check it is
 * still online; a CPU that left meanwhile is "went-offline", never
 * "failed".  CPU online state changes only when the caller asks
 * (--online-cpus), and only offline -> online.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "dev.h"
#include "sysroot.h"
#include "tdxstatus.h"
#include "tdxctl.h"

static const char *const result_names[] = {
	[CPU_ENABLED] = "enabled",
	[CPU_ALREADY] = "already-enabled",
	[CPU_FAILED] = "failed",
	[CPU_WENT_OFFLINE] = "went-offline",
	[CPU_SKIPPED_OFFLINE] = "skipped-offline",
	[CPU_ERROR] = "error",
};

const char *cpu_result_name(enum cpu_result r)
{
	return result_names[r];
}

static enum pr_color result_color(enum cpu_result r)
{
	switch (r) {
	case CPU_ENABLED: case CPU_ALREADY: return C_GOOD;
	case CPU_FAILED: case CPU_ERROR: return C_BAD;
	case CPU_WENT_OFFLINE: case CPU_SKIPPED_OFFLINE: return C_WARN;
	}
	return C_NONE;
}

static bool fatal_errno(int e)
{
	return e == ENODEV || e == EPERM || e == EBADF || e == EACCES || e == ENOTTY ||
	       e == EINVAL || e == E2BIG;
}

void cpu_outcome_print(const struct cpu_outcome *o)
{
	bool failed = o->result == CPU_FAILED;
	const char *why = NULL;

	switch (o->result) {
	case CPU_WENT_OFFLINE:
		why = " (offline at its turn; not attempted)";
		if (o->err == ENXIO)
			why = " (the driver found it offline; not attempted)";
		else if (o->err == ENOENT)
			why = " (no longer present)";
		break;
	case CPU_SKIPPED_OFFLINE:
		why = o->err ? " (could not bring it online)" : " (offline; --online-cpus brings it online)";
		break;
	default:
		break;
	}
	/* a failure whose step and status the backend does not report */
	bool vague = failed && !o->detail;
	char unk[160];

	if (vague) {
		snprintf(unk, sizeof(unk), "; the %s backend does not report the step or TDX status",
			 tdx_backend_name(o->backend));
		why = unk;
	}
	pr_obj_begin(NULL, NULL);
	pr_fmt("cpu", "cpu %s: ", pv_u(o->cpu));
	pr_fmt("result", "%s", pv_color(pv_str(cpu_result_name(o->result)), result_color(o->result)));
	failed &= o->detail;
	pr_fmt("step", failed ? " in %s" : NULL,
	       failed && o->step ? pv_str(tdx_step_name(o->step)) : pv_null(NULL));
	pr_fmt("tdx_status", failed ? ": %s" : NULL, failed ? pv_hex(o->tdx_status) : pv_null(NULL));
	pr_fmt("status_name", failed ? " %s" : NULL,
	       failed ? pv_str(tdx_status_name(o->tdx_status)) : pv_null(NULL));
	pr_fmt("errno", o->result == CPU_ERROR ? ": %s" : vague && o->err ? " (%s)" : NULL,
	       o->err ? pv_str(errno_name(o->err)) : pv_null(NULL));
	pr_text("%s\n", why ? why : "");
	pr_obj_end();
	pr_flush();
}

void cpu_run(int fd, const struct cpumasks *m, const struct cpuset *want, bool online_cpus,
	     unsigned backend, struct cpu_run *run)
{
	memset(run, 0, sizeof(*run));
	run->out = calloc(cpuset_count(want) + 1, sizeof(*run->out));
	if (!run->out) {
		perror("tdxctl");
		exit(EXIT_FAILED);
	}
	run->onlined = cpuset_new(m->nr);
	run->online_before = cpuset_dup(m->online);

	pr_arr_begin("cpus", NULL);
	cpuset_for_each(cpu, want) {
		struct cpu_outcome *o = &run->out[run->n++];
		struct tdx_host_cpu_enable r;
		int on, e;

		o->cpu = (unsigned)cpu;
		o->backend = backend;
		o->detail = true;
		if (!cpuset_test(m->online, (unsigned)cpu)) {
			if (!online_cpus) {
				o->result = CPU_SKIPPED_OFFLINE;
				goto done;
			}
			char path[96];

			snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
			e = sr_write(path, "1");
			if (e) {
				o->result = CPU_SKIPPED_OFFLINE;
				o->err = -e;
				goto done;
			}
			cpuset_set(run->onlined, (unsigned)cpu);
		}
		/* Re-check right before the ioctl: hotplug may have happened. */
		on = cpu_online_now((unsigned)cpu);
		if (on == 0) {
			o->result = CPU_WENT_OFFLINE;
			goto done;
		}
		e = dev_cpu_enable(fd, (unsigned)cpu, &r);
		if (e == 0) {
			o->result = r.outcome == TDX_HOST_CPU_OUTCOME_ALREADY ? CPU_ALREADY : CPU_ENABLED;
		} else if (e == -EIO) {
			o->result = CPU_FAILED;
			o->err = EIO;
			/* output fields: known only with TDX_HOST_RESULT_DETAIL */
			o->detail = r.valid & TDX_HOST_RESULT_DETAIL;
			o->step = o->detail ? r.step : 0;
			o->tdx_status = o->detail ? r.tdx_status : 0;
		} else if (e == -ENXIO || e == -ENOENT) {
			o->result = CPU_WENT_OFFLINE;
			o->err = -e;
		} else {
			o->result = CPU_ERROR;
			o->err = -e;
			if (fatal_errno(-e))
				run->fatal_err = -e;
		}
done:
		run->count[o->result]++;
		run->vague += o->result == CPU_FAILED && !o->detail;
		cpu_outcome_print(o);
		if (run->fatal_err)
			break;
	}
	pr_arr_end();

	struct cpumasks after;

	cpumasks_read(&after);
	run->online_after = cpuset_dup(after.online);
	cpumasks_free(&after);
}

void cpu_run_free(struct cpu_run *run)
{
	free(run->out);
	cpuset_free(run->onlined);
	cpuset_free(run->online_before);
	cpuset_free(run->online_after);
	memset(run, 0, sizeof(*run));
}

int cpu_run_summary(const struct cpu_run *run)
{
	unsigned ok = run->count[CPU_ENABLED] + run->count[CPU_ALREADY];
	unsigned bad = run->count[CPU_FAILED] + run->count[CPU_ERROR];
	unsigned missing = run->count[CPU_WENT_OFFLINE] + run->count[CPU_SKIPPED_OFFLINE];
	struct cpuset *left = cpuset_dup(run->online_before);
	int rc;

	cpuset_andnot(left, run->online_after);

	pr_obj_begin("summary", NULL);
	pr_fmt("cpus", "%s CPUs: ", pv_u(run->n));
	pr_fmt("enabled", "%s enabled", pv_u(run->count[CPU_ENABLED]));
	/* text shows the counts that are not zero; JSON has all of them */
	pr_fmt("already_enabled", run->count[CPU_ALREADY] ? ", %s already enabled" : NULL,
	       pv_u(run->count[CPU_ALREADY]));
	pr_fmt("failed", run->count[CPU_FAILED] ? ", %s failed" : NULL,
	       pv_color(pv_u(run->count[CPU_FAILED]), C_BAD));
	pr_fmt("went_offline", run->count[CPU_WENT_OFFLINE] ? ", %s went offline" : NULL,
	       pv_u(run->count[CPU_WENT_OFFLINE]));
	pr_fmt("skipped_offline", run->count[CPU_SKIPPED_OFFLINE] ? ", %s skipped (offline)" : NULL,
	       pv_u(run->count[CPU_SKIPPED_OFFLINE]));
	pr_fmt("errors", run->count[CPU_ERROR] ? ", %s errors" : NULL, pv_u(run->count[CPU_ERROR]));
	pr_text("\n");
	pr_fmt("onlined", cpuset_empty(run->onlined) ? NULL : "brought online: %s\n", pv_cpus(run->onlined));
	pr_fmt("went_offline_cpus", cpuset_empty(left) ? NULL : "went offline during the run: %s\n",
	       pv_cpus(left));
	pr_obj_end();
	cpuset_free(left);

	if (run->fatal_err)
		rc = exit_for_errno(run->fatal_err);
	else if (bad)
		rc = ok ? EXIT_PARTIAL : EXIT_FAILED;
	else if (missing)
		rc = ok ? EXIT_PARTIAL : EXIT_BUSY;
	else
		rc = EXIT_OK;
	return rc;
}
