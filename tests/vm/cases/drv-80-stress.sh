#!/bin/sh
# vm: smp=4 mem=1024
# 8 concurrent enablers: the TDX module is initialized exactly once.
. /tests/lib.sh
for round in 1 2 3; do
	load_driver || { t_fail "round $round: load"; continue; }
	/tests/bin/tdx-stress 8 | sed "s/^\(ok\|not ok\) - /\1 - round $round: /"
	unload_driver
done
