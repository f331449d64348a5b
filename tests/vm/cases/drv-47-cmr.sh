#!/bin/sh
# vm: smp=2 mem=1024 maxmem=2048
# vm-lines: 6.1 6.12 7.x
# Memory onlined after the emulated platform loaded is outside its CMRs
# (made at load, as a BIOS makes them at boot).  Module enable refuses it
# before TDH.SYS.CONFIG, whose failure would be sticky: ERANGE, nothing
# changed, the kernel log names the range.  The platform loaded again (a
# new "boot") covers the DIMM, and enable succeeds.
. /tests/lib.sh
t_plan 12
X=/bin/tdxctl

load_driver || { t_fail load; exit 1; }
a=$(hotadd_mem 512)
t_match "host plugged a DIMM (4 blocks of 128 MiB)" "$a" '^([0-9]+ ){4}$'
t_ok "it onlines before enable" mem_online $a
out=$($X check --only memory.cmr 2>&1)
t_diag "$out"
t_match "check: WARN, 512 MiB added after boot" "$out" '^WARN +memory\.cmr +512 MiB of System RAM was added after boot'
dmesg_mark cmr1
out=$($X enable 2>&1); rc=$?
log=$(dmesg_since cmr1)
t_diag "$out" "$log"
t_fails "enable: refused" test "$rc" = 0
t_match "... before TDH.SYS.CONFIG, ERANGE, nothing changed" "$out" \
	'^tdxctl: TDX module enable refused before TDH\.SYS\.CONFIG: memory is outside the TDX module.s CMRs \(added after boot\); nothing changed$'
t_match "the kernel log names the range" "$log" 'tdxctl_emu: memory \[0x[0-9a-f]+, 0x[0-9a-f]+\) is outside the CMRs'
t_match "the TDX module never saw TDH.SYS.CONFIG" "$(cat $D/calls)" '^config 0$'
st=$($X status --json)
json_save "$st"
t_match "status: uninitialized (a retry may succeed), not error" "$st" '"module":\{"state":"uninitialized"'
unload_driver
load_driver || { t_fail reload; exit 1; }
out=$($X enable 2>&1); rc=$?
t_diag "$out"
t_is "the platform loaded again covers the DIMM: enable exit 0" "$rc" 0
first=${a%% *}
bs=$(( 0x$(cat /sys/devices/system/memory/block_size_bytes) ))
t_match "... and the DIMM is TDX memory" "$(cat $D/tdmrs)" "^memory $(printf '0x%x' $(( first * bs ))) "
st=$($X status --json)
json_save "$st"
t_match "status: initialized" "$st" '"module":\{"state":"initialized"'
dmesg_mark cmr2
unload_driver
t_is "unload: nothing leaked" "$(dmesg_since cmr2 | grep -c 'leak at unload')" 0
