// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_check.c - tdxctl check (alias ok): the host's TDX prerequisites.
 *
 * Reads only: /proc/cpuinfo, DMI, the MSRs of every online CPU through
 * /dev/cpu/N/msr (when the msr driver is there; never loaded by us), the
 * kernel log, kvm_intel's parameters and the tdxctl driver.  Everything
 * under --sysroot, so a captured tree replays the same verdicts.
 */
#include <argp.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cmds.h"
#include "dev.h"
#include "kmsg.h"
#include "sysroot.h"
#include "tdxstatus.h"
#include "tdxctl.h"

const struct check_def check_defs[] = {
	{ "env.virtualization", "Running on bare metal", "environment", "required",
	  "Looks for the cpuinfo 'hypervisor' and 'tdx_guest' flags and the DMI vendor/product. "
	  "A TDX host is the machine itself; inside a virtual machine the hardware checks do not apply.",
	  "Run tdxctl check on the host itself. To try tdxctl inside a VM, load the driver with "
	  "its emulated backend: modprobe tdxctl backend=emulated." },
	{ "cpu.vendor", "Intel CPU", "cpu", "required",
	  "vendor_id in /proc/cpuinfo must be GenuineIntel: TDX is an Intel technology.",
	  "Use a 4th generation Xeon Scalable (Sapphire Rapids) or newer Intel CPU." },
	{ "cpu.vmx", "VMX on every CPU", "cpu", "required",
	  "The 'vmx' cpuinfo flag on every online CPU: the TDX module is entered from VMX root mode.",
	  "Enable Intel Virtualization Technology (VT-x) in the BIOS." },
	{ "cpu.msr_access", "MSRs readable", "cpu", "info",
	  "Reads MSRs through /dev/cpu/N/msr on every online CPU. Needs the msr driver and root; "
	  "tdxctl never loads the driver itself. Without it the BIOS checks are skipped.",
	  "Run as root after 'modprobe msr'." },
	{ "bios.seamrr.supported", "CPU supports SEAM", "bios", "required",
	  "IA32_MTRRCAP (0xFE) bit 15 on every online CPU: the CPU has the SEAM range register "
	  "that holds the TDX module.",
	  "This CPU cannot run TDX; use a TDX-capable Xeon." },
	{ "bios.seamrr.enabled", "SEAMRR enabled by the BIOS", "bios", "required",
	  "IA32_SEAMRR_PHYS_MASK (0x1401) bit 11 (enabled) on every online CPU; bit 10 is the lock.",
	  "Enable TDX in the BIOS (with it: TME, TME-MT/MK-TME, a TDX KeyID split and the SEAM loader)." },
	{ "bios.tme", "TME enabled and locked by the BIOS", "bios", "required",
	  "IA32_TME_ACTIVATE (0x982) bits 0 (lock) and 1 (enable) on every online CPU.",
	  "Enable Total Memory Encryption (TME) and Multi-Key TME in the BIOS." },
	{ "bios.keyids", "TDX private KeyIDs (at least 2)", "bios", "required",
	  "IA32_MKTME_KEYID_PARTITIONING (0x87) bits 63:32 count the TDX private KeyIDs; Linux "
	  "needs at least 2 (one global KeyID for the PAMT, the rest for TDs).",
	  "In the BIOS, give TDX a KeyID split (for example 'TME-MT/TDX key split' non-zero)." },
	{ "msr.uniform", "TDX MSRs identical on every CPU", "cpu", "required",
	  "MSRs 0x87, 0x981, 0x982, 0xFE and 0x1401 compared across every online CPU. The TDX "
	  "module refuses a CPU whose MSRs differ from the first one (TDX_INCONSISTENT_MSR).",
	  "Update the BIOS and microcode so every socket is configured alike; check per-socket "
	  "BIOS settings." },
	{ "kernel.tdx_support", "Kernel TDX host support", "kernel", "info",
	  "The kernel release: before 6.8 the kernel has no TDX host code (the tdxctl driver runs "
	  "only its emulated backend); 6.8 to 6.18 let the driver enable TDX through the kernel; "
	  "from 6.19 only KVM (6.16+) or the boot code (7.1+) initializes TDX.",
	  "Boot a kernel built with CONFIG_INTEL_TDX_HOST=y." },
	{ "kernel.tdx_host_platform", "Kernel accepted the TDX platform", "kernel", "required",
	  "The 'tdx_host_platform' cpuinfo flag: the kernel found TDX KeyIDs at boot and its checks "
	  "passed. Compared with this tool's own MSR reading.",
	  "See kernel.log for the kernel's reason; boot with 'nohibernate'; use a kernel with "
	  "CONFIG_INTEL_TDX_HOST=y." },
	{ "kernel.log", "Kernel log about TDX", "kernel", "required",
	  "The 'virt/tdx:' lines of the kernel log (live: /dev/kmsg; replay: <sysroot>/dev/kmsg): "
	  "the KeyID range the BIOS enabled, and any initialization failure.",
	  "Act on the quoted line; tdxctl explain decodes a quoted TDX status code." },
	{ "kernel.hibernation", "Hibernation disabled", "kernel", "recommended",
	  "Linux refuses to initialize TDX while hibernation is possible.",
	  "Boot with 'nohibernate' on the kernel command line." },
	{ "kvm.tdx", "KVM TDX parameter", "kvm", "info",
	  "/sys/module/kvm_intel/parameters/tdx: with Y (kernels 6.16+) KVM initializes TDX when "
	  "kvm_intel loads; from 6.19 that is the only way on such kernels.",
	  "Load kvm_intel with tdx=1 (options kvm_intel tdx=1 in /etc/modprobe.d) if KVM should own TDX." },
	{ "driver.loaded", "tdxctl driver loaded", "driver", "recommended",
	  "/sys/module/tdxctl and /dev/tdx_host: the driver that enables TDX on demand.",
	  "modprobe tdxctl (test machines without TDX: modprobe tdxctl backend=emulated)." },
	{ "module.state", "TDX module initialized", "module", "required",
	  "The TDX module state from the driver (or the kernel log when there is no driver): "
	  "uninitialized, initializing, initialized or error.",
	  "Run tdxctl enable. An error is sticky until reboot: tdxctl status shows the step and "
	  "status code, tdxctl explain CODE decodes it." },
};
const unsigned n_check_defs = sizeof(check_defs) / sizeof(check_defs[0]);

const struct check_def *check_def_find(const char *id)
{
	for (unsigned i = 0; i < n_check_defs; i++)
		if (!strcmp(check_defs[i].id, id))
			return &check_defs[i];
	return NULL;
}

/* ---- facts ---- */

#define NMSR 5
static const uint32_t msr_ids[NMSR] = { 0x87, 0x981, 0x982, 0xFE, 0x1401 };
enum { M_KEYID = 0, M_TMECAP, M_TMEACT, M_MTRRCAP, M_SEAMRR_MASK };

struct msrval {
	uint64_t v;
	int err;	/* 0 or errno */
};

struct facts {
	struct cpumasks m;
	char *cpuinfo;
	char vendor[64];
	struct cpuset *has_vmx, *in_cpuinfo;
	bool hypervisor, tdx_guest, tdx_host_platform;
	char dmi[256];
	bool dmi_virtual;
	int kmajor, kminor;
	char krelease[128];
	char cmdline[4096];
	struct klog klog;
	struct msrval (*msr)[NMSR];	/* per CPU number */
	int msr_access_err;		/* first error opening an msr file */
	bool msr_any;			/* some MSR read worked */
	char kvm_tdx[16];
	struct drv drv;
	bool have_status;
	struct tdx_host_status st;
};

static bool flag_in(const char *flags, const char *flag)
{
	size_t n = strlen(flag);

	for (const char *p = flags; (p = strstr(p, flag)); p += n)
		if ((p == flags || p[-1] == ' ' || p[-1] == '\t') && (p[n] == ' ' || p[n] == '\n' || !p[n]))
			return true;
	return false;
}

static void read_cpuinfo(struct facts *f)
{
	char *line, *save, *copy;
	long cpu = -1;

	f->has_vmx = cpuset_new(f->m.nr);
	f->in_cpuinfo = cpuset_new(f->m.nr);
	f->cpuinfo = sr_slurp("/proc/cpuinfo", NULL);
	if (!f->cpuinfo)
		return;
	copy = strdup(f->cpuinfo);
	if (!copy)
		return;
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':');
		const char *val;

		if (!colon)
			continue;
		val = colon + 1;
		while (*val == ' ')
			val++;
		if (!strncmp(line, "processor", 9)) {
			cpu = strtol(val, NULL, 10);
			if (cpu >= 0 && (unsigned long)cpu < f->m.nr)
				cpuset_set(f->in_cpuinfo, (unsigned)cpu);
		} else if (!strncmp(line, "vendor_id", 9) && !f->vendor[0]) {
			snprintf(f->vendor, sizeof(f->vendor), "%s", val);
		} else if (!strncmp(line, "flags", 5)) {
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
}

static const char *const virt_vendors[] = {
	"QEMU", "KVM", "VMware", "VirtualBox", "innotek", "Xen", "Virtual Machine",
	"Amazon EC2", "Google Compute Engine", "Parallels", "Bochs", "OpenStack", "BHYVE",
	"Cloud Hypervisor",
};

static void read_dmi(struct facts *f)
{
	char vendor[96] = "", product[96] = "";

	sr_read("/sys/class/dmi/id/sys_vendor", vendor, sizeof(vendor));
	sr_read("/sys/class/dmi/id/product_name", product, sizeof(product));
	snprintf(f->dmi, sizeof(f->dmi), "%s%s%s", vendor, *vendor && *product ? " " : "", product);
	for (size_t i = 0; i < sizeof(virt_vendors) / sizeof(virt_vendors[0]); i++)
		if (strstr(f->dmi, virt_vendors[i]))
			f->dmi_virtual = true;
	if (sr_exists("/sys/hypervisor/type")) {
		char t[32];

		if (sr_read("/sys/hypervisor/type", t, sizeof(t)) > 0)
			f->dmi_virtual = true;
	}
}

static void read_msrs(struct facts *f)
{
	f->msr = calloc(f->m.nr, sizeof(*f->msr));
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

static void gather(struct facts *f)
{
	char buf[128];

	memset(f, 0, sizeof(*f));
	cpumasks_read(&f->m);
	read_cpuinfo(f);
	read_dmi(f);
	if (sr_read("/proc/sys/kernel/osrelease", f->krelease, sizeof(f->krelease)) > 0)
		sscanf(f->krelease, "%d.%d", &f->kmajor, &f->kminor);
	sr_read("/proc/cmdline", f->cmdline, sizeof(f->cmdline));
	klog_read(&f->klog);
	read_msrs(f);
	if (sr_read("/sys/module/kvm_intel/parameters/tdx", buf, sizeof(buf)) >= 0)
		snprintf(f->kvm_tdx, sizeof(f->kvm_tdx), "%.15s", buf);
	drv_probe(&f->drv, false);
	if (!f->drv.err && !dev_status(f->drv.fd, &f->st))
		f->have_status = true;
}

static void facts_free(struct facts *f)
{
	drv_close(&f->drv);
	klog_free(&f->klog);
	free(f->msr);
	free(f->cpuinfo);
	cpuset_free(f->has_vmx);
	cpuset_free(f->in_cpuinfo);
	cpumasks_free(&f->m);
}

static int kver(const struct facts *f)
{
	return f->kmajor * 1000 + f->kminor;
}

/* ---- results ---- */

struct evidence {
	const char *source;	/* msr, file, cpuinfo, kernel-log, driver */
	char *path;
	char *msr;
	struct cpuset *cpus;
	char *value;
};

struct result {
	const struct check_def *def;
	const char *status;	/* pass fail warn skip na */
	char *reason;
	char *observed;
	char *expected;
	const char *hint;	/* NULL: the check's own fix */
	struct evidence ev[12];
	int nev;
};

static char *xstrfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xstrfmt(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		perror("tdxctl");
		exit(EXIT_FAILED);
	}
	va_end(ap);
	return s;
}

static struct result *res_new(struct result *r, const char *id)
{
	memset(r, 0, sizeof(*r));
	r->def = check_def_find(id);
	return r;
}

static void verdict(struct result *r, const char *status, char *reason)
{
	r->status = status;
	free(r->reason);
	r->reason = reason;
}

static void ev_add(struct result *r, const char *source, const char *path, const char *msr,
		   const struct cpuset *cpus, char *value)
{
	struct evidence *e;

	if (r->nev >= (int)(sizeof(r->ev) / sizeof(r->ev[0]))) {
		free(value);
		return;
	}
	e = &r->ev[r->nev++];
	e->source = source;
	e->path = path ? strdup(path) : NULL;
	e->msr = msr ? strdup(msr) : NULL;
	e->cpus = cpus ? cpuset_dup(cpus) : NULL;
	e->value = value;
}

static void res_free(struct result *r)
{
	free(r->reason);
	free(r->observed);
	free(r->expected);
	for (int i = 0; i < r->nev; i++) {
		free(r->ev[i].path);
		free(r->ev[i].msr);
		cpuset_free(r->ev[i].cpus);
		free(r->ev[i].value);
	}
}

/* Group the online CPUs by one MSR's value; evidence per group. */
struct group {
	struct msrval val;
	struct cpuset *cpus;
};

static int msr_groups(const struct facts *f, int k, struct group *gr, int max)
{
	int n = 0;

	cpuset_for_each(cpu, f->m.online) {
		const struct msrval *v = &f->msr[cpu][k];
		int i;

		for (i = 0; i < n; i++)
			if (gr[i].val.err == v->err && (v->err || gr[i].val.v == v->v))
				break;
		if (i == n) {
			if (n == max)
				continue;
			gr[n].val = *v;
			gr[n].cpus = cpuset_new(f->m.nr);
			n++;
		}
		cpuset_set(gr[i].cpus, (unsigned)cpu);
	}
	return n;
}

static void groups_free(struct group *gr, int n)
{
	for (int i = 0; i < n; i++)
		cpuset_free(gr[i].cpus);
}

static char *msrval_text(const struct msrval *v)
{
	if (v->err == EIO)
		return strdup("unreadable (#GP)");
	if (v->err)
		return xstrfmt("unreadable (%s)", strerror(v->err));
	return xstrfmt("0x%016" PRIx64, v->v);
}

static void ev_msr_groups(struct result *r, const struct facts *f, int k)
{
	struct group gr[16];
	char name[16];
	int n = msr_groups(f, k, gr, 16);

	snprintf(name, sizeof(name), "0x%x", msr_ids[k]);
	for (int i = 0; i < n; i++)
		ev_add(r, "msr", NULL, name, gr[i].cpus, msrval_text(&gr[i].val));
	groups_free(gr, n);
}

/*
 * Classify every online CPU with pred(): 1 good, 0 bad, -1 unreadable.
 * Returns the sets (caller frees).
 */
struct split {
	struct cpuset *good, *bad, *unread;
};

static void split_cpus(const struct facts *f, int k, int (*pred)(uint64_t), struct split *s)
{
	s->good = cpuset_new(f->m.nr);
	s->bad = cpuset_new(f->m.nr);
	s->unread = cpuset_new(f->m.nr);
	cpuset_for_each(cpu, f->m.online) {
		const struct msrval *v = &f->msr[cpu][k];

		if (v->err)
			cpuset_set(s->unread, (unsigned)cpu);
		else if (pred(v->v))
			cpuset_set(s->good, (unsigned)cpu);
		else
			cpuset_set(s->bad, (unsigned)cpu);
	}
}

static void split_free(struct split *s)
{
	cpuset_free(s->good);
	cpuset_free(s->bad);
	cpuset_free(s->unread);
}

static int p_seamrr_sup(uint64_t v) { return (v >> 15) & 1; }
static int p_seamrr_en(uint64_t v) { return (v >> 11) & 1; }
static int p_tme(uint64_t v) { return (v & 3) == 3; }
static int p_keyids(uint64_t v) { return (v >> 32) >= 2; }

/* Common shape of a per-CPU MSR bit check. */
static void msr_bit_check(struct result *r, const struct facts *f, int k, int (*pred)(uint64_t),
			  const char *good_text, const char *bad_text, const char *unread_text)
{
	struct split s;
	char *all = cpuset_format(f->m.online);

	split_cpus(f, k, pred, &s);
	if (cpuset_equal(s.good, f->m.online)) {
		verdict(r, "pass", xstrfmt("%s on every online CPU (%s)", good_text, all));
	} else if (cpuset_equal(s.unread, f->m.online)) {
		verdict(r, "fail", xstrfmt("%s", unread_text));
	} else if (cpuset_equal(s.bad, f->m.online)) {
		verdict(r, "fail", xstrfmt("%s on every online CPU (%s)", bad_text, all));
	} else {
		char *b = cpuset_format(s.bad), *u = cpuset_format(s.unread), *gd = cpuset_format(s.good);

		verdict(r, "fail", xstrfmt("CPUs differ: %s on %s%s%s%s%s", good_text, *gd ? gd : "none",
					   *b ? "; " : "", *b ? bad_text : "", *b ? " on " : "", b));
		if (*u) {
			char *t = r->reason;

			r->reason = xstrfmt("%s; unreadable on %s", t, u);
			free(t);
		}
		free(b);
		free(u);
		free(gd);
	}
	ev_msr_groups(r, f, k);
	split_free(&s);
	free(all);
}

/* ---- the checks ---- */

struct ctx {
	struct facts f;
	bool virt;		/* VM or TD guest */
	const char *virt_why;
	bool unsupported;	/* not an Intel CPU, or no SEAM support */
	bool msr_ok;		/* MSR checks can run */
	char *msr_skip;		/* why not */
	bool keyids_ok;
	unsigned keyids;	/* TDX KeyIDs per 0x87 (CPU 0 / first readable) */
	unsigned mktme_keyids;
	bool keyids_known;
};

static void na_virt(struct result *r, const struct ctx *c)
{
	verdict(r, "na", xstrfmt("not applicable in a %s (%s)",
				 c->f.tdx_guest ? "TDX guest" : "virtual machine", c->virt_why));
}

static void na_unsupported(struct result *r)
{
	verdict(r, "na", strdup("not applicable: this CPU cannot run TDX (see cpu.vendor / bios.seamrr.supported)"));
}

static void c_env(struct result *r, struct ctx *c)
{
	struct facts *f = &c->f;

	if (f->tdx_guest) {
		c->virt = true;
		c->virt_why = "cpuinfo 'tdx_guest' flag";
	} else if (f->hypervisor || f->dmi_virtual) {
		c->virt = true;
		c->virt_why = f->hypervisor ? "cpuinfo 'hypervisor' flag" : "DMI names a hypervisor";
	}
	if (f->hypervisor || f->tdx_guest)
		ev_add(r, "cpuinfo", "/proc/cpuinfo", NULL, NULL,
		       xstrfmt("flags:%s%s", f->hypervisor ? " hypervisor" : "", f->tdx_guest ? " tdx_guest" : ""));
	if (f->dmi[0])
		ev_add(r, "file", "/sys/class/dmi/id/sys_vendor", NULL, NULL, strdup(f->dmi));
	r->observed = strdup(f->tdx_guest ? "td-guest" : c->virt ? "virtual-machine" : "bare-metal");
	r->expected = strdup("bare-metal");
	if (c->virt)
		verdict(r, "warn", xstrfmt("running in a %s (%s%s%s): the TDX host hardware checks do not apply",
					  f->tdx_guest ? "TDX guest (TD)" : "virtual machine", c->virt_why,
					  f->dmi[0] ? "; DMI: " : "", f->dmi));
	else
		verdict(r, "pass", xstrfmt("bare metal%s%s", f->dmi[0] ? " (DMI: " : "",
					   f->dmi[0] ? f->dmi : ""));
	if (!c->virt && f->dmi[0]) {
		char *t = r->reason;

		r->reason = xstrfmt("%s)", t);
		free(t);
	}
}

static void c_vendor(struct result *r, struct ctx *c)
{
	const char *v = c->f.vendor;

	r->observed = strdup(v[0] ? v : "unknown");
	r->expected = strdup("GenuineIntel");
	ev_add(r, "cpuinfo", "/proc/cpuinfo", NULL, NULL, xstrfmt("vendor_id: %s", v[0] ? v : "?"));
	if (c->virt)
		na_virt(r, c);
	else if (!v[0])
		verdict(r, "skip", strdup("/proc/cpuinfo not readable"));
	else if (strcmp(v, "GenuineIntel")) {
		c->unsupported = true;
		verdict(r, "fail", xstrfmt("%s CPU: TDX needs an Intel CPU", v));
	} else
		verdict(r, "pass", strdup("GenuineIntel"));
}

static void c_vmx(struct result *r, struct ctx *c)
{
	struct facts *f = &c->f;
	struct cpuset *missing = cpuset_dup(f->in_cpuinfo);
	char *all = cpuset_format(f->in_cpuinfo);

	cpuset_andnot(missing, f->has_vmx);
	if (!cpuset_empty(f->has_vmx))
		ev_add(r, "cpuinfo", "/proc/cpuinfo", NULL, f->has_vmx, strdup("vmx"));
	if (!cpuset_empty(missing))
		ev_add(r, "cpuinfo", "/proc/cpuinfo", NULL, missing, strdup("no vmx"));
	if (c->virt)
		na_virt(r, c);
	else if (c->unsupported)
		na_unsupported(r);
	else if (!f->cpuinfo || cpuset_empty(f->in_cpuinfo))
		verdict(r, "skip", strdup("/proc/cpuinfo not readable"));
	else if (cpuset_empty(missing))
		verdict(r, "pass", xstrfmt("vmx on every online CPU (%s)", all));
	else {
		char *l = cpuset_format(missing);

		verdict(r, "fail", xstrfmt("no vmx flag on CPUs %s: VT-x disabled in the BIOS", l));
		free(l);
	}
	free(all);
	cpuset_free(missing);
}

static void c_msr_access(struct result *r, struct ctx *c)
{
	struct facts *f = &c->f;

	if (c->virt) {
		na_virt(r, c);
		c->msr_skip = xstrfmt("not applicable in a virtual machine");
		return;
	}
	if (c->unsupported) {
		na_unsupported(r);
		c->msr_skip = strdup("not applicable: this CPU cannot run TDX");
		return;
	}
	if (f->msr_any && !f->msr_access_err) {
		char *all = cpuset_format(f->m.online);

		c->msr_ok = true;
		verdict(r, "pass", xstrfmt("MSRs readable on every online CPU (%s)", all));
		ev_add(r, "file", "/dev/cpu/N/msr", NULL, f->m.online, strdup("readable"));
		free(all);
		return;
	}
	if (f->msr_any) {
		c->msr_ok = true;
		verdict(r, "warn", xstrfmt("MSRs readable on some CPUs only (%s on others)",
					   strerror(f->msr_access_err)));
		return;
	}
	switch (f->msr_access_err) {
	case ENOENT:
		c->msr_skip = strdup("MSRs not readable: no /dev/cpu/N/msr (the msr driver is not loaded)");
		break;
	case EACCES: case EPERM:
		c->msr_skip = strdup("MSRs not readable: root (CAP_SYS_RAWIO) needed");
		break;
	default:
		c->msr_skip = xstrfmt("MSRs not readable: %s",
				      strerror(f->msr_access_err ? f->msr_access_err : EIO));
	}
	verdict(r, "skip", strdup(c->msr_skip));
	ev_add(r, "file", "/dev/cpu/0/msr", NULL, NULL,
	       strdup(f->msr_access_err ? strerror(f->msr_access_err) : "no readable MSR"));
}

static bool msr_gate(struct result *r, struct ctx *c)
{
	if (c->virt) {
		na_virt(r, c);
		return false;
	}
	if (c->unsupported) {
		na_unsupported(r);
		return false;
	}
	if (!c->msr_ok) {
		verdict(r, "skip", xstrfmt("%s (cpu.msr_access)", c->msr_skip ? c->msr_skip : "MSRs not readable"));
		return false;
	}
	return true;
}

static void c_seamrr_sup(struct result *r, struct ctx *c)
{
	struct split s;

	r->expected = strdup("0xFE bit 15 = 1");
	if (!msr_gate(r, c))
		return;
	msr_bit_check(r, &c->f, M_MTRRCAP, p_seamrr_sup, "SEAMRR supported (0xFE bit 15 set)",
		      "no SEAMRR (0xFE bit 15 clear)", "IA32_MTRRCAP (0xFE) not readable on any CPU");
	split_cpus(&c->f, M_MTRRCAP, p_seamrr_sup, &s);
	r->observed = strdup(cpuset_empty(s.good) ? "bit 15 = 0" : cpuset_empty(s.bad) ? "bit 15 = 1" : "mixed");
	if (cpuset_empty(s.good) && !cpuset_empty(s.bad)) {
		c->unsupported = true;
		verdict(r, "fail", strdup("this CPU does not support SEAM (IA32_MTRRCAP bit 15 clear): it cannot run TDX"));
	}
	split_free(&s);
}

static void c_seamrr_en(struct result *r, struct ctx *c)
{
	r->expected = strdup("0x1401 bit 11 = 1");
	if (!msr_gate(r, c))
		return;
	msr_bit_check(r, &c->f, M_SEAMRR_MASK, p_seamrr_en, "SEAMRR enabled (0x1401 bit 11 set)",
		      "SEAMRR not enabled (0x1401 bit 11 clear)",
		      "IA32_SEAMRR_PHYS_MASK (0x1401) not readable: SEAMRR is not configured by the BIOS");
}

static void c_tme(struct result *r, struct ctx *c)
{
	r->expected = strdup("0x982 bits 0,1 = 1");
	if (!msr_gate(r, c))
		return;
	msr_bit_check(r, &c->f, M_TMEACT, p_tme, "TME enabled and locked (0x982 bits 0,1 set)",
		      "TME not enabled or not locked (0x982 bits 0,1)",
		      "IA32_TME_ACTIVATE (0x982) not readable: no TME on this CPU");
}

static void c_keyids(struct result *r, struct ctx *c)
{
	struct facts *f = &c->f;

	r->expected = strdup(">= 2");
	/* The count, from the first CPU that answers. */
	cpuset_for_each(cpu, f->m.online) {
		if (!f->msr || f->msr[cpu][M_KEYID].err)
			continue;
		c->keyids = (unsigned)(f->msr[cpu][M_KEYID].v >> 32);
		c->mktme_keyids = (unsigned)(f->msr[cpu][M_KEYID].v & 0xffffffffu);
		c->keyids_known = true;
		break;
	}
	if (!msr_gate(r, c))
		return;
	msr_bit_check(r, f, M_KEYID, p_keyids, "at least 2 TDX private KeyIDs (0x87 bits 63:32)",
		      "fewer than 2 TDX private KeyIDs (0x87 bits 63:32)",
		      "IA32_MKTME_KEYID_PARTITIONING (0x87) not readable: MK-TME/TDX KeyIDs not configured by the BIOS");
	if (c->keyids_known)
		r->observed = xstrfmt("%u", c->keyids);
	if (!strcmp(r->status, "pass")) {
		c->keyids_ok = true;
		verdict(r, "pass", xstrfmt("%u TDX private KeyIDs, range [%u, %u), on every online CPU",
					   c->keyids, c->mktme_keyids + 1, c->mktme_keyids + 1 + c->keyids));
	} else if (c->keyids_known && c->keyids == 0 && !strncmp(r->reason, "fewer", 5)) {
		verdict(r, "fail", strdup("no TDX private KeyIDs (0x87 bits 63:32 = 0): TDX is not enabled in the BIOS"));
	} else if (c->keyids_known && c->keyids == 1 && !strncmp(r->reason, "fewer", 5)) {
		verdict(r, "fail", strdup("only 1 TDX private KeyID: Linux needs at least 2 (global KeyID + TDs)"));
	}
}

static void c_uniform(struct result *r, struct ctx *c)
{
	char *bad = NULL;
	int nbad = 0;

	if (!msr_gate(r, c))
		return;
	for (int k = 0; k < NMSR; k++) {
		struct group gr[16];
		int n = msr_groups(&c->f, k, gr, 16), big = 0;

		if (n > 1) {
			/* Outliers: every CPU not in the largest group. */
			struct cpuset *out = cpuset_new(c->f.m.nr);
			char *t = bad, *l;

			for (int i = 1; i < n; i++)
				if (cpuset_count(gr[i].cpus) > cpuset_count(gr[big].cpus))
					big = i;
			for (int i = 0; i < n; i++)
				if (i != big)
					cpuset_or(out, gr[i].cpus);
			l = cpuset_format(out);
			bad = xstrfmt("%s%s0x%x on CPUs %s", t ? t : "", t ? ", " : "", msr_ids[k], l);
			free(t);
			free(l);
			cpuset_free(out);
			nbad++;
			ev_msr_groups(r, &c->f, k);
		}
		groups_free(gr, n);
	}
	if (nbad) {
		verdict(r, "fail", xstrfmt("MSRs differ from the other CPUs: %s", bad));
	} else {
		char *all = cpuset_format(c->f.m.online);

		verdict(r, "pass", xstrfmt("0x87, 0x981, 0x982, 0xFE and 0x1401 identical on CPUs %s", all));
		free(all);
	}
	free(bad);
}

static void c_tdx_support(struct result *r, struct ctx *c)
{
	struct facts *f = &c->f;

	r->observed = strdup(f->krelease[0] ? f->krelease : "unknown");
	r->expected = strdup(">= 6.8 with CONFIG_INTEL_TDX_HOST");
	if (f->krelease[0])
		ev_add(r, "file", "/proc/sys/kernel/osrelease", NULL, NULL, strdup(f->krelease));
	if (!f->kmajor)
		verdict(r, "skip", strdup("kernel release not readable"));
	else if (kver(f) < 6008)
		verdict(r, "warn", xstrfmt("kernel %s has no TDX host support: the tdxctl driver can only run its emulated backend",
					   f->krelease));
	else if (kver(f) < 6019)
		verdict(r, "pass", xstrfmt("kernel %s: the tdxctl driver can enable TDX through the kernel (if built with CONFIG_INTEL_TDX_HOST)",
					   f->krelease));
	else
		verdict(r, "pass", xstrfmt("kernel %s initializes TDX itself (KVM or at boot); tdxctl reports its state",
					   f->krelease));
}

static void c_platform(struct result *r, struct ctx *c)
{
	struct facts *f = &c->f;
	const char *why = klog_find(&f->klog, "virt/tdx: initialization failed");

	r->observed = strdup(f->tdx_host_platform ? "present" : "absent");
	r->expected = strdup("present");
	ev_add(r, "cpuinfo", "/proc/cpuinfo", NULL, NULL,
	       strdup(f->tdx_host_platform ? "tdx_host_platform" : "no tdx_host_platform flag"));
	if (c->keyids_known)
		ev_add(r, "msr", NULL, "0x87", NULL, xstrfmt("%u TDX KeyIDs", c->keyids));
	if (c->virt) {
		na_virt(r, c);
	} else if (f->tdx_host_platform) {
		if (c->keyids_known && c->keyids < 2)
			verdict(r, "warn", xstrfmt("the kernel reports a TDX host platform but MSR 0x87 shows %u TDX KeyIDs: readings disagree",
						   c->keyids));
		else
			verdict(r, "pass", strdup("the kernel accepted the TDX host platform (tdx_host_platform)"));
	} else if (f->kmajor && kver(f) < 6008) {
		verdict(r, "na", xstrfmt("kernel %s predates TDX host support (6.8): no flag to expect", f->krelease));
	} else if (c->unsupported) {
		na_unsupported(r);
	} else if (c->keyids_ok) {
		verdict(r, "fail", xstrfmt("the BIOS enabled TDX (%u KeyIDs) but the kernel did not accept it%s%s",
					   c->keyids, why ? ": " : " (kernel without CONFIG_INTEL_TDX_HOST?)",
					   why ? why : ""));
	} else {
		verdict(r, "fail", strdup("the kernel found no TDX host platform"));
	}
}

static const struct {
	const char *needle;
	const char *hint;
} log_failures[] = {
	{ "too few private KeyIDs", "give TDX more KeyIDs in the BIOS (at least 2)" },
	{ "Hibernation support is enabled", "boot with 'nohibernate'" },
	{ "module not loaded", "no TDX module: enable TDX and the SEAM loader in the BIOS, update the BIOS" },
	{ "frame pointer (RBP) clobber bug", "update the TDX module (BIOS or tdx-module-binaries)" },
	{ "initialization failed", "see the quoted line; tdxctl explain decodes TDX status codes" },
	{ "TDX-Module initialization failed", "see the quoted line; a failed init is sticky until reboot" },
	{ "SEAMCALL (", "tdxctl explain the status code in the quoted line" },
	{ "TDX not supported by the host platform", "enable TDX in the BIOS" },
	{ "is required for TDX", "the CPU or kernel configuration lacks a feature TDX needs" },
	{ "TDMRs exhausted", "too many memory regions for the TDX module's TDMRs" },
	{ "no TDX private KeyIDs available", "give TDX KeyIDs in the BIOS" },
};

static void c_log(struct result *r, struct ctx *c)
{
	struct facts *f = &c->f;
	const char *range = klog_find(&f->klog, "BIOS enabled: private KeyID range");
	const char *line = NULL;
	size_t i;

	for (i = 0; i < sizeof(log_failures) / sizeof(log_failures[0]); i++)
		if ((line = klog_find(&f->klog, log_failures[i].needle)))
			break;
	if (f->klog.err) {
		verdict(r, "skip", xstrfmt("kernel log not readable: %s%s", strerror(f->klog.err),
					   f->klog.err == EPERM || f->klog.err == EACCES ? " (root needed)" : ""));
		return;
	}
	if (range)
		ev_add(r, "kernel-log", NULL, NULL, NULL, strdup(range));
	if (line) {
		ev_add(r, "kernel-log", NULL, NULL, NULL, strdup(line));
		verdict(r, "fail", xstrfmt("kernel: \"%s\"", line));
		r->hint = log_failures[i].hint;
		return;
	}
	if (range) {
		unsigned a, b;
		const char *p = strstr(range, "range");

		if (p && sscanf(p, "range [%u, %u)", &a, &b) == 2 && c->keyids_known && b - a != c->keyids)
			verdict(r, "warn", xstrfmt("kernel log reports %u KeyIDs ([%u, %u)) but MSR 0x87 shows %u",
						   b - a, a, b, c->keyids));
		else
			verdict(r, "pass", xstrfmt("kernel: \"%s\"", range));
		return;
	}
	if (c->virt)
		na_virt(r, c);
	else if (f->kmajor && kver(f) < 6008)
		verdict(r, "na", xstrfmt("kernel %s logs nothing about TDX host support", f->krelease));
	else if (c->unsupported)
		na_unsupported(r);
	else {
		verdict(r, "warn", strdup("no TDX lines in the kernel log (rotated out, or the kernel found no TDX)"));
		r->hint = "check that the kernel has CONFIG_INTEL_TDX_HOST=y; the boot log may have rotated out (journalctl -k -b)";
	}
}

static void c_hibernation(struct result *r, struct ctx *c)
{
	struct facts *f = &c->f;
	char state[128] = "";
	bool nohib = flag_in(f->cmdline, "nohibernate");

	r->expected = strdup("nohibernate");
	if (f->cmdline[0])
		ev_add(r, "file", "/proc/cmdline", NULL, NULL, strdup(nohib ? "nohibernate" : "no nohibernate"));
	if (c->virt) {
		na_virt(r, c);
		return;
	}
	if (f->kmajor && kver(f) < 6008) {
		verdict(r, "na", xstrfmt("kernel %s has no TDX host support", f->krelease));
		return;
	}
	if (klog_find(&f->klog, "Hibernation support is enabled")) {
		verdict(r, "fail", strdup("the kernel refused TDX because hibernation is possible"));
		return;
	}
	if (nohib) {
		r->observed = strdup("nohibernate");
		verdict(r, "pass", strdup("booted with nohibernate"));
		return;
	}
	sr_read("/sys/power/state", state, sizeof(state));
	ev_add(r, "file", "/sys/power/state", NULL, NULL, strdup(state[0] ? state : "unreadable"));
	if (strstr(state, "disk")) {
		r->observed = strdup("hibernation possible");
		verdict(r, "warn", strdup("hibernation is possible (/sys/power/state offers disk): Linux refuses TDX then"));
	} else {
		r->observed = strdup("hibernation not offered");
		verdict(r, "pass", strdup("hibernation not offered by the kernel"));
	}
}

static void c_kvm(struct result *r, struct ctx *c)
{
	struct facts *f = &c->f;

	r->observed = strdup(f->kvm_tdx[0] ? f->kvm_tdx : "absent");
	if (f->kvm_tdx[0])
		ev_add(r, "file", "/sys/module/kvm_intel/parameters/tdx", NULL, NULL, strdup(f->kvm_tdx));
	if (!f->kvm_tdx[0])
		verdict(r, "na", strdup("kvm_intel not loaded, or without a tdx parameter (kernels before 6.16)"));
	else if (f->kvm_tdx[0] == 'Y' || f->kvm_tdx[0] == '1')
		verdict(r, "pass", strdup("kvm_intel.tdx=Y: KVM initializes TDX when it loads"));
	else if (kver(f) >= 6019)
		verdict(r, "warn", strdup("kvm_intel.tdx=N: on this kernel only KVM can initialize TDX"));
	else
		verdict(r, "pass", strdup("kvm_intel.tdx=N: TDX is left to tdxctl (on demand)"));
	(void)c;
}

static void c_driver(struct result *r, struct ctx *c)
{
	struct facts *f = &c->f;

	r->observed = strdup(f->drv.loaded ? "loaded" : "not loaded");
	ev_add(r, "file", "/sys/module/tdxctl", NULL, NULL,
	       strdup(dev_driver_loaded() ? "present" : "absent"));
	if (f->drv.have_version)
		ev_add(r, "driver", dev_path(), NULL, NULL,
		       xstrfmt("ABI %u, backend %s, version %s", f->drv.ver.abi_version,
			       tdx_backend_name(f->drv.ver.backend), (const char *)f->drv.ver.driver_version));
	if (f->drv.loaded && !f->drv.err)
		verdict(r, "pass", xstrfmt("loaded, backend %s", tdx_backend_name(f->drv.ver.backend)));
	else if (f->drv.loaded)
		verdict(r, "warn", xstrfmt("loaded, but %s", drv_reason(&f->drv)));
	else if (f->kmajor && kver(f) >= 6019)
		verdict(r, "na", xstrfmt("kernel %s manages TDX itself; the driver is not needed", f->krelease));
	else
		verdict(r, "warn", strdup("not loaded: tdxctl enable needs it"));
}

static void c_module(struct result *r, struct ctx *c)
{
	struct facts *f = &c->f;

	if (f->have_status) {
		const char *st = tdx_state_name(f->st.state);

		r->observed = strdup(st);
		r->expected = strdup("initialized");
		ev_add(r, "driver", dev_path(), NULL, NULL, xstrfmt("state %s", st));
		switch (f->st.state) {
		case TDX_HOST_STATE_INITIALIZED:
			verdict(r, "pass", xstrfmt("initialized, version %u.%u.%02u", f->st.version_major,
						   f->st.version_minor, f->st.version_update));
			break;
		case TDX_HOST_STATE_ERROR:
			ev_add(r, "driver", dev_path(), NULL, NULL, xstrfmt("0x%016llx", (unsigned long long)f->st.err_tdx_status));
			verdict(r, "fail", xstrfmt("initialization failed in %s: %s 0x%016llx (sticky until reboot)",
						   tdx_step_desc(f->st.err_step), tdx_status_name(f->st.err_tdx_status),
						   (unsigned long long)f->st.err_tdx_status));
			break;
		default:
			verdict(r, "warn", xstrfmt("%s: run tdxctl enable", st));
		}
		return;
	}
	const char *ok = klog_find(&f->klog, "virt/tdx: module initialized");
	const char *fail = klog_find(&f->klog, "module initialization failed");

	if (!ok)
		ok = klog_find(&f->klog, "TDX-Module initialized");
	if (!fail)
		fail = klog_find(&f->klog, "TDX-Module initialization failed");
	r->expected = strdup("initialized");
	if (ok) {
		r->observed = strdup("initialized");
		ev_add(r, "kernel-log", NULL, NULL, NULL, strdup(ok));
		verdict(r, "pass", strdup("initialized by the kernel (kernel log)"));
	} else if (fail) {
		r->observed = strdup("error");
		ev_add(r, "kernel-log", NULL, NULL, NULL, strdup(fail));
		verdict(r, "fail", xstrfmt("the kernel failed to initialize it: \"%s\"", fail));
	} else if (c->virt && !f->drv.loaded) {
		na_virt(r, c);
	} else {
		verdict(r, "skip", xstrfmt("unknown: %s, and no kernel verdict in the log",
					   f->drv.loaded ? drv_reason(&f->drv) : "driver not loaded"));
	}
}

static const struct {
	const char *id;
	void (*fn)(struct result *, struct ctx *);
} runs[] = {
	{ "env.virtualization", c_env },
	{ "cpu.vendor", c_vendor },
	{ "cpu.vmx", c_vmx },
	{ "cpu.msr_access", c_msr_access },
	{ "bios.seamrr.supported", c_seamrr_sup },
	{ "bios.seamrr.enabled", c_seamrr_en },
	{ "bios.tme", c_tme },
	{ "bios.keyids", c_keyids },
	{ "msr.uniform", c_uniform },
	{ "kernel.tdx_support", c_tdx_support },
	{ "kernel.tdx_host_platform", c_platform },
	{ "kernel.log", c_log },
	{ "kernel.hibernation", c_hibernation },
	{ "kvm.tdx", c_kvm },
	{ "driver.loaded", c_driver },
	{ "module.state", c_module },
};
#define NRUNS (sizeof(runs) / sizeof(runs[0]))

/* ---- output ---- */

static enum pr_color status_color(const char *s)
{
	if (!strcmp(s, "pass"))
		return C_GOOD;
	if (!strcmp(s, "fail"))
		return C_BAD;
	if (!strcmp(s, "warn"))
		return C_WARN;
	return C_DIM;
}

static void print_result(const struct result *r)
{
	char up[8];
	bool hint = !strcmp(r->status, "fail") || !strcmp(r->status, "warn");
	size_t i;

	for (i = 0; r->status[i] && i < sizeof(up) - 1; i++)
		up[i] = (char)(r->status[i] - 'a' + 'A');
	up[i] = '\0';
	if (!strcmp(r->status, "na"))
		snprintf(up, sizeof(up), "N/A");

	pr_obj_begin(NULL, NULL);
	pr_fmt("id", NULL, pv_str(r->def->id));
	pr_text("%s%-4s%s  %-25s %s\n", pr_c(status_color(r->status)), up, pr_c(C_NONE),
		r->def->id, r->reason ? r->reason : "");
	pr_fmt("title", g.verbose ? "      title:    %s\n" : NULL, pv_str(r->def->title));
	pr_fmt("category", NULL, pv_str(r->def->category));
	pr_fmt("requirement", g.verbose ? "      required: %s\n" : NULL, pv_str(r->def->requirement));
	pr_fmt("status", NULL, pv_str(r->status));
	pr_fmt("reason", NULL, pv_str(r->reason));
	pr_fmt("observed", g.verbose && r->observed ? "      observed: %s" : NULL, pv_str(r->observed));
	pr_fmt("expected", g.verbose && r->observed && r->expected ? " (expected %s)" : NULL,
	       pv_str(r->expected));
	if (g.verbose && r->observed)
		pr_text("\n");
	pr_fmt("hint", hint ? "      hint:     %s\n" : NULL,
	       pv_str(hint ? (r->hint ? r->hint : r->def->fix) : NULL));
	pr_arr_begin("evidence", NULL);
	for (int k = 0; k < r->nev; k++) {
		const struct evidence *e = &r->ev[k];

		pr_obj_begin(NULL, NULL);
		pr_fmt("source", g.verbose ? "      evidence: %s" : NULL, pv_str(e->source));
		pr_fmt("path", g.verbose && e->path ? " %s" : NULL, pv_str(e->path));
		pr_fmt("msr", g.verbose && e->msr ? " MSR %s" : NULL, pv_str(e->msr));
		pr_fmt("cpus", g.verbose && e->cpus ? " CPUs %s" : NULL, e->cpus ? pv_cpus(e->cpus) : pv_null(NULL));
		pr_fmt("value", g.verbose ? ": %s\n" : NULL, pv_str(e->value));
		pr_obj_end();
	}
	pr_arr_end();
	pr_obj_end();
}

struct check_opts {
	const char *only;
	int strict;
};

enum { OPT_ONLY = 0x500, OPT_STRICT };

static const struct argp_option check_options[] = {
	{ "only", OPT_ONLY, "IDS", 0, "Run only these checks or categories (comma-separated: bios, bios.tme, ...)", 0 },
	{ "strict", OPT_STRICT, NULL, 0, "Warnings fail too (exit 1)", 0 },
	{ 0 }
};

static error_t check_parse(int key, char *arg, struct argp_state *state)
{
	struct check_opts *o = state->input;

	switch (key) {
	case OPT_ONLY:
		o->only = arg;
		return 0;
	case OPT_STRICT:
		o->strict = 1;
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "check takes no arguments (--only selects checks)");
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static const struct argp check_argp = {
	check_options, check_parse, "",
	"Check this host's TDX prerequisites: CPU, BIOS (MSRs on every online CPU), kernel, KVM, "
	"driver and TDX module.  Verdicts: PASS, FAIL, WARN, SKIP (could not check; the reason "
	"says why) and N/A (does not apply here, e.g. in a virtual machine).  -v adds evidence.\v"
	"Exit status: 0 every required check passed (warnings allowed unless --strict), 1 a "
	"required check failed, 4 not applicable (virtual machine, or a CPU that cannot run TDX).  "
	"check never loads modules or changes anything.  tdxctl explain ID describes a check.",
	global_children, NULL, NULL
};

static bool selected(const char *only, const char *id)
{
	char *copy, *tok, *save;
	bool hit = false;

	if (!only)
		return true;
	copy = strdup(only);
	if (!copy)
		return true;
	for (tok = strtok_r(copy, ",", &save); tok && !hit; tok = strtok_r(NULL, ",", &save)) {
		size_t n = strlen(tok);

		if (!strcmp(tok, id) || (!strncmp(tok, id, n) && id[n] == '.'))
			hit = true;
	}
	free(copy);
	return hit;
}

static int only_valid(const char *only)
{
	char *copy = strdup(only), *tok, *save;
	int rc = 0;

	if (!copy)
		return 0;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		bool any = false;

		for (unsigned i = 0; i < n_check_defs; i++)
			if (selected(tok, check_defs[i].id))
				any = true;
		if (!any) {
			pr_error(EXIT_USAGE, NULL, "tdxctl explain --list shows the check IDs",
				 "no check or category '%s'", tok);
			rc = EXIT_USAGE;
			break;
		}
	}
	free(copy);
	return rc;
}

int cmd_check(int argc, char **argv)
{
	struct check_opts o = { 0 };
	struct result res[NRUNS];
	struct ctx c = { 0 };
	unsigned cnt_pass = 0, cnt_fail = 0, cnt_warn = 0, cnt_skip = 0, cnt_na = 0, req_fail = 0;
	int rc = cmd_parse(&check_argp, argc, argv, &o);

	if (rc)
		return rc;
	if (o.only && (rc = only_valid(o.only)))
		return rc;
	gather(&c.f);
	if (g.cpu_arg) {
		struct cpuset *sel;

		if ((rc = parse_cpu_arg(g.cpu_arg, &c.f.m, &sel))) {
			facts_free(&c.f);
			return rc;
		}
		/* MSR checks on the listed online CPUs only */
		cpuset_and(c.f.m.online, sel);
		cpuset_free(sel);
	}

	/* Every check runs (later ones use earlier findings); --only
	 * filters what is reported. */
	for (size_t i = 0; i < NRUNS; i++) {
		res_new(&res[i], runs[i].id);
		runs[i].fn(&res[i], &c);
		if (!res[i].status)
			verdict(&res[i], "skip", strdup("not evaluated"));
	}

	pr_kv("environment", NULL, pv_str(c.f.tdx_guest ? "td-guest" : c.virt ? "virtual-machine" : "bare-metal"));
	pr_arr_begin("checks", NULL);
	for (size_t i = 0; i < NRUNS; i++) {
		const struct result *r = &res[i];

		if (!selected(o.only, r->def->id))
			continue;
		print_result(r);
		if (!strcmp(r->status, "pass"))
			cnt_pass++;
		else if (!strcmp(r->status, "fail")) {
			cnt_fail++;
			if (!strcmp(r->def->requirement, "required"))
				req_fail++;
		} else if (!strcmp(r->status, "warn"))
			cnt_warn++;
		else if (!strcmp(r->status, "skip"))
			cnt_skip++;
		else
			cnt_na++;
	}
	pr_arr_end();

	pr_text("\n");
	pr_obj_begin("summary", NULL);
	pr_fmt("total", "%s checks: ", pv_u(cnt_pass + cnt_fail + cnt_warn + cnt_skip + cnt_na));
	pr_fmt("pass", "%s pass", pv_u(cnt_pass));
	pr_fmt("fail", ", %s fail", pv_color(pv_u(cnt_fail), cnt_fail ? C_BAD : C_NONE));
	pr_fmt("required_failed", " (%s required)", pv_u(req_fail));
	pr_fmt("warn", ", %s warn", pv_u(cnt_warn));
	pr_fmt("skip", ", %s skip", pv_u(cnt_skip));
	pr_fmt("na", ", %s n/a\n", pv_u(cnt_na));
	pr_obj_end();

	if (c.virt) {
		rc = EXIT_NOTSUP;
		pr_error(rc, NULL, "run tdxctl check on the host; in a VM, try the emulated backend: modprobe tdxctl backend=emulated",
			 "not applicable: running in a %s", c.f.tdx_guest ? "TDX guest" : "virtual machine");
	} else if (c.unsupported) {
		rc = EXIT_NOTSUP;
		pr_error(rc, NULL, "TDX needs an Intel Xeon with SEAM support (4th generation Xeon Scalable or newer)",
			 "this CPU cannot run TDX");
	} else if (req_fail || (o.strict && (cnt_warn || cnt_fail))) {
		rc = EXIT_FAILED;
		pr_error(rc, NULL, "the hint under each FAIL says what to do; tdxctl explain ID tells more",
			 "%u required check%s failed%s", req_fail, req_fail == 1 ? "" : "s",
			 o.strict && cnt_warn ? " (--strict: warnings count)" : "");
	}
	for (size_t i = 0; i < NRUNS; i++)
		res_free(&res[i]);
	free(c.msr_skip);
	facts_free(&c.f);
	return rc;
}
