// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - tdxctl_emu: the emulated TDX platform, a test module.
 *
 * The host side of TDX module initialization (seam.c, tdmr.c) over a
 * software TDX module (model.c), with fault injection and inspection in
 * debugfs (debugfs.c).  It registers with tdxctl.ko as the "emulated"
 * backend, which tdxctl.ko accepts only when loaded with
 * backend=emulated.  Loading it taints the kernel (TAINT_TEST); on a
 * machine that is a TDX host it refuses to load: a fake TDX module there
 * would pin memory, flush caches on every CPU and report a TDX module
 * that is not the one in the CPU.  Nor does it load in a TDX guest or
 * another confidential guest (refusal.h).
 *
 * With hook=1, on a test kernel with the SEAMCALL routing of tests/kernel/
 * (CONFIG_INTEL_TDX_HOST_TEST_SEAM), it registers no backend: the emulated
 * TDX module answers the kernel's own SEAMCALLs instead (hook.c), and
 * tdxctl.ko drives the kernel's TDX code through its "kernel" backend.
 * The TDX platform the kernel then reports is the simulated one its
 * tdx_test_keyids= parameter made.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/cc_platform.h>
#include <linux/module.h>

#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/processor.h>

#include "tdxctl.h"
#include "seam.h"
#include "refusal.h"

#define MTRRCAP_SEAMRR			BIT(15)
#define MSR_SEAMRR_PHYS_MASK		0x1401
#define SEAMRR_PHYS_MASK_ENABLED	BIT(11)

/* Does the CPU report a TDX host platform (SEAM range registers on)? */
static bool tdx_host_platform(void)
{
	u32 lo, hi;

#ifdef X86_FEATURE_TDX_HOST_PLATFORM
	if (boot_cpu_has(X86_FEATURE_TDX_HOST_PLATFORM))
		return true;
#endif
	if (boot_cpu_data.x86_vendor != X86_VENDOR_INTEL)
		return false;
	if (rdmsr_safe(MSR_MTRRcap, &lo, &hi) || !(lo & MTRRCAP_SEAMRR))
		return false;
	if (rdmsr_safe(MSR_SEAMRR_PHYS_MASK, &lo, &hi))
		return false;
	return lo & SEAMRR_PHYS_MASK_ENABLED;
}

static struct emu_platform emu_platform(void)
{
	struct emu_platform p = { .tdx_host = tdx_host_platform() };

#ifdef X86_FEATURE_TDX_GUEST
	p.td_guest = cpu_feature_enabled(X86_FEATURE_TDX_GUEST);
#endif
	p.cc_guest = cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT);
	return p;
}

static bool hook;
module_param(hook, bool, 0444);
MODULE_PARM_DESC(hook, "answer the kernel's own SEAMCALLs (test kernels with CONFIG_INTEL_TDX_HOST_TEST_SEAM) instead of registering the emulated backend");

static bool vmx = true;
module_param(vmx, bool, 0444);
MODULE_PARM_DESC(vmx, "with hook=1: put every online CPU in simulated VMX operation at load (default Y)");

#ifdef CONFIG_INTEL_TDX_HOST_TEST_SEAM
static int __init tdxctl_emu_hook_init(void)
{
	int ret;

	ret = seam_init();
	if (ret)
		return ret;
	ret = emu_hook_init(vmx);
	if (ret)
		seam_exit();
	return ret;
}
#else
static int __init tdxctl_emu_hook_init(void)
{
	pr_err("not loaded: hook=1 needs a kernel built with CONFIG_INTEL_TDX_HOST_TEST_SEAM (the test-only SEAMCALL routing)\n");
	return -EOPNOTSUPP;
}
#endif

static int __init tdxctl_emu_init(void)
{
	const char *why;
	int ret;

	/* the platform the test kernel reports is the simulated one */
	if (hook)
		return tdxctl_emu_hook_init();

	why = emu_refusal(emu_platform());
	if (why) {
		pr_err("not loaded: %s\n", why);
		return -EBUSY;
	}

	ret = seam_init();
	if (ret)
		return ret;
	ret = tdxctl_register_backend(&seam_backend);
	if (ret) {
		seam_exit();
		return ret;
	}
	/* Linux 7.2's tdx_host device and its tdx_module upload */
	ret = emu_tdx_host_init();
	if (ret) {
		tdxctl_unregister_backend(&seam_backend);
		seam_exit();
	}
	return ret;
}

static void __exit tdxctl_emu_exit(void)
{
	if (hook)
		emu_hook_exit();
	else
		emu_tdx_host_exit();
	if (!hook)
		tdxctl_unregister_backend(&seam_backend);
	seam_exit();
}

module_init(tdxctl_emu_init);
module_exit(tdxctl_emu_exit);

MODULE_DESCRIPTION("Emulated Intel TDX platform for testing tdxctl (backend \"emulated\")");
MODULE_LICENSE("GPL");
MODULE_VERSION(TDXCTL_DRIVER_VERSION);
/* a test module: loading it taints the kernel N (TAINT_TEST) */
MODULE_INFO(test, "Y");
