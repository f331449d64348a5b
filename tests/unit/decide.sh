#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# decide.sh - the decisions of facts.c and hints.c at every edge of their
# tables, on small sysroots made here (not the fixtures): the regime at
# each kernel release boundary (6.7/6.8, 6.18/6.19, 7.0/7.1), each sign of
# the host core alone, the platform from the cpuinfo flags whatever DMI
# says, the hint's conditions (kvm_intel loaded, enable_virt_at_load), and
# the kernel log's last line without a newline.
#
# usage: decide.sh TDXCTL
set -u

TDXCTL=$1
. "$(dirname "$0")/tap.sh"
tap_begin decide 42

# mkhost DIR RELEASE FLAGS [DMI_VENDOR]: a 2-CPU host, nothing else
# (no kernel log lines, no kvm_intel, no config); DMI "Dell Inc." by default
mkhost() {
	local d=$1 rel=$2 flags=$3 vendor=${4:-Dell Inc.} c
	rm -rf "$d"
	mkdir -p "$d/proc/sys/kernel" "$d/sys/devices/system/cpu" "$d/sys/class/dmi/id" "$d/dev" "$d/boot"
	for c in possible present online; do echo 0-1 > "$d/sys/devices/system/cpu/$c"; done
	: > "$d/proc/cpuinfo"
	for c in 0 1; do
		printf 'processor\t: %s\nvendor_id\t: GenuineIntel\nflags\t\t: fpu msr vmx xsave %s\n\n' \
			"$c" "$flags" >> "$d/proc/cpuinfo"
	done
	echo "$rel" > "$d/proc/sys/kernel/osrelease"
	echo "$vendor" > "$d/sys/class/dmi/id/sys_vendor"
	echo "Server" > "$d/sys/class/dmi/id/product_name"
	echo 'ro quiet' > "$d/proc/cmdline"
	printf '6,1,0,-;x86/tme: enabled by BIOS\n' > "$d/dev/kmsg"
}
kvm_intel() { mkdir -p "$1/sys/module/kvm_intel/parameters"; echo "$2" > "$1/sys/module/kvm_intel/parameters/tdx"; }
virt_at_load() { mkdir -p "$1/sys/module/kvm/parameters"; echo "$2" > "$1/sys/module/kvm/parameters/enable_virt_at_load"; }
klog() { printf '%s\n' "$2" >> "$1/dev/kmsg"; }

# status ROOT: tdxctl status --json on ROOT into $W/out
status() {
	timeout 30 ${TDXCTL_WRAP:-} "$TDXCTL" --sysroot="$1" status --json > "$W/out" 2> "$W/err"
	rc=$?
}
# is FIELD WANT WHAT: a jq field of the last status document
is() {
	local got
	got=$(jq -r "$1" "$W/out" 2> /dev/null)
	if [ "$got" = "$2" ]; then ok "$3: $1 $2"; else
		notok "$3: $1 is '$got', wanted '$2'"; { cat "$W/err"; jq -c .kernel "$W/out"; } 2> /dev/null | diag; fi
}
# like FIELD REGEX WHAT
like() {
	local got
	got=$(jq -r "$1" "$W/out" 2> /dev/null)
	if printf '%s' "$got" | grep -qE -- "$2"; then ok "$3: $1 ~ /$2/"; else
		notok "$3: $1 is '$got', wanted /$2/"; cat "$W/err" 2> /dev/null | diag; fi
}
R=$W/h

# ---- the release decides where nothing else tells (the platform flag only) ----
for c in 6.8.0:on-demand 6.18.9:on-demand 6.19.0:kvm-owned 7.0.3:kvm-owned 7.1.0:boot-initialized; do
	mkhost "$R" "${c%%:*}" tdx_host_platform
	status "$R"
	is .kernel.regime "${c#*:}" "release ${c%%:*}"
done
# 7.1 whose log has the on-demand style line: not initialized at boot
mkhost "$R" 7.1.0 tdx_host_platform
klog "$R" '6,100,1000,-;virt/tdx: module initialized'
status "$R"
is .kernel.regime kvm-owned "7.1 with an on-demand style log line"
# 6.18 with a boot style line: the log tells, not the release
mkhost "$R" 6.18.0 tdx_host_platform
klog "$R" '6,100,1000,-;virt/tdx: TDX-Module initialized'
status "$R"
is .kernel.regime boot-initialized "6.18 with a boot style log line"

# ---- no sign of the host core: 6.7 predates it, 6.8 simply has none ----
mkhost "$R" 6.7.12 ""
status "$R"
is .kernel.regime no-host-core "6.7, no sign"
like .kernel.decided_by 'predates the TDX host core' "6.7, no sign"
mkhost "$R" 6.8.0 ""
status "$R"
is .kernel.regime no-host-core "6.8, no sign"
like .kernel.decided_by '^no sign of it' "6.8, no sign"
is .kernel.host_core false "6.8, no sign"

# ---- each sign of the host core alone (no tdx_host_platform flag) ----
mkhost "$R" 6.16.0 ""
klog "$R" '6,101,2000,-;virt/tdx: BIOS enabled: private KeyID range [16, 64)'
status "$R"
is .kernel.host_core true "the kernel log's virt/tdx: line alone"
is .kernel.regime no-platform "the kernel log's virt/tdx: line alone"
mkhost "$R" 6.16.0 ""
kvm_intel "$R" N
status "$R"
is .kernel.host_core true "kvm_intel's tdx parameter alone"
is .kernel.regime no-platform "kvm_intel's tdx parameter alone"
mkhost "$R" 6.16.0 ""
printf '# kernel\nCONFIG_X86_64=y\nCONFIG_INTEL_TDX_HOST=y\n' > "$R/boot/config-6.16.0"
status "$R"
is .kernel.host_core true "CONFIG_INTEL_TDX_HOST=y alone"
is .kernel.regime no-platform "CONFIG_INTEL_TDX_HOST=y alone"
mkhost "$R" 7.2.0 ""
mkdir -p "$R/sys/devices/faux/tdx_host"
echo 1.5.08 > "$R/sys/devices/faux/tdx_host/version"
status "$R"
is .kernel.host_core true "the tdx_host faux device alone"
is .kernel.regime boot-initialized "the tdx_host faux device alone"
is .module.state initialized "the tdx_host faux device alone"
mkhost "$R" 6.16.0 tdx_host_platform
status "$R"
is .kernel.host_core true "the tdx_host_platform flag alone"
# the config says no, whatever the release
mkhost "$R" 6.16.0 ""
printf '# CONFIG_INTEL_TDX_HOST is not set\n' > "$R/boot/config-6.16.0"
status "$R"
is .kernel.regime no-host-core "CONFIG_INTEL_TDX_HOST not set"
like .kernel.decided_by 'does not set CONFIG_INTEL_TDX_HOST' "CONFIG_INTEL_TDX_HOST not set"

# ---- the platform: the hypervisor flag decides, not DMI ----
mkhost "$R" 6.1.0 hypervisor "Dell Inc."
status "$R"
like .kernel.enable '^n/a: a virtual machine' "hypervisor flag, bare-metal DMI"
mkhost "$R" 6.1.0 tdx_guest "Dell Inc."
status "$R"
like .kernel.enable '^n/a: a virtual machine' "tdx_guest flag alone"
mkhost "$R" 6.1.0 "" "QEMU"
status "$R"
like .kernel.enable '^no way on this kernel' "no hypervisor flag, QEMU DMI (a bare-metal instance)"

# ---- what to do: the hint's conditions ----
mkhost "$R" 6.19.0 tdx_host_platform
kvm_intel "$R" N
virt_at_load "$R" N
status "$R"
like .kernel.enable 'enable_virt_at_load=1' "6.19, enable_virt_at_load=N"
mkhost "$R" 6.19.0 tdx_host_platform
kvm_intel "$R" N
virt_at_load "$R" Y
status "$R"
like .kernel.enable '^set kvm_intel.tdx=1 \(options [^)]*\), then reload' "6.19, enable_virt_at_load=Y"
mkhost "$R" 6.19.0 tdx_host_platform
kvm_intel "$R" Y
virt_at_load "$R" N
status "$R"
like .kernel.enable 'enable_virt_at_load=1' "6.19, kvm_intel.tdx=Y, enable_virt_at_load=N"
mkhost "$R" 6.16.0 tdx_host_platform
status "$R"
like .kernel.enable '^load kvm_intel' "6.16, kvm_intel not loaded"
mkhost "$R" 6.16.0 tdx_host_platform
kvm_intel "$R" N
status "$R"
like .kernel.enable '^load the tdxctl driver' "6.16, kvm_intel loaded"

# ---- the module's state from the kernel log ----
mkhost "$R" 6.16.0 tdx_host_platform
klog "$R" '6,101,2000,-;virt/tdx: BIOS enabled: private KeyID range [16, 64)'
status "$R"
is .module.state uninitialized "KeyID range only"
klog "$R" '6,102,3000,-;virt/tdx: module initialization failed (-5)'
status "$R"
is .module.state error "a failed initialization"
is .module.error.errno EIO "a failed initialization (-5)"
# the log's last line without a newline is read too
mkhost "$R" 6.16.0 tdx_host_platform
printf '6,101,2000,-;virt/tdx: BIOS enabled: private KeyID range [16, 64)\n6,102,3000,-;virt/tdx: module initialized' >> "$R/dev/kmsg"
status "$R"
is .module.state initialized "the last log line without a newline"
# a refusal that names exhausted TDMRs is a failed enable, not a refusal
mkhost "$R" 6.16.0 tdx_host_platform
klog "$R" '6,101,2000,-;virt/tdx: BIOS enabled: private KeyID range [16, 64)'
klog "$R" '6,102,3000,-;virt/tdx: initialization failed: TDMRs exhausted'
status "$R"
is .module.state uninitialized "'initialization failed: TDMRs exhausted'"
klog "$R" '6,103,3000,-;virt/tdx: initialization failed: too few private KeyIDs'
status "$R"
is .module.state unavailable "a boot-time refusal"
like .module.reason 'refused TDX at boot: too few private KeyIDs' "a boot-time refusal"

# ---- a release as osrelease gives it: without a newline too ----
mkhost "$R" 6.19.0 tdx_host_platform
printf '6.18' > "$R/proc/sys/kernel/osrelease"
status "$R"
is .kernel.release 6.18 "osrelease without a newline"
is .kernel.regime on-demand "osrelease 6.18 without a newline"
mkhost "$R" 6.19.0 tdx_host_platform
printf '7.1' > "$R/proc/sys/kernel/osrelease"
status "$R"
is .kernel.regime boot-initialized "osrelease 7.1 without a newline"
tap_end
