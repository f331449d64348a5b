#!/bin/sh
# vm: smp=4 mem=1024
# CPU hotplug after each kind of failed enable, and the STATUS counters
# while an enabled CPU is offline.  After an early (retryable) failure and
# after a sticky one (state error), an enabled CPU goes offline and online
# again: never vetoed, still enabled, no second LP.INIT.  After a CPU's
# own LP.INIT failure, onlining it runs LP.INIT again (refused while the
# TDX module refuses it, as documented).  cpus_enabled counts every CPU
# that ran LP.INIT, offline ones too; cpus_online only online ones;
# module_lp_count what the TDX module counted at boot.
. /tests/lib.sh
t_plan 33

cpu_row() { $T table | grep "^cpu=$1 "; }
lps() { sed -n "s/^$1 lp_init //p" "$D/calls_per_cpu"; }
# counts: "online enabled lp_count" of STATUS
counts() { _s=$($T status); echo "$(kv cpus_online "$_s") $(kv cpus_enabled "$_s") $(kv module_lp_count "$_s")"; }

# -- an early failure (TDH.SYS.RD), then CPU 3 offline and online
load_driver || { t_fail "load"; exit 1; }
echo "sys_rd TDX_METADATA_FIELD_NOT_READABLE skip=3" > $D/inject
out=$($T enable --all-cpus); rc=$?
t_is "early: module enable fails at sys_rd, uninitialized" "$rc $(kv step "$out") $(kv state "$out")" "5 sys_rd uninitialized"
t_ok "early: CPU3 goes offline" cpu_set 3 0
t_is "early, CPU3 offline: cpus_online 3, cpus_enabled 4, module_lp_count 4" "$(counts)" "3 4 4"
t_match "early, CPU3 offline: table says offline, enabled" "$(cpu_row 3)" 'online=0 enabled=1 failed=0'
t_ok "early: CPU3 onlines again" cpu_set 3 1
t_match "early: CPU3 online, enabled, no failure" "$(cpu_row 3)" 'online=1 enabled=1 failed=0'
t_is "early: no second LP.INIT on CPU3" "$(lps 3)" 1
t_is "early, CPU3 back: 4 4 4" "$(counts)" "4 4 4"
out=$($T enable); rc=$?
t_is "early: the retry succeeds after the hotplug" "$rc $(kv state "$out")" "0 initialized"

# -- initialized: the counters while an enabled CPU is offline
t_ok "initialized: CPU2 goes offline" cpu_set 2 0
t_is "initialized, CPU2 offline: 3 4 4" "$(counts)" "3 4 4"
t_is "initialized, CPU2 offline: state stays initialized" "$(kv state "$($T status)")" initialized
t_ok "initialized: CPU2 onlines again" cpu_set 2 1
t_is "initialized, CPU2 back: 4 4 4" "$(counts)" "4 4 4"
unload_driver

# -- a sticky failure (TDH.SYS.CONFIG): state error, then hotplug
load_driver || { t_fail "reload"; exit 1; }
echo "config TDX_INVALID_PAMT" > $D/inject
out=$($T enable --all-cpus); rc=$?
t_is "sticky: module enable fails at config, state error" "$rc $(kv step "$out") $(kv state "$out")" "5 config error"
t_ok "sticky: CPU1 goes offline (never vetoed)" cpu_set 1 0
t_is "sticky, CPU1 offline: 3 4 4" "$(counts)" "3 4 4"
dmesg_mark hpf1
t_ok "sticky: CPU1 onlines again (enabled before: nothing to refuse)" cpu_set 1 1
t_is "sticky: nothing refused in the kernel log" "$(dmesg_since hpf1 | grep -c 'not onlined')" 0
t_match "sticky: CPU1 online, enabled, no failure" "$(cpu_row 1)" 'online=1 enabled=1 failed=0'
t_is "sticky: no second LP.INIT on CPU1" "$(lps 1)" 1
t_is "sticky: 4 4 4, state still error at config" "$(counts) $(kv state "$($T status)") $(kv err_step "$($T status)")" "4 4 4 error config"
unload_driver

# -- LP.INIT failing on CPU2 (twice), then CPU2 offline and online
load_driver || { t_fail "reload 2"; exit 1; }
echo "lp_init TDX_INCONSISTENT_CPUID_FIELD cpu=2 count=2" > $D/inject
out=$($T enable --all-cpus); rc=$?
t_is "LP.INIT: module enable fails at lp_init on CPU2" "$rc $(kv step "$out") $(kv state "$out")" "5 lp_init uninitialized"
t_ok "LP.INIT: CPU2 goes offline" cpu_set 2 0
t_is "LP.INIT, CPU2 offline: 3 3 4" "$(counts)" "3 3 4"
dmesg_mark hpf2
t_fails "LP.INIT: CPU2's online refused while the TDX module refuses LP.INIT" cpu_set 2 1
t_match "LP.INIT: the kernel log says so" "$(dmesg_since hpf2)" 'CPU2: TDX per-CPU init failed .*0xc000090200000000.*: CPU not onlined'
t_match "LP.INIT: CPU2 offline, failed, not enabled" "$(cpu_row 2)" 'online=0 enabled=0 failed=1 .*tdx_status=0xc000090200000000'
t_ok "LP.INIT: CPU2 onlines once the TDX module takes its LP.INIT" cpu_set 2 1
t_match "LP.INIT: CPU2 online, enabled, the failure record gone" "$(cpu_row 2)" 'online=1 enabled=1 failed=0 .*tdx_status=0x0000000000000000'
t_is "LP.INIT: CPU2 ran LP.INIT three times (two refused)" "$(lps 2)" 3
t_is "LP.INIT, CPU2 back: 4 4 4" "$(counts)" "4 4 4"
out=$($T enable); rc=$?
t_is "LP.INIT: module enable then succeeds" "$rc $(kv state "$out")" "0 initialized"
unload_driver
online_all
