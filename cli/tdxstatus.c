// SPDX-License-Identifier: GPL-2.0-only
/*
 * tdxstatus.c - TDX status codes, driver states and errno vocabulary
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <linux/tdx_host.h>
#include "tdx/tdx_arch.h"

#include "tdxctl.h"
#include "tdxstatus.h"

struct status_entry {
	const char *name;
	uint64_t value;
	const char *desc;
};

#define X(n, v, d) { #n, v, d },
static const struct status_entry status_table[] = { TDX_STATUS_LIST(X) };
#undef X
#define NSTATUS (sizeof(status_table) / sizeof(status_table[0]))

static const struct status_entry *status_lookup(uint64_t code)
{
	/* Software codes (class 0xFF) carry a trap number in the low bits:
	 * they match exactly. */
	for (size_t i = 0; i < NSTATUS; i++)
		if ((status_table[i].value & TDX_STATUS_CLASS_MASK) == (0xffULL << TDX_STATUS_CLASS_SHIFT) &&
		    status_table[i].value == code)
			return &status_table[i];
	/* TDX_SUCCESS is 0 exactly: a success carries no operand */
	if (code && !(code & TDX_SEAMCALL_STATUS_MASK))
		return NULL;
	for (size_t i = 0; i < NSTATUS; i++)
		if ((status_table[i].value & TDX_STATUS_CLASS_MASK) != (0xffULL << TDX_STATUS_CLASS_SHIFT) &&
		    status_table[i].value == (code & TDX_SEAMCALL_STATUS_MASK))
			return &status_table[i];
	return NULL;
}

const char *tdx_status_name(uint64_t code)
{
	const struct status_entry *e = status_lookup(code);

	return e ? e->name : "unknown";
}

bool tdx_status_by_name(const char *name, uint64_t *code)
{
	for (size_t i = 0; i < NSTATUS; i++) {
		const char *n = status_table[i].name;

		if (!strcasecmp(name, n) || !strcasecmp(name, n + 4)) {
			*code = status_table[i].value;
			return true;
		}
	}
	return false;
}

static const char *class_name(unsigned cls)
{
	switch (cls) {
	case 0x00: return "general";
	case 0x01: return "operand";
	case 0x02: return "busy/resource";
	case 0x05: return "module state";
	case 0x08: return "key management";
	case 0x09: return "platform configuration (CPUID/MSR)";
	case 0x0A: return "memory configuration (TDMR/PAMT/CMR)";
	case 0x0C: return "metadata";
	case 0xFF: return "software (SEAMCALL did not complete)";
	}
	return "other";
}

static const char *reg_name(uint32_t id)
{
	static const char *const gpr[16] = {
		"RAX", "RCX", "RDX", "RBX", "RSP", "RBP", "RSI", "RDI",
		"R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15",
	};

	if (id < 16)
		return gpr[id];
	switch (id) {
	case TDX_OPERAND_ID_TDMR_INFO_PA: return "TDMR_INFO_PA";
	case TDX_OPERAND_ID_TDR: return "TDR";
	case TDX_OPERAND_ID_SYS: return "SYS";
	case TDX_OPERAND_ID_KET: return "KET";
	}
	return NULL;
}

void tdx_status_decode(uint64_t code, struct tdx_status_info *o)
{
	const struct status_entry *e = status_lookup(code);
	uint64_t base = code & TDX_SEAMCALL_STATUS_MASK;

	memset(o, 0, sizeof(*o));
	o->code = code;
	o->name = e ? e->name : NULL;
	o->desc = e ? e->desc : NULL;
	o->class = (unsigned)((code & TDX_STATUS_CLASS_MASK) >> TDX_STATUS_CLASS_SHIFT);
	o->class_name = class_name(o->class);
	o->error = code & TDX_STATUS_ERROR_BIT;
	o->non_recoverable = code & TDX_STATUS_NON_RECOVERABLE_BIT;
	o->fatal = code & TDX_STATUS_FATAL_BIT;
	o->host_recoverable = code & TDX_STATUS_HOST_RECOVERABLE_BIT;
	/* Retryable: an error the TDX module calls recoverable.  Class 0xFF
	 * is Linux's: the SEAMCALL never completed (no module, #GP, #UD),
	 * and calling again changes nothing. */
	o->retry = o->error && !o->non_recoverable && !o->fatal && o->class != 0xFF;
	o->operand = (uint32_t)(code & TDX_STATUS_OPERAND_MASK);

	if (o->class == 0xFF) {
		if (code == 0x8000FF00FFFF0000ULL)
			o->linux_errno = "ENODEV";
		else if (code == 0x8000FF000000000DULL)
			o->linux_errno = "EOPNOTSUPP";
		else if (code == 0x8000FF0000000006ULL)
			o->linux_errno = "EACCES";
		else
			o->linux_errno = "EIO";
		o->operand_kind = NULL;
		o->operand = 0;
		return;
	}
	o->linux_errno = code ? "EIO" : NULL;
	if (!code)
		return;
	if (base == 0xC000092000000000ULL || base == 0xC000092100000000ULL) {
		o->operand_kind = "msr";
	} else if (base == 0xC0000A0000000000ULL) {
		o->operand_kind = "tdmr";
	} else if ((base & 0xfffffffe00000000ULL) == 0xC000010000000000ULL ||
		   (base & 0xfffffffe00000000ULL) == 0x8000020000000000ULL) {
		/* TDX_OPERAND_INVALID/_ADDR_RANGE_ERROR, TDX_OPERAND_BUSY/
		 * _BUSY_HOST_PRIORITY: the low bits name the operand */
		o->operand_kind = "register";
		o->operand_name = reg_name(o->operand);
	} else if (o->operand) {
		o->operand_kind = "detail";
	}
}

static const char *const state_names[] = {
	[TDX_HOST_STATE_UNINITIALIZED] = "uninitialized",
	[TDX_HOST_STATE_INITIALIZING] = "initializing",
	[TDX_HOST_STATE_INITIALIZED] = "initialized",
	[TDX_HOST_STATE_ERROR] = "error",
};

const char *tdx_state_name(unsigned s)
{
	return s < sizeof(state_names) / sizeof(state_names[0]) && state_names[s] ?
		state_names[s] : "unknown";
}

const char *tdx_backend_name(unsigned b)
{
	switch (b) {
	case TDX_HOST_BACKEND_NONE: return "none";
	case TDX_HOST_BACKEND_EMULATED: return "emulated";
	case TDX_HOST_BACKEND_KERNEL: return "kernel";
	}
	return "unknown";
}

static const struct {
	const char *name;
	const char *desc;
} steps[] = {
	[TDX_HOST_STEP_NONE] = { "none", "no step" },
	[TDX_HOST_STEP_PREFLIGHT] = { "preflight", "pre-flight checks (CPUs online and enabled)" },
	[TDX_HOST_STEP_SYS_INIT] = { "sys_init", "TDH.SYS.INIT (global init)" },
	[TDX_HOST_STEP_LP_INIT] = { "lp_init", "TDH.SYS.LP.INIT (per-CPU init)" },
	[TDX_HOST_STEP_SYS_RD] = { "sys_rd", "TDH.SYS.RD (reading TDX module metadata)" },
	[TDX_HOST_STEP_TDMR_BUILD] = { "tdmr_build", "building TDMRs and allocating PAMTs" },
	[TDX_HOST_STEP_CONFIG] = { "config", "TDH.SYS.CONFIG" },
	[TDX_HOST_STEP_KEY_CONFIG] = { "key_config", "TDH.SYS.KEY.CONFIG (per package)" },
	[TDX_HOST_STEP_TDMR_INIT] = { "tdmr_init", "TDH.SYS.TDMR.INIT" },
};

const char *tdx_step_name(unsigned s)
{
	return s < sizeof(steps) / sizeof(steps[0]) ? steps[s].name : "unknown";
}

const char *tdx_step_desc(unsigned s)
{
	return s < sizeof(steps) / sizeof(steps[0]) ? steps[s].desc : "unknown step";
}

/* The driver's errno vocabulary (DOC block of linux/tdx_host.h). */
const struct errno_info errno_table[] = {
	{ ENOTTY, "ENOTTY", "unknown ioctl: the driver is older or newer than this tdxctl",
	  "update tdxctl or the driver so their ABI versions match", EXIT_NOTSUP },
	{ EINVAL, "EINVAL", "invalid request: size too small, unknown flag, non-zero reserved field or value out of range",
	  "report a bug: tdxctl sent something the driver does not accept", EXIT_FAILED },
	{ E2BIG, "E2BIG", "the request uses a newer ABI extension than the driver knows",
	  "update the driver", EXIT_NOTSUP },
	{ EFAULT, "EFAULT", "a buffer was not accessible", "report a bug", EXIT_FAILED },
	{ EBADF, "EBADF", "state-changing request on a file descriptor not opened for writing",
	  "run as root (the device is opened read-write only for changes)", EXIT_PERM },
	{ EPERM, "EPERM", "the opener lacks CAP_SYS_ADMIN", "run as root", EXIT_PERM },
	{ EACCES, "EACCES", "permission denied opening the device (mode 0600)", "run as root", EXIT_PERM },
	{ ENOENT, "ENOENT", "no such CPU (not possible or not present); for the device: driver not loaded",
	  "check the CPU number; load the driver with modprobe tdxctl", EXIT_NOTSUP },
	{ ENXIO, "ENXIO", "the CPU is present but offline",
	  "bring the CPU online (echo 1 > /sys/devices/system/cpu/cpuN/online) or use --online-cpus", EXIT_BUSY },
	{ EAGAIN, "EAGAIN", "module enable refused before any step: a CPU is offline or not TDX-enabled; nothing changed",
	  "enable every CPU (tdxctl enable, or tdxctl cpu enable LIST) and retry; the kernel log names the CPUs", EXIT_BUSY },
	{ EIO, "EIO", "the TDX module returned an error (its TDX status code and step are reported where the backend knows them: not by the kernel backend); for module enable this is sticky until reboot",
	  "decode the status with tdxctl explain CODE; a failed module enable needs a reboot", EXIT_FAILED },
	{ ENODEV, "ENODEV", "no TDX module is present (SEAMCALL VMfailInvalid)",
	  "enable TDX in the BIOS and check tdxctl check; on test machines use the emulated backend", EXIT_NOTSUP },
	{ EOVERFLOW, "EOVERFLOW", "an output array was too small; the count says how many entries are needed",
	  "tdxctl retries on its own; report a bug if it persists", EXIT_FAILED },
	{ ENOMEM, "ENOMEM", "the driver could not allocate memory (PAMT, TDMR list)",
	  "free memory (PAMT needs about 1/256 of RAM) and retry", EXIT_FAILED },
	{ ENOSPC, "ENOSPC", "the TDX module's limits (TDMRs, reserved areas per TDMR) cannot describe the memory map; nothing changed",
	  "fewer, larger memory ranges (memory population, NUMA layout)", EXIT_FAILED },
	{ ERANGE, "ERANGE", "module enable refused before TDH.SYS.CONFIG: memory is outside the TDX module's CMRs (added after boot); nothing changed",
	  "take that memory out (the kernel log names the range; tdxctl check --only memory.cmr) and retry", EXIT_FAILED },
	{ EINTR, "EINTR", "interrupted by a signal while waiting for another enabler", "retry", EXIT_FAILED },
	{ ETIMEDOUT, "ETIMEDOUT", "the operation timed out", "retry; check the kernel log", EXIT_TIMEOUT },
	{ EBUSY, "EBUSY", "the resource is busy", "retry later", EXIT_BUSY },
	{ EOPNOTSUPP, "EOPNOTSUPP", "the operation is not supported here", "see tdxctl check", EXIT_NOTSUP },
	{ EPROTO, "EPROTO", "the driver speaks another ABI version, or sent a reply that breaks it",
	  "install a tdxctl that matches the driver (tdxctl version shows both)", EXIT_NOTSUP },
};
const unsigned errno_table_len = sizeof(errno_table) / sizeof(errno_table[0]);

/* The one errno -> exit status mapping: the table above; others fail. */
int exit_for_errno(int err)
{
	const struct errno_info *i;

	if (err < 0)
		err = -err;
	if (!err)
		return EXIT_OK;
	i = errno_lookup(err);
	return i ? i->exit_code : EXIT_FAILED;
}

const struct errno_info *errno_lookup(int err)
{
	for (unsigned i = 0; i < errno_table_len; i++)
		if (errno_table[i].err == err)
			return &errno_table[i];
	return NULL;
}

const struct errno_info *errno_by_name(const char *name)
{
	for (unsigned i = 0; i < errno_table_len; i++)
		if (!strcasecmp(errno_table[i].name, name))
			return &errno_table[i];
	return NULL;
}

const char *features0_name(unsigned bit)
{
#define X(b, n) if (bit == (b)) return n;
	TDX_FEATURES0_LIST(X)
#undef X
	return NULL;
}
