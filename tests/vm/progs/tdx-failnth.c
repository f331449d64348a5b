// SPDX-License-Identifier: GPL-2.0
/*
 * tdx-failnth - fail the Nth allocation of one driver call (fail-nth).
 *
 *   tdx-failnth OP            N = 1, 2, ... until the call makes no N-th
 *                             allocation: each failure must be ENOMEM
 *                             (or succeed, where the driver can do
 *                             without; over netlink also ENOBUFS, or
 *                             no reply when the reply's allocation
 *                             failed), and the driver must answer
 *                             STATUS afterwards with its state unchanged
 *   tdx-failnth once OP N     one call with its N-th allocation failed;
 *                             prints "injected=0|1 errno=NAME" (for
 *                             module-enable, whose state the caller
 *                             checks and resets)
 *
 * OP: version, status, cpu-table, cpu-enable, module-enable, genl-status,
 * genl-cpu-get.  Writing N to /proc/thread-self/fail-nth makes the N-th
 * fault-injection point this thread passes fail (the kernel needs
 * CONFIG_FAULT_INJECTION, and failslab / fail_page_alloc set to inject
 * into sleeping allocations); reading it back gives 0 when that happened.
 * The loop mode prints TAP and "# soak: failnth OP points=N ..." figures.
 */
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/tdx_host_genl.h>

#include "tdx-test.h"

#define MAX_POINTS	4000

static int fd = -1, nl = -1, nth = -1;
static uint16_t family;

/* One request (with attribute @type = @val when @type is not 0) */
static int nl_request(uint8_t cmd, uint16_t type, uint32_t val)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		char buf[64];
	} req = {
		.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN),
		.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
		.n.nlmsg_seq = 1,
		.g.cmd = cmd,
		.g.version = 1,
	};
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	static char rbuf[65536];
	int err = 0, done = 0;

	req.n.nlmsg_type = family;
	if (type) {
		struct nlattr *a = (struct nlattr *)req.buf;

		a->nla_type = type;
		a->nla_len = NLA_HDRLEN + sizeof(val);
		memcpy(req.buf + NLA_HDRLEN, &val, sizeof(val));
		req.n.nlmsg_len += NLA_ALIGN(a->nla_len);
	}
	if (sendto(nl, &req, req.n.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		return errno;
	while (!done) {
		ssize_t len = recv(nl, rbuf, sizeof(rbuf), 0);
		struct nlmsghdr *h;

		if (len < 0)
			return errno;
		for (h = (struct nlmsghdr *)rbuf; NLMSG_OK(h, (size_t)len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				err = -e->error;
				done = 1;
			}
		}
	}
	return err;
}

/* the family id, from the controller (before any fault is armed) */
static int nl_open(void)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		char buf[64];
	} req = {
		.n.nlmsg_type = GENL_ID_CTRL,
		.n.nlmsg_flags = NLM_F_REQUEST,
		.g.cmd = CTRL_CMD_GETFAMILY,
		.g.version = 1,
	};
	struct nlattr *a = (struct nlattr *)req.buf;
	char rbuf[8192];
	struct nlmsghdr *h = (struct nlmsghdr *)rbuf;
	ssize_t len;

	struct timeval tv = { .tv_sec = 2 };

	nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl < 0)
		return errno;
	/* an ACK the kernel could not allocate never comes */
	if (setsockopt(nl, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return errno;
	a->nla_type = CTRL_ATTR_FAMILY_NAME;
	a->nla_len = NLA_HDRLEN + sizeof(TDX_HOST_FAMILY_NAME);
	memcpy((char *)a + NLA_HDRLEN, TDX_HOST_FAMILY_NAME,
	       sizeof(TDX_HOST_FAMILY_NAME));
	req.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN) + NLA_ALIGN(a->nla_len);
	if (send(nl, &req, req.n.nlmsg_len, 0) < 0)
		return errno;
	len = recv(nl, rbuf, sizeof(rbuf), 0);
	if (len < 0)
		return errno;
	if (!NLMSG_OK(h, (size_t)len) || h->nlmsg_type == NLMSG_ERROR)
		return ENOENT;
	for (a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
	     (char *)a < (char *)h + h->nlmsg_len && a->nla_len >= NLA_HDRLEN;
	     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			family = *(uint16_t *)((char *)a + NLA_HDRLEN);
	return family ? 0 : ENOENT;
}

static int op_call(const char *op)
{
	if (!strcmp(op, "version")) {
		struct tdx_host_version v = { .size = sizeof(v) };

		return xioctl(fd, TDX_HOST_IOC_VERSION, &v);
	}
	if (!strcmp(op, "status")) {
		struct tdx_host_status st = { .size = sizeof(st) };

		return xioctl(fd, TDX_HOST_IOC_STATUS, &st);
	}
	if (!strcmp(op, "cpu-table")) {
		static struct tdx_host_cpu_info ci[512];
		struct tdx_host_cpu_table t = {
			.size = sizeof(t),
			.entries = (uintptr_t)ci,
			.entry_size = sizeof(ci[0]),
			.nr_entries = 512,
		};

		return xioctl(fd, TDX_HOST_IOC_CPU_TABLE, &t);
	}
	if (!strcmp(op, "cpu-enable")) {
		struct tdx_host_cpu_enable ce = { .size = sizeof(ce) };

		ce.cpu = 0;
		return xioctl(fd, TDX_HOST_IOC_CPU_ENABLE, &ce);
	}
	if (!strcmp(op, "module-enable")) {
		struct tdx_host_module_enable me = {
			.size = sizeof(me),
			.flags = TDX_HOST_ENABLE_ALL_CPUS,
		};

		return xioctl(fd, TDX_HOST_IOC_MODULE_ENABLE, &me);
	}
	if (!strcmp(op, "genl-status"))
		return nl_request(TDX_HOST_CMD_STATUS_GET, 0, 0);
	if (!strcmp(op, "genl-cpu-get"))
		return nl_request(TDX_HOST_CMD_CPU_GET, TDX_HOST_A_CPU_ID, 0);
	fprintf(stderr, "tdx-failnth: unknown OP '%s'\n", op);
	exit(2);
}

/* One call with its @n-th fault point failed: *injected says if it was */
static int failed_call(const char *op, unsigned int n, int *injected)
{
	char buf[16];
	ssize_t len;
	int e;

	len = snprintf(buf, sizeof(buf), "%u", n);
	if (pwrite(nth, buf, len, 0) != len) {
		perror("tdx-failnth: write fail-nth");
		exit(2);
	}
	e = op_call(op);
	len = pread(nth, buf, sizeof(buf) - 1, 0);
	if (len <= 0) {
		perror("tdx-failnth: read fail-nth");
		exit(2);
	}
	buf[len] = 0;
	*injected = atoi(buf) == 0;
	if (pwrite(nth, "0", 1, 0) != 1) {
		perror("tdx-failnth: reset fail-nth");
		exit(2);
	}
	return e;
}

static uint32_t state_now(void)
{
	struct tdx_host_status st;

	return tdx_status(fd, &st) ? 0xffffffff : st.state;
}

int main(int argc, char **argv)
{
	unsigned int n, points = 0, failures = 0, ok_anyway = 0, bad = 0;
	unsigned int bad_state = 0;
	const char *op;
	uint32_t before;
	int injected, e;

	if (argc == 4 && !strcmp(argv[1], "once"))
		op = argv[2];
	else if (argc == 2)
		op = argv[1];
	else {
		fprintf(stderr, "usage: tdx-failnth OP | tdx-failnth once OP N\n");
		return 2;
	}
	fd = tdx_open(O_RDWR);
	if (fd < 0)
		return 2;
	if (!strncmp(op, "genl-", 5) && (e = nl_open())) {
		fprintf(stderr, "tdx-failnth: family %s: %s\n",
			TDX_HOST_FAMILY_NAME, errname(e));
		return 2;
	}
	nth = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (nth < 0) {
		perror("tdx-failnth: /proc/thread-self/fail-nth (CONFIG_FAULT_INJECTION?)");
		return 2;
	}

	if (argc == 4) {
		e = failed_call(op, strtoul(argv[3], NULL, 0), &injected);
		printf("injected=%d errno=%s\n", injected, e ? errname(e) : "0");
		return 0;
	}

	t_plan(4);
	before = state_now();
	for (n = 1; n <= MAX_POINTS; n++) {
		e = failed_call(op, n, &injected);
		if (!injected) {
			if (e) {
				t_diag("no fault injected, yet %s: %s", op, errname(e));
				bad++;
			}
			break;
		}
		points++;
		if (!e) {
			ok_anyway++;
		} else if (e == ENOMEM || (!strncmp(op, "genl-", 5) &&
					    (e == ENOBUFS || e == EAGAIN))) {
			failures++;
		} else {
			if (bad < 10)
				t_diag("allocation %u failed: %s answered %s, not ENOMEM", n, op, errname(e));
			bad++;
		}
		if (state_now() != before) {
			if (bad_state < 10)
				t_diag("allocation %u failed: state %s, was %s", n,
				       state_name(state_now()), state_name(before));
			bad_state++;
		}
	}
	printf("# soak: failnth %s points=%u failures=%u ok_anyway=%u unexpected=%u state_changes=%u\n",
	       op, points, failures, ok_anyway, bad, bad_state);
	t_result(n <= MAX_POINTS, "%s: every fault point tried (%u)", op, points);
	t_result(!bad, "%s: each failed allocation answered ENOMEM or nothing (%u unexpected)", op, bad);
	t_result(!bad_state, "%s: state unchanged after each (%u changes)", op, bad_state);
	e = op_call(op);
	t_result(!e, "%s: answers again without a fault (%s)", op, e ? errname(e) : "0");
	return t_failures ? 1 : 0;
}
