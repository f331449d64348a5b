#!/bin/sh
# vm: smp=4 mem=1024 tdxhost=1 boot=40
# vm-lines: tdx tdx-6.18
# CPU hotplug on the kernel backend, through the kernel's own tdx.c.  A
# CPU that comes online out of VMX operation (as with KVM gone, or on
# 6.8-6.11 with no VM) comes online all the same and is enabled later,
# once VMX is back; after module init, CPUs go offline and online again
# as often as wanted.
. /tests/lib.sh
t_plan 14
D=/sys/kernel/debug/tdxctl_emu

t_ok "insmod tdxctl.ko (auto): the kernel backend" insmod $TDX_KO
t_ok "insmod tdxctl_emu.ko hook=1" insmod $EMU_KO hook=1
t_ok "global and per-CPU init on CPU 0" /bin/tdxctl cpu enable 0

# CPU 3 comes back out of VMX operation: online, not enabled
echo 0 > $D/vmx_on_online
t_ok "CPU 3 offline" cpu_set 3 0
dmesg_mark kb40a
t_ok "CPU 3 online out of VMX operation: it comes online" cpu_set 3 1
t_diag "$(dmesg_since kb40a)"
t_is "... and is online" "$(cat /sys/devices/system/cpu/cpu3/online)" 1
out=$(/bin/tdxctl status --json)
json_save "$out"
t_match "... not enabled" "$out" '"not_enabled_list":\[[0-9,]*3\]'

# VMX back: the next enable takes it, and the TDX module with it
echo 1 > $D/vmx_on_online
echo "on 3" > $D/vmx
dmesg_mark kb40b
out=$(/bin/tdxctl enable 2>&1); rc=$?
t_diag "$out" "$(dmesg_since kb40b)"
t_is "tdxctl enable: every CPU, then the TDX module: exit 0" "$rc" 0
t_match "the kernel: module initialized" "$(dmesg_since kb40b)" 'virt/tdx: module initialized'

n=0 bad=0
while [ $n -lt 5 ]; do
	cpu_set 2 0 || bad=$((bad + 1))
	cpu_set 2 1 || bad=$((bad + 1))
	n=$((n + 1))
done
t_is "5 offline/online cycles of CPU 2 after init" "$bad" 0
out=$(/bin/tdxctl status --json); rc=$?
json_save "$out"
t_match "status: initialized, every CPU enabled" "$out" '"state":"initialized".*"enabled":4'
t_is "status: exit 0" "$rc" 0
t_ok "unload tdxctl_emu" rmmod tdxctl_emu
t_ok "unload tdxctl" rmmod tdxctl
