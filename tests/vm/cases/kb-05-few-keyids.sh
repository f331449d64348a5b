#!/bin/sh
# vm: smp=4 mem=1024 tdxhost=1 keyids=1
# vm-lines: tdx tdx-6.18
# The kernel refusing TDX at boot for a reason other than the BIOS's TDX
# switch: one TDX KeyID (tdx_test_keyids=15,1), fewer than the 2 Linux
# needs, so upstream's own tdx_init() logs "too few private KeyIDs" and
# sets no tdx_host_platform flag.  tdxctl.ko's kernel backend refuses to
# load and points at the kernel's reason; status, check and enable name
# that reason and its fix, from the kernel log, not a BIOS guess.
. /tests/lib.sh
t_plan 10

klog=$(dmesg)
t_match "the kernel: too few private KeyIDs" "$klog" 'virt/tdx: initialization failed: too few private KeyIDs available'
t_fails "/proc/cpuinfo: no tdx_host_platform" grep -q ' tdx_host_platform' /proc/cpuinfo

dmesg_mark kb05a
t_fails "insmod tdxctl.ko (auto): refused, no usable backend" insmod $TDX_KO
t_match "... pointing at the kernel's own reason" "$(dmesg_since kb05a)" \
	"tdxctl: not loaded: no usable backend: the kernel's TDX host core is present, but it found no usable TDX platform at boot .*its virt/tdx: lines say why"

out=$(/bin/tdxctl status 2>&1); rc=$?
t_diag "$out"
t_match "status: unavailable, the kernel's reason" "$out" 'too few private KeyIDs'
t_match "... and its fix: more TDX KeyIDs in the BIOS" "$out" 'raise the TDX KeyID count in the BIOS'
out=$(/bin/tdxctl status --json)
json_save "$out"
t_match "status --json: the module unavailable" "$out" '"module":\{"state":"unavailable"'
out=$(/bin/tdxctl check --only kernel.log,kernel.tdx_host_platform 2>&1)
t_diag "$out"
t_match "check kernel.log: FAIL quoting the kernel" "$out" '^FAIL +kernel\.log +.*too few private KeyIDs'
out=$(/bin/tdxctl enable 2>&1); rc=$?
t_diag "$out"
t_fails "enable: refused" test "$rc" = 0
t_match "... with the KeyID fix, not 'enable TDX in the BIOS'" "$out" 'raise the TDX KeyID count in the BIOS'
