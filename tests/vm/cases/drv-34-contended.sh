#!/bin/sh
# vm: smp=4 mem=1024
# A second module enable waits for the first without holding CPU hotplug
# off: a CPU goes offline (and online) within a generous bound while one
# enable runs TDH.SYS.TDMR.INIT and another waits for it.  STATUS (ioctl
# and netlink) answers at once meanwhile, from the driver's snapshot.  A
# third enabler, waiting too, dies at once of SIGKILL (the wait is
# killable) and takes nothing with it.
. /tests/lib.sh
t_plan 10
US=/tests/bin/clock-us
# ms CMD...: run CMD, print how long it took in milliseconds
ms() {
	_t0=$($US); "$@" > /dev/null 2>&1; _t1=$($US)
	echo $(( (_t1 - _t0) / 1000 ))
}
online_all

# 40 ms a call: about 10 s of TDMR.INIT
load_driver latency_us=tdmr_init=40000 || t_fail "load"
$T enable --all-cpus > /tmp/con-1.out 2>&1 &
p1=$!
wait_calls tdmr_init 10
$T enable --all-cpus > /tmp/con-2.out 2>&1 &
p2=$!
$T enable --all-cpus > /dev/null 2>&1 &
p3=$!
sleep 1
t_ok "both enables still running" alive $p2
kill -KILL $p3
sleep 0.5
t_ok "a third enabler, waiting for the first, dies of SIGKILL within 0.5 s" \
	test ! -r /proc/$p3/stat -o "$(cut -d' ' -f3 /proc/$p3/stat 2>/dev/null)" = Z
wait $p3 2>/dev/null

off=$(ms cpu_set 3 0)
t_diag "CPU 3 offline took $off ms during a contended enable"
t_ok "CPU 3 offline within 2 s during a contended enable ($off ms)" \
	test "$off" -lt 2000 -a "$(cat /sys/devices/system/cpu/cpu3/online)" = 0
on=$(ms cpu_set 3 1)
t_diag "CPU 3 online took $on ms"
t_ok "CPU 3 online within 2 s during a contended enable ($on ms)" \
	test "$on" -lt 2000 -a "$(cat /sys/devices/system/cpu/cpu3/online)" = 1

sms=$(ms $T status)
st=$($T status)
t_ok "STATUS ioctl within 1 s during the enable ($sms ms)" test "$sms" -lt 1000
t_is "STATUS says initializing, from the snapshot (module info known)" \
	"$(kv state "$st") $(kv version "$st")" "initializing 1.5.08"
nms=$(ms tdxctl status)
t_ok "tdxctl status (netlink or ioctl) within 2 s during the enable ($nms ms)" \
	test "$nms" -lt 2000

wait $p1; r1=$?
wait $p2; r2=$?
t_is "both enables succeed" "$r1 $(kv state "$(cat /tmp/con-1.out)") $r2 $(kv state "$(cat /tmp/con-2.out)")" \
	"0 initialized 0 initialized"
t_is "4 CPUs enabled" "$(kv cpus_enabled "$($T status)")" 4
t_ok "unload the driver" unload_driver
online_all
