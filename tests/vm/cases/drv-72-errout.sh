#!/bin/sh
# vm: smp=4 mem=1024
# The enable ioctls' outputs on their error paths (tdx-errout): each
# output field poisoned with 0xff before the call comes back exactly as
# the ABI says (zero where the failure sets nothing): a read-only fd, an
# opener without CAP_SYS_ADMIN, no such CPU, an offline CPU, the
# pre-flight, an early (metadata) failure and a sticky one.
. /tests/lib.sh
t_plan 3
t_ok "load the driver" load_driver
t_prog tdx-errout /tests/bin/tdx-errout
online_all
t_ok "unload the driver" unload_driver
