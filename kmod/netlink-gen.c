// SPDX-License-Identifier: GPL-2.0
/* Do not edit: made by tools/genl-gen.py from netlink/specs/tdx_host.yaml */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

/* TDX_HOST_CMD_STATUS_GET - do */
static const struct nla_policy tdx_host_status_get_nl_policy[TDX_HOST_A_STATUS_STATE + 1] = {
	[TDX_HOST_A_STATUS_STATE] = { .type = NLA_REJECT, },
};

/* TDX_HOST_CMD_CPU_GET - do */
static const struct nla_policy tdx_host_cpu_get_nl_policy[TDX_HOST_A_CPU_ID + 1] = {
	[TDX_HOST_A_CPU_ID] = { .type = NLA_U32, },
};

/* Ops table for tdx_host */
const struct genl_ops tdx_host_nl_ops[2] = {
	{
		.cmd		= TDX_HOST_CMD_STATUS_GET,
		.doit		= tdx_host_nl_status_get_doit,
		.policy		= tdx_host_status_get_nl_policy,
		.maxattr	= TDX_HOST_A_STATUS_STATE,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= TDX_HOST_CMD_CPU_GET,
		.doit		= tdx_host_nl_cpu_get_doit,
		.policy		= tdx_host_cpu_get_nl_policy,
		.maxattr	= TDX_HOST_A_CPU_ID,
		.flags		= GENL_ADMIN_PERM,
	},
};

const struct genl_multicast_group tdx_host_nl_mcgrps[1] = {
	[TDX_HOST_NLGRP_EVENTS] = {
		.name	= TDX_HOST_MCGRP_EVENTS,
#ifdef GENL_MCAST_CAP_SYS_ADMIN
		.flags	= GENL_MCAST_CAP_SYS_ADMIN,
#endif
	},
};
