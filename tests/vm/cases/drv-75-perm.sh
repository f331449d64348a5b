#!/bin/sh
# vm: smp=4 mem=1024
# The permission matrix (non-root, read-only fd, fds passed between
# processes with different credentials).
. /tests/lib.sh
t_plan 3
t_ok "load the driver" load_driver
t_prog tdx-perm /tests/bin/tdx-perm
t_ok "unload the driver" unload_driver
