// SPDX-License-Identifier: GPL-2.0-only
/*
 * facts.c - gathering and deciding the facts status and check report
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "hints.h"
#include "print.h"
#include "sysroot.h"
#include "tdxctl.h"

const uint32_t msr_ids[NMSR] = { 0x87, 0x981, 0x982, 0xFE, 0x1400, 0x1401, 0x3A, 0xA0, 0xCE, 0x500 };

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

const char *regime_name(enum tdx_regime r)
{
	switch (r) {
	case REGIME_NO_HOST_CORE: return "no-host-core";
	case REGIME_NO_PLATFORM: return "no-platform";
	case REGIME_ON_DEMAND: return "on-demand";
	case REGIME_KVM: return "kvm-owned";
	case REGIME_BOOT: return "boot-initialized";
	case REGIME_UNKNOWN: break;
	}
	return "unknown";
}

const char *regime_desc(enum tdx_regime r)
{
	switch (r) {
	case REGIME_NO_HOST_CORE:
		return "no kernel TDX host core (Linux before 6.8, or built without CONFIG_INTEL_TDX_HOST)";
	case REGIME_NO_PLATFORM:
		return "kernel TDX host core present, no TDX platform";
	case REGIME_ON_DEMAND:
		return "the kernel exports TDX enabling to modules (Linux 6.8 to 6.18): the tdxctl driver can enable TDX";
	case REGIME_KVM:
		return "only KVM (kvm_intel.tdx=1) can initialize TDX (Linux 6.19 to 7.0)";
	case REGIME_BOOT:
		return "the kernel initializes TDX once at boot (Linux 7.1 and later)";
	case REGIME_UNKNOWN: break;
	}
	return "unknown: nothing on this system tells";
}

int param_bool(const char *v)
{
	if (!strcmp(v, "Y") || !strcmp(v, "1"))
		return 1;
	if (!strcmp(v, "N") || !strcmp(v, "0"))
		return 0;
	return -1;
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
	f->pkg_of = malloc((f->m.nr ? f->m.nr : 1) * sizeof(*f->pkg_of));
	f->core_of = malloc((f->m.nr ? f->m.nr : 1) * sizeof(*f->core_of));
	if (f->pkg_of && f->core_of) {
		memset(f->pkg_of, 0xff, f->m.nr * sizeof(*f->pkg_of));
		memset(f->core_of, 0xff, f->m.nr * sizeof(*f->core_of));
	}
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
		} else if (cpu >= 0 && f->pkg_of && f->core_of &&
			   (!strncmp(line, "physical id", 11) || !strncmp(line, "core id", 7))) {
			char *end;
			unsigned long v = strtoul(val, &end, 10);

			if (end != val && !*end && v < UINT32_MAX)
				(line[0] == 'p' ? f->pkg_of : f->core_of)[cpu] = (uint32_t)v;
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

static long long cpu_topology(const uint32_t *of, unsigned nr, unsigned cpu, const char *file)
{
	char path[128];
	uint64_t v;

	if (of && cpu < nr && of[cpu] != UINT32_MAX)
		return of[cpu];
	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/topology/%s", cpu, file);
	return sr_read_u64(path, &v) || v > UINT32_MAX ? -1 : (long long)v;
}

long long facts_cpu_package(const struct facts *f, unsigned cpu)
{
	return cpu_topology(f->pkg_of, f->m.nr, cpu, "physical_package_id");
}

long long facts_cpu_core(const struct facts *f, unsigned cpu)
{
	return cpu_topology(f->core_of, f->m.nr, cpu, "core_id");
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
	sr_msr_done();	/* the values stay: diag puts them in its bundle */
}

/* CONFIG_INTEL_TDX_HOST from /boot/config-<release> (a kernel before 6.8
 * has no such option: not set either). */
static void read_kconfig(struct facts *f)
{
	f->kconfig_tdx = sr_kconfig(f->krelease, "CONFIG_INTEL_TDX_HOST", f->kconfig_path,
				    sizeof(f->kconfig_path));
}

/* /sys/devices/faux/tdx_host (7.2+): the seamldr attributes are 0400
 * and hidden without TD-preserving updates: absent is not an error. */
static void read_faux(struct facts *f)
{
	ssize_t n;

	f->faux = sr_exists("/sys/devices/faux/tdx_host");
	if (!f->faux)
		return;
	n = sr_read("/sys/devices/faux/tdx_host/version", f->faux_version, sizeof(f->faux_version));
	f->faux_version_err = n < 0 ? (int)-n : 0;
	n = sr_read("/sys/devices/faux/tdx_host/seamldr_version", f->seamldr_version, sizeof(f->seamldr_version));
	f->seamldr_version_err = n < 0 ? (int)-n : 0;
	n = sr_read("/sys/devices/faux/tdx_host/num_remaining_updates", f->remaining_updates,
		    sizeof(f->remaining_updates));
	f->remaining_updates_err = n < 0 ? (int)-n : 0;
	if (f->faux_version_err)
		f->faux_version[0] = '\0';
	if (f->seamldr_version_err)
		f->seamldr_version[0] = '\0';
	if (f->remaining_updates_err)
		f->remaining_updates[0] = '\0';
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
	/* TDMRs or reserved areas exhausted: the enable failed, the platform was accepted */
	if (f->refusal_line && strstr(f->refusal_line, "exhausted"))
		f->refusal_line = NULL;
	if (!f->refusal_line) {
		/* 7.1+: the boot-time checks before any SEAMCALL */
		static const char *const boot_refusals[] = {
			"virt/tdx: TDX not supported by the host platform", "virt/tdx: XSAVE is required for TDX",
			"virt/tdx: MOVDIR64B is required for TDX", "virt/tdx: Self-snoop is required for TDX",
		};

		for (size_t i = 0; i < sizeof(boot_refusals) / sizeof(boot_refusals[0]) && !f->refusal_line; i++)
			if ((f->refusal_line = klog_find(&f->klog, boot_refusals[i]))) {
				snprintf(f->refusal, sizeof(f->refusal), "%s", boot_refusals[i] + strlen("virt/tdx: "));
				return;
			}
	}
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
		const char *p = strstr(fail, "failed (");
		int e;

		f->module.state = MS_ERROR;
		f->module.line = fail;
		if (p && sscanf(p, "failed (%d)", &e) == 1 && e < 0 && e > -4096)
			f->module.log_errno = -e;
	} else if (f->faux && f->faux_version[0]) {
		/* tdx-host binds, and makes the device, only over an
		 * initialized TDX module; its version answers from it */
		f->module.state = MS_INITIALIZED;
		f->module.source = "sysfs";
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

static void ev(struct facts *f, const char *source, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void ev(struct facts *f, const char *source, const char *path, const char *fmt, ...)
{
	struct regime_evidence *e;
	va_list ap;

	if (f->kernel.nev >= NEVIDENCE)
		return;
	e = &f->kernel.ev[f->kernel.nev++];
	e->source = source;
	e->path = path;
	va_start(ap, fmt);
	vsnprintf(e->value, sizeof(e->value), fmt, ap);
	va_end(ap);
}

/* The kernel log's TDX lines: the initialization message style says
 * which generation of the host core wrote them. */
static const char *const boot_style[] = {
	"virt/tdx: TDX-Module initialized", "virt/tdx: TDX-Module initialization failed",
	"virt/tdx: TDX not supported by the host platform", "virt/tdx: XSAVE is required for TDX",
	"virt/tdx: MOVDIR64B is required for TDX", "virt/tdx: Self-snoop is required for TDX",
};
static const char *const demand_style[] = {
	"virt/tdx: module initialized", "virt/tdx: module initialization failed",
};

static const char *find_any(const struct klog *k, const char *const *needles, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *l = klog_find(k, needles[i]);

		if (l)
			return l;
	}
	return NULL;
}

static void decide_regime(struct facts *f)
{
	const char *core_line = klog_find(&f->klog, "virt/tdx: BIOS enabled");
	const char *boot_line = find_any(&f->klog, boot_style, sizeof(boot_style) / sizeof(boot_style[0]));
	const char *demand_line = find_any(&f->klog, demand_style, sizeof(demand_style) / sizeof(demand_style[0]));

	if (!core_line)
		core_line = klog_find(&f->klog, "virt/tdx:");
	bool kernel_backend = f->drv.have_version && f->drv.ver.backend == TDX_HOST_BACKEND_KERNEL;
	int kv = facts_kver(f);
	enum tdx_regime r;

	/* Signs of the host core: only it sets the flag, logs "virt/tdx:",
	 * lets KVM have a tdx parameter (KVM_INTEL_TDX depends on it), makes
	 * the faux device; the kernel config says so outright. */
	if (f->tdx_host_platform)
		ev(f, "cpuinfo", "/proc/cpuinfo", "tdx_host_platform");
	else if (f->cpuinfo)
		ev(f, "cpuinfo", "/proc/cpuinfo", "no tdx_host_platform flag");
	if (f->faux)
		ev(f, "file", "/sys/devices/faux/tdx_host", "present");
	if (boot_line || demand_line || core_line)
		ev(f, "kernel-log", NULL, "%s", boot_line ? boot_line : demand_line ? demand_line : core_line);
	if (f->kvm_tdx[0])
		ev(f, "file", "/sys/module/kvm_intel/parameters/tdx", "%s", f->kvm_tdx);
	if (f->kconfig_tdx >= 0)
		ev(f, "file", f->kconfig_path, f->kconfig_tdx ? "CONFIG_INTEL_TDX_HOST=y" : "CONFIG_INTEL_TDX_HOST not set");
	if (kernel_backend)
		ev(f, "driver", NULL, "the tdxctl driver runs its kernel backend");

	if (f->tdx_host_platform || f->faux || core_line || f->kvm_tdx[0] || f->kconfig_tdx == 1 || kernel_backend)
		f->kernel.host_core = 1;
	else if (f->kconfig_tdx == 0 || (f->kmajor && kv < 6008))
		f->kernel.host_core = 0;
	else if (f->kmajor && f->cpuinfo && !f->klog.err)
		f->kernel.host_core = 0;	/* >= 6.8, and not one sign of it */
	else
		f->kernel.host_core = -1;

	if (f->kernel.host_core == 0) {
		r = REGIME_NO_HOST_CORE;
		if (f->kconfig_tdx == 0)
			snprintf(f->kernel.why, sizeof(f->kernel.why), "%s does not set CONFIG_INTEL_TDX_HOST", f->kconfig_path);
		else if (kv < 6008)
			snprintf(f->kernel.why, sizeof(f->kernel.why), "kernel %s predates the TDX host core (6.8)", f->krelease);
		else
			snprintf(f->kernel.why, sizeof(f->kernel.why),
				 "no sign of it: no tdx_host_platform flag, no virt/tdx: kernel log line, no kvm_intel tdx "
				 "parameter%s", f->kconfig_tdx < 0 ? ", no kernel config to read" : "");
	} else if (f->kernel.host_core < 0) {
		r = REGIME_UNKNOWN;
		snprintf(f->kernel.why, sizeof(f->kernel.why), "%s",
			 !f->kmajor ? "kernel release not readable" : !f->cpuinfo ? "/proc/cpuinfo not readable"
									: "kernel log not readable");
	} else if (!f->tdx_host_platform && !f->faux && f->cpuinfo) {
		r = REGIME_NO_PLATFORM;
		snprintf(f->kernel.why, sizeof(f->kernel.why), "host core (%s), no tdx_host_platform flag%s%s",
			 core_line ? "virt/tdx: kernel log lines" : f->kvm_tdx[0] ? "kvm_intel has a tdx parameter" :
			 f->kconfig_tdx == 1 ? "CONFIG_INTEL_TDX_HOST=y" : "the driver's kernel backend",
			 f->refusal[0] ? ": the kernel refused TDX at boot: " : "", f->refusal);
	} else if (!f->cpuinfo && !f->faux) {
		r = REGIME_UNKNOWN;
		snprintf(f->kernel.why, sizeof(f->kernel.why), "/proc/cpuinfo not readable");
	} else if (f->faux || boot_line) {
		r = REGIME_BOOT;
		snprintf(f->kernel.why, sizeof(f->kernel.why), "%s",
			 f->faux ? "the tdx_host faux device (7.2+)" : "the kernel log's boot-time TDX lines (7.1+)");
	} else if (kernel_backend) {
		r = REGIME_ON_DEMAND;
		snprintf(f->kernel.why, sizeof(f->kernel.why), "the tdxctl driver's kernel backend is loaded");
	} else if (!f->kmajor) {
		r = REGIME_UNKNOWN;
		snprintf(f->kernel.why, sizeof(f->kernel.why), "host core present; kernel release not readable");
	} else if (kv >= 7001 && !demand_line) {
		r = REGIME_BOOT;
		snprintf(f->kernel.why, sizeof(f->kernel.why), "kernel %s (7.1+)", f->krelease);
	} else if (kv >= 6019) {
		/* which modules may call tdx_enable() shows nowhere at run time */
		r = REGIME_KVM;
		snprintf(f->kernel.why, sizeof(f->kernel.why), "kernel %s: 6.19 to 7.0 export TDX enabling to KVM only",
			 f->krelease);
	} else {
		r = REGIME_ON_DEMAND;
		snprintf(f->kernel.why, sizeof(f->kernel.why), "kernel %s: 6.8 to 6.18 export TDX enabling to GPL modules",
			 f->krelease);
	}
	f->kernel.regime = r;
	/* no driver, no verdict: the regime is the reason, not the driver */
	if (f->module.state == MS_UNKNOWN && !f->have_status && f->drv.err == ENOENT && !f->drv.loaded &&
	    (r == REGIME_NO_PLATFORM || r == REGIME_NO_HOST_CORE))
		snprintf(f->module.reason, sizeof(f->module.reason), "%s", regime_desc(r));

	/* What to do: the table's word (hints.c) */
	hint_action(f, f->kernel.enable, sizeof(f->kernel.enable));
}

const char *kernel_module_version(const struct facts *f, char *buf, size_t len)
{
	const char *l = klog_find(&f->klog, "virt/tdx: Module version:");
	char v[64];

	if (f->faux_version[0]) {
		snprintf(buf, len, "%s", f->faux_version);
		return buf;
	}
	if (l && sscanf(strstr(l, "Module version:") + 15, " %63s", v) == 1) {
		snprintf(buf, len, "%s", v);
		return buf;
	}
	return NULL;
}

static void print_param(const char *key, const char *label, const char *v)
{
	int b = v[0] ? param_bool(v) : -1;

	pr_kv(key, label, b < 0 ? pv_null(v[0] ? "unreadable" : "absent") : pv_text(pv_bool(b), v));
}

void print_kernel_regime(const struct facts *f)
{
	pr_obj_begin("kernel", "kernel");
	pr_kv("release", "release", f->krelease[0] ? pv_str(f->krelease) : pv_null("unknown"));
	char rt[256];

	snprintf(rt, sizeof(rt), "%s: %s", regime_name(f->kernel.regime), regime_desc(f->kernel.regime));
	pr_kv("regime", "TDX regime", pv_text(pv_str(regime_name(f->kernel.regime)), rt));
	pr_kv("description", NULL, pv_str(regime_desc(f->kernel.regime)));
	pr_kv("decided_by", "decided by", pv_str(f->kernel.why));
	pr_kv("host_core", "TDX host core", f->kernel.host_core < 0 ? pv_null("unknown") : pv_bool(f->kernel.host_core));
	pr_kv("tdx_host_platform", "TDX platform",
	      f->cpuinfo ? pv_text(pv_bool(f->tdx_host_platform), f->tdx_host_platform ? "yes (tdx_host_platform)" : "no")
			 : pv_null("unknown"));
	print_param("kvm_intel_tdx", "kvm_intel.tdx", f->kvm_tdx);
	print_param("enable_virt_at_load", "enable_virt_at_load", f->virt_at_load);
	pr_arr_begin("evidence", NULL);
	for (unsigned i = 0; i < f->kernel.nev; i++) {
		const struct regime_evidence *e = &f->kernel.ev[i];
		char one[240];

		snprintf(one, sizeof(one), "%s: %s", e->path ? e->path : e->source, e->value);
		pr_fmt(NULL, NULL, pv_str(one));
	}
	pr_arr_end();
	for (unsigned i = 0; i < f->kernel.nev; i++) {
		const struct regime_evidence *e = &f->kernel.ev[i];
		char one[240];

		snprintf(one, sizeof(one), "%s: %s", e->path ? e->path : e->source, e->value);
		pr_kv(NULL, "evidence", pv_str(one));
	}
	pr_kv("enable", "to enable TDX", pv_str(f->kernel.enable));
	pr_obj_end();
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
	f->kvm_intel_loaded = sr_exists("/sys/module/kvm_intel");
	n = sr_read("/sys/module/kvm/parameters/enable_virt_at_load", buf, sizeof(buf));
	if (n >= 0)
		snprintf(f->virt_at_load, sizeof(f->virt_at_load), "%.15s", buf);
	else
		f->virt_at_load_err = (int)-n;
	read_kconfig(f);
	read_faux(f);
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
	decide_regime(f);
}

void facts_free(struct facts *f)
{
	drv_close(&f->drv);
	klog_free(&f->klog);
	free(f->msr);
	free(f->cpuinfo);
	cpuset_free(f->has_vmx);
	cpuset_free(f->in_cpuinfo);
	free(f->pkg_of);
	free(f->core_of);
	cpumasks_free(&f->m);
	f->msr = NULL;
	f->cpuinfo = NULL;
	f->has_vmx = f->in_cpuinfo = NULL;
}

const char *klog_tdx_cause(const struct klog *k)
{
	static const char *const causes[] = {
		"virt/tdx: SEAMCALL (", "exhausted", "virt/tdx: module not loaded",
	};
	size_t end = k->n;

	/* from the last failure back: the cause is logged before it */
	while (end && !strstr(k->lines[end - 1], "virt/tdx: module initialization failed"))
		end--;
	if (!end)
		return NULL;
	for (size_t i = end - 1; i-- > 0;) {
		if (strstr(k->lines[i], "virt/tdx: module initialized"))
			return NULL;
		for (size_t c = 0; c < sizeof(causes) / sizeof(causes[0]); c++)
			if (strstr(k->lines[i], causes[c]) && strstr(k->lines[i], "virt/tdx:"))
				return k->lines[i];
	}
	return NULL;
}
