#!/bin/sh
# vm: smp=4 mem=1024 tdxhost=1 boot=35
# vm-lines: tdx tdx-6.18
# The PAMT allocation failing, through the kernel's own tdx.c: memory is
# fragmented (tdxctl_emu's "fragment" keeps one unmovable page in every
# 2 MiB block, as a long-running host's kernel allocations do), so no
# physically contiguous range of the PAMT's size can be had.  check
# warns first; enable compacts memory, which cannot help, and warns; the
# kernel's tdx_enable() fails with ENOMEM and keeps that failure, with no
# SEAMCALL past the metadata reads; status, monitor, explain and diag say
# ENOMEM as the kernel log does.
. /tests/lib.sh
t_plan 22
D=/sys/kernel/debug/tdxctl_emu

kb_load
out=$(/bin/tdxctl check --only memory.pamt 2>&1)
t_diag "$out" "$(cat /proc/buddyinfo)"
t_match "check before: the PAMT fits in the free 4 MiB blocks" "$out" '^PASS +memory\.pamt +the PAMT needs about 4\.0 MiB'
t_ok "fragment memory" sh -c "echo 1 > $D/fragment"
t_match "... one page kept in each of many 2 MiB blocks" "$(cat $D/fragment)" '^[0-9]{3,}$'
out=$(/bin/tdxctl check --only memory.pamt 2>&1)
t_diag "$out" "$(cat /proc/buddyinfo)"
t_match "check after: WARN, the allocation depends on compaction" "$out" \
	'^WARN +memory\.pamt +the PAMT needs about 4\.0 MiB of physically contiguous memory; 0 MiB free in 4 MiB blocks: the allocation depends on compaction$'

kb_fail_enable "memory fragmented"
t_match "enable warned first: still short after compacting, and the kernel keeps a failure" "$_kb_out" \
	'^tdxctl: warning: the PAMT needs about 4\.0 MiB .* after compacting memory: the allocation may fail \(ENOMEM\), and the kernel keeps that failure until reboot$'
t_match "enable: out of memory, with the PAMT's need" "$_kb_out" \
	'TDX module enable: out of memory for the TDMRs and PAMT; the PAMT needs about 4\.0 MiB'
t_match "... and what to do after the reboot it needs" "$_kb_out" '^hint: the kernel keeps this failure until reboot'
t_is "no SEAMCALL reached the TDX module past the metadata reads" \
	"$(grep -E '^(config|key_config|tdmr_init) ' $D/calls | tr '\n' ' ')" "key_config 0 tdmr_init 0 config 0 "
kb_verdicts ENOMEM 12
t_ok "give the pages back" sh -c "echo 0 > $D/fragment"
kb_retry_fails
