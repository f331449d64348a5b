#!/bin/sh
# vm: smp=4 mem=4096 numa=2
# The errnos of the ABI's DOC block that no other case reaches: ENOSPC
# (a memory map the TDX module's MAX_TDMRS cannot describe: not sticky),
# ENODEV (no TDX module: SEAMCALL VMfailInvalid at TDH.SYS.INIT, which is
# cached, so sticky), EACCES (SEAMCALL #UD: CPU not in VMX operation) and
# EOPNOTSUPP from a SEAMCALL #GP (SEAM mode off: not sticky before
# CONFIG).  Two NUMA nodes and the PCI hole need more than one TDMR.
. /tests/lib.sh
t_plan 14

t_fails "max_tdmrs=0: not loaded" load_driver max_tdmrs=0
t_fails "max_tdmrs=65: not loaded" load_driver max_tdmrs=65

# ENOSPC
load_driver max_tdmrs=1 || { t_fail "load max_tdmrs=1"; exit 1; }
dmesg_mark en1
out=$($T enable --all-cpus); rc=$?
t_is "one TDMR for two nodes: ENOSPC at tdmr_build" "$rc $(kv step "$out") $(kv state "$out")" "28 tdmr_build uninitialized"
t_match "the log says why" "$(dmesg_since en1)" 'TDMRs exhausted'
st=$($T status)
t_is "not sticky: no error record, no PAMT kept" "$(kv state "$st") $(kv err_errno "$st") $(cat $D/pamt_bytes)" "uninitialized 0 0"
t_is "the TDX module saw no CONFIG" "$(calls config)" 0
unload_driver

# ENODEV: no TDX module behind SEAMCALL
load_driver || { t_fail load; exit 1; }
echo "sys_init TDX_SEAMCALL_VMFAILINVALID" > $D/inject
out=$($T cpu-enable 0); rc=$?
t_is "SYS.INIT VMfailInvalid: cpu-enable ENODEV" "$rc $(kv step "$out")" "19 sys_init"
st=$($T status)
t_is "... cached for everyone: state error, errno ENODEV" "$(kv state "$st") $(kv err_step "$st") $(kv err_errno "$st")" "error sys_init 19"
out=$($T enable --all-cpus); rc=$?
t_is "module enable then: EIO with the first failure" "$rc $(kv err_errno "$out")" "5 19"
unload_driver

# EACCES: SEAMCALL #UD on one CPU
load_driver || { t_fail load; exit 1; }
echo "lp_init TDX_SEAMCALL_UD cpu=1" > $D/inject
out=$($T cpu-enable 1); rc=$?
t_is "LP.INIT #UD on CPU1: EACCES, outcome failed" "$rc $(kv outcome "$out") $(kv step "$out")" "13 failed lp_init"
out=$($T cpu-enable 1); rc=$?
t_is "per-CPU, not sticky: the retry enables it" "$rc $(kv outcome "$out")" "0 enabled"
unload_driver

# EOPNOTSUPP: SEAMCALL #GP reading metadata
load_driver || { t_fail load; exit 1; }
echo "sys_rd TDX_SEAMCALL_GP" > $D/inject
out=$($T enable --all-cpus); rc=$?
t_is "SYS.RD #GP: EOPNOTSUPP before CONFIG" "$rc $(kv step "$out") $(kv state "$out")" "95 sys_rd uninitialized"
out=$($T enable --all-cpus); rc=$?
t_is "not sticky: the retry initializes" "$rc $(kv state "$out")" "0 initialized"
unload_driver
t_is "nothing left loaded" "$(grep -cE '^tdxctl(_emu)? ' /proc/modules)" 0
