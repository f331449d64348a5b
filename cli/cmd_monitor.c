// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_monitor.c - tdxctl monitor [EVENT...]: the driver's events as they
 * happen, from the events group of its tdx_host generic netlink family.
 *
 * libnl-genl resolves the family and its group by name.  Events arrive on
 * a socket of their own (requests, the --status snapshot, go on another),
 * which also listens to nlctrl's notify group to learn that the family
 * went away (tdxctl.ko unloaded).  poll() waits on it and on a signalfd,
 * so SIGINT and SIGTERM end the monitor cleanly, between two events.
 */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <linux/tdx_host.h>
#include <linux/tdx_host_genl.h>

#include "dlib.h"
#include "monitor.h"
#include "print.h"
#include "tdxctl.h"

enum { OPT_COUNT = 0x200, OPT_TIMEOUT, OPT_UNTIL, OPT_STATUS, OPT_BUFFER };

static const struct argp_option monitor_options[] = {
	{ "count", OPT_COUNT, "N", 0, "End after N events", 0 },
	{ "timeout", OPT_TIMEOUT, "SEC", 0,
	  "End after SEC seconds (exit 7 if no event, or not the awaited one, arrived)", 0 },
	{ "until", OPT_UNTIL, "EVENT", 0, "End when EVENT arrives (exit 0)", 0 },
	{ "status", OPT_STATUS, NULL, 0, "Print the driver's status first (a \"status\" event)", 0 },
	{ "buffer", OPT_BUFFER, "BYTES", 0,
	  "Socket receive buffer (default: the system's); an overrun is an events-lost event", 0 },
	{ 0 }
};

struct mon_args {
	struct mon_filter f;		/* EVENT arguments, --count, --until */
	double timeout;			/* < 0: none */
	bool status;
	int buffer;			/* 0: default */
};

static const char *const kinds_list =
	"state, cpu-enable, cpu-online, cpu-offline, failure, backend, status, events-lost, driver-gone";

static error_t monitor_parse(int key, char *arg, struct argp_state *state)
{
	struct mon_args *a = state->input;
	char *end;
	int k;

	switch (key) {
	case OPT_COUNT:
		errno = 0;
		a->f.count = strtoul(arg, &end, 10);
		if (errno || *end || !*arg || *arg == '-' || !a->f.count)
			argp_error(state, "--count: '%s' is not a positive number", arg);
		return 0;
	case OPT_TIMEOUT:
		errno = 0;
		a->timeout = strtod(arg, &end);
		if (errno || *end || !*arg || !(a->timeout > 0) || a->timeout > 86400.0 * 365)
			argp_error(state, "--timeout: '%s' is not a positive number of seconds", arg);
		return 0;
	case OPT_UNTIL:
		a->f.until = mon_kind_by_name(arg);
		if (a->f.until < 0)
			argp_error(state, "--until: unknown event '%s' (%s)", arg, kinds_list);
		return 0;
	case OPT_STATUS:
		a->status = true;
		return 0;
	case OPT_BUFFER: {
		long v;

		errno = 0;
		v = strtol(arg, &end, 10);
		if (errno || *end || !*arg || v < 1024 || v > INT_MAX / 2)
			argp_error(state, "--buffer: '%s' is not a byte count from 1024", arg);
		a->buffer = (int)v;
		return 0;
	}
	case ARGP_KEY_ARG:
		k = mon_kind_by_name(arg);
		if (k < 0)
			argp_error(state, "unknown event '%s' (%s)", arg, kinds_list);
		a->f.want[k] = true;
		a->f.filtered = true;
		return 0;
	case ARGP_KEY_END:
		if (a->f.filtered && a->f.until >= 0 && !a->f.want[a->f.until] &&
		    a->f.until != MON_EVENTS_LOST && a->f.until != MON_DRIVER_GONE)
			argp_error(state, "--until %s: that event is not among the ones asked for",
				   mon_kind_name((enum mon_kind)a->f.until));
		if (a->f.filtered && a->f.want[MON_STATUS])
			a->status = true;
		if (a->status)
			a->f.want[MON_STATUS] = true;
		if (a->f.until == MON_STATUS)
			argp_error(state, "--until status: the snapshot is not an event to wait for");
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static const struct argp monitor_argp = {
	monitor_options, monitor_parse, "[EVENT...]",
	"Print the driver's events as they happen: one line each, or with --json one compact "
	"JSON object per line (NDJSON: seq, ts, event, cpu, data), written at once.\v"
	"Events: state, cpu-enable, cpu-online, cpu-offline, failure, backend, status (with "
	"--status), and always events-lost (the kernel dropped events) and driver-gone (the "
	"driver was unloaded; the monitor ends).  With EVENT arguments only those are printed.  "
	"SIGINT and SIGTERM end the monitor with exit status 0.",
	global_children, NULL, NULL
};

struct mon {
	struct mon_args *a;
	int family;
	struct mon_tally t;	/* lines printed, events counted, done */
	bool gone;		/* the family went away */
	bool signalled;		/* SIGINT or SIGTERM */
	int err;		/* fatal error while receiving (errno) */
};

static void now(struct mon_event *e)
{
	clock_gettime(CLOCK_REALTIME, &e->ts);
}

/* Print one event (if asked for) and account for it */
static void emit(struct mon *m, struct mon_event *e)
{
	if (!mon_take(&m->a->f, &m->t, e))
		return;
	if (g.quiet)
		return;
	if (g.json) {
		char *s = mon_json(e);

		if (s)
			printf("%s\n", s);
		free(s);
	} else {
		char line[512];

		mon_text(e, line, sizeof(line));
		printf("%s\n", line);
	}
	fflush(stdout);
}

static const struct { unsigned have; int attr; } ev_u32[] = {
	{ MF_OLD, TDX_HOST_A_EV_OLD_STATE },
	{ MF_NEW, TDX_HOST_A_EV_NEW_STATE },
	{ MF_STEP, TDX_HOST_A_EV_STEP },
	{ MF_ERRNO, TDX_HOST_A_EV_ERRNO },
	{ MF_OUTCOME, TDX_HOST_A_EV_OUTCOME },
	{ MF_BACKEND, TDX_HOST_A_EV_BACKEND },
};

static struct nla_policy ev_policy[TDX_HOST_A_EV_MAX + 1] = {
	[TDX_HOST_A_EV_OLD_STATE] = { .type = NLA_U32 },
	[TDX_HOST_A_EV_NEW_STATE] = { .type = NLA_U32 },
	[TDX_HOST_A_EV_STEP] = { .type = NLA_U32 },
	[TDX_HOST_A_EV_ERRNO] = { .type = NLA_U32 },
	[TDX_HOST_A_EV_TDX_STATUS] = { .type = NLA_U64 },
	[TDX_HOST_A_EV_CPU] = { .type = NLA_U32 },
	[TDX_HOST_A_EV_OUTCOME] = { .type = NLA_U32 },
	[TDX_HOST_A_EV_INITIALIZED] = { .type = NLA_U8 },
	[TDX_HOST_A_EV_BACKEND] = { .type = NLA_U32 },
	[TDX_HOST_A_EV_PRESENT] = { .type = NLA_U8 },
	[TDX_HOST_A_EV_OLD_VERSION_MAJOR] = { .type = NLA_U32 },
	[TDX_HOST_A_EV_OLD_VERSION_MINOR] = { .type = NLA_U32 },
	[TDX_HOST_A_EV_OLD_VERSION_UPDATE] = { .type = NLA_U32 },
	[TDX_HOST_A_EV_NEW_VERSION_MAJOR] = { .type = NLA_U32 },
	[TDX_HOST_A_EV_NEW_VERSION_MINOR] = { .type = NLA_U32 },
	[TDX_HOST_A_EV_NEW_VERSION_UPDATE] = { .type = NLA_U32 },
};

/* A module-update event's version: all three parts, or none */
static void ev_version(struct mon_event *e, struct nlattr **tb, int major, unsigned which)
{
	if (tb[major] && tb[major + 1] && tb[major + 2])
		mon_set_version(e, which, nla_get_u32(tb[major]), nla_get_u32(tb[major + 1]),
				nla_get_u32(tb[major + 2]));
}

static int on_event(struct mon *m, struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct nlattr *tb[TDX_HOST_A_EV_MAX + 1];
	struct mon_event e = { .cpu = -1 };
	uint32_t v[TDX_HOST_A_EV_MAX + 1] = { 0 };
	int kind = mon_kind_of_cmd(gh->cmd);

	now(&e);
	if (kind < 0) {
		dbg("monitor: command %u of tdx_host not known here, ignored", gh->cmd);
		return NL_SKIP;
	}
	e.kind = (enum mon_kind)kind;
	if (genlmsg_parse(nlh, 0, tb, TDX_HOST_A_EV_MAX, ev_policy) < 0) {
		warnmsg("monitor: a malformed %s event, ignored", mon_kind_name(e.kind));
		return NL_SKIP;
	}
	for (size_t i = 0; i < sizeof(ev_u32) / sizeof(ev_u32[0]); i++)
		if (tb[ev_u32[i].attr]) {
			e.have |= ev_u32[i].have;
			v[ev_u32[i].attr] = nla_get_u32(tb[ev_u32[i].attr]);
		}
	e.old_state = v[TDX_HOST_A_EV_OLD_STATE];
	e.new_state = v[TDX_HOST_A_EV_NEW_STATE];
	e.step = v[TDX_HOST_A_EV_STEP];
	e.err = v[TDX_HOST_A_EV_ERRNO];
	e.outcome = v[TDX_HOST_A_EV_OUTCOME];
	e.backend = v[TDX_HOST_A_EV_BACKEND];
	if (tb[TDX_HOST_A_EV_TDX_STATUS]) {
		e.have |= MF_TDX_STATUS;
		e.tdx_status = nla_get_u64(tb[TDX_HOST_A_EV_TDX_STATUS]);
	}
	if (tb[TDX_HOST_A_EV_CPU])
		e.cpu = (int)nla_get_u32(tb[TDX_HOST_A_EV_CPU]);
	if (tb[TDX_HOST_A_EV_INITIALIZED]) {
		e.have |= MF_INIT;
		e.initialized = nla_get_u8(tb[TDX_HOST_A_EV_INITIALIZED]);
	}
	if (tb[TDX_HOST_A_EV_PRESENT]) {
		e.have |= MF_PRESENT;
		e.present = nla_get_u8(tb[TDX_HOST_A_EV_PRESENT]);
	}
	ev_version(&e, tb, TDX_HOST_A_EV_OLD_VERSION_MAJOR, MF_OLD_VER);
	ev_version(&e, tb, TDX_HOST_A_EV_NEW_VERSION_MAJOR, MF_NEW_VER);
	emit(m, &e);
	return NL_OK;
}

/* nlctrl's notify group: the family going away */
static int on_ctrl(struct mon *m, struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct mon_event e = { .kind = MON_DRIVER_GONE, .cpu = -1 };

	if (gh->cmd != CTRL_CMD_DELFAMILY ||
	    genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX, NULL) < 0 || !tb[CTRL_ATTR_FAMILY_ID] ||
	    nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]) != m->family)
		return NL_SKIP;
	now(&e);
	m->gone = true;
	emit(m, &e);
	return NL_STOP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct mon *m = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return NL_SKIP;
	if (nlh->nlmsg_type == GENL_ID_CTRL)
		return on_ctrl(m, msg);
	if (nlh->nlmsg_type == m->family)
		return on_event(m, msg);
	return NL_SKIP;
}

/* ---- the --status snapshot: TDX_HOST_CMD_STATUS_GET ---- */

struct snap {
	struct mon_event *e;
	int err;		/* errno from the kernel's ACK */
	char msg[160];		/* its extended ACK message */
	bool got;
	bool done;		/* the ACK (or an error) arrived */
};

static int snap_ack(struct nl_msg *msg, void *arg)
{
	struct snap *s = arg;

	(void)msg;
	s->done = true;
	return NL_STOP;
}

static int snap_valid(struct nl_msg *msg, void *arg)
{
	struct snap *s = arg;
	struct nlattr *tb[TDX_HOST_A_STATUS_MAX + 1];
	struct mon_event *e = s->e;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, TDX_HOST_A_STATUS_MAX, NULL) < 0 ||
	    !tb[TDX_HOST_A_STATUS_STATE] || !tb[TDX_HOST_A_STATUS_BACKEND] ||
	    !tb[TDX_HOST_A_STATUS_CPUS_ONLINE] || !tb[TDX_HOST_A_STATUS_CPUS_ENABLED])
		return NL_SKIP;
	e->have |= MF_CPUS | MF_NEW | MF_BACKEND;
	e->new_state = nla_get_u32(tb[TDX_HOST_A_STATUS_STATE]);
	e->backend = nla_get_u32(tb[TDX_HOST_A_STATUS_BACKEND]);
	e->cpus_online = nla_get_u32(tb[TDX_HOST_A_STATUS_CPUS_ONLINE]);
	e->cpus_enabled = nla_get_u32(tb[TDX_HOST_A_STATUS_CPUS_ENABLED]);
	if (tb[TDX_HOST_A_STATUS_ERR_ERRNO]) {
		e->have |= MF_ERRNO;
		e->err = nla_get_u32(tb[TDX_HOST_A_STATUS_ERR_ERRNO]);
	}
	if (tb[TDX_HOST_A_STATUS_ERR_STEP]) {
		e->have |= MF_STEP;
		e->step = nla_get_u32(tb[TDX_HOST_A_STATUS_ERR_STEP]);
	}
	if (tb[TDX_HOST_A_STATUS_ERR_TDX_STATUS]) {
		e->have |= MF_TDX_STATUS;
		e->tdx_status = nla_get_u64(tb[TDX_HOST_A_STATUS_ERR_TDX_STATUS]);
	}
	s->got = true;
	return NL_OK;
}

static int snap_error(struct sockaddr_nl *nla, struct nlmsgerr *err, void *arg)
{
	struct snap *s = arg;
	struct nlmsghdr *nlh = (struct nlmsghdr *)err - 1;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*err);

	(void)nla;
	s->done = true;
	s->err = -err->error;
	/* the extended ACK: the request is not echoed (NETLINK_CAP_ACK) */
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && nlh->nlmsg_len > NLMSG_HDRLEN + off &&
	    nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)err + off),
		      (int)(nlh->nlmsg_len - NLMSG_HDRLEN - off), NULL) == 0 &&
	    tb[NLMSGERR_ATTR_MSG])
		snprintf(s->msg, sizeof(s->msg), "%s", (const char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	return NL_STOP;
}

/* 0 with e filled (no backend: e->have without MF_CPUS), or an errno */
static int snapshot(struct nl_sock *rq, int family, struct mon_event *e)
{
	struct snap s = { .e = e };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	struct nl_msg *msg = nlmsg_alloc();
	int r = ENOMEM;

	if (!cb || !msg)
		goto out;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_REQUEST,
			 TDX_HOST_CMD_STATUS_GET, TDX_HOST_FAMILY_VERSION))
		goto out;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, snap_valid, &s);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, snap_ack, &s);
	nl_cb_err(cb, NL_CB_CUSTOM, snap_error, &s);
	r = nl_send_auto(rq, msg);
	if (r < 0) {
		r = EIO;
		goto out;
	}
	while (!s.done) {
		if (nl_recvmsgs(rq, cb) < 0) {
			if (!s.err)
				s.err = EIO;
			break;
		}
	}
	r = s.err == ENODEV ? 0 : s.err;
	if (!r && !s.got && s.err != ENODEV)
		r = EPROTO;
	if (s.err == ENODEV)
		dbg("monitor: status: %s", s.msg[0] ? s.msg : "no backend");
out:
	nlmsg_free(msg);
	nl_cb_put(cb);
	return r;
}

/* ---- setup ---- */

static int setup_error(int rc, const char *ename, const char *hint, const char *what)
{
	pr_error(rc, ename, hint, "%s", what);
	return rc;
}

static int resolve(struct nl_sock *rq, int *family, int *grp, int *ctrl_grp)
{
	*family = genl_ctrl_resolve(rq, TDX_HOST_FAMILY_NAME);
	if (*family == -NLE_OBJ_NOTFOUND)
		return setup_error(EXIT_NOTSUP, "ENOENT",
				   "load the driver: modprobe tdxctl (on hosts without TDX: modprobe tdxctl backend=emulated && modprobe tdxctl_emu)",
				   "driver not loaded: no generic netlink family " TDX_HOST_FAMILY_NAME);
	if (*family < 0)
		return setup_error(EXIT_FAILED, NULL, NULL, "cannot resolve the generic netlink family "
				   TDX_HOST_FAMILY_NAME);
	*grp = genl_ctrl_resolve_grp(rq, TDX_HOST_FAMILY_NAME, TDX_HOST_MCGRP_EVENTS);
	*ctrl_grp = genl_ctrl_resolve_grp(rq, "nlctrl", "notify");
	if (*grp < 0 || *ctrl_grp < 0)
		return setup_error(EXIT_FAILED, "EPROTO",
				   "install a tdxctl that matches the driver (tdxctl version shows both)",
				   "the driver's family has no \"" TDX_HOST_MCGRP_EVENTS "\" group");
	return 0;
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Receive what is queued.  0, or an errno that ends the monitor. */
static int drain(struct nl_sock *ev, struct nl_cb *cb, struct mon *m)
{
	int r = nl_recvmsgs(ev, cb);

	if (r >= 0 || r == -NLE_AGAIN)
		return 0;
	dbg("monitor: receiving: %s (errno %s)", nl_geterror(r), errno_name(errno));
	if (r == -NLE_NOMEM && errno == ENOBUFS) {
		struct mon_event e = { .kind = MON_EVENTS_LOST, .cpu = -1 };

		now(&e);
		emit(m, &e);
		return 0;
	}
	return r == -NLE_NOMEM ? ENOMEM : EIO;
}

static int no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

static int monitor_loop(struct nl_sock *ev, struct mon *m, int sfd)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	double deadline = m->a->timeout > 0 ? mono() + m->a->timeout : 0;
	struct pollfd pfd[2] = {
		{ .fd = nl_socket_get_fd(ev), .events = POLLIN },
		{ .fd = sfd, .events = POLLIN },
	};
	int rc = 0;

	if (!cb)
		return ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, m);
	/* notifications have no sequence numbers to check */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);

	while (!m->t.done && !m->gone) {
		int tmo = -1, n;

		if (deadline > 0) {
			double left = deadline - mono();

			if (left <= 0)
				break;
			tmo = (int)(left * 1000) + 1;
		}
		n = poll(pfd, 2, tmo);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = errno;
			break;
		}
		if (pfd[1].revents & POLLIN) {
			m->signalled = true;	/* a clean end */
			break;
		}
		if (pfd[0].revents & (POLLIN | POLLERR)) {
			rc = drain(ev, cb, m);
			if (rc)
				break;
		}
	}
	nl_cb_put(cb);
	return rc;
}

int cmd_monitor(int argc, char **argv)
{
	struct mon_args a = { .timeout = -1, .f.until = -1 };
	struct mon m = { .a = &a };
	struct nl_sock *rq = NULL, *ev = NULL;
	int rc, family, grp, ctrl_grp, sfd = -1, err;
	sigset_t sigs;

	rc = cmd_parse(&monitor_argp, argc, argv, &a);
	if (rc)
		return rc;
	rc = dl_need(DLIB_NL, "monitor");
	if (rc)
		return rc;

	rq = nl_socket_alloc();
	ev = nl_socket_alloc();
	if (!rq || !ev || genl_connect(rq) || genl_connect(ev)) {
		rc = setup_error(EXIT_FAILED, NULL, NULL, "cannot open a generic netlink socket");
		goto out;
	}
	{
		int one = 1;

		/* errors with the kernel's words, without the request echoed */
		setsockopt(nl_socket_get_fd(rq), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
		setsockopt(nl_socket_get_fd(rq), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	}
	rc = resolve(rq, &family, &grp, &ctrl_grp);
	if (rc)
		goto out;
	m.family = family;
	if (a.buffer && nl_socket_set_buffer_size(ev, a.buffer, 0) < 0) {
		rc = setup_error(EXIT_FAILED, NULL, NULL, "cannot set the socket's receive buffer");
		goto out;
	}
	err = nl_socket_add_memberships(ev, grp, ctrl_grp, 0);
	if (err < 0) {
		rc = err == -NLE_PERM ? setup_error(EXIT_PERM, "EPERM", "run as root",
						    "not allowed to join the events group")
				      : setup_error(EXIT_FAILED, NULL, NULL, "cannot join the events group");
		goto out;
	}
	nl_socket_set_nonblocking(ev);

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		rc = setup_error(EXIT_FAILED, NULL, NULL, "signalfd failed");
		goto out;
	}

	/* joined first, so no event falls between the snapshot and the stream */
	if (a.status) {
		struct mon_event e = { .kind = MON_STATUS, .cpu = -1 };

		err = snapshot(rq, family, &e);
		if (err) {
			pr_error(exit_for_errno(err), errno_name(err), NULL,
				 "status from the driver's netlink family: %s", strerror(err));
			rc = exit_for_errno(err);
			goto out;
		}
		pr_streamed();
		now(&e);
		emit(&m, &e);
	}
	pr_streamed();

	err = monitor_loop(ev, &m, sfd);
	if (err) {
		pr_error(EXIT_FAILED, errno_name(err), NULL, "receiving events: %s", strerror(err));
		rc = EXIT_FAILED;
	} else if (m.t.done) {
		rc = EXIT_OK;
	} else if (m.gone) {
		/* waited for something that can no longer come */
		if (a.f.until >= 0 || a.f.count) {
			pr_error(EXIT_FAILED, NULL, NULL, "the driver was unloaded before %s",
				 a.f.until >= 0 ? "the awaited event" : "the awaited count of events");
			rc = EXIT_FAILED;
		}
	} else if (!m.signalled && a.timeout > 0 && (!m.t.events || a.f.until >= 0 || a.f.count)) {
		/* the deadline passed with nothing, or not what was awaited */
		pr_error(EXIT_TIMEOUT, "ETIMEDOUT", NULL, "%s within %g s",
			 !m.t.events ? "no event" : a.f.until >= 0 ? "the awaited event did not arrive" :
			 "fewer events than --count", a.timeout);
		rc = EXIT_TIMEOUT;
	}
out:
	if (sfd >= 0)
		close(sfd);
	nl_socket_free(rq);
	nl_socket_free(ev);
	return rc;
}
