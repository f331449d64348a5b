#!/bin/sh
# vm: smp=4 mem=1024
# tdxctl and TDX module errors (injected into the emulated TDX module): a
# CPU that fails is named with its decoded status and the module is not
# attempted; a module failure is decoded, sticky, and reported by status.
. /tests/lib.sh
t_plan 30
X=/bin/tdxctl
unload_driver

# --- a CPU fails TDH.SYS.LP.INIT ---
t_ok "load the driver" load_driver
echo "lp_init TDX_INCONSISTENT_CPUID_FIELD cpu=2" > $D/inject
out=$($X enable 2>&1); rc=$?
t_diag "$out"
t_is "enable with CPU 2 failing: exit 3 (partial)" "$rc" 3
t_match "CPU 2 failed, status decoded" "$out" '^cpu 2: failed in lp_init: 0xc000090200000000 TDX_INCONSISTENT_CPUID_FIELD$'
t_match "the other CPUs enabled" "$out" '^cpu 3: enabled$'
t_match "the TDX module was not attempted" "$out" '^TDX module: skipped'
t_match "cpu list shows the failure" "$($X -j cpu list -o cpu,enabled,failed,status_name 2)" '\{"cpu":2,"enabled":false,"failed":true,"status_name":"TDX_INCONSISTENT_CPUID_FIELD"\}'
t_match "status: still uninitialized, CPU 2 not enabled" "$($X status)" '^  online, not enabled: +2$'
out=$($X enable); rc=$?
t_is "enable again (the fault was one-shot): exit 0" "$rc" 0
t_match "CPU 2 enabled on retry" "$out" '^cpu 2: enabled$'
t_match "TDX module initialized" "$out" '^TDX module: initialized'
t_ok "unload" unload_driver

# --- TDH.SYS.CONFIG fails: sticky ---
t_ok "load the driver" load_driver
echo "config TDX_INVALID_PAMT" > $D/inject
out=$($X enable 2>&1); rc=$?
t_diag "$out"
t_is "enable, CONFIG fails: exit 1" "$rc" 1
t_match "the failure is decoded" "$out" 'TDX module initialization failed in TDH\.SYS\.CONFIG: TDX_INVALID_PAMT 0xc0000a1000000000'
t_match "and called sticky" "$out" 'sticky until reboot'
out=$($X status)
t_match "status: error" "$out" '^  state: +error$'
t_match "status: first line says failed, sticky" "$out" '^TDX: +failed: TDX module initialization failed in TDH\.SYS\.CONFIG \(TDX_INVALID_PAMT\); sticky until reboot$'
t_match "status: the cause in words" "$out" 'cause: +TDH\.SYS\.CONFIG failed: TDX_INVALID_PAMT \(a PAMT is invalid'
out=$(jx $X -j status)
t_match "status --json: error record" "$out" '"error":\{"step":"config","tdx_status":"0xc0000a1000000000","name":"TDX_INVALID_PAMT","errno":"EIO"'
t_rc "enable again: sticky, exit 6" 6 $X enable
t_rc "module enable: sticky, exit 6" 6 $X module enable
out=$(jx $X -j enable)
t_match "enable --json when sticky: busy" "$out" '"error":\{"code":6,"name":"busy"'
out=$($X check)
t_match "check: module.state fails with the status" "$out" '^FAIL  module\.state +initialization failed in TDH\.SYS\.CONFIG: TDX_INVALID_PAMT'
t_match "explain decodes the code" "$($X explain 0xc0000a1000000000)" '^name: +TDX_INVALID_PAMT$'
t_ok "unload" unload_driver

# --- the driver's parallel path ---
t_ok "load the driver" load_driver
out=$($X enable --in-kernel); rc=$?
t_diag "$out"
t_is "enable --in-kernel: exit 0" "$rc" 0
t_match "enable --in-kernel: module initialized" "$out" '^TDX module: initialized'
t_match "enable --in-kernel: per-CPU records" "$out" '^cpu 3: enabled$'
t_ok "unload" unload_driver
