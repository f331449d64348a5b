#!/bin/sh
# vm: smp=4 mem=1024
# The permission matrix (non-root, read-only fd, fds passed between
# processes with different credentials).
. /tests/lib.sh
load_driver || { t_fail load; exit 1; }
/tests/bin/tdx-perm
unload_driver
