// SPDX-License-Identifier: GPL-2.0
/*
 * tdx-errout: output fields on the error paths of the enable ioctls.
 * Every output field is filled with 0xff before the call (output fields
 * are ignored on input), the call fails one way, and each output field
 * must come back exactly as the ABI says: zero unless the failure sets
 * it, and size the number of bytes written.
 *
 * Run as root on a freshly loaded driver (emulated backend) with at
 * least 4 CPUs; CPU 3 is taken offline and brought back.  Leaves the
 * TDX module in state error (an injected CONFIG failure).
 */
#include <stddef.h>
#include <sys/wait.h>

#include "tdx-test.h"

#define PLAN		13
#define OFF_CPU		3

/* TDX status codes the emulated module's injected faults return */
#define ST_SYS_RD	0xc0000c0200000000ULL	/* METADATA_FIELD_NOT_READABLE */
#define ST_CONFIG	0xc0000a1000000000ULL	/* INVALID_PAMT */

static int fd_rw, fd_ro;

static int write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (!f)
		return -1;
	ok = fputs(s, f) >= 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static int cpu_online(unsigned int cpu, int on)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/online",
		 cpu);
	return write_file(path, on ? "1" : "0");
}

/* CPU_ENABLE of @cpu on @fd over poisoned outputs; the struct in @ce */
static int cpu_enable(int fd, uint32_t cpu, struct tdx_host_cpu_enable *ce)
{
	memset(ce, 0xff, sizeof(*ce));
	ce->size = sizeof(*ce);
	ce->flags = 0;
	ce->cpu = cpu;
	return xioctl(fd, TDX_HOST_IOC_CPU_ENABLE, ce);
}

/*
 * A failed CPU_ENABLE that never reached the TDX module: outcome,
 * tdx_status and step zero; valid at most TDX_HOST_RESULT_DETAIL (step
 * and status known to be none), never a bit left from the input.
 */
static void cpu_enable_fails(int fd, uint32_t cpu, int want, const char *what)
{
	struct tdx_host_cpu_enable ce;
	int e = cpu_enable(fd, cpu, &ce);

	t_result(e == want && ce.size == sizeof(ce) && ce.cpu == cpu &&
		 ce.outcome == 0 && ce.tdx_status == 0 && ce.step == 0 &&
		 !(ce.valid & ~TDX_HOST_RESULT_DETAIL),
		 "CPU_ENABLE %s: %s, outputs cleared", what, errname(want));
	if (e != want || ce.size != sizeof(ce) || ce.outcome || ce.tdx_status ||
	    ce.step || (ce.valid & ~TDX_HOST_RESULT_DETAIL))
		t_diag("got %s: size %u cpu 0x%x outcome 0x%x tdx_status 0x%llx step 0x%x valid 0x%x",
		       errname(e), ce.size, ce.cpu, ce.outcome,
		       (unsigned long long)ce.tdx_status, ce.step, ce.valid);
}

/* MODULE_ENABLE on @fd over poisoned outputs: the errno and each output */
static void module_enable_is(int fd, uint32_t flags, int want,
			     uint32_t state, uint32_t step, uint64_t tdx_status,
			     int32_t err, uint32_t valid, const char *what)
{
	struct tdx_host_module_enable me;
	int e, ok;

	memset(&me, 0xff, sizeof(me));
	me.size = sizeof(me);
	me.flags = flags;
	e = xioctl(fd, TDX_HOST_IOC_MODULE_ENABLE, &me);
	ok = e == want && me.size == sizeof(me) && me.flags == flags &&
	     me.state == state && me.step == step &&
	     me.tdx_status == tdx_status && me.err_errno == err &&
	     me.valid == valid;
	t_result(ok, "MODULE_ENABLE %s: %s, state %s, step %s, status 0x%llx, errno %d, valid 0x%x",
		 what, errname(want), state_name(state), step_name(step),
		 (unsigned long long)tdx_status, err, valid);
	if (!ok)
		t_diag("got %s: size %u flags 0x%x state 0x%x step 0x%x tdx_status 0x%llx err_errno %d valid 0x%x",
		       errname(e), me.size, me.flags, me.state, me.step,
		       (unsigned long long)me.tdx_status, me.err_errno,
		       me.valid);
}

/*
 * The opener lacks CAP_SYS_ADMIN: a child opens the device without it
 * and makes both enable calls, which fail EPERM with cleared outputs.
 * The child prints the 2 checks; a failure shows in its exit status.
 */
static void without_sys_admin(void)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int fd;

		drop_sys_admin();
		fd = tdx_open(O_RDWR);
		cpu_enable_fails(fd, 0, EPERM, "by an opener without CAP_SYS_ADMIN");
		module_enable_is(fd, TDX_HOST_ENABLE_ALL_CPUS, EPERM, 0, 0, 0,
				 0, 0, "by an opener without CAP_SYS_ADMIN");
		fflush(stdout);
		_exit(t_failures ? 1 : 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status))
		t_failures++;
}

int main(void)
{
	struct tdx_host_status st;

	fd_rw = tdx_open(O_RDWR);
	fd_ro = tdx_open(O_RDONLY);
	t_plan(PLAN);

	/* a fresh driver: refused before anything is looked at */
	cpu_enable_fails(fd_ro, 0, EBADF, "on a read-only fd");
	module_enable_is(fd_ro, TDX_HOST_ENABLE_ALL_CPUS, EBADF, 0, 0, 0, 0,
			 0, "on a read-only fd");
	without_sys_admin();
	cpu_enable_fails(fd_rw, 1u << 20, ENOENT, "of CPU 1<<20");
	cpu_enable_fails(fd_rw, 0xffffffffu, ENOENT, "of CPU 0xffffffff");

	/* CPU 3 offline: per-CPU ENXIO, the pre-flight refuses */
	t_result(cpu_online(OFF_CPU, 0) == 0, "CPU %u offline", OFF_CPU);
	cpu_enable_fails(fd_rw, OFF_CPU, ENXIO, "of an offline CPU");
	module_enable_is(fd_rw, TDX_HOST_ENABLE_ALL_CPUS, EAGAIN,
			 TDX_HOST_STATE_UNINITIALIZED, TDX_HOST_STEP_PREFLIGHT,
			 0, EAGAIN, TDX_HOST_RESULT_DETAIL,
			 "with a CPU offline");
	cpu_online(OFF_CPU, 1);

	/* an early failure (metadata), not sticky */
	write_file(DEBUGFS_DIR "/inject",
		   "sys_rd TDX_METADATA_FIELD_NOT_READABLE skip=3");
	module_enable_is(fd_rw, TDX_HOST_ENABLE_ALL_CPUS, EIO,
			 TDX_HOST_STATE_UNINITIALIZED, TDX_HOST_STEP_SYS_RD,
			 ST_SYS_RD, EIO, TDX_HOST_RESULT_DETAIL,
			 "with TDH.SYS.RD failing");

	/* the sticky failure, then a later call with its record */
	write_file(DEBUGFS_DIR "/inject", "config TDX_INVALID_PAMT");
	module_enable_is(fd_rw, 0, EIO, TDX_HOST_STATE_ERROR,
			 TDX_HOST_STEP_CONFIG, ST_CONFIG, EIO,
			 TDX_HOST_RESULT_DETAIL, "with TDH.SYS.CONFIG failing");
	module_enable_is(fd_rw, 0, EIO, TDX_HOST_STATE_ERROR,
			 TDX_HOST_STEP_CONFIG, ST_CONFIG, EIO,
			 TDX_HOST_RESULT_DETAIL, "after the sticky failure");
	t_result(tdx_status(fd_rw, &st) == 0 &&
		 st.state == TDX_HOST_STATE_ERROR && st.cpus_online >= 4,
		 "status: error, every CPU online again (%u)", st.cpus_online);

	close(fd_ro);
	close(fd_rw);
	return t_failures ? 1 : 0;
}
