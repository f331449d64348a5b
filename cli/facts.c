// SPDX-License-Identifier: GPL-2.0-only
/*
 * facts.c - gathering and deciding the facts status and check report
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "sysroot.h"
#include "tdxctl.h"

const uint32_t msr_ids[NMSR] = { 0x87, 0x981, 0x982, 0xFE, 0x1400, 0x1401 };

const char *platform_name(enum platform_kind p)
{
	switch (p) {
	case PLATFORM_BARE_METAL: return "bare-metal";
	case PLATFORM_VM: return "virtual-machine";
	case PLATFORM_TD_GUEST: return "td-guest";
	case PLATFORM_UNKNOWN: break;
	}
	return "unknown";
}

const char *module_state_name(enum module_state s)
{
	switch (s) {
	case MS_UNINITIALIZED: return "uninitialized";
	case MS_INITIALIZING: return "initializing";
	case MS_INITIALIZED: return "initialized";
	case MS_ERROR: return "error";
	case MS_UNKNOWN: case MS_REFUSED: break;
	}
	return "unavailable";
}

bool flag_in(const char *flags, const char *flag)
{
	size_t n = strlen(flag);

	for (const char *p = flags; (p = strstr(p, flag)); p += n)
		if ((p == flags || p[-1] == ' ' || p[-1] == '\t') && (p[n] == ' ' || p[n] == '\n' || !p[n]))
			return true;
	return false;
}

int facts_kver(const struct facts *f)
{
	return f->kmajor * 1000 + f->kminor;
}

static bool read_cpuinfo(struct facts *f)
{
	char *line, *save, *copy;
	bool any_flags = false;
	long cpu = -1;

	f->has_vmx = cpuset_new(f->m.nr);
	f->in_cpuinfo = cpuset_new(f->m.nr);
	f->cpuinfo = sr_slurp("/proc/cpuinfo", NULL);
	if (!f->cpuinfo) {
		f->cpuinfo_err = errno ? errno : EIO;
		return false;
	}
	copy = strdup(f->cpuinfo);
	if (!copy)
		return false;
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':');
		const char *val;

		if (!colon)
			continue;
		val = colon + 1;
		while (*val == ' ')
			val++;
		if (!strncmp(line, "processor", 9)) {
			char *end;

			cpu = strtol(val, &end, 10);
			if (end == val || cpu < 0 || (unsigned long)cpu >= f->m.nr)
				cpu = -1;
			else
				cpuset_set(f->in_cpuinfo, (unsigned)cpu);
		} else if (!strncmp(line, "vendor_id", 9) && !f->vendor[0]) {
			snprintf(f->vendor, sizeof(f->vendor), "%s", val);
		} else if (!strncmp(line, "flags", 5)) {
			any_flags = true;
			if (cpu >= 0 && flag_in(val, "vmx"))
				cpuset_set(f->has_vmx, (unsigned)cpu);
			if (flag_in(val, "hypervisor"))
				f->hypervisor = true;
			if (flag_in(val, "tdx_guest"))
				f->tdx_guest = true;
			if (flag_in(val, "tdx_host_platform"))
				f->tdx_host_platform = true;
		}
	}
	free(copy);
	return any_flags;
}

static const char *const virt_vendors[] = {
	"QEMU", "KVM", "VMware", "VirtualBox", "innotek", "Xen", "Virtual Machine",
	"Amazon EC2", "Google Compute Engine", "Parallels", "Bochs", "OpenStack", "BHYVE",
	"Cloud Hypervisor",
};

static void read_dmi(struct facts *f)
{
	char vendor[96] = "", product[96] = "";

	if (sr_read("/sys/class/dmi/id/sys_vendor", vendor, sizeof(vendor)) < 0)
		vendor[0] = '\0';
	if (sr_read("/sys/class/dmi/id/product_name", product, sizeof(product)) < 0)
		product[0] = '\0';
	snprintf(f->dmi, sizeof(f->dmi), "%s%s%s", vendor, *vendor && *product ? " " : "", product);
	for (size_t i = 0; i < sizeof(virt_vendors) / sizeof(virt_vendors[0]); i++)
		if (strstr(f->dmi, virt_vendors[i]))
			f->dmi_virtual = virt_vendors[i];
}

static void read_msrs(struct facts *f)
{
	f->msr = calloc(f->m.nr ? f->m.nr : 1, sizeof(*f->msr));
	if (!f->msr) {
		perror("tdxctl");
		exit(EXIT_FAILED);
	}
	cpuset_for_each(cpu, f->m.online) {
		for (int k = 0; k < NMSR; k++) {
			int r = sr_rdmsr((unsigned)cpu, msr_ids[k], &f->msr[cpu][k].v);

			f->msr[cpu][k].err = r < 0 ? -r : 0;
			if (!r)
				f->msr_any = true;
			else if (r != -EIO && !f->msr_access_err)
				f->msr_access_err = -r;
		}
	}
}

static void decide_platform(struct facts *f, bool cpuinfo_ok)
{
	if (!cpuinfo_ok) {
		f->platform = PLATFORM_UNKNOWN;
		f->platform_why = f->cpuinfo ? "no CPU flags in /proc/cpuinfo" : "/proc/cpuinfo not readable";
	} else if (f->tdx_guest) {
		f->platform = PLATFORM_TD_GUEST;
		f->platform_why = "cpuinfo 'tdx_guest' flag";
	} else if (f->hypervisor) {
		f->platform = PLATFORM_VM;
		f->platform_why = "cpuinfo 'hypervisor' flag";
	} else {
		/* The hypervisor CPUID bit decides; DMI names the hardware's
		 * vendor, which can be a cloud's bare-metal host. */
		f->platform = PLATFORM_BARE_METAL;
		f->platform_why = "no cpuinfo 'hypervisor' flag";
	}
}

static void decide_kernel(struct facts *f)
{
	const char *range = klog_find(&f->klog, "BIOS enabled: private KeyID range");
	const char *p;
	unsigned a, b;

	if (range && (p = strstr(range, "range")) && sscanf(p, "range [%u, %u)", &a, &b) == 2 && b > a) {
		f->range_known = true;
		f->range_first = a;
		f->range_end = b;
	}
	f->refusal_line = klog_find(&f->klog, "virt/tdx: initialization failed:");
	if (f->refusal_line) {
		size_t n;

		p = strstr(f->refusal_line, "initialization failed:") + strlen("initialization failed:");
		while (*p == ' ')
			p++;
		snprintf(f->refusal, sizeof(f->refusal), "%s", p);
		n = strlen(f->refusal);
		while (n && (f->refusal[n - 1] == '.' || f->refusal[n - 1] == ' '))
			f->refusal[--n] = '\0';
		if (!n)
			snprintf(f->refusal, sizeof(f->refusal), "no reason given");
	}
}

static void decide_module(struct facts *f)
{
	const char *ok, *fail;
	const char *why = f->drv.err || f->drv.fd < 0 ? drv_reason(&f->drv) : NULL;

	if (f->have_status) {
		static const enum module_state map[] = {
			[TDX_HOST_STATE_UNINITIALIZED] = MS_UNINITIALIZED,
			[TDX_HOST_STATE_INITIALIZING] = MS_INITIALIZING,
			[TDX_HOST_STATE_INITIALIZED] = MS_INITIALIZED,
			[TDX_HOST_STATE_ERROR] = MS_ERROR,
		};

		f->module.source = "driver";
		if (f->st.state < sizeof(map) / sizeof(map[0])) {
			f->module.state = map[f->st.state];
		} else {
			f->module.state = MS_UNKNOWN;
			snprintf(f->module.reason, sizeof(f->module.reason),
				 "the driver reports an unknown state %u", f->st.state);
		}
		return;
	}
	if (!why)
		why = "driver not loaded";
	ok = klog_find(&f->klog, "virt/tdx: module initialized");
	if (!ok)
		ok = klog_find(&f->klog, "TDX-Module initialized");
	fail = klog_find(&f->klog, "virt/tdx: module initialization failed");
	if (!fail)
		fail = klog_find(&f->klog, "TDX-Module initialization failed");
	f->module.source = "kernel-log";
	if (ok) {
		f->module.state = MS_INITIALIZED;
		f->module.line = ok;
	} else if (fail) {
		f->module.state = MS_ERROR;
		f->module.line = fail;
	} else if (f->refusal_line) {
		f->module.state = MS_REFUSED;
		f->module.line = f->refusal_line;
		snprintf(f->module.reason, sizeof(f->module.reason),
			 "the kernel refused TDX at boot: %s", f->refusal);
	} else if (f->range_known) {
		/* The log holds the boot-time TDX lines, so it would hold
		 * the kernel's initialization too: there was none. */
		f->module.state = MS_UNINITIALIZED;
		f->module.line = klog_find(&f->klog, "BIOS enabled: private KeyID range");
		snprintf(f->module.reason, sizeof(f->module.reason), "%s", why);
	} else {
		f->module.state = MS_UNKNOWN;
		f->module.source = NULL;
		if (f->klog.err)
			snprintf(f->module.reason, sizeof(f->module.reason),
				 "%s, and the kernel log is not readable (%s)", why, strerror(f->klog.err));
		else
			snprintf(f->module.reason, sizeof(f->module.reason), "%s", why);
	}
}

void facts_gather(struct facts *f, unsigned what)
{
	char buf[128];
	ssize_t n;
	bool cpuinfo_ok;

	memset(f, 0, sizeof(*f));
	f->drv.fd = -1;
	cpumasks_read(&f->m);
	cpuinfo_ok = read_cpuinfo(f);
	read_dmi(f);
	if (sr_read("/proc/sys/kernel/osrelease", f->krelease, sizeof(f->krelease)) > 0 &&
	    sscanf(f->krelease, "%d.%d", &f->kmajor, &f->kminor) != 2)
		f->kmajor = f->kminor = 0;
	if (f->kmajor <= 0 || f->kminor < 0 || f->kminor > 999)
		f->kmajor = f->kminor = 0;
	n = sr_read("/proc/cmdline", f->cmdline, sizeof(f->cmdline));
	f->cmdline_err = n < 0 ? (int)-n : 0;
	n = sr_read("/sys/power/state", f->power_state, sizeof(f->power_state));
	f->power_state_err = n < 0 ? (int)-n : 0;
	klog_read(&f->klog);
	if (what & FACT_MSRS)
		read_msrs(f);
	n = sr_read("/sys/module/kvm_intel/parameters/tdx", buf, sizeof(buf));
	if (n >= 0)
		snprintf(f->kvm_tdx, sizeof(f->kvm_tdx), "%.15s", buf);
	else
		f->kvm_tdx_err = (int)-n;
	if (what & FACT_DRIVER) {
		drv_probe(&f->drv, false);
		if (!f->drv.err) {
			int e = dev_status(f->drv.fd, &f->st);

			if (e)
				f->drv.err = -e;
			else
				f->have_status = true;
		}
	} else {
		f->drv.err = ENOENT;
	}
	decide_platform(f, cpuinfo_ok);
	decide_kernel(f);
	decide_module(f);
}

void facts_free(struct facts *f)
{
	drv_close(&f->drv);
	klog_free(&f->klog);
	free(f->msr);
	free(f->cpuinfo);
	cpuset_free(f->has_vmx);
	cpuset_free(f->in_cpuinfo);
	cpumasks_free(&f->m);
	f->msr = NULL;
	f->cpuinfo = NULL;
	f->has_vmx = f->in_cpuinfo = NULL;
}
