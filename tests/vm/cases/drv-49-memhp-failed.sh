#!/bin/sh
# vm: smp=2 mem=1024 maxmem=2048
# vm-lines: 6.1 6.12 7.x
# Memory hotplug after a failed module enable: the TDMRs are kept only
# for as long as an enable holds them, so after a failure before CONFIG
# (nothing kept) and after a sticky one (the TDMRs and PAMTs freed) the
# memory notifier lets any memory go online again.  A DIMM plugged (and
# left offline) before the platform loads, so it is inside the CMRs;
# its blocks are onlined one at a time.
# Not on the debug line: its kernel has no CONFIG_MEMORY_HOTPLUG.
. /tests/lib.sh
t_plan 11

a=$(hotadd_mem 512)
t_match "host plugged a DIMM (4 blocks of 128 MiB)" "$a" '^([0-9]+ ){4}$'
set -- $a
load_driver || { t_fail load; exit 1; }

# a failure before CONFIG, after the TDMRs were chosen (2nd PAMT allocation)
echo 2 > $D/fail_pamt_alloc
out=$($T enable --all-cpus); rc=$?
t_is "PAMT allocation failing: ENOMEM at tdmr_build, uninitialized" "$rc $(kv step "$out") $(kv state "$out")" "12 tdmr_build uninitialized"
dmesg_mark mf1
t_ok "after the early failure: a DIMM block goes online" mem_online $1
t_is "... and the kernel log refused nothing" "$(dmesg_since mf1 | grep -c 'not onlined')" 0
t_is "... the block is online" "$(mem_state $1)" online

# a sticky failure at CONFIG, the onlined block inside the CMRs
echo "config TDX_INVALID_PAMT" > $D/inject
out=$($T enable); rc=$?
t_is "CONFIG failing: EIO, state error" "$rc $(kv step "$out") $(kv state "$out")" "5 config error"
t_is "PAMT freed" "$(cat $D/pamt_bytes)" 0
dmesg_mark mf2
t_ok "after the sticky failure: another DIMM block goes online" mem_online $2
t_is "... and the kernel log refused nothing" "$(dmesg_since mf2 | grep -c 'not onlined')" 0
t_is "the module stays in state error" "$(kv state "$($T status)")" error
dmesg_mark mf3
unload_driver
t_is "unload: nothing leaked" "$(dmesg_since mf3 | grep -c 'leak at unload')" 0
