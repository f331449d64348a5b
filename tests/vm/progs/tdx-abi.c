// SPDX-License-Identifier: GPL-2.0
/*
 * tdx-abi: the /dev/tdx_host ioctl contract, for every ioctl: sizes,
 * flags, output fields ignored on input, unknown numbers, bad user
 * memory, info leaks.
 * Run as root on a freshly loaded driver (emulated backend); first every
 * call that must fail is checked to change nothing, then the calls that
 * succeed.  Also built 32-bit (vm-m32) to run through compat_ioctl.
 * Prints its plan first: the number of checks is fixed (see PLAN_*).
 */
#include <stddef.h>
#include <sys/mman.h>

#include "tdx-test.h"

struct op {
	const char *name;
	unsigned long cmd;
	uint32_t size;
	uint32_t valid_flags;
	int out_off;		/* where the output-only fields start, or -1 */
	void (*init)(void *buf);	/* a valid input besides size */
};

static void init_none(void *buf)
{
	(void)buf;
}

static void init_cpu_enable(void *buf)
{
	((struct tdx_host_cpu_enable *)buf)->cpu = 0;
}

static void init_module_enable(void *buf)
{
	((struct tdx_host_module_enable *)buf)->flags = TDX_HOST_ENABLE_ALL_CPUS;
}

static const struct op ops[] = {
	{ "VERSION", TDX_HOST_IOC_VERSION, sizeof(struct tdx_host_version),
	  0, offsetof(struct tdx_host_version, abi_version), init_none },
	{ "STATUS", TDX_HOST_IOC_STATUS, sizeof(struct tdx_host_status),
	  0, offsetof(struct tdx_host_status, state), init_none },
	{ "CPU_TABLE", TDX_HOST_IOC_CPU_TABLE,
	  sizeof(struct tdx_host_cpu_table), 0, -1, init_none },
	{ "CPU_ENABLE", TDX_HOST_IOC_CPU_ENABLE,
	  sizeof(struct tdx_host_cpu_enable), 0,
	  offsetof(struct tdx_host_cpu_enable, outcome), init_cpu_enable },
	{ "MODULE_ENABLE", TDX_HOST_IOC_MODULE_ENABLE,
	  sizeof(struct tdx_host_module_enable), TDX_HOST_ENABLE_ALL_CPUS,
	  offsetof(struct tdx_host_module_enable, state),
	  init_module_enable },
};

#define NOPS	(sizeof(ops) / sizeof(ops[0]))

/* Checks each part reports, for the plan */
#define PLAN_SIZES		8	/* sweep_sizes() */
#define PLAN_OUT_IGNORED	1	/* output_ignored(), ops with outputs */
#define PLAN_MEMORY		7	/* sweep_memory() */
#define PLAN_MODULE_ENABLE	6	/* module_enable_rejects() */
#define PLAN_NUMBERS		4	/* sweep_numbers() */
#define PLAN_NO_CHANGE		3	/* check_no_state_change() */
#define PLAN_SUCCESS_PER_OP	3	/* success_paths(), per op ... */
#define PLAN_SUCCESS		24	/* ... and the rest of it */

/* Diagnostics shown for the first few offenders of a kind only */
#define DIAG_MAX		3

static unsigned int plan(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < NOPS; i++)
		n += PLAN_SIZES + (ops[i].out_off >= 0 ? PLAN_OUT_IGNORED : 0) +
		     PLAN_MEMORY + PLAN_SUCCESS_PER_OP;
	return n + PLAN_MODULE_ENABLE + PLAN_NUMBERS + PLAN_NO_CHANGE +
	       PLAN_SUCCESS;
}

static long page;
static uint8_t *buf;		/* two pages, read-write */
static int fd;

/* A valid call of @o in buf with size @usize; the rest of buf zero */
static uint8_t *prep(const struct op *o, uint32_t usize)
{
	memset(buf, 0, 2 * page);
	o->init(buf);
	((uint32_t *)buf)[0] = usize;
	return buf;
}

static int call(const struct op *o, void *arg)
{
	return xioctl(fd, o->cmd, arg);
}

static void check_no_state_change(void)
{
	struct tdx_host_status st;

	t_errno(tdx_status(fd, &st), 0, "status after the failing calls");
	t_result(st.state == TDX_HOST_STATE_UNINITIALIZED &&
		 st.cpus_enabled == 0,
		 "failing calls changed nothing (state %s, %u CPUs enabled)",
		 state_name(st.state), st.cpus_enabled);
	t_result(model_calls("sys_init") == 0 && model_calls("lp_init") == 0,
		 "failing calls made no SEAMCALL");
}

static void sweep_sizes(const struct op *o)
{
	uint32_t bit;
	int bad;

	t_errno(call(o, prep(o, 0)), EINVAL, "%s: size 0 -> EINVAL", o->name);
	t_errno(call(o, prep(o, o->size - 1)), EINVAL,
		"%s: size v1-1 -> EINVAL", o->name);
	t_errno(call(o, prep(o, 8)), EINVAL, "%s: size 8 -> EINVAL", o->name);
	prep(o, o->size + 8);
	buf[o->size + 3] = 1;
	t_errno(call(o, buf), E2BIG, "%s: size v1+8, non-zero tail -> E2BIG",
		o->name);
	prep(o, page);
	buf[page - 1] = 0x80;
	t_errno(call(o, buf), E2BIG, "%s: size PAGE_SIZE, last byte set -> E2BIG",
		o->name);
	t_errno(call(o, prep(o, page + 8)), E2BIG,
		"%s: size PAGE_SIZE+8 -> E2BIG", o->name);
	t_errno(call(o, prep(o, 0xffffffffu)), E2BIG,
		"%s: size 0xffffffff -> E2BIG", o->name);

	bad = 0;
	for (bit = 0; bit < 32; bit++) {
		int e;

		if (o->valid_flags & (1u << bit))
			continue;
		prep(o, o->size);
		((uint32_t *)buf)[1] |= 1u << bit;
		e = call(o, buf);
		if (e != EINVAL) {
			t_diag("%s: flag bit %u -> %s", o->name, bit, errname(e));
			bad++;
		}
	}
	t_result(!bad, "%s: every undefined flag bit -> EINVAL", o->name);
}

/*
 * Output fields (reserved ones included) are ignored on input: a call
 * whose outputs hold garbage succeeds and answers as one with zeros does.
 * Run on an initialized driver, where every call succeeds.
 */
static void output_ignored(const struct op *o)
{
	uint8_t want[512];
	int e1, e2;

	if (o->out_off < 0)
		return;
	e1 = call(o, prep(o, o->size));
	memcpy(want, buf, o->size);
	prep(o, o->size);
	memset(buf + o->out_off, 0xA5, o->size - o->out_off);
	e2 = call(o, buf);
	/* the step times may have moved on between the calls */
	if (o->cmd == TDX_HOST_IOC_STATUS)
		memcpy(buf + offsetof(struct tdx_host_status, step_ns),
		       want + offsetof(struct tdx_host_status, step_ns),
		       sizeof(((struct tdx_host_status *)0)->step_ns));
	t_result(e1 == 0 && e2 == 0 && !memcmp(buf, want, o->size),
		 "%s: output fields filled with 0xA5 on input: ignored (%s, %s, same answer)",
		 o->name, errname(e1), errname(e2));
}

static long long model_calls_total(void);

static void sweep_memory(const struct op *o)
{
	long long calls;
	uint8_t *m;
	int e;

	t_errno(call(o, NULL), EFAULT, "%s: NULL -> EFAULT", o->name);
	t_errno(call(o, (void *)-1L), EFAULT, "%s: -1 -> EFAULT", o->name);

	m = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(m, 0, 2 * page);
	o->init(m);
	*(uint32_t *)m = o->size;
	munmap(m, 2 * page);
	t_errno(call(o, m), EFAULT, "%s: unmapped -> EFAULT", o->name);

	m = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(m, 0, 2 * page);
	o->init(m);
	*(uint32_t *)m = o->size;
	mprotect(m, page, PROT_NONE);
	t_errno(call(o, m), EFAULT, "%s: PROT_NONE -> EFAULT", o->name);

	mprotect(m, page, PROT_READ);
	t_errno(call(o, m), EFAULT, "%s: read-only struct -> EFAULT", o->name);

	/*
	 * The struct straddles into a page that is not mapped: only its
	 * first 8 bytes (size, flags) are in the mapped page, so a valid
	 * input is built in buf and just those bytes copied.
	 */
	mprotect(m, page, PROT_READ | PROT_WRITE);
	munmap(m + page, page);
	memset(m, 0, page);
	memcpy(m + page - 8, prep(o, o->size), 8);
	t_errno(call(o, m + page - 8), EFAULT,
		"%s: struct running into an unmapped page -> EFAULT", o->name);
	munmap(m, page);

	/*
	 * The same straddle, the tail readable but not writable: a valid
	 * input the driver could act on, and could not answer.  EFAULT,
	 * and the TDX module saw no SEAMCALL (check_no_state_change()
	 * later shows that no state changed either).
	 */
	m = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(m, 0, 2 * page);
	memcpy(m + page - 8, prep(o, o->size), o->size);
	mprotect(m + page, page, PROT_READ);
	calls = model_calls_total();
	e = call(o, m + page - 8);
	t_result(e == EFAULT && model_calls_total() == calls,
		 "%s: struct's tail on a read-only page -> EFAULT before any SEAMCALL (got %s, %lld SEAMCALLs)",
		 o->name, errname(e), model_calls_total() - calls);
	munmap(m, 2 * page);
}

/* Sum of every counter in debugfs "calls": all SEAMCALLs so far */
static long long model_calls_total(void)
{
	char line[128], n[64];
	long long v, sum = 0;
	FILE *f = fopen(DEBUGFS_DIR "/calls", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %lld", n, &v) == 2)
			sum += v;
	fclose(f);
	return sum;
}

/*
 * MODULE_ENABLE with an unknown flag bit (alone, and next to ALL_CPUS):
 * EINVAL, and nothing at all changed: the
 * whole status struct is identical before and after, and the TDX module
 * saw no SEAMCALL.
 */
static void module_enable_rejects(void)
{
	struct tdx_host_status before, after;
	struct tdx_host_module_enable *me;
	int bad_errno = 0, bad_status = 0, bad_calls = 0, k, e;
	long long calls;
	uint32_t bit;

	t_errno(tdx_status(fd, &before), 0, "MODULE_ENABLE rejects: status");
	calls = model_calls_total();
	t_result(calls >= 0, "MODULE_ENABLE rejects: SEAMCALL counters readable (%lld)",
		 calls);

	for (bit = 0; bit < 32; bit++) {
		if (TDX_HOST_ENABLE_ALL_CPUS & (1u << bit))
			continue;
		for (k = 0; k < 2; k++) {
			me = (void *)prep(&ops[4], sizeof(*me));
			me->flags = (1u << bit) | (k ? TDX_HOST_ENABLE_ALL_CPUS : 0);
			e = call(&ops[4], me);
			if (e != EINVAL && bad_errno++ < DIAG_MAX)
				t_diag("flags 0x%x -> %s", me->flags, errname(e));
			if ((tdx_status(fd, &after) ||
			     memcmp(&before, &after, sizeof(after))) &&
			    bad_status++ < DIAG_MAX)
				t_diag("flags 0x%x: status changed (state %s, %u CPUs enabled)",
				       me->flags, state_name(after.state),
				       after.cpus_enabled);
			if (model_calls_total() != calls && bad_calls++ < DIAG_MAX)
				t_diag("flags 0x%x: %lld SEAMCALLs made", me->flags,
				       model_calls_total() - calls);
		}
	}
	t_result(!bad_errno,
		 "MODULE_ENABLE: each unknown flag bit, with and without ALL_CPUS -> EINVAL");
	t_result(!bad_status,
		 "MODULE_ENABLE: status identical before and after each rejected call");
	t_result(!bad_calls,
		 "MODULE_ENABLE: no SEAMCALL made by a rejected call");
	t_result(before.state == TDX_HOST_STATE_UNINITIALIZED &&
		 before.cpus_enabled == 0,
		 "MODULE_ENABLE rejects: tried on an untouched driver (state %s, %u CPUs enabled)",
		 state_name(before.state), before.cpus_enabled);
}

static void sweep_numbers(void)
{
	unsigned int nr;
	int bad = 0;

	for (nr = 5; nr < 256; nr++) {
		int e = xioctl(fd, _IO(TDX_HOST_IOCTL_TYPE, nr), buf);

		if (e != ENOTTY) {
			t_diag("nr 0x%x -> %s", nr, errname(e));
			bad++;
		}
	}
	t_result(!bad, "every undefined number under type 0xD8 -> ENOTTY");
	prep(&ops[1], ops[1].size);
	t_errno(xioctl(fd, _IOWR(TDX_HOST_IOCTL_TYPE, 1, struct tdx_host_status), buf),
		ENOTTY, "STATUS number with size/direction bits -> ENOTTY");
	t_errno(xioctl(fd, _IOR(TDX_HOST_IOCTL_TYPE, 0, uint32_t), buf),
		ENOTTY, "VERSION number with _IOR bits -> ENOTTY");
	t_errno(xioctl(fd, _IO(0xAB, 0x01), buf), ENOTTY,
		"foreign type byte -> ENOTTY");
}

/* CPUs in /sys/devices/system/cpu/possible ("0-3,8") */
static unsigned int possible_cpus(void)
{
	unsigned int a, b, n = 0;
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	int c;

	if (!f)
		return 0;
	while (fscanf(f, "%u", &a) == 1) {
		b = a;
		c = fgetc(f);
		if (c == '-') {
			if (fscanf(f, "%u", &b) != 1)
				break;
			c = fgetc(f);
		}
		n += b - a + 1;
		if (c != ',')
			break;
	}
	fclose(f);
	return n;
}

/* /sys/devices/system/cpu/cpuN/topology/physical_package_id, or -1 */
static long sysfs_package(unsigned int cpu)
{
	char path[96];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path),
		 "/sys/devices/system/cpu/cpu%u/topology/physical_package_id",
		 cpu);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static void success_paths(void)
{
	struct tdx_host_cpu_info *ci;
	struct tdx_host_cpu_table *tb;
	struct tdx_host_status *st;
	struct tdx_host_version *v;
	unsigned int i, n, bad;
	uint8_t *m, *e;
	size_t j;

	for (bad = 0, i = 0; i < NOPS; i++) {
		const struct op *o = &ops[i];

		t_errno(call(o, prep(o, o->size)), 0, "%s: size v1 -> ok",
			o->name);
		t_errno(call(o, prep(o, o->size + 8)), 0,
			"%s: size v1+8, zero tail -> ok", o->name);
		t_errno(call(o, prep(o, page)), 0,
			"%s: size PAGE_SIZE, zero tail -> ok", o->name);
		if (((uint32_t *)buf)[0] != o->size && bad++ < DIAG_MAX)
			t_diag("%s: size %ld came back as %u, want %u", o->name,
			       page, ((uint32_t *)buf)[0], o->size);
	}
	t_result(!bad, "every ioctl: size comes back as the bytes the driver wrote");
	for (i = 0; i < NOPS; i++)
		output_ignored(&ops[i]);

	v = (void *)prep(&ops[0], sizeof(*v));
	memset(v->driver_version, 0xAA, sizeof(v->driver_version));
	t_errno(call(&ops[0], v), 0, "VERSION");
	t_result(v->abi_version == TDX_HOST_ABI_VERSION &&
		 v->backend == TDX_HOST_BACKEND_EMULATED,
		 "VERSION: ABI %u, backend %u", v->abi_version, v->backend);
	n = strnlen((char *)v->driver_version, sizeof(v->driver_version));
	for (bad = 0, j = n; j < sizeof(v->driver_version); j++)
		bad |= v->driver_version[j];
	t_result(n > 0 && n < sizeof(v->driver_version) && !bad,
		 "VERSION: driver_version NUL-terminated, rest zero");

	/* status: every byte pre-filled, only the header valid */
	prep(&ops[1], sizeof(*st));
	memset(buf, 0xAA, sizeof(*st) + 8);
	st = (void *)buf;
	st->size = sizeof(*st);
	st->flags = 0;
	t_errno(call(&ops[1], st), 0, "STATUS over a 0xAA-filled struct");
	t_result(st->reserved == 0, "STATUS: reserved comes back zero");
	t_result(st->state == TDX_HOST_STATE_INITIALIZED &&
		 st->valid == (TDX_HOST_STATUS_MODULE_INFO |
			       TDX_HOST_STATUS_TDMR_INFO |
			       TDX_HOST_STATUS_KEYID_INFO |
			       TDX_HOST_STATUS_MODULE_CPUS |
			       TDX_HOST_STATUS_STEP_TIMES |
			       TDX_HOST_STATUS_TDX_ERRORS |
			       TDX_HOST_STATUS_MODULE_CAPS |
			       TDX_HOST_STATUS_GUEST_KEYIDS),
		 "STATUS: initialized, every fact known (valid 0x%llx)",
		 (unsigned long long)st->valid);
	t_result(st->err_step == 0 && st->err_errno == 0 &&
		 st->err_tdx_status == 0, "STATUS: no error record");
	for (bad = 0, j = TDX_HOST_STEP_NR; j < TDX_HOST_STEP_SLOTS; j++)
		bad |= st->step_ns[j] != 0;
	t_result(st->step_ns[TDX_HOST_STEP_NONE] == 0 &&
		 st->step_ns[TDX_HOST_STEP_PREFLIGHT] == 0 && !bad,
		 "STATUS: unused step times and the slots past the last step zero");
	for (bad = 0, j = sizeof(*st); j < sizeof(*st) + 8; j++)
		bad |= buf[j] != 0xAA;
	t_result(!bad, "STATUS: nothing written past size");

	/* cpu table: count, too small, records with a larger entry size */
	tb = (void *)prep(&ops[2], sizeof(*tb));
	t_errno(call(&ops[2], tb), 0, "CPU_TABLE: count query");
	n = tb->nr_entries;
	t_result(n == possible_cpus(),
		 "CPU_TABLE: one record per possible CPU (%u)", n);
	m = calloc(n + 1, 48);
	tb->entries = (uintptr_t)m;
	tb->entry_size = sizeof(*ci) - 1;
	tb->nr_entries = n;
	t_errno(call(&ops[2], tb), EINVAL, "CPU_TABLE: entry_size v1-1 -> EINVAL");
	tb->entry_size = page + 8;
	t_errno(call(&ops[2], tb), E2BIG, "CPU_TABLE: entry_size > PAGE_SIZE -> E2BIG");
	tb->entry_size = 48;
	tb->nr_entries = n - 1;
	t_errno(call(&ops[2], tb), EOVERFLOW, "CPU_TABLE: one record short -> EOVERFLOW");
	t_result(tb->nr_entries == n, "CPU_TABLE: EOVERFLOW says how many (%u)",
		 tb->nr_entries);
	memset(m, 0xAA, (n + 1) * 48);
	tb->nr_entries = n + 1;
	t_errno(call(&ops[2], tb), 0, "CPU_TABLE: 48-byte records");
	t_result(tb->nr_entries == n && tb->entry_size == sizeof(*ci),
		 "CPU_TABLE: %u records of %u bytes written", tb->nr_entries,
		 tb->entry_size);
	for (bad = 0, i = 0; i < n; i++) {
		ci = (void *)(m + i * 48);
		bad |= ci->cpu != i || ci->err_errno ||
		       (ci->flags & TDX_HOST_CPU_ERRNO);
		for (e = m + i * 48 + sizeof(*ci); e < m + (i + 1) * 48; e++)
			bad |= *e;
		bad |= !(ci->flags & TDX_HOST_CPU_ENABLED) ||
		       !(ci->flags & TDX_HOST_CPU_TDX_STATUS);
	}
	for (e = m + n * 48; e < m + (n + 1) * 48; e++)
		bad |= *e != 0xAA;
	t_result(!bad, "CPU_TABLE: records in order, enabled with a known TDX status and no errno, padding zero, nothing past the last");
	for (bad = 0, i = 0; i < n; i++) {
		long pkg = sysfs_package(i);

		/* sysfs has no topology for a CPU that is offline */
		ci = (void *)(m + i * 48);
		if (pkg < 0 ? !!(ci->flags & TDX_HOST_CPU_ONLINE) :
		    ci->package != (uint32_t)pkg) {
			t_diag("CPU %u: package %u, sysfs says %ld", i,
			       ci->package, pkg);
			bad++;
		}
	}
	t_result(!bad, "CPU_TABLE: each CPU's package is its sysfs physical_package_id");

	tb->entries = (uintptr_t)mmap(NULL, page, PROT_READ,
				      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	tb->nr_entries = n;
	t_errno(call(&ops[2], tb), EFAULT, "CPU_TABLE: read-only records -> EFAULT");
	munmap((void *)(uintptr_t)tb->entries, page);
	tb->nr_entries = n;
	t_errno(call(&ops[2], tb), EFAULT, "CPU_TABLE: unmapped records -> EFAULT");
	free(m);

	prep(&ops[3], sizeof(struct tdx_host_cpu_enable));
	((struct tdx_host_cpu_enable *)buf)->cpu = 1u << 20;
	t_errno(call(&ops[3], buf), ENOENT, "CPU_ENABLE: no such CPU -> ENOENT");
	((struct tdx_host_cpu_enable *)buf)->cpu = 0xffffffffu;
	t_errno(call(&ops[3], buf), ENOENT, "CPU_ENABLE: CPU 0xffffffff -> ENOENT");
}

int main(void)
{
	unsigned int i;

	page = sysconf(_SC_PAGESIZE);
	buf = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fd = tdx_open(O_RDWR);
	t_plan(plan());
	t_diag("tdx-abi, %zu-bit", sizeof(long) * 8);

	module_enable_rejects();
	for (i = 0; i < NOPS; i++) {
		sweep_sizes(&ops[i]);
		sweep_memory(&ops[i]);
	}
	sweep_numbers();
	check_no_state_change();
	success_paths();

	close(fd);
	return t_failures ? 1 : 0;
}
