// SPDX-License-Identifier: GPL-2.0-only
/*
 * hints.c - the one table of what to do (see hints.h)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hints.h"
#include "print.h"
#include "tdxctl.h"

/* Conditions a row requires (when). */
#define H_DRIVER	1u	/* the driver answered STATUS: its state decides */
#define H_VIRT		2u	/* a virtual machine or a TD guest */
#define H_NO_KVM_INTEL	4u	/* kvm_intel not loaded */
#define H_VAL_OFF	8u	/* kvm.enable_virt_at_load=0 */

#define RG(r)		(1u << (r))
#define ANY_REGIME	(~0u)
#define ST(s)		(1u << (s))
#define ANY_STATE	(~0u)
#define FAILED		(ST(MS_ERROR) | ST(MS_REFUSED))

#define EMULATED "the driver's emulated backend (modprobe tdxctl backend=emulated && modprobe tdxctl_emu)"
#define LOAD_DRIVER "the tdxctl driver (modprobe tdxctl: its kernel backend), then run tdxctl enable"
#define KVM_PARAM "set kvm_intel.tdx=1 (options kvm_intel tdx=1 in /etc/modprobe.d/)"
#define KVM_RELOAD "then reload kvm_intel (modprobe -r kvm_intel; modprobe kvm_intel)"
#define CHECK_SHOWS "tdxctl check shows what is missing"
/* the outcomes of enable without the driver that several rows share */
#define NOT_A_HOST "not-a-tdx-host", "n/a: not a TDX host", EXIT_NOTSUP
#define NOT_LOADED "driver-not-loaded", "the tdxctl driver enables TDX on this kernel: it is not loaded", EXIT_NOTSUP
#define KVM_OWNED "kvm-owned", "tdxctl cannot enable TDX on this kernel: KVM does, with kvm_intel.tdx=1", EXIT_NOTSUP

static const struct hint_row {
	unsigned regimes;	/* RG(enum tdx_regime) bits */
	unsigned states;	/* ST(enum module_state) bits */
	unsigned when;		/* H_* that must hold */
	struct hint h;
} table[] = {
	/* the driver answered: its state decides, whatever the kernel */
	{ ANY_REGIME, ST(MS_INITIALIZED), H_DRIVER,
	  { NULL, NULL, EXIT_OK, "nothing: the TDX module is initialized", TAIL_NONE, NULL } },
	{ ANY_REGIME, ST(MS_ERROR), H_DRIVER,
	  { NULL, NULL, EXIT_BUSY, "reboot: the TDX module's failed initialization is sticky", TAIL_NONE, NULL } },
	{ ANY_REGIME, ANY_STATE, H_DRIVER,
	  { NULL, NULL, EXIT_OK, "run tdxctl enable", TAIL_NONE, NULL } },
	/* no driver: the regime decides */
	{ RG(REGIME_UNKNOWN), ANY_STATE, 0,
	  { "unknown", "cannot tell what this kernel does with TDX", EXIT_NOTSUP, "cannot tell", TAIL_WHY, NULL } },
	{ RG(REGIME_NO_HOST_CORE), ANY_STATE, H_VIRT,
	  { NOT_A_HOST, "n/a: a virtual machine is not a TDX host; for tests, " EMULATED, TAIL_NONE, NULL } },
	{ RG(REGIME_NO_HOST_CORE), ANY_STATE, 0,
	  { "no-host-core", "no way on this kernel: it has no TDX host core", EXIT_NOTSUP,
	    "no way on this kernel: boot one with CONFIG_INTEL_TDX_HOST=y (Linux 6.8+); without TDX hardware, "
	    EMULATED, TAIL_NONE, NULL } },
	{ RG(REGIME_NO_PLATFORM), ST(MS_REFUSED), 0,
	  { NOT_A_HOST, "n/a: not a TDX host", TAIL_REFUSAL,
	    "fix the cause and reboot; tdxctl check shows the details" } },
	{ RG(REGIME_NO_PLATFORM), ANY_STATE, 0,
	  { NOT_A_HOST, "n/a: not a TDX host", TAIL_REFUSAL, CHECK_SHOWS } },
	{ RG(REGIME_ON_DEMAND), ST(MS_INITIALIZED), 0,
	  { "initialized-by-kernel", "the kernel initialized the TDX module: nothing to do", EXIT_OK,
	    "nothing: the kernel initialized the TDX module", TAIL_NONE, NULL } },
	{ RG(REGIME_KVM), ST(MS_INITIALIZED), 0,
	  { "initialized-by-kernel", "KVM initialized the TDX module: nothing to do", EXIT_OK,
	    "nothing: KVM initialized the TDX module", TAIL_NONE, NULL } },
	{ RG(REGIME_ON_DEMAND) | RG(REGIME_KVM), ST(MS_ERROR), 0,
	  { "failed-in-kernel", "the kernel's TDX module initialization failed: reboot needed", EXIT_BUSY,
	    "reboot: the kernel's failed TDX module initialization is sticky (fix the cause in the kernel log first)",
	    TAIL_NONE, NULL } },
	/* on demand the CPUs need VMX operation: tdxctl's enables hold a KVM
	 * VM for it, whatever kvm.enable_virt_at_load says */
	{ RG(REGIME_ON_DEMAND), ANY_STATE, H_NO_KVM_INTEL,
	  { NOT_LOADED, "load kvm_intel (tdxctl enable holds a KVM VM open: VMX operation on every CPU), then "
	    LOAD_DRIVER, TAIL_NONE, NULL } },
	{ RG(REGIME_ON_DEMAND), ANY_STATE, 0,
	  { NOT_LOADED, "load " LOAD_DRIVER, TAIL_NONE, NULL } },
	{ RG(REGIME_KVM), ANY_STATE, H_VAL_OFF,
	  { KVM_OWNED, KVM_PARAM " and kvm.enable_virt_at_load=1, " KVM_RELOAD, TAIL_NONE, NULL } },
	{ RG(REGIME_KVM), ANY_STATE, 0,
	  { KVM_OWNED, KVM_PARAM ", " KVM_RELOAD, TAIL_NONE, NULL } },
	{ RG(REGIME_BOOT), ST(MS_INITIALIZED), 0,
	  { "initialized-at-boot", "initialized at boot: nothing to do", EXIT_OK,
	    "nothing: initialized at boot", TAIL_NONE, NULL } },
	{ RG(REGIME_BOOT), FAILED, 0,
	  { "failed-at-boot", "failed at boot: reboot needed", EXIT_BUSY,
	    "failed at boot: reboot needed (fix the cause in the kernel log first)", TAIL_NONE, NULL } },
	{ RG(REGIME_BOOT), ANY_STATE, 0,
	  { "unknown", "the kernel initializes TDX at boot; its verdict is not in the kernel log", EXIT_NOTSUP,
	    "nothing tdxctl can do: the kernel initializes TDX at boot, and its verdict is not in the kernel log "
	    "(rotated out?)", TAIL_NONE, NULL } },
};

static unsigned conditions(const struct facts *f)
{
	unsigned c = 0;

	if (f->have_status)
		c |= H_DRIVER;
	if (f->platform == PLATFORM_VM || f->platform == PLATFORM_TD_GUEST)
		c |= H_VIRT;
	if (!f->kvm_intel_loaded)
		c |= H_NO_KVM_INTEL;
	if (f->virt_at_load[0] && param_bool(f->virt_at_load) == 0)
		c |= H_VAL_OFF;
	return c;
}

const struct hint *hint_find(const struct facts *f)
{
	unsigned c = conditions(f);

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct hint_row *r = &table[i];

		/* the driver's rows come first and catch every state */
		if ((r->regimes & RG(f->kernel.regime)) &&
		    (r->states & ST(f->module.state)) && (c & r->when) == r->when)
			return &r->h;
	}
	return &table[3].h;	/* unreachable (every regime has a catch-all row): REGIME_UNKNOWN's */
}

const char *hint_action(const struct facts *f, char *buf, size_t len)
{
	const struct hint *h = hint_find(f);

	if (h->tail == TAIL_WHY)
		snprintf(buf, len, "%s: %s", h->action, f->kernel.why);
	else if (h->tail == TAIL_REFUSAL && f->refusal[0])
		snprintf(buf, len, "%s (%s)", h->action, f->refusal);
	else
		snprintf(buf, len, "%s", h->action);
	return buf;
}

/*
 * What to change for each TDX failure the kernel logs: the reasons
 * tdx_init() gives for refusing TDX at boot ("virt/tdx: initialization
 * failed: REASON"; 7.1+: the checks before any SEAMCALL), and the
 * failures of module initialization.  Matched as substrings of the line,
 * in this order (the specific before the general).
 */
static const struct {
	const char *needle;
	const char *fix;
} log_fixes[] = {
	{ "too few private KeyIDs",
	  "the BIOS gives TDX fewer than 2 private KeyIDs: raise the TDX KeyID count in the BIOS (the MKTME/TDX KeyID split), then reboot" },
	{ "Hibernation support is enabled",
	  "the kernel refuses TDX while hibernation is possible: boot with nohibernate (or a kernel without CONFIG_HIBERNATION)" },
	{ "register_memory_notifier() failed",
	  "the kernel could not watch memory hotplug for TDX: reboot; report it to your distribution if it stays" },
	{ "module not loaded", "no TDX module: enable TDX and the SEAM loader in the BIOS, update the BIOS" },
	{ "frame pointer (RBP) clobber bug", "update the TDX module (BIOS or tdx-module-binaries)" },
	{ "reserved areas exhausted",
	  "a TDMR needs more reserved areas than the TDX module has: fewer, larger memory holes (memory population, NUMA layout)" },
	{ "TDMRs exhausted", "too many memory regions for the TDX module's TDMRs: fewer, larger memory ranges (memory population)" },
	{ "initialization failed", "see the quoted line; tdxctl explain decodes TDX status codes" },
	{ "TDX-Module initialization failed", "see the quoted line; a failed init is sticky until reboot" },
	{ "SEAMCALL (", "tdxctl explain the status code in the quoted line" },
	{ "TDX not supported by the host platform",
	  "enable TDX in the BIOS (TME, TME-MT, TDX, SEAM loader; tdxctl check shows which), then reboot" },
	{ "XSAVE is required", "the kernel runs without XSAVE: drop noxsave from the kernel command line" },
	{ "is required for TDX", "the CPU or kernel configuration lacks a feature TDX needs" },
	{ "no TDX private KeyIDs available", "give TDX KeyIDs in the BIOS" },
};

size_t hint_log_count(void)
{
	return sizeof(log_fixes) / sizeof(log_fixes[0]);
}

const char *hint_log_needle(size_t i)
{
	return log_fixes[i].needle;
}

const char *hint_log_fix(size_t i)
{
	return log_fixes[i].fix;
}

const char *hint_fix(const struct facts *f)
{
	const struct hint *h = hint_find(f);

	if (h->tail == TAIL_REFUSAL && f->refusal[0])
		for (size_t i = 0; i < hint_log_count(); i++)
			if (strstr(f->refusal, log_fixes[i].needle))
				return log_fixes[i].fix;
	return h->fix ? h->fix : f->kernel.enable;
}

int hint_driver_error(const struct drv *d, const struct facts *f)
{
	int code = exit_for_errno(d->err);

	if (d->err != ENOENT || d->loaded)
		return drv_error(d);
	pr_error(code, "ENOENT", hint_fix(f), "%s: %s", dev_path(), drv_reason(d));
	return code;
}
