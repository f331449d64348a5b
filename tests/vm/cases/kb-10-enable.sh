#!/bin/sh
# vm: smp=4 mem=1024 tdxhost=1
# vm-lines: tdx tdx-6.18
# The kernel backend end to end: upstream's own TDX host code (tdx.c of
# the line's kernel, unchanged but for the test-only SEAMCALL routing of
# tests/kernel/) initializes the emulated TDX module, driven by
# tdxctl.ko's kernel backend.  The kernel was told a KeyID partitioning
# (tdx_test_keyids=15,48), so its own tdx_init() found a TDX platform;
# tdxctl_emu.ko hook=1 answers its SEAMCALLs and puts every CPU in
# simulated VMX operation.
. /tests/lib.sh
t_plan 30

klog=$(dmesg)
t_match "the kernel found a TDX platform (its own tdx_init())" "$klog" 'virt/tdx: BIOS enabled: private KeyID range \[16, 64\)'
t_match "... from the test KeyID partitioning" "$klog" 'virt/tdx: test: KeyID partitioning from tdx_test_keyids=: 15 MKTME, 48 TDX'
t_match "/proc/cpuinfo: tdx_host_platform" "$(grep -m1 '^flags' /proc/cpuinfo)" ' tdx_host_platform( |$)'

dmesg_mark kb10a
t_ok "insmod tdxctl.ko (auto): the kernel backend" insmod $TDX_KO
t_match "... it says so" "$(dmesg_since kb10a)" 'tdxctl: backend kernel, /dev/tdx_host ready'

out=$(/bin/tdxctl status --json); rc=$?
json_save "$out"
t_diag "$out"
t_match "status before enable: regime on-demand, module uninitialized" "$out" '"regime":"on-demand".*"module":\{"state":"uninitialized"'

# with no CPU in VMX operation the kernel's SEAMCALLs would #UD: refused
dmesg_mark kb10b
out=$(/bin/tdxctl enable 2>&1); rc=$?
t_diag "$out" "$(dmesg_since kb10b)"
t_is "enable with VMX off everywhere: refused, exit 4" "$rc" 4
t_match "... the kernel log names VMX" "$(dmesg_since kb10b)" 'VMX is off on CPU'
t_match "... tdxctl says a CPU is out of VMX operation" "$out" 'not in VMX operation, which the kernel.s TDX code needs'
t_match "... and why no KVM VM could turn it on: no /dev/kvm" "$out" 'no /dev/kvm: KVM is not loaded'
t_match "... and what to do" "$out" '^hint: load kvm_intel'
out=$(/bin/tdxctl enable --in-kernel 2>&1); rc=$?
t_diag "$out"
t_is "enable --in-kernel with VMX off: exit 4 too (the driver returns the CPUs' EACCES)" "$rc" 4
t_match "... naming VMX, not a sticky TDX module failure" "$out" 'not in VMX operation, which the kernel.s TDX code needs'
out=$(/bin/tdxctl --json cpu list -o cpu,failed,errno); rc=$?
json_save "$out"
t_diag "$out"
t_match "cpu list: every CPU failed with EACCES (VMX off), not EIO" "$out" \
	'"cpu_table":\[\{"cpu":0,"failed":true,"errno":"EACCES"\},\{"cpu":1,"failed":true,"errno":"EACCES"\}'

dmesg_mark kb10c
t_ok "insmod tdxctl_emu.ko hook=1" insmod $EMU_KO hook=1
t_match "... the kernel's SEAMCALLs go to the emulated TDX module" "$(dmesg_since kb10c)" 'virt/tdx: test: SEAMCALLs now go to a test handler \(tdxctl_emu\)'
t_is "... every online CPU in simulated VMX operation" "$(cat /sys/kernel/debug/tdxctl_emu/vmx)" "$(cat /sys/devices/system/cpu/online)"

dmesg_mark kb10d
out=$(/bin/tdxctl enable 2>&1); rc=$?
log=$(dmesg_since kb10d)
t_diag "$out" "$log"
t_is "tdxctl enable through the kernel's tdx.c: exit 0" "$rc" 0
t_match "the kernel: module initialized" "$log" 'virt/tdx: module initialized'
t_match "the kernel: PAMT allocated" "$log" 'virt/tdx: [0-9]+ KB allocated for PAMT'
t_diag "$(cat /sys/kernel/debug/tdxctl_emu/model)" "$(cat /sys/kernel/debug/tdxctl_emu/calls)"
t_match "the emulated TDX module is ready" "$(cat /sys/kernel/debug/tdxctl_emu/model)" 'ready'

out=$(/bin/tdxctl status --json); rc=$?
json_save "$out"
t_diag "$out"
t_match "status: on-demand, module initialized" "$out" '"regime":"on-demand".*"module":\{"state":"initialized"'
t_is "status: exit 0" "$rc" 0
# where the kernel exports tdx_get_sysinfo() (6.14+), what it read of the
# TDX module is what the emulated module was given: MAX_TDMRS 64, its
# TDX_FEATURES0; elsewhere the kernel backend cannot know them
if grep -q ' tdx_get_sysinfo$' /proc/kallsyms; then
	t_match "status: max_tdmrs from tdx_get_sysinfo() = the model's 64" "$out" '"max_tdmrs":64[,}]'
	t_match "status: features0 from tdx_get_sysinfo() = the model's" "$out" "\"features0\":\"?(0x0*1f0f3a|$((0x1f0f3a)))\"?"
else
	t_match "status: max_tdmrs unknown without tdx_get_sysinfo()" "$out" '"max_tdmrs":null'
	t_match "status: features0 unknown without tdx_get_sysinfo()" "$out" '"features0":null'
fi
t_ok "unload tdxctl_emu (the kernel keeps its TDX state)" rmmod tdxctl_emu
t_ok "unload tdxctl" rmmod tdxctl

# loaded again, the driver finds the kernel's TDX module initialized where
# the kernel says so (tdx_get_sysinfo(), 6.14+); elsewhere it cannot know
t_ok "insmod tdxctl.ko again" insmod $TDX_KO
out=$(/bin/tdxctl status --json)
json_save "$out"
t_diag "$out"
if grep -q ' tdx_get_sysinfo$' /proc/kallsyms; then
	t_match "status: initialized from the start (the kernel says so)" "$out" '"module":\{"state":"initialized"'
else
	t_match "status: uninitialized (the kernel does not say)" "$out" '"module":\{"state":"uninitialized"'
fi
t_ok "unload tdxctl" rmmod tdxctl
