// SPDX-License-Identifier: GPL-2.0
/*
 * tdx-ioctl: call one /dev/tdx_host ioctl and print its result as
 * key=value lines, for shell test cases.
 *
 *   tdx-ioctl [--ro] version
 *   tdx-ioctl [--ro] status
 *   tdx-ioctl [--ro] table
 *   tdx-ioctl [--ro] cpu-enable CPU
 *   tdx-ioctl [--ro] enable [--all-cpus]
 *
 * Exit status: 0 on success, else the errno of the ioctl (also printed
 * as errno=NAME); 2 on usage errors.
 */
#include "tdx-test.h"

static void usage(void)
{
	fprintf(stderr, "usage: tdx-ioctl [--ro] version|status|table|cpu-enable CPU|enable [--all-cpus]\n");
	exit(2);
}

static int do_version(int fd)
{
	struct tdx_host_version v = { .size = sizeof(v) };
	int e = xioctl(fd, TDX_HOST_IOC_VERSION, &v);

	if (!e)
		printf("abi_version=%u\nbackend=%u\ndriver_version=%.32s\n",
		       v.abi_version, v.backend, (char *)v.driver_version);
	return e;
}

static int do_status(int fd)
{
	struct tdx_host_status st;
	int e = tdx_status(fd, &st), i;

	if (e)
		return e;
	printf("state=%s\nbackend=%u\nvalid=0x%llx\n", state_name(st.state),
	       st.backend, (unsigned long long)st.valid);
	printf("err_step=%s\nerr_errno=%d\nerr_tdx_status=0x%016llx\n",
	       step_name(st.err_step), st.err_errno,
	       (unsigned long long)st.err_tdx_status);
	printf("version=%u.%u.%02u\nversion_internal=%u\nbuild_date=%u\nbuild_num=%u\nfeatures0=0x%llx\n",
	       st.version_major, st.version_minor, st.version_update,
	       st.version_internal, st.build_date, st.build_num,
	       (unsigned long long)st.features0);
	printf("nr_tdmrs=%u\nmax_tdmrs=%u\npamt_kb=%llu\ntdx_memory_kb=%llu\n",
	       st.nr_tdmrs, st.max_tdmrs, (unsigned long long)st.pamt_kb,
	       (unsigned long long)st.tdx_memory_kb);
	printf("global_keyid=%u\nguest_keyid_first=%u\nguest_keyid_count=%u\n",
	       st.global_keyid, st.guest_keyid_first, st.guest_keyid_count);
	printf("cpus_possible=%u\ncpus_present=%u\ncpus_online=%u\ncpus_enabled=%u\nmodule_lp_count=%u\nnr_packages=%u\n",
	       st.cpus_possible, st.cpus_present, st.cpus_online,
	       st.cpus_enabled, st.module_lp_count, st.nr_packages);
	for (i = 0; i < TDX_HOST_STEP_NR; i++)
		printf("step_ns_%s=%llu\n", step_name(i),
		       (unsigned long long)st.step_ns[i]);
	return 0;
}

static int do_table(int fd)
{
	struct tdx_host_cpu_table t = { .size = sizeof(t) };
	struct tdx_host_cpu_info *ci;
	unsigned int i;
	int e = xioctl(fd, TDX_HOST_IOC_CPU_TABLE, &t);

	if (e)
		return e;
	ci = calloc(t.nr_entries, sizeof(*ci));
	if (!ci)
		return ENOMEM;
	t.entries = (uintptr_t)ci;
	t.entry_size = sizeof(*ci);
	e = xioctl(fd, TDX_HOST_IOC_CPU_TABLE, &t);
	if (e)
		return e;
	for (i = 0; i < t.nr_entries; i++)
		printf("cpu=%u present=%d online=%d enabled=%d failed=%d package=%d tdx_status=0x%016llx enabled_ns=%llu\n",
		       ci[i].cpu, !!(ci[i].flags & TDX_HOST_CPU_PRESENT),
		       !!(ci[i].flags & TDX_HOST_CPU_ONLINE),
		       !!(ci[i].flags & TDX_HOST_CPU_ENABLED),
		       !!(ci[i].flags & TDX_HOST_CPU_FAILED),
		       (int)ci[i].package,
		       (unsigned long long)ci[i].tdx_status,
		       (unsigned long long)ci[i].enabled_ns);
	free(ci);
	return 0;
}

static int do_cpu_enable(int fd, const char *arg)
{
	static const char *const outcomes[] = {
		"none", "enabled", "already", "failed",
	};
	struct tdx_host_cpu_enable ce = { .size = sizeof(ce) };
	int e;

	ce.cpu = strtoul(arg, NULL, 0);
	e = xioctl(fd, TDX_HOST_IOC_CPU_ENABLE, &ce);
	printf("outcome=%s\ntdx_status=0x%016llx\nstep=%s\n",
	       ce.outcome < 4 ? outcomes[ce.outcome] : "?",
	       (unsigned long long)ce.tdx_status, step_name(ce.step));
	return e;
}

static int do_enable(int fd, int all)
{
	struct tdx_host_module_enable me = { .size = sizeof(me) };
	int e;

	me.flags = all ? TDX_HOST_ENABLE_ALL_CPUS : 0;
	e = xioctl(fd, TDX_HOST_IOC_MODULE_ENABLE, &me);
	printf("state=%s\nstep=%s\ntdx_status=0x%016llx\nerr_errno=%d\n",
	       state_name(me.state), step_name(me.step),
	       (unsigned long long)me.tdx_status, me.err_errno);
	return e;
}

int main(int argc, char **argv)
{
	int flags = O_RDWR, fd, e, i = 1;

	if (i < argc && !strcmp(argv[i], "--ro")) {
		flags = O_RDONLY;
		i++;
	}
	if (i >= argc)
		usage();
	fd = tdx_open(flags);

	if (!strcmp(argv[i], "version"))
		e = do_version(fd);
	else if (!strcmp(argv[i], "status"))
		e = do_status(fd);
	else if (!strcmp(argv[i], "table"))
		e = do_table(fd);
	else if (!strcmp(argv[i], "cpu-enable") && i + 1 < argc)
		e = do_cpu_enable(fd, argv[i + 1]);
	else if (!strcmp(argv[i], "enable"))
		e = do_enable(fd, i + 1 < argc &&
			      !strcmp(argv[i + 1], "--all-cpus"));
	else
		usage();

	printf("errno=%s\n", errname(e));
	return e;
}
