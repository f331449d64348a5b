#!/bin/sh
# vm: smp=4 mem=1024
# One permission policy for /dev/tdx_host and the tdx_host family: what
# uid 65534 cannot read through the node (0600), it cannot read through
# netlink either, and uid 0 without CAP_SYS_ADMIN is refused as the
# ioctls refuse it: status-get and cpu-get EPERM, the events group not
# joinable (or silent).
. /tests/lib.sh
t_plan 4
t_ok "load the driver" load_driver
t_prog perm /tests/bin/tdx-genl perm
t_rc "uid 65534: tdxctl monitor is refused (exit 5, EPERM)" 5 \
	/tests/bin/runas 65534 tdxctl monitor --timeout 2
t_ok "unload the driver" unload_driver
