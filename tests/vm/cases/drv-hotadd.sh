#!/bin/sh
# vm: smp=2 maxcpus=4
# vm-lines: 6.1 debug
# A vCPU hot-added by the host: before global init it is left alone and
# can be enabled; after TDH.SYS.CONFIG the TDX module refuses its
# LP.INIT, so the driver refuses to online it.
. /tests/lib.sh
t_plan 11

load_driver || { t_fail load; exit 1; }
t_is "TDX module counted the 2 CPUs present at load" "$(kv module_lp_count "$($T status)")" 2
out=$($T enable --all-cpus); rc=$?
t_is "module enable on 2 CPUs" "$rc $(kv state "$out")" "0 initialized"
new=$(hotadd_cpu)
t_match "host plugged a vCPU" "$new" '^[0-9]+$'
dmesg_mark ha1
t_fails "onlining it after CONFIG is refused" cpu_set "$new" 1
t_match "kernel log says why" "$(dmesg_since ha1)" "CPU$new: TDX per-CPU init failed .*0xc000050b00000000"
t_match "CPU table: present, offline, failed" "$($T table | grep "^cpu=$new ")" 'present=1 online=0 enabled=0 failed=1'
t_is "module stays initialized" "$(kv state "$($T status)")" initialized
unload_driver

load_driver || { t_fail reload; exit 1; }
t_ok "without the driver's global init the CPU onlines" cpu_set "$new" 1
t_match "and is not enabled" "$($T table | grep "^cpu=$new ")" 'online=1 enabled=0'
out=$($T enable --all-cpus); rc=$?
t_is "module enable with the added CPU" "$rc $(kv state "$out")" "0 initialized"
t_is "3 CPUs enabled" "$(kv cpus_enabled "$($T status)")" 3
unload_driver
