// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_status.c - tdxctl status [--cpus]
 */
#include <argp.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "dev.h"
#include "facts.h"
#include "hints.h"
#include "kmsg.h"
#include "status_export.h"
#include "sysroot.h"
#include "tdx/tdx_arch.h"
#include "tdxstatus.h"
#include "tdxctl.h"

struct status_opts {
	int cpus;
	const char *cols;
	const char *format;	/* --format, NULL: not given */
	const char *file;	/* --output-file */
};

enum { OPT_CPUS = 0x300, OPT_FORMAT, OPT_OUTPUT_FILE };

/* Every value status prints that an export carries, recorded as printed
 * (sv_u, SV_S), so that --format prometheus|nfd decides nothing itself. */
static struct status_values sv;

static const struct argp_option status_options[] = {
	{ "cpus", OPT_CPUS, NULL, 0, "Add the per-CPU table (with -c LIST: only those CPUs)", 0 },
	{ "output", 'o', "COLS", 0, "Columns of the per-CPU table (see tdxctl cpu list --help)", 0 },
	{ "format", OPT_FORMAT, "FMT", 0,
	  "text (default), json (as --json), prometheus (node_exporter textfile collector) or nfd "
	  "(a node-feature-discovery features.d file)", 0 },
	{ "output-file", OPT_OUTPUT_FILE, "FILE", 0,
	  "prometheus and nfd: write FILE atomically (a temporary file beside it, then rename); "
	  "- is stdout", 0 },
	{ 0 }
};

static error_t status_parse(int key, char *arg, struct argp_state *state)
{
	struct status_opts *o = state->input;

	switch (key) {
	case OPT_CPUS:
		o->cpus = 1;
		return 0;
	case 'o':
		o->cols = arg;
		o->cpus = 1;
		return 0;
	case OPT_FORMAT:
		if (status_format_parse(arg) < 0)
			argp_error(state, "--format: '%s' is not one of text, json, prometheus, nfd", arg);
		o->format = arg;
		return 0;
	case OPT_OUTPUT_FILE:
		if (!*arg)
			argp_error(state, "--output-file: an empty file name");
		o->file = arg;
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "status takes no arguments");
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static const struct argp status_argp = {
	status_options, status_parse, "",
	"Show the TDX state of this host: the driver, the TDX module (state, version, failure "
	"cause, TDMRs, PAMT, KeyIDs) and the CPUs.\v"
	"Module states: uninitialized (run tdxctl enable), initializing, initialized (ready for "
	"TDs), error (initialization failed; sticky until reboot), unavailable (no driver, or no "
	"access to it).  status exits 0 whenever it could read the state, whatever the state.",
	table_children, NULL, NULL
};

static enum pr_color state_color(const char *s)
{
	if (!strcmp(s, "initialized"))
		return C_GOOD;
	if (!strcmp(s, "error"))
		return C_BAD;
	return C_WARN;
}

const char *not_reported(unsigned backend)
{
	static char text[TDX_HOST_BACKEND_KERNEL + 2][64];
	unsigned i = backend <= TDX_HOST_BACKEND_KERNEL ? backend : TDX_HOST_BACKEND_KERNEL + 1;

	if (!text[i][0])
		snprintf(text[i], sizeof(text[i]), "unknown (the %s backend does not report it)",
			 tdx_backend_name(backend));
	return text[i];
}

/*
 * Where the backend does not report the step, the kernel log may: the
 * SEAMCALL that failed (its leaf is the step, its status the TDX status)
 * or the kernel's own reason, in words for the description.
 */
const char *kernel_log_cause(const struct klog *k, char *buf, size_t len)
{
	static const struct { unsigned leaf; unsigned step; } leaves[] = {
		{ TDH_SYS_INIT, TDX_HOST_STEP_SYS_INIT }, { TDH_SYS_LP_INIT, TDX_HOST_STEP_LP_INIT },
		{ TDH_SYS_RD, TDX_HOST_STEP_SYS_RD }, { TDH_SYS_CONFIG, TDX_HOST_STEP_CONFIG },
		{ TDH_SYS_KEY_CONFIG, TDX_HOST_STEP_KEY_CONFIG }, { TDH_SYS_TDMR_INIT, TDX_HOST_STEP_TDMR_INIT },
	};
	const char *line = k ? klog_tdx_cause(k) : NULL;
	unsigned long long fn, st;
	const char *p;

	if (!line)
		return NULL;
	p = strstr(line, "SEAMCALL (");
	if (p && sscanf(p, "SEAMCALL (0x%llx) failed: 0x%llx", &fn, &st) == 2) {
		struct tdx_status_info i;

		tdx_status_decode(st, &i);
		for (size_t k = 0; k < sizeof(leaves) / sizeof(leaves[0]); k++)
			if (leaves[k].leaf == (fn & 0xffff)) {
				snprintf(buf, len, "kernel log: %s failed: %s 0x%016llx", tdx_step_desc(leaves[k].step),
					 i.name ? i.name : "unknown status", st);
				return buf;
			}
		snprintf(buf, len, "kernel log: SEAMCALL %llu failed: %s 0x%016llx", fn & 0xffff,
			 i.name ? i.name : "unknown status", st);
		return buf;
	}
	p = strstr(line, "virt/tdx:");
	snprintf(buf, len, "kernel log: %s", p ? p + strlen("virt/tdx: ") : line);
	return buf;
}

void print_module_error(const struct tdx_host_status *s, const struct facts *f)
{
	struct tdx_status_info i;
	bool known = s->valid & TDX_HOST_STATUS_TDX_ERRORS;
	const char *sticky = s->state == TDX_HOST_STATE_ERROR ? "; sticky until reboot" : "";
	const char *unk = not_reported(s->backend);
	char desc[512], cause[256];
	const char *why = known || s->state != TDX_HOST_STATE_ERROR ? NULL : kernel_log_cause(f ? &f->klog : NULL, cause, sizeof(cause));

	/* err_errno is always known; err_tdx_status only with TDX_ERRORS */
	sv.failed = false;
	sv.err_step[0] = sv.err_errno[0] = sv.err_tdx_status[0] = '\0';
	if (s->state != TDX_HOST_STATE_ERROR && !s->err_errno && !(known && s->err_tdx_status)) {
		pr_kv("error", "failure", pv_null("none"));
		return;
	}
	sv.failed = true;
	tdx_status_decode(s->err_tdx_status, &i);
	if (!known && why)
		snprintf(desc, sizeof(desc), "TDX module initialization failed (%s); %s%s",
			 s->err_errno ? errno_name(s->err_errno) : "unknown errno", why, sticky);
	else if (!known)
		snprintf(desc, sizeof(desc), "TDX module initialization failed (%s); the %s backend does not "
			 "report the step or TDX status%s", s->err_errno ? errno_name(s->err_errno) : "unknown errno",
			 tdx_backend_name(s->backend), sticky);
	else if (s->err_tdx_status)
		snprintf(desc, sizeof(desc), "%s failed: %s (%s)%s", tdx_step_desc(s->err_step),
			 i.name ? i.name : "unknown status", i.desc ? i.desc : "not a known code", sticky);
	else
		snprintf(desc, sizeof(desc), "%s failed: %s%s", tdx_step_desc(s->err_step),
			 s->err_errno ? strerror(s->err_errno) : "unknown error", sticky);
	pr_obj_begin("error", "failure");
	pr_kv("step", "step", SV_S(sv.err_step, known ? pv_str(tdx_step_name(s->err_step)) : pv_null(unk)));
	pr_kv("tdx_status", "TDX status", SV_S(sv.err_tdx_status, !known ? pv_null(unk) :
		 s->err_tdx_status ? pv_hex(s->err_tdx_status) : pv_null("none")));
	pr_kv("name", known ? "status name" : NULL, known && s->err_tdx_status ? pv_str(i.name) : pv_null(NULL));
	pr_kv("errno", "errno", SV_S(sv.err_errno, s->err_errno ? pv_str(errno_name(s->err_errno)) : pv_null(NULL)));
	pr_kv("description", "cause", pv_color(pv_str(desc), C_BAD));
	pr_kv("kernel_log", NULL, why ? pv_str(klog_tdx_cause(&f->klog)) : pv_null(NULL));
	pr_obj_end();
}

static void print_features(uint64_t f0)
{
	char text[512] = "";
	size_t off = 0;

	pr_arr_begin("features", NULL);
	for (unsigned b = 0; b < 64; b++) {
		const char *n;

		if (!(f0 & (1ULL << b)))
			continue;
		n = features0_name(b);
		char unk[16];

		if (!n) {
			snprintf(unk, sizeof(unk), "bit%u", b);
			n = unk;
		}
		pr_fmt(NULL, NULL, pv_str(n));
		off += (size_t)snprintf(text + off, sizeof(text) - off, "%s%s", off ? ", " : "", n);
		if (off >= sizeof(text))
			off = sizeof(text) - 1;
	}
	pr_arr_end();
	pr_kv(NULL, "features", pv_str(off ? text : "none"));
}

/* ---- enable timing (the driver's step_ns; 0 is "not reported") ---- */

const char *fmt_ns(uint64_t ns, char *buf, size_t len)
{
	if (ns >= 1000000000ULL)
		snprintf(buf, len, "%.3f s", (double)ns / 1e9);
	else if (ns >= 1000000ULL)
		snprintf(buf, len, "%.1f ms", (double)ns / 1e6);
	else if (ns >= 1000ULL)
		snprintf(buf, len, "%llu us", (unsigned long long)(ns / 1000));
	else
		snprintf(buf, len, "%llu ns", (unsigned long long)ns);
	return buf;
}

/* The module steps of an enable (not the per-CPU ones): 0 if unreported
 * or unknown (no TDX_HOST_STATUS_STEP_TIMES). */
uint64_t module_enable_ns(const struct tdx_host_status *s)
{
	uint64_t sum = 0;

	if (!(s->valid & TDX_HOST_STATUS_STEP_TIMES))
		return 0;
	for (unsigned i = TDX_HOST_STEP_PREFLIGHT; i < TDX_HOST_STEP_NR; i++)
		if (i != TDX_HOST_STEP_SYS_INIT && i != TDX_HOST_STEP_LP_INIT)
			sum += s->step_ns[i];
	return sum;
}

/*
 * "step_ns": {name: ns or null}; text: one line of the known ones.  A
 * backend without step times: every step null, or with null_unknown the
 * whole object null; the text line names the backend.
 */
void print_step_ns(const struct tdx_host_status *s, const char *label, bool null_unknown)
{
	char text[512] = "", t[32];
	size_t off = 0;
	bool known = s && (s->valid & TDX_HOST_STATUS_STEP_TIMES);

	if (s && !known && null_unknown) {
		pr_kv("step_ns", label, pv_null(not_reported(s->backend)));
		return;
	}
	pr_obj_begin("step_ns", NULL);
	for (unsigned i = TDX_HOST_STEP_PREFLIGHT; i < TDX_HOST_STEP_NR; i++) {
		uint64_t ns = known ? s->step_ns[i] : 0;

		pr_kv(tdx_step_name(i), NULL, ns ? pv_u(ns) : pv_null(NULL));
		if (ns && off < sizeof(text))
			off += (size_t)snprintf(text + off, sizeof(text) - off, "%s%s %s%s", off ? ", " : "",
						tdx_step_name(i), fmt_ns(ns, t, sizeof(t)),
						i == TDX_HOST_STEP_LP_INIT ? " (all CPUs)" : "");
	}
	pr_obj_end();
	if (label)
		pr_kv(NULL, label, off ? pv_str(text) : pv_null(s && !known ? not_reported(s->backend) : "unknown"));
}

static void print_updates(const struct facts *f);

/*
 * Why a fact of the TDX module is unknown.  The kernel backend tells only
 * what the running kernel exports (6.14-6.18: features0, MAX_TDMRS, guest
 * KeyIDs), once the module is initialized: a fact still missing then is
 * one it does not report.  Otherwise the module has not told it yet.
 */
static const char *module_unknown(const struct tdx_host_status *s)
{
	return s->backend == TDX_HOST_BACKEND_KERNEL && s->state != TDX_HOST_STATE_UNINITIALIZED ?
	       not_reported(s->backend) : NULL;
}

/* Module fields from the driver. */
static void module_from_driver(const struct facts *f, const struct tdx_host_status *s)
{
	const char *st = tdx_state_name(s->state);
	const char *why = module_unknown(s);
	bool mi = s->valid & TDX_HOST_STATUS_MODULE_INFO;
	bool mc = s->valid & TDX_HOST_STATUS_MODULE_CAPS;
	bool ti = s->valid & TDX_HOST_STATUS_TDMR_INFO;
	bool ki = s->valid & TDX_HOST_STATUS_KEYID_INFO;
	bool gk = s->valid & TDX_HOST_STATUS_GUEST_KEYIDS;
	char ver[48];

	snprintf(ver, sizeof(ver), "%u.%u.%02u", s->version_major, s->version_minor, s->version_update);
	pr_kv("state", "state", SV_S(sv.state, pv_color(pv_str(st), state_color(st))));
	pr_kv("source", NULL, SV_S(sv.source, pv_str("driver")));
	pr_kv("reason", NULL, pv_null(NULL));
	pr_kv("version", "version", SV_S(sv.version, mi ? pv_str(ver) : pv_null(why)));
	print_updates(f);
	pr_kv("build_date", "build date", sv_u(&sv.build_date, mi ? pv_u(s->build_date) : pv_null(why)));
	pr_kv("build_num", "build number", sv_u(&sv.build_num, mi ? pv_u(s->build_num) : pv_null(why)));
	pr_kv("features0", "features0", mc ? pv_hex(s->features0) : pv_null(why));
	if (mc) {
		print_features(s->features0);
	} else {
		pr_kv("features", NULL, pv_null(NULL));
	}
	print_module_error(s, f);
	{
		uint64_t ns = module_enable_ns(s);
		char t[32];

		pr_kv("enable_ns", "enable took", sv_u(&sv.enable_ns, ns ? pv_text(pv_u(ns), fmt_ns(ns, t, sizeof(t))) :
			 pv_null(s->valid & TDX_HOST_STATUS_STEP_TIMES ? "unknown" : not_reported(s->backend))));
		print_step_ns(s, "step times", true);
	}
	pr_kv("max_tdmrs", "TDMRs at most", sv_u(&sv.max_tdmrs, mc ? pv_u(s->max_tdmrs) : pv_null(why)));
	pr_kv("tdmrs", "TDMRs", sv_u(&sv.tdmrs, ti ? pv_u(s->nr_tdmrs) : pv_null(why)));
	pr_kv("pamt_kb", "PAMT", sv_u(&sv.pamt_kb, ti ? pv_unit(pv_u(s->pamt_kb), " KiB") : pv_null(why)));
	pr_kv("global_keyid", "global KeyID", sv_u(&sv.global_keyid, ki ? pv_u(s->global_keyid) : pv_null(why)));
	pr_obj_begin("guest_keyids", NULL);
	pr_kv("first", "first guest KeyID", sv_u(&sv.guest_first, ki ? pv_u(s->guest_keyid_first) : pv_null(why)));
	pr_kv("count", "guest KeyIDs", sv_u(&sv.guest_count, gk ? pv_u(s->guest_keyid_count) : pv_null(why)));
	pr_obj_end();
}

/* A count as the kernel prints it ("%u"): decimal digits only, else false. */
static bool parse_count(const char *s, unsigned long long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return !errno && *end == '\0';
}

/* The P-SEAMLDR version and the updates left (7.2's faux device; root
 * only, and hidden without TD-preserving updates). */
static void print_updates(const struct facts *f)
{
	const char *why = !f->faux ? NULL : "not readable (root needed)";
	unsigned long long left = 0;
	bool count = parse_count(f->remaining_updates, &left);

	pr_kv("seamldr_version", f->seamldr_version[0] || f->faux ? "P-SEAMLDR version" : NULL,
	      SV_S(sv.seamldr_version, f->seamldr_version[0] ? pv_str(f->seamldr_version) :
	      pv_null(f->faux && f->seamldr_version_err == ENOENT ? "not offered (no TD-preserving updates)" :
		      f->seamldr_version_err == EACCES || f->seamldr_version_err == EPERM ? why : "unknown")));
	pr_kv("remaining_updates", f->remaining_updates[0] || f->faux ? "updates left" : NULL,
	      sv_u(&sv.remaining_updates, count ? pv_u(left) :
	      pv_null(f->remaining_updates[0] ? "unknown (the kernel's num_remaining_updates is not a count)" :
		      f->faux && f->remaining_updates_err == ENOENT ? "not offered (no TD-preserving updates)" :
		      f->remaining_updates_err == EACCES || f->remaining_updates_err == EPERM ? why : "unknown")));
}

/*
 * No driver: the kernel may have initialized TDX itself (KVM with
 * kvm_intel.tdx=1 on 6.16+, or at boot on 7.1+), or refused it at boot.
 * The facts say which; its log gives the details.
 */
static void module_from_kernel(const struct facts *f)
{
	const struct klog *k = &f->klog;
	const char *pamt;
	char ver[64] = "";
	unsigned long long kb = 0;
	bool have_pamt = false, have_keyids;
	enum module_state ms = f->module.state;
	const char *st = module_state_name(ms);
	bool verdict = f->module.source != NULL;

	pamt = klog_find(k, "KB allocated for PAMT");
	if (pamt && sscanf(strstr(pamt, "virt/tdx:") ? strstr(pamt, "virt/tdx:") + 9 : pamt,
			   " %llu KB", &kb) == 1)
		have_pamt = true;
	/* 7.2's faux device first, else the 7.x log line */
	if (!kernel_module_version(f, ver, sizeof(ver)))
		ver[0] = '\0';
	/* The kernel picks its global KeyID only when it accepts TDX. */
	have_keyids = f->range_known && !f->refusal_line && f->range_end - f->range_first >= 2;

	pr_kv("state", "state", SV_S(sv.state, pv_color(pv_str(st), state_color(st))));
	pr_kv("source", verdict ? "according to" : NULL, SV_S(sv.source, pv_str(f->module.source)));
	pr_kv("reason", f->module.reason[0] ? "reason" : NULL,
	      f->module.reason[0] ? pv_str(f->module.reason) : pv_null(NULL));
	pr_kv("version", "version", SV_S(sv.version, ver[0] ? pv_str(ver) : pv_null(NULL)));
	print_updates(f);
	pr_kv("build_date", NULL, sv_u(&sv.build_date, pv_null(NULL)));
	pr_kv("build_num", NULL, sv_u(&sv.build_num, pv_null(NULL)));
	pr_kv("features0", NULL, pv_null(NULL));
	pr_kv("features", NULL, pv_null(NULL));
	sv.failed = ms == MS_ERROR;
	sv.err_step[0] = sv.err_errno[0] = sv.err_tdx_status[0] = '\0';
	if (ms == MS_ERROR) {
		pr_obj_begin("error", "failure");
		pr_kv("step", NULL, pv_null(NULL));
		pr_kv("tdx_status", NULL, pv_null(NULL));
		pr_kv("name", NULL, pv_null(NULL));
		pr_kv("errno", f->module.log_errno ? "errno" : NULL,
		      SV_S(sv.err_errno, f->module.log_errno ? pv_str(errno_name(f->module.log_errno)) : pv_null(NULL)));
		pr_kv("description", "kernel log", pv_color(pv_str(f->module.line), C_BAD));
		{
			const char *cause = klog_tdx_cause(&f->klog);

			pr_kv("kernel_log", cause ? "cause" : NULL, cause ? pv_str(cause) : pv_null(NULL));
		}
		pr_obj_end();
	} else {
		pr_kv("error", verdict ? "failure" : NULL, pv_null("none"));
	}
	/* the kernel logs no step times */
	pr_kv("enable_ns", NULL, sv_u(&sv.enable_ns, pv_null(NULL)));
	pr_kv("step_ns", NULL, pv_null(NULL));
	pr_kv("max_tdmrs", NULL, sv_u(&sv.max_tdmrs, pv_null(NULL)));
	pr_kv("tdmrs", NULL, sv_u(&sv.tdmrs, pv_null(NULL)));
	pr_kv("pamt_kb", have_pamt ? "PAMT" : NULL,
	      sv_u(&sv.pamt_kb, have_pamt ? pv_unit(pv_u(kb), " KiB") : pv_null(NULL)));
	pr_kv("global_keyid", have_keyids ? "global KeyID" : NULL,
	      sv_u(&sv.global_keyid, have_keyids ? pv_u(f->range_first) : pv_null(NULL)));
	pr_obj_begin("guest_keyids", NULL);
	pr_kv("first", have_keyids ? "first guest KeyID" : NULL,
	      sv_u(&sv.guest_first, have_keyids ? pv_u(f->range_first + 1) : pv_null(NULL)));
	pr_kv("count", have_keyids ? "guest KeyIDs" : NULL,
	      sv_u(&sv.guest_count, have_keyids ? pv_u(f->range_end - f->range_first - 1) : pv_null(NULL)));
	pr_obj_end();
}

/* No driver and no kernel verdict: what the regime says, or the driver's
 * own reason (not root, another ABI, ...); the hint from the one table. */
static int nodriver_error(const struct facts *f)
{
	enum tdx_regime r = f->kernel.regime;

	if (f->drv.err != ENOENT || f->drv.loaded || r == REGIME_UNKNOWN)
		return hint_driver_error(&f->drv, f);
	if (r == REGIME_ON_DEMAND)
		pr_error(EXIT_NOTSUP, "ENOENT", hint_fix(f), "%s: driver not loaded", dev_path());
	else if (r == REGIME_NO_PLATFORM)
		pr_error(EXIT_NOTSUP, NULL, hint_fix(f), "not a TDX host: %s (%s)", regime_desc(r), f->kernel.why);
	else if (r == REGIME_NO_HOST_CORE)
		pr_error(EXIT_NOTSUP, NULL, hint_fix(f), "no kernel TDX host core: %s", f->kernel.why);
	else
		pr_error(EXIT_NOTSUP, NULL, hint_fix(f), "the TDX module state is not known: %s; %s",
			 regime_desc(r), f->module.reason);
	return EXIT_NOTSUP;
}

/* One line a person reads first, derived from the fields below: the
 * driver's STATUS when it answered (whatever became of its CPU table),
 * else the kernel's verdict. */
static void status_summary(const struct facts *f, char *sum, size_t len)
{
	const struct tdx_host_status *s = &f->st;
	bool have_status = f->have_status;
	const char *drv_why = drv_reason(&f->drv) ? drv_reason(&f->drv) : "the driver did not answer";

	if (have_status && s->state == TDX_HOST_STATE_INITIALIZED && (s->valid & TDX_HOST_STATUS_MODULE_INFO))
		snprintf(sum, len, "ready: TDX module %u.%u.%02u initialized, %u of %u online CPUs TDX-enabled",
			 s->version_major, s->version_minor, s->version_update, s->cpus_enabled, s->cpus_online);
	else if (have_status && s->state == TDX_HOST_STATE_INITIALIZED)
		snprintf(sum, len, "ready: TDX module initialized, %u of %u online CPUs TDX-enabled",
			 s->cpus_enabled, s->cpus_online);
	else if (have_status && s->state == TDX_HOST_STATE_ERROR && !(s->valid & TDX_HOST_STATUS_TDX_ERRORS))
		snprintf(sum, len, "failed: TDX module initialization failed (%s; the %s backend does not "
			 "report the step or TDX status); sticky until reboot",
			 errno_name(s->err_errno ? s->err_errno : EIO), tdx_backend_name(s->backend));
	else if (have_status && s->state == TDX_HOST_STATE_ERROR)
		snprintf(sum, len, "failed: TDX module initialization failed in %s (%s); sticky until reboot",
			 tdx_step_desc(s->err_step), s->err_tdx_status ? tdx_status_name(s->err_tdx_status)
								   : strerror(s->err_errno ? s->err_errno : EIO));
	else if (have_status && s->state == TDX_HOST_STATE_INITIALIZING)
		snprintf(sum, len, "initializing: a TDX module enable is running");
	else if (have_status && s->backend == TDX_HOST_BACKEND_KERNEL && (s->valid & TDX_HOST_STATUS_MODULE_CAPS))
		/* tdx_get_sysinfo() answers only for an initialized module: KVM's work */
		snprintf(sum, len, "ready: the kernel's TDX module is initialized (by KVM); "
			 "'tdxctl enable' records it in the driver without changing it");
	else if (have_status && s->backend == TDX_HOST_BACKEND_KERNEL &&
		 klog_find(&f->klog, "virt/tdx: module initialized"))
		/* before 6.14 the kernel does not tell the driver; its log does */
		snprintf(sum, len, "ready: the kernel's TDX module is initialized (kernel log: by KVM or an "
			 "earlier load of the driver); 'tdxctl enable' records it in the driver without changing it");
	else if (have_status)
		snprintf(sum, len, "not enabled yet: %u of %u online CPUs TDX-enabled; run 'tdxctl enable'",
			 s->cpus_enabled, s->cpus_online);
	else if (f->module.state == MS_INITIALIZED && f->kernel.regime == REGIME_BOOT)
		snprintf(sum, len, "ready: the kernel initialized the TDX module at boot (%s)",
			 !strcmp(f->module.source, "sysfs") ? "sysfs" : "kernel log");
	else if (f->module.state == MS_INITIALIZED && f->kernel.regime == REGIME_KVM)
		snprintf(sum, len, "ready: KVM initialized the TDX module (kernel log)");
	else if (f->module.state == MS_INITIALIZED)
		snprintf(sum, len, "ready: the kernel initialized the TDX module (kernel log); %s",
			 drv_why);
	else if (f->module.state == MS_ERROR && f->kernel.regime == REGIME_BOOT)
		snprintf(sum, len, "failed at boot: reboot needed (kernel log)");
	else if (f->module.state == MS_ERROR)
		snprintf(sum, len, "failed: the kernel could not initialize the TDX module (kernel log); %s",
			 drv_why);
	else if (f->module.state == MS_REFUSED)
		snprintf(sum, len, "unavailable: %s", f->module.reason);
	else if (f->kernel.regime == REGIME_NO_PLATFORM || f->kernel.regime == REGIME_NO_HOST_CORE)
		snprintf(sum, len, "unavailable: %s", regime_desc(f->kernel.regime));
	else if (f->module.state == MS_UNINITIALIZED)
		snprintf(sum, len, "not enabled yet (kernel log): %s", f->kernel.enable);
	else
		snprintf(sum, len, "unknown: %s", f->module.reason);
}

/* The "driver" object: loaded, and what its VERSION reply says. */
static void print_driver(const struct facts *f)
{
	const struct drv *d = &f->drv;

	pr_obj_begin("driver", "driver");
	pr_kv("loaded", "loaded", pv_bool(d->loaded));
	sv.driver_loaded = d->loaded;
	pr_kv("backend", "backend",
	      SV_S(sv.backend, d->have_version ? pv_str(tdx_backend_name(d->ver.backend)) : pv_null(NULL)));
	if (d->have_version && d->ver.backend == TDX_HOST_BACKEND_EMULATED)
		pr_kv(NULL, "note", pv_color(pv_str("the emulated TDX module, a software model: no TDs can run"),
					    C_WARN));
	pr_kv("abi_version", "ABI version",
	      sv_u(&sv.abi_version, d->have_version ? pv_u(d->ver.abi_version) : pv_null(NULL)));
	pr_kv("version", d->have_version ? "version" : NULL,
	      SV_S(sv.driver_version, d->have_version ? pv_str((const char *)d->ver.driver_version) : pv_null(NULL)));
	pr_obj_end();
}

static struct pv count_or_null(const struct cpumasks *m, const struct cpuset *s)
{
	return m->known ? pv_u(cpuset_count(s)) : pv_null("unknown");
}

/*
 * --format and --output-file: json is --json; prometheus and nfd print
 * nothing of their own (status runs quiet, errors still on stderr) and
 * write the export at the end.  *quiet: -q was given.
 */
static int status_format_opts(const struct status_opts *o, int *fmt, int *quiet)
{
	*quiet = g.quiet;
	*fmt = o->format ? status_format_parse(o->format) : SF_TEXT;
	if (*fmt == SF_JSON)
		g.json = 1;
	if (*fmt == SF_TEXT && o->format && g.json) {
		pr_error(EXIT_USAGE, NULL, "tdxctl status --format=json, or --json alone",
			 "--format=text contradicts --json");
		return EXIT_USAGE;
	}
	if (*fmt == SF_PROMETHEUS || *fmt == SF_NFD) {
		const char *bad = g.json ? "--json" : o->cpus ? "--cpus (or -o COLS)" :
				  g.list_columns ? "--list-columns" : NULL;

		if (bad) {
			g.json = 0;
			pr_error(EXIT_USAGE, NULL, "tdxctl status --format=prometheus|nfd [--output-file FILE]",
				 "%s does not go with --format=%s", bad, o->format);
			return EXIT_USAGE;
		}
		g.quiet = 1;
	} else if (o->file) {
		pr_error(EXIT_USAGE, NULL, "tdxctl status --format=prometheus|nfd --output-file FILE",
			 "--output-file writes the prometheus and nfd formats, not %s",
			 *fmt == SF_JSON || g.json ? "JSON" : "text");
		return EXIT_USAGE;
	}
	return 0;
}

int cmd_status(int argc, char **argv)
{
	struct status_opts o = { 0 };
	struct tdx_host_cpu_info *tab = NULL;
	struct cpuset *only = NULL, *offline = NULL, *not_enabled = NULL;
	struct facts f;
	const struct tdx_host_status *s = &f.st;
	const struct cpumasks *m = &f.m;
	unsigned n = 0;
	int sel[32];
	size_t nsel = 0;
	bool have_table = false;	/* the driver's CPU table, read and valid */
	char sum[768], mw[200];
	const char *masks_why;
	int table_err = 0;
	int fmt = SF_TEXT, quiet = g.quiet;
	int rc = cmd_parse(&status_argp, argc, argv, &o);

	if (rc)
		return rc;
	if ((rc = status_format_opts(&o, &fmt, &quiet)))
		return rc;
	if ((o.cpus || g.list_columns) && (rc = cpu_cols_select(o.cols, sel, &nsel)))
		return rc;
	if (g.list_columns) {
		pr_cols_list(cpu_cols, n_cpu_cols);
		return EXIT_OK;
	}
	if (g.cpu_arg && !o.cpus) {
		pr_error(EXIT_USAGE, NULL, "tdxctl status --cpus -c LIST shows those CPUs",
			 "-c would be ignored: it selects the rows of --cpus");
		return EXIT_USAGE;
	}
	if ((g.noheadings || g.raw) && !o.cpus) {
		pr_error(EXIT_USAGE, NULL, "tdxctl status --cpus -n (or -r) shapes the per-CPU table",
			 "%s would be ignored: it shapes the table of --cpus",
			 g.noheadings ? "-n/--noheadings" : "-r/--raw");
		return EXIT_USAGE;
	}
	facts_gather(&f, FACT_DRIVER);
	if ((rc = parse_cpu_arg(g.cpu_arg, m, &only)))
		goto out;

	if (f.have_status) {
		int e = dev_cpu_table(f.drv.fd, &tab, &n);

		if (e)
			table_err = e;
		else
			have_table = true;
	}

	/* One line a person reads first; derived from the fields below. */
	status_summary(&f, sum, sizeof(sum));
	pr_kv("summary", "TDX", pv_color(pv_str(sum), f.have_status ? state_color(tdx_state_name(s->state)) :
						    f.module.state == MS_INITIALIZED ? C_GOOD :
						    f.module.state == MS_ERROR || f.module.state == MS_REFUSED ? C_BAD : C_WARN));

	print_driver(&f);
	print_kernel_regime(&f);
	/* the "regime" print_kernel_regime() prints */
	snprintf(sv.regime, sizeof(sv.regime), "%s", regime_name(f.kernel.regime));

	pr_obj_begin("module", "TDX module");
	if (f.have_status)
		module_from_driver(&f, s);
	else
		module_from_kernel(&f);
	pr_obj_end();

	/* CPUs: the driver's view when we have it, else sysfs. */
	offline = cpuset_dup(m->present);
	cpuset_andnot(offline, m->online);
	if (have_table) {
		not_enabled = cpuset_new(m->nr > n ? m->nr : n);
		cpuset_free(offline);
		offline = cpuset_new(m->nr > n ? m->nr : n);
		for (unsigned i = 0; i < n; i++) {
			unsigned fl = tab[i].flags;

			if ((fl & TDX_HOST_CPU_PRESENT) && !(fl & TDX_HOST_CPU_ONLINE))
				cpuset_set(offline, tab[i].cpu);
			if ((fl & TDX_HOST_CPU_ONLINE) && !(fl & TDX_HOST_CPU_ENABLED))
				cpuset_set(not_enabled, tab[i].cpu);
		}
	}
	masks_why = cpumasks_why(m, mw, sizeof(mw));
	pr_obj_begin("cpus", "CPUs");
	pr_kv("possible", "possible", sv_u(&sv.possible, f.have_status ? pv_u(s->cpus_possible) : count_or_null(m, m->possible)));
	pr_kv("present", "present", sv_u(&sv.present, f.have_status ? pv_u(s->cpus_present) : count_or_null(m, m->present)));
	pr_kv("online", "online", sv_u(&sv.online, f.have_status ? pv_u(s->cpus_online) : count_or_null(m, m->online)));
	pr_kv("enabled", "TDX-enabled", sv_u(&sv.enabled, f.have_status ? pv_u(s->cpus_enabled) : pv_null("unknown")));
	if (f.have_status) {
		bool mc = s->valid & TDX_HOST_STATUS_MODULE_CPUS;

		pr_kv("module_lp_count", "TDX module CPUs",
		      sv_u(&sv.module_lp_count, mc ? pv_u(s->module_lp_count) : pv_null(not_reported(s->backend))));
		pr_kv("module_packages", "TDX module packages",
		      sv_u(&sv.module_packages, mc ? pv_u(s->nr_packages) : pv_null(not_reported(s->backend))));
	} else {
		pr_kv("module_lp_count", NULL, sv_u(&sv.module_lp_count, pv_null(NULL)));
		pr_kv("module_packages", NULL, sv_u(&sv.module_packages, pv_null(NULL)));
	}
	pr_kv("offline_list", "offline", have_table || m->known ? pv_cpus(offline) : pv_null("unknown"));
	pr_kv("not_enabled_list", "online, not enabled",
	      not_enabled ? pv_color(pv_cpus(not_enabled), cpuset_empty(not_enabled) ? C_NONE : C_WARN)
			  : pv_null("unknown"));
	/* why sysfs gives no CPU counts: a missing or malformed list */
	pr_kv("masks_error", masks_why ? "CPU lists" : NULL,
	      masks_why ? pv_color(pv_str(masks_why), C_BAD) : pv_null(NULL));
	pr_obj_end();

	if (o.cpus) {
		pr_text("\n");
		cpu_table_print("cpu_table", have_table ? tab : NULL, n, &f, only, sel, nsel,
				f.have_status ? s->backend : TDX_HOST_BACKEND_NONE);
	}

	/* Exit 0 when the driver answered, or the kernel owns TDX and gave
	 * its verdict; otherwise say what is missing. */
	if (table_err) {
		rc = dev_table_fail(table_err);
	} else if (f.have_status) {
		rc = EXIT_OK;
	} else if (f.module.state == MS_REFUSED) {
		rc = EXIT_NOTSUP;
		pr_error(rc, NULL, hint_fix(&f), "TDX unavailable: %s", f.module.reason);
	} else if (f.module.state != MS_INITIALIZED && f.module.state != MS_ERROR) {
		rc = nodriver_error(&f);
	} else if (f.drv.err != ENOENT) {
		rc = drv_error(&f.drv);	/* e.g. no permission: say so even with a kernel verdict */
	}
	/* the export carries status's exit code; a failed write wins */
	if (fmt == SF_PROMETHEUS || fmt == SF_NFD) {
		int e = quiet && !o.file ? 0 : status_export(fmt, &sv, rc, o.file);

		rc = e ? e : rc;
	}
out:
	free(tab);
	cpuset_free(only);
	cpuset_free(offline);
	cpuset_free(not_enabled);
	facts_free(&f);
	return rc;
}
