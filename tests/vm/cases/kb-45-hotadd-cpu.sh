#!/bin/sh
# vm: smp=2 maxcpus=4 mem=1024 tdxhost=1 boot=45
# vm-lines: tdx tdx-6.18
# A vCPU hot-added by the host after the TDX module was initialized,
# through the kernel's own tdx.c: the TDX module counted the CPUs present
# at boot and refuses TDH.SYS.LP.INIT on a new one after TDH.SYS.CONFIG,
# so tdxctl.ko refuses to online it (a CPU that cannot run TDs must not
# run them); the kernel logs the refused SEAMCALL, the CPU table has its
# errno, the TDX module stays initialized.
. /tests/lib.sh
t_plan 12

t_ok "insmod tdxctl.ko (auto): the kernel backend" insmod $TDX_KO
t_ok "insmod tdxctl_emu.ko hook=1" insmod $EMU_KO hook=1
dmesg_mark kb45a
out=$(/bin/tdxctl enable 2>&1); rc=$?
t_diag "$out"
t_is "enable on the 2 CPUs present: exit 0" "$rc" 0
t_match "the kernel: module initialized" "$(dmesg_since kb45a)" 'virt/tdx: module initialized'
new=$(hotadd_cpu)
t_match "host plugged a vCPU" "$new" '^[0-9]+$'
dmesg_mark kb45b
t_fails "onlining it after init is refused" cpu_set "$new" 1
log=$(dmesg_since kb45b)
t_diag "$log"
t_match "the kernel: the TDX module refused its LP.INIT" "$log" 'virt/tdx: SEAMCALL \(0x0*23\) failed: 0x[0-9a-f]+'
out=$(/bin/tdxctl --json cpu list -c "$new" -o cpu,online,failed,errno)
json_save "$out"
t_diag "$out"
t_match "cpu list: offline, failed, EIO (the TDX module refused it)" "$out" \
	"\\{\"cpu\":$new,\"online\":false,\"failed\":true,\"errno\":\"EIO\"\\}"
out=$(/bin/tdxctl status --json)
json_save "$out"
t_match "status: the TDX module stays initialized" "$out" '"module":\{"state":"initialized"'
t_is "the new CPU stays offline" "$(cat /sys/devices/system/cpu/cpu$new/online)" 0
t_ok "unload tdxctl_emu" rmmod tdxctl_emu
t_ok "unload tdxctl" rmmod tdxctl
