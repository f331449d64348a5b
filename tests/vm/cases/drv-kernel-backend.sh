#!/bin/sh
# vm: smp=4 mem=1024
# vm-lines: tdx tdx-6.18
# The kernel backend on a kernel with the TDX host core (the tdx line,
# 6.12, and the tdx-6.18 line).  QEMU has no TDX: tdxctl.ko, auto or
# backend=kernel, refuses to load with its one-line reason, and the
# emulated platform still works.  The KUnit suite of the backend glue (the
# kernel's calls replaced by fakes) passes: order, interrupts off, CPU
# hotplug held off, errnos, VMX off, the cpuhp callback; where the kernel
# has tdx_get_sysinfo()
# (6.14-6.18) also what the backend reads of the module through it.
. /tests/lib.sh
t_plan 11
KUNIT_KO=/lib/modules/tdxctl_kunit.ko

t_match "the kernel's TDX host core is here" "$(grep -E ' (tdx_enable|tdx_cpu_enable)$' /proc/kallsyms | sort -k3)" ' tdx_cpu_enable$'
dmesg_mark kb1
t_fails "insmod tdxctl.ko (auto): refused" insmod $TDX_KO
t_match "... saying why" "$(dmesg_since kb1)" "tdxctl: not loaded: no usable backend: the kernel's TDX host core is present, but it found no usable TDX platform at boot \\(no tdx_host_platform CPU flag; its virt/tdx: lines say why"
t_fails "insmod tdxctl.ko backend=kernel: refused" insmod $TDX_KO backend=kernel
t_ok "the emulated platform works on this kernel too" load_driver
t_ok "unload it" unload_driver

# without the driver, tdxctl names the regime from what the guest shows
out=$(/bin/tdxctl status); rc=$?
t_diag "$out"
t_is "tdxctl status: not a TDX host, exit 4" "$rc" 4
out=$(/bin/tdxctl status --json)
json_save "$out"
t_match "tdxctl status --json: host core present, no TDX platform" "$out" '"regime":"no-platform",.*"host_core":true,"tdx_host_platform":false'

# 7 cases; 3 more where the kernel has tdx_get_sysinfo()
nkunit=7 sysinfo=no
if grep -q ' tdx_get_sysinfo$' /proc/kallsyms; then
	nkunit=10 sysinfo=yes
fi
t_diag "the kernel has tdx_get_sysinfo(): $sysinfo; KUnit cases expected: $nkunit"
dmesg_mark kb2
t_ok "the KUnit suite of the kernel backend loads" insmod $KUNIT_KO
out=$(dmesg_since kb2)
t_diag "$out"
t_match "KUnit: every case ran and passed ($nkunit)" "$out" "# tdxctl_kernel_backend: pass:$nkunit fail:0 skip:0 total:$nkunit"
t_match "KUnit: the suite is ok" "$out" 'ok [0-9]+ tdxctl_kernel_backend'
rmmod tdxctl_kunit
