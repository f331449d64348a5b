// SPDX-License-Identifier: GPL-2.0
/*
 * hook.c - tdxctl_emu hook=1: the emulated TDX module behind the kernel's
 * own TDX host code.
 *
 * On a test kernel built with CONFIG_INTEL_TDX_HOST_TEST_SEAM (the
 * test-only patch under tests/kernel/), every SEAMCALL goes to a handler
 * that a module registers.  This registers the emulated TDX module
 * (model.c) there instead of registering the emulated backend with
 * tdxctl.ko: the kernel's own tdx_cpu_enable() and tdx_enable() then run
 * unchanged against it (TDMRs and PAMTs from memblock, TDH.SYS.CONFIG,
 * TDH.SYS.KEY.CONFIG on a CPU of each package, TDH.SYS.TDMR.INIT, the
 * metadata reads), driven by tdxctl.ko's "kernel" backend.  The model's
 * fault injection and inspection (debugfs.c) work as with the emulated
 * backend.
 *
 * It also plays KVM's part for the kernel's simulated per-CPU VMX state:
 * at load every online CPU enters VMX operation (vmx=1), and a CPU that
 * comes online does too, before any online callback of tdxctl.ko runs
 * (as KVM's own hotplug callback does), unless debugfs says otherwise:
 *
 *   vmx            the CPUs in VMX operation (a CPU list); write
 *                  "on LIST" or "off LIST" to change them
 *   vmx_on_online  1 (default): a CPU coming online enters VMX operation;
 *                  0: it comes online with VMX off
 *   loaded         1 (default): the TDX module answers; 0: every SEAMCALL
 *                  fails as when no TDX module is loaded (VMfailInvalid)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <asm/tdx.h>

#include "seam.h"

static bool vmx_on_online = true;
static bool seam_loaded = true;
static enum cpuhp_state hook_hp;

/* One SEAMCALL from the kernel's TDX code; preemption is off */
static u64 hook_seamcall(u64 fn, struct tdx_module_args *args)
{
	struct seam_args a = {
		.rcx = args->rcx,
		.rdx = args->rdx,
		.r8 = args->r8,
		.r9 = args->r9,
		.r10 = args->r10,
		.r11 = args->r11,
	};
	u64 st;

	if (!READ_ONCE(seam_loaded))
		return SEAM_ST(TDX_SEAMCALL_VMFAILINVALID);
	st = tdx_model_seamcall(fn, &a);
	args->rcx = a.rcx;
	args->rdx = a.rdx;
	args->r8 = a.r8;
	args->r9 = a.r9;
	args->r10 = a.r10;
	args->r11 = a.r11;
	return st;
}

static const struct tdx_test_seam_ops hook_ops = {
	.call	= hook_seamcall,
	.owner	= THIS_MODULE,
};

/* Before the CPU runs (prepare stage, on the controlling CPU) */
static int hook_cpu_prepare(unsigned int cpu)
{
	tdx_test_set_vmx(cpu, READ_ONCE(vmx_on_online));
	return 0;
}

/* After the CPU is gone: it left VMX operation on its way out */
static int hook_cpu_dead(unsigned int cpu)
{
	tdx_test_set_vmx(cpu, false);
	return 0;
}

static int vmx_show(struct seq_file *m, void *v)
{
	cpumask_var_t on;
	unsigned int cpu;

	if (!zalloc_cpumask_var(&on, GFP_KERNEL))
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		if (tdx_test_vmx_on(cpu))
			cpumask_set_cpu(cpu, on);
	seq_printf(m, "%*pbl\n", cpumask_pr_args(on));
	free_cpumask_var(on);
	return 0;
}

static int vmx_open(struct inode *inode, struct file *file)
{
	return single_open(file, vmx_show, NULL);
}

static ssize_t vmx_write(struct file *file, const char __user *ubuf,
			 size_t len, loff_t *ppos)
{
	cpumask_var_t mask;
	unsigned int cpu;
	char *buf, *list;
	bool on;
	int ret;

	if (len > PAGE_SIZE)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	list = strim(buf);
	if (!strncmp(list, "on ", 3)) {
		on = true;
	} else if (!strncmp(list, "off ", 4)) {
		on = false;
	} else {
		ret = -EINVAL;
		goto out;
	}
	list = strim(list + (on ? 3 : 4));
	if (!alloc_cpumask_var(&mask, GFP_KERNEL)) {
		ret = -ENOMEM;
		goto out;
	}
	ret = cpulist_parse(list, mask);
	if (!ret && !cpumask_subset(mask, cpu_possible_mask))
		ret = -EINVAL;
	if (!ret) {
		for_each_cpu(cpu, mask)
			tdx_test_set_vmx(cpu, on);
		pr_info("simulated VMX %s on CPUs [%*pbl]\n", on ? "on" : "off",
			cpumask_pr_args(mask));
		ret = len;
	}
	free_cpumask_var(mask);
out:
	kfree(buf);
	return ret;
}

static const struct file_operations vmx_fops = {
	.owner		= THIS_MODULE,
	.open		= vmx_open,
	.read		= seq_read,
	.write		= vmx_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

/**
 * emu_hook_init() - put the emulated TDX module behind the kernel's TDX code
 * @vmx: put every online CPU in simulated VMX operation
 *
 * Context: process context, module init, after seam_init().
 * Return: 0, or -EBUSY when another handler is registered.
 */
int emu_hook_init(bool vmx)
{
	struct dentry *dir = emu_debugfs_dir();
	unsigned int cpu;
	int ret;

	ret = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "tdxctl_emu:vmx",
					hook_cpu_prepare, hook_cpu_dead);
	if (ret < 0)
		return ret;
	hook_hp = ret;

	ret = tdx_test_seam_register(&hook_ops);
	if (ret) {
		pr_err("not loaded: another test handler has the kernel's SEAMCALLs\n");
		cpuhp_remove_state_nocalls(hook_hp);
		return ret;
	}
	if (vmx) {
		cpus_read_lock();
		for_each_online_cpu(cpu)
			tdx_test_set_vmx(cpu, true);
		cpus_read_unlock();
	}
	debugfs_create_file("vmx", 0600, dir, NULL, &vmx_fops);
	debugfs_create_bool("vmx_on_online", 0600, dir, &vmx_on_online);
	debugfs_create_bool("loaded", 0600, dir, &seam_loaded);
	pr_info("the kernel's SEAMCALLs go to the emulated TDX module; simulated VMX %s\n",
		vmx ? "on on every online CPU" : "off");
	return 0;
}

/**
 * emu_hook_exit() - the kernel's SEAMCALLs find no TDX module again
 *
 * VMX operation ends on every CPU, as when KVM goes away.
 */
void emu_hook_exit(void)
{
	unsigned int cpu;

	tdx_test_seam_unregister(&hook_ops);
	cpuhp_remove_state_nocalls(hook_hp);
	for_each_possible_cpu(cpu)
		tdx_test_set_vmx(cpu, false);
}
