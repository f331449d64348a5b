#!/bin/sh
# vm: smp=4 mem=1024
# tdxctl against the real driver (emulated backend): every command, text
# and JSON, exit codes, the precondition of module enable, idempotence.
. /tests/lib.sh
t_plan 73
X=/bin/tdxctl
ncpu=$(grep -c ^processor /proc/cpuinfo)
last=$((ncpu - 1))
unload_driver

# --- no driver ---
t_rc "status without the driver: exit 4" 4 $X status
out=$(jx $X --json status)
t_match "status --json without the driver: unavailable" "$out" '"module":\{"state":"unavailable"'
# (the guest has /boot/config-RELEASE: the regime is decided, no host core
# on Debian's kernels, host core without a TDX platform on the tdx line)
t_match "status --json without the driver: error code 4, the regime, a hint" "$out" '"regime":"no-(host-core|platform)".*"error":\{"code":4,"name":"not-supported","errno":null,"message":"(no kernel TDX host core|not a TDX host)[^"]*","hint":"[^"]+"'
t_rc "enable without the driver: exit 4" 4 $X enable
t_rc "version without the driver: exit 0" 0 $X version

# --- loaded, nothing enabled ---
t_ok "load the driver (emulated backend)" load_driver
out=$($X version)
t_match "version: driver ABI 1" "$out" '^  ABI version: +1$'
t_match "version: emulated backend" "$out" '^  backend: +emulated$'
out=$(jx $X -j version)
t_match "version --json: driver" "$out" '"driver":\{"loaded":true,"version":"[^"]+","abi_version":1,"backend":"emulated","reason":null\}'
t_match "-V is version" "$($X -V)" '^tdxctl: +[0-9]'

out=$($X status); rc=$?
t_is "status: exit 0" "$rc" 0
t_match "status: uninitialized" "$out" '^  state: +uninitialized$'
t_match "status: first line says what to do" "$out" "^TDX: +not enabled yet: 0 of $ncpu online CPUs TDX-enabled; run 'tdxctl enable'\$"
t_match "status: backend emulated" "$out" '^  backend: +emulated$'
t_match "status: every CPU online, none enabled" "$out" "^  online, not enabled: +0-$last\$"
t_match "status: no failure" "$out" '^  failure: +none$'
out=$(jx $X -j status --cpus)
t_match "status --json: uninitialized" "$out" '"module":\{"state":"uninitialized","source":"driver"'
t_match "status --json: CPU counts" "$out" "\"cpus\":\\{\"possible\":$ncpu,\"present\":$ncpu,\"online\":$ncpu,\"enabled\":0,\"module_lp_count\":$ncpu,\"module_packages\":1,\"offline_list\":\\[\\],"
t_match "status --json: KeyIDs" "$out" '"global_keyid":16,"guest_keyids":\{"first":17,"count":47\}'
t_is "status --json: cpu_table has every CPU" "$(printf '%s' "$out" | grep -o '"cpu":[0-9]*,"online":true,"enabled":false' | wc -l)" "$ncpu"
t_match "status --json: one document, error null" "$out" '^\{"schema_version":2,"command":"status",.*"error":null\}$'

out=$($X cpu list)
t_is "cpu list: a row per CPU" "$(printf '%s\n' "$out" | grep -cE '^ *[0-9]+ +yes +no ')" "$ncpu"
t_match "cpu list -o: chosen columns" "$($X cpu list -o cpu,enabled 1)" '^CPU ENABLED$'

# --- module enable checks the precondition and names the CPUs ---
out=$($X module enable 2>&1); rc=$?
t_is "module enable before the CPUs: exit 6" "$rc" 6
t_match "module enable names the CPUs" "$out" "CPUs 0-$last are online but not TDX-enabled"
t_match "module enable did not touch the TDX module" "$($X status)" '^  state: +uninitialized$'

out=$($X cpu enable 0-1); rc=$?
t_is "cpu enable 0-1: exit 0" "$rc" 0
t_match "cpu enable: CPU 1 enabled" "$out" '^cpu 1: enabled$'
out=$($X cpu enable 0-1)
t_match "cpu enable again: already-enabled" "$out" '^cpu 1: already-enabled$'
out=$(jx $X -j cpu enable 1)
t_match "cpu enable --json: record" "$out" '"cpus":\[\{"cpu":1,"result":"already-enabled","step":null,"tdx_status":null,"status_name":null,"errno":null\}\]'
out=$($X module enable 2>&1); rc=$?
t_is "module enable with CPUs 2+ missing: exit 6" "$rc" 6
t_match "module enable names the missing CPUs" "$out" "CPUs 2-$last are online but not TDX-enabled"
t_rc "bad CPU list: exit 2" 2 $X cpu enable 0-99
t_match "bad CPU list is named" "$($X cpu enable 0-99 2>&1)" "out of range \\(possible CPUs: 0-$last\\)"

# --- enable: the rest of the CPUs, then the TDX module ---
out=$($X enable); rc=$?
t_is "enable: exit 0" "$rc" 0
t_match "enable: CPU 0 already enabled" "$out" '^cpu 0: already-enabled$'
t_match "enable: CPU 2 enabled" "$out" '^cpu 2: enabled$'
t_match "enable: summary" "$out" "^$ncpu CPUs: $((ncpu - 2)) enabled, 2 already enabled\$"
t_match "enable: TDX module initialized" "$out" '^TDX module: initialized, version 1\.5\.08$'
t_diag "$out"

out=$($X status)
t_match "status: initialized" "$out" '^  state: +initialized$'
t_match "status: first line says ready" "$out" "^TDX: +ready: TDX module 1\\.5\\.08 initialized, $ncpu of $ncpu online CPUs TDX-enabled\$"
t_match "status: version" "$out" '^  version: +1\.5\.08$'
t_match "status: PAMT" "$out" '^  PAMT: +4108 KiB$'
t_match "status: how long module enable took" "$out" '^  enable took: +[0-9.]+ (s|ms|us|ns)$'
t_match "status: TDMRs" "$out" '^  TDMRs: +1$'
t_match "status: features named" "$out" '^  features: .*no_rbp_mod'
t_match "status: every CPU enabled" "$out" '^  online, not enabled: +none$'
t_diag "$out"
out=$(jx $X -j status)
t_match "status --json: initialized, no error" "$out" '"module":\{"state":"initialized","source":"driver","reason":null,"version":"1\.5\.08",'
t_match "status --json: PAMT and TDMRs" "$out" '"error":null,"enable_ns":[0-9]+,"step_ns":\{[^}]*\},"max_tdmrs":64,"tdmrs":1,"pamt_kb":4108,'
t_match "status --json: step times from the driver" "$out" '"step_ns":\{"preflight":[0-9a-z]+,"sys_init":[0-9]+,"lp_init":[0-9]+,"sys_rd":[0-9]+,"tdmr_build":[0-9]+,"config":[0-9]+,"key_config":[0-9]+,"tdmr_init":[0-9]+\}'
t_match "status --json: every CPU enabled" "$out" "\"enabled\":$ncpu,\"module_lp_count\":$ncpu,\"module_packages\":1,\"offline_list\":\\[\\],\"not_enabled_list\":\\[\\]"
t_match "status --json: features0 as a 0x string" "$out" '"features0":"0x[0-9a-f]{16}"'

out=$(jx $X -j enable); rc=$?
t_is "enable again: exit 0" "$rc" 0
t_match "enable again --json: already-initialized" "$out" '"module":\{"result":"already-initialized","state":"initialized"'
t_is "enable again --json: every CPU already enabled" "$(printf '%s' "$out" | grep -o '"result":"already-enabled"' | wc -l)" "$ncpu"
t_rc "module enable when initialized: exit 0" 0 $X module enable
out=$($X enable --in-kernel); rc=$?
t_is "enable --in-kernel when initialized: exit 0" "$rc" 0

# --- check in a guest: the VM is named, hardware n/a, driver and module pass ---
out=$($X check); rc=$?
t_is "check in a VM: exit 4" "$rc" 4
t_match "check: says it runs in a VM" "$out" '^WARN  env\.virtualization +running in a virtual machine'
t_match "check: BIOS checks n/a" "$out" '^N/A   bios\.keyids +not applicable in a virtual machine'
t_match "check: driver loaded" "$out" '^PASS  driver\.loaded +loaded, backend emulated$'
t_match "check: TDX module initialized" "$out" '^PASS  module\.state +initialized, version 1\.5\.08$'
t_diag "$out"
out=$(jx $X -j check -v)
t_match "check --json: environment" "$out" '"environment":"virtual-machine"'
t_match "check --json: error code 4" "$out" '"error":\{"code":4,"name":"not-supported"'

# --- -q keeps the code; explain ---
out=$($X -q check); rc=$?
t_is "-q check: exit 4 kept" "$rc" 4
t_is "-q check: nothing on stdout" "$out" ""
t_match "explain a status code" "$($X explain 0xc000050c00000000)" '^name: +TDX_SYS_CONFIG_NOT_PENDING$'

# --- not root: the device is 0600 ---
R=/tests/bin/runas
out=$($R 65534 $X status 2>&1); rc=$?
t_is "status as nobody: exit 5" "$rc" 5
t_match "status as nobody: says root is needed" "$out" 'permission denied'
t_rc "enable as nobody: exit 5" 5 $R 65534 $X enable
out=$(jx $R 65534 $X -j status); rc=$?
t_is "status --json as nobody: exit 5" "$rc" 5
t_match "status --json as nobody: error object" "$out" '"error":\{"code":5,'

t_ok "unload the driver" unload_driver
