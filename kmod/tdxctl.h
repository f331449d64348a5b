/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tdxctl.h - internal interfaces of the tdxctl driver: the core (state
 * machine, per-CPU records, hotplug) and the backend ops table below it.
 */
#ifndef TDXCTL_H
#define TDXCTL_H

#include <linux/types.h>
#include <linux/version.h>
#include <linux/tdx_host.h>

#define TDXCTL_DRIVER_VERSION	"0.1.0"

/**
 * struct tdxctl_cpu_result - outcome of enabling one CPU
 * @err: 0 or a negative errno
 * @step: &enum tdx_host_step that failed (SYS_INIT or LP_INIT), or 0
 * @tdx_status: TDX status code of the failing SEAMCALL, or 0
 * @later: the CPU cannot be enabled now, through no fault of its own (the
 *	kernel backend: it is not in VMX operation); a CPU coming online
 *	comes online all the same, and a later enable takes it
 */
struct tdxctl_cpu_result {
	int err;
	u32 step;
	u64 tdx_status;
	bool later;
};

/**
 * struct tdxctl_result - outcome of module enable as a backend reports it
 * @step: &enum tdx_host_step that failed, or 0
 * @tdx_status: TDX status code of the failing SEAMCALL, or 0
 * @sticky: the failure came at or after TDH.SYS.CONFIG, where the TDX
 *	module's once-only rules start: it may have changed, and module
 *	enable cannot be retried.  Clear, the TDX module is as it was and
 *	everything the attempt allocated is freed: a retry is legitimate.
 * @resumable: set by @module_finish only: it stopped for a fatal signal
 *	with nothing lost (the TDX module keeps its TDMR.INIT cursors, the
 *	backend its TDMRs and PAMTs); calling it again resumes.
 */
struct tdxctl_result {
	u32 step;
	u64 tdx_status;
	bool sticky;
	bool resumable;
};

/**
 * struct tdxctl_backend - how the core reaches a TDX module
 * @name: backend name, as the ``backend`` module parameter spells it
 * @id: &enum tdx_host_backend
 * @owner: the module that implements the ops; pinned while
 *	/dev/tdx_host is open
 * @reports: TDX_HOST_STATUS_* bits of the facts this backend can know
 *	(a fact it cannot know is reported "unknown", never 0); the core
 *	clears the bits of facts it has not got yet
 * @cpu_enable: global init once (result cached) then per-CPU init of the
 *	calling CPU; called on that CPU with interrupts off.  Returns 0 or
 *	a negative errno; fills @res as far as it knows (see @reports)
 * @sysinit_result: whether global init ran, and its errno and TDX status
 * @module_enable: module initialization up to the steps that need every
 *	package online (TDH.SYS.KEY.CONFIG); called with CPU hotplug held
 *	off and the core mutex held, after the pre-flight.  Sets
 *	&tdxctl_result.sticky on a failure from TDH.SYS.CONFIG on.
 * @module_finish: the rest (TDH.SYS.TDMR.INIT), after @module_enable
 *	succeeded; called with the core mutex held and CPU hotplug allowed.
 *	Must end on its own and on a fatal signal.  A failure is sticky,
 *	but for a fatal signal that it reports &tdxctl_result.resumable:
 *	then the core calls it again on the next module enable, without
 *	@module_enable, and it resumes where it stopped.  May be NULL when
 *	@module_enable does everything.
 * @lp_count: logical CPUs the TDX module counted at boot (0: unknown)
 * @nr_packages: packages the TDX module counted at boot (0: unknown)
 * @fill_status: fill the module, TDMR and KeyID groups of a status and
 *	set their bits in &tdx_host_status.valid; may be NULL.  May sleep on
 *	the backend's locks: the core never calls it from STATUS while a
 *	module enable runs (it answers from what it kept instead)
 * @initialized: whether the TDX module was initialized before the backend
 *	registered (by the kernel or KVM); the core then starts initialized.
 *	May be NULL
 *
 * A backend that gets only an errno from below (no step, no TDX status
 * code, no metadata) leaves those bits out of @reports, leaves the
 * optional ops NULL, and is as much at home here as the emulated one.
 */
struct tdxctl_backend {
	const char *name;
	u32 id;
	struct module *owner;
	u64 reports;
	int (*cpu_enable)(struct tdxctl_cpu_result *res);
	bool (*sysinit_result)(int *err, u64 *tdx_status);
	int (*module_enable)(struct tdxctl_result *res);
	int (*module_finish)(struct tdxctl_result *res);
	unsigned int (*lp_count)(void);
	unsigned int (*nr_packages)(void);
	void (*fill_status)(struct tdx_host_status *st);
	bool (*initialized)(void);
};

/*
 * The backend registry, exported to backend modules.  Registering gives
 * /dev/tdx_host with fresh core state; a backend is accepted only when
 * the ``backend`` parameter names it.  Unregistering removes the device
 * and drops the core's state with it (the backend's TDX module state goes
 * with the backend): the core is back to "no backend".
 */
int tdxctl_register_backend(const struct tdxctl_backend *be);
void tdxctl_unregister_backend(const struct tdxctl_backend *be);
/*
 * A runtime update of the TDX module (the emulated platform's): @update
 * runs with enabling and CPU hotplug held off; see core.c
 */
int tdxctl_module_update(int (*update)(void *arg, struct tdxctl_result *res),
			 void *arg);
/* a backend that times its steps reports them here */
void tdxctl_step_add(u32 step, u64 ns);

#ifdef TDXCTL_KERNEL_BACKEND
/* kernel.c */
extern const struct tdxctl_backend tdxctl_kernel_backend;
bool tdxctl_kernel_usable(const char **why);
#endif

/* core.c */
int tdxctl_core_init(const struct tdxctl_backend *be);
void tdxctl_core_exit(void);
int tdxctl_status(struct tdx_host_status *st);
int tdxctl_cpu_table(struct tdx_host_cpu_table *tbl);
int tdxctl_cpu_enable(struct tdx_host_cpu_enable *ce);
int tdxctl_module_enable(struct tdx_host_module_enable *me);
void tdxctl_cpu_info(unsigned int cpu, struct tdx_host_cpu_info *ci);

/* main.c: the netlink GET operations, with the backend held in place */
int tdxctl_get_status(struct tdx_host_status *st);
int tdxctl_get_cpu_info(unsigned int cpu, struct tdx_host_cpu_info *ci);

/*
 * netlink.c: the tdx_host generic netlink family, registered for as long
 * as tdxctl.ko is loaded.  The event senders build nothing when nobody
 * listens; they take positive errnos and sleep (process context only).
 * @detail: the backend reports steps and TDX status codes
 * (TDX_HOST_STATUS_TDX_ERRORS); without it they are left out.
 */
int tdxctl_nl_init(void);
void tdxctl_nl_exit(void);
void tdxctl_nl_state(u32 old, u32 new, u32 step, int err, u64 tdx_status,
		     bool detail);
void tdxctl_nl_failure(u32 step, int err, u64 tdx_status, bool detail);
void tdxctl_nl_cpu_enable(unsigned int cpu,
			  const struct tdxctl_cpu_result *res, bool detail);
void tdxctl_nl_cpu_online(unsigned int cpu, bool initialized, int err);
void tdxctl_nl_cpu_offline(unsigned int cpu, bool initialized);
void tdxctl_nl_backend(u32 id, bool present);
void tdxctl_nl_module_update(const u32 *old, const u32 *new, int err,
			     u64 tdx_status, bool detail);

#endif /* TDXCTL_H */
