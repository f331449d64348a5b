#!/bin/sh
# vm: smp=4 mem=1024
# CPU hotplug and the pre-flight: a CPU offline before enable makes module
# enable refuse (EAGAIN, nothing changed, the CPU named); a CPU onlined
# after global init is enabled by the cpuhp callback; enabled CPUs stay
# enabled across offline/online; per-CPU enable errnos.
. /tests/lib.sh
cpu_calls() { sed -n "s/^$1 $2 //p" "$D/calls_per_cpu"; }
cpu_row() { $T table | grep "^cpu=$1 "; }
N=$(grep -c ^processor /proc/cpuinfo)
L=$((N - 1))
# one cpu-enable check per CPU
t_plan $((26 + N))

load_driver || { t_fail "load"; exit 1; }

# -- offline before enable
cpu_set $L 0
dmesg_mark hp1
out=$($T enable --all-cpus); rc=$?
t_is "CPU$L offline: module enable refused with EAGAIN" "$rc" 11
t_is "refusal names the pre-flight step" "$(kv step "$out")" preflight
t_is "state still uninitialized" "$(kv state "$($T status)")" uninitialized
t_match "kernel log names CPU $L" "$(dmesg_since hp1)" "offline CPUs not enabled: \\[$L\\]"
t_is "nothing sticky ran (no CONFIG)" "$(calls config)" 0
t_is "no PAMT allocated" "$(cat $D/pamt_bytes)" 0
t_is "online CPUs were enabled" "$(kv cpus_enabled "$($T status)")" $L
out=$($T cpu-enable $L); rc=$?
t_is "cpu-enable of an offline CPU: ENXIO" "$rc" 6
out=$($T cpu-enable 4096); rc=$?
t_is "cpu-enable of a CPU that does not exist: ENOENT" "$rc" 2

# -- online it: global init ran, so the cpuhp callback enables it
t_ok "online CPU$L again" cpu_set $L 1
t_match "CPU$L enabled by the cpuhp callback" "$(cpu_row $L)" 'enabled=1'
t_is "CPU$L ran LP.INIT once, on itself" "$(cpu_calls $L lp_init)" 1
out=$($T enable); rc=$?
t_is "module enable now succeeds" "$rc/$(kv state "$out")" "0/initialized"

# -- after enable: offline/online keeps the CPU enabled, no new LP.INIT
t_ok "offline CPU2 after enable" cpu_set 2 0
t_is "status still initialized with CPU2 offline" "$(kv state "$($T status)")" initialized
t_ok "online CPU2 again" cpu_set 2 1
t_match "CPU2 still enabled" "$(cpu_row 2)" 'enabled=1'
t_is "no LP.INIT for a CPU enabled before" "$(calls lp_init)" $N
t_match "enabled_ns kept from the first enable" "$(cpu_row 2)" 'enabled_ns=[1-9]'
unload_driver

# -- online CPUs not enabled, without --all-cpus
load_driver || { t_fail "reload"; exit 1; }
dmesg_mark hp2
out=$($T enable); rc=$?
t_is "enable without enabled CPUs: EAGAIN" "$rc" 11
t_match "kernel log names the online CPUs not enabled" "$(dmesg_since hp2)" "online CPUs not enabled: \\[0-$L\\]"
t_is "no SEAMCALL at all yet" "$(calls sys_init)/$(calls lp_init)" "0/0"
for c in $(seq 0 $L); do
	out=$($T cpu-enable $c); rc=$?
	t_is "cpu-enable $c" "$rc/$(kv outcome "$out")" "0/enabled"
done
t_is "SYS.INIT ran once, for the first CPU" "$(calls sys_init)" 1
out=$($T enable); rc=$?
t_is "module enable after per-CPU enables" "$rc/$(kv state "$out")" "0/initialized"
unload_driver

# -- hotplug churn while enabling
load_driver || { t_fail "reload 2"; exit 1; }
( for i in 1 2 3 4 5; do cpu_set 1 0; cpu_set 1 1; done ) &
churn=$!
for i in 1 2 3 4 5; do $T cpu-enable 2 >/dev/null; $T status >/dev/null; done
wait $churn
online_all
out=$($T enable --all-cpus); rc=$?
t_is "enable after hotplug churn" "$rc/$(kv state "$out")" "0/initialized"
t_is "each CPU ran LP.INIT exactly once" "$(cat $D/calls_per_cpu | grep -c ' lp_init 1$')" $N
unload_driver
online_all
