// SPDX-License-Identifier: GPL-2.0-only
/*
 * fakedev.c - LD_PRELOAD stand-in for /dev/tdx_host in unit tests.
 *
 * Intercepts open/ioctl/close of the path in $TDXFAKE_DEV and answers the
 * ioctls of linux/tdx_host.h from a small state file ($TDXFAKE_STATE,
 * "key=value" lines, rewritten after every change so that consecutive
 * tdxctl runs see one device).  CPU online state is read from (and, for
 * the hotplug simulation, written to) the sysroot in $TDXFAKE_SYSROOT.
 *
 * State keys:
 *   cpus=N            possible = present CPUs (default 4)
 *   state=N           enum tdx_host_state (default 0)
 *   backend=N         enum tdx_host_backend (default 1, emulated)
 *   abi=N             ABI version reported (default TDX_HOST_ABI_VERSION)
 *   enabled=LIST      CPUs that ran LP.INIT
 *   fail=CPU:STATUS   LP.INIT on CPU fails with STATUS (EIO)
 *   module_fail=STEP:STATUS  module enable fails (EIO, sticky)
 *   err_step= err_status= err_errno=   the recorded failure
 *   offline_after=A:B after CPU A is enabled, CPU B goes offline
 *   enxio=CPU         the driver finds CPU offline (ENXIO) though sysfs says online
 *   nodev=1           no TDX module: CPU/module enable give ENODEV
 *   eacces=1          open fails with EACCES
 *   badcpu=N          the CPU table's last record names CPU N (a driver bug)
 *   timing=1          STATUS reports step times (step_ns), as the driver does
 *   known=MASK        the TDX_HOST_STATUS_* facts the backend reports
 *                     (default: all of them; none with backend=2, the
 *                     kernel backend on 6.8-6.13, which gets only an errno;
 *                     known=0xc0 is the kernel backend on 6.16-6.18:
 *                     _MODULE_CAPS and _GUEST_KEYIDS); an unreported fact
 *                     reads 0, its bit clear, and TDX_HOST_CPU_TDX_STATUS
 *                     follows _TDX_ERRORS
 *   detail=0|1        force TDX_HOST_RESULT_DETAIL of CPU_ENABLE and
 *                     MODULE_ENABLE (default: as the driver sets it: clear
 *                     on a failure the backend reports without _TDX_ERRORS)
 *   module_errno=N    module enable fails before TDH.SYS.CONFIG with errno
 *                     N (ERANGE, ENOSPC, ...), state unchanged
 *   module_enomem=1   module enable fails with ENOMEM (the PAMT's
 *                     allocation), and the state becomes error
 *   kinit=1           the kernel backend's kernel has its TDX module
 *                     initialized already (KVM did it): with known=0xc0
 *                     the module facts are reported in any driver state
 *   novmx=1           the kernel backend's CPUs are out of VMX operation:
 *                     CPU/module enable give EACCES unless this process
 *                     holds a VM of the fake /dev/kvm
 *   calls=N           number of state-changing ioctls so far (written)
 *
 * The fake /dev/kvm: the path in $TDXFAKE_KVM (tdxctl opens it when
 * $TDXCTL_KVM_DEVICE names it).  KVM_GET_API_VERSION answers 12 and
 * KVM_CREATE_VM a VM fd, unless $TDXFAKE_KVM_REFUSE names the errno
 * KVM_CREATE_VM fails with.  The VM is held until its fd is closed.
 * KVM_CHECK_EXTENSION(KVM_CAP_VM_TYPES) answers $TDXFAKE_KVM_VM_TYPES (a
 * number, or EINVAL: the ioctl fails so); unset, 0 (an unknown capability).
 *
 * This is test code only; it is never installed.
 */
/* Define open and open64 as two symbols: no largefile redirection here. */
#undef _FILE_OFFSET_BITS
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/kvm.h>

#include <linux/tdx_host.h>

#define MAXCPU 64

struct fstate {
	unsigned cpus, state, backend, abi;
	uint64_t enabled;		/* bitmask */
	uint64_t novmx_failed;		/* CPUs refused for VMX off (EACCES) */
	int fail_cpu;
	uint64_t fail_status;
	unsigned mf_step;
	uint64_t mf_status;
	unsigned err_step;
	int err_errno;
	uint64_t err_status;
	int off_a, off_b;
	int enxio;
	int nodev, eacces, novmx;
	unsigned calls;
	unsigned long badcpu;	/* 0: none */
	int timing;
	long long known;	/* -1: the backend's default */
	int detail;		/* -1: as the driver sets it */
	int kinit;		/* the kernel's module initialized (by KVM) */
	int enomem;		/* module enable fails with ENOMEM (the PAMT), sticky */
	int merr;		/* module enable fails before CONFIG with this errno */
};

#define KNOWN_FACTS (TDX_HOST_STATUS_MODULE_INFO | TDX_HOST_STATUS_TDMR_INFO | TDX_HOST_STATUS_KEYID_INFO | \
		     TDX_HOST_STATUS_MODULE_CPUS | TDX_HOST_STATUS_STEP_TIMES | TDX_HOST_STATUS_TDX_ERRORS | \
		     TDX_HOST_STATUS_MODULE_CAPS | TDX_HOST_STATUS_GUEST_KEYIDS)

/* Does the backend report this TDX_HOST_STATUS_* fact? */
static int knows(const struct fstate *st, unsigned long long fact)
{
	unsigned long long k = st->known >= 0 ? (unsigned long long)st->known :
			       st->backend == TDX_HOST_BACKEND_KERNEL ? 0 : KNOWN_FACTS;

	return (k & fact) != 0;
}

/* TDX_HOST_RESULT_DETAIL of a result, as the driver's core sets it. */
static unsigned detail(const struct fstate *st, int from_backend)
{
	if (st->detail >= 0)
		return st->detail ? TDX_HOST_RESULT_DETAIL : 0;
	return !from_backend || knows(st, TDX_HOST_STATUS_TDX_ERRORS) ? TDX_HOST_RESULT_DETAIL : 0;
}

static int fake_fds[16];
static int fake_wr[16];
static int nfake;

static void parse_list(const char *s, uint64_t *mask)
{
	*mask = 0;
	while (*s && *s != '\n') {
		char *e;
		long a = strtol(s, &e, 10), b = a;

		if (e == s)
			return;
		if (*e == '-')
			b = strtol(e + 1, &e, 10);
		for (long c = a; c <= b && c < MAXCPU; c++)
			*mask |= 1ULL << c;
		s = *e == ',' ? e + 1 : e;
	}
}

static void load(struct fstate *st)
{
	const char *p = getenv("TDXFAKE_STATE");
	char line[256];
	FILE *f;

	memset(st, 0, sizeof(*st));
	st->cpus = 4;
	st->backend = TDX_HOST_BACKEND_EMULATED;
	st->abi = TDX_HOST_ABI_VERSION;
	st->fail_cpu = -1;
	st->off_a = st->off_b = -1;
	st->enxio = -1;
	st->known = -1;
	st->detail = -1;
	if (!p || !(f = fopen(p, "r")))
		return;
	while (fgets(line, sizeof(line), f)) {
		char *v = strchr(line, '=');

		if (!v)
			continue;
		*v++ = '\0';
		if (!strcmp(line, "cpus")) st->cpus = (unsigned)strtoul(v, NULL, 0);
		else if (!strcmp(line, "state")) st->state = (unsigned)strtoul(v, NULL, 0);
		else if (!strcmp(line, "backend")) st->backend = (unsigned)strtoul(v, NULL, 0);
		else if (!strcmp(line, "abi")) st->abi = (unsigned)strtoul(v, NULL, 0);
		else if (!strcmp(line, "enabled")) parse_list(v, &st->enabled);
		else if (!strcmp(line, "novmx_failed")) parse_list(v, &st->novmx_failed);
		else if (!strcmp(line, "fail")) {
			st->fail_cpu = atoi(v);
			st->fail_status = strtoull(strchr(v, ':') + 1, NULL, 0);
		} else if (!strcmp(line, "module_fail")) {
			st->mf_step = (unsigned)atoi(v);
			st->mf_status = strtoull(strchr(v, ':') + 1, NULL, 0);
		} else if (!strcmp(line, "err_step")) st->err_step = (unsigned)atoi(v);
		else if (!strcmp(line, "err_errno")) st->err_errno = atoi(v);
		else if (!strcmp(line, "err_status")) st->err_status = strtoull(v, NULL, 0);
		else if (!strcmp(line, "offline_after")) {
			st->off_a = atoi(v);
			st->off_b = atoi(strchr(v, ':') + 1);
		} else if (!strcmp(line, "enxio")) st->enxio = atoi(v);
		else if (!strcmp(line, "nodev")) st->nodev = atoi(v);
		else if (!strcmp(line, "novmx")) st->novmx = atoi(v);
		else if (!strcmp(line, "eacces")) st->eacces = atoi(v);
		else if (!strcmp(line, "calls")) st->calls = (unsigned)atoi(v);
		else if (!strcmp(line, "badcpu")) st->badcpu = strtoul(v, NULL, 0);
		else if (!strcmp(line, "timing")) st->timing = atoi(v);
		else if (!strcmp(line, "known")) st->known = strtoll(v, NULL, 0);
		else if (!strcmp(line, "detail")) st->detail = atoi(v);
		else if (!strcmp(line, "kinit")) st->kinit = atoi(v);
		else if (!strcmp(line, "module_enomem")) st->enomem = atoi(v);
		else if (!strcmp(line, "module_errno")) st->merr = atoi(v);
	}
	fclose(f);
}

/* "name=0,2,3": a CPU bitmask as a list, as parse_list() reads it */
static void save_list(FILE *f, const char *name, uint64_t mask)
{
	fprintf(f, "%s=", name);
	for (unsigned c = 0, first = 1; c < MAXCPU; c++)
		if (mask >> c & 1) {
			fprintf(f, "%s%u", first ? "" : ",", c);
			first = 0;
		}
	fprintf(f, "\n");
}

static void save(const struct fstate *st)
{
	const char *p = getenv("TDXFAKE_STATE");
	FILE *f;

	if (!p || !(f = fopen(p, "w")))
		return;
	fprintf(f, "cpus=%u\nstate=%u\nbackend=%u\nabi=%u\n", st->cpus, st->state, st->backend, st->abi);
	save_list(f, "enabled", st->enabled);
	if (st->novmx_failed)
		save_list(f, "novmx_failed", st->novmx_failed);
	if (st->fail_cpu >= 0)
		fprintf(f, "fail=%d:0x%llx\n", st->fail_cpu, (unsigned long long)st->fail_status);
	if (st->mf_status)
		fprintf(f, "module_fail=%u:0x%llx\n", st->mf_step, (unsigned long long)st->mf_status);
	fprintf(f, "err_step=%u\nerr_errno=%d\nerr_status=0x%llx\n", st->err_step, st->err_errno,
		(unsigned long long)st->err_status);
	if (st->off_a >= 0)
		fprintf(f, "offline_after=%d:%d\n", st->off_a, st->off_b);
	if (st->enxio >= 0)
		fprintf(f, "enxio=%d\n", st->enxio);
	fprintf(f, "nodev=%d\neacces=%d\nnovmx=%d\ncalls=%u\n", st->nodev, st->eacces, st->novmx,
		st->calls);
	if (st->badcpu)
		fprintf(f, "badcpu=0x%lx\n", st->badcpu);
	if (st->timing)
		fprintf(f, "timing=%d\n", st->timing);
	if (st->known >= 0)
		fprintf(f, "known=0x%llx\n", st->known);
	if (st->detail >= 0)
		fprintf(f, "detail=%d\n", st->detail);
	if (st->kinit)
		fprintf(f, "kinit=%d\n", st->kinit);
	if (st->enomem)
		fprintf(f, "module_enomem=%d\n", st->enomem);
	if (st->merr)
		fprintf(f, "module_errno=%d\n", st->merr);
	fclose(f);
}

static int cpu_online(unsigned cpu)
{
	const char *root = getenv("TDXFAKE_SYSROOT");
	char path[4096], c = '1';
	int fd;

	if (!root || cpu == 0)
		return 1;
	snprintf(path, sizeof(path), "%s/sys/devices/system/cpu/cpu%u/online", root, cpu);
	fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDONLY);
	if (fd < 0)
		return 1;
	if (read(fd, &c, 1) != 1)
		c = '1';
	close(fd);
	return c == '1';
}

/* Take CPU b offline in the sysroot, as a hotplug would. */
static void set_offline(unsigned b, const struct fstate *st)
{
	const char *root = getenv("TDXFAKE_SYSROOT");
	char path[4096], list[512] = "";
	size_t off = 0;
	int fd;

	if (!root)
		return;
	snprintf(path, sizeof(path), "%s/sys/devices/system/cpu/cpu%u/online", root, b);
	fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_WRONLY | O_TRUNC);
	if (fd >= 0) {
		if (write(fd, "0\n", 2) != 2)
			abort();
		close(fd);
	}
	for (unsigned c = 0; c < st->cpus; c++)
		if (cpu_online(c))
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%u", off ? "," : "", c);
	snprintf(path, sizeof(path), "%s/sys/devices/system/cpu/online", root);
	fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_WRONLY | O_TRUNC);
	if (fd >= 0) {
		if (write(fd, list, strlen(list)) < 0 || write(fd, "\n", 1) != 1)
			abort();
		close(fd);
	}
}

static int is_fake(int fd)
{
	for (int i = 0; i < nfake; i++)
		if (fake_fds[i] == fd)
			return i;
	return -1;
}

/* the fake /dev/kvm: its fd, and the VM fd while one is held */
static int kvm_fd = -1, vm_fd = -1;

static int fake_open(const char *path, int flags)
{
	const char *dev = getenv("TDXFAKE_DEV");
	const char *kvm = getenv("TDXFAKE_KVM");
	struct fstate st;
	int fd;

	if (kvm && !strcmp(path, kvm)) {
		kvm_fd = (int)syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDWR | O_CLOEXEC);
		return kvm_fd;
	}
	if (!dev || strcmp(path, dev))
		return -2;
	load(&st);
	if (st.eacces) {
		errno = EACCES;
		return -1;
	}
	fd = (int)syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0 && nfake < 16) {
		fake_fds[nfake] = fd;
		fake_wr[nfake++] = (flags & O_ACCMODE) != O_RDONLY;
	}
	return fd;
}

#define OPEN_WRAPPER(name)						\
int name(const char *path, int flags, ...)				\
{									\
	static int (*real)(const char *, int, ...);			\
	mode_t mode = 0;						\
	int r = fake_open(path, flags);					\
									\
	if (r != -2)							\
		return r;						\
	if (flags & (O_CREAT | __O_TMPFILE)) {				\
		va_list ap;						\
		va_start(ap, flags);					\
		mode = va_arg(ap, mode_t);				\
		va_end(ap);						\
	}								\
	if (!real)							\
		real = dlsym(RTLD_NEXT, #name);				\
	return real(path, flags, mode);					\
}

OPEN_WRAPPER(open)
OPEN_WRAPPER(open64)

int __open_2(const char *path, int flags);
int __open_2(const char *path, int flags)
{
	return open(path, flags);
}

int __open64_2(const char *path, int flags);
int __open64_2(const char *path, int flags)
{
	return open(path, flags);
}

int close(int fd)
{
	static int (*real)(int);
	int i = is_fake(fd);

	if (i >= 0) {
		fake_fds[i] = fake_fds[--nfake];
		fake_wr[i] = fake_wr[nfake];
	}
	if (fd >= 0 && fd == vm_fd)
		vm_fd = -1;
	if (fd >= 0 && fd == kvm_fd)
		kvm_fd = -1;
	if (!real)
		real = dlsym(RTLD_NEXT, "close");
	return real(fd);
}

static int lp_count(const struct fstate *st)
{
	return (int)st->cpus;
}

static int do_cpu_enable(struct fstate *st, struct tdx_host_cpu_enable *r)
{
	unsigned c = r->cpu;

	r->valid = detail(st, 0);
	if (c >= st->cpus)
		return -ENOENT;
	if (st->nodev)
		return -ENODEV;
	if (st->novmx && vm_fd < 0)
		return -EACCES;
	if (!cpu_online(c) || st->enxio == (int)c)
		return -ENXIO;
	r->outcome = TDX_HOST_CPU_OUTCOME_ALREADY;
	if (!(st->enabled >> c & 1)) {
		if (st->fail_cpu == (int)c) {
			r->outcome = TDX_HOST_CPU_OUTCOME_FAILED;
			r->valid = detail(st, 1);
			if (r->valid & TDX_HOST_RESULT_DETAIL) {
				r->tdx_status = st->fail_status;
				r->step = TDX_HOST_STEP_LP_INIT;
			}
			return -EIO;
		}
		st->enabled |= 1ULL << c;
		st->novmx_failed &= ~(1ULL << c);
		r->outcome = TDX_HOST_CPU_OUTCOME_ENABLED;
	}
	if (st->off_a == (int)c && st->off_b >= 0) {
		set_offline((unsigned)st->off_b, st);
		st->off_a = st->off_b = -1;
	}
	return 0;
}

/* A failure's step and TDX status, known only with the DETAIL bit. */
static void fail_detail(const struct fstate *st, struct tdx_host_module_enable *r, int from_backend,
			unsigned step, uint64_t status)
{
	r->valid = detail(st, from_backend);
	r->step = r->valid ? step : 0;
	r->tdx_status = r->valid ? status : 0;
}

static int do_module_enable(struct fstate *st, struct tdx_host_module_enable *r)
{
	r->valid = detail(st, 0);
	if (st->nodev)
		return -ENODEV;
	if (st->novmx && vm_fd < 0 && st->state != TDX_HOST_STATE_INITIALIZED &&
	    (r->flags & TDX_HOST_ENABLE_ALL_CPUS)) {
		/* as the driver: each CPU's attempt fails, recorded per CPU */
		for (unsigned c = 0; c < st->cpus; c++)
			if (cpu_online(c) && !(st->enabled >> c & 1))
				st->novmx_failed |= 1ULL << c;
		r->state = st->state;
		fail_detail(st, r, 1, TDX_HOST_STEP_LP_INIT, 0);
		r->err_errno = EACCES;
		return -EACCES;
	}
	if (st->novmx && vm_fd < 0 && st->state != TDX_HOST_STATE_INITIALIZED)
		return -EACCES;
	if (st->state == TDX_HOST_STATE_ERROR) {
		r->state = st->state;
		fail_detail(st, r, 1, st->err_step, st->err_status);
		r->err_errno = EIO;
		return -EIO;
	}
	if (st->state == TDX_HOST_STATE_INITIALIZED) {
		r->state = st->state;
		return 0;
	}
	if (r->flags & TDX_HOST_ENABLE_ALL_CPUS) {
		int failed = -1;

		for (unsigned c = 0; c < st->cpus; c++) {
			struct tdx_host_cpu_enable ce = { .cpu = c };

			if (cpu_online(c) && do_cpu_enable(st, &ce) == -EIO)
				failed = (int)c;
		}
		/* as the driver: a CPU's LP.INIT failure is EIO, not sticky */
		if (failed >= 0) {
			r->state = st->state;
			fail_detail(st, r, 1, TDX_HOST_STEP_LP_INIT, st->fail_status);
			r->err_errno = EIO;
			return -EIO;
		}
	}
	for (unsigned c = 0; c < (unsigned)lp_count(st); c++) {
		if (!(st->enabled >> c & 1)) {
			r->state = st->state;
			fail_detail(st, r, 0, TDX_HOST_STEP_PREFLIGHT, 0);
			r->err_errno = EAGAIN;
			return -EAGAIN;
		}
	}
	if (st->merr) {
		/* before TDH.SYS.CONFIG: nothing changed */
		r->state = st->state;
		fail_detail(st, r, 1, TDX_HOST_STEP_TDMR_BUILD, 0);
		r->err_errno = st->merr;
		return -st->merr;
	}
	if (st->enomem) {
		/* as the kernel backend: the kernel keeps any failure */
		st->state = TDX_HOST_STATE_ERROR;
		st->err_step = 0;
		st->err_status = 0;
		st->err_errno = ENOMEM;
		r->state = st->state;
		fail_detail(st, r, 1, TDX_HOST_STEP_TDMR_BUILD, 0);
		r->err_errno = ENOMEM;
		return -ENOMEM;
	}
	if (st->mf_status) {
		st->state = TDX_HOST_STATE_ERROR;
		st->err_step = st->mf_step;
		st->err_status = st->mf_status;
		st->err_errno = EIO;
		r->state = st->state;
		fail_detail(st, r, 1, st->mf_step, st->mf_status);
		r->err_errno = EIO;
		return -EIO;
	}
	st->state = TDX_HOST_STATE_INITIALIZED;
	r->state = st->state;
	return 0;
}

static void do_status(const struct fstate *st, struct tdx_host_status *s)
{
	unsigned online = 0, enabled = 0;
	int told;

	for (unsigned c = 0; c < st->cpus; c++) {
		online += (unsigned)cpu_online(c);
		enabled += (unsigned)(st->enabled >> c & 1);
	}
	s->state = st->state;
	s->backend = st->backend;
	s->err_errno = st->err_errno;
	if (knows(st, TDX_HOST_STATUS_TDX_ERRORS)) {
		s->valid |= TDX_HOST_STATUS_TDX_ERRORS;
		s->err_step = st->err_step;
		s->err_tdx_status = st->err_status;
	}
	s->cpus_possible = s->cpus_present = st->cpus;
	s->cpus_online = online;
	s->cpus_enabled = enabled;
	if (knows(st, TDX_HOST_STATUS_MODULE_CPUS)) {
		s->valid |= TDX_HOST_STATUS_MODULE_CPUS;
		s->module_lp_count = (unsigned)lp_count(st);
		s->nr_packages = st->cpus < 2 ? 1 : 2;
	}
	if (knows(st, TDX_HOST_STATUS_STEP_TIMES))
		s->valid |= TDX_HOST_STATUS_STEP_TIMES;
	if (st->enabled && knows(st, TDX_HOST_STATUS_MODULE_INFO)) {
		s->valid |= TDX_HOST_STATUS_MODULE_INFO;
		s->version_major = 1;
		s->version_minor = 5;
		s->version_update = 8;
		s->build_date = 20240301;
		s->build_num = 789;
	}
	/* the kernel backend tells these once the kernel's module is initialized */
	told = st->backend == TDX_HOST_BACKEND_KERNEL ? st->state == TDX_HOST_STATE_INITIALIZED || st->kinit
						       : st->enabled != 0;
	if (told && knows(st, TDX_HOST_STATUS_MODULE_CAPS)) {
		s->valid |= TDX_HOST_STATUS_MODULE_CAPS;
		s->features0 = (1ULL << 1) | (1ULL << 18) | (1ULL << 20);
		s->max_tdmrs = 64;
	}
	if (st->enabled && knows(st, TDX_HOST_STATUS_KEYID_INFO)) {
		s->valid |= TDX_HOST_STATUS_KEYID_INFO;
		s->global_keyid = 16;
		s->guest_keyid_first = 17;
	}
	if (told && knows(st, TDX_HOST_STATUS_GUEST_KEYIDS)) {
		s->valid |= TDX_HOST_STATUS_GUEST_KEYIDS;
		s->guest_keyid_count = 47;
	}
	if (st->timing && st->enabled && knows(st, TDX_HOST_STATUS_STEP_TIMES)) {
		s->step_ns[TDX_HOST_STEP_SYS_INIT] = 1200000;
		s->step_ns[TDX_HOST_STEP_LP_INIT] = 3400000;
	}
	if (st->timing && st->state == TDX_HOST_STATE_INITIALIZED && knows(st, TDX_HOST_STATUS_STEP_TIMES)) {
		s->step_ns[TDX_HOST_STEP_SYS_RD] = 150000;
		s->step_ns[TDX_HOST_STEP_TDMR_BUILD] = 21000000;
		s->step_ns[TDX_HOST_STEP_CONFIG] = 2500000;
		s->step_ns[TDX_HOST_STEP_KEY_CONFIG] = 800000;
		s->step_ns[TDX_HOST_STEP_TDMR_INIT] = 1234567890;
	}
	if (st->state == TDX_HOST_STATE_INITIALIZED && knows(st, TDX_HOST_STATUS_TDMR_INFO)) {
		s->valid |= TDX_HOST_STATUS_TDMR_INFO;
		s->nr_tdmrs = 2;
		s->pamt_kb = 4100;
		s->tdx_memory_kb = 1048576;
	}
}

static int do_cpu_table(const struct fstate *st, struct tdx_host_cpu_table *t)
{
	struct tdx_host_cpu_info *e = (void *)(uintptr_t)t->entries;

	if (!t->entries || t->nr_entries < st->cpus) {
		t->nr_entries = st->cpus;
		return t->entries ? -EOVERFLOW : 0;
	}
	for (unsigned c = 0; c < st->cpus; c++) {
		memset(&e[c], 0, sizeof(e[c]));
		e[c].cpu = c;
		e[c].flags = TDX_HOST_CPU_PRESENT | (cpu_online(c) ? TDX_HOST_CPU_ONLINE : 0) |
			     (knows(st, TDX_HOST_STATUS_TDX_ERRORS) ? TDX_HOST_CPU_TDX_STATUS : 0);
		e[c].package = c < st->cpus / 2 || st->cpus < 2 ? 0 : 1;
		if (st->enabled >> c & 1) {
			e[c].flags |= TDX_HOST_CPU_ENABLED;
			e[c].enabled_ns = 1000000000ULL + c;
		} else if (st->novmx_failed >> c & 1) {
			e[c].flags |= TDX_HOST_CPU_FAILED | TDX_HOST_CPU_ERRNO;
			e[c].err_errno = EACCES;
		} else if (st->fail_cpu == (int)c && st->calls) {
			e[c].flags |= TDX_HOST_CPU_FAILED | TDX_HOST_CPU_ERRNO;
			e[c].err_errno = EIO;
			if (knows(st, TDX_HOST_STATUS_TDX_ERRORS))
				e[c].tdx_status = st->fail_status;
		}
	}
	if (st->badcpu && st->cpus)
		e[st->cpus - 1].cpu = (unsigned)st->badcpu;
	t->nr_entries = st->cpus;
	t->entry_size = sizeof(*e);
	return 0;
}

int ioctl(int fd, unsigned long req, ...)
{
	static int (*real)(int, unsigned long, ...);
	struct fstate st;
	va_list ap;
	void *arg;
	int i = is_fake(fd), r = 0;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd >= 0 && fd == kvm_fd) {
		const char *refuse = getenv("TDXFAKE_KVM_REFUSE");

		if (req == KVM_GET_API_VERSION)
			return KVM_API_VERSION;
		if (req == KVM_CHECK_EXTENSION && (long)arg == 235) {	/* KVM_CAP_VM_TYPES */
			const char *t = getenv("TDXFAKE_KVM_VM_TYPES");

			if (t && !strcmp(t, "EINVAL")) {
				errno = EINVAL;
				return -1;
			}
			return t ? (int)strtol(t, NULL, 0) : 0;	/* unset: unknown, as before 6.10 */
		}
		if (req != KVM_CREATE_VM) {
			errno = ENOTTY;
			return -1;
		}
		if (refuse && *refuse) {
			errno = atoi(refuse);
			return -1;
		}
		vm_fd = (int)syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDWR | O_CLOEXEC);
		return vm_fd;
	}
	if (i < 0) {
		if (!real)
			real = dlsym(RTLD_NEXT, "ioctl");
		return real(fd, req, arg);
	}
	load(&st);
	switch (req) {
	case TDX_HOST_IOC_VERSION: {
		struct tdx_host_version *v = arg;

		v->abi_version = st.abi;
		v->backend = st.backend;
		snprintf((char *)v->driver_version, sizeof(v->driver_version), "0.1.0-fake");
		break;
	}
	case TDX_HOST_IOC_STATUS:
		do_status(&st, arg);
		break;
	case TDX_HOST_IOC_CPU_TABLE:
		r = do_cpu_table(&st, arg);
		break;
	case TDX_HOST_IOC_CPU_ENABLE:
	case TDX_HOST_IOC_MODULE_ENABLE:
		if (!fake_wr[i]) {
			r = -EBADF;
			break;
		}
		st.calls++;
		r = req == TDX_HOST_IOC_CPU_ENABLE ? do_cpu_enable(&st, arg) : do_module_enable(&st, arg);
		save(&st);
		break;
	default:
		r = -ENOTTY;
	}
	if (r) {
		errno = -r;
		return -1;
	}
	return 0;
}
