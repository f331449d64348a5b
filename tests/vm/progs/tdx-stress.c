// SPDX-License-Identifier: GPL-2.0
/*
 * tdx-stress [THREADS]: THREADS (default 8) concurrent enablers, each on
 * its own fd, released together, mixing module enable, per-CPU enable
 * and status; afterwards the TDX module must have been initialized
 * exactly once: SYS.INIT once, LP.INIT once per CPU, CONFIG once,
 * KEY.CONFIG once per package.  Run on a freshly loaded driver.
 */
#include <pthread.h>

#include "tdx-test.h"

static pthread_barrier_t start;
static int ncpus;

struct worker {
	int id;
	int module_err;
	int cpu_errs;
	int status_errs;
	uint32_t state;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	struct tdx_host_module_enable me = { .size = sizeof(me) };
	struct tdx_host_status st;
	int fd = tdx_open(O_RDWR), i;

	pthread_barrier_wait(&start);
	/* half enable CPUs one by one first, half go straight to the module */
	if (w->id % 2) {
		for (i = 0; i < ncpus; i++) {
			struct tdx_host_cpu_enable ce = { .size = sizeof(ce) };

			ce.cpu = (i + w->id) % ncpus;
			w->cpu_errs += !!xioctl(fd, TDX_HOST_IOC_CPU_ENABLE, &ce);
			w->status_errs += !!tdx_status(fd, &st);
		}
	}
	me.flags = TDX_HOST_ENABLE_ALL_CPUS;
	w->module_err = xioctl(fd, TDX_HOST_IOC_MODULE_ENABLE, &me);
	w->state = me.state;
	for (i = 0; i < 4; i++)
		w->status_errs += !!tdx_status(fd, &st);
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 8, i, bad = 0, cpu;
	struct worker *w = calloc(n, sizeof(*w));
	pthread_t *t = calloc(n, sizeof(*t));
	struct tdx_host_status st;
	int fd = tdx_open(O_RDONLY);

	ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	t_plan(10);
	t_errno(tdx_status(fd, &st), 0, "status before");
	t_result(st.state == TDX_HOST_STATE_UNINITIALIZED,
		 "starts uninitialized");

	pthread_barrier_init(&start, NULL, n);
	for (i = 0; i < n; i++) {
		w[i].id = i;
		pthread_create(&t[i], NULL, work, &w[i]);
	}
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);

	for (i = 0; i < n; i++) {
		if (w[i].module_err || w[i].cpu_errs || w[i].status_errs ||
		    w[i].state != TDX_HOST_STATE_INITIALIZED) {
			t_diag("thread %d: module enable %s, %d CPU enable errors, %d status errors, state %s",
			       i, errname(w[i].module_err), w[i].cpu_errs,
			       w[i].status_errs, state_name(w[i].state));
			bad++;
		}
	}
	t_result(!bad, "%d concurrent enablers all succeed", n);

	t_errno(tdx_status(fd, &st), 0, "status after");
	t_result(st.state == TDX_HOST_STATE_INITIALIZED &&
		 st.cpus_enabled == (unsigned int)ncpus,
		 "initialized, %u of %d CPUs enabled", st.cpus_enabled, ncpus);
	t_result(model_calls("sys_init") == 1, "TDH.SYS.INIT ran once (%lld)",
		 model_calls("sys_init"));
	t_result(model_calls("lp_init") == ncpus,
		 "TDH.SYS.LP.INIT ran %d times (%lld)", ncpus,
		 model_calls("lp_init"));
	for (bad = 0, cpu = 0; cpu < ncpus; cpu++)
		bad += model_cpu_calls(cpu, "lp_init") != 1;
	t_result(!bad, "TDH.SYS.LP.INIT once on every CPU");
	t_result(model_calls("config") == 1, "TDH.SYS.CONFIG ran once (%lld)",
		 model_calls("config"));
	t_result(model_calls("key_config") == st.nr_packages,
		 "TDH.SYS.KEY.CONFIG once per package (%lld for %u)",
		 model_calls("key_config"), st.nr_packages);
	t_diag("enable steps (ns): sys_init %llu lp_init %llu sys_rd %llu tdmr_build %llu config %llu key_config %llu tdmr_init %llu",
	       (unsigned long long)st.step_ns[TDX_HOST_STEP_SYS_INIT],
	       (unsigned long long)st.step_ns[TDX_HOST_STEP_LP_INIT],
	       (unsigned long long)st.step_ns[TDX_HOST_STEP_SYS_RD],
	       (unsigned long long)st.step_ns[TDX_HOST_STEP_TDMR_BUILD],
	       (unsigned long long)st.step_ns[TDX_HOST_STEP_CONFIG],
	       (unsigned long long)st.step_ns[TDX_HOST_STEP_KEY_CONFIG],
	       (unsigned long long)st.step_ns[TDX_HOST_STEP_TDMR_INIT]);
	close(fd);
	return t_failures ? 1 : 0;
}
