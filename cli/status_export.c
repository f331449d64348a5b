// SPDX-License-Identifier: GPL-2.0-only
/*
 * status_export.c - tdxctl status --format prometheus|nfd [--output-file FILE]
 *
 * prometheus: the node_exporter textfile collector's format (the
 * Prometheus text exposition format 0.0.4): every metric with HELP and
 * TYPE, names prefixed tdxctl_, units in the names.  nfd: a
 * node-feature-discovery features.d file, one name=value line a label,
 * names prefixed tdxctl.tdx. so that none is one of NFD's own
 * (cpu-security.tdx.*).  man tdxctl(8) has both tables.
 *
 * The document is built in memory, then written whole: to stdout, or to
 * a temporary file beside FILE that takes FILE's name by rename() only
 * once it is complete and synced, so a reader sees the old file or the
 * new one, never a part.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "print.h"
#include "status_export.h"
#include "tdxctl.h"

int status_format_parse(const char *s)
{
	static const char *const names[] = { "text", "json", "prometheus", "nfd" };

	for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

struct pv sv_u(struct sv_num *slot, struct pv v)
{
	slot->known = v.t == PV_UINT;
	slot->v = slot->known ? v.u : 0;
	return v;
}

struct pv sv_s(char *slot, size_t len, struct pv v)
{
	slot[0] = '\0';
	if (v.t == PV_STR && v.s)
		snprintf(slot, len, "%s", v.s);
	else if (v.t == PV_HEX)
		snprintf(slot, len, "0x%016llx", (unsigned long long)v.u);
	return v;
}

/* ---- prometheus ---- */

/* A label value as the exposition format wants it: valid UTF-8, with
 * backslash, double quote and newline escaped. */
static void prom_label(FILE *o, const char *name, const char *value, bool *first)
{
	char *u = pr_utf8(value);
	const char *p = u ? u : "";

	fprintf(o, "%s%s=\"", *first ? "{" : ",", name);
	*first = false;
	for (; *p; p++) {
		if (*p == '\\')
			fputs("\\\\", o);
		else if (*p == '"')
			fputs("\\\"", o);
		else if (*p == '\n')
			fputs("\\n", o);
		else
			fputc(*p, o);
	}
	fputc('"', o);
	free(u);
}

static void prom_head(FILE *o, const char *name, const char *help)
{
	fprintf(o, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* name{label="value"} v, or name v when label is NULL */
static void prom_u(FILE *o, const char *name, const char *label, const char *lv, uint64_t v)
{
	bool first = true;

	fputs(name, o);
	if (label) {
		prom_label(o, label, lv, &first);
		fputc('}', o);
	}
	fprintf(o, " %llu\n", (unsigned long long)v);
}

/* A gauge of one series, only when its value is known. */
static void prom_known(FILE *o, const char *name, const char *help, const struct sv_num *n, uint64_t scale)
{
	if (!n->known)
		return;
	prom_head(o, name, help);
	prom_u(o, name, NULL, NULL, n->v * scale);
}

/* An _info metric: value 1, the known (non-empty) labels. */
static void prom_info(FILE *o, const char *name, const char *help, const char *const *kv, size_t n)
{
	bool first = true;

	prom_head(o, name, help);
	fputs(name, o);
	for (size_t i = 0; i + 1 < n; i += 2)
		if (kv[i + 1] && kv[i + 1][0])
			prom_label(o, kv[i], kv[i + 1], &first);
	fputs(first ? " 1\n" : "} 1\n", o);
}

static void prometheus(FILE *o, const struct status_values *v, int exit_code)
{
	static const char *const states[] = {
		"uninitialized", "initializing", "initialized", "error", "unavailable", "unknown",
	};
	static const char *const regimes[] = {
		"unknown", "no-host-core", "no-platform", "on-demand", "kvm-owned", "boot-initialized",
	};
	char abi[24] = "";

	prom_info(o, "tdxctl_build_info", "The tdxctl that wrote these metrics.",
		  (const char *const[]){ "version", TDXCTL_VERSION }, 2);
	prom_head(o, "tdxctl_status_exit_code",
		  "Exit code of tdxctl status (0: the state was read; 4: TDX unavailable; see tdxctl(8)).");
	prom_u(o, "tdxctl_status_exit_code", NULL, NULL, (uint64_t)exit_code);

	prom_head(o, "tdxctl_driver_loaded", "1 if the tdxctl driver (tdx_host) is loaded.");
	prom_u(o, "tdxctl_driver_loaded", NULL, NULL, v->driver_loaded);
	if (v->abi_version.known)
		snprintf(abi, sizeof(abi), "%llu", (unsigned long long)v->abi_version.v);
	if (v->backend[0] || abi[0] || v->driver_version[0])
		prom_info(o, "tdxctl_driver_info", "The driver's backend, ABI version and version (known ones only).",
			  (const char *const[]){ "backend", v->backend, "abi_version", abi,
						 "version", v->driver_version }, 6);

	prom_head(o, "tdxctl_kernel_regime", "The kernel's TDX regime: 1 for the current one.");
	for (size_t i = 0; i < sizeof(regimes) / sizeof(regimes[0]); i++)
		prom_u(o, "tdxctl_kernel_regime", "regime", regimes[i], !strcmp(v->regime, regimes[i]));

	prom_head(o, "tdxctl_module_state", "The TDX module state: 1 for the current one, 0 for the others.");
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		prom_u(o, "tdxctl_module_state", "state", states[i], !strcmp(v->state, states[i]));
	if (v->version[0]) {
		char bd[24] = "", bn[24] = "";

		if (v->build_date.known)
			snprintf(bd, sizeof(bd), "%llu", (unsigned long long)v->build_date.v);
		if (v->build_num.known)
			snprintf(bn, sizeof(bn), "%llu", (unsigned long long)v->build_num.v);
		prom_info(o, "tdxctl_module_info", "The TDX module's version, build date and build number (known ones only).",
			  (const char *const[]){ "version", v->version, "build_date", bd, "build_num", bn,
						 "source", v->source }, 8);
	}
	if (v->seamldr_version[0])
		prom_info(o, "tdxctl_seamldr_info", "The P-SEAMLDR version.",
			  (const char *const[]){ "version", v->seamldr_version }, 2);
	prom_known(o, "tdxctl_module_updates_remaining", "TD-preserving TDX module updates left.",
		   &v->remaining_updates, 1);

	prom_head(o, "tdxctl_module_error", "1 if the TDX module's initialization failed (sticky until reboot).");
	prom_u(o, "tdxctl_module_error", NULL, NULL, v->failed);
	if (v->failed && (v->err_step[0] || v->err_errno[0] || v->err_tdx_status[0]))
		prom_info(o, "tdxctl_module_error_info", "The failure: step, errno and TDX status (known ones only).",
			  (const char *const[]){ "step", v->err_step, "errno", v->err_errno,
						 "tdx_status", v->err_tdx_status }, 6);
	if (v->enable_ns.known) {
		prom_head(o, "tdxctl_module_enable_seconds", "Time the TDX module's initialization took.");
		fprintf(o, "tdxctl_module_enable_seconds %.9f\n", (double)v->enable_ns.v / 1e9);
	}
	prom_known(o, "tdxctl_module_tdmrs_max", "TDMRs the TDX module accepts at most.", &v->max_tdmrs, 1);
	prom_known(o, "tdxctl_module_tdmrs", "TDMRs configured.", &v->tdmrs, 1);
	prom_known(o, "tdxctl_pamt_bytes", "Memory of the PAMTs.", &v->pamt_kb, 1024);
	prom_known(o, "tdxctl_global_keyid", "The TDX global KeyID.", &v->global_keyid, 1);
	prom_known(o, "tdxctl_guest_keyid_first", "The first TDX guest KeyID.", &v->guest_first, 1);
	if (v->guest_count.known) {
		prom_head(o, "tdxctl_keyids", "TDX KeyIDs, by kind (guest: for TDs).");
		prom_u(o, "tdxctl_keyids", "kind", "guest", v->guest_count.v);
	}

	{
		const struct { const char *state; const struct sv_num *n; } cpus[] = {
			{ "possible", &v->possible }, { "present", &v->present },
			{ "online", &v->online }, { "enabled", &v->enabled },
		};
		bool any = false;

		for (size_t i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++) {
			if (!cpus[i].n->known)
				continue;
			if (!any)
				prom_head(o, "tdxctl_cpus", "CPUs, by state (enabled: online and TDX-enabled).");
			any = true;
			prom_u(o, "tdxctl_cpus", "state", cpus[i].state, cpus[i].n->v);
		}
	}
	prom_known(o, "tdxctl_module_cpus", "CPUs the TDX module counts.", &v->module_lp_count, 1);
	prom_known(o, "tdxctl_module_packages", "CPU packages the TDX module counts.", &v->module_packages, 1);
}

/* ---- nfd ---- */

/* A Kubernetes label value: at most 63 characters, alphanumerics at both
 * ends, -_. and alphanumerics between. */
static bool label_value_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 63)
		return n == 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool an = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

		if (!an && ((i == 0 || i == n - 1) || (c != '-' && c != '_' && c != '.')))
			return false;
	}
	return true;
}

/* name=value; a value that is not a valid label value is left out */
static void nfd_s(FILE *o, const char *name, const char *value)
{
	if (value && value[0] && label_value_ok(value))
		fprintf(o, "tdxctl.tdx.%s=%s\n", name, value);
}

static void nfd_u(FILE *o, const char *name, const struct sv_num *n)
{
	if (n->known)
		fprintf(o, "tdxctl.tdx.%s=%llu\n", name, (unsigned long long)n->v);
}

static void nfd(FILE *o, const struct status_values *v)
{
	nfd_s(o, "driver-loaded", v->driver_loaded ? "true" : "false");
	nfd_s(o, "regime", v->regime);
	nfd_s(o, "module-state", v->state);
	nfd_s(o, "module-initialized", !strcmp(v->state, "initialized") ? "true" : "false");
	nfd_s(o, "module-version", v->version);
	nfd_u(o, "module-updates-remaining", &v->remaining_updates);
	nfd_u(o, "guest-keyids", &v->guest_count);
	if (v->online.known && v->enabled.known)
		nfd_s(o, "all-cpus-enabled", v->online.v == v->enabled.v ? "true" : "false");
}

/* ---- writing ---- */

static int write_fail(const char *what, const char *path, int e)
{
	pr_error(e == EACCES || e == EPERM || e == EROFS ? EXIT_PERM : EXIT_FAILED, errno_name(e), NULL,
		 "%s %s: %s; nothing written", what, path, strerror(e));
	return e == EACCES || e == EPERM || e == EROFS ? EXIT_PERM : EXIT_FAILED;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t w = write(fd, buf, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno;
		if (w == 0)
			return EIO;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/* path: a temporary ".NAME.tmpXXXXXX" in its directory (the textfile
 * collector reads only *.prom; NFD's local source reads every file, and
 * would find this one empty or whole: one write), 0644, synced, renamed
 * to path; nothing left behind on any error. */
static int write_atomic(const char *path, const char *buf, size_t len)
{
	char *d = strdup(path), *b = strdup(path), *tmp = NULL;
	int fd = -1, e = 0;
	const char *what = "cannot write";

	if (!d || !b || asprintf(&tmp, "%s/.%s.tmpXXXXXX", dirname(d), basename(b)) < 0) {
		tmp = NULL;
		e = ENOMEM;
		goto out;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		e = errno;
		what = "cannot create a temporary file beside";
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (fchmod(fd, 0644) < 0 || (e = write_all(fd, buf, len)) || fsync(fd) < 0) {
		e = e ? e : errno;
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		e = errno;
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		e = errno;
		what = "cannot replace";
		goto out;
	}
	/* the rename itself reaches the disk with its directory */
	{
		int dfd = open(dirname(d), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
	free(tmp);
	tmp = NULL;
out:
	if (fd >= 0)
		close(fd);
	if (tmp)
		unlink(tmp);
	free(tmp);
	free(d);
	free(b);
	return e ? write_fail(what, path, e) : 0;
}

int status_export(enum status_format fmt, const struct status_values *v, int exit_code,
		  const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *o = open_memstream(&buf, &len);
	int rc = 0;

	if (!o)
		return write_fail("cannot build", path ? path : "stdout", errno);
	if (fmt == SF_PROMETHEUS)
		prometheus(o, v, exit_code);
	else
		nfd(o, v);
	if (fclose(o)) {
		free(buf);
		return write_fail("cannot build", path ? path : "stdout", ENOMEM);
	}
	if (path && strcmp(path, "-")) {
		rc = write_atomic(path, buf, len);
	} else {
		fwrite(buf, 1, len, stdout);
		if (fflush(stdout) || ferror(stdout))
			rc = write_fail("cannot write", "stdout", errno ? errno : EIO);
	}
	free(buf);
	return rc;
}
