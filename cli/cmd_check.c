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
#include "facts.h"
#include "pamt.h"
#include "hints.h"
#include "kmsg.h"
#include "kvm.h"
#include "sysroot.h"
#include "tdxstatus.h"
#include "tdxctl.h"

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
	enum verdict status;
	char *reason;
	char *observed;
	const char *expected;	/* the table's */
	const char *hint;	/* NULL: the check's own fix */
	struct evidence ev[24];
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

static struct result *res_new(struct result *r, const struct check_def *def)
{
	memset(r, 0, sizeof(*r));
	r->def = def;
	r->expected = def->expected;
	return r;
}

static void verdict(struct result *r, enum verdict v, char *reason)
{
	r->status = v;
	free(r->reason);
	r->reason = reason;
}

/* A check that could not run: its verdict is unknown when it is
 * required (the exit status says so), skip otherwise. */
static void cannot(struct result *r, char *reason)
{
	verdict(r, r->def->req == REQ_REQUIRED ? V_UNKNOWN : V_SKIP, reason);
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
	for (int i = 0; i < r->nev; i++) {
		free(r->ev[i].path);
		free(r->ev[i].msr);
		cpuset_free(r->ev[i].cpus);
		free(r->ev[i].value);
	}
}

/*
 * The evidence MSRs (facts.h: after the NMSR_TDX that msr.uniform
 * compares), and where the others read them:
 *   0x3A  IA32_FEATURE_CONTROL, bit 18 SGX enabled (Linux msr-index.h
 *         FEAT_CTL_SGX_ENABLED; Intel tdx-tools check-tdx-host.sh "SGX")
 *   0xA0  the SGX/MCHECK error status, 0 when none (canonical/tdx
 *         system-report.sh, "expected value: 0"; intel/tdx-tools reads it
 *         when SEAMRR is off, as the error code)
 *   0xCE  MSR_PLATFORM_INFO, bit 27 set: a pre-production part
 *         (canonical/tdx attestation/check-production.sh)
 *   0x500 IA32_SGX_SVN_STATUS, bits 63:56 the SEAMLDR ACM's SVN
 *         (canonical/tdx attestation/scripts/read-seamldr-svn.sh, after
 *         the SEAM Loader interface specification)
 *   0x982 bit 31 TME bypass (Intel tdx-tools check-tdx-host.sh, optional)
 */
static uint32_t msr_id(int k)
{
	return msr_ids[k];
}

static const struct msrval *msr_at(const struct facts *f, int cpu, int k)
{
	return &f->msr[cpu][k];
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
		const struct msrval *v = msr_at(f, cpu, k);
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

	snprintf(name, sizeof(name), "0x%x", msr_id(k));
	for (int i = 0; i < n; i++)
		ev_add(r, "msr", NULL, name, gr[i].cpus, msrval_text(&gr[i].val));
	groups_free(gr, n);
}

/*
 * Classify every online CPU with pred(): 1 good, 0 bad, -1 unreadable.
 * Returns the sets (caller frees).
 */
struct split {
	struct cpuset *good, *bad, *unread;	/* unread: the MSR raised #GP */
	struct cpuset *noaccess;		/* not read at all (no file, no permission) */
};

static void split_cpus(const struct facts *f, int k, int (*pred)(uint64_t), struct split *s)
{
	s->good = cpuset_new(f->m.nr);
	s->bad = cpuset_new(f->m.nr);
	s->unread = cpuset_new(f->m.nr);
	s->noaccess = cpuset_new(f->m.nr);
	cpuset_for_each(cpu, f->m.online) {
		const struct msrval *v = msr_at(f, cpu, k);

		if (v->err == EIO)
			cpuset_set(s->unread, (unsigned)cpu);
		else if (v->err)
			cpuset_set(s->noaccess, (unsigned)cpu);
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
	cpuset_free(s->noaccess);
}

static int p_seamrr_sup(uint64_t v) { return (v >> 15) & 1; }
/* IA32_SEAMRR_PHYS_MASK: enabled (bit 11) and locked (bit 10), as Linux requires */
static int p_seamrr_en(uint64_t v) { return (v & 0xC00) == 0xC00; }
/* IA32_SEAMRR_PHYS_BASE: a base address (bits 51:25) is configured */
static int p_seamrr_base(uint64_t v) { return (v & 0x000FFFFFFE000000ULL) != 0; }
static int p_tme(uint64_t v) { return (v & 3) == 3; }
static int p_keyids(uint64_t v) { return (v >> 32) >= 2; }

/* Common shape of a per-CPU MSR bit check.  A CPU whose MSR could not be
 * read at all is no evidence: with no CPU against the check, the verdict
 * is unknown; an MSR that raises #GP is evidence (it is not there). */
static void msr_bit_check(struct result *r, const struct facts *f, int k, int (*pred)(uint64_t),
			  const char *good_text, const char *bad_text, const char *unread_text)
{
	struct split s;
	char *all = cpuset_format(f->m.online);

	if (cpuset_empty(f->m.online)) {
		cannot(r, strdup("no online CPU known: /sys/devices/system/cpu/online not readable"));
		free(all);
		return;
	}
	split_cpus(f, k, pred, &s);
	if (cpuset_equal(s.good, f->m.online)) {
		verdict(r, V_PASS, xstrfmt("%s on every online CPU (%s)", good_text, all));
	} else if (cpuset_empty(s.bad) && cpuset_empty(s.unread)) {
		char *u = cpuset_name(s.noaccess);

		cannot(r, xstrfmt("MSR 0x%x not readable on %s", msr_id(k), u));
		free(u);
	} else if (cpuset_equal(s.unread, f->m.online)) {
		verdict(r, V_FAIL, xstrfmt("%s", unread_text));
	} else if (cpuset_equal(s.bad, f->m.online)) {
		verdict(r, V_FAIL, xstrfmt("%s on every online CPU (%s)", bad_text, all));
	} else {
		char *b = cpuset_format(s.bad), *gd = cpuset_format(s.good);

		cpuset_or(s.unread, s.noaccess);
		char *u = cpuset_format(s.unread);

		verdict(r, V_FAIL, xstrfmt("CPUs differ: %s on %s%s%s%s%s", good_text, *gd ? gd : "none",
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

/* What the checks share, from the facts, before any runs. */
static void derive(struct ctx *c)
{
	struct facts *f = &c->f;

	c->virt = f->platform == PLATFORM_VM || f->platform == PLATFORM_TD_GUEST;
	c->virt_why = f->platform_why;
	/* the TDX KeyID count, from the first CPU that answers */
	cpuset_for_each(cpu, f->m.online) {
		if (!f->msr || f->msr[cpu][M_KEYID].err)
			continue;
		c->keyids = (unsigned)(f->msr[cpu][M_KEYID].v >> 32);
		c->mktme_keyids = (unsigned)(f->msr[cpu][M_KEYID].v & 0xffffffffu);
		c->keyids_known = true;
		break;
	}
}

static void na_virt(struct result *r, const struct ctx *c)
{
	verdict(r, V_NA, xstrfmt("not applicable in a %s (%s)",
				 c->f.tdx_guest ? "TDX guest" : "virtual machine", c->virt_why));
}

static void na_unsupported(struct result *r)
{
	verdict(r, V_NA, strdup("not applicable: this CPU cannot run TDX (see cpu.vendor / bios.seamrr.supported)"));
}

static void c_env(struct result *r, struct ctx *c)
{
	struct facts *f = &c->f;

	/* the flags decide, present or absent; DMI is shown, deciding nothing */
	if (f->hypervisor || f->tdx_guest)
		ev_add(r, "cpuinfo", "/proc/cpuinfo", NULL, NULL,
		       xstrfmt("flags:%s%s", f->hypervisor ? " hypervisor" : "", f->tdx_guest ? " tdx_guest" : ""));
	else if (f->platform != PLATFORM_UNKNOWN)
		ev_add(r, "cpuinfo", "/proc/cpuinfo", NULL, NULL, strdup("flags: no hypervisor, no tdx_guest"));
	if (f->dmi[0])
		ev_add(r, "file", "/sys/class/dmi/id/sys_vendor", NULL, NULL, strdup(f->dmi));
	r->observed = strdup(platform_name(f->platform));
	if (f->platform == PLATFORM_UNKNOWN)
		cannot(r, xstrfmt("%s: bare metal or not cannot be told", f->platform_why));
	else if (c->virt)
		verdict(r, V_WARN, xstrfmt("running in a %s (%s%s%s): the TDX host hardware checks do not apply",
					  f->tdx_guest ? "TDX guest (TD)" : "virtual machine", c->virt_why,
					  f->dmi[0] ? "; DMI: " : "", f->dmi));
	else if (f->dmi[0])
		verdict(r, V_PASS, xstrfmt("bare metal: no 'hypervisor' flag in /proc/cpuinfo (DMI, which decides "
					   "nothing: %s%s)", f->dmi, f->dmi_virtual ? "; a bare-metal instance" : ""));
	else
		verdict(r, V_PASS, strdup("bare metal: no 'hypervisor' flag in /proc/cpuinfo"));
}

static void c_vendor(struct result *r, struct ctx *c)
{
	const char *v = c->f.vendor;

	r->observed = strdup(v[0] ? v : "unknown");
	ev_add(r, "cpuinfo", "/proc/cpuinfo", NULL, NULL, xstrfmt("vendor_id: %s", v[0] ? v : "?"));
	if (!v[0])
		cannot(r, strdup(c->f.cpuinfo ? "no vendor_id in /proc/cpuinfo" : "/proc/cpuinfo not readable"));
	else if (strcmp(v, "GenuineIntel")) {
		c->unsupported = true;
		verdict(r, V_FAIL, xstrfmt("%s CPU: TDX needs an Intel CPU", v));
	} else
		verdict(r, V_PASS, strdup("GenuineIntel"));
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
	if (!f->cpuinfo || cpuset_empty(f->in_cpuinfo))
		cannot(r, strdup(f->cpuinfo ? "no CPU in /proc/cpuinfo" : "/proc/cpuinfo not readable"));
	else if (cpuset_empty(missing))
		verdict(r, V_PASS, xstrfmt("vmx on every online CPU (%s)", all));
	else {
		char *l = cpuset_name(missing);

		verdict(r, V_FAIL, xstrfmt("no vmx flag on %s: VT-x disabled in the BIOS", l));
		free(l);
	}
	free(all);
	cpuset_free(missing);
}

static void c_msr_access(struct result *r, struct ctx *c)
{
	struct facts *f = &c->f;
	char why[200], path[64];

	/* which CPUs are online is not known: no MSR verdict is evidence */
	if (cpumasks_why(&f->m, why, sizeof(why))) {
		c->msr_skip = xstrfmt("the online CPUs are not known: %s", why);
		cannot(r, strdup(c->msr_skip));
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/%s", f->m.bad_mask);
		ev_add(r, "file", path, NULL, NULL, strdup(why + strlen(path) + 1));
		return;
	}

	/* a CPU none of whose MSRs could be read is no evidence of access */
	struct cpuset *none = cpuset_new(f->m.nr);

	cpuset_for_each(cpu, f->m.online) {
		int k;

		for (k = 0; k < NMSR && f->msr[cpu][k].err; k++)
			;
		if (k == NMSR)
			cpuset_set(none, (unsigned)cpu);
	}
	if (f->msr_any && !cpuset_empty(none)) {
		char *l = cpuset_name(none);

		c->msr_ok = true;
		verdict(r, V_WARN, xstrfmt("MSRs readable on some CPUs only (none of them on %s)", l));
		ev_add(r, "file", "/dev/cpu/N/msr", NULL, none, strdup("no MSR readable"));
		free(l);
		cpuset_free(none);
		return;
	}
	cpuset_free(none);
	if (f->msr_any && !f->msr_access_err) {
		char *all = cpuset_format(f->m.online);

		c->msr_ok = true;
		verdict(r, V_PASS, xstrfmt("MSRs readable on every online CPU (%s)", all));
		ev_add(r, "file", "/dev/cpu/N/msr", NULL, f->m.online, strdup("readable"));
		free(all);
		return;
	}
	if (f->msr_any) {
		c->msr_ok = true;
		verdict(r, V_WARN, xstrfmt("MSRs readable on some CPUs only (%s on others)",
					   strerror(f->msr_access_err)));
		return;
	}
	if (sr_msr_problem()) {
		/* a replay's msr.replay that is not read: never evidence */
		c->msr_skip = xstrfmt("MSRs not readable: %s", sr_msr_problem());
		verdict(r, V_SKIP, strdup(c->msr_skip));
		ev_add(r, "file", "/dev/cpu/msr.replay", NULL, NULL, strdup(sr_msr_problem()));
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
	verdict(r, V_SKIP, strdup(c->msr_skip));
	ev_add(r, "file", "/dev/cpu/0/msr", NULL, NULL,
	       strdup(f->msr_access_err ? strerror(f->msr_access_err) : "no readable MSR"));
}

static void c_seamrr_sup(struct result *r, struct ctx *c)
{
	struct split s;

	msr_bit_check(r, &c->f, M_MTRRCAP, p_seamrr_sup, "SEAMRR supported (0xFE bit 15 set)",
		      "no SEAMRR (0xFE bit 15 clear)", "IA32_MTRRCAP (0xFE) not readable on any CPU");
	split_cpus(&c->f, M_MTRRCAP, p_seamrr_sup, &s);
	r->observed = strdup(cpuset_empty(s.good) ? "bit 15 = 0" : cpuset_empty(s.bad) ? "bit 15 = 1" : "mixed");
	if (cpuset_empty(s.good) && !cpuset_empty(s.bad)) {
		c->unsupported = true;
		verdict(r, V_FAIL, strdup("this CPU does not support SEAM (IA32_MTRRCAP bit 15 clear): it cannot run TDX"));
	}
	split_free(&s);
}

static void c_seamrr_en(struct result *r, struct ctx *c)
{
	struct result base;

	msr_bit_check(r, &c->f, M_SEAMRR_MASK, p_seamrr_en,
		      "SEAMRR enabled and locked (0x1401 bits 11,10 set)",
		      "SEAMRR not enabled and locked (0x1401 bits 11,10)",
		      "IA32_SEAMRR_PHYS_MASK (0x1401) not readable: SEAMRR is not configured by the BIOS");
	if (r->status != V_PASS)
		return;
	/* the range also needs a base */
	res_new(&base, r->def);
	msr_bit_check(&base, &c->f, M_SEAMRR_BASE, p_seamrr_base,
		      "SEAMRR base set (0x1400)", "no SEAMRR base (0x1400 bits 51:25 zero)",
		      "IA32_SEAMRR_PHYS_BASE (0x1400) not readable: SEAMRR is not configured by the BIOS");
	for (int i = 0; i < base.nev; i++)
		ev_add(r, base.ev[i].source, base.ev[i].path, base.ev[i].msr, base.ev[i].cpus,
		       base.ev[i].value ? strdup(base.ev[i].value) : NULL);
	if (base.status == V_PASS) {
		char *all = cpuset_format(c->f.m.online);

		verdict(r, V_PASS, xstrfmt("SEAMRR enabled and locked (0x1401 bits 11,10), base set (0x1400), "
					   "on every online CPU (%s)", all));
		free(all);
	} else {
		verdict(r, base.status, base.reason);
		base.reason = NULL;
	}
	res_free(&base);
}

static void c_tme(struct result *r, struct ctx *c)
{
	msr_bit_check(r, &c->f, M_TMEACT, p_tme, "TME enabled and locked (0x982 bits 0,1 set)",
		      "TME not enabled or not locked (0x982 bits 0,1)",
		      "IA32_TME_ACTIVATE (0x982) not readable: no TME on this CPU");
}

static void c_keyids(struct result *r, struct ctx *c)
{
	struct facts *f = &c->f;
	struct split s;
	bool all_bad;

	msr_bit_check(r, f, M_KEYID, p_keyids, "at least 2 TDX private KeyIDs (0x87 bits 63:32)",
		      "fewer than 2 TDX private KeyIDs (0x87 bits 63:32)",
		      "IA32_MKTME_KEYID_PARTITIONING (0x87) not readable: MK-TME/TDX KeyIDs not configured by the BIOS");
	if (c->keyids_known)
		r->observed = xstrfmt("%u", c->keyids);
	split_cpus(f, M_KEYID, p_keyids, &s);
	all_bad = cpuset_equal(s.bad, f->m.online);
	split_free(&s);
	if (r->status == V_PASS) {
		c->keyids_ok = true;
		verdict(r, V_PASS, xstrfmt("%u TDX private KeyIDs, range [%u, %u), on every online CPU",
					   c->keyids, c->mktme_keyids + 1, c->mktme_keyids + 1 + c->keyids));
	} else if (c->keyids_known && c->keyids == 0 && all_bad) {
		verdict(r, V_FAIL, strdup("no TDX private KeyIDs (0x87 bits 63:32 = 0): TDX is not enabled in the BIOS"));
	} else if (c->keyids_known && c->keyids == 1 && all_bad) {
		verdict(r, V_FAIL, strdup("only 1 TDX private KeyID: Linux needs at least 2 (global KeyID + TDs)"));
	}
}

static void c_uniform(struct result *r, struct ctx *c)
{
	char *bad = NULL;
	int nbad = 0;

	for (int k = 0; k < NMSR_TDX; k++) {
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
			l = cpuset_name(out);
			bad = xstrfmt("%s%s0x%x on %s", t ? t : "", t ? ", " : "", msr_ids[k], l);
			free(t);
			free(l);
			cpuset_free(out);
			nbad++;
		}
		groups_free(gr, n);
		/* the values compared, alike or not, are the evidence */
		ev_msr_groups(r, &c->f, k);
	}
	if (nbad) {
		verdict(r, V_FAIL, xstrfmt("MSRs differ from the other CPUs: %s", bad));
	} else {
		char *all = cpuset_name(c->f.m.online);

		verdict(r, V_PASS, xstrfmt("0x87, 0x981, 0x982, 0xFE, 0x1400 and 0x1401 identical on %s", all));
		free(all);
	}
	free(bad);
}

/*
 * An MSR read as evidence: every online CPU's raw value is shown.  pred()
 * judges a value (1 good, 0 bad); bad gives the verdict bad_v.  A CPU
 * whose MSR could not be read (#GP; in a replay also an MSR the bundle
 * did not record) is no evidence: with no CPU judged bad, SKIP naming the
 * MSR and the CPUs, never a PASS.
 */
static void evidence_msr(struct result *r, struct ctx *c, int k, const char *name, int (*pred)(uint64_t),
			 enum verdict bad_v, const char *good_text, const char *bad_text, const char *why)
{
	struct facts *f = &c->f;
	struct split s;
	char *all = cpuset_format(f->m.online);

	split_cpus(f, k, pred, &s);
	cpuset_or(s.unread, s.noaccess);
	if (cpuset_empty(f->m.online)) {
		verdict(r, V_SKIP, strdup("no online CPU known"));
	} else if (!cpuset_empty(s.bad)) {
		char *b = cpuset_name(s.bad), *gd = cpuset_format(s.good), *u = cpuset_format(s.unread);

		if (cpuset_equal(s.bad, f->m.online))
			verdict(r, bad_v, xstrfmt("%s on every online CPU (%s)%s%s", bad_text, all,
						  why ? ": " : "", why ? why : ""));
		else
			verdict(r, bad_v == V_PASS ? V_WARN : bad_v,
				xstrfmt("CPUs differ: %s on %s%s%s%s%s", bad_text, b, *gd ? "; " : "",
					*gd ? good_text : "", *gd ? " on " : "", gd));
		if (*u) {
			char *t = r->reason;

			r->reason = xstrfmt("%s; MSR 0x%x unreadable on %s", t, msr_id(k), u);
			free(t);
		}
		free(b);
		free(gd);
		free(u);
	} else if (!cpuset_empty(s.unread)) {
		char *u = cpuset_name(s.unread);

		verdict(r, V_SKIP, xstrfmt("MSR 0x%x (%s) not readable on %s (%s)", msr_id(k), name, u,
					   sr_is_live() ? "it raised #GP, or no access" :
					   "raised #GP, or not recorded in this replay"));
		free(u);
	} else {
		verdict(r, V_PASS, xstrfmt("%s on every online CPU (%s)", good_text, all));
	}
	ev_msr_groups(r, f, k);
	split_free(&s);
	free(all);
}

/* The value of the first online CPU that read MSR k, or -1. */
static int first_read(const struct ctx *c, int k, uint64_t *v)
{
	cpuset_for_each(cpu, c->f.m.online) {
		const struct msrval *m = msr_at(&c->f, cpu, k);

		if (!m->err) {
			*v = m->v;
			return 0;
		}
	}
	return -1;
}

static int p_bypass(uint64_t v) { return (v >> 31) & 1; }
static int p_sgx(uint64_t v) { return (v >> 18) & 1; }
static int p_zero(uint64_t v) { return v == 0; }
static int p_production(uint64_t v) { return !((v >> 27) & 1); }

/* 0x982 bit 31: TME bypass; Intel's check-tdx-host.sh reads it as optional */
static void c_tme_bypass(struct result *r, struct ctx *c)
{
	uint64_t v;

	evidence_msr(r, c, M_TMEACT, "IA32_TME_ACTIVATE", p_bypass, V_PASS,
		     "TME bypass on (0x982 bit 31 set)", "TME bypass off (0x982 bit 31 clear)", NULL);
	if (!first_read(c, M_TMEACT, &v))
		r->observed = xstrfmt("bit 31 = %u", (unsigned)p_bypass(v));
}

static void c_sgx(struct result *r, struct ctx *c)
{
	uint64_t v;

	evidence_msr(r, c, M_FEATCTL, "IA32_FEATURE_CONTROL", p_sgx, V_WARN,
		     "SGX enabled (0x3A bit 18 set)", "SGX not enabled by the BIOS (0x3A bit 18 clear)",
		     "TDs cannot be attested (their quotes come from an SGX enclave)");
	if (!first_read(c, M_FEATCTL, &v))
		r->observed = xstrfmt("bit 18 = %u", (unsigned)p_sgx(v));
}

static void c_mcheck(struct result *r, struct ctx *c)
{
	uint64_t v;

	evidence_msr(r, c, M_MCHECK, "SGX/MCHECK status", p_zero, V_WARN,
		     "0 (no SGX/MCHECK error recorded)", "non-zero",
		     "the BIOS recorded an SGX/MCHECK error code (the evidence has it)");
	if (!first_read(c, M_MCHECK, &v))
		r->observed = xstrfmt("0x%" PRIx64, v);
}

static void c_production(struct result *r, struct ctx *c)
{
	uint64_t v;

	evidence_msr(r, c, M_PLATINFO, "MSR_PLATFORM_INFO", p_production, V_WARN,
		     "a production CPU (0xCE bit 27 clear)", "a pre-production CPU (0xCE bit 27 set)",
		     "its attestation collateral comes from Intel's pre-production (sandbox) services, "
		     "not the production PCS");
	if (!first_read(c, M_PLATINFO, &v))
		r->observed = strdup(p_production(v) ? "production" : "pre-production");
}

static void c_seamldr_svn(struct result *r, struct ctx *c)
{
	struct group gr[16];
	int n = msr_groups(&c->f, M_SGXSVN, gr, 16), nread = 0;
	unsigned svn = 0;
	bool mixed = false;
	struct cpuset *unread = cpuset_new(c->f.m.nr);

	/* the SVN (bits 63:56) decides; other bits may differ */
	for (int i = 0; i < n; i++) {
		if (gr[i].val.err) {
			cpuset_or(unread, gr[i].cpus);
			continue;
		}
		if (!nread++)
			svn = (unsigned)(gr[i].val.v >> 56);
		else if ((unsigned)(gr[i].val.v >> 56) != svn)
			mixed = true;
	}
	if (nread && !mixed)
		r->observed = xstrfmt("%u", svn);
	if (!n) {
		verdict(r, V_SKIP, strdup("no online CPU known"));
	} else if (!cpuset_empty(unread)) {
		char *u = cpuset_name(unread);

		verdict(r, V_SKIP, xstrfmt("MSR 0x500 (IA32_SGX_SVN_STATUS) not readable on %s (%s)", u,
					   sr_is_live() ? "it raised #GP, or no access" :
					   "raised #GP, or not recorded in this replay"));
		free(u);
	} else if (mixed) {
		verdict(r, V_WARN, strdup("the SEAMLDR ACM SVN (0x500 bits 63:56) differs between CPUs"));
	} else {
		char *all = cpuset_format(c->f.m.online);

		verdict(r, V_PASS, xstrfmt("SEAMLDR ACM SVN %u (0x500 bits 63:56) on every online CPU (%s)", svn, all));
		free(all);
	}
	groups_free(gr, n);
	cpuset_free(unread);
	ev_msr_groups(r, &c->f, M_SGXSVN);
}

static void c_tdx_support(struct result *r, struct ctx *c)
{
	struct facts *f = &c->f;

	r->observed = strdup(regime_name(f->kernel.regime));
	if (f->krelease[0])
		ev_add(r, "file", "/proc/sys/kernel/osrelease", NULL, NULL, strdup(f->krelease));
	for (unsigned i = 0; i < f->kernel.nev; i++)
		ev_add(r, f->kernel.ev[i].source, f->kernel.ev[i].path, NULL, NULL, strdup(f->kernel.ev[i].value));
	if (!f->kmajor) {	/* the verdict names the release */
		verdict(r, V_SKIP, xstrfmt("kernel release not readable; the regime: %s (%s)",
					   regime_name(f->kernel.regime), f->kernel.why));
		return;
	}
	switch (f->kernel.regime) {
	case REGIME_UNKNOWN:
		verdict(r, V_SKIP, xstrfmt("cannot tell: %s", f->kernel.why));
		break;
	case REGIME_NO_HOST_CORE:
		verdict(r, V_WARN, xstrfmt("no kernel TDX host core (%s): the tdxctl driver can only run its emulated backend",
					   f->kernel.why));
		break;
	case REGIME_NO_PLATFORM:
		verdict(r, V_PASS, xstrfmt("kernel %s: %s", f->krelease, f->kernel.why));
		break;
	case REGIME_ON_DEMAND:
		verdict(r, V_PASS, xstrfmt("kernel %s exports TDX enabling to modules: the tdxctl driver (kernel backend) can enable TDX",
					   f->krelease));
		break;
	case REGIME_KVM:
		verdict(r, V_PASS, xstrfmt("kernel %s: only KVM can initialize TDX (kvm_intel.tdx=1); the tdxctl driver cannot",
					   f->krelease));
		break;
	case REGIME_BOOT:
		verdict(r, V_PASS, xstrfmt("kernel %s initializes TDX at boot (%s); tdxctl reports its state",
					   f->krelease, f->kernel.why));
		break;
	}
}

static void c_platform(struct result *r, struct ctx *c)
{
	struct facts *f = &c->f;
	const char *why = f->refusal_line;

	r->observed = strdup(f->platform == PLATFORM_UNKNOWN ? "unknown" :
			     f->tdx_host_platform ? "present" : "absent");
	ev_add(r, "cpuinfo", "/proc/cpuinfo", NULL, NULL,
	       strdup(f->tdx_host_platform ? "tdx_host_platform" : "no tdx_host_platform flag"));
	if (c->keyids_known)
		ev_add(r, "msr", NULL, "0x87", NULL, xstrfmt("%u TDX KeyIDs", c->keyids));
	if (c->virt) {
		na_virt(r, c);
	} else if (f->platform == PLATFORM_UNKNOWN) {
		cannot(r, xstrfmt("%s", f->platform_why));
	} else if (f->tdx_host_platform) {
		if (c->keyids_known && c->keyids < 2)
			verdict(r, V_WARN, xstrfmt("the kernel reports a TDX host platform but MSR 0x87 shows %u TDX KeyIDs: readings disagree",
						   c->keyids));
		else
			verdict(r, V_PASS, strdup("the kernel accepted the TDX host platform (tdx_host_platform)"));
	} else if (f->kmajor && facts_kver(f) < 6008) {
		verdict(r, V_NA, xstrfmt("kernel %s predates TDX host support (6.8): no flag to expect", f->krelease));
	} else if (c->unsupported) {
		na_unsupported(r);
	} else if (c->keyids_ok) {
		verdict(r, V_FAIL, xstrfmt("the BIOS enabled TDX (%u KeyIDs) but the kernel did not accept it%s%s",
					   c->keyids, why ? ": " : " (kernel without CONFIG_INTEL_TDX_HOST?)",
					   why ? why : ""));
	} else if (why) {
		verdict(r, V_FAIL, xstrfmt("the kernel refused TDX at boot: %s", f->refusal));
	} else {
		verdict(r, V_FAIL, strdup("the kernel found no TDX host platform"));
	}
}


static void c_log(struct result *r, struct ctx *c)
{
	struct facts *f = &c->f;
	const char *range = klog_find(&f->klog, "BIOS enabled: private KeyID range");
	const char *line = NULL;
	size_t i;

	/* the kernel's TDX failure lines, and what to change (hints.c) */
	for (i = 0; i < hint_log_count(); i++)
		if ((line = klog_find(&f->klog, hint_log_needle(i))))
			break;
	if (f->klog.err) {
		cannot(r, xstrfmt("kernel log not readable: %s%s", strerror(f->klog.err),
					   f->klog.err == EPERM || f->klog.err == EACCES ? " (root needed)" : ""));
		return;
	}
	if (range)
		ev_add(r, "kernel-log", NULL, NULL, NULL, strdup(range));
	if (line) {
		ev_add(r, "kernel-log", NULL, NULL, NULL, strdup(line));
		verdict(r, V_FAIL, xstrfmt("kernel: \"%s\"", line));
		r->hint = hint_log_fix(i);
		return;
	}
	if (range) {
		unsigned a, b;
		const char *p = strstr(range, "range");

		if (p && sscanf(p, "range [%u, %u)", &a, &b) == 2 && c->keyids_known && b - a != c->keyids)
			verdict(r, V_WARN, xstrfmt("kernel log reports %u KeyIDs ([%u, %u)) but MSR 0x87 shows %u",
						   b - a, a, b, c->keyids));
		else
			verdict(r, V_PASS, xstrfmt("kernel: \"%s\"", range));
		return;
	}
	if (c->virt)
		na_virt(r, c);
	else if (f->kmajor && facts_kver(f) < 6008)
		verdict(r, V_NA, xstrfmt("kernel %s logs nothing about TDX host support", f->krelease));
	else if (c->unsupported)
		na_unsupported(r);
	else {
		verdict(r, V_WARN, strdup("no TDX lines in the kernel log (rotated out, or the kernel found no TDX)"));
		r->hint = "check that the kernel has CONFIG_INTEL_TDX_HOST=y; the boot log may have rotated out (journalctl -k -b)";
	}
}

static void c_hibernation(struct result *r, struct ctx *c)
{
	struct facts *f = &c->f;
	bool nohib = !f->cmdline_err && flag_in(f->cmdline, "nohibernate");

	if (!f->cmdline_err)
		ev_add(r, "file", "/proc/cmdline", NULL, NULL, strdup(nohib ? "nohibernate" : "no nohibernate"));
	if (c->virt) {
		na_virt(r, c);
		return;
	}
	if (f->kmajor && facts_kver(f) < 6008) {
		verdict(r, V_NA, xstrfmt("kernel %s has no TDX host support", f->krelease));
		return;
	}
	if (klog_find(&f->klog, "Hibernation support is enabled")) {
		verdict(r, V_FAIL, strdup("the kernel refused TDX because hibernation is possible"));
		return;
	}
	if (nohib) {
		r->observed = strdup("nohibernate");
		verdict(r, V_PASS, strdup("booted with nohibernate"));
		return;
	}
	ev_add(r, "file", "/sys/power/state", NULL, NULL,
	       f->power_state_err ? xstrfmt("unreadable (%s)", strerror(f->power_state_err))
				  : strdup(f->power_state));
	if (f->power_state_err) {
		cannot(r, xstrfmt("/sys/power/state not readable (%s)%s", strerror(f->power_state_err),
				  f->cmdline_err ? ", nor /proc/cmdline" : " and no nohibernate"));
	} else if (strstr(f->power_state, "disk")) {
		r->observed = strdup("hibernation possible");
		verdict(r, V_WARN, strdup("hibernation is possible (/sys/power/state offers disk): Linux refuses TDX then"));
	} else {
		r->observed = strdup("hibernation not offered");
		verdict(r, V_PASS, strdup("hibernation not offered by the kernel"));
	}
}

/*
 * The memory checks look ahead to a TDX module initialization: n/a when
 * it happened (done: what it set up) or cannot happen before a reboot, and
 * in a VM without the driver.
 */
static bool memory_na(struct result *r, struct ctx *c, const char *done)
{
	enum module_state ms = c->f.module.state;

	if (ms == MS_INITIALIZED)
		verdict(r, V_NA, xstrfmt("the TDX module is initialized: %s", done));
	else if (ms == MS_ERROR || ms == MS_REFUSED)
		verdict(r, V_NA, strdup("nothing can initialize the TDX module until reboot (module.state says why)"));
	else if (c->virt && !c->f.drv.loaded)
		na_virt(r, c);
	else
		return false;
	return true;
}

/*
 * The PAMT is one physically contiguous allocation per TDMR, made when the
 * TDX module is initialized: memory free in the largest blocks is what it
 * can count on without compaction.
 */
static void c_pamt(struct result *r, struct ctx *c)
{
	struct pamt_est e;

	if (memory_na(r, c, "its PAMT is allocated"))
		return;
	if (pamt_estimate(&e)) {
		cannot(r, xstrfmt("%s not readable (%s)", e.err_path, strerror(e.err)));
		return;
	}
	ev_add(r, "file", "/proc/meminfo", NULL, NULL, xstrfmt("MemTotal %llu kB", (unsigned long long)e.mem_kb));
	ev_add(r, "file", "/proc/buddyinfo", NULL, NULL,
	       xstrfmt("%llu kB free in %llu kB blocks", (unsigned long long)e.free_block_kb,
		       (unsigned long long)e.block_kb));
	if (e.nodes > 1)
		ev_add(r, "file", "/sys/devices/system/node/nodeN/meminfo", NULL, NULL,
		       xstrfmt("%u nodes with memory", e.nodes));
	r->observed = xstrfmt("%llu MiB free in %llu MiB blocks, about %llu MiB needed",
			      (unsigned long long)(e.free_block_kb / 1024),
			      (unsigned long long)(e.block_kb / 1024),
			      (unsigned long long)((e.need_kb + 1023) / 1024));
	if (pamt_short(&e)) {
		verdict(r, V_WARN, xstrfmt("%s: the allocation depends on compaction", pamt_text(&e)));
		r->hint = "compact memory first (echo 1 > /proc/sys/vm/compact_memory; tdxctl enable does it when "
			  "memory is short), or enable TDX soon after boot: on the kernel backend a failed PAMT "
			  "allocation is sticky until reboot";
	} else {
		verdict(r, V_PASS, strdup(pamt_text(&e)));
	}
}

/* Memory the BIOS did not have at boot is outside the CMRs it made */
static void c_cmr(struct result *r, struct ctx *c)
{
	struct facts *f = &c->f;
	struct mem_added m;

	if (memory_na(r, c, "its TDMRs are set"))
		return;
	if (mem_added_scan(&f->klog, &m)) {
		cannot(r, xstrfmt("%s", m.why));
		return;
	}
	ev_add(r, "file", "/proc/iomem", NULL, NULL,
	       xstrfmt("System RAM %llu MiB", (unsigned long long)(m.ram_kb / 1024)));
	ev_add(r, "kernel-log", NULL, NULL, NULL, xstrfmt("BIOS-e820: %u usable ranges", m.map_ranges));
	r->observed = xstrfmt("%llu MiB added after boot", (unsigned long long)(m.added_kb / 1024));
	if (m.ranges) {
		char more[32] = "";

		if (m.ranges > 1)
			snprintf(more, sizeof(more), ", %u ranges", m.ranges);
		verdict(r, V_WARN, xstrfmt("%llu MiB of System RAM %s (first [0x%llx-0x%llx]%s): outside the "
					   "CMRs the BIOS made, yet in the kernel's TDMRs; TDH.SYS.CONFIG would fail, "
					   "sticky until reboot",
					   (unsigned long long)(m.added_kb / 1024),
					   m.kmem ? "is device memory (kmem: CXL, PMEM) or was added after boot"
						  : "was added after boot (not in the BIOS memory map)",
					   (unsigned long long)m.first_start, (unsigned long long)m.first_end,
					   more));
		r->hint = "initialize TDX before adding memory, or take that memory out first (offline and remove its "
			  "memory blocks; daxctl reconfigure-device for kmem)";
	} else {
		verdict(r, V_PASS, xstrfmt("all %llu MiB of System RAM is in the BIOS memory map of boot",
					   (unsigned long long)(m.ram_kb / 1024)));
	}
}

static void c_kvm(struct result *r, struct ctx *c)
{
	struct facts *f = &c->f;

	r->observed = strdup(f->kvm_tdx[0] ? f->kvm_tdx : "absent");
	if (f->kvm_tdx[0])
		ev_add(r, "file", "/sys/module/kvm_intel/parameters/tdx", NULL, NULL, strdup(f->kvm_tdx));
	if (!f->kvm_tdx[0] && f->kvm_tdx_err && f->kvm_tdx_err != ENOENT)
		cannot(r, xstrfmt("/sys/module/kvm_intel/parameters/tdx not readable: %s", strerror(f->kvm_tdx_err)));
	else if (!f->kvm_tdx[0])
		verdict(r, V_NA, strdup("kvm_intel not loaded, or without a tdx parameter (kernels before 6.16)"));
	else if (strcmp(f->kvm_tdx, "Y") && strcmp(f->kvm_tdx, "N") && strcmp(f->kvm_tdx, "1") &&
		 strcmp(f->kvm_tdx, "0"))
		cannot(r, strdup("/sys/module/kvm_intel/parameters/tdx holds neither Y nor N"));
	else if ((f->kvm_tdx[0] == 'Y' || f->kvm_tdx[0] == '1') && f->kernel.regime == REGIME_BOOT)
		verdict(r, V_PASS, strdup("kvm_intel.tdx=Y: KVM runs TDs on the TDX module the kernel initialized at boot"));
	else if (f->kvm_tdx[0] == 'Y' || f->kvm_tdx[0] == '1')
		verdict(r, V_PASS, strdup("kvm_intel.tdx=Y: KVM initializes TDX when it loads"));
	else if (f->kernel.regime == REGIME_KVM)
		verdict(r, V_WARN, strdup("kvm_intel.tdx=N: on this kernel only KVM can initialize TDX"));
	else if (f->kernel.regime == REGIME_ON_DEMAND && f->module.state == MS_ERROR) {
		/* 6.16-6.18: KVM's TDX setup fails on the kernel's failed module */
		verdict(r, V_WARN, strdup("kvm_intel.tdx=N and the TDX module's initialization failed: until reboot "
					  "kvm_intel cannot load with tdx=1"));
		r->hint = "reboot before loading kvm_intel with tdx=1 (the failure is sticky in the kernel)";
	} else if (f->kernel.regime == REGIME_ON_DEMAND)
		verdict(r, V_PASS, strdup("kvm_intel.tdx=N: TDX is left to tdxctl (on demand)"));
	else
		verdict(r, V_PASS, xstrfmt("kvm_intel.tdx=N (the kernel's regime: %s)", regime_name(f->kernel.regime)));
	(void)c;
}

/*
 * Whether KVM can create TDX VMs: KVM_CAP_VM_TYPES (6.10+) has bit
 * KVM_X86_TDX_VM where kvm_intel brought TDX up (6.16+, tdx=1).  Live
 * only: /dev/kvm opened read-only.  A replay never opens a device: it reads
 * <sysroot>/dev/kvm, a recorded "vm_types=0x21" (or the errno name of the
 * failure diag saw: "vm_types=EINVAL", ENOENT, EACCES, EPERM).
 */
static void c_kvm_vm_types(struct result *r, struct ctx *c)
{
	unsigned long types = 0;
	const char *path = sr_is_live() ? kvm_dev_path() : "/dev/kvm";
	int err = 0;

	(void)c;
	if (!sr_is_live()) {
		char buf[64], *p;

		if (sr_read("/dev/kvm", buf, sizeof(buf)) < 0 || !(p = strstr(buf, "vm_types="))) {
			verdict(r, V_SKIP, strdup("KVM's VM types not recorded in this replay (<sysroot>/dev/kvm)"));
			return;
		}
		p += strlen("vm_types=");
		if (!strncmp(p, "EINVAL", 6)) {
			err = -EINVAL;
		} else if (!strncmp(p, "ENOENT", 6)) {
			err = -ENOENT;
		} else if (!strncmp(p, "EACCES", 6)) {
			err = -EACCES;
		} else if (!strncmp(p, "EPERM", 5)) {
			err = -EPERM;
		} else {
			char *end;

			errno = 0;
			types = strtoul(p, &end, 0);
			if (errno || end == p || !types) {
				verdict(r, V_SKIP, strdup("<sysroot>/dev/kvm: no VM type mask recorded"));
				return;
			}
		}
	} else {
		err = kvm_vm_types(&types);
	}
	switch (-err) {
	case 0:
		break;
	case ENOENT:
		verdict(r, V_SKIP, xstrfmt("no %s: KVM is not loaded (modprobe kvm_intel)", path));
		return;
	case EINVAL:
		ev_add(r, "file", path, NULL, NULL, strdup("KVM_CHECK_EXTENSION(KVM_CAP_VM_TYPES): unknown"));
		verdict(r, V_SKIP, strdup("KVM does not know KVM_CAP_VM_TYPES (a kernel before 6.10): it cannot run TDs"));
		return;
	case EACCES: case EPERM:
		verdict(r, V_SKIP, xstrfmt("%s: permission denied (root, or the kvm group, needed)", path));
		return;
	default:
		verdict(r, V_SKIP, xstrfmt("%s: %s", path, strerror(-err)));
		return;
	}
	ev_add(r, "file", path, NULL, NULL, xstrfmt("KVM_CHECK_EXTENSION(KVM_CAP_VM_TYPES) = 0x%lx", types));
	r->observed = xstrfmt("0x%lx", types);
	if (types & (1ul << KVM_X86_TDX_VM_BIT))
		verdict(r, V_PASS, xstrfmt("KVM can create TDX VMs (VM types 0x%lx has KVM_X86_TDX_VM)", types));
	else
		verdict(r, V_FAIL, xstrfmt("KVM cannot create TDX VMs (VM types 0x%lx, no KVM_X86_TDX_VM): "
					   "QEMU will say 'vm-type tdx not supported by KVM'", types));
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
	if (f->drv.loaded && !f->drv.err) {
		verdict(r, V_PASS, xstrfmt("loaded, backend %s", tdx_backend_name(f->drv.ver.backend)));
		return;
	}
	if (f->drv.loaded) {
		verdict(r, V_WARN, xstrfmt("loaded, but %s", drv_reason(&f->drv)));
		return;
	}
	/* Not loaded: promise only what this kernel can give. */
	switch (f->kernel.regime) {
	case REGIME_ON_DEMAND:
		if (f->module.state == MS_INITIALIZED) {
			verdict(r, V_NA, strdup("not loaded; the kernel initialized TDX already"));
		} else {
			verdict(r, V_WARN, strdup("not loaded: on this kernel tdxctl enable needs it (kernel backend)"));
			r->hint = f->kernel.enable;
		}
		break;
	case REGIME_KVM:
		verdict(r, V_NA, xstrfmt("kernel %s lets only KVM initialize TDX; the driver cannot load its kernel backend",
					 f->krelease));
		r->hint = f->kernel.enable;
		break;
	case REGIME_BOOT:
		verdict(r, V_NA, xstrfmt("kernel %s initializes TDX at boot; the driver is not needed", f->krelease));
		break;
	case REGIME_NO_PLATFORM:
		verdict(r, V_NA, strdup("not a TDX host: the driver has nothing to enable (its emulated backend is for tests)"));
		break;
	case REGIME_NO_HOST_CORE:
		verdict(r, V_WARN, strdup("not loaded; without a kernel TDX host core only its emulated backend can run"));
		r->hint = f->kernel.enable;
		break;
	case REGIME_UNKNOWN:
		verdict(r, V_WARN, strdup("not loaded"));
		break;
	}
}

static void c_module(struct result *r, struct ctx *c)
{
	struct facts *f = &c->f;
	const char *st = module_state_name(f->module.state);

	r->observed = strdup(f->module.state == MS_REFUSED ? "refused" :
			     f->module.state == MS_UNKNOWN ? "unknown" : st);
	if (f->have_status) {
		ev_add(r, "driver", dev_path(), NULL, NULL, xstrfmt("state %s", tdx_state_name(f->st.state)));
		if (f->st.state == TDX_HOST_STATE_ERROR && (f->st.valid & TDX_HOST_STATUS_TDX_ERRORS))
			ev_add(r, "driver", dev_path(), NULL, NULL,
			       xstrfmt("0x%016llx", (unsigned long long)f->st.err_tdx_status));
		else if (f->st.state == TDX_HOST_STATE_ERROR)
			ev_add(r, "driver", dev_path(), NULL, NULL,
			       xstrfmt("%s; step and TDX status %s",
				       f->st.err_errno ? errno_name(f->st.err_errno) : "errno unknown",
				       not_reported(f->st.backend)));
	} else if (f->module.line) {
		ev_add(r, "kernel-log", NULL, NULL, NULL, strdup(f->module.line));
	}
	switch (f->module.state) {
	case MS_INITIALIZED:
		if (f->have_status && (f->st.valid & TDX_HOST_STATUS_MODULE_INFO))
			verdict(r, V_PASS, xstrfmt("initialized, version %u.%u.%02u", f->st.version_major,
						   f->st.version_minor, f->st.version_update));
		else if (f->have_status)
			verdict(r, V_PASS, xstrfmt("initialized, version %s", not_reported(f->st.backend)));
		else
			verdict(r, V_PASS, strdup("initialized by the kernel (kernel log)"));
		break;
	case MS_ERROR:
		if (f->have_status && !(f->st.valid & TDX_HOST_STATUS_TDX_ERRORS))
			verdict(r, V_FAIL, xstrfmt("initialization failed (%s; the %s backend does not report the "
						   "step or TDX status) (sticky until reboot)",
						   errno_name(f->st.err_errno ? f->st.err_errno : EIO),
						   tdx_backend_name(f->st.backend)));
		else if (f->have_status)
			verdict(r, V_FAIL, xstrfmt("initialization failed in %s: %s 0x%016llx (sticky until reboot)",
						   tdx_step_desc(f->st.err_step), tdx_status_name(f->st.err_tdx_status),
						   (unsigned long long)f->st.err_tdx_status));
		else
			verdict(r, V_FAIL, xstrfmt("the kernel failed to initialize it: \"%s\"", f->module.line));
		break;
	case MS_REFUSED:
		verdict(r, V_FAIL, xstrfmt("%s", f->module.reason));
		r->hint = hint_fix(f);
		break;
	case MS_UNINITIALIZED:
	case MS_INITIALIZING:
		if (f->have_status)
			verdict(r, V_WARN, xstrfmt("%s: run tdxctl enable", st));
		else
			verdict(r, V_WARN, xstrfmt("not initialized (kernel log); to enable: %s", f->kernel.enable));
		break;
	case MS_UNKNOWN:
		if (c->virt && !f->drv.loaded)
			na_virt(r, c);
		else if (c->unsupported && !f->drv.loaded)
			na_unsupported(r);
		else
			cannot(r, xstrfmt("%s, and no kernel verdict in the log", f->module.reason));
		break;
	}
}

/* A runtime update's readiness (7.2+): the loader attributes of the
 * tdx_host device and the firmware-upload device.  Informational: a host
 * runs TDs without ever updating. */
static void c_update(struct result *r, struct ctx *c)
{
	struct facts *f = &c->f;
	int left;
	bool fwu = sr_exists("/sys/class/firmware/tdx_module");

	if (!f->faux) {
		verdict(r, V_NA, strdup("no /sys/devices/faux/tdx_host: runtime updates need Linux 7.2+ "
					"with the TDX module initialized"));
		return;
	}
	if (f->seamldr_version_err == ENOENT && f->remaining_updates_err == ENOENT) {
		verdict(r, V_NA, strdup("the loader attributes are hidden: this TDX module or CPU does not "
					"support TD-preserving updates (TD_PRESERVING clear, or the "
					"seamret_invd_vmcs CPU bug)"));
		return;
	}
	if (f->seamldr_version_err || f->remaining_updates_err) {
		int e = f->remaining_updates_err ? f->remaining_updates_err : f->seamldr_version_err;

		cannot(r, xstrfmt("/sys/devices/faux/tdx_host loader attributes not readable (%s)%s",
				  errno_name(e), e == EACCES ? ": they are readable by root only" : ""));
		return;
	}
	ev_add(r, "file", "/sys/devices/faux/tdx_host/seamldr_version", NULL, NULL,
	       strndup(f->seamldr_version, strcspn(f->seamldr_version, "\n")));
	ev_add(r, "file", "/sys/devices/faux/tdx_host/num_remaining_updates", NULL, NULL,
	       strndup(f->remaining_updates, strcspn(f->remaining_updates, "\n")));
	ev_add(r, "file", "/sys/class/firmware/tdx_module", NULL, NULL, strdup(fwu ? "present" : "absent"));
	left = atoi(f->remaining_updates);
	r->observed = xstrfmt("%d", left);
	if (!fwu)
		verdict(r, V_WARN, strdup("no /sys/class/firmware/tdx_module: the kernel cannot take an "
					  "update (CONFIG_FW_UPLOAD, or the tdx-host driver not loaded)"));
	else if (left <= 0)
		verdict(r, V_WARN, strdup("no updates left until the next reboot"));
	else
		verdict(r, V_PASS, xstrfmt("%d update%s left, P-SEAMLDR %.*s", left, left == 1 ? "" : "s",
					   (int)strcspn(f->seamldr_version, "\n"), f->seamldr_version));
}

/*
 * The checks, in the order they run (later ones read earlier findings):
 * the one list of check IDs; explain, the completion and tdxctl(8) are
 * tested against it.  needs: what the runner checks before calling fn.
 */
const struct check_def check_defs[] = {
	{ "env.virtualization", "Running on bare metal", "environment", REQ_REQUIRED, 0, "bare-metal", c_env,
	  "The cpuinfo 'hypervisor' and 'tdx_guest' flags decide; the DMI vendor/product is shown "
	  "but decides nothing (a cloud's bare-metal instance names its cloud). A TDX host is the "
	  "machine itself; inside a virtual machine the hardware checks do not apply.",
	  "Run tdxctl check on the host itself. To try tdxctl inside a VM, load the driver with "
	  "its emulated backend: modprobe tdxctl backend=emulated && modprobe tdxctl_emu.",
	  "Whether tdxctl runs on the host itself rather than in a virtual machine or a TD." },
	{ "cpu.vendor", "Intel CPU", "cpu", REQ_REQUIRED, N_BARE, "GenuineIntel", c_vendor,
	  "vendor_id in /proc/cpuinfo must be GenuineIntel: TDX is an Intel technology.",
	  "Use a 4th generation Xeon Scalable (Sapphire Rapids) or newer Intel CPU.",
	  "Whether the CPU is an Intel CPU, the only kind that has TDX." },
	{ "cpu.vmx", "VMX on every CPU", "cpu", REQ_REQUIRED, N_BARE | N_TDXCPU, NULL, c_vmx,
	  "The 'vmx' cpuinfo flag on every online CPU: the TDX module is entered from VMX root mode.",
	  "Enable Intel Virtualization Technology (VT-x) in the BIOS.",
	  "Whether every online CPU has VT-x (vmx), which the TDX module is entered from." },
	{ "cpu.msr_access", "MSRs readable", "cpu", REQ_INFO, N_BARE | N_TDXCPU, NULL, c_msr_access,
	  "Reads MSRs through /dev/cpu/N/msr on every online CPU. Needs the msr driver and root; "
	  "tdxctl never loads the driver itself. Without it the BIOS checks are skipped.",
	  "Run as root after 'modprobe msr'.",
	  "Whether tdxctl can read the MSRs of every online CPU, the evidence of the BIOS checks." },
	{ "bios.seamrr.supported", "CPU supports SEAM", "bios", REQ_REQUIRED, N_BARE | N_TDXCPU | N_MSR, "0xFE bit 15 = 1", c_seamrr_sup,
	  "IA32_MTRRCAP (0xFE) bit 15 on every online CPU: the CPU has the SEAM range register "
	  "that holds the TDX module.",
	  "This CPU cannot run TDX; use a TDX-capable Xeon.",
	  "Whether the CPU has the SEAM range register that holds the TDX module." },
	{ "bios.seamrr.enabled", "SEAMRR enabled by the BIOS", "bios", REQ_REQUIRED, N_BARE | N_TDXCPU | N_MSR, "0x1401 bits 11,10 = 1; 0x1400 base set", c_seamrr_en,
	  "IA32_SEAMRR_PHYS_MASK (0x1401) bits 11 (enabled) and 10 (locked), and a base address in "
	  "IA32_SEAMRR_PHYS_BASE (0x1400), on every online CPU: what Linux requires.",
	  "Enable TDX in the BIOS (with it: TME, TME-MT/MK-TME, a TDX KeyID split and the SEAM loader).",
	  "Whether the BIOS enabled and locked the SEAM range (TDX on in the BIOS)." },
	{ "bios.tme", "TME enabled and locked by the BIOS", "bios", REQ_REQUIRED, N_BARE | N_TDXCPU | N_MSR, "0x982 bits 0,1 = 1", c_tme,
	  "IA32_TME_ACTIVATE (0x982) bits 0 (lock) and 1 (enable) on every online CPU.",
	  "Enable Total Memory Encryption (TME) and Multi-Key TME in the BIOS.",
	  "Whether the BIOS enabled and locked Total Memory Encryption, which TDX builds on." },
	{ "bios.keyids", "TDX private KeyIDs (at least 2)", "bios", REQ_REQUIRED, N_BARE | N_TDXCPU | N_MSR, ">= 2", c_keyids,
	  "IA32_MKTME_KEYID_PARTITIONING (0x87) bits 63:32 count the TDX private KeyIDs; Linux "
	  "needs at least 2 (one global KeyID for the PAMT, the rest for TDs).",
	  "In the BIOS, give TDX a KeyID split (for example 'TME-MT/TDX key split' non-zero).",
	  "Whether the BIOS gave TDX at least the 2 private KeyIDs Linux needs." },
	{ "msr.uniform", "TDX MSRs identical on every CPU", "cpu", REQ_REQUIRED, N_BARE | N_TDXCPU | N_MSR, NULL, c_uniform,
	  "MSRs 0x87, 0x981, 0x982, 0xFE, 0x1400 and 0x1401 compared across every online CPU. The TDX "
	  "module refuses a CPU whose MSRs differ from the first one (TDX_INCONSISTENT_MSR).",
	  "Update the BIOS and microcode so every socket is configured alike; check per-socket "
	  "BIOS settings.",
	  "Whether every CPU carries the same TDX configuration MSRs, as the TDX module requires." },
	{ "bios.tme_bypass", "TME bypass (informational)", "bios", REQ_INFO, N_BARE | N_TDXCPU | N_MSR, NULL, c_tme_bypass,
	  "IA32_TME_ACTIVATE (0x982) bit 31 on every online CPU, shown with the raw value: with TME "
	  "bypass on, memory outside TDs is not encrypted with the platform TME key (faster); TDX "
	  "works either way (Intel's check-tdx-host.sh treats it as optional).",
	  "Nothing is required; to change it, set 'TME Bypass' in the BIOS memory encryption settings.",
	  "Whether TME bypass is on, shown with the raw IA32_TME_ACTIVATE value for reference." },
	{ "bios.sgx", "SGX enabled by the BIOS", "bios", REQ_RECOMMENDED, N_BARE | N_TDXCPU | N_MSR, "0x3A bit 18 = 1", c_sgx,
	  "IA32_FEATURE_CONTROL (0x3A) bit 18 (SGX enabled) on every online CPU, as Intel's "
	  "check-tdx-host.sh reads it: TDs are attested through an SGX quoting enclave on the host.",
	  "Enable Software Guard Extensions (SGX) in the BIOS, with a PRMRR/EPC size set "
	  "(and 'SGX Factory Reset' if the BIOS offers it after a CPU or memory change).",
	  "Whether the BIOS enabled SGX, which TD attestation (the quoting enclave) needs." },
	{ "bios.mcheck_status", "SGX/MCHECK error status (informational)", "bios", REQ_INFO, N_BARE | N_TDXCPU | N_MSR, "0", c_mcheck,
	  "MSR 0xA0 on every online CPU, shown raw: canonical/tdx's system-report.sh expects 0; a "
	  "non-zero value is the code of an SGX/MCHECK failure the BIOS met (intel/tdx-tools reads it "
	  "when SEAMRR stays off).",
	  "Do an 'SGX Factory Reset' in the BIOS and reboot; if the value stays non-zero, report it "
	  "to the platform vendor with the BIOS version.",
	  "The SGX/MCHECK error status the BIOS left in MSR 0xA0, zero when none." },
	{ "bios.seamldr_svn", "SEAMLDR ACM SVN (informational)", "bios", REQ_INFO, N_BARE | N_TDXCPU | N_MSR, NULL, c_seamldr_svn,
	  "IA32_SGX_SVN_STATUS (0x500) bits 63:56 on every online CPU: the security version of the "
	  "SEAM loader ACM the BIOS carries (canonical/tdx read-seamldr-svn.sh); attestation "
	  "verifiers compare it with Intel's current TCB.",
	  "Update the BIOS to get a newer SEAM loader ACM when a verifier reports an out-of-date TCB.",
	  "The security version of the BIOS's SEAM loader ACM, for attestation TCB questions." },
	{ "cpu.production", "Production CPU (informational)", "cpu", REQ_INFO, N_BARE | N_TDXCPU | N_MSR, "production", c_production,
	  "MSR_PLATFORM_INFO (0xCE) bit 27 on every online CPU: set on pre-production parts "
	  "(canonical/tdx check-production.sh), whose attestation goes through Intel's pre-production "
	  "services rather than the production PCS.",
	  "Use production CPUs for attested workloads; on a pre-production part, point the PCCS at "
	  "Intel's pre-production (sandbox) services.",
	  "Whether the CPU is a production part or a pre-production sample." },
	{ "kernel.tdx_support", "Kernel TDX host support", "kernel", REQ_INFO, 0, ">= 6.8 with CONFIG_INTEL_TDX_HOST", c_tdx_support,
	  "The kernel's TDX regime, from what the system shows (cpuinfo, the virt/tdx: kernel log "
	  "lines, kvm and kvm_intel parameters, /sys/devices/faux/tdx_host, /boot/config-RELEASE) "
	  "and the release where nothing else tells: no host core (before 6.8, or without "
	  "CONFIG_INTEL_TDX_HOST: the tdxctl driver runs only its emulated backend); host core, no "
	  "TDX platform; on demand (6.8 to 6.18: the driver's kernel backend enables TDX); "
	  "KVM-owned (6.19 to 7.0: kvm_intel.tdx=1); boot-initialized (7.1+).",
	  "Boot a kernel built with CONFIG_INTEL_TDX_HOST=y.",
	  "Which TDX host support the running kernel has, and who can bring TDX up on it." },
	{ "kernel.tdx_host_platform", "Kernel accepted the TDX platform", "kernel", REQ_REQUIRED, 0, "present", c_platform,
	  "The 'tdx_host_platform' cpuinfo flag: the kernel found TDX KeyIDs at boot and its checks "
	  "passed. Compared with this tool's own MSR reading.",
	  "See kernel.log for the kernel's reason; boot with 'nohibernate'; use a kernel with "
	  "CONFIG_INTEL_TDX_HOST=y.",
	  "Whether the kernel accepted this machine as a TDX host at boot." },
	{ "kernel.log", "Kernel log about TDX", "kernel", REQ_REQUIRED, 0, NULL, c_log,
	  "The 'virt/tdx:' lines of the kernel log (live: /dev/kmsg; replay: <sysroot>/dev/kmsg): "
	  "the KeyID range the BIOS enabled, and any initialization failure.",
	  "Act on the quoted line; tdxctl explain decodes a quoted TDX status code.",
	  "What the kernel logged about TDX: the KeyID range, or why initialization failed." },
	{ "kernel.hibernation", "Hibernation disabled", "kernel", REQ_RECOMMENDED, 0, "nohibernate", c_hibernation,
	  "Linux refuses to initialize TDX while hibernation is possible.",
	  "Boot with 'nohibernate' on the kernel command line.",
	  "Whether hibernation is off, without which Linux refuses to initialize TDX." },
	{ "memory.pamt", "Contiguous memory for the PAMT", "memory", REQ_RECOMMENDED, 0,
	  "the PAMT's need free in the largest blocks", c_pamt,
	  "The TDX module's metadata (PAMT, about 1/256 of the memory, per TDMR: a node's memory "
	  "rounded to 1 GiB) is allocated physically contiguous when the TDX module is initialized. "
	  "Compared: the estimate from /proc/meminfo and the nodes' meminfo, and the memory free in "
	  "the largest blocks of /proc/buddyinfo (4 MiB on x86). Short of it, the allocation depends "
	  "on compaction; on a fragmented host it fails with ENOMEM, sticky until reboot on the "
	  "kernel backend.",
	  "Compact memory (echo 1 > /proc/sys/vm/compact_memory; tdxctl enable does it when memory is "
	  "short), or enable TDX soon after boot, before memory fragments.",
	  "Whether enough contiguous memory is free for the TDX module's PAMT." },
	{ "memory.cmr", "Memory in the BIOS memory map", "memory", REQ_RECOMMENDED, 0,
	  "no System RAM added after boot", c_cmr,
	  "The TDX module accepts only memory inside its CMRs, which the BIOS makes from the memory "
	  "present at boot; the kernel's TDMRs cover all memory it has when TDX is initialized. "
	  "Compared: the System RAM of /proc/iomem (root: addresses) with the usable ranges of the "
	  "BIOS memory map the kernel logged at boot (BIOS-e820 lines); \"System RAM (kmem)\" is device "
	  "memory (CXL, PMEM) and never in the CMRs. Such memory makes TDH.SYS.CONFIG fail, sticky "
	  "until reboot.",
	  "Initialize TDX before adding memory, or take that memory out first (offline and remove "
	  "its memory blocks; for kmem, daxctl reconfigure-device --mode=devdax).",
	  "Whether all memory was in the BIOS memory map at boot, so the TDX module accepts it." },
	{ "kvm.tdx", "KVM TDX parameter", "kvm", REQ_INFO, 0, NULL, c_kvm,
	  "/sys/module/kvm_intel/parameters/tdx: with Y (kernels 6.16+) KVM initializes TDX when "
	  "kvm_intel loads; from 6.19 that is the only way on such kernels.",
	  "Load kvm_intel with tdx=1 (options kvm_intel tdx=1 in /etc/modprobe.d) if KVM should own TDX.",
	  "Whether kvm_intel was loaded with TDX support (kvm_intel.tdx)." },
	{ "kvm.vm_types", "KVM can create TDX VMs", "kvm", REQ_RECOMMENDED, 0, "KVM_X86_TDX_VM (bit 5) set", c_kvm_vm_types,
	  "KVM_CHECK_EXTENSION(KVM_CAP_VM_TYPES) on /dev/kvm, opened read-only (kernels 6.10+; a "
	  "replay reads the value recorded in <sysroot>/dev/kvm): bit 5, KVM_X86_TDX_VM, is set once "
	  "kvm_intel has brought TDX up. Without it QEMU fails with 'vm-type tdx not supported by KVM'.",
	  "Boot a 6.16+ kernel and load kvm_intel with tdx=1 (options kvm_intel tdx=1 in "
	  "/etc/modprobe.d), with TDX initialized (module.state); kernels before 6.16 need a "
	  "vendor kernel with KVM TDX support.",
	  "Whether KVM offers the TDX VM type that QEMU needs to start a TD." },
	{ "driver.loaded", "tdxctl driver loaded", "driver", REQ_RECOMMENDED, 0, NULL, c_driver,
	  "/sys/module/tdxctl and /dev/tdx_host: the driver that enables TDX on demand. Needed "
	  "only where the kernel exports TDX enabling (6.8 to 6.18); n/a where KVM or the boot "
	  "code owns TDX, or on a host without a TDX platform.",
	  "On 6.8 to 6.18: load kvm_intel, then modprobe tdxctl (tdxctl enable holds a KVM VM open for VMX operation) "
	  "(test machines without TDX: modprobe tdxctl backend=emulated && modprobe tdxctl_emu).",
	  "Whether the tdxctl driver is loaded where this kernel needs it to enable TDX." },
	{ "module.state", "TDX module initialized", "module", REQ_REQUIRED, 0, "initialized", c_module,
	  "The TDX module state from the driver (or the kernel log when there is no driver): "
	  "uninitialized, initializing, initialized or error.",
	  "Run tdxctl enable. An error is sticky until reboot: tdxctl status shows the step and "
	  "status code, tdxctl explain CODE decodes it.",
	  "Whether the TDX module is initialized and ready to run TDs." },
	{ "module.update", "TDX module runtime update (informational)", "module", REQ_INFO, 0, ">= 1 update left", c_update,
	  "/sys/devices/faux/tdx_host/seamldr_version and num_remaining_updates (Linux 7.2+, root "
	  "only; hidden where TD-preserving updates are impossible) and the firmware-upload device "
	  "/sys/class/firmware/tdx_module that takes the update.",
	  "tdxctl module versions lists the available modules; tdxctl module update FILE installs one. "
	  "With no updates left, only a reboot loads a newer TDX module.",
	  "Whether the TDX module can be updated at runtime, and how many updates are left." },
};
const unsigned n_check_defs = sizeof(check_defs) / sizeof(check_defs[0]);

/* ---- output ---- */

static const struct {
	const char *name, *label;
	enum pr_color color;
} verdicts[V_NR] = {
	[V_NONE] = { "unknown", "UNKNOWN", C_DIM },
	[V_PASS] = { "pass", "PASS", C_GOOD },
	[V_FAIL] = { "fail", "FAIL", C_BAD },
	[V_WARN] = { "warn", "WARN", C_WARN },
	[V_UNKNOWN] = { "unknown", "UNKNOWN", C_DIM },
	[V_SKIP] = { "skip", "SKIP", C_DIM },
	[V_NA] = { "na", "N/A", C_DIM },
};

const char *verdict_name(enum verdict v)
{
	return v < V_NR ? verdicts[v].name : "unknown";
}

const char *verdict_label(enum verdict v)
{
	return v < V_NR ? verdicts[v].label : "UNKNOWN";
}

const char *requirement_name(enum requirement r)
{
	switch (r) {
	case REQ_REQUIRED: return "required";
	case REQ_RECOMMENDED: return "recommended";
	case REQ_INFO: break;
	}
	return "info";
}

const struct check_def *check_def_find(const char *id)
{
	for (unsigned i = 0; i < n_check_defs; i++)
		if (!strcmp(check_defs[i].id, id))
			return &check_defs[i];
	return NULL;
}

static void print_result(const struct result *r, int width)
{
	bool hint = r->status == V_FAIL || r->status == V_WARN;
	char *reason = pr_esc(r->reason ? r->reason : "");

	pr_obj_begin(NULL, NULL);
	pr_fmt("id", NULL, pv_str(r->def->id));
	pr_text("%s%-*s%s  %-25s %s\n", pr_c(verdicts[r->status].color), width, verdict_label(r->status),
		pr_c(C_NONE), r->def->id, reason);
	free(reason);
	pr_fmt("title", g.verbose ? "      title:    %s\n" : NULL, pv_str(r->def->title));
	pr_fmt("category", NULL, pv_str(r->def->category));
	pr_fmt("requirement", g.verbose ? "      required: %s\n" : NULL, pv_str(requirement_name(r->def->req)));
	pr_fmt("status", NULL, pv_str(verdict_name(r->status)));
	pr_fmt("reason", NULL, pv_str(r->reason));
	pr_fmt("observed", g.verbose && r->observed ? "      observed: %s" : NULL, pv_str(r->observed));
	pr_fmt("expected", g.verbose && r->observed && r->expected ? " (expected %s)" : NULL,
	       pv_str(r->expected));
	if (g.verbose && r->observed)
		pr_text("\n");
	/* -v: what a check that did not pass tells, and (unless the hint
	 * says it, or the check does not apply here) what to change */
	pr_fmt("description", g.verbose && r->status != V_PASS ? "      about:    %s\n" : NULL,
	       pv_str(r->def->desc));
	pr_fmt("hint", hint ? "      hint:     %s\n" : NULL,
	       pv_str(hint ? (r->hint ? r->hint : r->def->fix) : NULL));
	pr_fmt("fix", g.verbose && !hint && r->status != V_PASS && r->status != V_NA ?
	       "      fix:      %s\n" : NULL, pv_str(r->def->fix));
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
	{ "strict", OPT_STRICT, NULL, 0, "Warnings fail too (exit 1), skipped checks count as unknown (exit 8)", 0 },
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
	"driver and TDX module.  Verdicts: PASS, FAIL, WARN, UNKNOWN (a required check could not "
	"run), SKIP (another check could not run; the reason says why) and N/A (does not apply "
	"here, e.g. in a virtual machine).  -v adds evidence.\v"
	"Exit status: 0 every required check passed (warnings allowed unless --strict), 1 a "
	"required check failed, 8 a required check could not be run (--strict: any check), 4 not "
	"applicable (virtual machine, or a CPU that cannot run TDX).  "
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
	struct result *res;
	struct ctx c = { 0 };
	unsigned cnt[V_NR] = { 0 }, req_fail = 0;
	int width = 4;
	int rc = cmd_parse(&check_argp, argc, argv, &o);

	if (rc)
		return rc;
	if (o.only && (rc = only_valid(o.only)))
		return rc;
	facts_gather(&c.f, FACT_MSRS | FACT_DRIVER);
	if (g.cpu_arg) {
		struct cpuset *sel;

		if ((rc = parse_cpu_arg(g.cpu_arg, &c.f.m, &sel))) {
			facts_free(&c.f);
			return rc;
		}
		/* MSR checks on the listed online CPUs only; none is no evidence */
		cpuset_and(c.f.m.online, sel);
		cpuset_free(sel);
		if (cpuset_empty(c.f.m.online)) {
			pr_error(EXIT_USAGE, NULL, "check reads the MSRs of online CPUs; -c online is every one",
				 "CPU list '%s' selects no online CPU", g.cpu_arg);
			facts_free(&c.f);
			return EXIT_USAGE;
		}
	}

	derive(&c);
	res = calloc(n_check_defs, sizeof(*res));
	if (!res) {
		perror("tdxctl");
		exit(EXIT_FAILED);
	}
	/* Every check runs, in table order (later ones use earlier
	 * findings); --only filters what is reported. */
	for (unsigned i = 0; i < n_check_defs; i++) {
		const struct check_def *d = &check_defs[i];
		struct result *r = res_new(&res[i], d);

		if ((d->needs & N_BARE) && c.virt)
			na_virt(r, &c);
		else if ((d->needs & N_TDXCPU) && c.unsupported)
			na_unsupported(r);
		else if ((d->needs & N_MSR) && !c.msr_ok)
			cannot(r, xstrfmt("%s (cpu.msr_access)", c.msr_skip ? c.msr_skip : "MSRs not readable"));
		else
			d->fn(r, &c);
		if (r->status == V_NONE)
			cannot(r, strdup("not evaluated"));
	}

	for (unsigned i = 0; i < n_check_defs; i++)
		if (selected(o.only, res[i].def->id) && res[i].status == V_UNKNOWN)
			width = 7;
	pr_kv("environment", NULL, pv_str(platform_name(c.f.platform)));
	pr_arr_begin("checks", NULL);
	for (unsigned i = 0; i < n_check_defs; i++) {
		const struct result *r = &res[i];

		if (!selected(o.only, r->def->id))
			continue;
		print_result(r, width);
		cnt[r->status]++;
		if (r->status == V_FAIL && r->def->req == REQ_REQUIRED)
			req_fail++;
	}
	pr_arr_end();

	pr_text("\n");
	pr_obj_begin("summary", NULL);
	unsigned total = cnt[V_PASS] + cnt[V_FAIL] + cnt[V_WARN] + cnt[V_SKIP] + cnt[V_NA] + cnt[V_UNKNOWN];

	pr_fmt("total", total == 1 ? "%s check: " : "%s checks: ", pv_u(total));
	pr_fmt("pass", "%s pass", pv_u(cnt[V_PASS]));
	pr_fmt("fail", ", %s fail", pv_color(pv_u(cnt[V_FAIL]), cnt[V_FAIL] ? C_BAD : C_NONE));
	pr_fmt("required_failed", " (%s required)", pv_u(req_fail));
	pr_fmt("warn", ", %s warn", pv_u(cnt[V_WARN]));
	pr_fmt("unknown", cnt[V_UNKNOWN] ? ", %s unknown" : NULL, pv_u(cnt[V_UNKNOWN]));
	pr_fmt("skip", ", %s skip", pv_u(cnt[V_SKIP]));
	pr_fmt("na", ", %s n/a\n", pv_u(cnt[V_NA]));
	pr_obj_end();

	if (c.virt) {
		rc = EXIT_NOTSUP;
		pr_error(rc, NULL, "run tdxctl check on the host itself (tdxctl status says what this VM can do)",
			 "not applicable: running in a %s", c.f.tdx_guest ? "TDX guest" : "virtual machine");
	} else if (c.unsupported) {
		rc = EXIT_NOTSUP;
		pr_error(rc, NULL, "TDX needs an Intel Xeon with SEAM support (4th generation Xeon Scalable or newer)",
			 "this CPU cannot run TDX");
	} else if (req_fail || (o.strict && (cnt[V_WARN] || cnt[V_FAIL]))) {
		rc = EXIT_FAILED;
		pr_error(rc, NULL, "the hint under each FAIL says what to do; tdxctl explain ID tells more",
			 "%u required check%s failed%s", req_fail, req_fail == 1 ? "" : "s",
			 o.strict && cnt[V_WARN] ? " (--strict: warnings count)" : "");
	} else if (cnt[V_UNKNOWN] || (o.strict && cnt[V_SKIP])) {
		rc = EXIT_UNKNOWN;
		pr_error(rc, NULL, "each UNKNOWN or SKIP line says what was missing (often: run as root, modprobe msr)",
			 "%u required check%s could not be run%s", cnt[V_UNKNOWN], cnt[V_UNKNOWN] == 1 ? "" : "s",
			 o.strict && cnt[V_SKIP] ? (cnt[V_UNKNOWN] ? "; --strict: skipped checks count" :
						 " (--strict: skipped checks count)") : "");
	}
	for (unsigned i = 0; i < n_check_defs; i++)
		res_free(&res[i]);
	free(res);
	free(c.msr_skip);
	facts_free(&c.f);
	return rc;
}
