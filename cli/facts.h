/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * facts.h - what this host says about TDX, read once, decided once.
 *
 * status and check both read these facts; each one (the platform kind,
 * the kernel's boot-time refusal, the TDX module state) is decided here
 * and nowhere else, so the two commands cannot disagree.  A file that is
 * missing or unreadable is recorded as such: it is never evidence.
 */
#ifndef TDXCTL_FACTS_H
#define TDXCTL_FACTS_H

#include <stdbool.h>
#include <stdint.h>

#include "cpulist.h"
#include "dev.h"
#include "kmsg.h"

/* MSRs read on every online CPU (check; diag records them for replay).
 * The first NMSR_TDX are the TDX configuration msr.uniform compares; the
 * rest are evidence only (cmd_check.c says where each meaning comes from). */
#define NMSR 10
#define NMSR_TDX 6
extern const uint32_t msr_ids[NMSR];
enum { M_KEYID = 0, M_TMECAP, M_TMEACT, M_MTRRCAP, M_SEAMRR_BASE, M_SEAMRR_MASK,
       M_FEATCTL, M_MCHECK, M_PLATINFO, M_SGXSVN };

struct msrval {
	uint64_t v;
	int err;	/* 0 or errno */
};

enum platform_kind {
	PLATFORM_UNKNOWN,	/* /proc/cpuinfo not readable */
	PLATFORM_BARE_METAL,
	PLATFORM_VM,
	PLATFORM_TD_GUEST,
};
const char *platform_name(enum platform_kind p);	/* "bare-metal", ... */

/* The TDX module state, from the driver or else the kernel log. */
enum module_state {
	MS_UNKNOWN,		/* no driver and no kernel verdict */
	MS_UNINITIALIZED,
	MS_INITIALIZING,
	MS_INITIALIZED,
	MS_ERROR,		/* initialization failed: sticky until reboot */
	MS_REFUSED,		/* the kernel refused TDX at boot; the module was never touched */
};

/*
 * The kernel's TDX regime: who can bring TDX up on this kernel, decided
 * from what the system shows (cpuinfo, the virt/tdx: kernel log lines,
 * kvm and kvm_intel parameters, the tdx_host faux device, the kernel
 * config), the release only where nothing else tells.
 */
enum tdx_regime {
	REGIME_UNKNOWN,		/* nothing to decide from */
	REGIME_NO_HOST_CORE,	/* < 6.8, or built without CONFIG_INTEL_TDX_HOST */
	REGIME_NO_PLATFORM,	/* host core present, no TDX platform (no tdx_host_platform) */
	REGIME_ON_DEMAND,	/* 6.8-6.18: exports to GPL modules; the tdxctl kernel backend enables */
	REGIME_KVM,		/* 6.19-7.0: only KVM (kvm_intel.tdx=1) initializes TDX */
	REGIME_BOOT,		/* 7.1+: the kernel initializes TDX at boot; 7.2 adds the faux device */
};
const char *regime_name(enum tdx_regime r);	/* JSON word: "on-demand", ... */
const char *regime_desc(enum tdx_regime r);	/* plain words */

#define NEVIDENCE 8
struct regime_evidence {
	const char *source;	/* check evidence source: "cpuinfo", "kernel-log", "file" */
	const char *path;	/* or NULL */
	char value[200];
};

/* What to gather beyond the files every command reads. */
#define FACT_MSRS	1u	/* the MSRs of every online CPU */
#define FACT_DRIVER	2u	/* open the driver read-only, VERSION and STATUS */

struct facts {
	struct cpumasks m;
	/* /proc/cpuinfo */
	char *cpuinfo;
	int cpuinfo_err;		/* errno, 0 when read */
	char vendor[64];
	struct cpuset *has_vmx, *in_cpuinfo;
	/* each CPU's "physical id" and "core id" (UINT32_MAX: not given):
	 * the kernel's topology_physical_package_id() and topology_core_id(),
	 * the values of cpuN/topology/{physical_package_id,core_id} */
	uint32_t *pkg_of, *core_of;
	bool hypervisor, tdx_guest, tdx_host_platform;
	/* DMI: a hint only; the hypervisor flag decides */
	char dmi[256];
	const char *dmi_virtual;	/* the hypervisor vendor DMI names, or NULL */
	/* kernel */
	int kmajor, kminor;
	char krelease[128];
	char cmdline[4096];
	int cmdline_err;
	char power_state[128];
	int power_state_err;
	struct klog klog;
	char kvm_tdx[16];
	int kvm_tdx_err;
	bool kvm_intel_loaded;		/* /sys/module/kvm_intel */
	char virt_at_load[16];		/* /sys/module/kvm/parameters/enable_virt_at_load */
	int virt_at_load_err;
	int kconfig_tdx;		/* CONFIG_INTEL_TDX_HOST in /boot/config-<release>: 1, 0, -1 unknown */
	char kconfig_path[160];
	/* the tdx_host faux device (7.2+) */
	bool faux;
	char faux_version[32], seamldr_version[32];
	int faux_version_err, seamldr_version_err;
	char remaining_updates[32];
	int remaining_updates_err;
	/* MSRs (FACT_MSRS) */
	struct msrval (*msr)[NMSR];	/* per CPU number */
	int msr_access_err;		/* first error opening an msr file */
	bool msr_any;			/* some MSR read worked */
	/* driver (FACT_DRIVER) */
	struct drv drv;
	bool have_status;
	struct tdx_host_status st;

	/* ---- decisions ---- */
	enum platform_kind platform;
	const char *platform_why;
	/* the kernel's boot-time refusal ("virt/tdx: initialization failed: ...") */
	const char *refusal_line;
	char refusal[160];		/* its reason, "" when none */
	/* the KeyID range the kernel logged at boot */
	bool range_known;
	unsigned range_first, range_end;
	struct {
		enum module_state state;
		const char *source;	/* "driver", "kernel-log", "sysfs" or NULL */
		const char *line;	/* the kernel log line of the verdict */
		char reason[256];	/* why unknown / refused, "" otherwise */
		int log_errno;		/* errno of "initialization failed (-N)", 0 if none */
	} module;
	struct {
		enum tdx_regime regime;
		int host_core;		/* 1 present, 0 absent, -1 unknown */
		struct regime_evidence ev[NEVIDENCE];
		unsigned nev;
		char why[480];		/* the evidence that decided, in words */
		char enable[512];	/* what to do to get TDX initialized */
	} kernel;
};

void facts_gather(struct facts *f, unsigned what);
/* The kernel's own cause of its last failed TDX module initialization: the
 * last failed SEAMCALL, TDMRs or reserved areas exhausted, or "module not
 * loaded", logged before "module initialization failed"; NULL if none. */
const char *klog_tdx_cause(const struct klog *k);
void facts_free(struct facts *f);
/* Kernel version as major * 1000 + minor, 0 when unknown. */
int facts_kver(const struct facts *f);
/* CPU cpu's package or core: from /proc/cpuinfo, else its sysfs topology
 * file; -1 when neither says. */
long long facts_cpu_package(const struct facts *f, unsigned cpu);
long long facts_cpu_core(const struct facts *f, unsigned cpu);

/* Is flag a whole word of a cpuinfo flags string? */
bool flag_in(const char *flags, const char *flag);
/* JSON word of a module state (status): unknown and refused are
 * "unavailable". */
const char *module_state_name(enum module_state s);
/* Y/N sysfs parameter as a tri-state: 1, 0, -1 absent or unreadable. */
int param_bool(const char *v);
/* The TDX module version the kernel shows (7.2 faux device, else its
 * log's "Module version:" line), or NULL. */
const char *kernel_module_version(const struct facts *f, char *buf, size_t len);
/* The "kernel" object of status and enable: the regime and its evidence. */
void print_kernel_regime(const struct facts *f);

#endif
