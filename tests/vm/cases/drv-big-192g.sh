#!/bin/sh
# vm: smp=2 mem=196608
# vm-timeout: 300
# vm-lines: 6.1 6.12 7.x
# A 192 GiB host (sparse: the host pays only for touched pages): module
# enable succeeds with two TDMRs and a PAMT of RAM/256 (768 MiB, the
# largest part one contiguous allocation of 756 MiB), and STATUS answers
# at once while that allocation runs.
# Not on the debug line: KASAN maps a shadow of 1/8 of guest RAM at boot,
# 24 GiB, the whole host; and without a contiguous allocator 192 one-GiB
# TDMRs would exceed the TDX module's 64 anyway.
. /tests/lib.sh
t_plan 11

# STATUS never waits for an enable in progress: here the first enable's
# TDMRs and PAMTs alone take seconds to build (a 756 MiB contiguous
# allocation from memory nobody compacted yet), with the emulated
# backend's lock held.  STATUS, ioctl and netlink, asked
# over and over while module enable runs, each answers at once.
load_driver || t_fail "load (status during enable)"
$T enable --all-cpus > /tmp/big-en.out 2>&1 &
pid=$!
/tests/bin/tdx-genl poll $pid ioctl > /tmp/poll-ioctl.out &
p1=$!
/tests/bin/tdx-genl poll $pid genl > /tmp/poll-genl.out &
p2=$!
wait $pid; rc=$?
wait $p1 $p2
pi=$(cat /tmp/poll-ioctl.out) pg=$(cat /tmp/poll-genl.out)
t_diag "ioctl: $(printf '%s\n' "$pi" | tr '\n' ' ')" "genl: $(printf '%s\n' "$pg" | tr '\n' ' ')" \
	"$($T status | grep '^step_ns_' | tr '\n' ' ')"
t_ok "STATUS answered while the enable ran (ioctl $(kv initializing "$pi") of $(kv rounds "$pi"), status-get $(kv initializing "$pg") of $(kv rounds "$pg") saw initializing)" \
	test "$(kv initializing "$pi")" -gt 0 -a "$(kv initializing "$pg")" -gt 0 -a \
	"$(kv errors "$pi") $(kv errors "$pg")" = "0 0"
t_ok "the STATUS ioctl never waited for the enable (slowest $(kv max_us "$pi") us < 500 ms)" \
	test "$(kv max_us "$pi")" -lt 500000
t_ok "status-get never waited for the enable (slowest $(kv max_us "$pg") us < 500 ms)" \
	test "$(kv max_us "$pg")" -lt 500000
t_is "the enable succeeded meanwhile" "$rc $(kv state "$(cat /tmp/big-en.out)")" "0 initialized"
t_ok "unload the driver" unload_driver

big_host_checks
