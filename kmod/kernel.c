// SPDX-License-Identifier: GPL-2.0
/*
 * kernel.c - the "kernel" backend: the kernel's own TDX host core.
 *
 * Built where the kernel has CONFIG_INTEL_TDX_HOST and exports
 * tdx_cpu_enable() and tdx_enable() to any GPL module (Kbuild reads the
 * tree's Module.symvers).  The kernel does the whole job and returns an
 * errno: no failing step, no TDX status code, no step times.  Where it
 * also exports tdx_get_sysinfo() (TDXCTL_HAVE_SYSINFO) the backend reports
 * what the kernel read of its initialized TDX module: TDX_FEATURES0 and
 * MAX_TDMRS, and the guest KeyIDs where tdx_get_nr_guest_keyids() is
 * exported too.  Everything else is reported unknown.
 *
 * Both calls need the CPU in VMX operation, which KVM provides: on
 * 6.12+ while kvm_intel is loaded (kvm.enable_virt_at_load, default Y),
 * on 6.8-6.11 only while a VM exists (tdxctl holds one open for the
 * enable).  The backend never executes VMXON itself: a CPU without
 * CR4.VMXE is refused before any call.  On a test kernel with the
 * SEAMCALL routing of tests/kernel/ (CONFIG_INTEL_TDX_HOST_TEST_SEAM) the
 * VMX state is the simulated one its SEAMCALLs obey.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/module.h>
#include <linux/smp.h>

#include <asm/cpufeature.h>
#include <asm/tdx.h>
#include <asm/tlbflush.h>

#include "tdxctl.h"

/*
 * The calls into the kernel, one place: the KUnit suite replaces them
 * with fakes (kernel_test.c defines TDXCTL_KERNEL_CALLS first).
 */
#ifndef TDXCTL_KERNEL_CALLS
static bool kb_vmx_on(void)
{
#ifdef CONFIG_INTEL_TDX_HOST_TEST_SEAM
	/* a test kernel: the simulated VMX state its SEAMCALLs obey */
	return tdx_test_vmx_on(smp_processor_id());
#else
	return __read_cr4() & X86_CR4_VMXE;
#endif
}

#define kb_tdx_cpu_enable()	tdx_cpu_enable()
#define kb_tdx_enable()		tdx_enable()
#define kb_tdx_get_sysinfo()	tdx_get_sysinfo()
#define kb_tdx_nr_guest_keyids()	tdx_get_nr_guest_keyids()
#endif

#ifdef TDXCTL_HAVE_SYSINFO
#ifdef TDXCTL_HAVE_NR_GUEST_KEYIDS
#define KB_REPORTS	(TDX_HOST_STATUS_MODULE_CAPS | TDX_HOST_STATUS_GUEST_KEYIDS)
#else
#define KB_REPORTS	TDX_HOST_STATUS_MODULE_CAPS
#endif

/*
 * What the kernel read of its TDX module, once the module is initialized
 * (by this driver, or by KVM with kvm_intel.tdx=1): tdx_get_sysinfo() is
 * NULL before, and then nothing is known.  Sleeps (the kernel's mutex).
 */
static void kb_fill_status(struct tdx_host_status *st)
{
	const struct tdx_sys_info *si = kb_tdx_get_sysinfo();

	if (!si)
		return;
	st->features0 = si->features.tdx_features0;
	st->max_tdmrs = si->tdmr.max_tdmrs;
	st->valid |= TDX_HOST_STATUS_MODULE_CAPS;
#ifdef TDXCTL_HAVE_NR_GUEST_KEYIDS
	st->guest_keyid_count = kb_tdx_nr_guest_keyids();
	st->valid |= TDX_HOST_STATUS_GUEST_KEYIDS;
#endif
}

/* Initialized before tdxctl loaded (KVM with kvm_intel.tdx=1, or us before) */
static bool kb_initialized(void)
{
	return kb_tdx_get_sysinfo();
}
#else
#define KB_REPORTS	0
#define kb_fill_status	NULL
#define kb_initialized	NULL
#endif

/*
 * TDH.SYS.INIT ran and succeeded (a tdx_cpu_enable() returned 0), or ran
 * and failed for good: the kernel caches its first result for as long as
 * it runs, and -ENODEV ("TDX module not loaded": the SEAMCALL found no
 * TDX module) can only come from it on a TDX platform.
 */
static bool kb_sysinit_ok;
static int kb_sysinit_err;

/* Called on the CPU, with interrupts off */
static int kb_cpu_enable(struct tdxctl_cpu_result *res)
{
	int ret;

	lockdep_assert_irqs_disabled();
	if (!kb_vmx_on()) {
		res->later = true;
		pr_err_ratelimited("VMX is off on CPU %d: TDX needs the CPU in VMX operation, which KVM provides (kvm_intel loaded; on 6.8-6.11 only while a VM exists)\n",
				   smp_processor_id());
		return -EACCES;
	}
	ret = kb_tdx_cpu_enable();
	if (!ret)
		WRITE_ONCE(kb_sysinit_ok, true);
	else if (ret == -ENODEV && !READ_ONCE(kb_sysinit_ok)) {
		WRITE_ONCE(kb_sysinit_err, ret);
		res->step = TDX_HOST_STEP_SYS_INIT;
	}
	return ret;
}

/*
 * The kernel caches TDH.SYS.INIT's result but does not tell it; the
 * backend knows it ran once a CPU was enabled, or once the kernel said
 * the TDX module is not loaded (sticky: reported as a global failure).
 * Other failures are not told apart from per-CPU ones: the core then
 * treats them as per-CPU.
 */
static bool kb_sysinit_result(int *err, u64 *tdx_status)
{
	*err = READ_ONCE(kb_sysinit_err);
	*tdx_status = 0;
	return READ_ONCE(kb_sysinit_ok) || *err;
}

static void kb_vmx_check(void *off)
{
	if (!kb_vmx_on())
		cpumask_set_cpu(smp_processor_id(), off);
}

/*
 * CPU hotplug is held off and the core mutex held.  tdx_enable() makes
 * SEAMCALLs on a CPU of each package: every online CPU must still be in
 * VMX operation (unloading kvm_intel turns it off everywhere).
 */
static int kb_module_enable(struct tdxctl_result *res)
{
	cpumask_var_t off;
	int ret;

	if (!zalloc_cpumask_var(&off, GFP_KERNEL))
		return -ENOMEM;
	on_each_cpu(kb_vmx_check, off, 1);
	if (!cpumask_empty(off)) {
		pr_err("module enable refused, nothing changed: VMX is off on CPUs [%*pbl]: TDX needs every CPU in VMX operation, which KVM provides\n",
		       cpumask_pr_args(off));
		free_cpumask_var(off);
		return -EACCES;
	}
	free_cpumask_var(off);

	/* the kernel keeps any failure of its own: sticky either way */
	res->sticky = true;
	ret = kb_tdx_enable();
	if (ret)
		pr_err("the kernel's TDX module initialization failed (%d)\n",
		       ret);
	return ret;
}

const struct tdxctl_backend tdxctl_kernel_backend = {
	.name		= "kernel",
	.id		= TDX_HOST_BACKEND_KERNEL,
	.owner		= THIS_MODULE,
	.reports	= KB_REPORTS,
	.cpu_enable	= kb_cpu_enable,
	.sysinit_result	= kb_sysinit_result,
	.module_enable	= kb_module_enable,
	.fill_status	= kb_fill_status,
	.initialized	= kb_initialized,
};

/**
 * tdxctl_kernel_usable() - can the kernel backend work on this machine?
 * @why: set to the reason when it cannot
 *
 * Return: true when the kernel's TDX host core found a TDX platform.
 */
bool tdxctl_kernel_usable(const char **why)
{
	if (!boot_cpu_has(X86_FEATURE_TDX_HOST_PLATFORM)) {
		*why = "the kernel's TDX host core is present, but it found no usable TDX platform at boot (no tdx_host_platform CPU flag; its virt/tdx: lines say why: no TDX in the CPU or BIOS, too few TDX KeyIDs, hibernation possible; tdxctl check tells)";
		return false;
	}
	return true;
}
