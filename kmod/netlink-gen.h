/* SPDX-License-Identifier: GPL-2.0 */
/* Do not edit: made by tools/genl-gen.py from netlink/specs/tdx_host.yaml */

#ifndef _TDXCTL_NETLINK_GEN_H
#define _TDXCTL_NETLINK_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <linux/tdx_host_genl.h>

/* Ops table: one entry per operation with a do handler */
extern const struct genl_ops tdx_host_nl_ops[2];

int tdx_host_nl_status_get_doit(struct sk_buff *skb, struct genl_info *info);
int tdx_host_nl_cpu_get_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	TDX_HOST_NLGRP_EVENTS,
};

extern const struct genl_multicast_group tdx_host_nl_mcgrps[1];

#endif /* _TDXCTL_NETLINK_GEN_H */
