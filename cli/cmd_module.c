// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_module.c - tdxctl module update FILE, tdxctl module versions
 *
 * The TD-preserving runtime update of the TDX module through Linux 7.2's
 * interface (upstream drivers/virt/coco/tdx-host/tdx-host.c,
 * arch/x86/virt/vmx/tdx/seamldr.c, Documentation/ABI/testing/
 * sysfs-devices-faux-tdx-host):
 *   /sys/devices/faux/tdx_host/{version,seamldr_version,num_remaining_updates}
 *   /sys/class/firmware/tdx_module/{loading,data,status,error,remaining_size}
 * Every pre-check of Intel's version_select_and_load.py runs first (the
 * blob header, every CPU online, updates left, the CPU the blob is signed
 * for, the P-SEAMLDR, TD-preserving from the running version, no
 * downgrade, no debug build); if any fails, nothing is written.
 */
#include <argp.h>
#include <stdarg.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "blob.h"
#include "check.h"
#include "cpulist.h"
#include "modupd.h"
#include "print.h"
#include "sysroot.h"
#include "tdxctl.h"

#define FAUX "/sys/devices/faux/tdx_host"
#define FWU "/sys/class/firmware/tdx_module"

/* ---- the system as the update sees it ---- */

void upd_sys_read(struct upd_sys *s)
{
	ssize_t n;
	char *ci;

	memset(s, 0, sizeof(*s));
	n = sr_read("/proc/sys/kernel/osrelease", s->release, sizeof(s->release));
	if (n < 0)
		s->release[0] = '\0';
	s->faux = sr_exists(FAUX);
	n = sr_read(FAUX "/version", s->version, sizeof(s->version));
	s->version_err = n < 0 ? (int)-n : 0;
	s->version_ok = !s->version_err && !tdx_ver_parse(s->version, &s->running);
	n = sr_read(FAUX "/seamldr_version", s->seamldr, sizeof(s->seamldr));
	s->seamldr_err = n < 0 ? (int)-n : 0;
	s->seamldr_ok = !s->seamldr_err && !tdx_ver_parse(s->seamldr, &s->loader);
	n = sr_read(FAUX "/num_remaining_updates", s->remaining, sizeof(s->remaining));
	s->remaining_err = n < 0 ? (int)-n : 0;
	if (!s->remaining_err) {
		char *end;

		errno = 0;
		s->left = strtoul(s->remaining, &end, 10);
		s->left_ok = !errno && end != s->remaining && !*end;
	}
	s->fwu = sr_exists(FWU);
	s->fwu_class = sr_exists("/sys/class/firmware");
	cpumasks_read(&s->m);
	ci = sr_slurp_max("/proc/cpuinfo", 64u << 20, NULL);
	s->cpuinfo_err = ci ? 0 : errno;
	if (ci) {
		const char *p;

		if ((p = strstr(ci, "\ncpu family\t: ")))
			s->have_cpu = sscanf(p, "\ncpu family\t: %u", &s->family) == 1;
		if (s->have_cpu && (p = strstr(ci, "\nmodel\t\t: ")))
			s->have_cpu = sscanf(p, "\nmodel\t\t: %u", &s->model) == 1;
		else
			s->have_cpu = false;
		if ((p = strstr(ci, "\nbugs\t\t: "))) {
			const char *e = strchr(p + 1, '\n');
			const char *b = strstr(p, "seamret_invd_vmcs");

			s->bug_invd_vmcs = b && (!e || b < e);
		}
		if (s->have_cpu)
			s->eax = cpuid1_eax(s->family, s->model);
		free(ci);
	}
	s->kconfig_fwu = sr_kconfig(s->release, "CONFIG_FW_UPLOAD", s->kconfig_path, sizeof(s->kconfig_path));
	s->proc_config_gz = sr_exists("/proc/config.gz");
	sscanf(s->release, "%d.%d", &s->kmajor, &s->kminor);
}

void upd_sys_free(struct upd_sys *s)
{
	cpumasks_free(&s->m);
}

/* VMs KVM knows (its debugfs has a PID-FD directory per VM): -1 when not
 * readable.  Any of them may be a TD. */
int upd_count_vms(void)
{
	int fd = sr_open_dir("/sys/kernel/debug/kvm"), n = 0;
	DIR *d;
	struct dirent *e;

	if (fd < 0)	/* KVM not loaded: no VM, no TD */
		return sr_exists("/sys/module/kvm") ? -1 : 0;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -1;
	}
	while ((e = readdir(d))) {
		unsigned a, b;
		char c;

		if (sscanf(e->d_name, "%u-%u%c", &a, &b, &c) == 2)
			n++;
	}
	closedir(d);
	return n;
}

/* ---- the pre-checks ---- */

static void ev(struct upd_check *c, const char *source, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void ev(struct upd_check *c, const char *source, const char *path, const char *fmt, ...)
{
	va_list ap;

	if (c->nev >= UPD_NEV)
		return;
	c->ev[c->nev].source = source;
	c->ev[c->nev].path = path;
	va_start(ap, fmt);
	vsnprintf(c->ev[c->nev].value, sizeof(c->ev[0].value), fmt, ap);
	va_end(ap);
	c->nev++;
}

static void say(struct upd_check *c, enum verdict v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(struct upd_check *c, enum verdict v, const char *fmt, ...)
{
	va_list ap;

	c->v = v;
	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof(c->reason), fmt, ap);
	va_end(ap);
}

static const char *err_text(int e)
{
	return e == ENXIO ? "ENXIO" : e == ENOENT ? "absent" : e == EACCES ? "EACCES" : strerror(e);
}

/* a read that failed for want of privilege: unknown, exit 5 */
static bool denied(struct upd_check *c, int err, const char *what)
{
	if (err != EACCES && err != EPERM)
		return false;
	say(c, V_UNKNOWN, "%s is not readable (%s): run as root", what, err_text(err));
	c->code = EXIT_PERM;
	c->hint = "run tdxctl module update as root (the loader attributes are 0400)";
	return true;
}

static void uc_interface(const struct upd_sys *s, struct upd_check *c)
{
	c->code = EXIT_NOTSUP;
	ev(c, "file", FWU, "%s", s->fwu ? "present" : "absent");
	if (s->fwu) {
		say(c, V_PASS, "the firmware-upload device tdx_module is there");
		return;
	}
	if (s->kconfig_fwu >= 0)
		ev(c, "file", s->kconfig_path, "CONFIG_FW_UPLOAD %s", s->kconfig_fwu ? "=y" : "not set");
	ev(c, "file", FAUX, "%s", s->faux ? "present" : "absent");
	ev(c, "file", "/proc/sys/kernel/osrelease", "%s", s->release[0] ? s->release : "unknown");
	if (s->kconfig_fwu == 0) {
		say(c, V_FAIL, "no TDX module update interface: kernel %s is built without CONFIG_FW_UPLOAD "
		    "(the firmware-upload API the update goes through)", s->release);
		c->hint = "boot a kernel with CONFIG_FW_UPLOAD=y (Linux 7.2's tdx-host driver selects it)";
	} else if (s->kmajor && (s->kmajor < 7 || (s->kmajor == 7 && s->kminor < 2)) && !s->faux) {
		say(c, V_FAIL, "no TDX module update interface: kernel %s is older than 7.2, which adds it "
		    "(%s), and no driver provides it", s->release, FWU);
		c->hint = "boot Linux 7.2 or newer (drivers/virt/coco/tdx-host) on the TDX host";
	} else if (!s->faux) {
		say(c, V_FAIL, "no TDX module update interface: the tdx_host device is missing (%s): the "
		    "driver providing it (tdx-host) is not loaded", FAUX);
		c->hint = "modprobe tdx-host (it loads only when the kernel initialized the TDX module at boot)";
	} else if (s->remaining_err == ENOENT && s->seamldr_err == ENOENT) {
		say(c, V_FAIL, "no TDX module update interface: runtime update is not supported on this "
		    "platform (the tdx_host device hides its loader attributes and offers no tdx_module: %s)",
		    s->bug_invd_vmcs ? "the CPU has the seamret_invd_vmcs bug" :
		    "the TDX module lacks TD_PRESERVING (TDX_FEATURES0 bit 1) or the CPU has the seamret_invd_vmcs bug");
		c->hint = "a TDX module with TD-preserving update support must be loaded at boot (BIOS update)";
	} else if (!s->fwu_class || s->kconfig_fwu < 0) {
		say(c, V_FAIL, "no TDX module update interface: the tdx_host device has no firmware-upload "
		    "device tdx_module: the kernel has no firmware-upload API (CONFIG_FW_UPLOAD not set%s)",
		    s->proc_config_gz ? "; /proc/config.gz tells" : "");
		c->hint = "boot a kernel with CONFIG_FW_UPLOAD=y";
	} else {
		say(c, V_FAIL, "no TDX module update interface: the tdx_host device offers no tdx_module "
		    "firmware-upload device");
		c->hint = "the driver providing tdx_host registers tdx_module only with runtime update support";
	}
}

static void uc_initialized(const struct upd_sys *s, struct upd_check *c)
{
	c->code = EXIT_BUSY;
	ev(c, "file", FAUX "/version", "%s", s->version_err ? err_text(s->version_err) : s->version);
	if (s->version_ok) {
		say(c, V_PASS, "TDX module %s is initialized", s->version);
	} else if (s->version_err == ENXIO) {
		say(c, V_FAIL, "the TDX module is not initialized (reading its version: ENXIO)");
		c->hint = "tdxctl status says why; an update needs a running TDX module";
	} else if (s->version_err == ENOENT) {
		c->code = EXIT_NOTSUP;
		say(c, V_FAIL, "no TDX module version: %s is missing", FAUX);
		c->hint = "an update needs the tdx_host device (Linux 7.2+)";
	} else if (!denied(c, s->version_err, "the TDX module version")) {
		say(c, V_FAIL, "the TDX module version is unreadable (%s)",
		    s->version_err ? err_text(s->version_err) : "not MAJOR.MINOR.UPDATE");
		c->hint = "tdxctl status says what state the TDX module is in";
	}
}

static void uc_cpus(const struct upd_sys *s, struct upd_check *c)
{
	char *pres, *onl, *off, *name;

	c->code = EXIT_BUSY;
	if (!s->m.known) {
		char why[160];

		say(c, V_UNKNOWN, "the CPU masks are not known (%s)", cpumasks_why(&s->m, why, sizeof(why)));
		c->code = EXIT_UNKNOWN;
		return;
	}
	pres = cpuset_format(s->m.present);
	onl = cpuset_format(s->m.online);
	ev(c, "file", "/sys/devices/system/cpu/present", "%s", pres);
	ev(c, "file", "/sys/devices/system/cpu/online", "%s", onl);
	if (cpuset_empty(s->m.offline)) {
		say(c, V_PASS, "every present CPU is online (%s)", onl);
	} else {
		off = cpuset_format(s->m.offline);
		name = cpuset_name(s->m.offline);
		say(c, V_FAIL, "%s %s offline: the update needs every present CPU online", name,
		    cpuset_is(s->m.offline));
		c->hint = "bring them online (echo 1 > /sys/devices/system/cpu/cpuN/online), then update";
		free(off);
		free(name);
	}
	free(pres);
	free(onl);
}

static void uc_remaining(const struct upd_sys *s, struct upd_check *c)
{
	c->code = EXIT_BUSY;
	ev(c, "file", FAUX "/num_remaining_updates", "%s",
	   s->remaining_err ? err_text(s->remaining_err) : s->remaining);
	if (s->bug_invd_vmcs)
		ev(c, "cpuinfo", "/proc/cpuinfo", "bugs: seamret_invd_vmcs");
	if (s->left_ok && s->left > 0) {
		say(c, V_PASS, "%lu update%s left before a reboot", s->left, s->left == 1 ? "" : "s");
	} else if (s->left_ok) {
		say(c, V_FAIL, "no updates left (num_remaining_updates is 0): the P-SEAMLDR takes no more "
		    "until the next reboot");
		c->hint = "reboot (the TDX module loaded at boot is the BIOS's or the kernel's), then update";
	} else if (s->remaining_err == ENOENT && s->faux) {
		c->code = EXIT_NOTSUP;
		say(c, V_FAIL, "runtime update is not supported on this platform: num_remaining_updates is "
		    "hidden (%s)", s->bug_invd_vmcs ? "the CPU has the seamret_invd_vmcs bug" :
		    "the TDX module lacks TD_PRESERVING (TDX_FEATURES0 bit 1) or the CPU has the "
		    "seamret_invd_vmcs bug");
		c->hint = "a TDX module with TD-preserving update support must be loaded at boot (BIOS update)";
	} else if (!denied(c, s->remaining_err, "num_remaining_updates")) {
		c->code = s->faux ? EXIT_FAILED : EXIT_NOTSUP;
		say(c, V_FAIL, "updates left unknown (num_remaining_updates %s)",
		    s->remaining_err ? err_text(s->remaining_err) : "is not a count");
		c->hint = "an update needs the tdx_host device's loader attributes (Linux 7.2+)";
	}
}

static void uc_release(const struct upd_subject *u, struct upd_check *c)
{
	char v[16];

	c->code = EXIT_FAILED;
	if (u->mapping_path)
		ev(c, "file", u->mapping_path, "%s", u->rel ? "release listed" : "release not listed");
	if (u->rel) {
		say(c, V_PASS, "release %s is in %s", tdx_ver_str(&u->ver, v, sizeof(v)), u->mapping_path);
	} else {
		say(c, V_FAIL, "%s", u->mapping_why ? u->mapping_why : "no release information");
		c->hint = "give Intel's mapping_file.json with --mapping FILE (github.com/intel/tdx-module-binaries)";
	}
}

static void uc_cpu(const struct upd_sys *s, const struct upd_subject *u, struct upd_check *c)
{
	char list[160] = "";
	size_t off = 0;

	c->code = EXIT_FAILED;
	for (uint32_t i = 0; i < u->b->ncpuid && off < sizeof(list) - 16; i++)
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s0x%x", i ? "," : "", u->b->cpuid[i]);
	ev(c, "blob", u->path, "sigstruct CPUID table: %s", u->b->ncpuid ? list : "empty");
	if (!s->have_cpu) {
		say(c, V_UNKNOWN, "the CPU family and model are unknown (/proc/cpuinfo %s)",
		    s->cpuinfo_err ? strerror(s->cpuinfo_err) : "has no cpu family/model");
		c->code = EXIT_UNKNOWN;
		return;
	}
	ev(c, "cpuinfo", "/proc/cpuinfo", "cpu family %u, model %u: CPUID.1.EAX 0x%x (stepping ignored)",
	   s->family, s->model, s->eax);
	if (blob_signed_for(u->b, s->eax)) {
		say(c, V_PASS, "signed for this CPU (CPUID.1.EAX 0x%x)", s->eax);
	} else {
		say(c, V_FAIL, "the blob is not signed for this CPU: family %u model %u (CPUID.1.EAX 0x%x) "
		    "is not in its CPUID table (%s)", s->family, s->model, s->eax, list);
		c->hint = "take the TDX module release built for this CPU (tdxctl module versions --mapping DIR lists them)";
	}
}

static void uc_debug(const struct upd_subject *u, struct upd_check *c)
{
	c->code = EXIT_FAILED;
	ev(c, "blob", u->path, "sigstruct module_type 0x%08x", u->b->module_type);
	if (!u->b->debug) {
		say(c, V_PASS, "production-signed");
	} else {
		say(c, V_FAIL, "the blob is a debug-signed TDX module (module_type bit 31): not for a production host");
		c->hint = "take the production release of this version";
	}
}

static void uc_loader(const struct upd_sys *s, const struct upd_subject *u, struct upd_check *c)
{
	char want[120] = "", v[16];
	size_t off = 0;

	c->code = EXIT_FAILED;
	ev(c, "file", FAUX "/seamldr_version", "%s", s->seamldr_err ? err_text(s->seamldr_err) : s->seamldr);
	if (!u->rel) {
		say(c, V_SKIP, "no release information (update.release)");
		return;
	}
	for (unsigned i = 0; i < u->rel->nldr; i++)
		off += (size_t)snprintf(want + off, sizeof(want) - off, "%s%s", i ? ", " : "",
					tdx_ver_str(&u->rel->min_ldr[i], v, sizeof(v)));
	ev(c, "file", u->mapping_path, "min_seamldr_versions: %s", off ? want : "none");
	if (!s->seamldr_ok) {
		if (denied(c, s->seamldr_err, "the P-SEAMLDR version"))
			return;
		c->code = s->seamldr_err == ENOENT ? EXIT_NOTSUP : EXIT_FAILED;
		say(c, V_FAIL, "the P-SEAMLDR version is unknown (seamldr_version %s)",
		    s->seamldr_err ? err_text(s->seamldr_err) : "not MAJOR.MINOR.UPDATE");
		c->hint = "runtime update needs the loader attributes of the tdx_host device";
	} else if (release_loader_ok(u->rel, &s->loader)) {
		say(c, V_PASS, "P-SEAMLDR %s meets the release's minimum (%s)", s->seamldr, want);
	} else {
		say(c, V_FAIL, "the P-SEAMLDR %s is too old for this release: it needs one of %s (same "
		    "major.minor, that update or newer)", s->seamldr, off ? want : "(none listed)");
		c->hint = "update the BIOS (it carries the P-SEAMLDR), then this TDX module";
	}
}

static void uc_newer(const struct upd_sys *s, const struct upd_subject *u, struct upd_check *c)
{
	char v[16];
	int d;

	c->code = EXIT_FAILED;
	ev(c, "blob", u->path, "version %s", tdx_ver_str(&u->ver, v, sizeof(v)));
	if (!s->version_ok) {
		say(c, V_SKIP, "the running version is unknown (update.module.initialized)");
		return;
	}
	d = tdx_ver_cmp(&u->ver, &s->running);
	if (d > 0) {
		say(c, V_PASS, "%s is newer than the running %s", v, s->version);
	} else if (d == 0) {
		say(c, V_FAIL, "TDX module %s is already running: nothing to update", s->version);
		c->hint = "tdxctl module versions --mapping DIR names a newer release";
	} else {
		say(c, V_FAIL, "%s is older than the running %s: a downgrade (runtime updates go up only)",
		    v, s->version);
		c->hint = "a downgrade needs a reboot with the older TDX module";
	}
}

static void uc_td_preserving(const struct upd_sys *s, const struct upd_subject *u, struct upd_check *c)
{
	char v[16], m[16];

	c->code = EXIT_FAILED;
	if (!u->rel || !s->version_ok) {
		say(c, V_SKIP, "%s", !u->rel ? "no release information (update.release)" :
		    "the running version is unknown (update.module.initialized)");
		return;
	}
	tdx_ver_str(&u->rel->ver, v, sizeof(v));
	if (u->rel->has_min_td)
		tdx_ver_str(&u->rel->min_td, m, sizeof(m));
	else
		snprintf(m, sizeof(m), "%u.%u.00", u->rel->ver.major, u->rel->ver.minor);
	ev(c, "file", u->mapping_path, "min_module_version_for_td_preserving: %s", m);
	ev(c, "file", FAUX "/version", "%s", s->version);
	if (release_td_preserving(u->rel, &s->running)) {
		say(c, V_PASS, "TD-preserving from %s (same %u.%u, running update at least %s)", s->version,
		    s->running.major, s->running.minor, m);
	} else if (u->rel->ver.major != s->running.major || u->rel->ver.minor != s->running.minor) {
		say(c, V_FAIL, "not TD-preserving: %s is a different major.minor than the running %s "
		    "(runtime updates change the update number only)", v, s->version);
		c->hint = "a new major.minor needs a reboot with that TDX module";
	} else if (u->rel->ver.update <= s->running.update) {
		say(c, V_FAIL, "not TD-preserving: %s is not newer than the running %s", v, s->version);
		c->hint = "take a newer release";
	} else {
		say(c, V_FAIL, "not TD-preserving: %s updates only from %s or newer, %s is running", v, m,
		    s->version);
		c->hint = "update to an intermediate release first (tdxctl module versions lists them)";
	}
}

/* The pre-checks, as tdxctl explain describes them */
#define UPD(i, t, a, f) { .id = i, .title = t, .category = "update", .req = REQ_REQUIRED, .about = a, .fix = f, .desc = a }
const struct check_def upd_check_defs[UC_N + 1] = {
	[UC_INTERFACE] = UPD("update.interface", "TDX module update interface",
		"module update: the firmware-upload device /sys/class/firmware/tdx_module (Linux 7.2, "
		"drivers/virt/coco/tdx-host) is there.  When absent it says why: a kernel before 7.2, a "
		"kernel without CONFIG_FW_UPLOAD (/boot/config-RELEASE), or the driver providing tdx_host "
		"not loaded.  Exit 4.",
		"boot Linux 7.2+ built with CONFIG_FW_UPLOAD; modprobe tdx-host"),
	[UC_INITIALIZED] = UPD("update.module.initialized", "TDX module initialized",
		"module update: /sys/devices/faux/tdx_host/version is readable (ENXIO: the TDX module is "
		"not initialized).  Exit 6.",
		"tdxctl status says why the TDX module is not running"),
	[UC_CPUS] = UPD("update.cpus.online", "Every CPU online",
		"module update: every present CPU is online (the P-SEAMLDR installs the module on every "
		"CPU, with all of them stopped).  Exit 6.",
		"echo 1 > /sys/devices/system/cpu/cpuN/online for each offline CPU"),
	[UC_REMAINING] = UPD("update.loader.remaining", "Updates left",
		"module update: /sys/devices/faux/tdx_host/num_remaining_updates is above 0 (0: exit 6, "
		"until reboot).  Hidden: runtime update is not supported here (the TDX module lacks "
		"TD_PRESERVING, or the CPU has the seamret_invd_vmcs bug), exit 4.",
		"reboot to reset the count; a BIOS with a TD-preserving TDX module for hidden attributes"),
	[UC_RELEASE] = UPD("update.release", "Release information",
		"module update: the image's version is listed in Intel's mapping_file.json (--mapping, "
		"beside the image, or two directories up).  Exit 1.",
		"give Intel's mapping_file.json with --mapping FILE"),
	[UC_CPU] = UPD("update.blob.cpu", "Signed for this CPU",
		"module update: this CPU's CPUID.1.EAX (family and model from /proc/cpuinfo, stepping "
		"ignored) is in the image's sigstruct CPUID table.  Exit 1.",
		"take the release built for this CPU (tdxctl module versions --mapping DIR)"),
	[UC_DEBUG] = UPD("update.blob.production", "Not a debug build",
		"module update: the image is not debug-signed (sigstruct module_type bit 31).  Exit 1.",
		"take the production release"),
	[UC_LOADER] = UPD("update.loader.version", "P-SEAMLDR version",
		"module update: the P-SEAMLDR (/sys/devices/faux/tdx_host/seamldr_version) meets one of "
		"the release's min_seamldr_versions: same major.minor, that update or newer.  Exit 1.",
		"update the BIOS (it carries the P-SEAMLDR)"),
	[UC_NEWER] = UPD("update.version.newer", "Newer than the running version",
		"module update: the image is newer than the running TDX module (runtime updates never go "
		"down or stay).  Exit 1.",
		"a downgrade needs a reboot with the older TDX module"),
	[UC_TD_PRESERVING] = UPD("update.version.td_preserving", "TD-preserving",
		"module update: same major.minor as the running TDX module, and the running update at "
		"least the release's min_module_version_for_td_preserving.  Exit 1.",
		"update through an intermediate release, or reboot with the new one"),
};

const struct check_def *upd_check_def_find(const char *id)
{
	for (unsigned i = 0; i < UC_N; i++)
		if (!strcmp(upd_check_defs[i].id, id))
			return &upd_check_defs[i];
	return NULL;
}

int upd_checks(const struct upd_sys *s, const struct upd_subject *u, struct upd_check *c)
{
	int rc = 0, unknown = 0;

	memset(c, 0, sizeof(*c) * UC_N);
	for (int i = 0; i < UC_N; i++) {
		c[i].id = upd_check_defs[i].id;
		c[i].title = upd_check_defs[i].title;
	}
	uc_interface(s, &c[UC_INTERFACE]);
	uc_initialized(s, &c[UC_INITIALIZED]);
	uc_cpus(s, &c[UC_CPUS]);
	uc_remaining(s, &c[UC_REMAINING]);
	uc_release(u, &c[UC_RELEASE]);
	uc_cpu(s, u, &c[UC_CPU]);
	uc_debug(u, &c[UC_DEBUG]);
	uc_loader(s, u, &c[UC_LOADER]);
	uc_newer(s, u, &c[UC_NEWER]);
	uc_td_preserving(s, u, &c[UC_TD_PRESERVING]);
	/* the first failed check's status; else an unknown one's */
	for (int i = 0; i < UC_N; i++) {
		if (c[i].v == V_FAIL && !rc)
			rc = c[i].code;
		if (c[i].v == V_UNKNOWN && !unknown)
			unknown = c[i].code ? c[i].code : EXIT_UNKNOWN;
	}
	return rc ? rc : unknown;
}

void upd_checks_print(const struct upd_check *c, unsigned n)
{
	pr_arr_begin("checks", NULL);
	for (unsigned i = 0; i < n; i++) {
		const struct upd_check *r = &c[i];
		bool bad = r->v == V_FAIL || r->v == V_UNKNOWN;
		char *reason = pr_esc(r->reason);
		enum pr_color col = r->v == V_PASS ? C_GOOD : r->v == V_FAIL ? C_BAD : C_DIM;

		pr_obj_begin(NULL, NULL);
		pr_fmt("id", NULL, pv_str(r->id));
		pr_text("%s%-7s%s  %-28s %s\n", pr_c(col), verdict_label(r->v), pr_c(C_NONE), r->id, reason);
		free(reason);
		pr_fmt("title", g.verbose ? "         title:    %s\n" : NULL, pv_str(r->title));
		pr_fmt("status", NULL, pv_str(verdict_name(r->v)));
		pr_fmt("reason", NULL, pv_str(r->reason));
		pr_arr_begin("evidence", NULL);
		for (unsigned k = 0; k < r->nev; k++) {
			pr_obj_begin(NULL, NULL);
			pr_fmt("source", "         evidence: %s", pv_str(r->ev[k].source));
			pr_fmt("path", r->ev[k].path ? " %s" : NULL, pv_str(r->ev[k].path));
			pr_fmt("value", ": %s\n", pv_str(r->ev[k].value));
			pr_obj_end();
		}
		pr_arr_end();
		pr_fmt("hint", bad && r->hint ? "         fix:      %s\n" : NULL, pv_str(bad ? r->hint : NULL));
		pr_obj_end();
	}
	pr_arr_end();
}

/* ---- tdxctl module versions ---- */

struct avail {
	struct tdx_ver ver;
	const struct release *rel;	/* NULL: a blob the mapping file does not list */
	char *blob;			/* NULL: listed, no blob */
	bool blob_ok, debug, signed_cpu;
};

struct versions_opts {
	const char *mapping;
};

static const struct argp_option versions_options[] = {
	{ "mapping", 'm', "FILE|DIR", 0,
	  "Intel's mapping_file.json, or a directory laid out as Intel's repository "
	  "(DIR/mapping_file.json, DIR/joined_files/X.Y/tdx_module_X.Y.ZZ.blob)", 0 },
	{ 0 }
};

static error_t versions_parse(int key, char *arg, struct argp_state *state)
{
	struct versions_opts *o = state->input;

	switch (key) {
	case 'm':
		o->mapping = arg;
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "versions takes no arguments (--mapping FILE|DIR names the releases)");
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static const struct argp versions_argp = {
	versions_options, versions_parse, "",
	"Show the running TDX module, the P-SEAMLDR and the updates left; with --mapping, every "
	"release Intel's mapping_file.json lists (and, given a directory of blobs, every blob in "
	"it): newer than the running one?  TD-preserving from it?  P-SEAMLDR new enough?  Signed "
	"for this CPU (needs the blob)?  The newest eligible one is named.\v"
	"Examples:\n"
	"  tdxctl module versions\n"
	"  git clone https://github.com/intel/tdx-module-binaries && "
	"tdxctl module versions --mapping tdx-module-binaries\n\n"
	"Exit status: 0 shown; 1 the mapping file or directory could not be read; 4 no TDX module "
	"version on this host (no tdx_host device: Linux 7.2+).",
	global_children, NULL, NULL
};

static const struct pr_col avail_cols[] = {
	{ "version", "VERSION", COL_DEFAULT, "release version" },
	{ "newer", "NEWER", COL_DEFAULT, "newer than the running TDX module" },
	{ "td_preserving", "TD-PRESERVING", COL_DEFAULT, "a TD-preserving update from the running version" },
	{ "loader_ok", "LOADER-OK", COL_DEFAULT, "the P-SEAMLDR meets min_seamldr_versions" },
	{ "signed_for_cpu", "THIS-CPU", COL_DEFAULT, "signed for this CPU (null: no blob)" },
	{ "debug", "DEBUG", COL_DEFAULT, "debug-signed (null: no blob)" },
	{ "eligible", "ELIGIBLE", COL_DEFAULT, "every condition of module update holds" },
	{ "blob", "BLOB", COL_DEFAULT, "the image file (null: none found)" },
};
#define N_AVAIL_COLS (sizeof(avail_cols) / sizeof(avail_cols[0]))

static int avail_cmp(const void *a, const void *b)
{
	return tdx_ver_cmp(&((const struct avail *)a)->ver, &((const struct avail *)b)->ver);
}

static void blob_look(struct avail *a, const struct upd_sys *s)
{
	FILE *f = fopen(a->blob, "rb");
	unsigned char *img = malloc(BLOB_READ_MAX + 1);
	size_t n = 0;
	struct blob b;
	char err[200];

	if (f && img)
		n = fread(img, 1, BLOB_READ_MAX + 1, f);
	if (f)
		fclose(f);
	if (img && n && n <= BLOB_READ_MAX && !blob_parse(img, n, &b, err, sizeof(err))) {
		a->blob_ok = true;
		a->debug = b.debug;
		a->signed_cpu = s->have_cpu && blob_signed_for(&b, s->eax);
	}
	free(img);
}

/* The blobs of DIR/joined_files/X.Y/ and DIR itself */
static void blobs_scan(const char *dir, struct avail **av, unsigned *n, const struct mapping *m)
{
	const char *subs[] = { "", "/joined_files" };

	for (unsigned k = 0; k < 2; k++) {
		char p[PATH_MAX];
		DIR *d, *d2;
		struct dirent *e, *e2;

		snprintf(p, sizeof(p), "%s%s", dir, subs[k]);
		if (!(d = opendir(p)))
			continue;
		while ((e = readdir(d))) {
			char q[PATH_MAX * 2];
			struct tdx_ver v;

			if (e->d_name[0] == '.')
				continue;
			snprintf(q, sizeof(q), "%s/%s", p, e->d_name);
			if (k == 0 || !(d2 = opendir(q))) {
				if (tdx_ver_from_name(e->d_name, &v) || *n >= 512)
					continue;
				struct avail *grown = realloc(*av, (*n + 1) * sizeof(**av));

				if (!grown)
					break;
				*av = grown;
				(*av)[*n] = (struct avail){ .ver = v, .rel = mapping_find(m, &v), .blob = strdup(q) };
				(*n)++;
				continue;
			}
			while ((e2 = readdir(d2))) {
				char r[PATH_MAX * 3];

				if (tdx_ver_from_name(e2->d_name, &v) || *n >= 512)
					continue;
				snprintf(r, sizeof(r), "%s/%s", q, e2->d_name);
				struct avail *grown = realloc(*av, (*n + 1) * sizeof(**av));

				if (!grown)
					break;
				*av = grown;
				(*av)[*n] = (struct avail){ .ver = v, .rel = mapping_find(m, &v), .blob = strdup(r) };
				(*n)++;
			}
			closedir(d2);
		}
		closedir(d);
	}
}

static void running_print(const struct upd_sys *s)
{
	char x[16];
	const char *why = s->faux ? "not readable (root needed)" : "no tdx_host device (Linux 7.2+)";

	pr_obj_begin("running", NULL);
	pr_kv("version", "TDX module", s->version_ok ? pv_str(s->version) :
	      pv_null(s->version_err == ENXIO ? "not initialized" : s->faux ? "unknown" : why));
	pr_kv("seamldr_version", "P-SEAMLDR", s->seamldr_ok ? pv_str(s->seamldr) :
	      pv_null(s->faux && s->seamldr_err == ENOENT ? "not offered (no TD-preserving updates)" :
		      s->seamldr_err == EACCES || s->seamldr_err == EPERM ? why : s->faux ? "unknown" : why));
	pr_kv("remaining_updates", "updates left", s->left_ok ? pv_u(s->left) :
	      pv_null(s->faux && s->remaining_err == ENOENT ? "not offered (no TD-preserving updates)" :
		      s->remaining_err == EACCES || s->remaining_err == EPERM ? why : s->faux ? "unknown" : why));
	pr_kv("update_interface", "update interface", pv_text(pv_bool(s->fwu), s->fwu ? FWU : "absent"));
	snprintf(x, sizeof(x), "0x%x", s->eax);
	pr_kv("cpuid", "CPUID.1.EAX", s->have_cpu ? pv_str(x) : pv_null("unknown"));
	pr_obj_end();
}

/* A yes/no the table shows; null (unknown) as "-" in text */
static struct pv tri(int v)
{
	return v < 0 ? pv_null("-") : pv_color(pv_bool(v), v ? C_GOOD : C_NONE);
}

static bool avail_row(struct pr_table *t, const struct avail *a, const struct upd_sys *s)
{
	char v[16];
	int newer = s->version_ok ? tdx_ver_cmp(&a->ver, &s->running) > 0 : -1;
	int td = !a->rel || !s->version_ok ? -1 : release_td_preserving(a->rel, &s->running);
	int ldr = !a->rel || !s->seamldr_ok ? -1 : release_loader_ok(a->rel, &s->loader);
	int cpu = a->blob && a->blob_ok && s->have_cpu ? a->signed_cpu : -1;
	int dbg = a->blob && a->blob_ok ? a->debug : -1;
	bool ok = newer == 1 && td == 1 && ldr == 1 && cpu != 0 && dbg != 1 && (!a->blob || a->blob_ok);

	pr_row_begin(t);
	pr_cell(t, "version", pv_str(tdx_ver_str(&a->ver, v, sizeof(v))));
	pr_cell(t, "newer", tri(newer));
	pr_cell(t, "td_preserving", tri(td));
	pr_cell(t, "loader_ok", tri(ldr));
	pr_cell(t, "signed_for_cpu", tri(cpu));
	pr_cell(t, "debug", tri(dbg));
	pr_cell(t, "eligible", tri(ok));
	pr_cell(t, "blob", a->blob ? pv_str(a->blob) : pv_null("-"));
	pr_row_end(t);
	return ok;
}

/* --mapping FILE|DIR into m and the available releases */
static int versions_load(const char *arg, struct mapping *m, struct avail **av, unsigned *n,
			 const struct upd_sys *s)
{
	struct stat st;
	char path[PATH_MAX + 32], err[PATH_MAX + 128];
	bool dir = !stat(arg, &st) && S_ISDIR(st.st_mode);

	snprintf(path, sizeof(path), dir ? "%s/mapping_file.json" : "%s", arg);
	if (mapping_load(path, m, err, sizeof(err))) {
		pr_error(EXIT_FAILED, NULL, "give Intel's mapping_file.json or the directory holding it",
			 "%s", err);
		return EXIT_FAILED;
	}
	if (dir)
		blobs_scan(arg, av, n, m);
	for (unsigned i = 0; i < *n; i++)
		blob_look(&(*av)[i], s);
	/* the releases no blob stands for */
	for (unsigned i = 0; i < m->n; i++) {
		bool seen = false;

		for (unsigned k = 0; k < *n && !seen; k++)
			seen = !tdx_ver_cmp(&(*av)[k].ver, &m->rel[i].ver);
		if (seen)
			continue;
		struct avail *grown = realloc(*av, (*n + 1) * sizeof(**av));

		if (!grown)
			break;
		*av = grown;
		(*av)[(*n)++] = (struct avail){ .ver = m->rel[i].ver, .rel = &m->rel[i] };
	}
	qsort(*av, *n, sizeof(**av), avail_cmp);
	return 0;
}

int cmd_module_versions(int argc, char **argv)
{
	struct versions_opts o = { 0 };
	struct upd_sys s;
	struct mapping m = { 0 };
	struct avail *av = NULL;
	unsigned n = 0;
	int rc = cmd_parse(&versions_argp, argc, argv, &o), best = -1;

	if (rc)
		return rc;
	upd_sys_read(&s);
	running_print(&s);
	if (o.mapping && !(rc = versions_load(o.mapping, &m, &av, &n, &s))) {
		int sel[N_AVAIL_COLS];
		struct pr_table *t;

		for (unsigned i = 0; i < N_AVAIL_COLS; i++)
			sel[i] = (int)i;
		pr_kv("mapping", "mapping file", pv_str(m.path));
		pr_text("\n");
		t = pr_table_begin("available", avail_cols, N_AVAIL_COLS, sel, N_AVAIL_COLS);
		for (unsigned i = 0; i < n; i++)
			if (avail_row(t, &av[i], &s))
				best = (int)i;
		pr_table_end(t);
		if (best >= 0) {
			char v[16];

			pr_text("\n");
			pr_kv("newest_eligible", "newest eligible", pv_str(tdx_ver_str(&av[best].ver, v, sizeof(v))));
			pr_kv("newest_eligible_blob", NULL, pv_str(av[best].blob));
		} else {
			pr_kv("newest_eligible", "\nnewest eligible", pv_null("none"));
			pr_kv("newest_eligible_blob", NULL, pv_null(NULL));
		}
	}
	if (!rc && !s.faux && !s.version_ok) {
		rc = EXIT_NOTSUP;
		pr_error(rc, NULL, "Linux 7.2+ shows the TDX module version in /sys/devices/faux/tdx_host; "
			 "tdxctl status tells what this host has", "no running TDX module version on this host");
	}
	for (unsigned i = 0; i < n; i++)
		free(av[i].blob);
	free(av);
	mapping_free(&m);
	upd_sys_free(&s);
	return rc;
}
