// SPDX-License-Identifier: GPL-2.0
/*
 * core.c - the on-demand enabling semantics, backend independent:
 *
 * - module enable runs once, under a mutex, through the states
 *   uninitialized -> initializing -> initialized | error; error is sticky
 *   with its first cause, and is entered only by a failure from
 *   TDH.SYS.CONFIG on (or a failed TDH.SYS.INIT): an earlier failure
 *   leaves the TDX module untouched and the state uninitialized;
 * - per-CPU enable runs on the CPU itself with interrupts off, at most once
 *   per CPU; the record survives offline/online;
 * - module enable holds CPU hotplug off up to the per-package step and
 *   refuses, before any sticky step, when a CPU the TDX module needs is
 *   offline or not enabled;
 * - locking order: the enable mutex first (killable), then CPU hotplug
 *   (cpus_read_lock): a caller waiting for another's enable holds nothing
 *   that CPU hotplug needs;
 * - a fatal signal during TDH.SYS.TDMR.INIT leaves the TDX module
 *   resumable: the state goes back to uninitialized and the next module
 *   enable resumes TDMR.INIT where the TDX module's cursors stand;
 * - STATUS never waits for an enable: it answers from a snapshot under
 *   the state spinlock, which the enable path keeps current; it asks the
 *   backend itself only when no enable is running (a trylock it never
 *   sleeps on);
 * - a cpuhp state enables CPUs that come online once global init has run;
 * - a runtime update of the TDX module (tdxctl_module_update(), which
 *   the emulated platform's tdx_module upload calls) takes the same locks
 *   in the same order as module enable: the enable mutex, fill_sem for
 *   writing, then CPU hotplug: the backend's stop_machine() takes
 *   cpus_read_lock() and stops every CPU; its own locks (the TDX module
 *   model's raw spinlock, the engine's mutex) nest inside.  Enable,
 *   per-CPU enable and CPU hotplug (the cpuhp callbacks run under the
 *   hotplug lock) therefore never see a TDX module mid-update;
 * - every change of state, per-CPU result and CPU online/offline the
 *   driver sees is an event of the netlink family (netlink.c), sent from
 *   process context once the locks that keep it in order are held.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/topology.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include "tdxctl.h"

/**
 * struct tdxctl_pcpu - what the driver knows about one CPU
 * @enabled: TDH.SYS.LP.INIT succeeded on it (never cleared)
 * @failed: the last attempt failed
 * @tdx_status: TDX status of the last attempt
 * @enabled_ns: CLOCK_BOOTTIME of the successful attempt
 * @err: positive errno of the last attempt, 0 when it succeeded
 * @ev_pending: an attempt whose event has not been sent yet
 * @ev_err: its errno (negative) or 0
 * @ev_step: its failing step
 */
struct tdxctl_pcpu {
	bool enabled;
	bool failed;
	u64 tdx_status;
	u64 enabled_ns;
	int err;
	bool ev_pending;
	int ev_err;
	u32 ev_step;
};

static DEFINE_PER_CPU(struct tdxctl_pcpu, tdxctl_pcpu);
/* Written on the CPU itself (IPI, cpuhp), read by the CPU table */
static DEFINE_RAW_SPINLOCK(tdxctl_pcpu_lock);

static struct {
	const struct tdxctl_backend *be;
	/*
	 * Serializes enabling: module enable and per-CPU enable ioctls.
	 * Taken before cpus_read_lock(), killably.
	 */
	struct mutex enable_lock;
	/*
	 * Held for writing by module enable (under enable_lock), for reading
	 * by a STATUS that asks the backend itself (fill_status); STATUS only
	 * ever trylocks it, and answers from @snap when it cannot have it.
	 */
	struct rw_semaphore fill_sem;
	/* module enable stopped in TDMR.INIT for a signal; under enable_lock */
	bool resume;
	/* Protects the fields below, read by status without enable_lock */
	spinlock_t state_lock;
	u32 state;
	u32 err_step;
	int err_errno;
	u64 err_tdx_status;
	/* what the backend's fill_status said last (outputs only) */
	struct tdx_host_status snap;
	atomic64_t step_ns[TDX_HOST_STEP_NR];
	int hp_state;
} core;

/* The part of struct tdx_host_status after its header: the outputs */
#define STATUS_OUT	offsetof(struct tdx_host_status, state)
#define STATUS_OUT_SIZE	(sizeof(struct tdx_host_status) - STATUS_OUT)

/* Keep what fill_status put into @st (its outputs) as the snapshot */
static void core_snap_store(const struct tdx_host_status *st)
{
	spin_lock(&core.state_lock);
	memcpy((u8 *)&core.snap + STATUS_OUT, (const u8 *)st + STATUS_OUT,
	       STATUS_OUT_SIZE);
	spin_unlock(&core.state_lock);
}

/*
 * Ask the backend for its facts now and keep them as the snapshot.
 * Called by module enable with fill_sem held for writing, at the points
 * where what the backend knows changes.
 */
static void core_snap_refresh(void)
{
	struct tdx_host_status *st;

	lockdep_assert_held_write(&core.fill_sem);
	if (!core.be->fill_status)
		return;
	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return;	/* the last snapshot stands */
	core.be->fill_status(st);
	core_snap_store(st);
	kfree(st);
}

/**
 * tdxctl_step_add() - account time to a step of module initialization
 * @step: &enum tdx_host_step
 * @ns: nanoseconds spent in it
 *
 * For backends that report TDX_HOST_STATUS_STEP_TIMES.
 * Context: any, interrupts off included.
 */
void tdxctl_step_add(u32 step, u64 ns)
{
	if (step < TDX_HOST_STEP_NR)
		atomic64_add(ns, &core.step_ns[step]);
}
EXPORT_SYMBOL_GPL(tdxctl_step_add);

/* Whether the backend can know a TDX_HOST_STATUS_* fact */
static bool core_knows(u64 fact)
{
	return core.be->reports & fact;
}

/*
 * A result's step and TDX status are known unless they had to come from
 * a backend that does not report them.
 */
static u32 core_detail(bool from_backend)
{
	return !from_backend || core_knows(TDX_HOST_STATUS_TDX_ERRORS) ?
	       TDX_HOST_RESULT_DETAIL : 0;
}

static u32 core_state(void)
{
	u32 state;

	spin_lock(&core.state_lock);
	state = core.state;
	spin_unlock(&core.state_lock);
	return state;
}

/*
 * Move to @state; a failure that caused it is @step, @err (negative) and
 * @tdx_status (@err 0: none).  Called with core.enable_lock held, which
 * keeps the events in the order of the changes.
 */
static void core_change_state(u32 state, u32 step, int err, u64 tdx_status)
{
	u32 old;

	spin_lock(&core.state_lock);
	old = core.state;
	core.state = state;
	spin_unlock(&core.state_lock);
	if (old != state)
		tdxctl_nl_state(old, state, step, -err, tdx_status,
				core_knows(TDX_HOST_STATUS_TDX_ERRORS));
}

static void core_set_state(u32 state)
{
	core_change_state(state, 0, 0, 0);
}

/* Enter the sticky error state; only the first cause is kept. */
static void core_set_error(u32 step, int err, u64 tdx_status)
{
	bool detail = core_knows(TDX_HOST_STATUS_TDX_ERRORS);
	bool first = false;
	u32 old;

	spin_lock(&core.state_lock);
	old = core.state;
	if (core.state != TDX_HOST_STATE_ERROR) {
		core.state = TDX_HOST_STATE_ERROR;
		core.err_step = step;
		core.err_errno = -err;
		core.err_tdx_status = tdx_status;
		first = true;
	}
	spin_unlock(&core.state_lock);
	if (first) {
		tdxctl_nl_state(old, TDX_HOST_STATE_ERROR, step, -err,
				tdx_status, detail);
		tdxctl_nl_failure(step, -err, tdx_status, detail);
	}
}

static void core_get_error(u32 *step, s32 *err, u64 *tdx_status)
{
	spin_lock(&core.state_lock);
	*step = core.err_step;
	*err = core.err_errno;
	*tdx_status = core.err_tdx_status;
	spin_unlock(&core.state_lock);
}

/*
 * Enable the calling CPU: global init once (cached by the backend), then
 * per-CPU init.  Runs on the CPU with interrupts off (IPI, on_each_cpu or
 * the cpuhp callback with local_irq_save).
 */
static void core_enable_this_cpu(struct tdxctl_cpu_result *res)
{
	struct tdxctl_pcpu *pc = this_cpu_ptr(&tdxctl_pcpu);
	u64 now;

	lockdep_assert_irqs_disabled();
	if (pc->enabled)
		return;

	res->err = core.be->cpu_enable(res);
	now = ktime_get_boottime_ns();

	raw_spin_lock(&tdxctl_pcpu_lock);
	pc->tdx_status = res->tdx_status;
	pc->failed = res->err != 0;
	pc->err = -res->err;
	if (!res->err) {
		pc->enabled = true;
		pc->enabled_ns = now;
	}
	pc->ev_pending = true;
	pc->ev_err = res->err;
	pc->ev_step = res->err ? res->step : 0;
	raw_spin_unlock(&tdxctl_pcpu_lock);
}

/*
 * Send the per-CPU results recorded since the last call, each once (the
 * attempts run with interrupts off, where no message can be built).
 * Process context.
 */
static void core_cpu_events(void)
{
	bool detail = core_knows(TDX_HOST_STATUS_TDX_ERRORS);
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct tdxctl_pcpu *pc = per_cpu_ptr(&tdxctl_pcpu, cpu);
		struct tdxctl_cpu_result res;
		bool pending;

		raw_spin_lock_irq(&tdxctl_pcpu_lock);
		pending = pc->ev_pending;
		pc->ev_pending = false;
		res.err = pc->ev_err;
		res.step = pc->ev_step;
		res.tdx_status = pc->tdx_status;
		raw_spin_unlock_irq(&tdxctl_pcpu_lock);
		if (pending)
			tdxctl_nl_cpu_enable(cpu, &res, detail);
	}
}

static bool cpu_is_enabled(unsigned int cpu)
{
	return READ_ONCE(per_cpu_ptr(&tdxctl_pcpu, cpu)->enabled);
}

struct cpu_enable_call {
	struct tdxctl_cpu_result res;
	bool already;
};

static void cpu_enable_ipi(void *arg)
{
	struct cpu_enable_call *c = arg;

	c->already = this_cpu_ptr(&tdxctl_pcpu)->enabled;
	core_enable_this_cpu(&c->res);
}

static void cpu_enable_all_ipi(void *arg)
{
	struct tdxctl_cpu_result res = {};

	core_enable_this_cpu(&res);
}

/* A failed TDH.SYS.INIT is cached by the backend: nothing can succeed. */
static bool core_check_sysinit(void)
{
	u64 tdx_status;
	int err;

	if (core.be->sysinit_result(&err, &tdx_status) && err) {
		core_set_error(TDX_HOST_STEP_SYS_INIT, err, tdx_status);
		return false;
	}
	return true;
}

int tdxctl_cpu_enable(struct tdx_host_cpu_enable *ce)
{
	struct cpu_enable_call c = {};
	unsigned int cpu = ce->cpu;
	int ret = 0;

	if (cpu >= nr_cpu_ids || !cpu_possible(cpu))
		return -ENOENT;

	/* the enable mutex first: never wait for it with hotplug held off */
	if (mutex_lock_killable(&core.enable_lock))
		return -ERESTARTSYS;
	cpus_read_lock();
	if (!cpu_present(cpu)) {
		ret = -ENOENT;
		goto out;
	}
	if (!cpu_online(cpu)) {
		ret = -ENXIO;
		goto out;
	}

	ret = smp_call_function_single(cpu, cpu_enable_ipi, &c, 1);
	if (!ret)
		ret = c.res.err;
	core_cpu_events();
	if (c.res.step == TDX_HOST_STEP_SYS_INIT && c.res.err)
		core_check_sysinit();

out:
	cpus_read_unlock();
	mutex_unlock(&core.enable_lock);

	if (c.already)
		ce->outcome = TDX_HOST_CPU_OUTCOME_ALREADY;
	else if (!ret)
		ce->outcome = TDX_HOST_CPU_OUTCOME_ENABLED;
	else if (c.res.err)
		ce->outcome = TDX_HOST_CPU_OUTCOME_FAILED;
	ce->tdx_status = c.res.tdx_status;
	ce->step = c.res.err ? c.res.step : 0;
	ce->valid = core_detail(c.res.err);
	return ret;
}

/*
 * Packages by physical package id (which need not be below nr_cpu_ids):
 * an xarray entry per package with a present CPU, its value 1 when one
 * of them is online.  The ids with none online go into @buf as a list.
 */
static int core_packages_offline(char *buf, size_t len, bool *missing)
{
	struct xarray pkgs;
	unsigned long id;
	unsigned int cpu;
	size_t n = 0;
	void *entry;
	int ret = 0;

	/* on the stack: xa_init() gives its lock a static lockdep key */
	xa_init(&pkgs);
	*missing = false;
	buf[0] = '\0';
	for_each_present_cpu(cpu) {
		id = topology_physical_package_id(cpu);
		entry = xa_load(&pkgs, id);
		if (entry && xa_to_value(entry))
			continue;
		ret = xa_err(xa_store(&pkgs, id, xa_mk_value(cpu_online(cpu)),
				      GFP_KERNEL));
		if (ret)
			goto out;
	}
	xa_for_each(&pkgs, id, entry) {
		if (xa_to_value(entry))
			continue;
		*missing = true;
		n += scnprintf(buf + n, len - n, "%s%lu", n ? "," : "", id);
	}
out:
	xa_destroy(&pkgs);
	return ret;
}

/*
 * Everything that would make a sticky step fail, checked first: a CPU the
 * TDX module counted that is offline and never ran LP.INIT, an online CPU
 * not enabled, fewer enabled CPUs than the module counted, a package with
 * no online CPU (TDH.SYS.KEY.CONFIG needs one per package).
 */
static int core_preflight(void)
{
	unsigned int cpu, enabled = 0, lps = 0;
	cpumask_var_t offline, disabled;
	bool pkg_missing = false;
	char pkgs[128];
	int ret = 0;

	/* CPU hotplug is held off by the caller (cpus_read_lock) */
	if (core.be->lp_count)
		lps = core.be->lp_count();
	if (!zalloc_cpumask_var(&offline, GFP_KERNEL))
		return -ENOMEM;
	if (!zalloc_cpumask_var(&disabled, GFP_KERNEL)) {
		ret = -ENOMEM;
		goto free_offline;
	}

	for_each_possible_cpu(cpu) {
		bool on = cpu_online(cpu), en = cpu_is_enabled(cpu);

		enabled += en;
		if (!cpu_present(cpu))
			continue;
		if (!on && !en)
			cpumask_set_cpu(cpu, offline);
		if (on && !en)
			cpumask_set_cpu(cpu, disabled);
	}
	ret = core_packages_offline(pkgs, sizeof(pkgs), &pkg_missing);
	if (ret)
		goto free_disabled;

	if (!cpumask_empty(offline) || !cpumask_empty(disabled) ||
	    enabled < lps || pkg_missing) {
		/* any admin can ask again and again: rate-limited */
		pr_warn_ratelimited("module enable refused, nothing changed: offline CPUs not enabled: [%*pbl]; online CPUs not enabled: [%*pbl]; %u CPUs enabled, the TDX module counted %u; packages with no online CPU: [%s]\n",
				    cpumask_pr_args(offline),
				    cpumask_pr_args(disabled), enabled, lps,
				    pkgs);
		ret = -EAGAIN;
	}

free_disabled:
	free_cpumask_var(disabled);
free_offline:
	free_cpumask_var(offline);
	return ret;
}

/*
 * Failures of the ALL_CPUS pass: the first failing CPU's record, and its
 * errno (EIO when the TDX module refused it, the backend's otherwise).
 */
static bool core_cpu_failure(u64 *tdx_status, int *err)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		struct tdxctl_pcpu *pc = per_cpu_ptr(&tdxctl_pcpu, cpu);

		if (!READ_ONCE(pc->enabled) && READ_ONCE(pc->failed)) {
			*tdx_status = READ_ONCE(pc->tdx_status);
			*err = READ_ONCE(pc->err) ?: EIO;
			return true;
		}
	}
	return false;
}

/*
 * TDH.SYS.TDMR.INIT and what follows, with CPU hotplug allowed: every
 * package is configured, what is left needs no CPU to stay online, and a
 * CPU coming online now is refused by the TDX module (no LP.INIT after
 * CONFIG) as after enable.  Called with enable_lock and fill_sem held,
 * in state initializing.  A fatal signal that stops it with nothing lost
 * leaves the state uninitialized and core.resume set: the next module
 * enable comes straight here, and the backend resumes.
 */
static int core_module_finish(struct tdx_host_module_enable *me)
{
	struct tdxctl_result res = {};
	int ret;

	ret = core.be->module_finish(&res);
	core.resume = false;
	if (!ret) {
		core_snap_refresh();
		core_set_state(TDX_HOST_STATE_INITIALIZED);
	} else if (res.resumable) {
		/* the caller is dying; the TDX module waits for the next one */
		core.resume = true;
		core_snap_refresh();
		core_change_state(TDX_HOST_STATE_UNINITIALIZED, res.step,
				  -EINTR, res.tdx_status);
		me->step = res.step;
		me->tdx_status = res.tdx_status;
		me->err_errno = EINTR;
		me->valid = core_detail(true);
		ret = -ERESTARTSYS;
	} else {
		core_snap_refresh();
		core_set_error(res.step, ret, res.tdx_status);
	}
	return ret;
}

int tdxctl_module_enable(struct tdx_host_module_enable *me)
{
	struct tdxctl_result res = {};
	bool cpus_locked = false;
	u64 tdx_status;
	int cpu_err, ret;

	/*
	 * The enable mutex first, killably, and only then CPU hotplug: a
	 * second caller waits here for the first's whole enable, and must
	 * not hold off CPU hotplug meanwhile.
	 */
	if (mutex_lock_killable(&core.enable_lock))
		return -ERESTARTSYS;
	/* STATUS answers from the snapshot from now on */
	if (down_write_killable(&core.fill_sem)) {
		mutex_unlock(&core.enable_lock);
		return -ERESTARTSYS;
	}

	switch (core_state()) {
	case TDX_HOST_STATE_INITIALIZED:
		ret = 0;
		break;
	case TDX_HOST_STATE_ERROR:
		ret = -EIO;
		break;
	default:
		if (core.resume) {
			/* configured, TDMR.INIT stopped by a signal: go on */
			core_set_state(TDX_HOST_STATE_INITIALIZING);
			ret = core_module_finish(me);
			break;
		}

		cpus_read_lock();
		cpus_locked = true;
		if (me->flags & TDX_HOST_ENABLE_ALL_CPUS) {
			on_each_cpu(cpu_enable_all_ipi, NULL, 1);
			core_cpu_events();
		}

		if (!core_check_sysinit()) {
			ret = -EIO;
			break;
		}
		if ((me->flags & TDX_HOST_ENABLE_ALL_CPUS) &&
		    core_cpu_failure(&tdx_status, &cpu_err)) {
			/* per-CPU state: not sticky, the CPU table has it */
			me->step = TDX_HOST_STEP_LP_INIT;
			me->tdx_status = tdx_status;
			me->err_errno = cpu_err;
			me->valid = core_detail(true);
			ret = -cpu_err;
			break;
		}
		ret = core_preflight();
		if (ret) {
			me->step = TDX_HOST_STEP_PREFLIGHT;
			me->err_errno = -ret;
			me->valid = core_detail(false);
			break;
		}

		core_set_state(TDX_HOST_STATE_INITIALIZING);
		ret = core.be->module_enable(&res);
		core_snap_refresh();
		if (!ret && core.be->module_finish) {
			/* see core_module_finish(): hotplug may run meanwhile */
			cpus_read_unlock();
			cpus_locked = false;
			ret = core_module_finish(me);
			break;
		}
		if (!ret) {
			core_set_state(TDX_HOST_STATE_INITIALIZED);
		} else if (res.sticky) {
			core_set_error(res.step, ret, res.tdx_status);
		} else {
			/* the TDX module is untouched: a retry is legitimate */
			core_change_state(TDX_HOST_STATE_UNINITIALIZED, res.step,
					  ret, res.tdx_status);
			me->step = res.step;
			me->tdx_status = res.tdx_status;
			me->err_errno = -ret;
			me->valid = core_detail(true);
		}
		break;
	}

	me->state = core_state();
	if (me->state == TDX_HOST_STATE_ERROR) {
		core_get_error(&me->step, &me->err_errno, &me->tdx_status);
		me->valid = core_detail(true);
	} else if (!ret) {
		me->valid = TDX_HOST_RESULT_DETAIL;
	}

	if (cpus_locked)
		cpus_read_unlock();
	up_write(&core.fill_sem);
	mutex_unlock(&core.enable_lock);
	return ret;
}

static void core_snap_version(u32 *v)
{
	spin_lock(&core.state_lock);
	v[0] = core.snap.version_major;
	v[1] = core.snap.version_minor;
	v[2] = core.snap.version_update;
	spin_unlock(&core.state_lock);
}

/**
 * tdxctl_module_update() - run a runtime update of the TDX module
 * @update: the backend's update; called with enabling held off (it takes
 *	CPU hotplug itself: stop_machine()).  Returns 0 or a negative
 *	errno; on a failure after the old TDX module shut down it sets
 *	&tdxctl_result.sticky (the TDX module is lost: the state becomes
 *	error), with the step and status
 * @arg: passed to @update
 *
 * Lock order, as module enable: core.enable_lock (killable), core.fill_sem
 * for writing (STATUS answers from the snapshot meanwhile), then
 * cpus_read_lock() in @update's stop_machine().  Only while the TDX
 * module is initialized.  After it the snapshot is refreshed from the
 * backend (the new version) and a module-update event is sent, unless
 * @update refused with nothing changed.
 *
 * Context: process context, may sleep.
 * Return: 0, -ENXIO when the TDX module is not initialized, -EINTR for a
 * fatal signal while waiting, or what @update returned.
 */
int tdxctl_module_update(int (*update)(void *arg, struct tdxctl_result *res),
			 void *arg)
{
	bool detail = core_knows(TDX_HOST_STATUS_TDX_ERRORS);
	struct tdxctl_result res = {};
	u32 old[3], new[3];
	int ret;

	if (mutex_lock_killable(&core.enable_lock))
		return -EINTR;
	if (down_write_killable(&core.fill_sem)) {
		mutex_unlock(&core.enable_lock);
		return -EINTR;
	}
	if (core_state() != TDX_HOST_STATE_INITIALIZED) {
		ret = -ENXIO;
		goto out;
	}

	core_snap_refresh();
	core_snap_version(old);
	ret = update(arg, &res);
	core_snap_refresh();
	core_snap_version(new);

	if (!ret) {
		pr_info("TDX module updated: %u.%u.%02u -> %u.%u.%02u\n",
			old[0], old[1], old[2], new[0], new[1], new[2]);
		tdxctl_nl_module_update(old, new, 0, 0, detail);
	} else if (res.sticky) {
		pr_err("TDX module update from %u.%u.%02u failed after the TDX module shut down (%d): the TDX module is lost until reboot\n",
		       old[0], old[1], old[2], ret);
		core_set_error(res.step, ret, res.tdx_status);
		tdxctl_nl_module_update(old, NULL, -ret, res.tdx_status,
					detail);
	}
out:
	up_write(&core.fill_sem);
	mutex_unlock(&core.enable_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(tdxctl_module_update);

int tdxctl_status(struct tdx_host_status *st)
{
	unsigned int cpu, enabled = 0;
	int i;

	/* everything past the header is output */
	memset((u8 *)st + STATUS_OUT, 0, STATUS_OUT_SIZE);

	/*
	 * The backend's facts: asked now when no module enable runs (it may
	 * sleep on the backend's locks, which an enable holds for long), or
	 * else the snapshot the enable keeps.  Never waits for an enable.
	 */
	if (core.be->fill_status && down_read_trylock(&core.fill_sem)) {
		core.be->fill_status(st);
		core_snap_store(st);
		up_read(&core.fill_sem);
		spin_lock(&core.state_lock);
	} else {
		spin_lock(&core.state_lock);
		memcpy((u8 *)st + STATUS_OUT, (u8 *)&core.snap + STATUS_OUT,
		       STATUS_OUT_SIZE);
	}
	st->state = core.state;
	if (core.state == TDX_HOST_STATE_ERROR) {
		st->err_step = core.err_step;
		st->err_errno = core.err_errno;
		st->err_tdx_status = core.err_tdx_status;
	}
	spin_unlock(&core.state_lock);

	st->backend = core.be->id;
	for_each_possible_cpu(cpu)
		enabled += cpu_is_enabled(cpu);
	st->cpus_possible = num_possible_cpus();
	st->cpus_present = num_present_cpus();
	st->cpus_online = num_online_cpus();
	st->cpus_enabled = enabled;
	if (core_knows(TDX_HOST_STATUS_MODULE_CPUS)) {
		st->module_lp_count = core.be->lp_count();
		st->nr_packages = core.be->nr_packages();
		st->valid |= TDX_HOST_STATUS_MODULE_CPUS;
	}
	if (core_knows(TDX_HOST_STATUS_STEP_TIMES)) {
		for (i = 0; i < TDX_HOST_STEP_NR; i++)
			st->step_ns[i] = atomic64_read(&core.step_ns[i]);
		st->valid |= TDX_HOST_STATUS_STEP_TIMES;
	}
	if (core_knows(TDX_HOST_STATUS_TDX_ERRORS))
		st->valid |= TDX_HOST_STATUS_TDX_ERRORS;
	/* a backend fills only what it can know */
	st->valid &= core.be->reports;
	return 0;
}

/* The record of a possible CPU, as the CPU table has it */
void tdxctl_cpu_info(unsigned int cpu, struct tdx_host_cpu_info *ci)
{
	struct tdxctl_pcpu *pc = per_cpu_ptr(&tdxctl_pcpu, cpu);

	memset(ci, 0, sizeof(*ci));
	ci->cpu = cpu;
	ci->package = cpu_present(cpu) ?
		topology_physical_package_id(cpu) : 0xffffffff;
	if (cpu_present(cpu))
		ci->flags |= TDX_HOST_CPU_PRESENT;
	if (cpu_online(cpu))
		ci->flags |= TDX_HOST_CPU_ONLINE;

	raw_spin_lock_irq(&tdxctl_pcpu_lock);
	if (pc->enabled)
		ci->flags |= TDX_HOST_CPU_ENABLED;
	if (pc->failed) {
		ci->flags |= TDX_HOST_CPU_FAILED | TDX_HOST_CPU_ERRNO;
		ci->err_errno = pc->err;
	}
	if (core_knows(TDX_HOST_STATUS_TDX_ERRORS))
		ci->flags |= TDX_HOST_CPU_TDX_STATUS;
	ci->tdx_status = pc->tdx_status;
	ci->enabled_ns = pc->enabled_ns;
	raw_spin_unlock_irq(&tdxctl_pcpu_lock);
}

int tdxctl_cpu_table(struct tdx_host_cpu_table *tbl)
{
	u8 __user *uent = u64_to_user_ptr(tbl->entries);
	u32 esize = tbl->entry_size, want = tbl->nr_entries, n = 0;
	unsigned int cpu;

	tbl->nr_entries = num_possible_cpus();
	if (!tbl->entries) {
		tbl->entry_size = sizeof(struct tdx_host_cpu_info);
		return 0;
	}
	if (esize < sizeof(struct tdx_host_cpu_info))
		return -EINVAL;
	if (esize > PAGE_SIZE)
		return -E2BIG;
	if (want < tbl->nr_entries)
		return -EOVERFLOW;

	for_each_possible_cpu(cpu) {
		struct tdx_host_cpu_info ci;

		tdxctl_cpu_info(cpu, &ci);
		if (copy_to_user(uent, &ci, sizeof(ci)))
			return -EFAULT;
		if (esize > sizeof(ci) &&
		    clear_user(uent + sizeof(ci), esize - sizeof(ci)))
			return -EFAULT;
		uent += esize;
		n++;
	}
	tbl->nr_entries = n;
	tbl->entry_size = sizeof(struct tdx_host_cpu_info);
	return 0;
}

/*
 * cpuhp online callback, on the CPU coming online.  Before global init has
 * run there is nothing to do: the CPU is enabled when asked.  After, the
 * CPU is initialized now; if the TDX module refuses (e.g. after
 * TDH.SYS.CONFIG) the online is refused, as Linux does.
 */
static int core_cpu_online(unsigned int cpu)
{
	struct tdxctl_cpu_result res = {};
	unsigned long flags;
	u64 tdx_status;
	int err;

	if (!core.be->sysinit_result(&err, &tdx_status) || err) {
		tdxctl_nl_cpu_online(cpu, cpu_is_enabled(cpu), 0);
		return 0;
	}

	local_irq_save(flags);
	core_enable_this_cpu(&res);
	local_irq_restore(flags);
	core_cpu_events();
	tdxctl_nl_cpu_online(cpu, cpu_is_enabled(cpu), -res.err);
	if (res.err && res.later) {
		pr_info_ratelimited("CPU%u: online, TDX per-CPU init later (%d): the next enable takes it\n",
				    cpu, res.err);
		return 0;
	}
	if (res.err) {
		if (core_knows(TDX_HOST_STATUS_TDX_ERRORS))
			pr_warn_ratelimited("CPU%u: TDX per-CPU init failed (%d, TDX status 0x%016llx): CPU not onlined\n",
					    cpu, res.err, res.tdx_status);
		else
			pr_warn_ratelimited("CPU%u: TDX per-CPU init failed (%d): CPU not onlined\n",
					    cpu, res.err);
		return res.err;
	}
	return 0;
}

/* cpuhp offline callback: nothing to undo (the record survives), only told */
static int core_cpu_offline(unsigned int cpu)
{
	tdxctl_nl_cpu_offline(cpu, cpu_is_enabled(cpu));
	return 0;
}

int tdxctl_core_init(const struct tdxctl_backend *be)
{
	unsigned int cpu;
	int ret, i;

	core.be = be;
	mutex_init(&core.enable_lock);
	init_rwsem(&core.fill_sem);
	core.resume = false;
	spin_lock_init(&core.state_lock);
	memset(&core.snap, 0, sizeof(core.snap));
	core.state = TDX_HOST_STATE_UNINITIALIZED;
	/* someone else (the kernel, KVM) initialized the TDX module already */
	if (be->initialized && be->initialized()) {
		core.state = TDX_HOST_STATE_INITIALIZED;
		pr_info("the TDX module is initialized already (by the kernel or KVM)\n");
	}
	core.err_step = 0;
	core.err_errno = 0;
	core.err_tdx_status = 0;
	for (i = 0; i < TDX_HOST_STEP_NR; i++)
		atomic64_set(&core.step_ns[i], 0);
	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(&tdxctl_pcpu, cpu), 0,
		       sizeof(struct tdxctl_pcpu));

	cpus_read_lock();
	ret = cpuhp_setup_state_nocalls_cpuslocked(CPUHP_AP_ONLINE_DYN,
						   "tdxctl:online",
						   core_cpu_online,
						   core_cpu_offline);
	cpus_read_unlock();
	if (ret < 0) {
		pr_err("cannot register the CPU hotplug state: %d\n", ret);
		return ret;
	}
	core.hp_state = ret;
	return 0;
}

void tdxctl_core_exit(void)
{
	cpus_read_lock();
	cpuhp_remove_state_nocalls_cpuslocked(core.hp_state);
	cpus_read_unlock();
	mutex_destroy(&core.enable_lock);
}
