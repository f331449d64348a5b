/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit: made by tools/genl-gen.py from netlink/specs/tdx_host.yaml */

#ifndef _UAPI_LINUX_TDX_HOST_GENL_H
#define _UAPI_LINUX_TDX_HOST_GENL_H

/**
 * DOC: the tdx_host generic netlink family
 *
 * Status and events of the tdxctl driver (tdxctl.ko), which brings Intel
 * TDX up on a host on demand.  The family exists while tdxctl.ko is
 * loaded, whether or not a backend is registered; the GET operations
 * answer ENODEV ("no backend") while none is.  Validation is strict for
 * every operation (no legacy "don't validate" flags, reserved header
 * fields checked); an attribute an operation does not take is rejected
 * with an extended ACK.  No operation changes state (enabling stays an
 * ioctl of /dev/tdx_host).  One permission policy with /dev/tdx_host
 * (mode 0600): every operation needs CAP_SYS_ADMIN (EPERM otherwise;
 * admin-perm, and the driver checks CAP_SYS_ADMIN before each), and
 * joining the events group needs CAP_SYS_ADMIN (cap-sys-admin; EPERM).
 * Numeric values of states, steps, backends and outcomes are those of
 * linux/tdx_host.h.  An attribute whose fact the backend does not know
 * is left out (unknown, never 0).
 */

#define TDX_HOST_FAMILY_NAME	"tdx_host"
#define TDX_HOST_FAMILY_VERSION	1

/**
 * enum tdx_host_a_status - attributes of the status set
 * @TDX_HOST_A_STATUS_STATE: u32: state of the TDX module as the driver keeps
 *	it
 * @TDX_HOST_A_STATUS_BACKEND: u32: backend in use
 * @TDX_HOST_A_STATUS_VALID: u64: TDX_HOST_STATUS_* bits of the facts known
 * @TDX_HOST_A_STATUS_ERR_STEP: u32: step of the sticky failure (state error)
 * @TDX_HOST_A_STATUS_ERR_ERRNO: u32: positive errno of the sticky failure
 *	(state error)
 * @TDX_HOST_A_STATUS_ERR_TDX_STATUS: u64: TDX status code of the sticky
 *	failure (state error)
 * @TDX_HOST_A_STATUS_VERSION_MAJOR: u32: TDX module major version
 * @TDX_HOST_A_STATUS_VERSION_MINOR: u32: TDX module minor version
 * @TDX_HOST_A_STATUS_VERSION_UPDATE: u32: TDX module update version
 * @TDX_HOST_A_STATUS_VERSION_INTERNAL: u32: TDX module internal version
 * @TDX_HOST_A_STATUS_BUILD_DATE: u32: TDX module build date, YYYYMMDD
 * @TDX_HOST_A_STATUS_BUILD_NUM: u32: TDX module build number
 * @TDX_HOST_A_STATUS_FEATURES0: u64: TDX_FEATURES0 metadata field
 * @TDX_HOST_A_STATUS_NR_TDMRS: u32: TDMRs configured
 * @TDX_HOST_A_STATUS_MAX_TDMRS: u32: MAX_TDMRS of the TDX module
 * @TDX_HOST_A_STATUS_PAMT_KB: u64: PAMT memory allocated, KiB
 * @TDX_HOST_A_STATUS_TDX_MEMORY_KB: u64: memory covered by TDMRs, KiB
 * @TDX_HOST_A_STATUS_GLOBAL_KEYID: u32: the global KeyID
 * @TDX_HOST_A_STATUS_GUEST_KEYID_FIRST: u32: first KeyID left for TDs
 * @TDX_HOST_A_STATUS_GUEST_KEYID_COUNT: u32: number of KeyIDs left for TDs
 * @TDX_HOST_A_STATUS_CPUS_POSSIBLE: u32: possible CPUs
 * @TDX_HOST_A_STATUS_CPUS_PRESENT: u32: present CPUs
 * @TDX_HOST_A_STATUS_CPUS_ONLINE: u32: online CPUs
 * @TDX_HOST_A_STATUS_CPUS_ENABLED: u32: CPUs that ran TDH.SYS.LP.INIT
 *	successfully
 * @TDX_HOST_A_STATUS_MODULE_LP_COUNT: u32: logical CPUs the TDX module counted
 *	at boot
 * @TDX_HOST_A_STATUS_NR_PACKAGES: u32: packages the TDX module counted at boot
 * @TDX_HOST_A_STATUS_STEP_NS: u64: time spent in each step in nanoseconds, one
 *	per step in step order
 * @TDX_HOST_A_STATUS_PAD: pad: padding for 64-bit attributes
 * @__TDX_HOST_A_STATUS_MAX: one past the last attribute
 * @TDX_HOST_A_STATUS_MAX: the last attribute
 *
 * The status of the driver, as struct tdx_host_status carries it.
 */
enum tdx_host_a_status {
	TDX_HOST_A_STATUS_STATE = 1,
	TDX_HOST_A_STATUS_BACKEND,
	TDX_HOST_A_STATUS_VALID,
	TDX_HOST_A_STATUS_ERR_STEP,
	TDX_HOST_A_STATUS_ERR_ERRNO,
	TDX_HOST_A_STATUS_ERR_TDX_STATUS,
	TDX_HOST_A_STATUS_VERSION_MAJOR,
	TDX_HOST_A_STATUS_VERSION_MINOR,
	TDX_HOST_A_STATUS_VERSION_UPDATE,
	TDX_HOST_A_STATUS_VERSION_INTERNAL,
	TDX_HOST_A_STATUS_BUILD_DATE,
	TDX_HOST_A_STATUS_BUILD_NUM,
	TDX_HOST_A_STATUS_FEATURES0,
	TDX_HOST_A_STATUS_NR_TDMRS,
	TDX_HOST_A_STATUS_MAX_TDMRS,
	TDX_HOST_A_STATUS_PAMT_KB,
	TDX_HOST_A_STATUS_TDX_MEMORY_KB,
	TDX_HOST_A_STATUS_GLOBAL_KEYID,
	TDX_HOST_A_STATUS_GUEST_KEYID_FIRST,
	TDX_HOST_A_STATUS_GUEST_KEYID_COUNT,
	TDX_HOST_A_STATUS_CPUS_POSSIBLE,
	TDX_HOST_A_STATUS_CPUS_PRESENT,
	TDX_HOST_A_STATUS_CPUS_ONLINE,
	TDX_HOST_A_STATUS_CPUS_ENABLED,
	TDX_HOST_A_STATUS_MODULE_LP_COUNT,
	TDX_HOST_A_STATUS_NR_PACKAGES,
	TDX_HOST_A_STATUS_STEP_NS,
	TDX_HOST_A_STATUS_PAD,

	__TDX_HOST_A_STATUS_MAX,
	TDX_HOST_A_STATUS_MAX = (__TDX_HOST_A_STATUS_MAX - 1)
};

/**
 * enum tdx_host_a_cpu - attributes of the cpu set
 * @TDX_HOST_A_CPU_ID: u32: CPU number
 * @TDX_HOST_A_CPU_FLAGS: u32: TDX_HOST_CPU_* bits
 * @TDX_HOST_A_CPU_PACKAGE: u32: physical package id (left out when not
 *	present)
 * @TDX_HOST_A_CPU_TDX_STATUS: u64: TDX status of the last TDH.SYS.LP.INIT on
 *	it
 * @TDX_HOST_A_CPU_ENABLED_NS: u64: CLOCK_BOOTTIME when it was enabled,
 *	nanoseconds
 * @TDX_HOST_A_CPU_PAD: pad: padding for 64-bit attributes
 * @TDX_HOST_A_CPU_ERRNO: u32: positive errno of the last failed attempt to
 *	enable it (left out when none is known)
 * @__TDX_HOST_A_CPU_MAX: one past the last attribute
 * @TDX_HOST_A_CPU_MAX: the last attribute
 *
 * One CPU, as struct tdx_host_cpu_info carries it.
 */
enum tdx_host_a_cpu {
	TDX_HOST_A_CPU_ID = 1,
	TDX_HOST_A_CPU_FLAGS,
	TDX_HOST_A_CPU_PACKAGE,
	TDX_HOST_A_CPU_TDX_STATUS,
	TDX_HOST_A_CPU_ENABLED_NS,
	TDX_HOST_A_CPU_PAD,
	TDX_HOST_A_CPU_ERRNO,

	__TDX_HOST_A_CPU_MAX,
	TDX_HOST_A_CPU_MAX = (__TDX_HOST_A_CPU_MAX - 1)
};

/**
 * enum tdx_host_a_ev - attributes of the event set
 * @TDX_HOST_A_EV_OLD_STATE: u32: state before the change
 * @TDX_HOST_A_EV_NEW_STATE: u32: state after the change
 * @TDX_HOST_A_EV_STEP: u32: the step that failed
 * @TDX_HOST_A_EV_ERRNO: u32: positive errno of the failure
 * @TDX_HOST_A_EV_TDX_STATUS: u64: TDX status code of the failing SEAMCALL
 * @TDX_HOST_A_EV_CPU: u32: CPU number
 * @TDX_HOST_A_EV_OUTCOME: u32: TDX_HOST_CPU_OUTCOME_ENABLED or _FAILED
 * @TDX_HOST_A_EV_INITIALIZED: u8: 1 when the CPU has run TDH.SYS.LP.INIT
 *	successfully
 * @TDX_HOST_A_EV_BACKEND: u32: the backend
 * @TDX_HOST_A_EV_PRESENT: u8: 1 the backend registered
 * @TDX_HOST_A_EV_PAD: pad: padding for 64-bit attributes
 * @TDX_HOST_A_EV_OLD_VERSION_MAJOR: u32: TDX module major version before an
 *	update
 * @TDX_HOST_A_EV_OLD_VERSION_MINOR: u32: TDX module minor version before an
 *	update
 * @TDX_HOST_A_EV_OLD_VERSION_UPDATE: u32: TDX module update version before an
 *	update
 * @TDX_HOST_A_EV_NEW_VERSION_MAJOR: u32: TDX module major version after an
 *	update
 * @TDX_HOST_A_EV_NEW_VERSION_MINOR: u32: TDX module minor version after an
 *	update
 * @TDX_HOST_A_EV_NEW_VERSION_UPDATE: u32: TDX module update version after an
 *	update
 * @__TDX_HOST_A_EV_MAX: one past the last attribute
 * @TDX_HOST_A_EV_MAX: the last attribute
 *
 * Attributes of the notifications of the events group.
 */
enum tdx_host_a_ev {
	TDX_HOST_A_EV_OLD_STATE = 1,
	TDX_HOST_A_EV_NEW_STATE,
	TDX_HOST_A_EV_STEP,
	TDX_HOST_A_EV_ERRNO,
	TDX_HOST_A_EV_TDX_STATUS,
	TDX_HOST_A_EV_CPU,
	TDX_HOST_A_EV_OUTCOME,
	TDX_HOST_A_EV_INITIALIZED,
	TDX_HOST_A_EV_BACKEND,
	TDX_HOST_A_EV_PRESENT,
	TDX_HOST_A_EV_PAD,
	TDX_HOST_A_EV_OLD_VERSION_MAJOR,
	TDX_HOST_A_EV_OLD_VERSION_MINOR,
	TDX_HOST_A_EV_OLD_VERSION_UPDATE,
	TDX_HOST_A_EV_NEW_VERSION_MAJOR,
	TDX_HOST_A_EV_NEW_VERSION_MINOR,
	TDX_HOST_A_EV_NEW_VERSION_UPDATE,

	__TDX_HOST_A_EV_MAX,
	TDX_HOST_A_EV_MAX = (__TDX_HOST_A_EV_MAX - 1)
};

/**
 * enum tdx_host_cmd - commands (requests and notifications)
 * @TDX_HOST_CMD_STATUS_GET: do; The driver's status, the same as the STATUS
 *	ioctl. Takes no attributes. EPERM without CAP_SYS_ADMIN; ENODEV while no
 *	backend is registered.
 * @TDX_HOST_CMD_CPU_GET: do; One CPU's record, as in the CPU table ioctl.
 *	EPERM without CAP_SYS_ADMIN; needs id (EINVAL otherwise); ENOENT for a CPU
 *	that is not possible, ENODEV while no backend is registered.
 * @TDX_HOST_CMD_STATE_NTF: notification to group events; The TDX module's
 *	state changed. A failed enable carries the step, errno and (when the backend
 *	knows it) the TDX status.
 * @TDX_HOST_CMD_CPU_ENABLE_NTF: notification to group events; TDH.SYS.LP.INIT
 *	ran on a CPU (from the ioctls or at CPU online).
 * @TDX_HOST_CMD_CPU_ONLINE_NTF: notification to group events; A CPU came
 *	online as the driver saw it (its online callback), and whether it is
 *	initialized; errno when the driver refused it.
 * @TDX_HOST_CMD_CPU_OFFLINE_NTF: notification to group events; A CPU went
 *	offline as the driver saw it, and whether it was initialized.
 * @TDX_HOST_CMD_FAILURE_NTF: notification to group events; The first sticky
 *	failure: sent once, when the state becomes error; STATUS keeps the same
 *	record.
 * @TDX_HOST_CMD_BACKEND_NTF: notification to group events; A backend
 *	registered (present 1) or went away (present 0); with it went the core's
 *	state.
 * @TDX_HOST_CMD_MODULE_UPDATE_NTF: notification to group events; A runtime
 *	update of the TDX module ran (the emulated platform's tdx_module firmware
 *	upload). Success carries the old and new versions; a failure after the old
 *	TDX module shut down carries the old version, errno and (when the backend
 *	knows it) the TDX status, and the state is error. An update refused before
 *	the shutdown changes nothing and sends nothing.
 * @__TDX_HOST_CMD_MAX: one past the last command
 * @TDX_HOST_CMD_MAX: the last command
 */
enum tdx_host_cmd {
	TDX_HOST_CMD_STATUS_GET = 1,
	TDX_HOST_CMD_CPU_GET,
	TDX_HOST_CMD_STATE_NTF,
	TDX_HOST_CMD_CPU_ENABLE_NTF,
	TDX_HOST_CMD_CPU_ONLINE_NTF,
	TDX_HOST_CMD_CPU_OFFLINE_NTF,
	TDX_HOST_CMD_FAILURE_NTF,
	TDX_HOST_CMD_BACKEND_NTF,
	TDX_HOST_CMD_MODULE_UPDATE_NTF,

	__TDX_HOST_CMD_MAX,
	TDX_HOST_CMD_MAX = (__TDX_HOST_CMD_MAX - 1)
};

#define TDX_HOST_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_TDX_HOST_GENL_H */
