// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_diag.c - tdxctl diag: one archive a support engineer can read,
 * replay offline (tdxctl --sysroot DIR status|check) and verify.
 *
 * The inputs are not a list kept here: version, status --cpus and check
 * run in this process with the sysroot layer's tap on (sr_tap()), and
 * every path they read or probe is what the bundle carries, laid out at
 * its own path below the archive's top directory.  Each file is read
 * whole under the sysroot layer's bounds, then written to the archive
 * (libarchive, gzip) at once: memory holds one file at a time.
 */
#include <archive.h>
#include <archive_entry.h>
#include <argp.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <arpa/inet.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "dev.h"
#include "diag.h"
#include "dlib.h"
#include "facts.h"
#include "kmsg.h"
#include "print.h"
#include "redact.h"
#include "sha256.h"
#include "sysroot.h"
#include "tdxctl.h"

#define MANIFEST_SCHEMA_VERSION 2

struct diag_opts {
	const char *out;
	const char *verify;
	int no_redact;
};

enum { OPT_NO_REDACT = 0x500, OPT_VERIFY };

static const struct argp_option diag_options[] = {
	{ "output", 'o', "FILE", 0,
	  "Write the bundle to FILE ('-': standard output; default tdxctl-diag-TIMESTAMP.tar.gz)", 0 },
	{ "no-redact", OPT_NO_REDACT, NULL, 0,
	  "Keep identifying data (DMI serials and UUIDs, the hostname and domain, user names, MAC, IP addresses and UUIDs in the log, the command line and module parameters)", 0 },
	{ "verify", OPT_VERIFY, "FILE", 0, "Check a bundle's files against its manifest", 0 },
	{ 0 }
};

static error_t diag_parse(int key, char *arg, struct argp_state *state)
{
	struct diag_opts *o = state->input;

	switch (key) {
	case 'o':
		o->out = arg;
		return 0;
	case OPT_NO_REDACT:
		o->no_redact = 1;
		return 0;
	case OPT_VERIFY:
		o->verify = arg;
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "diag takes no arguments");
		return 0;
	case ARGP_KEY_END:
		if (o->verify && (o->out || o->no_redact))
			argp_error(state, "--verify reads a bundle; -o and --no-redact make one");
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static const struct argp diag_argp = {
	diag_options, diag_parse, "",
	"Collect one compressed archive (tar, gzip) for support: the JSON of version, status "
	"--cpus and check -v, and the raw files they read, laid out as a sysroot tree, so that "
	"'tdxctl --sysroot DIR status' replays the analysis after 'tar xf'.  manifest.json lists "
	"every file with its size and SHA-256, what could not be collected and why, and what was "
	"redacted.  Needs neither root nor the driver: what needs root is listed as missing.\v"
	"Exit status 3 (partial): the bundle was written, but some source could not be read.",
	global_children, NULL, NULL
};

/* ---- the driver's replies (dev_record) ---- */

/* The first reply to each call; a later one that differs is counted. */
struct replies {
	bool seen[DEV_NCALLS];
	int err[DEV_NCALLS];
	void *data[DEV_NCALLS];
	size_t len[DEV_NCALLS];
	unsigned changed;
};

static void record(enum dev_call call, int err, const void *data, size_t len, void *arg)
{
	struct replies *r = arg;

	if (err)
		len = 0;
	if (r->seen[call]) {
		if (r->err[call] != err || r->len[call] != len ||
		    (len && memcmp(r->data[call], data, len)))
			r->changed++;
		return;
	}
	r->seen[call] = true;
	r->err[call] = err;
	r->len[call] = len;
	if (len && (r->data[call] = malloc(len)))
		memcpy(r->data[call], data, len);
	else
		r->len[call] = 0;
}

/* The driver's replies at dev/tdx_host/ (dev.c replays them), each one
 * described in the manifest. */
static json_object *put_replies(struct bundle *b, const struct replies *r)
{
	static const char *const ioctl_name[DEV_NCALLS] = {
		NULL, "TDX_HOST_IOC_VERSION", "TDX_HOST_IOC_STATUS", "TDX_HOST_IOC_CPU_TABLE",
	};
	static const char *const layout[DEV_NCALLS] = {
		NULL, "struct tdx_host_version", "struct tdx_host_status",
		"struct tdx_host_cpu_info[]",
	};
	json_object *drv = json_object_new_object(), *list = json_object_new_array();
	const char *open_err = r->seen[DEV_OPEN] && r->err[DEV_OPEN] ? errno_name(r->err[DEV_OPEN]) : NULL;

	json_object_object_add(drv, "device", json_object_new_string(DEFAULT_DEVICE));
	json_object_object_add(drv, "open", json_object_new_string(!r->seen[DEV_OPEN] ? "not tried" :
								    open_err ? open_err : "ok"));
	json_object_object_add(drv, "abi_version", json_object_new_int(TDX_HOST_ABI_VERSION));
	/* not there (ENOENT): nothing to replay, the bundle has no node either */
	if (r->seen[DEV_OPEN] && r->err[DEV_OPEN] != ENOENT) {
		for (int c = 0; c < DEV_NCALLS; c++) {
			json_object *o;
			char rel[64], what[256], text[64];

			if (!r->seen[c] || (c == DEV_OPEN && !r->err[c]))
				continue;
			o = json_object_new_object();
			if (r->err[c]) {
				snprintf(rel, sizeof(rel), "dev/tdx_host/%s.errno", dev_call_name[c]);
				snprintf(text, sizeof(text), "%d %s\n", r->err[c], errno_name(r->err[c]));
				put_file(b, rel, text, strlen(text));
				snprintf(what, sizeof(what), "%s%s failed: %s (errno, as text)",
					 c == DEV_OPEN ? "open of " DEFAULT_DEVICE : ioctl_name[c],
					 c == DEV_OPEN ? "" : " on " DEFAULT_DEVICE, errno_name(r->err[c]));
			} else {
				snprintf(rel, sizeof(rel), "dev/tdx_host/%s", dev_call_name[c]);
				put_file(b, rel, r->data[c] ? r->data[c] : "", r->len[c]);
				if (c == DEV_CPU_TABLE)
					snprintf(what, sizeof(what), "the reply of %s: %zu records of %zu bytes, "
						 "one per possible CPU", ioctl_name[c],
						 r->len[c] / sizeof(struct tdx_host_cpu_info),
						 sizeof(struct tdx_host_cpu_info));
				else
					snprintf(what, sizeof(what), "the reply of %s: %s as the driver wrote it",
						 ioctl_name[c], layout[c]);
			}
			json_object_object_add(o, "path", json_object_new_string(rel));
			json_object_object_add(o, "call", json_object_new_string(dev_call_name[c]));
			json_object_object_add(o, "ioctl", ioctl_name[c] ? json_object_new_string(ioctl_name[c]) : NULL);
			json_object_object_add(o, "layout", r->err[c] ? json_object_new_string("errno as text: \"NUMBER NAME\"")
								      : json_object_new_string(layout[c]));
			json_object_object_add(o, "what", json_object_new_string(what));
			json_object_array_add(list, o);
		}
	}
	json_object_object_add(drv, "byte_order", json_object_new_string("little-endian (x86-64), as in linux/tdx_host.h"));
	json_object_object_add(drv, "replies", list);
	/* version, status and check each asked; every later reply equal to the first */
	json_object_object_add(drv, "steady", json_object_new_boolean(!r->changed));
	return drv;
}

/*
 * The driver is a source like a file: not there (no device, module not
 * loaded) is absent; loaded but its device missing, or a device that
 * could not be opened (permission, not the tdxctl ABI, refused under
 * --sysroot) is missing, with the reason, and the bundle is partial.
 */
static void note_driver(struct bundle *b, const struct replies *r)
{
	struct drv d = { .err = r->seen[DEV_OPEN] ? r->err[DEV_OPEN] : 0 };
	char reason[256];

	if (!d.err)
		return;
	d.loaded = dev_driver_loaded() || d.err != ENOENT;
	if (!d.loaded) {
		json_object_array_add(b->absent, json_object_new_string(DEFAULT_DEVICE + 1));
		return;
	}
	snprintf(reason, sizeof(reason), "the driver's device could not be opened: %s", drv_reason(&d));
	note_missing(b, DEFAULT_DEVICE + 1, d.err, d.err == EACCES || d.err == EPERM ? why(d.err) : reason);
}

/* ---- running the commands, their JSON captured ---- */

struct captured {
	const char *name;	/* file name below tdxctl/ */
	char *json;
	size_t len;
	int rc;
};

static void capture(struct captured *c, const char *command, int (*fn)(int, char **),
		    const char *arg)
{
	char a0[64], a1[64];
	char *argv[] = { a0, a1, NULL };
	int saved, fd, json = g.json, pretty = g.json_pretty, quiet = g.quiet, verbose = g.verbose;
	off_t len;

	snprintf(a0, sizeof(a0), "tdxctl %s", command);
	snprintf(a1, sizeof(a1), "%s", arg ? arg : "");
	c->json = NULL;
	c->len = 0;
	fflush(stdout);
	fd = memfd_create("tdxctl-diag", MFD_CLOEXEC);
	saved = fd < 0 ? -1 : fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	if (saved < 0 || dup2(fd, STDOUT_FILENO) < 0) {
		c->rc = EXIT_FAILED;
		if (fd >= 0)
			close(fd);
		if (saved >= 0)
			close(saved);
		return;
	}
	g.json = 1;
	g.json_pretty = 1;
	g.quiet = 0;
	pr_reset();
	pr_set_command(command);
	c->rc = pr_finish(fn(arg ? 2 : 1, argv));
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	g.json = json;
	g.json_pretty = pretty;
	g.quiet = quiet;
	g.verbose = verbose;
	pr_set_command("diag");
	len = lseek(fd, 0, SEEK_END);
	if (len > 0 && (c->json = malloc((size_t)len + 1)) &&
	    pread(fd, c->json, (size_t)len, 0) == len) {
		c->json[len] = '\0';
		c->len = (size_t)len;
	} else {
		free(c->json);
		c->json = NULL;
	}
	close(fd);
}

/* ---- diag ---- */

/* manifest.json: what the bundle holds, and what it could not collect */
static json_object *put_manifest(struct bundle *b, const struct captured *cap, const char *created,
				 const char *krel, json_object *drv, json_object *config)
{
	json_object *man, *cmds, *red;

	man = json_object_new_object();
	json_object_object_add(man, "format", json_object_new_string("tdxctl-diag"));
	json_object_object_add(man, "schema_version", json_object_new_int(MANIFEST_SCHEMA_VERSION));
	json_object_object_add(man, "tool_version", json_object_new_string(TDXCTL_VERSION));
	json_object_object_add(man, "created", json_object_new_string(created));
	json_object_object_add(man, "kernel", krel[0] ? json_object_new_string(krel) : NULL);
	json_object_object_add(man, "source", json_object_new_string(sr_is_live() ? "live" : "sysroot"));
	json_object_object_add(man, "root", json_object_new_boolean(geteuid() == 0));
	cmds = json_object_new_object();
	for (size_t i = 0; i < 3; i++)
		json_object_object_add(cmds, cap[i].name, json_object_new_int(cap[i].rc));
	json_object_object_add(man, "exit_status", cmds);
	json_object_object_add(man, "driver", drv);
	if (!b->kernel_log) {	/* never asked (cannot happen: status reads it) */
		struct klog_source none = { .journal = "not tried" };

		note_klog(b, &none, 0);
	}
	json_object_object_add(man, "kernel_log", b->kernel_log);
	json_object_object_add(man, "kernel_config", config);
	json_object_object_add(man, "files", b->files);
	json_object_object_add(man, "missing", json_object_get(b->missing));
	json_object_object_add(man, "absent", b->absent);
	red = json_object_new_object();
	json_object_object_add(red, "enabled", json_object_new_boolean(b->redact));
	json_object_object_add(red, "redacted", b->redacted);
	json_object_object_add(man, "redaction", red);
	{
		const char *text = json_object_to_json_string_ext(man, JSON_C_TO_STRING_PRETTY |
								 JSON_C_TO_STRING_SPACED |
								 JSON_C_TO_STRING_NOSLASHESCAPE);
		size_t n = strlen(text);
		char *t = malloc(n + 2);

		b->files = NULL;		/* the manifest is not listed in itself */
		if (t) {
			memcpy(t, text, n);
			t[n++] = '\n';
			put_file(b, "manifest.json", t, n);
			free(t);
		}
	}
	return man;
}

static void diag_cleanup(struct bundle *b, struct captured *cap, struct replies *rep,
			 struct seen *seen, json_object *man)
{
	json_object_put(b->missing);
	json_object_put(man);
	redact_free(&b->red);
	for (size_t i = 0; i < 3; i++)
		free(cap[i].json);
	for (int c = 0; c < DEV_NCALLS; c++)
		free(rep->data[c]);
	seen_free(seen);
}

/* The figures of a written bundle, and what it lacks. */
static void print_result(const struct bundle *b, const char *name, json_object *man, size_t nmissing)
{
	pr_kv("file", "bundle", strcmp(name, "-") ? pv_str(name) : pv_null("standard output"));
	pr_kv("files", "files", pv_u(json_object_array_length(json_object_object_get(man, "files"))));
	pr_kv("bytes", "bytes", pv_u(b->bytes));
	pr_kv("redacted", "redaction", pv_text(pv_bool(b->redact), b->redact ? "on" : "off (--no-redact)"));
	pr_arr_begin("missing", nmissing ? "not collected" : NULL);
	for (size_t i = 0; i < nmissing; i++) {
		json_object *m = json_object_array_get_idx(b->missing, i);
		char line[PATH_MAX + 128];

		snprintf(line, sizeof(line), "%s: %s", json_object_get_string(json_object_object_get(m, "path")),
			 json_object_get_string(json_object_object_get(m, "reason")));
		pr_obj_begin(NULL, NULL);
		pr_kv("path", NULL, pv_str(json_object_get_string(json_object_object_get(m, "path"))));
		pr_kv("errno", NULL, pv_str(json_object_get_string(json_object_object_get(m, "errno"))));
		pr_kv("reason", NULL, pv_str(json_object_get_string(json_object_object_get(m, "reason"))));
		pr_obj_end();
		pr_text("  %s\n", line);
	}
	pr_arr_end();
}

static int make_bundle(const struct diag_opts *o)
{
	struct bundle b = { 0 };
	struct seen seen = { 0 };
	struct replies rep = { 0 };
	struct captured cap[3] = { { .name = "version" }, { .name = "status" }, { .name = "check" } };
	struct diag_out out;
	char created[32], krel[128] = "";
	const char *name;
	json_object *man, *drv, *config;
	struct tm tm;
	int rc = EXIT_OK, err;
	size_t nmissing;

	b.now = time(NULL);
	b.redact = !o->no_redact;
	gmtime_r(&b.now, &tm);
	strftime(b.top, sizeof(b.top), "tdxctl-diag-%Y%m%dT%H%M%SZ", &tm);
	strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", &tm);
	rc = out_open(&out, o->out, b.now);
	if (rc < 0)
		return -rc;
	name = out.name;

	/* the commands, each path they read and each reply of the driver recorded */
	sr_tap(tap, &seen);
	dev_record(record, &rep);
	capture(&cap[0], "version", cmd_version, NULL);
	capture(&cap[1], "status", cmd_status, "--cpus");
	capture(&cap[2], "check", cmd_check, "-v");	/* with the evidence */
	sr_tap(NULL, NULL);
	dev_record(NULL, NULL);
	if (b.redact)
		read_identity(&b);
	add_extras(&seen, &b);
	qsort(seen.v, seen.n, sizeof(*seen.v), cmp_str);

	if (sr_read("/proc/sys/kernel/osrelease", krel, sizeof(krel)) < 0)
		krel[0] = '\0';

	b.files = json_object_new_array();
	b.missing = json_object_new_array();
	b.absent = json_object_new_array();
	b.redacted = json_object_new_array();
	b.a = archive_write_new();
	if (archive_write_set_format_pax_restricted(b.a) != ARCHIVE_OK ||
	    archive_write_add_filter_gzip(b.a) != ARCHIVE_OK ||
	    archive_write_open_fd(b.a, out.fd) != ARCHIVE_OK)
		arc_fail(&b, name);
	put_dir(&b, "");
	for (size_t i = 0; i < 3; i++) {
		char rel[64];

		snprintf(rel, sizeof(rel), "tdxctl/%s.json", cap[i].name);
		if (!cap[i].json) {
			note_missing(&b, rel, EIO, "the command produced no document");
			continue;
		}
		redact(&b, rel, &cap[i].json, &cap[i].len);
		put_file(&b, rel, cap[i].json, cap[i].len);
	}
	drv = put_replies(&b, &rep);
	note_driver(&b, &rep);
	config = collect_config(&b, krel);
	for (size_t i = 0; i < seen.n; i++)
		if ((i == 0 || strcmp(seen.v[i], seen.v[i - 1])) && strncmp(seen.v[i], "/dev/tdx_host/", 14))
			collect(&b, seen.v[i]);

	man = put_manifest(&b, cap, created, krel, drv, config);
	if (archive_write_close(b.a) != ARCHIVE_OK)
		arc_fail(&b, name);
	archive_write_free(b.a);
	/* the bundle takes its name only when whole; figures only then */
	if (b.write_err)
		out_abort(&out);
	else if ((err = out_commit(&out)))
		b.write_err = err, snprintf(b.write_msg, sizeof(b.write_msg), "%.200s: %s", name, strerror(err));

	nmissing = json_object_array_length(b.missing);
	if (!strcmp(name, "-"))
		g.quiet = 1;	/* stdout carries the archive */
	if (b.write_err) {
		rc = exit_for_errno(b.write_err) == EXIT_PERM ? EXIT_PERM : EXIT_FAILED;
		pr_error(rc, errno_name(b.write_err), NULL, "%s (nothing was left behind)", b.write_msg);
		diag_cleanup(&b, cap, &rep, &seen, man);
		return rc;
	} else if (nmissing) {
		rc = EXIT_PARTIAL;
		pr_error(rc, NULL, "manifest.json lists each with the reason",
			 "%zu source%s could not be collected", nmissing, nmissing == 1 ? "" : "s");
	}
	print_result(&b, name, man, nmissing);

	diag_cleanup(&b, cap, &rep, &seen, man);
	return rc;
}

int cmd_diag(int argc, char **argv)
{
	struct diag_opts o = { 0 };
	int rc = cmd_parse(&diag_argp, argc, argv, &o);

	if (rc)
		return rc;
	/* the bundle is libarchive's, written or read: before any file is made */
	rc = dl_need(DLIB_ARCHIVE, "diag");
	if (rc)
		return rc;
	if (o.verify)
		return diag_verify(o.verify);
	return make_bundle(&o);
}
