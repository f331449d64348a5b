#!/bin/sh
# vm: smp=4 mem=1024 tdxhost=1 boot=20
# vm-lines: tdx tdx-6.18
# The most common real failure, through the kernel's own tdx.c: no TDX
# module loaded.  TDH.SYS.INIT fails with VMfailInvalid, the kernel says
# "module not loaded" and keeps that result for as long as it runs: the
# driver reports a sticky global-init failure (not a retryable one), and a
# retry after the TDX module "appears" fails the same way, as upstream
# makes it.
. /tests/lib.sh
t_plan 11
D=/sys/kernel/debug/tdxctl_emu

t_ok "insmod tdxctl.ko (auto): the kernel backend" insmod $TDX_KO
t_ok "insmod tdxctl_emu.ko hook=1" insmod $EMU_KO hook=1
echo 0 > $D/loaded

dmesg_mark kb20a
out=$(/bin/tdxctl enable 2>&1); rc=$?
log=$(dmesg_since kb20a)
t_diag "$out" "$log"
t_fails "enable with no TDX module: fails" test "$rc" = 0
t_match "the kernel: module not loaded" "$log" 'virt/tdx: module not loaded'

out=$(/bin/tdxctl status --json); rc=$?
json_save "$out"
t_diag "$out"
t_match "status: error, sticky" "$out" '"state":"error".*sticky until reboot'
t_match "... errno ENODEV" "$out" '"errno":"ENODEV"'

# the kernel keeps TDH.SYS.INIT's first result: nothing can bring it back
echo 1 > $D/loaded
out=$(/bin/tdxctl enable 2>&1); rc=$?
t_diag "$out"
t_fails "a retry after the TDX module appeared: fails still" test "$rc" = 0
out=$(/bin/tdxctl status --json)
json_save "$out"
t_match "... status still says error, ENODEV" "$out" '"state":"error".*"errno":"ENODEV"'
t_match "the emulated TDX module never saw TDH.SYS.INIT" "$(cat $D/calls)" '^sys_init 0$|^sys_init +0$'
t_ok "unload tdxctl_emu" rmmod tdxctl_emu
t_ok "unload tdxctl" rmmod tdxctl
