// SPDX-License-Identifier: GPL-2.0
/*
 * kernel_test.c - KUnit suite of the kernel backend's glue (kernel.c)
 * driven through the core (core.c), with the kernel's tdx_cpu_enable(),
 * tdx_enable(), tdx_get_sysinfo() (where the kernel has it) and the VMX
 * check replaced by fakes.
 *
 * Both files are compiled into this test module, which keeps its own
 * copy of the core's state; tdxctl.ko need not be loaded.  The fakes
 * record how they were called: on which CPUs, with interrupts off or on,
 * whether CPU hotplug could run meanwhile, and in what order.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>

/* This module's copy of the core exports nothing: tdxctl.ko does that */
#undef EXPORT_SYMBOL_GPL
#define EXPORT_SYMBOL_GPL(...)

#define TDXCTL_KERNEL_CALLS

static struct {
	cpumask_t vmx_off;		/* CPUs whose CR4.VMXE the fake clears */
	cpumask_t enabled_on;		/* CPUs fake tdx_cpu_enable() ran on */
	atomic_t cpu_calls;
	atomic_t irqs_on;		/* calls made with interrupts on */
	int cpu_ret;
	int enable_calls;
	int enable_early;		/* tdx_enable() before every CPU */
	int enable_ret;
	bool probe_hotplug;		/* try a CPU offline during tdx_enable() */
	bool hotplug_ran;		/* ... and it completed meanwhile */
#ifdef TDXCTL_HAVE_SYSINFO
	const struct tdx_sys_info *sysinfo;	/* NULL: not initialized */
	int sysinfo_calls;
	u32 nr_guest_keyids;
#endif
} fake;

/* taken on the CPU being enabled, in the IPI: a raw lock */
static DEFINE_RAW_SPINLOCK(fake_lock);

static bool kb_vmx_on(void)
{
	return !cpumask_test_cpu(smp_processor_id(), &fake.vmx_off);
}

static int fake_tdx_cpu_enable(void)
{
	if (!irqs_disabled())
		atomic_inc(&fake.irqs_on);
	raw_spin_lock(&fake_lock);
	cpumask_set_cpu(smp_processor_id(), &fake.enabled_on);
	raw_spin_unlock(&fake_lock);
	atomic_inc(&fake.cpu_calls);
	return fake.cpu_ret;
}

struct offline_probe {
	unsigned int cpu;
	bool started;
	struct completion done;
	int ret;
};

static int offline_probe_fn(void *arg)
{
	struct offline_probe *p = arg;

	p->ret = remove_cpu(p->cpu);
	complete(&p->done);
	return 0;
}

static struct offline_probe probe;

/*
 * With CPU hotplug held off by the caller, a CPU offline started now
 * cannot complete before tdx_enable() returns: give it 200 ms.
 */
static void fake_probe_hotplug(void)
{
	struct task_struct *t;

	probe.cpu = cpumask_last(cpu_online_mask);
	init_completion(&probe.done);
	t = kthread_run(offline_probe_fn, &probe, "tdxctl-kunit-offline");
	probe.started = !IS_ERR(t);
	if (!probe.started)
		return;
	fake.hotplug_ran =
		wait_for_completion_timeout(&probe.done, msecs_to_jiffies(200));
}

static int fake_tdx_enable(void)
{
	fake.enable_calls++;
	if (cpumask_weight(&fake.enabled_on) < num_online_cpus())
		fake.enable_early++;
	if (fake.probe_hotplug)
		fake_probe_hotplug();
	return fake.enable_ret;
}

#define kb_tdx_cpu_enable()	fake_tdx_cpu_enable()
#define kb_tdx_enable()		fake_tdx_enable()

#ifdef TDXCTL_HAVE_SYSINFO
static const struct tdx_sys_info *fake_tdx_get_sysinfo(void)
{
	might_sleep();
	fake.sysinfo_calls++;
	return fake.sysinfo;
}

#define kb_tdx_get_sysinfo()		fake_tdx_get_sysinfo()
#define kb_tdx_nr_guest_keyids()	fake.nr_guest_keyids
#endif

#include "core.c"
#include "kernel.c"

/* This copy of the core has no netlink family: its events go nowhere */
void tdxctl_nl_state(u32 old, u32 new, u32 step, int err, u64 tdx_status,
		     bool detail)
{
}

void tdxctl_nl_failure(u32 step, int err, u64 tdx_status, bool detail)
{
}

void tdxctl_nl_cpu_enable(unsigned int cpu,
			  const struct tdxctl_cpu_result *res, bool detail)
{
}

void tdxctl_nl_cpu_online(unsigned int cpu, bool initialized, int err)
{
}

void tdxctl_nl_cpu_offline(unsigned int cpu, bool initialized)
{
}

void tdxctl_nl_module_update(const u32 *old, const u32 *new, int err,
			     u64 tdx_status, bool detail)
{
}

static int kb_test_init(struct kunit *test)
{
	int ret;

	memset(&fake, 0, sizeof(fake));
	WRITE_ONCE(kb_sysinit_ok, false);
	WRITE_ONCE(kb_sysinit_err, 0);
	ret = tdxctl_core_init(&tdxctl_kernel_backend);
#ifdef TDXCTL_HAVE_SYSINFO
	/* the core asked whether the module is initialized already */
	fake.sysinfo_calls = 0;
#endif
	return ret;
}

static void kb_test_exit(struct kunit *test)
{
	tdxctl_core_exit();
}

static int module_enable(u32 flags, struct tdx_host_module_enable *me)
{
	memset(me, 0, sizeof(*me));
	me->size = sizeof(*me);
	me->flags = flags;
	return tdxctl_module_enable(me);
}

static int cpu_enable(unsigned int cpu, struct tdx_host_cpu_enable *ce)
{
	memset(ce, 0, sizeof(*ce));
	ce->size = sizeof(*ce);
	ce->cpu = cpu;
	return tdxctl_cpu_enable(ce);
}

/* STATUS over garbage in the output fields, as a caller may leave them */
static int status(struct tdx_host_status *st)
{
	memset(st, 0xa5, sizeof(*st));
	st->size = sizeof(*st);
	st->flags = 0;
	return tdxctl_status(st);
}

/* Every online CPU is enabled, on itself with interrupts off, first */
static void kb_test_order(struct kunit *test)
{
	struct tdx_host_module_enable me;

	KUNIT_EXPECT_EQ(test, module_enable(TDX_HOST_ENABLE_ALL_CPUS, &me), 0);
	KUNIT_EXPECT_EQ(test, me.state, (u32)TDX_HOST_STATE_INITIALIZED);
	KUNIT_EXPECT_TRUE(test, cpumask_equal(&fake.enabled_on,
					      cpu_online_mask));
	KUNIT_EXPECT_EQ(test, fake.enable_calls, 1);
	KUNIT_EXPECT_EQ(test, fake.enable_early, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&fake.irqs_on), 0);
	/* an initialized module: no second tdx_enable() */
	KUNIT_EXPECT_EQ(test, module_enable(0, &me), 0);
	KUNIT_EXPECT_EQ(test, fake.enable_calls, 1);
}

/* Without ALL_CPUS and a CPU not enabled: refused, tdx_enable() not run */
static void kb_test_preflight(struct kunit *test)
{
	struct tdx_host_module_enable me;
	struct tdx_host_cpu_enable ce;

	KUNIT_EXPECT_EQ(test, cpu_enable(0, &ce), 0);
	KUNIT_EXPECT_EQ(test, ce.outcome, (u32)TDX_HOST_CPU_OUTCOME_ENABLED);
	KUNIT_EXPECT_EQ(test, atomic_read(&fake.irqs_on), 0);
	if (num_online_cpus() < 2)
		kunit_skip(test, "needs 2 online CPUs");
	KUNIT_EXPECT_EQ(test, module_enable(0, &me), -EAGAIN);
	KUNIT_EXPECT_EQ(test, me.state, (u32)TDX_HOST_STATE_UNINITIALIZED);
	KUNIT_EXPECT_EQ(test, fake.enable_calls, 0);
}

/* tdx_enable() runs with CPU hotplug held off */
static void kb_test_hotplug_held(struct kunit *test)
{
	struct tdx_host_module_enable me;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs 2 online CPUs");
	fake.probe_hotplug = true;
	KUNIT_EXPECT_EQ(test, module_enable(TDX_HOST_ENABLE_ALL_CPUS, &me), 0);
	KUNIT_EXPECT_EQ(test, fake.enable_calls, 1);
	KUNIT_ASSERT_TRUE(test, probe.started);
	KUNIT_EXPECT_FALSE(test, fake.hotplug_ran);
	/* the offline goes through once the enable let go */
	wait_for_completion(&probe.done);
	KUNIT_EXPECT_EQ(test, probe.ret, 0);
	KUNIT_EXPECT_EQ(test, add_cpu(probe.cpu), 0);
}

/* What the kernel returns is what the caller gets; sticky; no detail */
static void kb_test_errno(struct kunit *test)
{
	static const int errs[] = {
		-ENODEV, -EOPNOTSUPP, -EACCES, -EIO, -ENOMEM, -ENOSPC, -EINVAL,
	};
	struct tdx_host_module_enable me;
	struct tdx_host_status st;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(errs); i++) {
		tdxctl_core_exit();
		memset(&fake, 0, sizeof(fake));
		KUNIT_ASSERT_EQ(test, tdxctl_core_init(&tdxctl_kernel_backend), 0);
		fake.enable_ret = errs[i];
		KUNIT_EXPECT_EQ(test, module_enable(TDX_HOST_ENABLE_ALL_CPUS, &me),
				errs[i]);
		KUNIT_EXPECT_EQ(test, me.state, (u32)TDX_HOST_STATE_ERROR);
		KUNIT_EXPECT_EQ(test, me.err_errno, -errs[i]);
		KUNIT_EXPECT_EQ(test, me.valid & TDX_HOST_RESULT_DETAIL, 0U);
		/* sticky: the next call gets EIO and the first failure */
		KUNIT_EXPECT_EQ(test, module_enable(0, &me), -EIO);
		KUNIT_EXPECT_EQ(test, me.err_errno, -errs[i]);
		KUNIT_EXPECT_EQ(test, fake.enable_calls, 1);
		KUNIT_EXPECT_EQ(test, status(&st), 0);
		KUNIT_EXPECT_EQ(test, st.err_errno, -errs[i]);
		KUNIT_EXPECT_EQ(test, st.valid, 0ULL);
	}
}

/* A per-CPU failure: the errno, outcome failed, nothing known beyond */
static void kb_test_cpu_errno(struct kunit *test)
{
	struct tdx_host_cpu_enable ce;

	fake.cpu_ret = -EIO;
	KUNIT_EXPECT_EQ(test, cpu_enable(0, &ce), -EIO);
	KUNIT_EXPECT_EQ(test, ce.outcome, (u32)TDX_HOST_CPU_OUTCOME_FAILED);
	KUNIT_EXPECT_EQ(test, ce.valid & TDX_HOST_RESULT_DETAIL, 0U);
	fake.cpu_ret = 0;
	KUNIT_EXPECT_EQ(test, cpu_enable(0, &ce), 0);
	KUNIT_EXPECT_EQ(test, ce.outcome, (u32)TDX_HOST_CPU_OUTCOME_ENABLED);
}

/* VMX off: refused before any call into the kernel, nothing sticky */
static void kb_test_vmx_off(struct kunit *test)
{
	struct tdx_host_module_enable me;
	struct tdx_host_cpu_enable ce;
	struct tdx_host_cpu_info ci;
	unsigned int cpu = cpumask_last(cpu_online_mask);

	cpumask_set_cpu(cpu, &fake.vmx_off);
	KUNIT_EXPECT_EQ(test, cpu_enable(cpu, &ce), -EACCES);
	KUNIT_EXPECT_FALSE(test, cpumask_test_cpu(cpu, &fake.enabled_on));
	/* the CPU table keeps the errno: VMX off, not the TDX module */
	tdxctl_cpu_info(cpu, &ci);
	KUNIT_EXPECT_EQ(test, ci.flags & (TDX_HOST_CPU_FAILED | TDX_HOST_CPU_ERRNO),
			TDX_HOST_CPU_FAILED | TDX_HOST_CPU_ERRNO);
	KUNIT_EXPECT_EQ(test, ci.err_errno, EACCES);
	/* the CPU's own errno, not the TDX module's EIO */
	KUNIT_EXPECT_EQ(test, module_enable(TDX_HOST_ENABLE_ALL_CPUS, &me),
			-EACCES);
	KUNIT_EXPECT_EQ(test, me.err_errno, EACCES);
	KUNIT_EXPECT_EQ(test, me.step, (u32)TDX_HOST_STEP_LP_INIT);
	KUNIT_EXPECT_EQ(test, me.state, (u32)TDX_HOST_STATE_UNINITIALIZED);
	KUNIT_EXPECT_EQ(test, fake.enable_calls, 0);

	/* every CPU enabled, then VMX goes off (kvm_intel unloaded) */
	cpumask_clear(&fake.vmx_off);
	KUNIT_EXPECT_EQ(test, cpu_enable(cpu, &ce), 0);
	if (num_online_cpus() < 2)
		kunit_skip(test, "needs 2 online CPUs");
	cpumask_set_cpu(0, &fake.vmx_off);
	KUNIT_EXPECT_EQ(test, module_enable(TDX_HOST_ENABLE_ALL_CPUS, &me),
			-EACCES);
	KUNIT_EXPECT_EQ(test, me.state, (u32)TDX_HOST_STATE_UNINITIALIZED);
	KUNIT_EXPECT_EQ(test, fake.enable_calls, 0);
	cpumask_clear(&fake.vmx_off);
	KUNIT_EXPECT_EQ(test, module_enable(0, &me), 0);
	KUNIT_EXPECT_EQ(test, fake.enable_calls, 1);
}

/*
 * The cpuhp callback does what KVM's does: a CPU that comes online once
 * global init has run is enabled, on itself with interrupts off; one out
 * of VMX operation comes online without any call and is enabled on a
 * later online (or enable).  Before global init an onlined CPU is left
 * alone.
 */
static void kb_test_cpuhp(struct kunit *test)
{
	unsigned int cpu = cpumask_last(cpu_online_mask);
	struct tdx_host_cpu_enable ce;
	int calls;

	if (num_online_cpus() < 2 || !cpu)
		kunit_skip(test, "needs 2 online CPUs");
	KUNIT_ASSERT_EQ(test, remove_cpu(cpu), 0);
	KUNIT_EXPECT_EQ(test, add_cpu(cpu), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&fake.cpu_calls), 0);

	KUNIT_ASSERT_EQ(test, remove_cpu(cpu), 0);
	KUNIT_EXPECT_EQ(test, cpu_enable(0, &ce), 0);
	calls = atomic_read(&fake.cpu_calls);
	/* out of VMX operation: online all the same, enabled later */
	cpumask_set_cpu(cpu, &fake.vmx_off);
	KUNIT_EXPECT_EQ(test, add_cpu(cpu), 0);
	KUNIT_EXPECT_TRUE(test, cpu_online(cpu));
	KUNIT_EXPECT_EQ(test, atomic_read(&fake.cpu_calls), calls);
	KUNIT_EXPECT_FALSE(test, cpumask_test_cpu(cpu, &fake.enabled_on));

	KUNIT_ASSERT_EQ(test, remove_cpu(cpu), 0);
	cpumask_clear_cpu(cpu, &fake.vmx_off);
	KUNIT_EXPECT_EQ(test, add_cpu(cpu), 0);
	KUNIT_EXPECT_TRUE(test, cpumask_test_cpu(cpu, &fake.enabled_on));
	KUNIT_EXPECT_EQ(test, atomic_read(&fake.cpu_calls), calls + 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&fake.irqs_on), 0);
	KUNIT_EXPECT_EQ(test, fake.enable_calls, 0);
	if (!cpu_online(cpu))
		add_cpu(cpu);
}

#ifdef TDXCTL_HAVE_SYSINFO
/* The kernel's module not initialized: nothing of it is known */
static void kb_test_sysinfo_none(struct kunit *test)
{
	struct tdx_host_status st;

	fake.nr_guest_keyids = 31;
	KUNIT_EXPECT_EQ(test, status(&st), 0);
	KUNIT_EXPECT_EQ(test, fake.sysinfo_calls, 1);
	KUNIT_EXPECT_EQ(test, st.valid, 0ULL);
	KUNIT_EXPECT_EQ(test, st.features0, 0ULL);
	KUNIT_EXPECT_EQ(test, st.max_tdmrs, 0U);
	KUNIT_EXPECT_EQ(test, st.guest_keyid_count, 0U);
	KUNIT_EXPECT_EQ(test, st.version_major, 0U);
}

/*
 * Initialized (by this driver or by KVM): TDX_FEATURES0 and MAX_TDMRS as
 * the kernel read them, the guest KeyIDs where the kernel tells them;
 * the version and the TDMRs stay unknown.
 */
static void kb_test_sysinfo(struct kunit *test)
{
	static struct tdx_sys_info si;
	struct tdx_host_module_enable me;
	struct tdx_host_status st;

	si.features.tdx_features0 = 0x6000000000000003ULL;
	si.tdmr.max_tdmrs = 64;
	si.tdmr.max_reserved_per_tdmr = 16;
	fake.sysinfo = &si;
	fake.nr_guest_keyids = 31;
	KUNIT_EXPECT_EQ(test, status(&st), 0);
	KUNIT_EXPECT_EQ(test, st.state, (u32)TDX_HOST_STATE_UNINITIALIZED);
	KUNIT_EXPECT_TRUE(test, st.valid & TDX_HOST_STATUS_MODULE_CAPS);
	KUNIT_EXPECT_EQ(test, st.features0, si.features.tdx_features0);
	KUNIT_EXPECT_EQ(test, st.max_tdmrs, 64U);
#ifdef TDXCTL_HAVE_NR_GUEST_KEYIDS
	KUNIT_EXPECT_EQ(test, st.valid, TDX_HOST_STATUS_MODULE_CAPS |
					TDX_HOST_STATUS_GUEST_KEYIDS);
	KUNIT_EXPECT_EQ(test, st.guest_keyid_count, 31U);
#else
	KUNIT_EXPECT_EQ(test, st.valid, TDX_HOST_STATUS_MODULE_CAPS);
	KUNIT_EXPECT_EQ(test, st.guest_keyid_count, 0U);
#endif
	KUNIT_EXPECT_EQ(test, st.version_major, 0U);
	KUNIT_EXPECT_EQ(test, st.nr_tdmrs, 0U);
	KUNIT_EXPECT_EQ(test, st.global_keyid, 0U);

	/* the same after this driver's enable */
	KUNIT_EXPECT_EQ(test, module_enable(TDX_HOST_ENABLE_ALL_CPUS, &me), 0);
	KUNIT_EXPECT_EQ(test, status(&st), 0);
	KUNIT_EXPECT_EQ(test, st.state, (u32)TDX_HOST_STATE_INITIALIZED);
	KUNIT_EXPECT_EQ(test, st.features0, si.features.tdx_features0);
	KUNIT_EXPECT_EQ(test, st.max_tdmrs, 64U);
}

/*
 * The kernel's module was initialized before the driver loaded (by KVM
 * with kvm_intel.tdx=1, or by an earlier load of this driver): the core
 * starts initialized, and module enable calls nothing.
 */
static void kb_test_initialized_before(struct kunit *test)
{
	static struct tdx_sys_info si;
	struct tdx_host_module_enable me;
	struct tdx_host_status st;

	tdxctl_core_exit();
	si.tdmr.max_tdmrs = 64;
	fake.sysinfo = &si;
	KUNIT_ASSERT_EQ(test, tdxctl_core_init(&tdxctl_kernel_backend), 0);
	KUNIT_EXPECT_EQ(test, status(&st), 0);
	KUNIT_EXPECT_EQ(test, st.state, (u32)TDX_HOST_STATE_INITIALIZED);
	KUNIT_EXPECT_EQ(test, module_enable(0, &me), 0);
	KUNIT_EXPECT_EQ(test, fake.enable_calls, 0);
}
#endif

static struct kunit_case kb_test_cases[] = {
	KUNIT_CASE(kb_test_order),
	KUNIT_CASE(kb_test_preflight),
	KUNIT_CASE(kb_test_hotplug_held),
	KUNIT_CASE(kb_test_errno),
	KUNIT_CASE(kb_test_cpu_errno),
	KUNIT_CASE(kb_test_vmx_off),
	KUNIT_CASE(kb_test_cpuhp),
#ifdef TDXCTL_HAVE_SYSINFO
	KUNIT_CASE(kb_test_sysinfo_none),
	KUNIT_CASE(kb_test_sysinfo),
	KUNIT_CASE(kb_test_initialized_before),
#endif
	{}
};

static struct kunit_suite kb_test_suite = {
	.name = "tdxctl_kernel_backend",
	.init = kb_test_init,
	.exit = kb_test_exit,
	.test_cases = kb_test_cases,
};
kunit_test_suite(kb_test_suite);

MODULE_DESCRIPTION("KUnit tests of tdxctl's kernel backend glue");
MODULE_LICENSE("GPL");
