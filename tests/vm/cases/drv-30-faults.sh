#!/bin/sh
# vm: smp=4 mem=1024
# A failure injected at each init step.  From TDH.SYS.CONFIG on (and a
# failed TDH.SYS.INIT) module enable fails with EIO, the error is sticky
# with the right step and status; before CONFIG (metadata, PAMT
# allocation, a module refused) the state stays uninitialized and a retry
# runs again.  No PAMT is left allocated either way.  A per-CPU (LP.INIT)
# failure is not sticky.
. /tests/lib.sh
t_plan 44

# fault NAME INJECT|- STEP STATUS ERRNO [insmod params...]: a failure from
# TDH.SYS.CONFIG on, where the TDX module's once-only rules start: sticky
fault() {
	_n=$1 _inj=$2 _step=$3 _st=$4 _err=$5; shift 5
	load_driver "$@" || { t_fail "$_n: load"; return; }
	inject "$_inj"
	out=$($T enable --all-cpus); rc=$?
	t_is "$_n: module enable fails" "$rc" "$_err"
	t_is "$_n: failing step and status" "$(kv step "$out") $(kv tdx_status "$out")" "$_step $_st"
	st=$($T status)
	t_is "$_n: status shows the sticky error" "$(kv state "$st") $(kv err_step "$st") $(kv err_tdx_status "$st") $(kv err_errno "$st")" "error $_step $_st $_err"
	out=$($T enable --all-cpus); rc=$?
	t_is "$_n: enable again: EIO with the first failure" "$rc $(kv step "$out") $(kv tdx_status "$out") $(kv err_errno "$out")" "5 $_step $_st $_err"
	t_is "$_n: PAMT freed" "$(cat $D/pamt_bytes) $(kv pamt_kb "$($T status)")" "0 0"
	unload_driver
}

# early NAME INJECT|- STEP STATUS ERRNO RETRY [insmod params...]: a failure
# before TDH.SYS.CONFIG leaves the TDX module untouched: not sticky, the
# state stays uninitialized, and a retry runs again (RETRY: its exit
# status and state; the injected faults are one-shot)
early() {
	_n=$1 _inj=$2 _step=$3 _st=$4 _err=$5 _retry=$6; shift 6
	load_driver "$@" || { t_fail "$_n: load"; return; }
	inject "$_inj"
	out=$($T enable --all-cpus); rc=$?
	t_is "$_n: module enable fails" "$rc" "$_err"
	t_is "$_n: failing step, status, errno in the reply" "$(kv step "$out") $(kv tdx_status "$out") $(kv err_errno "$out") $(kv state "$out")" "$_step $_st $_err uninitialized"
	st=$($T status)
	t_is "$_n: not sticky: state uninitialized, no error record" "$(kv state "$st") $(kv err_step "$st") $(kv err_tdx_status "$st") $(kv err_errno "$st")" "uninitialized none 0x0000000000000000 0"
	t_is "$_n: PAMT freed" "$(cat $D/pamt_bytes) $(kv pamt_kb "$st")" "0 0"
	out=$($T enable --all-cpus); rc=$?
	t_is "$_n: enable again runs again" "$rc $(kv state "$out")" "$_retry"
	unload_driver
}

inject() {
	case "$1" in
	-) ;;
	pamt) echo 2 > $D/fail_pamt_alloc ;;
	*) echo "$1" > $D/inject ;;
	esac
}

fault "SYS.INIT" "sys_init TDX_INCORRECT_CPUID_VALUE" sys_init 0xc000090000000000 5
early "SYS.RD" "sys_rd TDX_METADATA_FIELD_NOT_READABLE skip=3" sys_rd 0xc0000c0200000000 5 "0 initialized"
early "TDMR build (2nd PAMT allocation)" pamt tdmr_build 0x0000000000000000 12 "0 initialized"
fault "CONFIG" "config TDX_INVALID_PAMT" config 0xc0000a1000000000 5
fault "KEY.CONFIG" "key_config TDX_KEY_GENERATION_FAILED" key_config 0x8000080000000000 5
fault "TDMR.INIT" "tdmr_init 0xc000010000000001 skip=100" tdmr_init 0xc000010000000001 5
early "module without NO_RBP_MOD" - sys_rd 0x0000000000000000 95 "95 uninitialized" features0=0

# LP.INIT failing on one CPU: per-CPU state, not sticky
load_driver || t_fail "load"
echo "lp_init TDX_INCONSISTENT_CPUID_FIELD cpu=2" > $D/inject
out=$($T enable --all-cpus); rc=$?
t_is "LP.INIT on CPU2: module enable fails" "$rc $(kv step "$out") $(kv tdx_status "$out")" "5 lp_init 0xc000090200000000"
t_is "LP.INIT on CPU2: state stays uninitialized" "$(kv state "$out")" uninitialized
t_match "LP.INIT on CPU2: CPU table records the failure" "$($T table | grep '^cpu=2 ')" 'enabled=0 failed=1 .*tdx_status=0xc000090200000000'
out=$($T cpu-enable 2); rc=$?
t_is "LP.INIT on CPU2: retry of that CPU succeeds" "$rc $(kv outcome "$out")" "0 enabled"
out=$($T enable); rc=$?
t_is "LP.INIT on CPU2: module enable then succeeds" "$rc $(kv state "$out")" "0 initialized"
unload_driver

# SYS.INIT failing through a per-CPU enable: cached, the module is in error
load_driver || t_fail "load"
echo "sys_init TDX_SYS_INCOMPATIBLE_SIGSTRUCT" > $D/inject
out=$($T cpu-enable 1); rc=$?
t_is "SYS.INIT via cpu-enable: EIO, step sys_init" "$rc $(kv outcome "$out") $(kv step "$out")" "5 failed sys_init"
out=$($T cpu-enable 0); rc=$?
t_is "SYS.INIT result is cached for the next CPU" "$rc $(kv tdx_status "$out")" "5 0xc000050a00000000"
t_is "SYS.INIT ran once" "$(sed -n 's/^sys_init //p' $D/calls)" 1
t_is "state is error" "$(kv state "$($T status)")" error
unload_driver
