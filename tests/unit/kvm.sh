#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# kvm.sh - VMX operation from a held KVM VM (the kernel backend).  On the
# kernel backend tdxctl's enables open /dev/kvm and create a VM before the
# first CPU or module enable, and hold it to the end: the fake device
# (novmx=1) refuses every enable with EACCES unless a VM of the fake
# /dev/kvm is held.  Without KVM, or with KVM refusing, the error says
# what failed and what to do, and nothing changes.
#
# usage: kvm.sh TDXCTL FAKEDEV_SO SCHEMA_DIR
set -u

PLAN=62

HERE=$(cd "$(dirname "$0")" && pwd)
# ok, notok, diag, bail, rc_is, has, hasnt, tap_start
. "$HERE/tap-helpers.sh"
tap_start kvm "$@"
fixtures_and_fake

# state NAME REGEX: the fake device's state file matches
state() { has "$1" "$TDXFAKE_STATE" "$2"; }

# the fake /dev/kvm, and where tdxctl looks for it
export TDXFAKE_KVM=$WORK/kvm
export TDXCTL_KVM_DEVICE=$WORK/kvm
KB="backend=2"	# the kernel backend

### a VM held: every CPU, then the TDX module (6 checks) ###
fake_reset $KB novmx=1
rc_is "enable holds a VM: exit 0" 0 "$FK" "$FD" -v enable
has "-v says it holds a VM of the KVM device" "$WORK/err" "holding a VM of $WORK/kvm open"
state "every CPU enabled (each enable came with the VM held)" '^enabled=0,1,2,3$'
state "the TDX module initialized" '^state=2$'
fake_reset $KB novmx=1
rc_is "cpu enable holds a VM too: exit 0" 0 "$FK" "$FD" cpu enable 0-3
rc_is "module enable holds a VM too: exit 0" 0 "$FK" "$FD" module enable

### no KVM: the error says so, nothing changes (8 checks) ###
export TDXCTL_KVM_DEVICE=$WORK/no-kvm
fake_reset $KB novmx=1
rc_is "enable without KVM: exit 4" 4 "$FK" "$FD" enable
has "... names the missing device" "$WORK/err" "no $WORK/no-kvm: KVM is not loaded"
has "... says the CPU is out of VMX operation" "$WORK/err" 'not in VMX operation, which the kernel.s TDX code needs'
has "... hint: load kvm_intel" "$WORK/err" '^hint: load kvm_intel \(modprobe kvm_intel\)'
hasnt "... not the 'run as root' of EACCES on open" "$WORK/err" 'run as root'
state "... no CPU enabled" '^calls=1$'
fake_reset $KB novmx=1 enabled=0,1,2,3
rc_is "module enable without KVM: exit 4" 4 "$FK" "$FD" module enable
state "... the TDX module untouched" '^state=0$'

### JSON: the error object (3 checks) ###
fake_reset $KB novmx=1
rc_is "enable --json without KVM: exit 4" 4 "$FK" "$FD" --json enable
has "... error errno EACCES, code 4" "$WORK/out" '"error":\{"code":4,"name":"not-supported","errno":"EACCES"'
cp "$WORK/out" "$WORK/doc.json"
if python3 "$HERE/validate.py" "$SCHEMAS" "$WORK/doc.json" > "$WORK/v" 2>&1; then ok "... valid against its schema"; else
	notok "... valid against its schema"; diag < "$WORK/v"; fi

### KVM refusing the VM (3 checks) ###
export TDXCTL_KVM_DEVICE=$WORK/kvm
fake_reset $KB novmx=1
TDXFAKE_KVM_REFUSE=16 tdx "$FK" "$FD" cpu enable 0
if [ "$rc" = 4 ]; then ok "KVM refusing a VM: exit 4"; else notok "KVM refusing a VM: exit $rc, wanted 4"; diag < "$WORK/err"; fi
has "... says KVM refused to create a VM" "$WORK/err" 'KVM refused to create a VM, so VMX stays off \(Device or resource busy\)'
state "... no CPU enabled" '^enabled=$'

### the per-CPU errno: VMX off is EACCES per CPU, not the TDX module's EIO,
### and not sticky (10 checks) ###
export TDXCTL_KVM_DEVICE=$WORK/no-kvm
fake_reset $KB novmx=1
rc_is "enable --in-kernel without KVM: exit 4" 4 "$FK" "$FD" enable --in-kernel
has "... the CPUs' error is EACCES, out of VMX operation" "$WORK/out" '^cpu 0: error: EACCES'
has "... the error says VMX, not the TDX module" "$WORK/err" 'not in VMX operation, which the kernel.s TDX code needs'
hasnt "... not 'sticky until reboot'" "$WORK/err" 'sticky until reboot'
rc_is "cpu list -o cpu,failed,errno --json: exit 0" 0 "$FK" "$FD" --json cpu list -o cpu,failed,errno
has "... every CPU failed with EACCES" "$WORK/out" \
	'"cpu_table":\[\{"cpu":0,"failed":true,"errno":"EACCES"\},\{"cpu":1,"failed":true,"errno":"EACCES"\}'
export TDXCTL_KVM_DEVICE=$WORK/kvm
rc_is "with KVM back, enable exit 0: VMX-off failures were not sticky" 0 "$FK" "$FD" enable --in-kernel
state "... every CPU enabled" '^enabled=0,1,2,3$'
# the TDX module refusing a CPU: EIO, per CPU, not sticky
fake_reset backend=1 fail=2:0xc000060000000000
rc_is "a CPU the TDX module refuses, enable --in-kernel: exit 1" 1 "$FK" "$FD" enable --in-kernel
has "... says per-CPU, not sticky, and that the TDX module was not attempted" "$WORK/err" \
	'the TDX module refused TDH.SYS.LP.INIT on a CPU: .* the TDX module was not attempted'

### other backends never open /dev/kvm (4 checks) ###
export TDXCTL_KVM_DEVICE=$WORK/no-kvm
fake_reset backend=1
rc_is "the emulated backend: enable exit 0 without KVM" 0 "$FK" "$FD" -v enable
hasnt "... and -v says nothing of KVM" "$WORK/err" 'KVM|kvm'
# the kernel backend with VMX on already (kvm_intel loaded, 6.12+): a
# missing /dev/kvm is no error
fake_reset $KB
rc_is "the kernel backend with VMX on: exit 0 without /dev/kvm" 0 "$FK" "$FD" -v enable
has "... -v says it could not hold a VM" "$WORK/err" "no $WORK/no-kvm: KVM is not loaded"

### 6.16-6.18 (kvm_intel has a tdx parameter): a failure also keeps KVM's
### TDX from loading (5 checks) ###
export TDXCTL_KVM_DEVICE=$WORK/kvm
fake_reset $KB
rc_is "no tdx parameter (before 6.16): enable exit 0" 0 "$FK" "$FD" enable
hasnt "... and no note before it" "$WORK/err" 'keeps kvm_intel from loading'
fake_reset $KB
mkdir -p "$FAKE/sys/module/kvm_intel/parameters"
echo N > "$FAKE/sys/module/kvm_intel/parameters/tdx"
rc_is "with the parameter: enable exit 0" 0 "$FK" "$FD" enable
has "... says first that a failure would keep kvm_intel tdx=1 from loading" "$WORK/err" \
	'^tdxctl: note: a failed TDX module initialization is sticky until reboot, and on this kernel it also keeps kvm_intel from loading with tdx=1$'
fake_reset $KB state=3 err_errno=5
mkdir -p "$FAKE/sys/module/kvm_intel/parameters"
echo N > "$FAKE/sys/module/kvm_intel/parameters/tdx"
# a TDX host: on demand, with the kernel backend
sed -i '/^flags/s/$/ tdx_host_platform/' "$FAKE/proc/cpuinfo"
tdx "$FK" "$FD" check --only kvm.tdx
has "check: after a failure kvm.tdx warns that kvm_intel cannot load with tdx=1" "$WORK/out" \
	'^WARN +kvm\.tdx +kvm_intel\.tdx=N and the TDX module.s initialization failed: until reboot kvm_intel cannot load with tdx=1'

### the driver loaded after the kernel's TDX module was initialized, on a
### kernel that does not tell the driver (before 6.14): its log does (2 checks) ###
fake_reset $KB
echo '[   30.000000] virt/tdx: module initialized' >> "$FAKE/dev/kmsg"
tdx "$FK" "$FD" status
has "status: ready, from the kernel log, and enable records it" "$WORK/out" \
	"^TDX: +ready: the kernel's TDX module is initialized \\(kernel log: by KVM or an earlier load of the driver\\); 'tdxctl enable' records it"
fake_reset $KB
tdx "$FK" "$FD" status
has "without that line: not enabled yet" "$WORK/out" '^TDX: +not enabled yet'

### a failure the kernel backend reports as an errno only: the kernel
### log's cause, in status and enable (4 checks) ###
fake_reset $KB state=3 err_errno=5
printf '%s\n' '3,200,9000000,-;virt/tdx: SEAMCALL (0x000000000000002d) failed: 0xc0000a1000000000' \
	'3,201,9000001,-;virt/tdx: RCX 0x0 RDX 0x0 R08 0x0' '3,202,9000002,-;virt/tdx: module initialization failed (-5)' >> "$FAKE/dev/kmsg"
tdx "$FK" "$FD" status
has "status: the failed SEAMCALL of the kernel log names the step and TDX status" "$WORK/out" \
	'cause: +TDX module initialization failed \(EIO\); kernel log: TDH\.SYS\.CONFIG failed: TDX_INVALID_PAMT 0xc0000a1000000000; sticky until reboot'
tdx "$FK" "$FD" --json status
has "status --json: error.kernel_log quotes the kernel's line" "$WORK/out" \
	'"kernel_log":"virt/tdx: SEAMCALL \(0x000000000000002d\) failed: 0xc0000a1000000000"'
fake_reset $KB module_fail=5:0xc0000a1000000000
printf '%s\n' '3,200,9000000,-;virt/tdx: SEAMCALL (0x000000000000002d) failed: 0xc0000a1000000000' \
	'3,202,9000002,-;virt/tdx: module initialization failed (-5)' >> "$FAKE/dev/kmsg"
tdx "$FK" "$FD" enable
has "enable: the kernel log's cause of the failure, not 'does not report'" "$WORK/err" \
	'^tdxctl: TDX module initialization failed \(EIO\); kernel log: TDH\.SYS\.CONFIG failed: TDX_INVALID_PAMT 0xc0000a1000000000$'
fake_reset $KB state=3 err_errno=12
sed -i '/^flags/s/$/ tdx_host_platform/' "$FAKE/proc/cpuinfo"
printf '%s\n' '4,200,9000000,-;virt/tdx: initialization failed: TDMRs exhausted.' \
	'3,201,9000001,-;virt/tdx: module initialization failed (-28)' >> "$FAKE/dev/kmsg"
tdx "$FK" "$FD" status
has "TDMRs exhausted: the cause of the failed enable" "$WORK/out" 'kernel log: initialization failed: TDMRs exhausted\.; sticky until reboot'

### check kvm.vm_types: KVM_CAP_VM_TYPES of the fake /dev/kvm, opened
### read-only; a replay reads its record and opens no device (16 checks) ###
export TDXCTL_KVM_DEVICE=$WORK/kvm
vmtypes() {	# vmtypes VALUE|-: the fake's KVM_CAP_VM_TYPES answer (-: unset)
	if [ "$1" = - ]; then unset TDXFAKE_KVM_VM_TYPES; else export TDXFAKE_KVM_VM_TYPES=$1; fi
	tdx check --only kvm.vm_types
}
vmtypes 0x21
has "bit 5 (KVM_X86_TDX_VM) set: PASS" "$WORK/out" '^PASS  kvm\.vm_types +KVM can create TDX VMs \(VM types 0x21 has KVM_X86_TDX_VM\)'
vmtypes 0x1
has "bit 5 clear: FAIL, with QEMU's words" "$WORK/out" "^FAIL  kvm\\.vm_types +KVM cannot create TDX VMs \\(VM types 0x1, no KVM_X86_TDX_VM\\): QEMU will say 'vm-type tdx not supported by KVM'"
has "... the fix: kvm_intel tdx=1" "$WORK/out" '^      hint: .*load kvm_intel with tdx=1'
vmtypes 0x1f
has "every other type but TDX: FAIL" "$WORK/out" '^FAIL  kvm\.vm_types'
vmtypes EINVAL
has "EINVAL (before 6.10): SKIP" "$WORK/out" '^SKIP  kvm\.vm_types +KVM does not know KVM_CAP_VM_TYPES \(a kernel before 6\.10\)'
vmtypes -
has "an unknown capability answers 0: SKIP, not FAIL" "$WORK/out" '^SKIP  kvm\.vm_types +KVM does not know KVM_CAP_VM_TYPES'
export TDXCTL_KVM_DEVICE=$WORK/no-kvm
vmtypes 0x21
has "no /dev/kvm: SKIP naming it" "$WORK/out" "^SKIP  kvm\\.vm_types +no $WORK/no-kvm: KVM is not loaded"
export TDXCTL_KVM_DEVICE=$WORK/kvm
# a replay never opens the device: the fake would answer 0x21
rm -rf "$WORK/fx/kvm-none"; cp -a "$WORK/fx/tdx-host" "$WORK/fx/kvm-none"
export TDXFAKE_KVM_VM_TYPES=0x21
tdx --sysroot="$WORK/fx/kvm-none" check --only kvm.vm_types
has "replay without a record: SKIP, not recorded" "$WORK/out" '^SKIP  kvm\.vm_types +KVM.s VM types not recorded in this replay'
hasnt "... never the live device's answer" "$WORK/out" '^PASS'
for rec in "0x21 PASS" "0x1 FAIL" "EINVAL SKIP" "ENOENT SKIP" "garbage SKIP"; do
	rm -rf "$WORK/fx/kvm-rec"; cp -a "$WORK/fx/tdx-host" "$WORK/fx/kvm-rec"
	echo "vm_types=${rec% *}" > "$WORK/fx/kvm-rec/dev/kvm"
	export TDXFAKE_KVM_VM_TYPES=0x1f
	tdx --json --sysroot="$WORK/fx/kvm-rec" check --only kvm.vm_types
	has "replay, recorded vm_types=${rec% *}: ${rec#* }" "$WORK/out" '"id":"kvm\.vm_types".*"status":"'"$(tr 'A-Z' 'a-z' <<< "${rec#* }")"'"'
done
unset TDXFAKE_KVM_VM_TYPES
cp "$WORK/out" "$WORK/doc.json"
# diag records what the live check saw (no KVM: ENOENT), and its replay
# says what the live check said
echo "vm_types=ENOENT" > "$WORK/fx/kvm-rec/dev/kvm"
tdx --sysroot="$WORK/fx/kvm-rec" check --only kvm.vm_types
has "replay, recorded ENOENT: SKIP, KVM not loaded, as live" "$WORK/out" '^SKIP  kvm\.vm_types +no /dev/kvm: KVM is not loaded'

if python3 "$HERE/validate.py" "$SCHEMAS" "$WORK/doc.json" > "$WORK/v" 2>&1; then ok "check kvm.vm_types --json: valid against its schema"; else
	notok "check kvm.vm_types --json: valid against its schema"; diag < "$WORK/v"; fi

### end (1 check) ###
no_tool_errors
plan_kept
[ "$failed" = 0 ]
