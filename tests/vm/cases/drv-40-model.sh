#!/bin/sh
# vm: smp=4 mem=1024
# The emulated TDX module's own ordering rules, through raw SEAMCALLs
# (debugfs "seamcall"): out-of-order calls get the TDX module's status
# codes, before and after the driver initialized it; SYS_BUSY while
# another CPU holds the module's global lock.
. /tests/lib.sh
t_plan 39
# sc LEAF [REGS] [cpu=N]: status of one raw SEAMCALL
sc() { echo "$*" > $D/seamcall && sed -n 's/^status=\(0x[0-9a-f]*\).*/\1/p' $D/seamcall; }
reg() { sed -n "s/.* $1=\(0x[0-9a-f]*\).*/\1/p" $D/seamcall; }

load_driver || { t_fail load; exit 1; }
t_is "LP.INIT before SYS.INIT: SYS_LP_INIT_NOT_PENDING" "$(sc lp_init cpu=1)" 0xc000050b00000000
t_is "CONFIG before SYS.INIT: SYS_CONFIG_NOT_PENDING" "$(sc config 0 1 16)" 0xc000050c00000000
t_is "KEY.CONFIG before CONFIG: SYS_KEY_CONFIG_NOT_PENDING" "$(sc key_config)" 0xc000050700000000
t_is "TDMR.INIT before SYS_READY: SYS_NOT_READY" "$(sc tdmr_init 0)" 0xc000050500000000
t_is "a leaf this module lacks, before ready: SYS_NOT_READY" "$(sc 69)" 0xc000050500000000
t_is "leaf version 1: OPERAND_INVALID|RAX" "$(sc 0x10021)" 0xc000010000000000
t_is "SYS.INIT with RCX set: OPERAND_INVALID|RCX" "$(sc sys_init 1)" 0xc000010000000001
t_is "SYS.INIT" "$(sc sys_init 0 cpu=2)" 0x0000000000000000
t_is "SYS.INIT twice: SYS_INIT_NOT_PENDING" "$(sc sys_init 0 cpu=1)" 0xc000050000000000
t_is "SYS.RD on an LP without LP.INIT: SYS_LP_INIT_NOT_DONE" "$(sc sys_rd 0 0x0800000200000000 cpu=1)" 0xc000050200000000
t_is "LP.INIT on CPU1" "$(sc lp_init cpu=1)" 0x0000000000000000
t_is "LP.INIT twice on CPU1: SYS_LP_INIT_DONE" "$(sc lp_init cpu=1)" 0xc000050300000000
t_is "SYS.RD vendor ID" "$(sc sys_rd 0 0x0800000200000000 cpu=1) $(reg r8)" "0x0000000000000000 0x8086"
t_is "SYS.RD version fields" "$(sc sys_rd 0 0x0800000100000004 cpu=1 >/dev/null; reg r8).$(sc sys_rd 0 0x0800000100000003 cpu=1 >/dev/null; reg r8).$(sc sys_rd 0 0x0800000100000005 cpu=1 >/dev/null; reg r8)" "0x1.0x5.0x8"
t_is "SYS.RD MAX_TDMRS / MAX_RESERVED_PER_TDMR" "$(sc sys_rd 0 0x9100000100000008 cpu=1 >/dev/null; reg r8) $(sc sys_rd 0 0x9100000100000009 cpu=1 >/dev/null; reg r8)" "0x40 0x10"
t_is "SYS.RD CMR 0 base is RAM" "$(sc sys_rd 0 0x9000000300000080 cpu=1)" 0x0000000000000000
t_is "SYS.RD null field ID: first field ID returned" "$(sc sys_rd 0 0xffffffffffffffff cpu=1) $(reg rdx)" "0x00000c0b00000000 0x200000000"
t_is "SYS.RD unknown field: FIELD_ID_INCORRECT" "$(sc sys_rd 0 0x0800000100000077 cpu=1)" 0xc0000c0000000000
t_is "CONFIG before every LP ran LP.INIT: SYS_CONFIG_NOT_PENDING" "$(sc config 0 1 16 cpu=1)" 0xc000050c00000000
# every LP initialized: CONFIG would now read TDMRs at the test's addresses
for c in 0 2 3; do sc lp_init cpu=$c > /dev/null; done
dmesg_mark raw1
t_fails "raw CONFIG past its ordering checks: refused" sh -c "echo 'config 0x1000 1 16' > $D/seamcall"
t_match "... the log says why" "$(dmesg_since raw1)" 'raw TDH.SYS.CONFIG refused'
# the driver now meets a TDX module initialized behind its back
out=$($T enable --all-cpus); rc=$?
t_is "driver: its SYS.INIT gets SYS_INIT_NOT_PENDING, sticky" "$rc $(kv step "$out") $(kv tdx_status "$out") $(kv state "$out")" "5 sys_init 0xc000050000000000 error"
unload_driver

load_driver || { t_fail load; exit 1; }
out=$($T enable --all-cpus) || t_fail "enable"
t_is "ready: SYS.INIT again: SYS_INIT_NOT_PENDING" "$(sc sys_init)" 0xc000050000000000
t_is "ready: LP.INIT after CONFIG: SYS_LP_INIT_NOT_PENDING" "$(sc lp_init)" 0xc000050b00000000
t_is "ready: CONFIG again: SYS_CONFIG_NOT_PENDING" "$(sc config 0 1 16)" 0xc000050c00000000
t_is "ready: KEY.CONFIG after all packages: SYS_KEY_CONFIG_NOT_PENDING" "$(sc key_config)" 0xc000050700000000
t_is "ready: TDMR.INIT on a done TDMR: TDMR_ALREADY_INITIALIZED" "$(sc tdmr_init 0)" 0x00000a0300000000
t_is "ready: TDMR.INIT not 1G-aligned: OPERAND_INVALID|RCX" "$(sc tdmr_init 0x1000)" 0xc000010000000001
t_is "ready: TDMR.INIT not a TDMR base: OPERAND_INVALID|RCX" "$(sc tdmr_init 0x40000000)" 0xc000010000000001
t_is "ready: a leaf this module lacks: OPERAND_INVALID" "$(sc 69)" 0xc000010000000000
t_is "ready: LP.SHUTDOWN succeeds" "$(sc lp_shutdown)" 0x0000000000000000
unload_driver

# A failed enable past CONFIG frees the PAMTs: the TDX module keeps no
# TDMR pointing at them, so raw TDMR.INITs cannot write freed memory
# (the debug kernel's KASAN would report it)
load_driver || { t_fail load; exit 1; }
echo "key_config 0x8000080000000000" > $D/inject
out=$($T enable --all-cpus)
t_is "enable fails at KEY.CONFIG: sticky" "$(kv state "$out") $(kv step "$out")" "error key_config"
echo clear > $D/inject
sc key_config > /dev/null
i=0 bad=
while [ $i -lt 300 ]; do
	st=$(sc tdmr_init 0)
	[ "$st" = 0xc000010000000001 ] || bad="$bad $i:$st"
	i=$((i + 1))
done
t_is "300 raw TDMR.INITs on the freed TDMR: OPERAND_INVALID|RCX each" "$bad" ""
unload_driver

# SYS_BUSY: CONFIG modelled to take 1.5 s holds the global lock
load_driver latency_us=config=1500000 || { t_fail load; exit 1; }
$T enable --all-cpus > /tmp/busy.out &
bg=$!
i=0
while [ "$(sed -n 's/^config //p' $D/calls)" != 1 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
t_is "status while the enable runs: initializing" "$(kv state "$($T --ro status)")" initializing
t_is "KEY.CONFIG while another CPU is in CONFIG: SYS_BUSY" "$(sc key_config)" 0x8000020200000000
out=$($T cpu-enable 1); rc=$?
t_is "cpu-enable while the enable runs: waits, then already" "$rc $(kv outcome "$out")" "0 already"
t_is "SYS.RD needs no global lock" "$(sc sys_rd 0 0x0800000200000000)" 0x0000000000000000
wait $bg
t_is "the enable holding the lock succeeds" "$(kv state "$(cat /tmp/busy.out)")" initialized
t_match "CONFIG time includes the modelled cost" "$(kv step_ns_config "$($T status)")" '^(1[5-9]|[2-9][0-9])[0-9]{8}$'
unload_driver
