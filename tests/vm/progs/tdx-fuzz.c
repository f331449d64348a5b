// SPDX-License-Identifier: GPL-2.0
/*
 * tdx-fuzz: random calls, each held against a model of the documented
 * rules (linux/tdx_host.h, linux/tdx_host_genl.h, the generic netlink
 * core's validation), which says what the answer must be.
 *
 *   tdx-fuzz ioctl N SEED   N random ioctls on /dev/tdx_host (fds opened
 *                           read-write, read-only and write-only)
 *   tdx-fuzz genl N SEED    N random messages to the tdx_host family over
 *                           raw NETLINK_GENERIC sockets; run as a user
 *                           without CAP_NET_ADMIN/CAP_SYS_ADMIN, every
 *                           operation must answer EPERM
 *   tdx-fuzz both N SEED    both, one after the other
 *
 * ioctl model, in the order the driver applies the rules:
 *   - a number that is not exactly one of the five _IO() numbers (type
 *     0xD8, nr, no direction, no size): ENOTTY;
 *   - the size field unreadable: EFAULT; size below the v1 size: EINVAL;
 *     above a page: E2BIG;
 *   - bytes past the known size (up to size): a non-zero one E2BIG,
 *     an unreadable one EFAULT (whichever the driver meets first, it
 *     scans upwards); the known part unreadable: EFAULT;
 *   - an unknown flag bit: EINVAL;
 *   - the struct (what the driver writes back) not writable: EFAULT,
 *     with nothing changed;
 *   - CPU_ENABLE, MODULE_ENABLE: fd not open for writing EBADF, no
 *     CAP_SYS_ADMIN EPERM (the struct written back, outputs zero);
 *   - then the ioctl itself: CPU_TABLE with entries 0 gives the count;
 *     entry_size below the v1 record EINVAL, above a page E2BIG, too few
 *     entries EOVERFLOW, records not writable EFAULT; CPU_ENABLE ENOENT
 *     (no such possible/present CPU), ENXIO (offline), else 0 with
 *     outcome ENABLED or ALREADY; MODULE_ENABLE 0 once initialized, EIO
 *     in state error, else (ALL_CPUS enables the online CPUs first)
 *     EAGAIN unless every present CPU is online and enabled and as many
 *     as the TDX module counted are, else 0 and state initialized.
 * A call the model expects to succeed is also checked for what it wrote:
 * size = the known size, bytes past it untouched, reserved bytes zero,
 * the facts the model keeps (state, CPUs enabled, records).
 *
 * genl model (netlink_rcv_skb, genetlink's header check, strict policy
 * validation, the spec's two do operations):
 *   - no bytes at all: sendmsg fails (ENODATA); fewer than 16 bytes,
 *     nlmsg_len below 16 or beyond the data: no answer at all;
 *   - no NLM_F_REQUEST, or a control message type: an ACK (0) if asked;
 *   - nlmsg_len short of the genl header, genlmsghdr.reserved non-zero,
 *     nlmsg_flags other than REQUEST, ACK, ECHO and the DUMP pair: EINVAL;
 *   - a command without an operation: EOPNOTSUPP;
 *   - without CAP_NET_ADMIN: EPERM (a DUMP request may answer EOPNOTSUPP
 *     instead: from Linux 6.2 the core looks the dump op up first);
 *   - DUMP (both bits) on these do-only operations: EOPNOTSUPP;
 *   - attributes, strictly: type 0 or above the op's maxattr EINVAL,
 *     status-get's REJECT EINVAL, cpu-get's id not exactly 4 bytes or
 *     with NLA_F_NESTED EINVAL, bytes left over EINVAL;
 *   - cpu-get without id EINVAL, id not a possible CPU ENOENT;
 *   - else a reply (then an ACK 0 if asked) that parses: lengths within
 *     the message, attributes well-formed and of their types' sizes.
 * Every NLMSG_ERROR must carry the request's header (the whole request
 * on an error) and well-formed extended-ACK TLVs.
 *
 * Prints TAP (tdx-test.h) and "# soak: fuzz-MODE calls=N mismatches=M
 * state_errors=K"; the first 20 mismatches are described.
 */
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>

#include <linux/tdx_host_genl.h>

#include "tdx-test.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define MAX_DIAG	20
#define MAX_CPUS	64

/* ---- random numbers (xorshift64*, seeded by splitmix64) ---- */

static uint64_t rng;
static bool in_both;	/* "both": one plan, printed by main() */

static void plan(unsigned int n)
{
	if (!in_both)
		t_plan(n);
}

static uint64_t rnd64(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

static uint32_t rnd(uint32_t n)
{
	return n ? (uint32_t)((rnd64() >> 32) % n) : 0;
}

static void rnd_seed(uint64_t seed)
{
	uint64_t z = seed + 0x9E3779B97F4A7C15ULL;

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	rng = (z ^ (z >> 31)) | 1;
}

static void rnd_fill(uint8_t *p, size_t n)
{
	while (n) {
		uint64_t v = rnd64();
		size_t k = n < 8 ? n : 8;

		memcpy(p, &v, k);
		p += k;
		n -= k;
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool have_cap(int cap)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return false;
	return d[cap / 32].effective & (1u << (cap % 32));
}

/* ---- the model's view of the driver ---- */

struct mcpu {
	uint32_t cpu;
	bool present, online, enabled;
};

static struct {
	uint32_t state;
	uint32_t backend;
	uint32_t lp_count;
	unsigned int ncpus;		/* possible CPUs: records */
	struct mcpu cpu[MAX_CPUS];
} m;

static struct mcpu *m_cpu(uint32_t cpu)
{
	unsigned int i;

	for (i = 0; i < m.ncpus; i++)
		if (m.cpu[i].cpu == cpu)
			return &m.cpu[i];
	return NULL;
}

/* STATUS and the CPU table, read with valid calls; 0 or the errno */
static int read_driver(int fd, struct tdx_host_status *st,
		       struct tdx_host_cpu_info *ci, unsigned int *n)
{
	struct tdx_host_cpu_table tbl = { .size = sizeof(tbl) };
	int e;

	e = tdx_status(fd, st);
	if (e)
		return e;
	e = xioctl(fd, TDX_HOST_IOC_CPU_TABLE, &tbl);
	if (e)
		return e;
	if (tbl.nr_entries > MAX_CPUS)
		return ERANGE;
	tbl.entries = (uintptr_t)ci;
	tbl.entry_size = sizeof(*ci);
	e = xioctl(fd, TDX_HOST_IOC_CPU_TABLE, &tbl);
	*n = tbl.nr_entries;
	return e;
}

static int model_load(int fd)
{
	struct tdx_host_cpu_info ci[MAX_CPUS];
	struct tdx_host_status st;
	unsigned int i, n = 0;
	int e = read_driver(fd, &st, ci, &n);

	if (e)
		return e;
	m.state = st.state;
	m.backend = st.backend;
	m.lp_count = (st.valid & TDX_HOST_STATUS_MODULE_CPUS) ?
		     st.module_lp_count : 0;
	m.ncpus = n;
	for (i = 0; i < n; i++) {
		m.cpu[i].cpu = ci[i].cpu;
		m.cpu[i].present = ci[i].flags & TDX_HOST_CPU_PRESENT;
		m.cpu[i].online = ci[i].flags & TDX_HOST_CPU_ONLINE;
		m.cpu[i].enabled = ci[i].flags & TDX_HOST_CPU_ENABLED;
	}
	return 0;
}

/* ---- ioctl mode ---- */

static long page;

/*
 * The memory the arguments live in, and what the model knows of it:
 *   H: [RW][RW][unmapped]   structs, and tails that run off the end
 *   R: [RW][RO]             structs whose write-back meets a RO page
 *   E: [RW][RW][unmapped]   CPU table records
 */
enum { P_R = 1, P_W = 2 };
struct range {
	uintptr_t lo, hi;
	int perm;
};
static struct range ranges[8];
static unsigned int nranges;
static uint8_t *H, *R, *E;

static void add_range(void *lo, size_t len, int perm)
{
	ranges[nranges].lo = (uintptr_t)lo;
	ranges[nranges].hi = (uintptr_t)lo + len;
	ranges[nranges].perm = perm;
	nranges++;
}

static int perm_at(uintptr_t a)
{
	unsigned int i;

	for (i = 0; i < nranges; i++)
		if (a >= ranges[i].lo && a < ranges[i].hi)
			return ranges[i].perm;
	return 0;
}

/* The first byte of [a, a+len) without perm, or a+len when there is none */
static uintptr_t first_bad(uintptr_t a, uint64_t len, int perm)
{
	uintptr_t x = a, end = a + len;

	if (end < a)
		return a;
	while (x < end) {
		if ((perm_at(x) & perm) != perm)
			return x;
		x = (x | (page - 1)) + 1;
		if (!x)
			break;
	}
	return end;
}

static bool accessible(uintptr_t a, uint64_t len, int perm)
{
	return first_bad(a, len, perm) == a + len;
}

static bool hole_unmapped(void *p)
{
	return msync(p, page, MS_ASYNC) && errno == ENOMEM;
}

/*
 * One reservation, PROT_NONE but for the arenas carved from it, so no
 * other mapping can sit next to them:
 *   0 none | 1-2 H | 3 H's hole | 4 none | 5-6 R | 7 none | 8-9 E |
 *   10 E's hole | 11 none
 */
static int setup_arenas(void)
{
	uint8_t *b = mmap(NULL, 12 * page, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (b == MAP_FAILED)
		return errno;
	H = b + page;
	R = b + 5 * page;
	E = b + 8 * page;
	if (mprotect(H, 2 * page, PROT_READ | PROT_WRITE) ||
	    mprotect(R, page, PROT_READ | PROT_WRITE) ||
	    mprotect(E, 2 * page, PROT_READ | PROT_WRITE) ||
	    munmap(H + 2 * page, page) || munmap(E + 2 * page, page))
		return errno;
	/* the RO page: zeros, then random bytes (refilled by place()) */
	add_range(H, 2 * page, P_R | P_W);
	add_range(R, page, P_R | P_W);
	add_range(R + page, page, P_R);
	add_range(E, 2 * page, P_R | P_W);
	return 0;
}

static bool arenas_intact(void)
{
	return hole_unmapped(H + 2 * page) && hole_unmapped(E + 2 * page);
}

/* Write n bytes at p where the memory is mapped (RO made writable a moment) */
static void place(uint8_t *p, const uint8_t *src, size_t n)
{
	uintptr_t a = (uintptr_t)p, ro = (uintptr_t)R + page;
	size_t k = first_bad(a, n, P_R) - a;
	bool touches_ro = a < ro + page && a + k > ro;

	if (!k)
		return;
	if (touches_ro)
		mprotect(R + page, page, PROT_READ | PROT_WRITE);
	memcpy(p, src, k);
	if (touches_ro)
		mprotect(R + page, page, PROT_READ);
}

#define NOPS 5
static const unsigned int op_cmd[NOPS] = {
	TDX_HOST_IOC_VERSION, TDX_HOST_IOC_STATUS, TDX_HOST_IOC_CPU_TABLE,
	TDX_HOST_IOC_CPU_ENABLE, TDX_HOST_IOC_MODULE_ENABLE,
};
static const uint32_t op_size[NOPS] = {
	sizeof(struct tdx_host_version), sizeof(struct tdx_host_status),
	sizeof(struct tdx_host_cpu_table), sizeof(struct tdx_host_cpu_enable),
	sizeof(struct tdx_host_module_enable),
};
static const uint32_t op_flags[NOPS] = { 0, 0, 0, 0, TDX_HOST_ENABLE_ALL_CPUS };
static const bool op_mutates[NOPS] = { false, false, false, true, true };
static const char *const op_name[NOPS] = {
	"VERSION", "STATUS", "CPU_TABLE", "CPU_ENABLE", "MODULE_ENABLE",
};

static const char *const fd_name[3] = { "rdwr", "rdonly", "wronly" };
static bool priv_sys_admin;

static uint32_t ld32(uintptr_t a)
{
	uint32_t v;

	memcpy(&v, (const void *)a, 4);
	return v;
}

static uint64_t ld64(uintptr_t a)
{
	uint64_t v;

	memcpy(&v, (const void *)a, 8);
	return v;
}

/* The op a command number is exactly, or -1 */
static int op_of(unsigned int cmd)
{
	unsigned int nr = _IOC_NR(cmd);

	if (_IOC_TYPE(cmd) != TDX_HOST_IOCTL_TYPE || nr >= NOPS ||
	    op_cmd[nr] != cmd)
		return -1;
	return nr;
}

/*
 * The answer the rules give for cmd on the struct at p through an fd of
 * mode fdm (0 rdwr, 1 rdonly, 2 wronly).  Side effects on the model are
 * left to model_commit(); *stage says how far the call got:
 * 0 refused before the struct was written back, 3 refused for the fd
 * or the opener (struct written back, outputs cleared), 1 refused by
 * the ioctl itself (struct written back), 2 success.
 */
static int model_ioctl(unsigned int cmd, uintptr_t p, int fdm, int *stage)
{
	int op = op_of(cmd);
	uint32_t usize, ks, flags;
	uintptr_t bad, x, tend;

	*stage = 0;
	if (op < 0)
		return ENOTTY;
	ks = op_size[op];
	if (!accessible(p, 4, P_R))
		return EFAULT;
	usize = ld32(p);
	if (usize < ks)
		return EINVAL;
	if (usize > page)
		return E2BIG;
	bad = first_bad(p, usize, P_R);
	if (usize > ks) {
		tend = bad < p + usize ? bad : p + usize;
		for (x = p + ks; x < tend; x++)
			if (*(const uint8_t *)x)
				return E2BIG;
	}
	if (bad < p + usize)
		return EFAULT;
	flags = ld32(p + 4);
	if (flags & ~op_flags[op])
		return EINVAL;
	/* written back from here on, refused or not: EFAULT first */
	if (!accessible(p, ks, P_R | P_W))
		return EFAULT;
	*stage = 3;
	if (op_mutates[op]) {
		if (fdm == 1)
			return EBADF;
		if (!priv_sys_admin)
			return EPERM;
	}

	*stage = 1;
	switch (op) {
	case 2: {	/* CPU_TABLE */
		uint64_t ent = ld64(p + 16);
		uint32_t want = ld32(p + 8), esz = ld32(p + 12);
		unsigned int i;

		if (!ent)
			break;
		if (esz < sizeof(struct tdx_host_cpu_info))
			return EINVAL;
		if (esz > page)
			return E2BIG;
		if (want < m.ncpus)
			return EOVERFLOW;
		for (i = 0; i < m.ncpus; i++)
			if (!accessible(ent + (uint64_t)i * esz, esz,
					P_R | P_W))
				return EFAULT;
		break;
	}
	case 3: {	/* CPU_ENABLE */
		struct mcpu *c = m_cpu(ld32(p + 8));

		if (!c || !c->present)
			return ENOENT;
		if (!c->online)
			return ENXIO;
		break;
	}
	case 4: {	/* MODULE_ENABLE */
		unsigned int i, en = 0;

		if (m.state == TDX_HOST_STATE_INITIALIZED)
			break;
		if (m.state == TDX_HOST_STATE_ERROR)
			return EIO;
		for (i = 0; i < m.ncpus; i++) {
			bool e = m.cpu[i].enabled ||
				 ((flags & TDX_HOST_ENABLE_ALL_CPUS) &&
				  m.cpu[i].online);

			en += e;
			if (m.cpu[i].present && !e)
				return EAGAIN;
		}
		if (en < m.lp_count)
			return EAGAIN;
		break;
	}
	}
	*stage = 2;
	return 0;
}

/* What a call the model let through did to the driver's state */
static void model_commit(unsigned int cmd, uintptr_t p, int stage)
{
	int op = op_of(cmd);
	unsigned int i;

	if (stage != 1 && stage != 2)
		return;
	if (op == 3 && stage == 2)
		m_cpu(ld32(p + 8))->enabled = true;
	if (op == 4 && m.state == TDX_HOST_STATE_UNINITIALIZED) {
		/* ALL_CPUS enables the online CPUs whatever follows */
		if (ld32(p + 4) & TDX_HOST_ENABLE_ALL_CPUS)
			for (i = 0; i < m.ncpus; i++)
				if (m.cpu[i].online)
					m.cpu[i].enabled = true;
		if (stage == 2)
			m.state = TDX_HOST_STATE_INITIALIZED;
	}
}

static bool all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/*
 * What a call wrote, as the rules say it must be (stage 1: refused by
 * the ioctl itself; 2: succeeded; 3: refused for the fd or opener).  Called before model_commit().
 * snap: the bytes from p before the call, snap_len of them.  NULL if
 * right, else what is wrong.
 */
static const char *check_written(unsigned int cmd, uintptr_t p, int stage,
				 int err, const uint8_t *snap, size_t snap_len,
				 uint64_t ent_before)
{
	int op = op_of(cmd);
	uint32_t ks;
	const uint8_t *s = (const uint8_t *)p;

	if (op < 0)
		return "an unknown number got that far";
	ks = op_size[op];

	if (ld32(p) != ks)
		return "size is not the known size";
	if (snap_len > ks && memcmp(s + ks, snap + ks, snap_len - ks))
		return "bytes past the known size changed";
	switch (op) {
	case 0: {
		const struct tdx_host_version *v = (const void *)s;

		if (v->abi_version != TDX_HOST_ABI_VERSION ||
		    v->backend != m.backend)
			return "abi_version/backend";
		if (!memchr(v->driver_version, 0, sizeof(v->driver_version)))
			return "driver_version not NUL-terminated";
		break;
	}
	case 1: {
		const struct tdx_host_status *st = (const void *)s;

		if (st->state != m.state || st->backend != m.backend)
			return "state/backend not as the model has it";
		if (st->reserved || !all_zero((const uint8_t *)&st->step_ns[TDX_HOST_STEP_NR],
					      sizeof(st->step_ns) - TDX_HOST_STEP_NR * 8))
			return "reserved or unknown step_ns not zero";
		if (st->cpus_possible != m.ncpus)
			return "cpus_possible";
		break;
	}
	case 2: {
		const struct tdx_host_cpu_table *t = (const void *)s;
		unsigned int i;

		if (t->nr_entries != m.ncpus)
			return "nr_entries is not the number of possible CPUs";
		if (stage == 2 && t->entry_size != sizeof(struct tdx_host_cpu_info))
			return "entry_size";
		if (t->entries != ent_before)
			return "entries changed";
		if (stage != 2 || !ent_before)
			break;
		for (i = 0; i < m.ncpus; i++) {
			uint32_t esz = ld32((uintptr_t)snap + 12);
			const uint8_t *r = (const uint8_t *)(uintptr_t)
				(ent_before + (uint64_t)i * esz);
			struct tdx_host_cpu_info ci;

			memcpy(&ci, r, sizeof(ci));
			if (ci.cpu != m.cpu[i].cpu ||
			    !(ci.flags & TDX_HOST_CPU_ENABLED) != !m.cpu[i].enabled ||
			    !(ci.flags & TDX_HOST_CPU_ONLINE) != !m.cpu[i].online)
				return "record not as the model has it";
			if (!all_zero(r + sizeof(ci), esz - sizeof(ci)))
				return "record tail not cleared";
		}
		break;
	}
	case 3: {
		const struct tdx_host_cpu_enable *ce = (const void *)s;

		if (stage == 2) {
			struct mcpu *c = m_cpu(ce->cpu);
			uint32_t want = c && c->enabled ?
				TDX_HOST_CPU_OUTCOME_ALREADY :
				TDX_HOST_CPU_OUTCOME_ENABLED;

			if (ce->outcome != want || ce->step || ce->tdx_status)
				return "outcome/step/tdx_status";
		} else if (ce->outcome || ce->step || ce->tdx_status ||
			   (stage == 3 && ce->valid)) {
			return "outputs of a refused CPU_ENABLE not zero";
		}
		break;
	}
	case 4: {
		const struct tdx_host_module_enable *me = (const void *)s;

		if (stage == 2) {
			if (me->state != TDX_HOST_STATE_INITIALIZED ||
			    me->step || me->err_errno || me->tdx_status ||
			    me->valid != TDX_HOST_RESULT_DETAIL)
				return "state/step/err_errno/valid of a success";
		} else if (err == EAGAIN) {
			if (me->state != TDX_HOST_STATE_UNINITIALIZED ||
			    me->step != TDX_HOST_STEP_PREFLIGHT ||
			    me->err_errno != EAGAIN)
				return "state/step/err_errno of EAGAIN";
		} else if (err == EIO && me->state != TDX_HOST_STATE_ERROR) {
			return "state of EIO";
		} else if (stage == 3 &&
			   !all_zero(s + offsetof(struct tdx_host_module_enable, state),
				     sizeof(*me) - offsetof(struct tdx_host_module_enable, state))) {
			return "outputs of a refused MODULE_ENABLE not zero";
		}
		break;
	}
	}
	return NULL;
}

static unsigned int gen_cmd(unsigned long *req)
{
	unsigned int r = rnd(100), nr = rnd(NOPS), cmd, dir, size;

	if (r < 60) {
		cmd = op_cmd[nr];
	} else if (r < 80) {
		/* near miss: the right nr, a direction or a size */
		dir = rnd(4);
		size = rnd(2) ? op_size[nr] : rnd(1u << _IOC_SIZEBITS);
		if (!dir && !size)
			size = op_size[nr];
		cmd = _IOC(dir, TDX_HOST_IOCTL_TYPE, nr, size);
	} else if (r < 95) {
		dir = rnd(4);
		size = rnd(3) ? 0 : rnd(1u << _IOC_SIZEBITS);
		cmd = _IOC(dir, TDX_HOST_IOCTL_TYPE, NOPS + rnd(0x40 - NOPS),
			   size);
	} else if (r < 98) {
		cmd = _IOC(_IOC_NONE, rnd(2) ? 0xD7 : 0xD9, nr, 0);
	} else {
		/* the kernel takes the low 32 bits only */
		*req = (1UL << 32) * (1 + rnd(0xffff)) | op_cmd[nr];
		return op_cmd[nr];
	}
	*req = cmd;
	return cmd;
}

static uint32_t gen_size(uint32_t ks)
{
	unsigned int r = rnd(100);

	if (r < 45)
		return ks;
	if (r < 50)
		return 0;
	if (r < 60)
		return 1 + rnd(ks - 1);
	if (r < 80)
		return ks + 1 + rnd(page - ks);	/* tail set by the caller */
	if (r < 87)
		return rnd(2) ? page : page + 1;
	if (r < 94)
		return page + 1 + rnd(3 * page);
	return rnd(2) ? 0xffffffffu : (uint32_t)rnd64();
}

static uint32_t gen_flags(uint32_t valid)
{
	unsigned int r = rnd(100);

	if (r < 65)
		return 0;
	if (r < 77)
		return valid ? valid : 1u << rnd(32);
	if (r < 90)
		return 1u << rnd(32);
	return (uint32_t)rnd64();
}

static uint64_t gen_wild(void)
{
	static const uint64_t wild[] = {
		1, 0xfff, 0x1000, 0xffff888000000000ULL, 0xffffffff81000000ULL,
		0x8000000000000000ULL, 0x7ffffffff000ULL, ~0ULL - 3,
	};

	if (rnd(3) == 0)
		return (uintptr_t)H + 2 * page + rnd(page);	/* the hole */
	return wild[rnd(sizeof(wild) / sizeof(wild[0]))];
}

static uint64_t gen_entries(void)
{
	unsigned int r = rnd(100);

	if (r < 30)
		return 0;
	if (r < 65)
		return (uintptr_t)E + 8 * rnd(64);
	if (r < 80)
		return (uintptr_t)E + 2 * page - 8 * (1 + rnd(40));
	if (r < 90)
		return (uintptr_t)R + page + 8 * rnd(64);
	return gen_wild();
}

struct stats {
	unsigned long calls, mismatches, state_errors, ok_calls;
	unsigned long by_errno[160];
};

static void mismatch(struct stats *s, unsigned long i, unsigned int cmd,
		     uintptr_t p, int fdm, int want, int got, const char *what)
{
	uint32_t size = 0, flags = 0;
	int op = op_of(cmd);

	s->mismatches++;
	if (s->mismatches > MAX_DIAG)
		return;
	if (accessible(p, 8, P_R)) {
		size = ld32(p);
		flags = ld32(p + 4);
	}
	t_diag("mismatch: call %lu cmd 0x%08x (%s) size %u flags 0x%x fd %s arg %#lx: expected %s, got %s%s%s",
	       i, cmd, op >= 0 ? op_name[op] : "unknown", size, flags,
	       fd_name[fdm], (unsigned long)p, errname(want), errname(got),
	       what ? ": " : "", what ? what : "");
}

static int run_ioctl(unsigned long n, uint64_t seed)
{
	static uint8_t stage_buf[3 * 4096 + 64], snap[3 * 4096 + 64];
	struct tdx_host_cpu_info ci[MAX_CPUS];
	struct tdx_host_status st;
	struct stats s = { 0 };
	unsigned long i, enabled_at = 0;
	unsigned int nc = 0, k;
	double t0, dt;
	int fds[3], e, ok;

	plan(5);
	page = sysconf(_SC_PAGESIZE);
	priv_sys_admin = have_cap(CAP_SYS_ADMIN);
	rnd_seed(seed);
	fds[0] = tdx_open(O_RDWR);
	fds[1] = tdx_open(O_RDONLY);
	fds[2] = tdx_open(O_WRONLY);
	e = setup_arenas();
	if (e) {
		fprintf(stderr, "arenas: %s\n", strerror(e));
		return 2;
	}
	e = model_load(fds[0]);
	if (e) {
		fprintf(stderr, "STATUS/CPU_TABLE before the run: %s\n",
			errname(e));
		return 2;
	}
	t_diag("fuzz-ioctl: seed %llu, %lu calls, state %s, %u possible CPUs, module counted %u",
	       (unsigned long long)seed, n, state_name(m.state), m.ncpus,
	       m.lp_count);

	t0 = now_s();
	for (i = 0; i < n; i++) {
		unsigned long req;
		unsigned int cmd = gen_cmd(&req);
		int op = op_of(cmd), lay = op >= 0 ? op : (int)rnd(NOPS);
		uint32_t ks = op_size[lay], usize = gen_size(ks);
		size_t blen = (usize > ks ? usize : ks), snap_len = 0;
		int fdm, want, got, stagev;
		uint64_t ent = 0;
		uintptr_t p;
		const char *what = NULL;
		unsigned int r;

		if (blen > 2 * (size_t)page)
			blen = 2 * page;
		/* the struct: random content or zeros, then its fields */
		if (rnd(3) == 0)
			rnd_fill(stage_buf, blen + 16);
		else
			memset(stage_buf, 0, blen + 16);
		memcpy(stage_buf, &usize, 4);
		k = gen_flags(op_flags[lay]);
		memcpy(stage_buf + 4, &k, 4);
		if (lay == 2) {
			r = rnd(10);
			k = r < 4 ? m.ncpus : r < 5 ? 0 : r < 6 ? m.ncpus - 1 :
			    r < 8 ? m.ncpus + rnd(4) : (uint32_t)rnd64();
			memcpy(stage_buf + 8, &k, 4);
			r = rnd(20);
			k = r < 10 ? sizeof(struct tdx_host_cpu_info) :
			    r < 13 ? 40 + 8 * rnd(4) : r < 15 ? rnd(32) :
			    r < 16 ? (uint32_t)page : r < 17 ? (uint32_t)page + 1 :
			    r < 18 ? 2048 : (uint32_t)rnd64();
			memcpy(stage_buf + 12, &k, 4);
			ent = gen_entries();
			memcpy(stage_buf + 16, &ent, 8);
		} else if (lay == 3) {
			r = rnd(10);
			k = r < 8 ? rnd(m.ncpus + 2) : r < 9 ? 0xffffffffu :
			    (uint32_t)rnd64();
			memcpy(stage_buf + 8, &k, 4);
		}
		if (usize > ks && usize <= 2 * page) {
			/* the tail: zero, or one non-zero byte somewhere */
			r = rnd(10);
			if (r < 6)
				memset(stage_buf + ks, 0, blen - ks);
			else if (r < 9)
				stage_buf[ks + rnd(blen - ks)] = 1 + rnd(255);
		}

		/* where the struct lives */
		r = rnd(100);
		if (r < 50) {
			p = (uintptr_t)H + (rnd(10) ? 8 * rnd(8) : rnd(64));
		} else if (r < 70) {
			uint32_t back = rnd(4) ? 1 + rnd((usize < blen ? usize : blen) + 8) : rnd(4);

			p = (uintptr_t)H + 2 * page - back;
		} else if (r < 85) {
			p = (uintptr_t)R + page - rnd(blen + 8);
		} else if (r < 90) {
			p = (uintptr_t)R + page + 8 * rnd(page / 8 - 8);
		} else if (r < 95) {
			p = 0;
		} else {
			p = gen_wild();
		}
		place((uint8_t *)p, stage_buf, blen + 16);
		snap_len = first_bad(p, blen, P_R) - p;
		if (snap_len)
			memcpy(snap, (const void *)p, snap_len);

		r = rnd(10);
		fdm = r < 7 ? 0 : r < 9 ? 1 : 2;
		want = model_ioctl(cmd, p, fdm, &stagev);
		got = xioctl(fds[fdm], req, (void *)p);
		s.calls++;
		if (got < (int)(sizeof(s.by_errno) / sizeof(s.by_errno[0])))
			s.by_errno[got]++;
		if (got == want && stagev >= 1)
			what = check_written(cmd, p, stagev, got, snap,
					     snap_len, ent);
		if (got != want || what)
			mismatch(&s, i, cmd, p, fdm, want, got, what);
		if (got == want) {
			bool was = m.state == TDX_HOST_STATE_INITIALIZED;

			model_commit(cmd, p, stagev);
			if (!was && m.state == TDX_HOST_STATE_INITIALIZED)
				enabled_at = i + 1;
		} else {
			/* resynchronize: the driver is the truth from here */
			model_load(fds[0]);
		}
	}
	dt = now_s() - t0;
	t_diag("fuzz-ioctl: %lu calls in %.2f s (%.0f calls/s); module enabled at call %lu (0: not in this run)",
	       s.calls, dt, dt > 0 ? s.calls / dt : 0.0, enabled_at);
	t_diag("fuzz-ioctl: answers: 0 %lu, ENOTTY %lu, EINVAL %lu, E2BIG %lu, EFAULT %lu, EBADF %lu, ENOENT %lu, ENXIO %lu, EOVERFLOW %lu, EAGAIN %lu",
	       s.by_errno[0], s.by_errno[ENOTTY], s.by_errno[EINVAL],
	       s.by_errno[E2BIG], s.by_errno[EFAULT], s.by_errno[EBADF],
	       s.by_errno[ENOENT], s.by_errno[ENXIO], s.by_errno[EOVERFLOW],
	       s.by_errno[EAGAIN]);
	t_result(s.mismatches == 0,
		 "ioctl: %lu random calls answered as the model says (%lu mismatches)",
		 s.calls, s.mismatches);

	/* afterwards: STATUS answers, in a documented state, the model's */
	e = tdx_status(fds[0], &st);
	ok = !e && st.state <= TDX_HOST_STATE_ERROR && st.state == m.state;
	s.state_errors += !ok;
	t_result(ok, "ioctl: STATUS answers after the run: state %s (model: %s)",
		 e ? errname(e) : state_name(st.state), state_name(m.state));

	/* a valid VERSION/STATUS/CPU_TABLE round */
	{
		struct tdx_host_version v = { .size = sizeof(v) };

		e = xioctl(fds[1], TDX_HOST_IOC_VERSION, &v);
		if (!e)
			e = read_driver(fds[1], &st, ci, &nc);
		ok = !e && v.abi_version == TDX_HOST_ABI_VERSION &&
		     nc == m.ncpus;
		s.state_errors += !ok;
		t_result(ok, "ioctl: a valid VERSION/STATUS/CPU_TABLE round succeeds (%s)",
			 errname(e));
	}
	ok = !e;
	for (k = 0; !e && k < nc && k < m.ncpus; k++)
		if (ci[k].cpu != m.cpu[k].cpu ||
		    !(ci[k].flags & TDX_HOST_CPU_ENABLED) != !m.cpu[k].enabled)
			ok = 0;
	s.state_errors += !ok;
	t_result(ok, "ioctl: the CPU table's enabled CPUs are the model's");
	ok = arenas_intact();
	s.state_errors += !ok;
	t_result(ok, "ioctl: the unmapped guard pages stayed unmapped");

	t_diag("soak: fuzz-ioctl calls=%lu mismatches=%lu state_errors=%lu",
	       s.calls, s.mismatches, s.state_errors);
	for (k = 0; k < 3; k++)
		close(fds[k]);
	return t_failures ? 1 : 0;
}

/* ---- genl mode ---- */

static int nl_fd;
static uint32_t nl_portid;
static uint16_t fam_id;
static bool priv_net;

enum { A_NONE, A_ACK, A_ERR, A_REPLY, A_SEND };

struct expect {
	int kind;	/* A_*; A_SEND: sendmsg itself fails */
	int err;	/* A_ERR, A_SEND: positive errno */
	int alt;	/* another errno the rules allow, or 0 */
	bool ack;	/* A_REPLY: followed by an ACK */
	uint32_t cpu;	/* cpu-get: the CPU asked for */
};

/* One request; the replies into in (up to cap), their total length */
static int nl_xfer(const uint8_t *out, size_t len, uint8_t *in, size_t cap,
		   size_t *got)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t n;

	*got = 0;
	if (sendto(nl_fd, out, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return errno;
	for (;;) {
		n = recv(nl_fd, in + *got, cap - *got, MSG_DONTWAIT);
		if (n < 0)
			return errno == EAGAIN ? 0 : errno;
		*got += n;
		if (cap - *got < 16384)
			return ENOBUFS;
	}
}

/* Attributes [p, p+len) well-formed and all consumed; types' sizes */
static bool attrs_ok(const uint8_t *p, int len, const int8_t *sizes,
		     int maxtype, int *found_mask)
{
	int rem = len;

	while (rem >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;
		int t = a->nla_type & NLA_TYPE_MASK, l = a->nla_len - NLA_HDRLEN;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > rem)
			return false;
		if (sizes) {
			if (t < 1 || t > maxtype)
				return false;
			if (sizes[t] >= 0 && l != sizes[t])
				return false;
			if (t < 31)
				*found_mask |= 1 << t;
		}
		rem -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
	return rem == 0;
}

/* sizes of the reply attributes: 4 u32, 8 u64, 0 pad; [0] unused */
static const int8_t status_sizes[TDX_HOST_A_STATUS_MAX + 1] = {
	-1, 4, 4, 8, 4, 4, 8, 4, 4, 4, 4, 4, 4, 8, 4, 4, 8, 8, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 8, 0,
};
static const int8_t cpu_sizes[TDX_HOST_A_CPU_MAX + 1] = {
	-1, 4, 4, 4, 8, 8, 0, 4,
};
_Static_assert(TDX_HOST_A_STATUS_MAX == 28 && TDX_HOST_A_STATUS_STEP_NS == 27 &&
	       TDX_HOST_A_STATUS_TDX_MEMORY_KB == 17 &&
	       TDX_HOST_A_STATUS_FEATURES0 == 13 &&
	       TDX_HOST_A_STATUS_ERR_TDX_STATUS == 6 &&
	       TDX_HOST_A_STATUS_VALID == 3 && TDX_HOST_A_CPU_MAX == 7 &&
	       TDX_HOST_A_CPU_TDX_STATUS == 4 && TDX_HOST_A_CPU_PAD == 6,
	       "reply attribute sizes follow the header");

static uint32_t attr_u32(const uint8_t *p, int len, int type)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;
		uint32_t v;

		if ((a->nla_type & NLA_TYPE_MASK) == type) {
			memcpy(&v, p + NLA_HDRLEN, 4);
			return v;
		}
		len -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
	return 0xffffffffu;
}

/*
 * The answers to the request out (len bytes sent, nlmsg_len olen) as the
 * rules say they must be; NULL if they are, else what is wrong.
 * *got_err: the errno of an NLMSG_ERROR seen (-1 none).
 */
static const char *check_replies(const uint8_t *in, size_t n,
				 const uint8_t *out, uint32_t olen, uint8_t cmd,
				 const struct expect *x, int *got_err)
{
	const struct nlmsghdr *req = (const void *)out;
	size_t off = 0;
	int nmsg = 0, ndata = 0, nerr = 0, last_err = -1;

	*got_err = -1;
	while (off < n) {
		const struct nlmsghdr *h = (const void *)(in + off);
		size_t rest = n - off;

		if (rest < NLMSG_HDRLEN || h->nlmsg_len < NLMSG_HDRLEN ||
		    h->nlmsg_len > rest)
			return "a reply's length runs past what was received";
		if (h->nlmsg_seq != req->nlmsg_seq || h->nlmsg_pid != nl_portid)
			return "a reply's seq/portid is not the request's";
		nmsg++;
		if (h->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(h);
			bool capped = h->nlmsg_flags & NLM_F_CAPPED;
			size_t tlv;

			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				return "NLMSG_ERROR shorter than struct nlmsgerr";
			if (e->error > 0 || e->error < -4095)
				return "NLMSG_ERROR code not an errno";
			nerr++;
			last_err = -e->error;
			*got_err = last_err;
			if (memcmp(&e->msg, req, sizeof(*req)))
				return "NLMSG_ERROR does not carry the request's header";
			if (capped != (e->error == 0))
				return "NLM_F_CAPPED: only an ACK of success is capped";
			/* the request's payload appended, padded */
			tlv = NLMSG_HDRLEN + sizeof(*e) +
			      (capped ? 0 : NLMSG_ALIGN(olen - NLMSG_HDRLEN));
			if (!capped && memcmp(&e->msg, out, olen))
				return "NLMSG_ERROR does not carry the whole request";
			if (h->nlmsg_flags & NLM_F_ACK_TLVS) {
				if (tlv > h->nlmsg_len ||
				    !attrs_ok((const uint8_t *)h + tlv,
					      h->nlmsg_len - tlv, NULL, 0, NULL))
					return "extended ACK TLVs malformed";
			} else if (h->nlmsg_len != tlv) {
				return "NLMSG_ERROR length";
			}
		} else {
			const struct genlmsghdr *g = NLMSG_DATA(h);
			const uint8_t *a = (const uint8_t *)g + GENL_HDRLEN;
			int alen = (int)h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
			int found = 0;

			if (nerr)
				return "a data message after the ACK";
			if (h->nlmsg_type != fam_id || alen < 0)
				return "a data message not of the family";
			if (g->cmd != cmd || g->version != TDX_HOST_FAMILY_VERSION ||
			    g->reserved)
				return "reply's genl header (cmd/version/reserved)";
			ndata++;
			if (cmd == TDX_HOST_CMD_STATUS_GET) {
				if (!attrs_ok(a, alen, status_sizes,
					      TDX_HOST_A_STATUS_MAX, &found))
					return "status reply attributes malformed";
				if (!(found & (1 << TDX_HOST_A_STATUS_STATE)) ||
				    attr_u32(a, alen, TDX_HOST_A_STATUS_STATE) != m.state)
					return "status reply: state missing or not the driver's";
			} else {
				if (!attrs_ok(a, alen, cpu_sizes,
					      TDX_HOST_A_CPU_MAX, &found))
					return "cpu reply attributes malformed";
				if (!(found & (1 << TDX_HOST_A_CPU_FLAGS)) ||
				    attr_u32(a, alen, TDX_HOST_A_CPU_ID) != x->cpu)
					return "cpu reply: id/flags missing or wrong";
			}
		}
		off += NLMSG_ALIGN(h->nlmsg_len);
	}
	if (off != n && off != NLMSG_ALIGN(n))
		return "replies do not end where the data does";

	switch (x->kind) {
	case A_NONE:
		return nmsg ? "an answer where none is due" : NULL;
	case A_ACK:
		return nmsg == 1 && nerr == 1 && last_err == 0 ? NULL :
		       "not exactly one ACK (0)";
	case A_ERR:
		if (nmsg != 1 || nerr != 1)
			return "not exactly one NLMSG_ERROR";
		return last_err == x->err || (x->alt && last_err == x->alt) ?
		       NULL : "wrong errno";
	default:
		if (ndata != 1)
			return "not exactly one reply";
		if (x->ack)
			return nerr == 1 && last_err == 0 ? NULL :
			       "no ACK (0) after the reply";
		return nerr ? "an ACK that was not asked for" : NULL;
	}
}

/* The rules' answer to the message out (len bytes sent) */
static void model_genl(const uint8_t *out, size_t len, struct expect *x)
{
	const struct nlmsghdr *h = (const void *)out;
	const struct genlmsghdr *g = (const void *)(out + NLMSG_HDRLEN);
	uint16_t fl = h->nlmsg_flags;
	bool dump, have_cpu = false;
	int rem;
	const uint8_t *p;

	memset(x, 0, sizeof(*x));
	if (!len) {
		/* netlink_sendmsg() refuses an empty message */
		x->kind = A_SEND;
		x->err = ENODATA;
		return;
	}
	x->kind = A_NONE;
	if (len < NLMSG_HDRLEN || h->nlmsg_len < NLMSG_HDRLEN ||
	    h->nlmsg_len > len)
		return;
	if (!(fl & NLM_F_REQUEST) || h->nlmsg_type < NLMSG_MIN_TYPE) {
		if (fl & NLM_F_ACK)
			x->kind = A_ACK;
		return;
	}
	x->kind = A_ERR;
	x->err = EINVAL;
	if (h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN || g->reserved)
		return;
	dump = (fl & NLM_F_DUMP) == NLM_F_DUMP;
	if (dump)
		fl &= ~NLM_F_DUMP;
	if (fl & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO))
		return;
	x->err = EOPNOTSUPP;
	if (g->cmd != TDX_HOST_CMD_STATUS_GET && g->cmd != TDX_HOST_CMD_CPU_GET)
		return;
	if (!priv_net) {
		x->err = EPERM;
		if (dump)	/* 6.2+: the dump op is looked up first */
			x->alt = EOPNOTSUPP;
		return;
	}
	if (dump)
		return;
	x->err = EINVAL;
	p = out + NLMSG_HDRLEN + GENL_HDRLEN;
	rem = (int)h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	while (rem >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;
		int t = a->nla_type & NLA_TYPE_MASK;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > rem)
			break;
		if (t != 1)
			return;		/* unknown type (maxattr is 1) */
		if (g->cmd == TDX_HOST_CMD_STATUS_GET)
			return;		/* REJECT */
		if (a->nla_len != NLA_HDRLEN + 4 ||
		    (a->nla_type & NLA_F_NESTED))
			return;
		memcpy(&x->cpu, p + NLA_HDRLEN, 4);
		have_cpu = true;
		rem -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
	if (rem > 0)
		return;			/* bytes left over */
	if (!priv_sys_admin) {
		x->err = EPERM;		/* the family's pre_doit */
		return;
	}
	if (g->cmd == TDX_HOST_CMD_CPU_GET) {
		struct mcpu *c;

		if (!have_cpu)
			return;
		c = m_cpu(x->cpu);
		if (!c) {
			x->err = ENOENT;
			return;
		}
	}
	x->kind = A_REPLY;
	x->ack = h->nlmsg_flags & NLM_F_ACK;
}

static size_t put_attr(uint8_t *p, uint16_t type, const void *d, int len)
{
	struct nlattr *a = (struct nlattr *)p;

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy(p + NLA_HDRLEN, d, len);
	memset(p + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	return NLA_ALIGN(NLA_HDRLEN + len);
}

/* family id by name (CTRL_CMD_GETFAMILY); 0 or the errno */
static int resolve_family(void)
{
	uint8_t out[128], in[65536];
	struct nlmsghdr *h = (struct nlmsghdr *)out;
	struct genlmsghdr *g = NLMSG_DATA(h);
	size_t got, off = NLMSG_HDRLEN + GENL_HDRLEN;
	int e;

	memset(out, 0, sizeof(out));
	off += put_attr(out + off, CTRL_ATTR_FAMILY_NAME, TDX_HOST_FAMILY_NAME,
			sizeof(TDX_HOST_FAMILY_NAME));
	h->nlmsg_len = off;
	h->nlmsg_type = GENL_ID_CTRL;
	h->nlmsg_flags = NLM_F_REQUEST;
	h->nlmsg_seq = 1;
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	e = nl_xfer(out, off, in, sizeof(in), &got);
	if (e)
		return e;
	h = (struct nlmsghdr *)in;
	if (got < NLMSG_HDRLEN || h->nlmsg_len > got)
		return EPROTO;
	if (h->nlmsg_type == NLMSG_ERROR)
		return -((struct nlmsgerr *)NLMSG_DATA(h))->error;
	off = NLMSG_HDRLEN + GENL_HDRLEN;
	while (off + NLA_HDRLEN <= h->nlmsg_len) {
		struct nlattr *a = (struct nlattr *)(in + off);

		if (a->nla_len < NLA_HDRLEN)
			break;
		if (a->nla_type == CTRL_ATTR_FAMILY_ID) {
			memcpy(&fam_id, in + off + NLA_HDRLEN, 2);
			return 0;
		}
		off += NLA_ALIGN(a->nla_len);
	}
	return ENOENT;
}

/* One random message into out; its length to send */
static size_t gen_msg(uint8_t *out, uint32_t seq)
{
	struct nlmsghdr *h = (struct nlmsghdr *)out;
	struct genlmsghdr *g = (struct genlmsghdr *)(out + NLMSG_HDRLEN);
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN, len;
	unsigned int r, na, i;
	uint16_t fl = 0;

	memset(out, 0, 2048);
	r = rnd(100);
	g->cmd = r < 60 ? 1 + rnd(2) : r < 85 ? rnd(16) : 3 + rnd(6);
	g->version = rnd(5) ? TDX_HOST_FAMILY_VERSION : rnd(256);
	g->reserved = rnd(8) ? 0 : 1 + rnd(0xffff);
	if (rnd(12))
		fl |= NLM_F_REQUEST;
	if (rnd(2))
		fl |= NLM_F_ACK;
	r = rnd(100);
	if (r < 12)
		fl |= NLM_F_DUMP;
	else if (r < 16)
		fl |= rnd(2) ? NLM_F_ROOT : NLM_F_MATCH;
	if (rnd(10) == 0)
		fl |= NLM_F_ECHO;
	if (rnd(10) == 0)
		fl |= 1u << rnd(16);
	h->nlmsg_flags = fl;
	h->nlmsg_type = rnd(40) ? fam_id : rnd(NLMSG_MIN_TYPE);
	h->nlmsg_seq = seq;
	h->nlmsg_pid = rnd(4) ? 0 : (uint32_t)rnd64();

	na = rnd(5) < 2 ? 0 : 1 + rnd(3);
	for (i = 0; i < na; i++) {
		struct nlattr *a = (struct nlattr *)(out + off);
		uint16_t type = rnd(10) < 6 ? 1 : rnd(21);
		int plen = (type == 1 && rnd(4)) ? 4 : (int)rnd(65);
		uint32_t cpu;

		if (rnd(10) == 0)
			type |= NLA_F_NESTED;
		else if (rnd(20) == 0)
			type |= NLA_F_NET_BYTEORDER;
		rnd_fill(out + off + NLA_HDRLEN, plen);
		if (plen == 4) {
			r = rnd(10);
			cpu = r < 8 ? rnd(m.ncpus + 2) : (uint32_t)rnd64();
			memcpy(out + off + NLA_HDRLEN, &cpu, 4);
		} else if (plen >= 8 && rnd(3) == 0) {
			/* nested garbage: an attribute inside */
			struct nlattr *in = (struct nlattr *)(out + off + NLA_HDRLEN);

			in->nla_len = NLA_HDRLEN + rnd(plen);
			in->nla_type = rnd(21);
		}
		a->nla_type = type;
		a->nla_len = NLA_HDRLEN + plen;
		r = rnd(20);
		if (r == 0)
			a->nla_len = rnd(NLA_HDRLEN);		/* truncated header */
		else if (r == 1)
			a->nla_len += 1 + rnd(64);		/* beyond the message */
		/* aligned (usually), or the next one right behind */
		off += rnd(8) ? NLA_ALIGN(NLA_HDRLEN + plen) : NLA_HDRLEN + plen;
	}
	if (rnd(20) == 0)
		off += 1 + rnd(3);				/* leftover bytes */
	len = off;
	h->nlmsg_len = len;
	r = rnd(100);
	if (r < 3) {
		h->nlmsg_len = rnd(NLMSG_HDRLEN);
	} else if (r < 6) {
		h->nlmsg_len = len + 1 + rnd(64);
	} else if (r < 9) {
		h->nlmsg_len = NLMSG_HDRLEN + rnd(GENL_HDRLEN);
		len = h->nlmsg_len;
	} else if (r < 12) {
		return rnd(NLMSG_HDRLEN);			/* truncated nlmsghdr */
	} else if (r < 16) {
		/* bytes after the message, fewer than a header: ignored */
		size_t extra = 1 + rnd(NLMSG_HDRLEN - 1 -
				       (NLMSG_ALIGN(len) - len));

		rnd_fill(out + len, extra);
		len += extra;
	}
	return len;
}

static int run_genl(unsigned long n, uint64_t seed)
{
	static uint8_t out[2048], in[65536];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t sl = sizeof(sa);
	struct stats s = { 0 };
	unsigned long i, replies = 0;
	const char *tag;
	int e, one = 1, ok, fd;
	double t0, dt;

	priv_net = have_cap(CAP_NET_ADMIN);
	priv_sys_admin = have_cap(CAP_SYS_ADMIN);
	tag = priv_net && priv_sys_admin ? "fuzz-genl" : "fuzz-genl-unpriv";
	plan(3);
	rnd_seed(seed ^ 0x67656e6cULL);

	/* the model's facts: from the ioctls where this user may open the node */
	fd = open(TDX_DEV, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		e = model_load(fd);
		close(fd);
		if (e) {
			fprintf(stderr, "STATUS/CPU_TABLE: %s\n", errname(e));
			return 2;
		}
	} else if (priv_sys_admin) {
		fprintf(stderr, "open %s: %s\n", TDX_DEV, strerror(errno));
		return 2;
	}

	nl_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl_fd < 0 || bind(nl_fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(nl_fd, (struct sockaddr *)&sa, &sl)) {
		perror("netlink socket");
		return 2;
	}
	nl_portid = sa.nl_pid;
	setsockopt(nl_fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	e = resolve_family();
	t_result(!e, "genl: nlctrl resolves %s (id %u): %s",
		 TDX_HOST_FAMILY_NAME, fam_id, errname(e));
	if (e)
		return 1;
	t_diag("%s: seed %llu, %lu messages, CAP_NET_ADMIN %d, CAP_SYS_ADMIN %d",
	       tag, (unsigned long long)seed, n, priv_net, priv_sys_admin);

	t0 = now_s();
	for (i = 0; i < n; i++) {
		uint32_t seq = 1000 + i;
		size_t len = gen_msg(out, seq), got;
		struct expect x;
		const char *what;
		int gerr;

		model_genl(out, len, &x);
		e = nl_xfer(out, len, in, sizeof(in), &got);
		s.calls++;
		if (e || x.kind == A_SEND) {
			what = x.kind == A_SEND && e == x.err ? NULL :
			       "send/recv";
			gerr = e;
		} else {
			what = check_replies(in, got, out,
					     len >= NLMSG_HDRLEN ?
					     ((struct nlmsghdr *)out)->nlmsg_len : 0,
					     ((struct genlmsghdr *)(out + NLMSG_HDRLEN))->cmd,
					     &x, &gerr);
		}
		if (x.kind == A_REPLY && !what)
			replies++;
		if (gerr >= 0 && gerr < (int)(sizeof(s.by_errno) / sizeof(s.by_errno[0])))
			s.by_errno[gerr]++;
		if (what) {
			const struct nlmsghdr *h = (const void *)out;
			const struct genlmsghdr *g = (const void *)(out + NLMSG_HDRLEN);

			s.mismatches++;
			if (s.mismatches <= MAX_DIAG)
				t_diag("mismatch: message %lu sent %zu nlmsg_len %u type %u flags 0x%x cmd %u version %u reserved %u: expected %s%s%s, got %s: %s",
				       i, len, len >= 4 ? h->nlmsg_len : 0,
				       len >= 6 ? h->nlmsg_type : 0,
				       len >= 8 ? h->nlmsg_flags : 0,
				       g->cmd, g->version, g->reserved,
				       x.kind == A_NONE ? "no answer" :
				       x.kind == A_SEND ? "sendmsg" :
				       x.kind == A_ACK ? "ACK" :
				       x.kind == A_REPLY ? "reply" : errname(x.err),
				       x.alt ? " or " : "",
				       x.alt ? errname(x.alt) : "",
				       gerr < 0 ? "none" : errname(gerr), what);
		}
	}
	dt = now_s() - t0;
	t_diag("%s: %lu messages in %.2f s (%.0f/s); replies %lu; errors: EINVAL %lu, EOPNOTSUPP %lu, EPERM %lu, ENOENT %lu; ACKs %lu",
	       tag, s.calls, dt, dt > 0 ? s.calls / dt : 0.0, replies,
	       s.by_errno[EINVAL], s.by_errno[EOPNOTSUPP], s.by_errno[EPERM],
	       s.by_errno[ENOENT], s.by_errno[0]);
	t_result(s.mismatches == 0,
		 "genl: %lu random messages answered as the model says (%lu mismatches)",
		 s.calls, s.mismatches);

	/* afterwards: a valid status-get and a cpu-get of every CPU */
	{
		struct expect x = { .kind = A_REPLY, .ack = true };
		uint32_t c;
		unsigned int k, rounds = m.ncpus ? m.ncpus : 1;
		size_t len, got;
		const char *what = NULL;
		int gerr;

		if (!(priv_net && priv_sys_admin)) {
			x.kind = A_ERR;
			x.err = EPERM;
		}
		for (k = 0; k <= rounds && !what; k++) {
			struct nlmsghdr *h = (struct nlmsghdr *)out;
			struct genlmsghdr *g = NLMSG_DATA(h);

			memset(out, 0, 64);
			len = NLMSG_HDRLEN + GENL_HDRLEN;
			g->cmd = k ? TDX_HOST_CMD_CPU_GET : TDX_HOST_CMD_STATUS_GET;
			g->version = TDX_HOST_FAMILY_VERSION;
			if (k) {
				c = m.ncpus ? m.cpu[k - 1].cpu : 0;
				x.cpu = c;
				len += put_attr(out + len, TDX_HOST_A_CPU_ID, &c, 4);
			}
			h->nlmsg_len = len;
			h->nlmsg_type = fam_id;
			h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
			h->nlmsg_seq = 900000 + k;
			e = nl_xfer(out, len, in, sizeof(in), &got);
			what = e ? "send/recv failed" :
			       check_replies(in, got, out, len, g->cmd, &x, &gerr);
		}
		ok = !what;
		s.state_errors += !ok;
		t_result(ok, "genl: afterwards status-get and cpu-get of each CPU answer %s%s%s",
			 x.kind == A_REPLY ? "with replies" : "EPERM",
			 what ? ": " : "", what ? what : "");
	}
	t_diag("soak: %s calls=%lu mismatches=%lu state_errors=%lu", tag,
	       s.calls, s.mismatches, s.state_errors);
	close(nl_fd);
	return t_failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long n;
	uint64_t seed;
	char *end;
	int ret;

	if (argc != 4)
		goto usage;
	n = strtoul(argv[2], &end, 10);
	if (*end)
		goto usage;
	seed = strtoull(argv[3], &end, 0);
	if (*end)
		goto usage;
	if (!strcmp(argv[1], "ioctl"))
		return run_ioctl(n, seed);
	if (!strcmp(argv[1], "genl"))
		return run_genl(n, seed);
	if (!strcmp(argv[1], "both")) {
		/* one plan for both: 5 + 3 */
		t_plan(8);
		in_both = true;
		ret = run_ioctl(n, seed);
		ret |= run_genl(n, seed);
		return ret;
	}
usage:
	fprintf(stderr, "usage: tdx-fuzz ioctl|genl|both N SEED\n");
	return 2;
}
