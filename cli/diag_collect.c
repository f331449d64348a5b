// SPDX-License-Identifier: GPL-2.0-only
/*
 * diag_collect.c - the sources of a diag bundle: each path version,
 * status and check read (sr_tap()), the MSRs check read in the compact
 * replay layout (dev/cpu/msr.replay), the
 * kernel log, DMI identity, module parameters and the TDX options of the
 * kernel config; each read whole, redacted and put in the archive.
 */
#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "facts.h"
#include "kmsg.h"
#include "kvm.h"
#include "print.h"
#include "sha256.h"
#include "sysroot.h"
#include "tdxctl.h"

const char *const dmi_secret[] = {
	"product_serial", "product_uuid", "board_serial", "chassis_serial",
	"board_asset_tag", "chassis_asset_tag",
};
/* DMI identity beyond what check reads (the secrets are read to be redacted) */
const char *const dmi_more[] = {
	"sys_vendor", "product_name", "product_version", "product_family", "product_sku",
	"board_vendor", "board_name", "board_version", "chassis_vendor",
	"bios_vendor", "bios_version", "bios_date", "bios_release",
};

/*
 * The MSRs check read, in the compact replay layout (sysroot.c): one file,
 * dev/cpu/msr.replay, for every CPU, written at the first /dev/cpu/N/msr
 * check opened from the values it read (the sysroot layer keeps each
 * answer: nothing is read again).  Per CPU the manifest says, as before,
 * what could not be read: no msr file is absent, any other error missing.
 */
static void collect_msr(struct bundle *b, const char *path, unsigned cpu)
{
	static bool written;
	int err = 0;
	bool any = false;

	if (!written) {
		size_t len = 0;
		char *text = sr_msr_replay_text(&len);

		written = true;
		if (text)
			put_file(b, "dev/cpu/msr.replay", text, len);
		free(text);
	}
	for (int k = 0; k < NMSR; k++) {
		uint64_t v;
		int r = sr_rdmsr(cpu, msr_ids[k], &v);

		if (r == -EIO || !r) {	/* a value, or #GP */
			any = true;
			continue;
		}
		err = -r;
		break;
	}
	if (err == ENOENT && !any)
		json_object_array_add(b->absent, json_object_new_string(path + 1));
	else if (err)
		note_missing(b, path + 1, err, err == EACCES || err == EPERM ?
			     "permission denied: needs root (CAP_SYS_RAWIO)" : NULL);
}

/* A replayed tree's dev/cpu/msr.replay, as it is: numbers only, nothing
 * to redact; one that could not be read is missing. */
static void collect_msr_replay(struct bundle *b, const char *path)
{
	size_t len = 0;
	char *buf = sr_slurp_max(path, 16u << 20, &len);

	if (!buf) {
		int e = errno ? errno : EIO;

		if (e == ENOENT)
			json_object_array_add(b->absent, json_object_new_string(path + 1));
		else
			note_missing(b, path + 1, e, NULL);
		return;
	}
	put_file(b, path, buf, len);
	free(buf);
}

/* Where the kernel log came from, for the manifest. */
void note_klog(struct bundle *b, const struct klog_source *s, size_t kept)
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

		/* a sysfs attribute answering ENXIO or ENODATA has no value
		 * now (tdx_host/version before the TDX module is initialized):
		 * the kernel's answer, not a file diag failed to collect */
		if (e == ENOENT || ((e == ENXIO || e == ENODATA) && !strncmp(path, "/sys/", 5)))
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

/*
 * /dev/kvm: what check's kvm.vm_types asked it, as a replay reads it
 * ("vm_types=0x21", or the errno name of the failure: ENOENT for no KVM).
 * A replayed tree's record is copied as it is.
 */
static void collect_kvm(struct bundle *b, const char *path)
{
	unsigned long types = 0;
	char rec[64];
	int err;

	if (!sr_is_live()) {
		collect_file(b, path);
		return;
	}
	err = kvm_vm_types(&types);
	if (err)
		snprintf(rec, sizeof(rec), "vm_types=%s\n", errno_name(-err));
	else
		snprintf(rec, sizeof(rec), "vm_types=0x%lx\n", types);
	put_file(b, path, rec, strlen(rec));
}

void collect(struct bundle *b, const char *path)
{
	unsigned cpu;
	int end = 0;

	if (sscanf(path, "/dev/cpu/%u/msr%n", &cpu, &end) == 1 && end && !path[end])
		collect_msr(b, path, cpu);
	else if (!strcmp(path, "/dev/cpu/msr.replay"))
		collect_msr_replay(b, path);
	else if (!strcmp(path, "/dev/kmsg"))
		collect_kmsg(b, path);
	else if (!strcmp(path, "/dev/kvm"))
		collect_kvm(b, path);
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
void read_identity(struct bundle *b)
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

static const char *const fwu_files[] = { "status", "error", "remaining_size", "loading" };

/* What the issue of a support case needs beyond what status and check read. */
void add_extras(struct seen *s, const struct bundle *b)
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
	/* the TDX module update (Linux 7.2): the firmware-upload device's
	 * state and last error, the loader attributes (status reads them) */
	if (sr_exists("/sys/class/firmware/tdx_module"))
		for (size_t i = 0; i < sizeof(fwu_files) / sizeof(fwu_files[0]); i++) {
			snprintf(rel, sizeof(rel), "/sys/class/firmware/tdx_module/%s", fwu_files[i]);
			tap(rel, SR_READ, s);
		}
	tap("/sys/devices/faux/tdx_host/seamldr_version", SR_READ, s);
	tap("/sys/devices/faux/tdx_host/num_remaining_updates", SR_READ, s);
	/* check's kvm.vm_types asks /dev/kvm itself, not through the sysroot */
	tap("/dev/kvm", SR_READ, s);
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
json_object *collect_config(struct bundle *b, const char *krel)
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

/* ---- the paths the commands read ---- */

void tap(const char *path, enum sr_how how, void *arg)
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

int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void seen_free(struct seen *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}
