// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_module_update.c - tdxctl module update FILE: the blob, its release,
 * the pre-checks (cmd_module.c), then the upload through the
 * firmware-upload device tdx_module and the version read back.
 */
#include <argp.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "blob.h"
#include "modupd.h"
#include "print.h"
#include "sysroot.h"
#include "tdxctl.h"

#define FAUX "/sys/devices/faux/tdx_host"
#define FWU "/sys/class/firmware/tdx_module"

struct update_opts {
	const char *file;
	const char *mapping;
	const char *blob_version;
	int dry_run, yes;
	unsigned timeout;	/* seconds to wait for idle */
};

enum { OPT_MAPPING = 0x600, OPT_DRY_RUN, OPT_BLOB_VERSION, OPT_TIMEOUT };

static const struct argp_option update_options[] = {
	{ "mapping", OPT_MAPPING, "FILE", 0,
	  "Intel's mapping_file.json (default: beside FILE, or two directories up as in Intel's "
	  "repository: DIR/joined_files/X.Y/tdx_module_X.Y.ZZ.blob)", 0 },
	{ "blob-version", OPT_BLOB_VERSION, "X.Y.ZZ", 0,
	  "The blob's version, when its file name is not Intel's tdx_module_X.Y.ZZ.blob", 0 },
	{ "dry-run", OPT_DRY_RUN, NULL, 0, "Run the pre-checks and stop (also implied by --sysroot)", 0 },
	{ "yes", 'y', NULL, 0, "Do not ask before updating (needed when stdin is not a terminal)", 0 },
	{ "timeout", OPT_TIMEOUT, "SEC", 0, "Wait at most SEC seconds for the update to finish (default 600)", 0 },
	{ 0 }
};

static error_t update_parse(int key, char *arg, struct argp_state *state)
{
	struct update_opts *o = state->input;
	struct tdx_ver v;
	char *end;

	switch (key) {
	case OPT_MAPPING:
		o->mapping = arg;
		return 0;
	case OPT_BLOB_VERSION:
		if (tdx_ver_parse(arg, &v))
			argp_error(state, "--blob-version: '%s' is not MAJOR.MINOR.UPDATE (e.g. 1.5.08)", arg);
		o->blob_version = arg;
		return 0;
	case OPT_DRY_RUN:
		o->dry_run = 1;
		return 0;
	case 'y':
		o->yes = 1;
		return 0;
	case OPT_TIMEOUT:
		errno = 0;
		o->timeout = (unsigned)strtoul(arg, &end, 10);
		if (errno || *end || !*arg || o->timeout == 0 || o->timeout > 86400)
			argp_error(state, "--timeout: '%s' is not a number of seconds (1 to 86400)", arg);
		return 0;
	case ARGP_KEY_ARG:
		if (o->file)
			argp_error(state, "one TDX module image at a time (got '%s' and '%s')", o->file, arg);
		o->file = arg;
		return 0;
	case ARGP_KEY_END:
		if (!o->file && !g.show_version)
			argp_error(state, "which TDX module image? (tdx_module_X.Y.ZZ.blob)");
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static const struct argp update_argp = {
	update_options, update_parse, "FILE",
	"Update the running TDX module to FILE without stopping TDs (a TD-preserving runtime "
	"update through Linux 7.2's firmware-upload device tdx_module).\v"
	"First the blob's header is validated, then every pre-check runs, printed as tdxctl check "
	"prints its results: the update interface exists, the TDX module is initialized, every CPU "
	"is online, updates are left, the release is in Intel's mapping_file.json, the blob is "
	"signed for this CPU and not a debug build, the P-SEAMLDR meets the release's minimum, the "
	"version is newer and TD-preserving from the running one.  If any fails, nothing is "
	"written.  Then (unless --dry-run or --sysroot) it asks, uploads (loading 1, data, loading "
	"0), waits for the device to be idle and reads the version back.\n\n"
	"Examples:\n"
	"  tdxctl module update --dry-run tdx_module_1.5.09.blob\n"
	"  tdxctl module update --yes --mapping mapping_file.json joined_files/1.5/tdx_module_1.5.09.blob\n\n"
	"Exit status: 0 updated (or --dry-run: every pre-check passed); 1 a pre-check failed, the "
	"blob is malformed, or the update was refused and nothing changed; 2 usage (also: the "
	"blob's version unknown, or no confirmation); 4 no update interface on this host; 5 not "
	"root; 6 CPUs offline, no updates left, the TDX module not initialized, or the update "
	"failed after the old module shut down (TDX in error: reboot); 7 timeout; 8 a pre-check "
	"could not run.  tdxctl explain update.ID describes a pre-check.",
	global_children, NULL, NULL
};

/* The whole image into memory: a regular file of at most the largest
 * size the header allows (a larger one is refused by size). */
static unsigned char *blob_read(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	unsigned char *buf;
	size_t off = 0;

	if (fd < 0) {
		pr_error(errno == EACCES ? EXIT_PERM : EXIT_FAILED, errno_name(errno), NULL, "%s: %s",
			 path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		pr_error(EXIT_FAILED, NULL, "give the .blob file itself", "%s: not a regular file", path);
		close(fd);
		return NULL;
	}
	if ((unsigned long long)st.st_size > BLOB_READ_MAX) {
		pr_error(EXIT_FAILED, NULL, "a TDX module image is at most 498 pages (2 MiB - 8 KiB)",
			 "%s: malformed TDX module image: size: %lld bytes, more than the %u a header can describe",
			 path, (long long)st.st_size, BLOB_MAX_SIZE);
		close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	while (buf && off < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + off, (size_t)st.st_size - off);

		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(fd);
	if (!buf || off != (size_t)st.st_size) {
		pr_error(EXIT_FAILED, NULL, NULL, "%s: read failed", path);
		free(buf);
		return NULL;
	}
	*len = off;
	return buf;
}

static void blob_print(const char *path, const struct blob *b, enum blob_fault f)
{
	pr_obj_begin("blob", "TDX module image");
	pr_kv("path", "file", pv_str(path));
	pr_kv("size_bytes", "size", pv_unit(pv_u(b->size), " bytes"));
	pr_kv("valid", NULL, pv_bool(f == BF_NONE));
	pr_kv("fault", NULL, f ? pv_str(blob_fault_name(f)) : pv_null(NULL));
	if (b->size >= BLOB_PAGE) {
		char hv[16];

		snprintf(hv, sizeof(hv), "0x%x", b->hdr_version);
		pr_kv("header_version", "header version", pv_text(pv_u(b->hdr_version), hv));
		pr_kv("sigstruct_pages", "sigstruct pages", pv_u(b->sig_pages));
		pr_kv("module_pages", "module pages", pv_u(b->module_pages));
	}
	if (f == BF_NONE) {
		pr_kv("debug", "debug-signed", pv_bool(b->debug));
		pr_arr_begin("cpuids", NULL);
		for (uint32_t i = 0; i < b->ncpuid; i++) {
			char x[16];

			snprintf(x, sizeof(x), "0x%x", b->cpuid[i]);
			pr_fmt(NULL, i ? ",%s" : "  signed for:           CPUID.1.EAX %s", pv_str(x));
		}
		pr_arr_end();
		if (b->ncpuid)
			pr_text("\n");
	}
	pr_obj_end();
}

/* Intel's mapping_file.json: --mapping, else beside the blob, else two
 * directories up (DIR/joined_files/X.Y/tdx_module_X.Y.ZZ.blob). */
static const char *mapping_locate(const char *blob, const char *given, char *buf, size_t len)
{
	char *copy = strdup(blob), *dir;
	const char *found = NULL;

	if (given || !copy) {
		free(copy);
		return given;
	}
	dir = dirname(copy);
	snprintf(buf, len, "%s/mapping_file.json", dir);
	if (!access(buf, R_OK))
		found = buf;
	else {
		snprintf(buf, len, "%s/../../mapping_file.json", dir);
		if (!access(buf, R_OK))
			found = buf;
	}
	free(copy);
	return found;
}

/* ---- the upload ---- */

/* Under a replay nothing is written, except for tests that ask for it
 * (TDXCTL_TEST_WRITE_SYSROOT=1: the firmware-upload files of the replay
 * are plain files, written as the device's would be). */
static bool may_write(void)
{
	const char *t = getenv("TDXCTL_TEST_WRITE_SYSROOT");

	return sr_is_live() || (t && !strcmp(t, "1"));
}

static int write_data(const unsigned char *img, size_t len)
{
	int fd = sr_open(FWU "/data", O_WRONLY);
	size_t off = 0;

	if (fd < 0)
		return fd;
	while (off < len) {
		size_t chunk = len - off > 4096 ? 4096 : len - off;
		ssize_t n = write(fd, img + off, chunk);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;

			close(fd);
			return -e;
		}
		off += (size_t)n;
	}
	return close(fd) < 0 ? -errno : 0;
}

static void progress(size_t total, const char *status)
{
	char rem[32];
	unsigned long long left = total;
	int pct, bar;

	if (sr_read(FWU "/remaining_size", rem, sizeof(rem)) > 0)
		left = strtoull(rem, NULL, 10);
	if (left > total)
		left = total;
	pct = total ? (int)((total - left) * 100 / total) : 100;
	bar = pct * 30 / 100;
	fprintf(stderr, "\r%-12.12s [%.*s%*s] %3d%%", status, bar, "==============================",
		30 - bar, "", pct);
	fflush(stderr);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Poll status until idle: 0, -ETIMEDOUT, or -errno of the read */
static int wait_idle(size_t total, unsigned timeout)
{
	bool bar = isatty(STDERR_FILENO) && !g.quiet;
	double end = now_s() + timeout;
	char st[64];

	for (;;) {
		ssize_t n = sr_read(FWU "/status", st, sizeof(st));

		if (n < 0)
			return (int)n;
		if (bar)
			progress(total, st);
		if (!strcmp(st, "idle"))
			break;
		if (now_s() > end) {
			if (bar)
				fputc('\n', stderr);
			return -ETIMEDOUT;
		}
		usleep(100000);
	}
	if (bar)
		fputc('\n', stderr);
	return 0;
}

/* The upload: loading 1, data, loading 0, wait for idle.  0 or an exit
 * status (the error set). */
static int upload(const unsigned char *img, size_t len, unsigned timeout, char *fwerr, size_t errlen)
{
	char st[64];
	int r;

	fwerr[0] = '\0';
	if (sr_read(FWU "/status", st, sizeof(st)) >= 0 && strcmp(st, "idle")) {
		pr_error(EXIT_BUSY, "EBUSY", "wait for it to finish (cat " FWU "/status)",
			 "another upload to tdx_module is in progress (status %s): nothing written", st);
		return EXIT_BUSY;
	}
	if ((r = sr_write(FWU "/loading", "1")) < 0) {
		pr_error(exit_for_errno(-r), errno_name(-r), NULL, "%s/loading: %s: nothing written", FWU,
			 strerror(-r));
		return exit_for_errno(-r);
	}
	r = write_data(img, len);
	if (r < 0) {
		/* abort the upload: loading -1 cancels (nothing reaches the loader) */
		sr_write(FWU "/loading", "-1");
		pr_error(exit_for_errno(-r), errno_name(-r), NULL, "%s/data: %s: upload cancelled", FWU,
			 strerror(-r));
		return exit_for_errno(-r);
	}
	if ((r = sr_write(FWU "/loading", "0")) < 0) {
		pr_error(exit_for_errno(-r), errno_name(-r), NULL, "%s/loading: %s", FWU, strerror(-r));
		return exit_for_errno(-r);
	}
	r = wait_idle(len, timeout);
	if (r == -ETIMEDOUT) {
		pr_error(EXIT_TIMEOUT, "ETIMEDOUT", "the update may still be running: cat " FWU "/status; "
			 "tdxctl status shows the version", "the update did not finish within %u s", timeout);
		return EXIT_TIMEOUT;
	}
	if (r < 0) {
		pr_error(EXIT_FAILED, errno_name(-r), NULL, "%s/status: %s", FWU, strerror(-r));
		return EXIT_FAILED;
	}
	if (sr_read(FWU "/error", fwerr, errlen) < 0)
		fwerr[0] = '\0';
	return 0;
}

/* ---- the command ---- */

/* Before anything is written: running TDs (KVM's view) and updates left */
static void warnings(const struct upd_sys *s)
{
	int vms = upd_count_vms();

	if (vms > 0)
		warnmsg("KVM has %d VM%s running (any may be a TD): a failure after the old TDX module "
			"shut down loses every running TD", vms, vms == 1 ? "" : "s");
	else if (vms < 0)
		warnmsg("running TDs unknown (/sys/kernel/debug/kvm not readable): a failure after the old "
			"TDX module shut down loses every running TD");
	if (s->left_ok)
		warnmsg("%lu update%s left before a reboot; this one uses one", s->left, s->left == 1 ? "" : "s");
}

/* Ask on the terminal; stdin not a terminal and no --yes: refuse */
static int confirm(const struct upd_sys *s, const struct tdx_ver *to)
{
	char v[16], line[16];

	if (!isatty(STDIN_FILENO)) {
		pr_error(EXIT_USAGE, NULL, "add --yes to update without asking (--dry-run only checks)",
			 "not updating without confirmation: stdin is not a terminal");
		return EXIT_USAGE;
	}
	fprintf(stderr, "Update the TDX module %s -> %s now? [y/N] ", s->version, tdx_ver_str(to, v, sizeof(v)));
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin) || (line[0] != 'y' && line[0] != 'Y')) {
		pr_error(EXIT_FAILED, NULL, NULL, "not confirmed: nothing written");
		return EXIT_FAILED;
	}
	return 0;
}

/* What an update that did not complete leaves; the exit status */
static int failed_update(const char *fwerr, const struct upd_sys *before)
{
	struct upd_sys after;
	bool lost;
	char *e = pr_esc(fwerr);
	int rc;

	upd_sys_read(&after);
	/* the old module shut down and no new one came up: no version */
	lost = !after.version_ok;
	pr_kv("version_after", "version after", after.version_ok ? pv_str(after.version) :
	      pv_null(after.version_err == ENXIO ? "none (the TDX module is not running)" : "unknown"));
	pr_kv("tdx_module_lost", NULL, pv_bool(lost));
	if (lost) {
		rc = EXIT_BUSY;
		pr_error(rc, "EIO", "reboot the host to get TDX back; tdxctl status shows the state",
			 "the update failed after the old TDX module shut down (tdx_module error '%s'): TDX is "
			 "in error, running TDs are lost, a reboot is needed", e);
	} else {
		rc = EXIT_FAILED;
		pr_error(rc, "EIO", "tdxctl module update --dry-run FILE shows the pre-checks; the kernel log "
			 "(seamldr: lines) may say more",
			 "the P-SEAMLDR refused the update (tdx_module error '%s'): nothing changed, TDX module "
			 "%s still running", e, before->version);
	}
	free(e);
	upd_sys_free(&after);
	return rc;
}

/* After the upload: the error file, then the version read back */
static int outcome(const char *fwerr, const struct upd_sys *before, const struct tdx_ver *want)
{
	struct upd_sys after;
	char v[16];
	int rc = 0;

	pr_obj_begin("update", "update");
	pr_kv("error", "tdx_module error", fwerr[0] ? pv_str(fwerr) : pv_null("none"));
	if (fwerr[0]) {
		rc = failed_update(fwerr, before);
		pr_obj_end();
		return rc;
	}
	upd_sys_read(&after);
	pr_kv("version_before", "version before", pv_str(before->version));
	pr_kv("version_after", "version after", after.version_ok ? pv_str(after.version) : pv_null("unreadable"));
	pr_kv("tdx_module_lost", NULL, pv_bool(false));
	pr_kv("remaining_updates", "updates left", after.left_ok ? pv_u(after.left) : pv_null("unknown"));
	if (!after.version_ok || tdx_ver_cmp(&after.running, want)) {
		rc = EXIT_FAILED;
		pr_error(rc, NULL, "tdxctl status shows the TDX module; the kernel log (seamldr: lines) may say more",
			 "the update reported no error but the version read back is %s, not %s",
			 after.version_ok ? after.version : "unreadable", tdx_ver_str(want, v, sizeof(v)));
	}
	pr_obj_end();
	upd_sys_free(&after);
	return rc;
}

/* The blob's version: its file name, else --blob-version (which wins) */
static int blob_version(const struct update_opts *o, struct tdx_ver *v, const char **src)
{
	if (o->blob_version) {
		tdx_ver_parse(o->blob_version, v);
		*src = "option";
		return 0;
	}
	if (!tdx_ver_from_name(o->file, v)) {
		*src = "file-name";
		return 0;
	}
	pr_error(EXIT_USAGE, NULL, "name the file as Intel does (tdx_module_X.Y.ZZ.blob) or give "
		 "--blob-version X.Y.ZZ", "the version of %s is unknown: its name is not "
		 "tdx_module_X.Y.ZZ.blob", o->file);
	return EXIT_USAGE;
}

static void release_print(const struct upd_subject *u, const char *vsrc)
{
	char v[16];

	pr_obj_begin("release", "release");
	pr_kv("version", "version", pv_str(tdx_ver_str(&u->ver, v, sizeof(v))));
	pr_kv("version_source", NULL, pv_str(vsrc));
	pr_kv("mapping", "mapping file", pv_str(u->mapping_path));
	pr_kv("listed", NULL, pv_bool(u->rel != NULL));
	pr_kv("min_module_version_for_td_preserving", "TD-preserving from",
	      u->rel && u->rel->has_min_td ? pv_str(tdx_ver_str(&u->rel->min_td, v, sizeof(v))) : pv_null(NULL));
	pr_arr_begin("min_seamldr_versions", NULL);
	for (unsigned i = 0; u->rel && i < u->rel->nldr; i++)
		pr_fmt(NULL, i ? ", %s" : "  P-SEAMLDR at least:   %s",
		       pv_str(tdx_ver_str(&u->rel->min_ldr[i], v, sizeof(v))));
	pr_arr_end();
	if (u->rel && u->rel->nldr)
		pr_text("\n");
	pr_obj_end();
}

static int checks_run(struct upd_sys *s, const struct upd_subject *u)
{
	struct upd_check c[UC_N];
	unsigned cnt[V_NR] = { 0 };
	int rc;

	rc = upd_checks(s, u, c);
	pr_text("\n");
	upd_checks_print(c, UC_N);
	for (int i = 0; i < UC_N; i++)
		cnt[c[i].v]++;
	pr_obj_begin("summary", NULL);
	pr_fmt("total", "\n%s pre-checks: ", pv_u(UC_N));
	pr_fmt("pass", "%s pass", pv_u(cnt[V_PASS]));
	pr_fmt("fail", ", %s fail", pv_color(pv_u(cnt[V_FAIL]), cnt[V_FAIL] ? C_BAD : C_NONE));
	pr_fmt("unknown", ", %s unknown", pv_u(cnt[V_UNKNOWN]));
	pr_fmt("skip", ", %s skip\n", pv_u(cnt[V_SKIP]));
	pr_obj_end();
	if (rc) {
		const struct upd_check *first = NULL;

		for (int i = 0; i < UC_N && !first; i++)
			if (c[i].v == V_FAIL || (rc != EXIT_UNKNOWN && rc != EXIT_PERM ? false : c[i].v == V_UNKNOWN))
				first = &c[i];
		for (int i = 0; i < UC_N && !first; i++)
			if (c[i].v == V_UNKNOWN)
				first = &c[i];
		pr_error(rc, NULL, first && first->hint ? first->hint : "each FAIL line says what to do",
			 "pre-check %s failed: %s; nothing written", first ? first->id : "?",
			 first ? first->reason : "?");
	}
	return rc;
}

int cmd_module_update(int argc, char **argv)
{
	struct update_opts o = { .timeout = 600 };
	struct upd_subject u = { 0 };
	struct upd_sys s;
	struct mapping map = { 0 };
	struct blob b;
	char err[PATH_MAX + 128], mbuf[PATH_MAX + 32], fwerr[256], v[16];
	const char *vsrc = NULL;
	unsigned char *img;
	enum blob_fault f;
	size_t len = 0;
	int rc = cmd_parse(&update_argp, argc, argv, &o);

	if (rc)
		return rc;
	img = blob_read(o.file, &len);
	if (!img)
		return EXIT_FAILED;
	f = blob_parse(img, len, &b, err, sizeof(err));
	blob_print(o.file, &b, f);
	if (f) {
		free(img);
		pr_error(EXIT_FAILED, "EINVAL", "the file is not a TDX module image the kernel accepts; "
			 "take it again from Intel's release", "%s: malformed TDX module image: %s", o.file, err);
		return EXIT_FAILED;
	}
	if ((rc = blob_version(&o, &u.ver, &vsrc))) {
		free(img);
		return rc;
	}
	u.path = o.file;
	u.b = &b;
	u.have_ver = true;
	u.mapping_path = mapping_locate(o.file, o.mapping, mbuf, sizeof(mbuf));
	if (!u.mapping_path) {
		u.mapping_why = "no mapping_file.json beside the blob or two directories up; --mapping FILE gives it";
	} else if (mapping_load(u.mapping_path, &map, err, sizeof(err))) {
		u.mapping_why = err;
	} else if (!(u.rel = mapping_find(&map, &u.ver))) {
		snprintf(err, sizeof(err), "release %s is not in %s", tdx_ver_str(&u.ver, v, sizeof(v)),
			 u.mapping_path);
		u.mapping_why = err;
	}
	release_print(&u, vsrc);
	upd_sys_read(&s);
	rc = checks_run(&s, &u);
	pr_kv("dry_run", NULL, pv_bool(o.dry_run || !may_write()));
	if (rc || o.dry_run || !may_write()) {
		if (!rc)
			pr_text("%s: every pre-check passed; nothing written\n",
				o.dry_run ? "dry run" : "--sysroot (a replay is never written to)");
		goto out;
	}
	finish_work_regardless_of_output();
	warnings(&s);
	if (!o.yes && (rc = confirm(&s, &u.ver)))
		goto out;
	rc = upload(img, len, o.timeout, fwerr, sizeof(fwerr));
	if (!rc)
		rc = outcome(fwerr, &s, &u.ver);
out:
	upd_sys_free(&s);
	mapping_free(&map);
	free(img);
	return rc;
}
