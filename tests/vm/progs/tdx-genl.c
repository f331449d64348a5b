// SPDX-License-Identifier: GPL-2.0
/*
 * tdx-genl: the tdx_host generic netlink family's contract, over raw
 * netlink (independent of the libnl the CLI uses).
 *
 *   tdx-genl ops        family, group, GET ops against the ioctls, and
 *                       the rejections (unknown attribute, missing
 *                       attribute, reserved header bits) with their
 *                       extended ACK messages
 *   tdx-genl nobackend  tdxctl.ko without a backend: GET is ENODEV with
 *                       an extended ACK message
 *   tdx-genl status     one status-get: prints state=NAME (no checks;
 *                       exit 0 when it answered)
 *   tdx-genl poll PID ioctl|genl
 *                       while process PID runs (a module enable), STATUS
 *                       by ioctl or by status-get, over and over: prints
 *                       rounds=, initializing= (rounds that saw it),
 *                       max_us= (the slowest), errors= (no checks)
 *   tdx-genl updates N  joins the events group, prints "listening", then
 *                       one line per module-update notification:
 *                       "module-update old=X.Y.ZZ new=X.Y.ZZ" or
 *                       "module-update old=X.Y.ZZ errno=N tdx_status=0x.."
 *                       until N of them came (30 s at most; no checks;
 *                       exit 0 when all N came)
 *   tdx-genl perm       the permission policy (as root, on a freshly
 *                       loaded driver): uid 65534, and uid 0 without
 *                       CAP_SYS_ADMIN, get EPERM from every GET and
 *                       cannot join the events group (or, where joined,
 *                       receive nothing of an enable a root listener
 *                       sees)
 */
#include <linux/capability.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <grp.h>
#include <stdbool.h>
#include <time.h>

#include <linux/tdx_host_genl.h>

#include "tdx-test.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static int nl_fd;
static unsigned int nl_seq = 1;
static uint16_t fam_id;

struct reply {
	int err;		/* positive errno of the ACK, 0 */
	char msg[256];		/* extended ACK message */
	int miss_type;		/* NLMSGERR_ATTR_MISS_TYPE, -1 */
	uint8_t buf[8192];	/* the data message, if any */
	int len;		/* its length, 0: none */
};

static struct nlattr *nla_next_put(uint8_t *p, int *off, uint16_t type,
				   const void *data, int len)
{
	struct nlattr *a = (struct nlattr *)(p + *off);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((uint8_t *)a + NLA_HDRLEN, data, len);
	*off += NLA_ALIGN(a->nla_len);
	return a;
}

/*
 * Send one request (attributes already in attrs, alen bytes) and collect
 * its data reply and its ACK.  reserved: genlmsghdr.reserved.
 */
static void request(uint16_t type, uint8_t cmd, uint16_t reserved,
		    const uint8_t *attrs, int alen, struct reply *r)
{
	uint8_t out[1024], in[16384];
	struct nlmsghdr *nlh = (struct nlmsghdr *)out;
	struct genlmsghdr *gh = NLMSG_DATA(nlh);
	unsigned int seq = nl_seq++;
	int n;

	memset(r, 0, sizeof(*r));
	r->miss_type = -1;
	memset(out, 0, sizeof(out));
	nlh->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN + alen);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	gh->cmd = cmd;
	gh->version = 1;
	gh->reserved = reserved;
	memcpy((uint8_t *)gh + GENL_HDRLEN, attrs, alen);
	if (send(nl_fd, out, nlh->nlmsg_len, 0) < 0) {
		r->err = errno;
		return;
	}
	for (;;) {
		n = recv(nl_fd, in, sizeof(in), 0);
		if (n < 0) {
			r->err = errno;
			return;
		}
		for (nlh = (struct nlmsghdr *)in; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nlh);
				int off = NLMSG_HDRLEN + sizeof(*e);
				struct nlattr *a;

				r->err = -e->error;
				if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
					return;
				for (a = (struct nlattr *)((uint8_t *)nlh + off);
				     off + NLA_HDRLEN <= (int)nlh->nlmsg_len &&
				     a->nla_len >= NLA_HDRLEN;
				     off += NLA_ALIGN(a->nla_len),
				     a = (struct nlattr *)((uint8_t *)nlh + off)) {
					if (a->nla_type == NLMSGERR_ATTR_MSG)
						snprintf(r->msg, sizeof(r->msg), "%s",
							 (char *)a + NLA_HDRLEN);
					if (a->nla_type == NLMSGERR_ATTR_MISS_TYPE)
						r->miss_type = *(uint32_t *)((char *)a + NLA_HDRLEN);
				}
				return;
			}
			if ((int)nlh->nlmsg_len <= (int)sizeof(r->buf)) {
				memcpy(r->buf, nlh, nlh->nlmsg_len);
				r->len = nlh->nlmsg_len;
			}
		}
	}
}

/* Attribute TYPE of a reply (top level), NULL if absent */
static struct nlattr *attr(struct reply *r, uint16_t type)
{
	int off = NLMSG_HDRLEN + GENL_HDRLEN;

	while (off + NLA_HDRLEN <= r->len) {
		struct nlattr *a = (struct nlattr *)(r->buf + off);

		if (a->nla_len < NLA_HDRLEN)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		off += NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

static uint32_t attr_u32(struct reply *r, uint16_t type, int *have)
{
	struct nlattr *a = attr(r, type);

	*have = a != NULL;
	return a ? *(uint32_t *)((char *)a + NLA_HDRLEN) : 0;
}

static uint64_t attr_u64(struct reply *r, uint16_t type, int *have)
{
	struct nlattr *a = attr(r, type);
	uint64_t v = 0;

	*have = a != NULL;
	if (a)
		memcpy(&v, (char *)a + NLA_HDRLEN, sizeof(v));
	return v;
}

/* nlctrl: the family's id, version, and its events group; 0 on success */
static int resolve(uint32_t *version, uint32_t *grp, char *grpname, size_t gl)
{
	uint8_t attrs[64];
	int off = 0, have;
	struct reply r;
	struct nlattr *g;

	nla_next_put(attrs, &off, CTRL_ATTR_FAMILY_NAME, TDX_HOST_FAMILY_NAME,
		     sizeof(TDX_HOST_FAMILY_NAME));
	request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0, attrs, off, &r);
	if (r.err || !r.len)
		return r.err ? r.err : EPROTO;
	fam_id = (uint16_t)attr_u32(&r, CTRL_ATTR_FAMILY_ID, &have);
	fam_id = *(uint16_t *)((char *)attr(&r, CTRL_ATTR_FAMILY_ID) + NLA_HDRLEN);
	*version = attr_u32(&r, CTRL_ATTR_VERSION, &have);
	grpname[0] = '\0';
	*grp = 0;
	g = attr(&r, CTRL_ATTR_MCAST_GROUPS);
	if (g) {
		/* the first group: nested [1] { ID, NAME } */
		struct nlattr *e = (struct nlattr *)((char *)g + NLA_HDRLEN);
		int o = NLA_HDRLEN;

		while (o < e->nla_len) {
			struct nlattr *x = (struct nlattr *)((char *)e + o);

			if (x->nla_type == CTRL_ATTR_MCAST_GRP_ID)
				*grp = *(uint32_t *)((char *)x + NLA_HDRLEN);
			if (x->nla_type == CTRL_ATTR_MCAST_GRP_NAME)
				snprintf(grpname, gl, "%s", (char *)x + NLA_HDRLEN);
			o += NLA_ALIGN(x->nla_len);
		}
	}
	return 0;
}

static void show_ack(const struct reply *r)
{
	t_diag("errno %s, extack \"%s\", missing type %d", errname(r->err),
	       r->msg, r->miss_type);
}

static int run_ops(void)
{
	struct tdx_host_status st;
	struct tdx_host_cpu_table tbl = { .size = sizeof(tbl) };
	struct tdx_host_cpu_info ci[1];
	uint32_t version, grp, v, cpu = 0, bogus = 7;
	char grpname[32];
	uint8_t attrs[64];
	struct reply r;
	int off, have, fd, ok;

	t_plan(13);
	t_errno(resolve(&version, &grp, grpname, sizeof(grpname)), 0,
		"nlctrl resolves family %s", TDX_HOST_FAMILY_NAME);
	t_result(version == TDX_HOST_FAMILY_VERSION, "family version %u",
		 TDX_HOST_FAMILY_VERSION);
	t_result(!strcmp(grpname, TDX_HOST_MCGRP_EVENTS) && grp,
		 "multicast group \"%s\" (got \"%s\", id %u)",
		 TDX_HOST_MCGRP_EVENTS, grpname, grp);

	/* status-get = the STATUS ioctl */
	fd = tdx_open(O_RDONLY);
	request(fam_id, TDX_HOST_CMD_STATUS_GET, 0, NULL, 0, &r);
	t_errno(r.err, 0, "status-get answers");
	t_diag("status-get reply: %d bytes", r.len);
	tdx_status(fd, &st);
	ok = attr_u32(&r, TDX_HOST_A_STATUS_STATE, &have) == st.state && have &&
	     attr_u32(&r, TDX_HOST_A_STATUS_BACKEND, &have) == st.backend && have &&
	     attr_u64(&r, TDX_HOST_A_STATUS_VALID, &have) == st.valid && have &&
	     attr_u32(&r, TDX_HOST_A_STATUS_CPUS_ONLINE, &have) == st.cpus_online && have &&
	     attr_u32(&r, TDX_HOST_A_STATUS_CPUS_ENABLED, &have) == st.cpus_enabled && have;
	if (st.valid & TDX_HOST_STATUS_MODULE_CPUS)
		ok = ok && attr_u32(&r, TDX_HOST_A_STATUS_MODULE_LP_COUNT, &have) ==
			   st.module_lp_count && have;
	if (st.valid & TDX_HOST_STATUS_MODULE_INFO)
		ok = ok && attr_u32(&r, TDX_HOST_A_STATUS_BUILD_NUM, &have) ==
			   st.build_num && have;
	if (st.valid & TDX_HOST_STATUS_MODULE_CAPS)
		ok = ok && attr_u32(&r, TDX_HOST_A_STATUS_MAX_TDMRS, &have) ==
			   st.max_tdmrs && have;
	if (st.valid & TDX_HOST_STATUS_GUEST_KEYIDS)
		ok = ok && attr_u32(&r, TDX_HOST_A_STATUS_GUEST_KEYID_COUNT, &have) ==
			   st.guest_keyid_count && have;
	t_result(ok, "status-get says what the STATUS ioctl says (state %s, %u of %u CPUs enabled)",
		 state_name(st.state), st.cpus_enabled, st.cpus_online);

	/* an attribute status-get does not take, and an unknown one */
	off = 0;
	nla_next_put(attrs, &off, TDX_HOST_A_STATUS_STATE, &bogus, 4);
	request(fam_id, TDX_HOST_CMD_STATUS_GET, 0, attrs, off, &r);
	t_result(r.err == EINVAL && r.msg[0], "status-get with an attribute: EINVAL with a message");
	show_ack(&r);
	off = 0;
	nla_next_put(attrs, &off, 200, &bogus, 4);
	request(fam_id, TDX_HOST_CMD_STATUS_GET, 0, attrs, off, &r);
	t_result(r.err == EINVAL && r.msg[0], "status-get with an unknown attribute: EINVAL with a message");
	show_ack(&r);

	/* cpu-get: missing, unknown, out of range, and right */
	request(fam_id, TDX_HOST_CMD_CPU_GET, 0, NULL, 0, &r);
	t_result(r.err == EINVAL && strstr(r.msg, "missing") &&
		 r.miss_type == TDX_HOST_A_CPU_ID,
		 "cpu-get without its CPU id: EINVAL, a message, the missing type");
	show_ack(&r);
	off = 0;
	nla_next_put(attrs, &off, TDX_HOST_A_CPU_ID, &cpu, 4);
	nla_next_put(attrs, &off, TDX_HOST_A_CPU_MAX + 1, &bogus, 4);
	request(fam_id, TDX_HOST_CMD_CPU_GET, 0, attrs, off, &r);
	t_result(r.err == EINVAL && r.msg[0], "cpu-get with an unknown attribute: EINVAL with a message");
	show_ack(&r);
	off = 0;
	v = 100000;
	nla_next_put(attrs, &off, TDX_HOST_A_CPU_ID, &v, 4);
	request(fam_id, TDX_HOST_CMD_CPU_GET, 0, attrs, off, &r);
	t_result(r.err == ENOENT && r.msg[0], "cpu-get of CPU 100000: ENOENT with a message");
	show_ack(&r);

	off = 0;
	nla_next_put(attrs, &off, TDX_HOST_A_CPU_ID, &cpu, 4);
	request(fam_id, TDX_HOST_CMD_CPU_GET, 0, attrs, off, &r);
	tbl.nr_entries = 1;
	tbl.entry_size = sizeof(ci[0]);
	tbl.entries = (uintptr_t)ci;
	/* CPU 0 is the first record */
	memset(ci, 0, sizeof(ci));
	if (xioctl(fd, TDX_HOST_IOC_CPU_TABLE, &tbl) == EOVERFLOW) {
		struct tdx_host_cpu_info *all = calloc(tbl.nr_entries, sizeof(*all));

		tbl.entries = (uintptr_t)all;
		tbl.entry_size = sizeof(*all);
		xioctl(fd, TDX_HOST_IOC_CPU_TABLE, &tbl);
		ci[0] = all[0];
		free(all);
	}
	t_result(!r.err && attr_u32(&r, TDX_HOST_A_CPU_ID, &have) == 0 && have &&
		 attr_u32(&r, TDX_HOST_A_CPU_FLAGS, &have) == ci[0].flags && have,
		 "cpu-get of CPU 0 matches the CPU table (flags 0x%x)", ci[0].flags);
	t_diag("cpu-get reply: %d bytes", r.len);

	/* strict validation includes the reserved header field */
	request(fam_id, TDX_HOST_CMD_STATUS_GET, 1, NULL, 0, &r);
	t_errno(r.err, EINVAL, "a request with reserved header bits set is refused");
	show_ack(&r);

	/* notifications are not requests */
	request(fam_id, TDX_HOST_CMD_STATE_NTF, 0, NULL, 0, &r);
	t_errno(r.err, EOPNOTSUPP, "a notification command sent as a request: EOPNOTSUPP");
	close(fd);
	return t_failures ? 1 : 0;
}

static int run_nobackend(void)
{
	uint32_t version, grp;
	char grpname[32];
	struct reply r;

	t_plan(3);
	t_errno(resolve(&version, &grp, grpname, sizeof(grpname)), 0,
		"the family is there without a backend");
	request(fam_id, TDX_HOST_CMD_STATUS_GET, 0, NULL, 0, &r);
	t_result(r.err == ENODEV && strstr(r.msg, "no backend"),
		 "status-get without a backend: ENODEV, \"no backend ...\"");
	show_ack(&r);
	request(fam_id, TDX_HOST_CMD_CPU_GET, 0, NULL, 0, &r);
	t_result(r.err == EINVAL && r.msg[0], "cpu-get without its id is still refused first");
	return t_failures ? 1 : 0;
}

/* Join group grp on a new socket: the socket, and the join's errno */
static int join_events(uint32_t grp, int *err)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 2 };
	int s;

	s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (s < 0) {
		perror("socket");
		exit(3);
	}
	/* bound (autobind): an unbound socket has the kernel's port id 0 */
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("bind");
		exit(3);
	}
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	*err = setsockopt(s, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
			  sizeof(grp)) ? errno : 0;
	return s;
}

/* Messages of family fam_id a socket has queued (reads them all) */
static int events_received(int s)
{
	uint8_t buf[8192];
	int n, count = 0;

	while ((n = recv(s, buf, sizeof(buf), 0)) > 0) {
		struct nlmsghdr *nlh;

		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n))
			count += nlh->nlmsg_type == fam_id;
	}
	return count;
}

/*
 * One unprivileged identity (drop() makes it): the GET ops refused with
 * EPERM, the events group refused, or joined and silent while root's
 * listener sees the CPU enable the parent runs.  4 checks.
 */
static int wait_child(pid_t pid)
{
	int ws;

	waitpid(pid, &ws, 0);
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128;
}

static void perm_child(const char *who, void (*drop)(void), uint32_t grp,
		       uint32_t en_cpu)
{
	int p2c[2], c2p[2], s, e, rs, n, fd, root_n, one = 1;
	uint8_t attrs[64];
	uint32_t cpu = 0;
	struct reply r;
	char c = 'x';
	pid_t pid;
	int off = 0;

	if (pipe(p2c) || pipe(c2p)) {
		perror("pipe");
		exit(3);
	}
	rs = join_events(grp, &e);
	if (e) {
		fprintf(stderr, "root cannot join the events group: %s\n", errname(e));
		exit(3);
	}
	fflush(stdout);
	pid = fork();
	if (!pid) {
		close(nl_fd);
		drop();
		nl_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
		setsockopt(nl_fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
		request(fam_id, TDX_HOST_CMD_STATUS_GET, 0, NULL, 0, &r);
		t_result(r.err == EPERM && !r.len, "%s: status-get -> EPERM, no reply", who);
		show_ack(&r);
		nla_next_put(attrs, &off, TDX_HOST_A_CPU_ID, &cpu, 4);
		request(fam_id, TDX_HOST_CMD_CPU_GET, 0, attrs, off, &r);
		t_result(r.err == EPERM && !r.len, "%s: cpu-get -> EPERM, no reply", who);
		show_ack(&r);
		s = join_events(grp, &e);
		t_diag("%s: joining the events group: %s", who, errname(e));
		if (write(c2p[1], &c, 1) != 1 || read(p2c[0], &c, 1) != 1)
			exit(3);
		n = events_received(s);
		t_result(e == EPERM || n == 0,
			 "%s: events group refused (EPERM) or silent (join: %s, %d events)",
			 who, errname(e), n);
		exit(t_failures);
	}
	/* an enable while the child listens (or tried to) */
	if (read(c2p[0], &c, 1) != 1)
		exit(3);
	fd = open(TDX_DEV, O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		/* a CPU not enabled before: a cpu-enable event */
		struct tdx_host_cpu_enable ce = { .size = sizeof(ce), .cpu = en_cpu };

		xioctl(fd, TDX_HOST_IOC_CPU_ENABLE, &ce);
		close(fd);
	}
	root_n = events_received(rs);
	if (write(p2c[1], &c, 1) != 1)
		exit(3);
	t_failures += wait_child(pid);
	t_result(root_n > 0, "%s: root's listener saw the events meanwhile (%d)", who, root_n);
	close(rs);
	close(p2c[0]);
	close(p2c[1]);
	close(c2p[0]);
	close(c2p[1]);
}

static int run_perm(void)
{
	uint32_t version, grp;
	char grpname[32];

	if (geteuid() != 0) {
		fprintf(stderr, "tdx-genl perm: run as root\n");
		return 2;
	}
	t_plan(9);
	t_errno(resolve(&version, &grp, grpname, sizeof(grpname)), 0,
		"nlctrl resolves the family for anyone");
	perm_child("uid 65534", drop_to_nobody, grp, 1);
	perm_child("uid 0 without CAP_SYS_ADMIN", drop_sys_admin, grp, 2);
	return t_failures ? 1 : 0;
}

static int run_status(void)
{
	uint32_t version, grp;
	char grpname[32];
	struct reply r;
	int have;

	if (resolve(&version, &grp, grpname, sizeof(grpname)))
		return 1;
	request(fam_id, TDX_HOST_CMD_STATUS_GET, 0, NULL, 0, &r);
	if (r.err) {
		printf("errno=%s\n", errname(r.err));
		return 1;
	}
	printf("state=%s\n", state_name(attr_u32(&r, TDX_HOST_A_STATUS_STATE, &have)));
	return 0;
}

/* An attribute of a notification's payload, or NULL */
static struct nlattr *ev_attr(struct nlmsghdr *nlh, uint16_t type)
{
	int len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	uint8_t *p = (uint8_t *)NLMSG_DATA(nlh) + GENL_HDRLEN;
	int off = 0;

	while (off + NLA_HDRLEN <= len) {
		struct nlattr *a = (struct nlattr *)(p + off);

		if (a->nla_len < NLA_HDRLEN)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		off += NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

static uint32_t ev_u32(struct nlmsghdr *nlh, uint16_t type)
{
	struct nlattr *a = ev_attr(nlh, type);

	return a ? *(uint32_t *)((char *)a + NLA_HDRLEN) : 0;
}

static int run_updates(int want)
{
	uint32_t version, grp;
	char grpname[32];
	uint8_t buf[8192];
	long long end;
	int s, err, n, got = 0;

	if (resolve(&version, &grp, grpname, sizeof(grpname)))
		return 1;
	s = join_events(grp, &err);
	if (err) {
		printf("join: %s\n", errname(err));
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	end = time(NULL) + 30;
	while (got < want && time(NULL) < end) {
		n = recv(s, buf, sizeof(buf), 0);
		if (n <= 0)
			continue;
		for (struct nlmsghdr *nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			struct genlmsghdr *gh = NLMSG_DATA(nlh);
			struct nlattr *st;

			if (nlh->nlmsg_type != fam_id ||
			    gh->cmd != TDX_HOST_CMD_MODULE_UPDATE_NTF)
				continue;
			printf("module-update old=%u.%u.%02u",
			       ev_u32(nlh, TDX_HOST_A_EV_OLD_VERSION_MAJOR),
			       ev_u32(nlh, TDX_HOST_A_EV_OLD_VERSION_MINOR),
			       ev_u32(nlh, TDX_HOST_A_EV_OLD_VERSION_UPDATE));
			if (ev_attr(nlh, TDX_HOST_A_EV_NEW_VERSION_MAJOR))
				printf(" new=%u.%u.%02u",
				       ev_u32(nlh, TDX_HOST_A_EV_NEW_VERSION_MAJOR),
				       ev_u32(nlh, TDX_HOST_A_EV_NEW_VERSION_MINOR),
				       ev_u32(nlh, TDX_HOST_A_EV_NEW_VERSION_UPDATE));
			if (ev_attr(nlh, TDX_HOST_A_EV_ERRNO))
				printf(" errno=%u", ev_u32(nlh, TDX_HOST_A_EV_ERRNO));
			st = ev_attr(nlh, TDX_HOST_A_EV_TDX_STATUS);
			if (st) {
				uint64_t v;

				memcpy(&v, (char *)st + NLA_HDRLEN, sizeof(v));
				printf(" tdx_status=0x%016llx", (unsigned long long)v);
			}
			printf("\n");
			fflush(stdout);
			got++;
		}
	}
	close(s);
	return got == want ? 0 : 1;
}

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* PID exists and is not a zombie */
static int running(const char *pid)
{
	char path[64], buf[256], *p;
	FILE *f;
	int ok = 0;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')))
		ok = p[1] == ' ' && p[2] != 'Z';
	fclose(f);
	return ok;
}

static int run_poll(const char *pid, const char *how)
{
	unsigned int rounds = 0, initializing = 0, state;
	long long t0, d, max = 0;
	bool genl = !strcmp(how, "genl");
	struct tdx_host_status st;
	uint32_t version, grp;
	char grpname[32];
	struct reply r;
	int fd, have, err = 0;

	if (resolve(&version, &grp, grpname, sizeof(grpname)))
		return 1;
	fd = tdx_open(O_RDONLY);
	while (running(pid)) {
		t0 = now_us();
		if (genl) {
			request(fam_id, TDX_HOST_CMD_STATUS_GET, 0, NULL, 0, &r);
			err |= r.err;
			state = attr_u32(&r, TDX_HOST_A_STATUS_STATE, &have);
		} else {
			err |= tdx_status(fd, &st);
			state = st.state;
		}
		d = now_us() - t0;
		if (d > max)
			max = d;
		initializing += state == TDX_HOST_STATE_INITIALIZING;
		rounds++;
		usleep(1000);
	}
	close(fd);
	printf("rounds=%u\ninitializing=%u\nmax_us=%lld\nerrors=%d\n",
	       rounds, initializing, max, err);
	return 0;
}

int main(int argc, char **argv)
{
	int one = 1;

	nl_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl_fd < 0) {
		perror("socket");
		return 2;
	}
	setsockopt(nl_fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (argc == 2 && !strcmp(argv[1], "ops"))
		return run_ops();
	if (argc == 2 && !strcmp(argv[1], "nobackend"))
		return run_nobackend();
	if (argc == 2 && !strcmp(argv[1], "perm"))
		return run_perm();
	if (argc == 2 && !strcmp(argv[1], "status"))
		return run_status();
	if (argc == 4 && !strcmp(argv[1], "poll"))
		return run_poll(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "updates"))
		return run_updates(atoi(argv[2]));
	fprintf(stderr, "usage: tdx-genl ops|nobackend|perm|status|poll PID ioctl|genl|updates N\n");
	return 2;
}
