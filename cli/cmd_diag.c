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

/* ---- the paths the commands read ---- */

struct seen {
	char **v;
	size_t n, cap;
};

static void tap(const char *path, enum sr_how how, void *arg)
{
	struct seen *s = arg;

	(void)how;
	/* the MSRs of a CPU are read one after the other: one entry */
	if (s->n && !strcmp(s->v[s->n - 1], path))
		return;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		char **nv = realloc(s->v, cap * sizeof(*nv));

		if (!nv)
			return;
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n] = strdup(path);
	if (s->v[s->n])
		s->n++;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void seen_free(struct seen *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

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

/* ---- redaction ---- */

static const char *const dmi_secret[] = {
	"product_serial", "product_uuid", "board_serial", "chassis_serial",
	"board_asset_tag", "chassis_asset_tag",
};
#define NSECRET (sizeof(dmi_secret) / sizeof(dmi_secret[0]))
/* DMI identity beyond what check reads (the secrets are read to be redacted) */
static const char *const dmi_more[] = {
	"sys_vendor", "product_name", "product_version", "product_family", "product_sku",
	"board_vendor", "board_name", "board_version", "chassis_vendor",
	"bios_vendor", "bios_version", "bios_date", "bios_release",
};

struct bundle {
	struct archive *a;
	char top[64];
	time_t now;
	bool redact;
	struct redactor red;	/* what is redacted, and how (redact.c) */
	json_object *files, *missing, *absent, *redacted;
	json_object *kernel_log;	/* where the kernel log came from */
	unsigned long long bytes;
	int write_err;		/* libarchive failed: the bundle is broken */
	char write_msg[256];
};

static void note_redacted(struct bundle *b, const char *path, const char *what, size_t count)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "path", json_object_new_string(path));
	json_object_object_add(o, "what", json_object_new_string(what));
	json_object_object_add(o, "count", json_object_new_int64((int64_t)count));
	json_object_array_add(b->redacted, o);
}

/* Redact a file's text by its format (buf is malloc'd, may be replaced). */
static void redact(struct bundle *b, const char *path, char **buf, size_t *len)
{
	size_t c[REDACT_NCOUNTS] = { 0 };

	if (!b->redact)
		return;
	redact_text(&b->red, redact_format(path), buf, len, c);
	for (int k = 0; k < RK_NKINDS; k++)
		if (c[k])
			note_redacted(b, path, rkind_name[k], c[k]);
	for (size_t k = 0; k < NSECRET; k++)
		if (c[RK_NKINDS + k])
			note_redacted(b, path, dmi_secret[k], c[RK_NKINDS + k]);
}

/* ---- writing the archive ---- */

static void arc_fail(struct bundle *b, const char *what)
{
	if (b->write_err)
		return;
	b->write_err = archive_errno(b->a) > 0 ? archive_errno(b->a) : EIO;
	/* the system's words when there is an errno ("No space left on device") */
	snprintf(b->write_msg, sizeof(b->write_msg), "%.200s: %s", what,
		 archive_errno(b->a) > 0 || !archive_error_string(b->a) ? strerror(b->write_err)
									: archive_error_string(b->a));
}

static void entry_name(struct bundle *b, char *name, size_t len, const char *rel)
{
	while (*rel == '/')
		rel++;
	snprintf(name, len, "%s/%s", b->top, rel);
}

static void put_dir(struct bundle *b, const char *rel)
{
	struct archive_entry *e = archive_entry_new();
	char name[PATH_MAX];

	entry_name(b, name, sizeof(name), rel);
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFDIR);
	archive_entry_set_perm(e, 0755);
	archive_entry_set_mtime(e, b->now, 0);
	if (archive_write_header(b->a, e) != ARCHIVE_OK)
		arc_fail(b, name);
	archive_entry_free(e);
}

/* A file of the bundle; listed in the manifest unless it is the manifest. */
static void put_file(struct bundle *b, const char *rel, const void *data, size_t len)
{
	struct archive_entry *e = archive_entry_new();
	char name[PATH_MAX], hex[65];
	struct sha256_ctx h;

	entry_name(b, name, sizeof(name), rel);
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_mtime(e, b->now, 0);
	if (archive_write_header(b->a, e) != ARCHIVE_OK)
		arc_fail(b, name);
	else if (len && archive_write_data(b->a, data, len) != (la_ssize_t)len)
		arc_fail(b, name);
	archive_entry_free(e);
	if (!b->files)
		return;
	sha256_init(&h);
	sha256_update(&h, len, data);
	sha256_hex(&h, hex);
	{
		json_object *o = json_object_new_object();

		while (*rel == '/')
			rel++;
		json_object_object_add(o, "path", json_object_new_string(rel));
		json_object_object_add(o, "size", json_object_new_int64((int64_t)len));
		json_object_object_add(o, "sha256", json_object_new_string(hex));
		json_object_array_add(b->files, o);
	}
	b->bytes += len;
}

static const char *why(int err)
{
	switch (err) {
	case EACCES:
	case EPERM:
		return "permission denied: needs root";
	case EFBIG:
		return "larger than tdxctl reads";
	case EINVAL:
		return "not a regular file";
	}
	return strerror(err);
}

static void note_missing(struct bundle *b, const char *path, int err, const char *reason)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "path", json_object_new_string(path));
	json_object_object_add(o, "errno", json_object_new_string(errno_name(err)));
	json_object_object_add(o, "reason", json_object_new_string(reason ? reason : why(err)));
	json_object_array_add(b->missing, o);
}

/* /dev/cpu/N/msr: the MSRs check reads, in the replay layout (sysroot.c). */
static void collect_msr(struct bundle *b, const char *path, unsigned cpu)
{
	uint32_t max = 0;
	unsigned char *rec;
	size_t len;
	int err = 0;
	bool any = false;

	for (int k = 0; k < NMSR; k++)
		if (msr_ids[k] > max)
			max = msr_ids[k];
	len = ((size_t)max + 1) * 16;
	rec = calloc(1, len);
	if (!rec) {
		note_missing(b, path, ENOMEM, NULL);
		return;
	}
	for (int k = 0; k < NMSR; k++) {
		uint64_t v, fl = 1;
		int r = sr_rdmsr(cpu, msr_ids[k], &v);

		if (r == -EIO) {	/* #GP: a hole */
			any = true;
			continue;
		}
		if (r) {
			err = -r;
			break;
		}
		memcpy(rec + (size_t)msr_ids[k] * 16, &v, 8);
		memcpy(rec + (size_t)msr_ids[k] * 16 + 8, &fl, 8);
		any = true;
	}
	if (err == ENOENT && !any)
		json_object_array_add(b->absent, json_object_new_string(path + 1));
	else if (err)
		note_missing(b, path + 1, err, err == EACCES || err == EPERM ?
			     "permission denied: needs root (CAP_SYS_RAWIO)" : NULL);
	else
		put_file(b, path, rec, len);
	free(rec);
}

/* Where the kernel log came from, for the manifest. */
static void note_klog(struct bundle *b, const struct klog_source *s, size_t kept)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "path", json_object_new_string("dev/kmsg"));
	json_object_object_add(o, "source", s->source ? json_object_new_string(s->source) : NULL);
	json_object_object_add(o, "kmsg", json_object_new_string(s->kmsg_err ? errno_name(s->kmsg_err) : "ok"));
	json_object_object_add(o, "journal", json_object_new_string(s->journal));
	json_object_object_add(o, "lines", s->source ? json_object_new_int64((int64_t)kept) : NULL);
	json_object_object_add(o, "kept", json_object_new_string(
		"lines about TDX, tdxctl and KVM, as kmsg records (PRIO,SEQ,USEC,-;TEXT)"));
	json_object_put(b->kernel_log);
	b->kernel_log = o;
}

/* The kernel log: the lines klog_read() keeps, and those about KVM; from
 * /dev/kmsg, or the journal when /dev/kmsg may not be read (kmsg.c). */
static void collect_kmsg(struct bundle *b, const char *path)
{
	size_t len = 0, o = 0, start = 0, kept = 0;
	int err = 0;
	char *raw = klog_raw(&len, &err), *out;
	const struct klog_source *ks = klog_source();

	if (!raw) {
		char reason[256];

		note_klog(b, ks, 0);
		snprintf(reason, sizeof(reason), "%s; journal: %s",
			 err == EACCES || err == EPERM ? "permission denied: needs root (kernel.dmesg_restrict)"
						       : strerror(err), ks->journal);
		if (err == ENOENT)
			json_object_array_add(b->absent, json_object_new_string(path + 1));
		else
			note_missing(b, path + 1, err, reason);
		return;
	}
	if (err)
		note_missing(b, path + 1, err, NULL);
	out = malloc(len + 1);
	if (!out) {
		free(raw);
		note_missing(b, path + 1, ENOMEM, NULL);
		return;
	}
	for (size_t i = 0; i <= len; i++) {
		if (i == len || raw[i] == '\n') {
			const char *s = raw + start;
			size_t n = i - start;

			if (klog_relevant(s, n) || memmem(s, n, "kvm", 3) || memmem(s, n, "KVM", 3)) {
				memcpy(out + o, s, n);
				o += n;
				out[o++] = '\n';
				kept++;
			}
			start = i + 1;
		}
	}
	out[o] = '\0';
	free(raw);
	note_klog(b, ks, kept);
	redact(b, path + 1, &out, &o);
	put_file(b, path, out, o);
	free(out);
}

/* Any other file: read whole under the sysroot layer's bound. */
static void collect_file(struct bundle *b, const char *path)
{
	size_t len = 0;
	char *buf = sr_slurp(path, &len);
	const char *base = strrchr(path, '/') + 1;

	if (!buf) {
		int e = errno ? errno : EIO;

		if (e == ENOENT)
			json_object_array_add(b->absent, json_object_new_string(path + 1));
		else if (e == EISDIR)
			put_dir(b, path);
		else
			note_missing(b, path + 1, e, NULL);
		return;
	}
	if (b->redact && !strncmp(path, "/sys/class/dmi/id/", 18)) {
		for (size_t i = 0; i < NSECRET; i++) {
			if (strcmp(base, dmi_secret[i]) || !len)
				continue;
			free(buf);
			buf = strdup("REDACTED\n");
			len = buf ? strlen(buf) : 0;
			note_redacted(b, path + 1, dmi_secret[i], 1);
			break;
		}
	}
	if (buf)
		redact(b, path + 1, &buf, &len);
	put_file(b, path, buf ? buf : "", len);
	free(buf);
}

static void collect(struct bundle *b, const char *path)
{
	unsigned cpu;
	int end = 0;

	if (sscanf(path, "/dev/cpu/%u/msr%n", &cpu, &end) == 1 && end && !path[end])
		collect_msr(b, path, cpu);
	else if (!strcmp(path, "/dev/kmsg"))
		collect_kmsg(b, path);
	else
		collect_file(b, path);
}

/* Login names of people: a home directory below /home (/etc/passwd, read
 * for this and not put in the bundle). */
static void read_users(struct bundle *b)
{
	size_t len = 0;
	char *pw = sr_slurp_max("/etc/passwd", 1u << 20, &len), *save = NULL;

	if (!pw)
		return;
	for (char *l = strtok_r(pw, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *f[7] = { 0 }, *p = l;
		char **nu;

		for (int k = 0; k < 7 && p; k++) {
			f[k] = p;
			p = strchr(p, ':');
			if (p)
				*p++ = '\0';
		}
		/* too short a name would hit ordinary words */
		if (!f[5] || strncmp(f[5], "/home/", 6) || strlen(f[0]) < 3)
			continue;
		nu = realloc(b->red.users, (b->red.nusers + 1) * sizeof(*nu));
		if (!nu)
			break;
		b->red.users = nu;
		if ((b->red.users[b->red.nusers] = strdup(f[0])))
			b->red.nusers++;
	}
	free(pw);
}

/* Identifiers to redact everywhere, read before anything is written. */
static void read_identity(struct bundle *b)
{
	char path[96], buf[256], dom[256];

	if (sr_read("/proc/sys/kernel/hostname", buf, sizeof(buf)) < 0)
		buf[0] = '\0';
	if (sr_read("/proc/sys/kernel/domainname", dom, sizeof(dom)) < 0)
		dom[0] = '\0';
	redact_set_host(&b->red, buf, dom);
	for (size_t i = 0; i < NSECRET; i++) {
		snprintf(path, sizeof(path), "/sys/class/dmi/id/%s", dmi_secret[i]);
		b->red.secret_name[i] = dmi_secret[i];
		if (sr_read(path, buf, sizeof(buf)) > 0)
			b->red.secret[i] = strdup(buf);
	}
	read_users(b);
}

/* What the issue of a support case needs beyond what status and check read. */
static void add_extras(struct seen *s, const struct bundle *b)
{
	static const char *const param_dirs[] = {
		"/sys/module/tdxctl/parameters", "/sys/module/tdxctl_emu/parameters",
		"/sys/module/kvm/parameters",
		"/sys/module/kvm_intel/parameters",
	};
	char rel[512];

	for (size_t i = 0; i < sizeof(dmi_more) / sizeof(dmi_more[0]); i++) {
		snprintf(rel, sizeof(rel), "/sys/class/dmi/id/%s", dmi_more[i]);
		tap(rel, SR_READ, s);
	}
	/* redacting: a secret that could be read is there as REDACTED (one
	 * that needs root is not missing: it would not be sent anyway) */
	for (size_t i = 0; i < NSECRET; i++) {
		snprintf(rel, sizeof(rel), "/sys/class/dmi/id/%s", dmi_secret[i]);
		if (!b->redact || b->red.secret[i])
			tap(rel, SR_READ, s);
	}
	if (!b->redact)
		tap("/proc/sys/kernel/hostname", SR_READ, s);
	for (size_t i = 0; i < sizeof(param_dirs) / sizeof(param_dirs[0]); i++) {
		DIR *d;
		struct dirent *de;

		int dfd = sr_open_dir(param_dirs[i]);

		if (dfd < 0)
			continue;
		if (!(d = fdopendir(dfd))) {
			close(dfd);
			continue;
		}
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(rel, sizeof(rel), "%s/%s", param_dirs[i], de->d_name);
			tap(rel, SR_READ, s);
		}
		closedir(d);
	}
	/* the kernel config: only its TDX options (collect_config) */
}

/* ---- the kernel config: the options that matter to TDX, one table ---- */

static const struct { const char *name, *why; } config_opts[] = {
	{ "CONFIG_INTEL_TDX_HOST", "the kernel's TDX host core (6.8 and later): the kernel backend needs it" },
	{ "CONFIG_KVM_INTEL_TDX", "KVM runs TDX guests (6.16 and later)" },
	{ "CONFIG_KVM", "KVM" },
	{ "CONFIG_KVM_INTEL", "kvm_intel: VMX, which TDX host enabling needs" },
	{ "CONFIG_KVM_PRIVATE_MEM", "guest_memfd: private memory of TDX guests" },
	{ "CONFIG_KVM_GENERIC_MEMORY_ATTRIBUTES", "private/shared memory attributes of guests" },
	{ "CONFIG_CPU_SUP_INTEL", "INTEL_TDX_HOST depends on it" },
	{ "CONFIG_X86_64", "INTEL_TDX_HOST depends on it" },
	{ "CONFIG_X86_X2APIC", "INTEL_TDX_HOST depends on it" },
	{ "CONFIG_X86_MCE", "INTEL_TDX_HOST depends on it (#MC on TDX private memory)" },
	{ "CONFIG_CONTIG_ALLOC", "INTEL_TDX_HOST depends on it (PAMT allocation)" },
	{ "CONFIG_ARCH_KEEP_MEMBLOCK", "INTEL_TDX_HOST selects it (TDX memory from memblock)" },
	{ "CONFIG_KEXEC_CORE", "older TDX host cores exclude kexec" },
	{ "CONFIG_X86_MSR", "/dev/cpu/N/msr, which check reads" },
	{ "CONFIG_HOTPLUG_CPU", "per-CPU TDX init on CPUs that come online" },
	{ "CONFIG_MEMORY_HOTPLUG", "memory added later is not TDX memory" },
	{ "CONFIG_NUMA", "TDX memory regions and PAMT per node" },
	{ "CONFIG_X86_SGX", "SEAM shares the BIOS's PRMRR/TME setup with SGX" },
	{ "CONFIG_X86_TME", "(older kernels) TME/MKTME support" },
	{ "CONFIG_INTEL_TDX_GUEST", "the kernel can run as a TDX guest" },
	{ "CONFIG_TDX_GUEST_DRIVER", "/dev/tdx_guest (attestation inside a TD)" },
	{ "CONFIG_MODULES", "tdxctl.ko is a module" },
	{ "CONFIG_MODULE_SIG_FORCE", "unsigned modules (a DKMS-built tdxctl.ko) are refused" },
	{ "CONFIG_SECURITY_LOCKDOWN_LSM", "lockdown can refuse /dev/cpu/N/msr and unsigned modules" },
};
#define NCONFIG (sizeof(config_opts) / sizeof(config_opts[0]))

/* A .gz file's content (libarchive: the gzip filter, raw format). */
static char *gunzip(const char *data, size_t len, size_t *out_len, int *err)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	size_t cap = 1 << 16, n = 0;
	char *out = malloc(cap);
	la_ssize_t r = 0;

	*err = 0;
	if (!out || archive_read_support_filter_gzip(a) != ARCHIVE_OK ||
	    archive_read_support_format_raw(a) != ARCHIVE_OK ||
	    archive_read_open_memory(a, data, len) != ARCHIVE_OK ||
	    archive_read_next_header(a, &e) != ARCHIVE_OK) {
		*err = EILSEQ;
		goto fail;
	}
	for (;;) {
		if (cap - n < 4096) {
			char *no;

			if (cap >= SR_SLURP_MAX) {
				*err = EFBIG;
				goto fail;
			}
			no = realloc(out, cap * 2);
			if (!no) {
				*err = ENOMEM;
				goto fail;
			}
			out = no;
			cap *= 2;
		}
		r = archive_read_data(a, out + n, cap - n - 1);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	if (r < 0) {
		*err = EILSEQ;
		goto fail;
	}
	archive_read_free(a);
	out[n] = '\0';
	*out_len = n;
	return out;
fail:
	archive_read_free(a);
	free(out);
	return NULL;
}

/* The value of option name in a config text: "y", "m", "\"...\"", "n" for
 * "# ... is not set"; NULL when the config does not mention it. */
static const char *config_value(const char *text, const char *name, char *buf, size_t len)
{
	size_t nl = strlen(name);

	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *end = strchr(l, '\n');
		size_t ll = end ? (size_t)(end - l) : strlen(l);

		if (ll > nl && !strncmp(l, name, nl) && l[nl] == '=') {
			snprintf(buf, len, "%.*s", (int)(ll - nl - 1), l + nl + 1);
			return buf;
		}
		if (ll == nl + 13 && !strncmp(l, "# ", 2) && !strncmp(l + 2, name, nl) &&
		    !strncmp(l + 2 + nl, " is not set", 11))
			return "n";
	}
	return NULL;
}

/*
 * Only the options of config_opts, from /proc/config.gz or else
 * /boot/config-RELEASE, written as tdxctl/kernel-config (config syntax,
 * "# CONFIG_X: not in this config" for one it does not mention).
 */
static json_object *collect_config(struct bundle *b, const char *krel)
{
	json_object *o = json_object_new_object(), *opts = json_object_new_object();
	char boot[256], *text = NULL, *raw;
	const char *from = NULL;
	size_t len = 0;
	int err = 0, boot_err = 0;

	raw = sr_slurp("/proc/config.gz", &len);
	if (raw) {
		text = gunzip(raw, len, &len, &err);
		free(raw);
		if (text)
			from = "proc/config.gz";
		else
			note_missing(b, "proc/config.gz", err, err == EILSEQ ? "not a readable gzip file" : NULL);
	} else {
		err = errno;
		if (err != ENOENT)
			note_missing(b, "proc/config.gz", err, NULL);
		else
			json_object_array_add(b->absent, json_object_new_string("proc/config.gz"));
	}
	if (!text && krel[0] && !strchr(krel, '/')) {
		snprintf(boot, sizeof(boot), "/boot/config-%s", krel);
		text = sr_slurp(boot, &len);
		if (text) {
			from = boot + 1;
		} else {
			boot_err = errno;
			if (boot_err != ENOENT)
				note_missing(b, boot + 1, boot_err, NULL);
			else
				json_object_array_add(b->absent, json_object_new_string(boot + 1));
		}
	}
	json_object_object_add(o, "path", json_object_new_string("tdxctl/kernel-config"));
	json_object_object_add(o, "source", from ? json_object_new_string(from) : NULL);
	if (text) {
		size_t cap = 256 + NCONFIG * 160, n = 0;
		char *out = malloc(cap), val[128];

		if (out)
			n += (size_t)snprintf(out + n, cap - n, "# the TDX-related options of %s (tdxctl diag)\n", from);
		for (size_t i = 0; out && i < NCONFIG; i++) {
			const char *v = config_value(text, config_opts[i].name, val, sizeof(val));

			if (!v)
				n += (size_t)snprintf(out + n, cap - n, "# %s: not in this config\n", config_opts[i].name);
			else if (v != val)	/* "# CONFIG_X is not set" */
				n += (size_t)snprintf(out + n, cap - n, "# %s is not set\n", config_opts[i].name);
			else
				n += (size_t)snprintf(out + n, cap - n, "%s=%s\n", config_opts[i].name, v);
			json_object_object_add(opts, config_opts[i].name, v ? json_object_new_string(v) : NULL);
		}
		if (out)
			put_file(b, "tdxctl/kernel-config", out, n);
		free(out);
		free(text);
	} else {
		json_object_object_add(o, "reason", json_object_new_string(
			"neither /proc/config.gz nor /boot/config-RELEASE could be read"));
	}
	json_object_object_add(o, "options", opts);
	return o;
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
	if (o.verify)
		return diag_verify(o.verify);
	return make_bundle(&o);
}
