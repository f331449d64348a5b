#!/bin/sh
# vm: smp=4 mem=1024
# TDH.SYS.TDMR.INIT, the longest step of module enable: CPU hotplug is not
# held off while it runs; a fatal signal ends it and leaves it resumable
# (drv-33-signals has more); a TDX module that reports success without
# progress ends it with EPROTO and a log line instead of a loop that never
# ends.  That failure comes after TDH.SYS.CONFIG: sticky, and the PAMTs
# are freed.
. /tests/lib.sh
t_plan 14
online_all

# 256 calls of 20 ms for the guest's one TDMR: about 5 s of TDMR.INIT
load_driver latency_us=tdmr_init=20000 || t_fail "load (latency)"
$T enable --all-cpus > /tmp/tdmr-en.out 2>&1 &
pid=$!
t_ok "TDMR.INIT has started" wait_calls tdmr_init 1
cpu_set 3 0
running=done; alive $pid && running=running
t_is "CPU 3 went offline while TDMR.INIT was running" \
	"$(cat /sys/devices/system/cpu/cpu3/online) $running" "0 running"
t_ok "CPU 3 back online while TDMR.INIT runs (it was enabled before)" cpu_set 3 1
wait $pid; rc=$?
t_is "module enable completes" "$rc $(kv state "$(cat /tmp/tdmr-en.out)")" "0 initialized"
unload_driver
online_all

# success without progress, every call, and 2 ms each: only a signal ends it
load_driver latency_us=tdmr_init=2000 || t_fail "load (signal)"
echo "tdmr_init 0 count=0" > $D/inject
$T enable --all-cpus > /tmp/tdmr-en.out 2>&1 &
pid=$!
t_ok "TDMR.INIT is looping" wait_calls tdmr_init 20
kill -9 $pid
t_ok "SIGKILL ends module enable within 10 s" gone $pid 10
wait $pid 2>/dev/null
st=$($T status)
t_is "interrupted after CONFIG: not sticky, resumable (uninitialized)" \
	"$(kv state "$st")" "uninitialized"
t_match "interrupted: the PAMTs stay the TDX module's" "$(cat $D/pamt_bytes)" '^[1-9][0-9]*$'
echo clear > $D/inject
out=$($T enable --all-cpus); rc=$?
t_is "the next enable resumes TDMR.INIT and succeeds" "$rc $(kv state "$out")" "0 initialized"
unload_driver

# success without progress, at full speed: the driver gives up by itself
load_driver || t_fail "load (no progress)"
echo "tdmr_init 0 count=0" > $D/inject
dmesg_mark noprog
out=$($T enable --all-cpus); rc=$?
t_is "TDMR.INIT without progress: module enable fails with EPROTO" \
	"$rc $(kv step "$out") $(kv err_errno "$out")" "71 tdmr_init 71"
t_match "the kernel log says TDMR.INIT made no progress" "$(dmesg_since noprog)" \
	'TDH.SYS.TDMR.INIT made no progress'
st=$($T status)
t_is "no progress: sticky, step tdmr_init, EPROTO" \
	"$(kv state "$st") $(kv err_step "$st") $(kv err_errno "$st")" "error tdmr_init 71"
t_is "no progress: PAMT freed" "$(cat $D/pamt_bytes)" 0
t_ok "unload the driver" unload_driver
online_all
