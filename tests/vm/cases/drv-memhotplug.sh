#!/bin/sh
# vm: smp=2 mem=1024 maxmem=4096
# vm-lines: 6.1 6.12 7.x
# Memory hotplug against TDX memory: DIMMs plugged by the host through
# QMP (512 MiB each, above 4 GiB), onlined through sysfs.
# - A DIMM plugged and onlined before module enable is TDX memory after
#   it: a TDMR more, PAMT for it.
# - After enable, a DIMM outside TDX memory cannot be onlined (the memory
#   notifier refuses it), the kernel log says why, the module stays up.
# - Reloaded, before enable, that DIMM onlines and enable includes it.
# The emulated platform takes its CMRs from the System RAM present when it
# loads (a DIMM plugged, even offline, counts), so each DIMM is plugged
# before the platform that must cover it is loaded.
# Not on the debug line: its kernel has no CONFIG_MEMORY_HOTPLUG.
. /tests/lib.sh
t_plan 16

a=$(hotadd_mem 512)
t_match "host plugged DIMM A (4 blocks of 128 MiB)" "$a" '^([0-9]+ ){4}$'
t_ok "DIMM A onlines before the driver is loaded" mem_online $a
plan=$(tdmr_plan)
t_diag "expected TDMRs, covered and PAMT bytes: $plan"

load_driver || { t_fail load; exit 1; }
out=$($T enable --all-cpus); rc=$?
t_is "module enable with DIMM A online" "$rc $(kv state "$out")" "0 initialized"
st=$($T status)
t_is "two TDMRs: RAM below 1 GiB, DIMM A above 4 GiB" "$(kv nr_tdmrs "$st")" "${plan%% *}"
t_is "PAMT covers DIMM A's TDMR too" "$(kv pamt_kb "$st")" "$(( $(echo $plan | cut -d' ' -f3) / 1024 ))"
first=${a%% *}
bs=$(( 0x$(cat /sys/devices/system/memory/block_size_bytes) ))
a_start=$(printf '0x%x' $(( first * bs )))
t_match "DIMM A is TDX memory" "$(cat $D/tdmrs)" "^memory $a_start 0x[0-9a-f]+ node="

b=$(hotadd_mem 512)
t_match "host plugged DIMM B" "$b" '^([0-9]+ ){4}$'
b1=${b%% *}
dmesg_mark mh1
t_fails "DIMM B cannot be onlined after enable" mem_online $b1
t_match "kernel log says why" "$(dmesg_since mh1)" \
	"tdxctl_emu: memory \[0x[0-9a-f]+, 0x[0-9a-f]+\) not onlined: not TDX memory"
t_is "DIMM B stays offline" "$(mem_state $b1)" offline
t_is "module stays initialized" "$(kv state "$($T status)")" initialized
dmesg_mark mh2
unload_driver
t_is "unload: nothing leaked" "$(dmesg_since mh2 | grep -c 'leak at unload')" 0

load_driver || { t_fail reload; exit 1; }
t_ok "reloaded, before enable: DIMM B onlines" mem_online $b
plan=$(tdmr_plan)
out=$($T enable --all-cpus); rc=$?
t_is "module enable with DIMM B online" "$rc $(kv state "$out")" "0 initialized"
t_is "TDMRs and PAMT as the memory map needs" \
	"$(kv nr_tdmrs "$($T status)") $(kv pamt_kb "$($T status)")" \
	"${plan%% *} $(( $(echo $plan | cut -d' ' -f3) / 1024 ))"
t_match "DIMMs A and B are TDX memory" "$(cat $D/tdmrs)" \
	"^memory $a_start $(printf '0x%x' $(( (first + 8) * bs ))) node="
t_diag "$(grep -v '^reserved' $D/tdmrs)"
unload_driver
