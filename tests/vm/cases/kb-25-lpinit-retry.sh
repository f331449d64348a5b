#!/bin/sh
# vm: smp=4 mem=1024 tdxhost=1 boot=25
# vm-lines: tdx tdx-6.18
# A per-CPU init failure, through the kernel's own tdx.c: the kernel does
# not mark the CPU initialized, so it is not sticky: tdxctl says which CPU
# failed, leaves the TDX module uninitialized, and the next enable takes
# that CPU and then the TDX module.
. /tests/lib.sh
t_plan 11
D=/sys/kernel/debug/tdxctl_emu

t_ok "insmod tdxctl.ko (auto): the kernel backend" insmod $TDX_KO
t_ok "insmod tdxctl_emu.ko hook=1" insmod $EMU_KO hook=1
echo "lp_init TDX_INCONSISTENT_CPUID_FIELD cpu=2 count=1" > $D/inject

dmesg_mark kb25a
out=$(/bin/tdxctl enable 2>&1); rc=$?
log=$(dmesg_since kb25a)
t_diag "$out" "$log"
t_fails "enable with LP.INIT failing on CPU 2: fails" test "$rc" = 0
t_match "the kernel: the SEAMCALL failed with the injected status" "$log" 'virt/tdx: SEAMCALL \(0x[0-9a-f]+\) failed: 0xc000090200000000'
out=$(/bin/tdxctl status --json)
json_save "$out"
t_diag "$out"
t_match "status: module uninitialized (retryable), CPU 2 not enabled" "$out" '"state":"uninitialized".*"not_enabled_list":\[2\]'
out=$(/bin/tdxctl --json cpu list -c 2 -o cpu,failed,errno)
t_diag "$out"
t_match "cpu list: CPU 2 failed with EIO (the TDX module refused it)" "$out" '\{"cpu":2,"failed":true,"errno":"EIO"\}'

dmesg_mark kb25b
out=$(/bin/tdxctl enable 2>&1); rc=$?
t_diag "$out" "$(dmesg_since kb25b)"
t_is "the retry: exit 0" "$rc" 0
t_match "the kernel: module initialized" "$(dmesg_since kb25b)" 'virt/tdx: module initialized'
t_match "CPU 2 ran LP.INIT twice, the others once" "$(cat $D/calls_per_cpu)" '^2 lp_init 2$'
t_ok "unload tdxctl_emu" rmmod tdxctl_emu
t_ok "unload tdxctl" rmmod tdxctl
