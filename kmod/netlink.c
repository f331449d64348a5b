// SPDX-License-Identifier: GPL-2.0
/*
 * netlink.c - the tdx_host generic netlink family: the GET operations and
 * the events multicast group.
 *
 * The family is made from netlink/specs/tdx_host.yaml: its policies, ops
 * table and groups are generated (netlink-gen.c); this file has the
 * handlers and one sender per event.  It is registered when tdxctl.ko
 * loads and unregistered when it goes, whatever the backends do (see
 * main.c).  Validation is strict for every operation (resv_start_op 0),
 * no operation changes state, and no event is built when nobody listens.
 *
 * One permission policy with /dev/tdx_host (0600, root): the family tells
 * nothing to a user who may not open the node.  Every operation has
 * GENL_ADMIN_PERM (CAP_NET_ADMIN, checked by the genetlink core) and a
 * pre_doit that checks CAP_SYS_ADMIN, as the ioctls do; joining the
 * events group needs CAP_SYS_ADMIN (GENL_MCAST_CAP_SYS_ADMIN, checked at
 * bind by the genetlink core, on every kernel line this driver builds
 * for: Linux 6.7 on and the stable kernels that took it, Debian's 6.1
 * among them; tdxctl_nl_init() says so where it is missing).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "tdxctl.h"
#include "netlink-gen.h"

/* pre_doit takes the split ops from Linux 6.2 on (Kbuild finds out) */
#ifdef TDXCTL_GENL_SPLIT_OPS
#define TDXCTL_GENL_OPS	genl_split_ops
#else
#define TDXCTL_GENL_OPS	genl_ops
#endif

/*
 * Every operation: CAP_SYS_ADMIN in the initial user namespace, as the
 * ioctls of /dev/tdx_host need an opener with it (root, mode 0600).  The
 * capability of the sender, when it sent the request (netlink_capable()
 * checks the opener of the socket too: both must have it).
 */
static int tdxctl_nl_pre_doit(const struct TDXCTL_GENL_OPS *ops,
			      struct sk_buff *skb, struct genl_info *info)
{
	if (!netlink_capable(skb, CAP_SYS_ADMIN)) {
		NL_SET_ERR_MSG(info->extack,
			       "tdx_host needs CAP_SYS_ADMIN, as /dev/tdx_host does");
		return -EPERM;
	}
	return 0;
}

static struct genl_family tdxctl_nl_family __ro_after_init = {
	.name		= TDX_HOST_FAMILY_NAME,
	.version	= TDX_HOST_FAMILY_VERSION,
	.module		= THIS_MODULE,
	.pre_doit	= tdxctl_nl_pre_doit,
	/* the handlers take the driver's own locks */
	.parallel_ops	= true,
	/* resv_start_op 0: every op validated strictly, header included */
	.ops		= tdx_host_nl_ops,
	.n_ops		= ARRAY_SIZE(tdx_host_nl_ops),
	.mcgrps		= tdx_host_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(tdx_host_nl_mcgrps),
};

/* ---- GET ---- */

/* a GET without a backend: ENODEV, said in words */
static int nl_no_backend(struct genl_info *info, int ret)
{
	if (ret == -ENODEV)
		NL_SET_ERR_MSG(info->extack,
			       "no backend registered: load a backend module (tdxctl_emu)");
	return ret;
}

static int put_status(struct sk_buff *skb, const struct tdx_host_status *st)
{
	const u32 pad = TDX_HOST_A_STATUS_PAD;
	int i;

	if (nla_put_u32(skb, TDX_HOST_A_STATUS_STATE, st->state) ||
	    nla_put_u32(skb, TDX_HOST_A_STATUS_BACKEND, st->backend) ||
	    nla_put_u64_64bit(skb, TDX_HOST_A_STATUS_VALID, st->valid, pad) ||
	    nla_put_u32(skb, TDX_HOST_A_STATUS_CPUS_POSSIBLE,
			st->cpus_possible) ||
	    nla_put_u32(skb, TDX_HOST_A_STATUS_CPUS_PRESENT,
			st->cpus_present) ||
	    nla_put_u32(skb, TDX_HOST_A_STATUS_CPUS_ONLINE, st->cpus_online) ||
	    nla_put_u32(skb, TDX_HOST_A_STATUS_CPUS_ENABLED, st->cpus_enabled))
		return -EMSGSIZE;

	if (st->state == TDX_HOST_STATE_ERROR) {
		if (nla_put_u32(skb, TDX_HOST_A_STATUS_ERR_ERRNO,
				st->err_errno))
			return -EMSGSIZE;
		if ((st->valid & TDX_HOST_STATUS_TDX_ERRORS) &&
		    (nla_put_u32(skb, TDX_HOST_A_STATUS_ERR_STEP, st->err_step) ||
		     nla_put_u64_64bit(skb, TDX_HOST_A_STATUS_ERR_TDX_STATUS,
				       st->err_tdx_status, pad)))
			return -EMSGSIZE;
	}
	if ((st->valid & TDX_HOST_STATUS_MODULE_INFO) &&
	    (nla_put_u32(skb, TDX_HOST_A_STATUS_VERSION_MAJOR,
			 st->version_major) ||
	     nla_put_u32(skb, TDX_HOST_A_STATUS_VERSION_MINOR,
			 st->version_minor) ||
	     nla_put_u32(skb, TDX_HOST_A_STATUS_VERSION_UPDATE,
			 st->version_update) ||
	     nla_put_u32(skb, TDX_HOST_A_STATUS_VERSION_INTERNAL,
			 st->version_internal) ||
	     nla_put_u32(skb, TDX_HOST_A_STATUS_BUILD_DATE, st->build_date) ||
	     nla_put_u32(skb, TDX_HOST_A_STATUS_BUILD_NUM, st->build_num)))
		return -EMSGSIZE;
	if ((st->valid & TDX_HOST_STATUS_MODULE_CAPS) &&
	    (nla_put_u64_64bit(skb, TDX_HOST_A_STATUS_FEATURES0,
			       st->features0, pad) ||
	     nla_put_u32(skb, TDX_HOST_A_STATUS_MAX_TDMRS, st->max_tdmrs)))
		return -EMSGSIZE;
	if ((st->valid & TDX_HOST_STATUS_TDMR_INFO) &&
	    (nla_put_u32(skb, TDX_HOST_A_STATUS_NR_TDMRS, st->nr_tdmrs) ||
	     nla_put_u64_64bit(skb, TDX_HOST_A_STATUS_PAMT_KB, st->pamt_kb,
			       pad) ||
	     nla_put_u64_64bit(skb, TDX_HOST_A_STATUS_TDX_MEMORY_KB,
			       st->tdx_memory_kb, pad)))
		return -EMSGSIZE;
	if ((st->valid & TDX_HOST_STATUS_KEYID_INFO) &&
	    (nla_put_u32(skb, TDX_HOST_A_STATUS_GLOBAL_KEYID,
			 st->global_keyid) ||
	     nla_put_u32(skb, TDX_HOST_A_STATUS_GUEST_KEYID_FIRST,
			 st->guest_keyid_first)))
		return -EMSGSIZE;
	if ((st->valid & TDX_HOST_STATUS_GUEST_KEYIDS) &&
	    nla_put_u32(skb, TDX_HOST_A_STATUS_GUEST_KEYID_COUNT,
			st->guest_keyid_count))
		return -EMSGSIZE;
	if ((st->valid & TDX_HOST_STATUS_MODULE_CPUS) &&
	    (nla_put_u32(skb, TDX_HOST_A_STATUS_MODULE_LP_COUNT,
			 st->module_lp_count) ||
	     nla_put_u32(skb, TDX_HOST_A_STATUS_NR_PACKAGES,
			 st->nr_packages)))
		return -EMSGSIZE;
	if (st->valid & TDX_HOST_STATUS_STEP_TIMES)
		for (i = 0; i < TDX_HOST_STEP_NR; i++)
			if (nla_put_u64_64bit(skb, TDX_HOST_A_STATUS_STEP_NS,
					      st->step_ns[i], pad))
				return -EMSGSIZE;
	return 0;
}

/* Send the reply that put() fills from arg. */
static int nl_reply(struct genl_info *info,
		    int (*put)(struct sk_buff *skb, const void *arg),
		    const void *arg)
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &tdxctl_nl_family, 0,
				info->genlhdr->cmd);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto err;
	}
	ret = put(msg, arg);
	if (ret)
		goto err;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
err:
	nlmsg_free(msg);
	return ret;
}

static int put_status_cb(struct sk_buff *skb, const void *arg)
{
	return put_status(skb, arg);
}

int tdx_host_nl_status_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tdx_host_status st = { .size = sizeof(st) };
	int ret;

	ret = tdxctl_get_status(&st);
	if (ret)
		return nl_no_backend(info, ret);
	return nl_reply(info, put_status_cb, &st);
}

static int put_cpu_cb(struct sk_buff *skb, const void *arg)
{
	const struct tdx_host_cpu_info *ci = arg;
	const u32 pad = TDX_HOST_A_CPU_PAD;

	if (nla_put_u32(skb, TDX_HOST_A_CPU_ID, ci->cpu) ||
	    nla_put_u32(skb, TDX_HOST_A_CPU_FLAGS, ci->flags) ||
	    ((ci->flags & TDX_HOST_CPU_PRESENT) &&
	     nla_put_u32(skb, TDX_HOST_A_CPU_PACKAGE, ci->package)) ||
	    ((ci->flags & TDX_HOST_CPU_TDX_STATUS) &&
	     nla_put_u64_64bit(skb, TDX_HOST_A_CPU_TDX_STATUS, ci->tdx_status,
			       pad)) ||
	    ((ci->flags & TDX_HOST_CPU_ENABLED) &&
	     nla_put_u64_64bit(skb, TDX_HOST_A_CPU_ENABLED_NS, ci->enabled_ns,
			       pad)) ||
	    ((ci->flags & TDX_HOST_CPU_ERRNO) &&
	     nla_put_u32(skb, TDX_HOST_A_CPU_ERRNO, ci->err_errno)))
		return -EMSGSIZE;
	return 0;
}

int tdx_host_nl_cpu_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tdx_host_cpu_info ci;
	struct nlattr *a;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, TDX_HOST_A_CPU_ID)) {
		NL_SET_ERR_MSG(info->extack, "missing attribute: CPU id");
		return -EINVAL;
	}
	a = info->attrs[TDX_HOST_A_CPU_ID];
	ret = tdxctl_get_cpu_info(nla_get_u32(a), &ci);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, a, "not a possible CPU");
	if (ret)
		return nl_no_backend(info, ret);
	return nl_reply(info, put_cpu_cb, &ci);
}

/* ---- events ---- */

/* The largest event: five attributes, 64-bit ones padded */
#define TDXCTL_EV_SIZE	(5 * nla_total_size_64bit(sizeof(u64)))

/* A new event message, or NULL when nobody listens (or no memory) */
static struct sk_buff *ev_new(u8 cmd, void **hdr)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&tdxctl_nl_family, &init_net,
				TDX_HOST_NLGRP_EVENTS))
		return NULL;
	skb = genlmsg_new(TDXCTL_EV_SIZE, GFP_KERNEL);
	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, &tdxctl_nl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

static void ev_send(struct sk_buff *skb, void *hdr, int put_err)
{
	if (put_err) {
		/* TDXCTL_EV_SIZE is too small: a bug, said once */
		WARN_ON_ONCE(1);
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast(&tdxctl_nl_family, skb, 0, TDX_HOST_NLGRP_EVENTS,
			  GFP_KERNEL);
}

/* A failure's step, errno and TDX status; step and status with @detail */
static int put_failure(struct sk_buff *skb, u32 step, int err,
		       u64 tdx_status, bool detail)
{
	if (!err)
		return 0;
	if (nla_put_u32(skb, TDX_HOST_A_EV_ERRNO, err))
		return -EMSGSIZE;
	if (detail &&
	    (nla_put_u32(skb, TDX_HOST_A_EV_STEP, step) ||
	     nla_put_u64_64bit(skb, TDX_HOST_A_EV_TDX_STATUS, tdx_status,
			       TDX_HOST_A_EV_PAD)))
		return -EMSGSIZE;
	return 0;
}

void tdxctl_nl_state(u32 old, u32 new, u32 step, int err, u64 tdx_status,
		     bool detail)
{
	struct sk_buff *skb;
	void *hdr;

	skb = ev_new(TDX_HOST_CMD_STATE_NTF, &hdr);
	if (!skb)
		return;
	ev_send(skb, hdr,
		nla_put_u32(skb, TDX_HOST_A_EV_OLD_STATE, old) ||
		nla_put_u32(skb, TDX_HOST_A_EV_NEW_STATE, new) ||
		put_failure(skb, step, err, tdx_status, detail));
}

void tdxctl_nl_failure(u32 step, int err, u64 tdx_status, bool detail)
{
	struct sk_buff *skb;
	void *hdr;

	skb = ev_new(TDX_HOST_CMD_FAILURE_NTF, &hdr);
	if (!skb)
		return;
	ev_send(skb, hdr, put_failure(skb, step, err, tdx_status, detail));
}

static int put_version(struct sk_buff *skb, int attr, const u32 *v)
{
	return nla_put_u32(skb, attr, v[0]) ||
	       nla_put_u32(skb, attr + 1, v[1]) ||
	       nla_put_u32(skb, attr + 2, v[2]);
}

void tdxctl_nl_module_update(const u32 *old, const u32 *new, int err,
			     u64 tdx_status, bool detail)
{
	struct sk_buff *skb;
	void *hdr;

	skb = ev_new(TDX_HOST_CMD_MODULE_UPDATE_NTF, &hdr);
	if (!skb)
		return;
	ev_send(skb, hdr,
		put_version(skb, TDX_HOST_A_EV_OLD_VERSION_MAJOR, old) ||
		(new && put_version(skb, TDX_HOST_A_EV_NEW_VERSION_MAJOR,
				    new)) ||
		(err && nla_put_u32(skb, TDX_HOST_A_EV_ERRNO, err)) ||
		(err && detail &&
		 nla_put_u64_64bit(skb, TDX_HOST_A_EV_TDX_STATUS, tdx_status,
				   TDX_HOST_A_EV_PAD)));
}

void tdxctl_nl_cpu_enable(unsigned int cpu,
			  const struct tdxctl_cpu_result *res, bool detail)
{
	struct sk_buff *skb;
	void *hdr;

	skb = ev_new(TDX_HOST_CMD_CPU_ENABLE_NTF, &hdr);
	if (!skb)
		return;
	ev_send(skb, hdr,
		nla_put_u32(skb, TDX_HOST_A_EV_CPU, cpu) ||
		nla_put_u32(skb, TDX_HOST_A_EV_OUTCOME,
			    res->err ? TDX_HOST_CPU_OUTCOME_FAILED :
				       TDX_HOST_CPU_OUTCOME_ENABLED) ||
		put_failure(skb, res->step, -res->err, res->tdx_status,
			    detail));
}

void tdxctl_nl_cpu_online(unsigned int cpu, bool initialized, int err)
{
	struct sk_buff *skb;
	void *hdr;

	skb = ev_new(TDX_HOST_CMD_CPU_ONLINE_NTF, &hdr);
	if (!skb)
		return;
	ev_send(skb, hdr,
		nla_put_u32(skb, TDX_HOST_A_EV_CPU, cpu) ||
		nla_put_u8(skb, TDX_HOST_A_EV_INITIALIZED, initialized) ||
		(err && nla_put_u32(skb, TDX_HOST_A_EV_ERRNO, err)));
}

void tdxctl_nl_cpu_offline(unsigned int cpu, bool initialized)
{
	struct sk_buff *skb;
	void *hdr;

	skb = ev_new(TDX_HOST_CMD_CPU_OFFLINE_NTF, &hdr);
	if (!skb)
		return;
	ev_send(skb, hdr,
		nla_put_u32(skb, TDX_HOST_A_EV_CPU, cpu) ||
		nla_put_u8(skb, TDX_HOST_A_EV_INITIALIZED, initialized));
}

void tdxctl_nl_backend(u32 id, bool present)
{
	struct sk_buff *skb;
	void *hdr;

	skb = ev_new(TDX_HOST_CMD_BACKEND_NTF, &hdr);
	if (!skb)
		return;
	ev_send(skb, hdr,
		nla_put_u32(skb, TDX_HOST_A_EV_BACKEND, id) ||
		nla_put_u8(skb, TDX_HOST_A_EV_PRESENT, present));
}

int tdxctl_nl_init(void)
{
#ifndef GENL_MCAST_CAP_SYS_ADMIN
	pr_warn("this kernel cannot restrict generic netlink groups: every user may join tdx_host's events group\n");
#endif
	return genl_register_family(&tdxctl_nl_family);
}

void tdxctl_nl_exit(void)
{
	genl_unregister_family(&tdxctl_nl_family);
}
