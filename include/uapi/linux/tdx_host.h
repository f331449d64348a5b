/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * tdx_host.h - userspace ABI of the tdxctl driver (/dev/tdx_host)
 *
 * The tdxctl driver brings Intel TDX up on a host on demand: it runs the
 * per-CPU and the global initialization of the TDX module and reports
 * what state they are in.  This header is the whole contract between the
 * driver (tdxctl.ko) and userspace.
 */
#ifndef _UAPI_LINUX_TDX_HOST_H
#define _UAPI_LINUX_TDX_HOST_H

#include <linux/ioctl.h>
#include <linux/types.h>

/**
 * DOC: ABI rules and errno vocabulary
 *
 * Every ioctl takes a pointer to a struct that starts with ``__u32 size``
 * and ``__u32 flags``.  ``size`` is sizeof() the struct as the caller
 * knows it; the driver accepts any size from the v1 size up to one page
 * and treats bytes past what it knows as an extension that must be zero.
 * Numbers are _IO() numbers: the size lives in the struct, not in the
 * ioctl number.  All fields are fixed-width and naturally aligned, user
 * pointers are __aligned_u64, and every struct is a multiple of 8 bytes,
 * so 32-bit callers on a 64-bit kernel use the same layout.
 *
 * Output structs are always written in full up to min(size, known size);
 * bytes the driver does not fill (reserved fields) come back zero.  On
 * return, ``size`` holds that number of bytes: what the driver wrote, so
 * a caller newer than the driver learns how much of its struct was
 * filled.  Before any side effect the driver proves those bytes
 * writable (it writes back what it read): EFAULT for a struct that
 * cannot be answered means nothing changed.  Only a caller that makes
 * its own struct unwritable while the call runs (another thread's
 * munmap or mprotect) gets EFAULT after the call took effect; STATUS
 * then tells the outcome.
 *
 * The errno values mean the same thing for every ioctl:
 *
 * - ENOTTY: unknown ioctl number.
 * - EINVAL: ``size`` smaller than the v1 size, an unknown flag bit, or an
 *   input value out of its range.  Output fields (reserved ones
 *   included) are ignored on input.
 * - E2BIG: ``size`` is larger than the driver knows and a byte past the
 *   known size is non-zero (a newer caller asked for something this
 *   driver does not have), or ``size`` is larger than a page.
 * - EFAULT: the struct or a buffer it points to is not accessible.
 * - EBADF: a state-changing ioctl on a file descriptor not opened for
 *   writing.
 * - EPERM: a state-changing ioctl whose opener lacked CAP_SYS_ADMIN
 *   (checked against the credentials the file was opened with).
 * - ENOENT: the CPU number names no possible/present CPU.
 * - ENXIO: the CPU is present but offline.
 * - EAGAIN: module enable refused before any step was taken, because a
 *   CPU is offline or has not been TDX-enabled; nothing changed, fix the
 *   CPUs and retry.  The kernel log names the CPUs.
 * - EIO: the TDX module returned an error; the struct carries the TDX
 *   status code and the step.  Whether module enable can be retried
 *   depends on the step (see &struct tdx_host_module_enable).
 * - ENODEV: no TDX module is present (SEAMCALL VMfailInvalid).
 * - EOVERFLOW: an output array is too small; the count field says how
 *   many entries are needed.
 * - ENOMEM: the driver could not allocate memory (PAMT, TDMR list).
 * - ENOSPC: the TDX module's limits (TDMRs, reserved areas per TDMR)
 *   cannot describe the machine's memory map.
 * - ERANGE: module enable refused before TDH.SYS.CONFIG: memory the
 *   TDMRs would cover (or a PAMT or TDMR_INFO placed there) is outside
 *   the TDX module's CMRs, as memory added after boot is; nothing
 *   changed.  The kernel log names the range.
 * - EOPNOTSUPP: the TDX module lacks a feature the driver requires
 *   (TDX_FEATURES0 NO_RBP_MOD), or the SEAMCALL faulted (#GP: SEAM mode
 *   is off).
 * - EACCES: the CPU refused the SEAMCALL (#UD: not in VMX operation).
 * - EPROTO: the TDX module broke its own ABI: TDH.SYS.TDMR.INIT
 *   reported success without progress.  The kernel log says where.
 * - EINTR: interrupted by a signal while waiting for another enabler,
 *   or module enable ended by a fatal signal during TDH.SYS.TDMR.INIT.
 */

/**
 * DOC: TDX module runtime update
 *
 * A runtime update of the TDX module (Linux 7.2's interface: the
 * firmware-upload device ``tdx_module``; here the emulated platform's)
 * runs under the driver's enable lock, so module enable and per-CPU
 * enable wait for it.  A successful update keeps the state initialized,
 * the KeyIDs, TDMRs, PAMTs and per-CPU records, and changes the version
 * STATUS reports.  An update refused before the old TDX module shut down
 * changes nothing.  One that fails after the shutdown leaves the TDX
 * module unusable: the state becomes TDX_HOST_STATE_ERROR, sticky until
 * reboot.  Each update that ran is the notification module-update-ntf of
 * the generic netlink family (linux/tdx_host_genl.h): old and new
 * versions on success, the old version, errno and TDX status on failure.
 */

/* ioctl type byte; 0xD8 00-1F is unassigned in ioctl-number.rst */
#define TDX_HOST_IOCTL_TYPE	0xD8

/* Version of this ABI.  Bumped only for incompatible changes. */
#define TDX_HOST_ABI_VERSION	1

/**
 * enum tdx_host_backend - how the driver reaches the TDX module
 * @TDX_HOST_BACKEND_NONE: no backend (never reported by a loaded driver)
 * @TDX_HOST_BACKEND_EMULATED: the emulated TDX platform of the test
 *	module tdxctl_emu.ko, accepted only with ``backend=emulated``
 * @TDX_HOST_BACKEND_KERNEL: the kernel's own TDX host core
 */
enum tdx_host_backend {
	TDX_HOST_BACKEND_NONE		= 0,
	TDX_HOST_BACKEND_EMULATED	= 1,
	TDX_HOST_BACKEND_KERNEL		= 2,
};

/**
 * enum tdx_host_state - state of the TDX module as the driver keeps it
 * @TDX_HOST_STATE_UNINITIALIZED: module enable has not run yet, or stopped
 *	where the next one resumes (a fatal signal during TDH.SYS.TDMR.INIT)
 * @TDX_HOST_STATE_INITIALIZING: module enable is running
 * @TDX_HOST_STATE_INITIALIZED: the TDX module is ready for TDs
 * @TDX_HOST_STATE_ERROR: module enable failed at or after TDH.SYS.CONFIG
 *	(or TDH.SYS.INIT failed), or a runtime update of the TDX module
 *	failed after the old TDX module shut down (err_step
 *	TDX_HOST_STEP_NONE, err_tdx_status the failing call's status);
 *	sticky until reboot
 */
enum tdx_host_state {
	TDX_HOST_STATE_UNINITIALIZED	= 0,
	TDX_HOST_STATE_INITIALIZING	= 1,
	TDX_HOST_STATE_INITIALIZED	= 2,
	TDX_HOST_STATE_ERROR		= 3,
};

/**
 * enum tdx_host_step - steps of TDX module initialization
 * @TDX_HOST_STEP_NONE: no step (no failure)
 * @TDX_HOST_STEP_PREFLIGHT: checks before any sticky step (CPUs online
 *	and enabled)
 * @TDX_HOST_STEP_SYS_INIT: TDH.SYS.INIT, global, once
 * @TDX_HOST_STEP_LP_INIT: TDH.SYS.LP.INIT, once per logical CPU
 * @TDX_HOST_STEP_SYS_RD: reading TDX module metadata (TDH.SYS.RD)
 * @TDX_HOST_STEP_TDMR_BUILD: building TDMRs and allocating PAMTs
 * @TDX_HOST_STEP_CONFIG: TDH.SYS.CONFIG
 * @TDX_HOST_STEP_KEY_CONFIG: TDH.SYS.KEY.CONFIG, once per package
 * @TDX_HOST_STEP_TDMR_INIT: TDH.SYS.TDMR.INIT, in chunks
 * @TDX_HOST_STEP_NR: number of steps this header knows; at most
 *	TDX_HOST_STEP_SLOTS
 */
enum tdx_host_step {
	TDX_HOST_STEP_NONE		= 0,
	TDX_HOST_STEP_PREFLIGHT		= 1,
	TDX_HOST_STEP_SYS_INIT		= 2,
	TDX_HOST_STEP_LP_INIT		= 3,
	TDX_HOST_STEP_SYS_RD		= 4,
	TDX_HOST_STEP_TDMR_BUILD	= 5,
	TDX_HOST_STEP_CONFIG		= 6,
	TDX_HOST_STEP_KEY_CONFIG	= 7,
	TDX_HOST_STEP_TDMR_INIT		= 8,
	TDX_HOST_STEP_NR		= 9,
};

/* Entries of &tdx_host_status.step_ns: fixed, with room for new steps */
#define TDX_HOST_STEP_SLOTS	16

/**
 * struct tdx_host_version - TDX_HOST_IOC_VERSION
 * @size: sizeof(struct tdx_host_version)
 * @flags: must be 0
 * @abi_version: out: TDX_HOST_ABI_VERSION of the driver
 * @backend: out: &enum tdx_host_backend in use
 * @driver_version: out: NUL-terminated version string of the driver
 *
 * Works on any open file descriptor.
 */
struct tdx_host_version {
	__u32 size;
	__u32 flags;
	__u32 abi_version;
	__u32 backend;
	__u8 driver_version[32];
};

/*
 * struct tdx_host_status.valid bits: which facts are known.  A backend
 * reports what it can learn; the kernel backend, for one, gets only an
 * errno from the kernel's TDX core.  A fact whose bit is clear is
 * unknown, not zero.
 */
/* version_*, build_date, build_num */
#define TDX_HOST_STATUS_MODULE_INFO	(1ULL << 0)
/* nr_tdmrs, pamt_kb, tdx_memory_kb */
#define TDX_HOST_STATUS_TDMR_INFO	(1ULL << 1)
/* global_keyid, guest_keyid_first */
#define TDX_HOST_STATUS_KEYID_INFO	(1ULL << 2)
/* module_lp_count, nr_packages */
#define TDX_HOST_STATUS_MODULE_CPUS	(1ULL << 3)
/* step_ns */
#define TDX_HOST_STATUS_STEP_TIMES	(1ULL << 4)
/*
 * The backend reports TDX status codes and failing steps: err_step and
 * err_tdx_status here, the TDX_HOST_CPU_TDX_STATUS flag of the CPU table
 * and TDX_HOST_RESULT_DETAIL of the enable calls follow from it.
 */
#define TDX_HOST_STATUS_TDX_ERRORS	(1ULL << 5)
/* features0, max_tdmrs: what the TDX module supports */
#define TDX_HOST_STATUS_MODULE_CAPS	(1ULL << 6)
/* guest_keyid_count */
#define TDX_HOST_STATUS_GUEST_KEYIDS	(1ULL << 7)

/**
 * struct tdx_host_status - TDX_HOST_IOC_STATUS
 * @size: sizeof(struct tdx_host_status)
 * @flags: must be 0
 * @state: out: &enum tdx_host_state
 * @backend: out: &enum tdx_host_backend
 * @valid: out: TDX_HOST_STATUS_* bits saying which groups below are filled
 * @err_step: out: &enum tdx_host_step of the sticky failure (state
 *	ERROR), or 0; a failure before TDH.SYS.CONFIG is not recorded here;
 *	known with TDX_HOST_STATUS_TDX_ERRORS
 * @err_errno: out: positive errno of the sticky failure, or 0; always
 *	known
 * @err_tdx_status: out: TDX status code of the sticky failure, or 0;
 *	known with TDX_HOST_STATUS_TDX_ERRORS
 * @version_major: out: TDX module major version
 * @version_minor: out: TDX module minor version
 * @version_update: out: TDX module update (z-stream) version
 * @version_internal: out: TDX module internal version
 * @build_date: out: TDX module build date, YYYYMMDD
 * @build_num: out: TDX module build number
 * @features0: out: TDX_FEATURES0 metadata field
 * @nr_tdmrs: out: TDMRs configured
 * @max_tdmrs: out: MAX_TDMRS of the TDX module
 * @pamt_kb: out: PAMT memory allocated, KiB
 * @tdx_memory_kb: out: memory covered by TDMRs, KiB
 * @global_keyid: out: private KeyID used for the PAMT (the global KeyID)
 * @guest_keyid_first: out: first KeyID left for TDs
 * @guest_keyid_count: out: number of KeyIDs left for TDs
 * @cpus_possible: out: possible CPUs
 * @cpus_present: out: present CPUs
 * @cpus_online: out: online CPUs
 * @cpus_enabled: out: CPUs that ran TDH.SYS.LP.INIT successfully
 * @module_lp_count: out: logical CPUs the TDX module counted at boot
 * @nr_packages: out: packages the TDX module counted at boot
 * @reserved: out: zero (ignored on input)
 * @step_ns: out: time spent in each &enum tdx_host_step, nanoseconds
 *	(LP_INIT sums all CPUs), indexed by step; entries past the steps
 *	the driver knows are zero
 *
 * Works on any open file descriptor.  Everything after @flags is
 * output; what the caller left there is ignored.  Fields whose bit is
 * not in @valid are zero and mean "unknown".  @state, @backend, the
 * error's @err_errno and the cpus_* counts are always known.
 */
struct tdx_host_status {
	__u32 size;
	__u32 flags;
	__u32 state;
	__u32 backend;
	__aligned_u64 valid;
	__u32 err_step;
	__s32 err_errno;
	__aligned_u64 err_tdx_status;
	__u32 version_major;
	__u32 version_minor;
	__u32 version_update;
	__u32 version_internal;
	__u32 build_date;
	__u32 build_num;
	__aligned_u64 features0;
	__u32 nr_tdmrs;
	__u32 max_tdmrs;
	__aligned_u64 pamt_kb;
	__aligned_u64 tdx_memory_kb;
	__u32 global_keyid;
	__u32 guest_keyid_first;
	__u32 guest_keyid_count;
	__u32 cpus_possible;
	__u32 cpus_present;
	__u32 cpus_online;
	__u32 cpus_enabled;
	__u32 module_lp_count;
	__u32 nr_packages;
	__u32 reserved;
	__aligned_u64 step_ns[TDX_HOST_STEP_SLOTS];
};

/* struct tdx_host_cpu_info.flags bits */
#define TDX_HOST_CPU_PRESENT	(1U << 0)
#define TDX_HOST_CPU_ONLINE	(1U << 1)
#define TDX_HOST_CPU_ENABLED	(1U << 2) /* TDH.SYS.LP.INIT succeeded */
#define TDX_HOST_CPU_FAILED	(1U << 3) /* last TDH.SYS.LP.INIT failed */
#define TDX_HOST_CPU_TDX_STATUS	(1U << 4) /* tdx_status is known */
#define TDX_HOST_CPU_ERRNO	(1U << 5) /* err_errno is known */

/**
 * struct tdx_host_cpu_info - one record of TDX_HOST_IOC_CPU_TABLE
 * @cpu: CPU number
 * @flags: TDX_HOST_CPU_* bits
 * @package: physical package id, or 0xffffffff if unknown
 * @err_errno: positive errno of the last failed attempt to enable this
 *	CPU (EIO: the TDX module refused it, @tdx_status says why; EACCES:
 *	the CPU was not in VMX operation, a retry with VMX on can succeed),
 *	or 0; known when @flags has TDX_HOST_CPU_ERRNO (drivers before it
 *	leave the field zero and the bit clear)
 * @tdx_status: TDX status of the last TDH.SYS.LP.INIT on this CPU (0 ok);
 *	known when @flags has TDX_HOST_CPU_TDX_STATUS
 * @enabled_ns: CLOCK_BOOTTIME when the CPU was enabled, nanoseconds;
 *	0 if it never was
 */
struct tdx_host_cpu_info {
	__u32 cpu;
	__u32 flags;
	__u32 package;
	__s32 err_errno;
	__aligned_u64 tdx_status;
	__aligned_u64 enabled_ns;
};

/**
 * struct tdx_host_cpu_table - TDX_HOST_IOC_CPU_TABLE
 * @size: sizeof(struct tdx_host_cpu_table)
 * @flags: must be 0
 * @nr_entries: in: capacity of @entries, in records; out: records
 *	written, or records needed when the call fails with EOVERFLOW
 *	or @entries is 0
 * @entry_size: in: sizeof(struct tdx_host_cpu_info) as the caller knows
 *	it (at least the v1 size); out: the size the driver wrote
 * @entries: in: user pointer to an array of records, or 0 to ask only
 *	for the count
 *
 * One record per possible CPU, in ascending CPU order.  Two-call use:
 * call with @entries 0 to learn the count, allocate, call again.  CPUs
 * may appear between the two calls; EOVERFLOW then gives the new count.
 * Works on any open file descriptor.
 */
struct tdx_host_cpu_table {
	__u32 size;
	__u32 flags;
	__u32 nr_entries;
	__u32 entry_size;
	__aligned_u64 entries;
};

/* struct tdx_host_cpu_enable.outcome values */
#define TDX_HOST_CPU_OUTCOME_ENABLED	1 /* this call ran TDH.SYS.LP.INIT */
#define TDX_HOST_CPU_OUTCOME_ALREADY	2 /* the CPU was enabled before */
#define TDX_HOST_CPU_OUTCOME_FAILED	3 /* TDX module error, see tdx_status */

/* struct tdx_host_cpu_enable.valid, struct tdx_host_module_enable.valid */
#define TDX_HOST_RESULT_DETAIL	(1U << 0) /* step and tdx_status are known */

/**
 * struct tdx_host_cpu_enable - TDX_HOST_IOC_CPU_ENABLE
 * @size: sizeof(struct tdx_host_cpu_enable)
 * @flags: must be 0
 * @cpu: in: the CPU to enable
 * @outcome: out: TDX_HOST_CPU_OUTCOME_*
 * @tdx_status: out: TDX status code of the failing SEAMCALL, or 0
 * @step: out: &enum tdx_host_step that failed (SYS_INIT or LP_INIT), or 0
 * @valid: out: TDX_HOST_RESULT_DETAIL when @step and @tdx_status are
 *	known (ignored on input)
 *
 * Runs TDH.SYS.INIT once (on the first CPU enabled, result cached) and
 * TDH.SYS.LP.INIT on @cpu, on that CPU, with interrupts off.  Enabling
 * an enabled CPU succeeds with outcome ALREADY.  Needs a writable fd and
 * CAP_SYS_ADMIN.  Errors: ENOENT (no such CPU), ENXIO (CPU offline),
 * EIO (TDX module error, outcome FAILED), ENODEV (no TDX module).
 */
struct tdx_host_cpu_enable {
	__u32 size;
	__u32 flags;
	__u32 cpu;
	__u32 outcome;
	__aligned_u64 tdx_status;
	__u32 step;
	__u32 valid;
};

/* struct tdx_host_module_enable.flags bits */
#define TDX_HOST_ENABLE_ALL_CPUS	(1U << 0) /* enable every online CPU first, in parallel */

/**
 * struct tdx_host_module_enable - TDX_HOST_IOC_MODULE_ENABLE
 * @size: sizeof(struct tdx_host_module_enable)
 * @flags: TDX_HOST_ENABLE_* bits
 * @state: out: &enum tdx_host_state after the call
 * @step: out: &enum tdx_host_step that failed, or 0
 * @tdx_status: out: TDX status code of the failure, or 0
 * @err_errno: out: positive errno of the failure, or 0
 * @valid: out: TDX_HOST_RESULT_DETAIL when @step and @tdx_status are
 *	known (ignored on input)
 *
 * Initializes the TDX module once: metadata, TDMRs and PAMTs,
 * TDH.SYS.CONFIG, per-package TDH.SYS.KEY.CONFIG, TDH.SYS.TDMR.INIT.
 * Runs with CPU hotplug held off up to TDH.SYS.KEY.CONFIG (hotplug may
 * run during TDH.SYS.TDMR.INIT; a CPU coming online then is refused, as
 * after enable) and requires every online CPU, and every CPU the TDX
 * module counted, to be enabled (EAGAIN otherwise, with nothing changed).
 * Concurrent and repeated calls are safe: an initialized module returns 0.
 *
 * Sticky means "the TDX module may have changed".  Its once-only rules
 * start at TDH.SYS.CONFIG:
 *
 * - A failure before CONFIG (pre-flight EAGAIN, metadata EIO or
 *   EOPNOTSUPP, ENOMEM or ENOSPC building TDMRs and PAMTs, ERANGE for
 *   memory outside the CMRs) leaves the
 *   TDX module untouched and everything allocated freed: the call
 *   returns that errno with @step, @tdx_status and @err_errno set and
 *   @state UNINITIALIZED, and may be retried.  STATUS keeps no record
 *   of it.
 * - A fatal signal to the caller during TDMR.INIT is not a failure: the
 *   call ends (its caller is dying), @state goes back to UNINITIALIZED
 *   with CONFIG and KEY.CONFIG kept, and the next MODULE_ENABLE resumes
 *   TDMR.INIT where the TDX module's per-TDMR cursor stands.
 * - A failure from CONFIG on (EIO, EPROTO, ENOMEM) is sticky until
 *   reboot: the failing call returns its errno, state becomes ERROR, and
 *   every later call returns EIO with the first failure's record (also
 *   in STATUS).
 * - A failed TDH.SYS.INIT (cached for every caller) is sticky as well.
 *
 * With TDX_HOST_ENABLE_ALL_CPUS, a CPU that could not be enabled makes
 * the call return that CPU's errno (EIO when the TDX module refused its
 * TDH.SYS.LP.INIT, EACCES when it was not in VMX operation) with @step
 * LP_INIT and its status; that is per-CPU state, not sticky (the CPU
 * table has it).  Needs a writable fd
 * and CAP_SYS_ADMIN.
 */
struct tdx_host_module_enable {
	__u32 size;
	__u32 flags;
	__u32 state;
	__u32 step;
	__aligned_u64 tdx_status;
	__s32 err_errno;
	__u32 valid;
};

#define TDX_HOST_IOC_VERSION		_IO(TDX_HOST_IOCTL_TYPE, 0x00)
#define TDX_HOST_IOC_STATUS		_IO(TDX_HOST_IOCTL_TYPE, 0x01)
#define TDX_HOST_IOC_CPU_TABLE		_IO(TDX_HOST_IOCTL_TYPE, 0x02)
#define TDX_HOST_IOC_CPU_ENABLE		_IO(TDX_HOST_IOCTL_TYPE, 0x03)
#define TDX_HOST_IOC_MODULE_ENABLE	_IO(TDX_HOST_IOCTL_TYPE, 0x04)

#endif /* _UAPI_LINUX_TDX_HOST_H */
