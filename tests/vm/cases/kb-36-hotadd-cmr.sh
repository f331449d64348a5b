#!/bin/sh
# vm: smp=2 mem=1024 maxmem=2048 tdxhost=1 boot=36
# vm-lines: tdx tdx-6.18
# Memory added after boot, through the kernel's own tdx.c: the emulated
# TDX module's CMRs are the RAM present when it loads (as a BIOS makes
# them at boot); a DIMM plugged afterwards onlines (the kernel refuses
# non-TDX memory only once TDX is up), and the kernel's TDMRs include it
# (memblock keeps hot-added memory).  check warns first, enable warns,
# TDH.SYS.CONFIG refuses (outside the CMRs) and the kernel keeps that
# failure; explain decodes the status the kernel logged; status,
# monitor and diag say EIO as the kernel log does.
. /tests/lib.sh
t_plan 22

kb_load
out=$(/bin/tdxctl check --only memory.cmr 2>&1)
t_diag "$out"
t_match "check before: all System RAM is in the BIOS memory map" "$out" '^PASS +memory\.cmr +all [0-9]+ MiB of System RAM is in the BIOS memory map of boot$'
a=$(hotadd_mem 512)
t_match "host plugged a DIMM (4 blocks of 128 MiB)" "$a" '^([0-9]+ ){4}$'
t_ok "before enable, the kernel lets it online" mem_online $a
out=$(/bin/tdxctl check --only memory.cmr 2>&1)
t_diag "$out" "$(grep 'System RAM' /proc/iomem)"
t_match "check after: WARN, 512 MiB added after boot, outside the CMRs" "$out" \
	'^WARN +memory\.cmr +512 MiB of System RAM was added after boot \(not in the BIOS memory map\) \(first \[0x[0-9a-f]+-0x[0-9a-f]+\]\): outside the CMRs'

kb_fail_enable "memory added after boot"
t_match "enable warned first" "$_kb_out" '^tdxctl: warning: 512 MiB of System RAM was added after boot'
# the TDMRs (TDX_TDMR_OUTSIDE_CMRS), a PAMT (TDX_PAMT_OUTSIDE_CMRS) or the
# TDMR_INFO array (TDX_OPERAND_INVALID, operand TDMR_INFO_PA) in the DIMM,
# whichever the kernel's allocations put there
t_match "the kernel: TDH.SYS.CONFIG refused, memory outside the CMRs" "$_kb_log" \
	'virt/tdx: SEAMCALL \(0x0*2d\) failed: 0xc0000(a02|a11|100)00000[0-9a-f]{3}'
code=$(printf '%s\n' "$_kb_log" | sed -n 's/.*virt\/tdx: SEAMCALL (0x[0-9a-f]*) failed: \(0x[0-9a-f]*\).*/\1/p' | head -n 1)
t_match "explain $code (from the kernel log): the CMRs or TDMR_INFO_PA" "$(/bin/tdxctl explain "$code" 2>&1)" 'outside the CMRs|TDMR_INFO_PA'
t_match "enable names the step from the kernel log" "$_kb_out" 'kernel log: TDH\.SYS\.CONFIG failed: TDX_[A-Z_]+ 0xc0000'
t_match "... and so does status" "$(/bin/tdxctl status 2>&1)" 'cause: .*kernel log: TDH\.SYS\.CONFIG failed: TDX_[A-Z_]+ 0xc0000'
kb_verdicts EIO 5
kb_retry_fails
