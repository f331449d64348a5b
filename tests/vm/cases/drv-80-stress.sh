#!/bin/sh
# vm: smp=4 mem=1024
# 8 concurrent enablers: the TDX module is initialized exactly once.
. /tests/lib.sh
t_plan 9
for round in 1 2 3; do
	t_ok "round $round: load the driver" load_driver
	t_prog "round $round" /tests/bin/tdx-stress 8
	t_ok "round $round: unload the driver" unload_driver
done
