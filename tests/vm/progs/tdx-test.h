/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the driver's guest test programs: device access,
 * errno names, a plan ("1..N") and "ok - NAME" / "not ok - NAME" result
 * lines.
 */
#ifndef TDX_TEST_H
#define TDX_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>

#include <linux/tdx_host.h>

#define TDX_DEV		"/dev/tdx_host"
#define DEBUGFS_DIR	"/sys/kernel/debug/tdxctl_emu"

static int t_failures;

/*
 * t_plan(N): the program reports exactly N checks; printed before the
 * first one.  The case runs the program through t_prog (lib.sh), which
 * fails it when it exits non-zero, dies, or reports any other number.
 */
static inline void t_plan(unsigned int n)
{
	printf("1..%u\n", n);
	fflush(stdout);
}

static inline void t_result(int pass, const char *fmt, ...)
{
	va_list ap;

	printf("%s - ", pass ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!pass)
		t_failures++;
}

static inline void t_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static inline const char *errname(int e)
{
	const char *n = e ? strerrorname_np(e) : "0";

	return n ? n : "E?";
}

/* ioctl returning 0 or the errno */
static inline int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? errno : 0;
}

/* t_errno(GOT, WANT, NAME...): the call failed with WANT (0: succeeded) */
#define t_errno(got, want, ...) do {					\
	int _g = (got), _w = (want);					\
	t_result(_g == _w, __VA_ARGS__);				\
	if (_g != _w)							\
		t_diag("got %s, want %s", errname(_g), errname(_w));	\
} while (0)

static inline int tdx_open(int flags)
{
	int fd = open(TDX_DEV, flags | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "open %s: %s\n", TDX_DEV, strerror(errno));
		exit(2);
	}
	return fd;
}

static inline int tdx_status(int fd, struct tdx_host_status *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	return xioctl(fd, TDX_HOST_IOC_STATUS, st);
}

/* A counter from debugfs "calls" ("NAME COUNT" lines); -1 if absent */
static inline long long model_calls(const char *name)
{
	char line[128], n[64];
	long long v, ret = -1;
	FILE *f = fopen(DEBUGFS_DIR "/calls", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %lld", n, &v) == 2 && !strcmp(n, name))
			ret = v;
	fclose(f);
	return ret;
}

/* A counter from debugfs "calls_per_cpu" ("CPU NAME COUNT"); 0 if absent */
static inline long long model_cpu_calls(unsigned int cpu, const char *name)
{
	char line[128], n[64];
	long long v, ret = 0;
	unsigned int c;
	FILE *f = fopen(DEBUGFS_DIR "/calls_per_cpu", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%u %63s %lld", &c, n, &v) == 3 &&
		    c == cpu && !strcmp(n, name))
			ret = v;
	fclose(f);
	return ret;
}

static const char *const state_names[] = {
	"uninitialized", "initializing", "initialized", "error",
};

static const char *const step_names[] = {
	"none", "preflight", "sys_init", "lp_init", "sys_rd", "tdmr_build",
	"config", "key_config", "tdmr_init",
};

static inline const char *state_name(uint32_t s)
{
	return s < 4 ? state_names[s] : "?";
}

static inline const char *step_name(uint32_t s)
{
	return s < TDX_HOST_STEP_NR ? step_names[s] : "?";
}

/* Become uid/gid 65534 with no supplementary groups (exit 3 if refused) */
#define NOBODY	65534
static inline void drop_to_nobody(void)
{
	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY)) {
		perror("drop to nobody");
		exit(3);
	}
}

/* Stay uid 0 but lose CAP_SYS_ADMIN, every set (exit 3 if refused) */
static inline void drop_sys_admin(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d)) {
		perror("capget");
		exit(3);
	}
	d[0].effective &= ~(1u << CAP_SYS_ADMIN);
	d[0].permitted &= ~(1u << CAP_SYS_ADMIN);
	d[0].inheritable &= ~(1u << CAP_SYS_ADMIN);
	if (syscall(SYS_capset, &h, d)) {
		perror("capset");
		exit(3);
	}
}

#endif /* TDX_TEST_H */
