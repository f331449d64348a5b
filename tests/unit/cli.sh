#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# cli.sh - tdxctl end to end, no root, no kernel: every command over the
# --sysroot fixtures and a fake /dev/tdx_host (fakedev.so, LD_PRELOAD).
# Text and JSON output are compared with golden files, exit codes are
# asserted, and every JSON document is validated against cli/schema.
#
# usage: cli.sh TDXCTL FAKEDEV_SO
# env:   TDXCTL_WRAP  command prefix for tdxctl (e.g. valgrind ...)
#        UPDATE_GOLDEN=1 rewrite the golden files instead of comparing
#
# The TAP plan is printed before the first check.  Adding a check means
# bumping the count below; the script fails if the number run differs.
set -u

NT=83		# t NAME ...: a text and a JSON run, 4 checks (exit codes, golden files)
NJSON=$((NT + 9))	# JSON documents: one per t, and 9 kept with keep_json
NOTHER=346	# every other check, counted per section below
PLAN=$((4 * NT + NJSON + NOTHER))

TDXCTL=$1
SHIM=$2
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
GOLDEN=$HERE/golden
FIXTURES=$SRC/tests/fixtures
SCHEMAS=$SRC/cli/schema
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tdxctl-unit.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/json" "$WORK/fx"

echo "TAP version 13"
echo "1..$PLAN"
n=0
failed=0
nt=0
# ok, notok, diag, bail, rc_is, has, hasnt
. "$HERE/tap-helpers.sh"

# every fixture built under $WORK/fx; the fake device: $FAKE, $FK, fake_reset
fixtures_and_fake

# keep_json NAME: keep $WORK/out as a JSON document for schema validation
docs=()
keep_json() {
	cp "$WORK/out" "$WORK/json/$1.json"
	docs+=("$1")
}

normalize() {
	sed -e "s|$WORK|@WORK@|g" -e 's/"tool_version":"[^"]*"/"tool_version":"@VERSION@"/' \
	    -e 's/"elapsed_ns":[0-9]*/"elapsed_ns":@NS@/' -e 's/^  took: [0-9.]* [mun]*s /  took: @TIME@ /' \
	    -e 's/^tdxctl:\( *\)[0-9][0-9.a-z~+-]*$/tdxctl:\1@VERSION@/' "$1"
}

# golden NAME SUFFIX: compare $WORK/out with golden/NAME.SUFFIX
golden() {
	local g=$GOLDEN/$1.$2
	normalize "$WORK/out" > "$WORK/norm"
	if [ -n "${UPDATE_GOLDEN:-}" ]; then
		cp "$WORK/norm" "$g"
		ok "$1 ($2): golden updated"
	elif [ ! -f "$g" ]; then
		notok "$1 ($2): no golden file $g"
	elif diff -u "$g" "$WORK/norm" > "$WORK/diff"; then
		ok "$1 ($2): output matches golden"
	else
		notok "$1 ($2): output differs from golden"
		diag < "$WORK/diff"
	fi
}

# t NAME RC SETUP ARGS...: text and JSON runs, each after SETUP (a command,
# ':' for none); both must exit RC and match their golden files.
t() {
	local name=$1 want=$2 setup=$3
	shift 3
	nt=$((nt + 1))
	$setup
	tdx "$@"
	if [ "$rc" = "$want" ]; then ok "$name: exit $want"; else
		notok "$name: exit $rc, wanted $want"; diag < "$WORK/err"; fi
	golden "$name" txt
	$setup
	tdx --json=compact "$@"
	if [ "$rc" = "$want" ]; then ok "$name --json: exit $want"; else
		notok "$name --json: exit $rc, wanted $want"; diag < "$WORK/err"; fi
	keep_json "$name"
	golden "$name" json
}

fx() { echo "--sysroot=$WORK/fx/$1"; }

### check over fixtures: one per kind of host (6 other checks) ###
t check-non-tdx 4 : "$(fx non-tdx)" check
t check-vm-guest 4 : "$(fx vm-guest)" check
t check-td-guest 4 : "$(fx td-guest)" check --only env,cpu.vendor
t check-tdx-host 0 : "$(fx tdx-host)" check
t check-tdx-host-7x 0 : "$(fx tdx-host-7x)" check
t check-seamrr-off 1 : "$(fx seamrr-off)" check
t check-few-keyids 1 : "$(fx few-keyids)" check
t check-msr-mismatch-v 1 : "$(fx msr-mismatch)" check -v
t check-only-bios 1 : "$(fx seamrr-off)" check --only bios,kvm.tdx
rc_is "check --strict turns warnings into failure" 1 "$(fx tdx-host)" check --strict
rc_is "ok is an alias of check" 1 "$(fx seamrr-off)" ok
has "ok: same verdicts as check" "$WORK/out" '^FAIL +bios.seamrr.enabled'
rc_is "check -c 0-1 on the mismatched host: only CPUs 0-1" 0 "$(fx msr-mismatch)" check -c 0-1
rc_is "check --only unknown id" 2 "$(fx tdx-host)" check --only bios.nope
has "check --only names the bad id" "$WORK/err" "bios.nope"

# MSRs unreadable (no msr files) on a TDX host: skip, with the kernel verdict
rm -rf "$WORK/fx/tdx-host/dev/cpu"
t check-tdx-host-nomsr 8 : "$(fx tdx-host)" check

### evidence rules (26 other checks) ###
# derived fixture: fx_copy NAME FROM: a fresh copy of a built fixture
fx_copy() { rm -rf "$WORK/fx/$1"; cp -a "$WORK/fx/$2" "$WORK/fx/$1"; }
# an empty CPU selection is a usage error, never a pass
rc_is "check -c offline with no offline CPU: usage error" 2 "$(fx seamrr-off)" check -c offline --only bios,msr
has "check -c offline: the empty selection is named" "$WORK/err" "'offline' selects no"
hasnt "check -c offline: no verdict printed" "$WORK/out" '^PASS'
fake_reset
rc_is "cpu list offline with no offline CPU: usage error" 2 "$FK" "$FD" cpu list offline
# a skipped non-required check: exit 0; with --strict it counts
rc_is "check --only cpu.msr_access without MSRs: exit 0" 0 "$(fx tdx-host)" check --only cpu.msr_access
rc_is "check --strict: a skipped check is not a pass (exit 8)" 8 "$(fx tdx-host)" check --strict --only cpu.msr_access
# an empty sysroot is no evidence of anything
mkdir -p "$WORK/fx/empty"
rc_is "check over an empty sysroot: exit 8 (unknown)" 8 "$(fx empty)" check
hasnt "check over an empty sysroot: no PASS" "$WORK/out" '^PASS'
# unreadable /sys/power/state (a directory) is not "hibernation not offered"
fx_copy nopower tdx-host
echo "BOOT_IMAGE=/vmlinuz ro" > "$WORK/fx/nopower/proc/cmdline"
rm -f "$WORK/fx/nopower/sys/power/state"; mkdir "$WORK/fx/nopower/sys/power/state"
tdx "$(fx nopower)" check --only kernel.hibernation
has "kernel.hibernation: unreadable /sys/power/state gives SKIP" "$WORK/out" '^SKIP  kernel\.hibernation'
# the hypervisor flag wins over DMI: a bare-metal EC2 *.metal host
fx_copy ec2-metal tdx-host
echo "Amazon EC2" > "$WORK/fx/ec2-metal/sys/class/dmi/id/sys_vendor"
echo "m7i.metal-48xl" > "$WORK/fx/ec2-metal/sys/class/dmi/id/product_name"
rc_is "EC2 metal (no hypervisor flag): not a VM" 0 "$(fx ec2-metal)" check --only env
has "EC2 metal: bare metal" "$WORK/out" '^PASS  env\.virtualization +bare metal'
# SEAMRR: MASK enabled and locked, and a BASE, as the kernel requires
seamrr_fx() {	# seamrr_fx NAME SED-EXPR: tdx-host with its msrs.txt edited
	rm -rf "$WORK/src-$1"; cp -a "$FIXTURES/tdx-host" "$WORK/src-$1"
	sed -i "$2" "$WORK/src-$1/msrs.txt"
	python3 "$FIXTURES/mkroot.py" "$WORK/src-$1" "$WORK/fx/$1" || bail "fixture $1 does not build"
}
seamrr_fx seamrr-unlocked 's/^0-3 *0x1401 .*/0-3 0x1401 0x000fffffe0000800/'
tdx "$(fx seamrr-unlocked)" check --only bios.seamrr
has "SEAMRR enabled but not locked: FAIL" "$WORK/out" '^FAIL  bios\.seamrr\.enabled'
seamrr_fx seamrr-nobase '/0x1400/d'
tdx "$(fx seamrr-nobase)" check --only bios.seamrr
hasnt "SEAMRR base unreadable: no PASS" "$WORK/out" '^PASS  bios\.seamrr\.enabled'
# the evidence MSRs (0x3A, 0xA0, 0xCE, 0x500, 0x982 bit 31): raw values, SKIP without them
seamrr_fx evmsr-host 's/^$//'	# tdx-host's dev/cpu went above
tdx -v "$(fx evmsr-host)" check --only bios.sgx,bios.mcheck_status,bios.seamldr_svn,cpu.production,bios.tme_bypass
has "bios.sgx: 0x3A bit 18 set: PASS" "$WORK/out" '^PASS  bios\.sgx +SGX enabled \(0x3A bit 18 set\)'
has "bios.sgx: the raw 0x3A value is the evidence" "$WORK/out" 'evidence: msr MSR 0x3a CPUs 0-3: 0x0000000000040005'
has "bios.seamldr_svn: SVN from 0x500 bits 63:56" "$WORK/out" '^PASS  bios\.seamldr_svn +SEAMLDR ACM SVN 2 '
tdx "$(fx seamrr-off)" check --only bios.sgx,bios.mcheck_status
has "bios.sgx: 0x3A bit 18 clear: WARN" "$WORK/out" '^WARN  bios\.sgx +SGX not enabled by the BIOS'
has "bios.mcheck_status: 0xA0 non-zero: WARN" "$WORK/out" '^WARN  bios\.mcheck_status +non-zero'
tdx "$(fx few-keyids)" check --only cpu.production
has "cpu.production: 0xCE bit 27 set: WARN pre-production" "$WORK/out" '^WARN  cpu\.production +a pre-production CPU'
tdx "$(fx tdx-host-7x)" check --only bios.sgx,bios.mcheck_status,bios.seamldr_svn,cpu.production
hasnt "evidence MSRs not in the replay: never PASS" "$WORK/out" '^PASS'
has "evidence MSRs not in the replay: SKIP naming the MSR" "$WORK/out" '^SKIP  bios\.sgx +MSR 0x3a \(IA32_FEATURE_CONTROL\) not readable on CPUs 0-3'
seamrr_fx sgx-mixed 's/^0-3 *0x3a .*/0-1 0x3a 0x40005\n2-3 0x3a 0x5/; s/^0-3 *0x500 .*/0-1 0x500 0x0200000000000000/'
tdx "$(fx sgx-mixed)" check --only bios.sgx,bios.seamldr_svn
has "bios.sgx: CPUs differ: WARN naming them" "$WORK/out" '^WARN  bios\.sgx +CPUs differ: SGX not enabled by the BIOS \(0x3A bit 18 clear\) on CPUs 2-3; SGX enabled \(0x3A bit 18 set\) on 0-1'
has "bios.seamldr_svn: 0x500 missing on some CPUs: SKIP naming them" "$WORK/out" '^SKIP  bios\.seamldr_svn +MSR 0x500 \(IA32_SGX_SVN_STATUS\) not readable on CPUs 2-3'
# the boot-time KeyID refusal is not a sticky module error; status and check agree
tdx --json "$(fx few-keyids)" status
has "status over a boot-time refusal: state unavailable, refused at boot" "$WORK/out" '"module":\{"state":"unavailable","source":"kernel-log","reason":"the kernel refused TDX at boot: too few private KeyIDs available'
hasnt "status over a boot-time refusal: no global KeyID" "$WORK/out" '"global_keyid":[0-9]'
tdx "$(fx few-keyids)" check --only module.state
has "check over a boot-time refusal: module.state names the refusal" "$WORK/out" '^FAIL  module\.state +the kernel refused TDX at boot: too few private KeyIDs available'

### output integrity (8 other checks) ###
# a write error on stdout is an error; EPIPE is not reported (close_stdout)
LD_PRELOAD=$SHIM ${TDXCTL_WRAP:-} "$TDXCTL" "$(fx tdx-host-7x)" --json status > /dev/full 2> "$WORK/err"
rc=$?
if [ "$rc" = 1 ]; then ok "status --json >/dev/full: exit 1"; else notok "status --json >/dev/full: exit $rc, wanted 1"; fi
has "status --json >/dev/full: says write error" "$WORK/err" '^tdxctl: write error'
LD_PRELOAD=$SHIM ${TDXCTL_WRAP:-} "$TDXCTL" "$(fx tdx-host-7x)" status >&- 2> "$WORK/err"
rc=$?
if [ "$rc" = 1 ]; then ok "status with stdout closed: exit 1"; else notok "status with stdout closed: exit $rc, wanted 1"; fi
( trap '' PIPE; LD_PRELOAD=$SHIM ${TDXCTL_WRAP:-} "$TDXCTL" "$(fx tdx-host-7x)" check -v 2> "$WORK/err" | true; exit "${PIPESTATUS[0]}" )
rc=$?
if [ "$rc" = 0 ]; then ok "EPIPE (SIGPIPE ignored): exit status unchanged"; else notok "EPIPE: exit $rc, wanted 0"; fi
hasnt "EPIPE: no write error reported" "$WORK/err" 'write error'
# bytes that are not UTF-8 and escape sequences, from DMI and the kernel log
fx_copy dirty few-keyids
printf 'Evil\xff\xfeCorp \033[31mRED\033]0;title\007\n' > "$WORK/fx/dirty/sys/class/dmi/id/sys_vendor"
printf '6,103,3000,-;virt/tdx: module initialization failed (-5) \xc3\x28 \033[2J\n' >> "$WORK/fx/dirty/dev/kmsg"
tdx --json "$(fx dirty)" check -v
cp "$WORK/out" "$WORK/dirty-check.json"
tdx --json "$(fx dirty)" status
cp "$WORK/out" "$WORK/dirty-status.json"
if python3 -c '
import json, sys
for p in sys.argv[1:]:
    json.loads(open(p, "rb").read().decode("utf-8"))
' "$WORK/dirty-check.json" "$WORK/dirty-status.json" 2> "$WORK/utf8"; then ok "JSON over non-UTF-8 input is valid UTF-8"; else
	notok "JSON over non-UTF-8 input is not valid UTF-8"; diag < "$WORK/utf8"; fi
tdx "$(fx dirty)" check -v
cp "$WORK/out" "$WORK/dirty-text"
tdx "$(fx dirty)" status
cat "$WORK/out" >> "$WORK/dirty-text"
hasnt "text output carries no control characters from the input" "$WORK/dirty-text" $'[\x01-\x08\x0b-\x1f\x7f]'
has "text output shows them escaped" "$WORK/dirty-text" 'Evil\\xff\\xfeCorp \\x1b\[31mRED'

### hostile inputs (17 other checks) ###
# tdxq SECS ARGS...: tdx under a time limit (exit 124 when it ran out)
tdxq() {
	local secs=$1
	shift
	LD_PRELOAD=$SHIM timeout -k 5 "$secs" ${TDXCTL_WRAP:-} "$TDXCTL" "$@" > "$WORK/out" 2> "$WORK/err"
	rc=$?
	if [ "$rc" = 97 ] || [ "$rc" = 99 ] || { [ "$rc" -gt 128 ] && [ "$rc" != 124 ]; } ||
	   grep -qE 'runtime error|AddressSanitizer|LeakSanitizer|^==[0-9]+== ' "$WORK/err"; then
		echo "tdxctl $* (exit $rc)" >> "$WORK/tool-errors"
		cat "$WORK/err" >> "$WORK/tool-errors"
	fi
}
# --sysroot: it exists, it is a directory, it is never cut short
rc_is "--sysroot that does not exist: usage error" 2 --sysroot="$WORK/nonexistent" status
has "--sysroot that does not exist: says so" "$WORK/err" "nonexistent.*No such file or directory"
hasnt "--sysroot that does not exist: no driver advice" "$WORK/err" "modprobe"
rc_is "--sysroot that is a file: usage error" 2 --sysroot="$WORK/fx/tdx-host/proc/cpuinfo" status
long=$WORK/fx/tdx-host$(printf '/.%.0s' $(seq 2100))
rc_is "--sysroot longer than PATH_MAX: usage error, no fallback to the live /dev" 2 --sysroot="$long" status
# a long online list is read whole: 4096 CPUs, every even one of 0-8191
fx_copy manycpus tdx-host
echo 0-8191 > "$WORK/fx/manycpus/sys/devices/system/cpu/possible"
echo 0-8191 > "$WORK/fx/manycpus/sys/devices/system/cpu/present"
seq -s, 0 2 8190 > "$WORK/fx/manycpus/sys/devices/system/cpu/online"
tdx --json "$(fx manycpus)" status
has "a 20 KB online list is read whole" "$WORK/out" '"cpus":\{"possible":8192,"present":8192,"online":4096,'
# a huge range in sysfs is clamped to the CPU limit, with an error, at once
fx_copy hugerange tdx-host
echo 0-1073741823 > "$WORK/fx/hugerange/sys/devices/system/cpu/online"
tdxq 20 "$(fx hugerange)" status
if [ "$rc" != 124 ]; then ok "a huge CPU range in sysfs does not loop"; else notok "a huge CPU range in sysfs: timed out"; fi
has "a huge CPU range in sysfs is named" "$WORK/err" "online: .*1073741823.*beyond the limit of 8192"
# a FIFO is refused, not waited on
fx_copy fifo tdx-host
rm "$WORK/fx/fifo/proc/cpuinfo"; mkfifo "$WORK/fx/fifo/proc/cpuinfo"
tdxq 20 "$(fx fifo)" check --only cpu.vendor
if [ "$rc" != 124 ]; then ok "a FIFO in the sysroot does not block"; else notok "a FIFO in the sysroot: timed out"; fi
has "a FIFO is refused as not a regular file" "$WORK/out" 'UNKNOWN +cpu\.vendor +/proc/cpuinfo not readable'
# a file past its bound is rejected with a message (a sparse 40 MiB cpuinfo)
fx_copy bigfile tdx-host
truncate -s 40M "$WORK/fx/bigfile/proc/cpuinfo"
tdx "$(fx bigfile)" check --only cpu.vendor
has "an oversized file is rejected with a message" "$WORK/err" "proc/cpuinfo: larger than"
# 7.2's num_remaining_updates is a count or nothing: not "15 more", not -1
fx_copy badcount tdx-host-7.2
printf '15 more\n' > "$WORK/fx/badcount/sys/devices/faux/tdx_host/num_remaining_updates"
tdx --json "$(fx badcount)" status
has "num_remaining_updates that is not a count: null in JSON" "$WORK/out" '"remaining_updates":null,'
tdx "$(fx badcount)" status
has "num_remaining_updates that is not a count: text says so" "$WORK/out" "^  updates left: +unknown \(the kernel's num_remaining_updates is not a count\)$"
printf -- '-1\n' > "$WORK/fx/badcount/sys/devices/faux/tdx_host/num_remaining_updates"
tdx --json "$(fx badcount)" status
has "num_remaining_updates of -1: null in JSON" "$WORK/out" '"remaining_updates":null,'
# CPU numbers from the driver are checked
fake_reset "badcpu=0xfffffff0"
rc_is "module enable: a driver reply naming CPU 0xFFFFFFF0 is rejected" 1 "$FK" "$FD" module enable
has "the bad CPU number is named" "$WORK/err" "4294967280"
fake_reset "badcpu=0xfffffff0"
rc_is "cpu list: a driver reply naming CPU 0xFFFFFFF0 is rejected" 1 "$FK" "$FD" cpu list

### util-linux and iproute2 manners (30 other checks) ###
# -h/--help for every command, -V anywhere
for c in "" status enable "cpu list" "cpu enable" "module enable" "module update" "module versions" check explain version; do
	# shellcheck disable=SC2086
	tdx $c -h
	if [ "$rc" = 0 ] && grep -q '^Usage: tdxctl' "$WORK/out"; then ok "tdxctl $c -h: help, exit 0"; else
		notok "tdxctl $c -h: exit $rc"; diag < "$WORK/err"; fi
done
rc_is "-V after the command: the version" 0 "$(fx tdx-host)" status -V
has "-V after the command prints the tool version" "$WORK/out" '^tdxctl: +[0-9]'
rc_is "-V after explain's argument" 0 explain EAGAIN -V
# -J is --json; --pretty is indented JSON
tdx -J "$(fx tdx-host-7x)" status
has "-J: JSON" "$WORK/out" '^\{"schema_version":2,"command":"status"'
tdx --pretty "$(fx tdx-host-7x)" status
lines=$(wc -l < "$WORK/out")
if [ "$lines" -gt 10 ] && grep -q '"command": "status"' "$WORK/out"; then ok "--pretty: indented JSON"; else
	notok "--pretty: indented JSON ($lines lines)"; fi
# -o help and --list-columns: one name per column, equal to its JSON key
fake_reset
rc_is "cpu list -o help: exit 0" 0 "$FK" "$FD" cpu list -o help
has "cpu list -o help names the columns" "$WORK/out" '^enabled_ns +'
tdx --json "$FK" "$FD" cpu list --list-columns
cp "$WORK/out" "$WORK/cols.json"
keep_json cpu-list-columns
tdx --json "$FK" "$FD" cpu list -o "$(python3 -c 'import json,sys; print(",".join(c["name"] for c in json.load(open(sys.argv[1]))["columns"]))' "$WORK/cols.json" 2>/dev/null || echo cpu)"
if python3 - "$WORK/cols.json" "$WORK/out" <<'PY' > "$WORK/colcheck" 2>&1
import json, sys
cols = [c["name"] for c in json.load(open(sys.argv[1]))["columns"]]
row = json.load(open(sys.argv[2]))["cpu_table"][0]
sys.exit(0 if cols and cols == list(row) else f"{cols} != {list(row)}")
PY
then ok "--list-columns names are the JSON keys of the table"; else notok "--list-columns vs JSON keys"; diag < "$WORK/colcheck"; fi
rc_is "status --list-columns: exit 0" 0 "$FK" "$FD" status --list-columns
# -n/--noheadings and -r/--raw
tdx "$FK" "$FD" cpu list -n
hasnt "cpu list -n: no header" "$WORK/out" '^ *CPU '
tdx "$FK" "$FD" cpu list -r -o cpu,online
has "cpu list -r: raw, one space between columns" "$WORK/out" '^0 yes$'
rc_is "cpu list -n with --json: rejected" 2 "$FK" "$FD" --json cpu list -n
# errors start with tdxctl:
tdx status --bogus
has "an argp error starts with tdxctl:" "$WORK/err" "^tdxctl: .*unrecognized option '--bogus'"
tdx explain a b
has "a command's argument error starts with tdxctl:" "$WORK/err" "^tdxctl: .*one thing to explain at a time"
# -q never silences errors
tdx -q -j "$(fx tdx-host)" status
has "-q -j: the error still goes to stderr" "$WORK/err" '^tdxctl: .*driver not loaded'
# an option a command would ignore is rejected
rc_is "explain -c: rejected" 2 explain -c 0 EAGAIN
rc_is "version -c: rejected" 2 -c 0 version
rc_is "explain --sysroot: rejected" 2 "$(fx tdx-host)" explain EAGAIN
rc_is "status -c without --cpus: rejected" 2 "$(fx tdx-host)" status -c 0

### enable timing (6 other checks) ###
fake_reset enabled=0-3 state=2 timing=1
tdx --json "$FK" "$FD" status
has "status --json: module enable time, the sum of the module steps" "$WORK/out" '"enable_ns":1259017890,'
has "status --json: each step's time, by uapi step name" "$WORK/out" '"step_ns":\{"preflight":null,"sys_init":1200000,"lp_init":3400000,"sys_rd":150000,"tdmr_build":21000000,"config":2500000,"key_config":800000,"tdmr_init":1234567890\}'
tdx "$FK" "$FD" status
has "status: module enable time in text" "$WORK/out" '^  enable took: +1\.259 s$'
fake_reset enabled=0-3 state=2
tdx "$FK" "$FD" status
has "status: a backend without step times says unknown" "$WORK/out" '^  enable took: +unknown$'
fake_reset timing=1
tdx --json "$FK" "$FD" enable
has "enable --json: the module enable call's own time" "$WORK/out" '"module":\{"result":"initialized",.*"elapsed_ns":[0-9]+,'
tdx "$FK" "$FD" enable
has "enable: the time in text" "$WORK/out" '^  took: .*tdmr_init 1\.235 s'

### status without the driver ###
t status-tdx-host-nodriver 4 : "$(fx tdx-host)" status
t status-7x-kernel 0 : "$(fx tdx-host-7x)" status --cpus
t status-vm-nodriver 4 : "$(fx vm-guest)" status

### the kernel's TDX regime, without the driver (15 t + 26 other checks; the 6 regime fixtures add 18 diag checks) ###
# status, enable and check on each regime's fixture (tests/fixtures/*/LABEL)
t status-7.2 0 : "$(fx tdx-host-7.2)" status
t status-qemu-core-6.12 4 : "$(fx qemu-core-6.12)" status
t status-6.12-ondemand 4 : "$(fx tdx-host-6.12)" status
t status-6.19-kvm 4 : "$(fx tdx-host-6.19)" status
t status-nocore-6.12 4 : "$(fx nocore-6.12)" status
t status-7.1-failed 0 : "$(fx tdx-fail-7.1)" status
t enable-7.2-boot 0 : "$(fx tdx-host-7.2)" enable
t enable-7.1-failed 6 : "$(fx tdx-fail-7.1)" enable
t enable-6.19-kvm 4 : "$(fx tdx-host-6.19)" enable
t enable-6.12-ondemand 4 : "$(fx tdx-host-6.12)" enable
t enable-qemu-core-6.12 4 : "$(fx qemu-core-6.12)" enable
t enable-nocore-6.12 4 : "$(fx nocore-6.12)" enable
t check-qemu-core-6.12 4 : "$(fx qemu-core-6.12)" check
t check-tdx-host-6.19 0 : "$(fx tdx-host-6.19)" check
t check-tdx-host-7.2 0 : "$(fx tdx-host-7.2)" check
# check promises the driver only where the kernel lets it enable TDX
for fxr in tdx-host-6.19 tdx-host-7.2 qemu-core-6.12; do
	tdx "$(fx $fxr)" check -v
	hasnt "check on $fxr: no driver path promised" "$WORK/out" 'modprobe tdxctl($|[^ _]| [^b])|enable TDX through the kernel|tdxctl enable needs'
done
# every fixture's regime, as its LABEL says; the empty sysroot: unknown
regimes=""
for fxr in non-tdx:no-host-core vm-guest:no-host-core td-guest:no-host-core fake-host:no-host-core \
	   nocore-6.12:no-host-core qemu-core-6.12:no-platform seamrr-off:no-platform few-keyids:no-platform \
	   tdx-host:on-demand tdx-host-6.12:on-demand msr-mismatch:on-demand tdx-host-6.19:kvm-owned \
	   tdx-host-7x:boot-initialized tdx-host-7.2:boot-initialized tdx-fail-7.1:boot-initialized empty:unknown; do
	tdx --json "$(fx "${fxr%%:*}")" status
	has "status: ${fxr%%:*} is ${fxr#*:}" "$WORK/out" "\"kernel\":\\{\"release\":[^,]*,\"regime\":\"${fxr#*:}\""
	regimes="$regimes ${fxr#*:}"
done
if python3 -c 'import json, sys; want = set(json.load(open(sys.argv[1]))["properties"]["kernel"]["properties"]["regime"]["enum"]); got = set(sys.argv[2].split()); sys.exit(0 if want == got else f"not covered: {want - got}")' \
	"$SCHEMAS/status.json" "$regimes" 2> "$WORK/cov"; then ok "every regime of the schema has a fixture"; else notok "every regime has a fixture"; diag < "$WORK/cov"; fi
# 6.19 with kvm_intel.tdx=Y: KVM initialized it; enable has nothing to do
fx_copy kvm-init tdx-host-6.19
echo Y > "$WORK/fx/kvm-init/sys/module/kvm_intel/parameters/tdx"
echo '6,103,5000,-;virt/tdx: module initialized' >> "$WORK/fx/kvm-init/dev/kmsg"
rc_is "enable, 6.19, KVM initialized TDX: exit 0" 0 --json "$(fx kvm-init)" enable
has "enable, 6.19, KVM initialized TDX: initialized-by-kernel" "$WORK/out" '"outcome":\{"result":"initialized-by-kernel","module_state":"initialized"'
# check module.update (7.2): no updates left, no upload device, hidden loader attributes
fx_copy upd0 tdx-host-7.2
echo 0 > "$WORK/fx/upd0/sys/devices/faux/tdx_host/num_remaining_updates"
tdx "$(fx upd0)" check --only module.update
has "check module.update, 0 updates left: WARN" "$WORK/out" '^WARN  module\.update +no updates left until the next reboot$'
fx_copy updnofw tdx-host-7.2
rm -rf "$WORK/fx/updnofw/sys/class/firmware/tdx_module" "$WORK/fx/updnofw/sys/devices/faux/tdx_host/firmware"
tdx "$(fx updnofw)" check --only module.update
has "check module.update, no tdx_module: WARN naming it" "$WORK/out" '^WARN  module\.update +no /sys/class/firmware/tdx_module: the kernel cannot take an update'
fx_copy updhid tdx-host-7.2
rm -f "$WORK/fx/updhid/sys/devices/faux/tdx_host/seamldr_version" "$WORK/fx/updhid/sys/devices/faux/tdx_host/num_remaining_updates"
tdx "$(fx updhid)" check --only module.update
has "check module.update, loader attributes hidden: N/A" "$WORK/out" '^N/A   module\.update +the loader attributes are hidden'
tdx "$(fx tdx-host-7.2)" check --only module.update
has "check module.update, 7.2: PASS with the updates left and the loader" "$WORK/out" '^PASS  module\.update +15 updates left, P-SEAMLDR 1\.5\.02$'
# 7.2: the faux device's version wins over the log line
fx_copy faux-ver tdx-host-7.2
echo 1.5.09 > "$WORK/fx/faux-ver/sys/devices/faux/tdx_host/version"
tdx --json "$(fx faux-ver)" status
has "status, 7.2: the version from /sys/devices/faux/tdx_host/version" "$WORK/out" '"module":\{"state":"initialized","source":"kernel-log","reason":null,"version":"1\.5\.09","seamldr_version":"1\.5\.02","remaining_updates":15'
# 7.2 with the boot log rotated out: the faux device answering its version
# is the verdict; a version that does not answer is none
sed -i '/TDX-Module initialized/d' "$WORK/fx/faux-ver/dev/kmsg"
tdx --json "$(fx faux-ver)" status
has "status, 7.2, log rotated: initialized, from sysfs" "$WORK/out" '"summary":"ready: the kernel initialized the TDX module at boot \(sysfs\)".*"module":\{"state":"initialized","source":"sysfs"'
rm "$WORK/fx/faux-ver/sys/devices/faux/tdx_host/version"; mkdir "$WORK/fx/faux-ver/sys/devices/faux/tdx_host/version"
tdx --json "$(fx faux-ver)" status
hasnt "status, 7.2, log rotated, version unreadable: not ready" "$WORK/out" '"ready|"state":"initialized"'
has "status, 7.1 failed at boot: the errno of the log line" "$WORK/json/status-7.1-failed.json" '"errno":"EIO"'

### explain (3 other checks) ###
t explain-inconsistent-msr 0 : explain 0xC000092000000982
t explain-sys-busy 0 : explain TDX_SYS_BUSY
t explain-vmfailinvalid 0 : explain 0x8000FF00FFFF0000
t explain-operand-rcx 0 : explain 0xc000010000000001
t explain-unknown-code 0 : explain 0xC0000FFF00000000
t explain-eagain 0 : explain EAGAIN
t explain-errno-number 0 : explain -6
t explain-errno-dashdash 0 : explain -- -5
t explain-check 0 : explain msr.uniform
t explain-bad 2 : explain nonsense
t explain-zero 0 : explain 0
t explain-small-hex 0 : explain 0x1
t explain-hex-errno 0 : explain 0xb
t explain-decimal-status 0 : explain 13835068088325769602
t explain-fatal-sw 0 : explain 0x8000FF00FFFF0000
tdx --json explain --list
keep_json explain-list
tdx explain --list
has "explain --list shows check ids" "$WORK/out" '^  bios\.keyids$'
has "explain --list shows status names" "$WORK/out" '^  TDX_SYS_CONFIG_NOT_PENDING$'
# explain --list names exactly the checks that check runs (all of them run on
# the tdx-host fixture), and explain answers each of them
python3 - "$WORK/json/explain-list.json" "$WORK/json/check-tdx-host.json" > "$WORK/ids" 2>&1 <<'PY'
import json, sys
listed = json.load(open(sys.argv[1]))["checks"]
ran = [c["id"] for c in json.load(open(sys.argv[2]))["checks"]]
if not listed or sorted(listed) != sorted(ran):
    sys.exit(f"explain --list {sorted(listed)} != check {sorted(ran)}")
print("\n".join(listed))
PY
ids_rc=$?
ids=()
[ "$ids_rc" = 0 ] && mapfile -t ids < "$WORK/ids"
bad_ids=
for id in "${ids[@]}"; do
	tdx --json explain "$id"
	[ "$rc" = 0 ] && grep -qF "\"id\":\"$id\"" "$WORK/out" || bad_ids+=" $id(exit $rc)"
done
if [ "$ids_rc" = 0 ] && [ "${#ids[@]}" -gt 0 ] && [ -z "$bad_ids" ]; then
	ok "explain answers each of the ${#ids[@]} check ids that explain --list and check name"
else
	notok "explain answers every check id"
	{ [ "$ids_rc" = 0 ] || cat "$WORK/ids"; [ -z "$bad_ids" ] || echo "no explanation for:$bad_ids"; } | diag
fi

### version (5 other checks) ###
t version-nodriver 0 : "$(fx tdx-host)" version
t version-fake 0 fake_reset "$FK" "$FD" version
fake_reset
rc_is "--device PATH without --sysroot" 0 --device "$FAKE/dev/tdx_host" status
has "--device: the fake device answered" "$WORK/out" '^  backend: +emulated$'
rc_is "--device to a missing node: exit 4" 4 --device "$WORK/nonexistent" status
rc_is "-V is version" 0 -V
has "-V prints the tool version" "$WORK/out" '^tdxctl: +[0-9]'

### the fake driver: status, cpu list, enable, module enable (9 other checks) ###
t status-fake-uninit 0 fake_reset "$FK" "$FD" status --cpus
t cpu-list-fake 0 fake_reset "$FK" "$FD" cpu list
t cpu-list-cols 0 fake_reset "$FK" "$FD" cpu list -o cpu,enabled,status_name 1-2
t cpu-list-plus 0 fake_reset "$FK" "$FD" cpu list -o +failed,present,core -c 0
rc_is "cpu list -o bogus" 2 "$FK" "$FD" cpu list -o bogus
has "cpu list -o bogus names the column" "$WORK/err" "unknown column 'bogus'"
t module-enable-precondition 6 fake_reset "$FK" "$FD" module enable
t cpu-enable-some 0 fake_reset "$FK" "$FD" cpu enable 0-1
fake_reset "enabled=0,1"
t cpu-enable-again 0 : "$FK" "$FD" cpu enable 0-1
t enable-fresh 0 fake_reset "$FK" "$FD" enable
t status-fake-initialized 0 "fake_reset enabled=0-3 state=2" "$FK" "$FD" status
t enable-already 0 "fake_reset enabled=0-3 state=2" "$FK" "$FD" enable

# hotplug: CPU 3 goes offline after CPU 1 is enabled
t enable-went-offline 6 "fake_reset offline_after=1:3" "$FK" "$FD" enable
has "went-offline CPU is named in the error" "$WORK/out" '"message":"TDX module enable refused: CPU 3 is offline'
fake_reset "offline_after=1:3"
tdx "$FK" "$FD" enable
echo 1 > "$FAKE/sys/devices/system/cpu/cpu3/online"
echo 0-3 > "$FAKE/sys/devices/system/cpu/online"
rc_is "enable again after CPU 3 is back: success" 0 "$FK" "$FD" enable
has "second run: CPU 3 now enabled" "$WORK/out" '^cpu 3: enabled$'
has "second run: CPUs 0-2 already enabled" "$WORK/out" '^cpu 0: already-enabled$'
# the driver finds the CPU offline (ENXIO) although sysfs still said online
t enable-enxio 6 "fake_reset enxio=2" "$FK" "$FD" enable

# --online-cpus brings offline CPUs online first; without it they stay
offline3() { fake_reset; echo 0 > "$FAKE/sys/devices/system/cpu/cpu3/online"; echo 0-2 > "$FAKE/sys/devices/system/cpu/online"; }
t enable-offline-cpu 6 offline3 "$FK" "$FD" enable
t enable-online-cpus 0 offline3 "$FK" "$FD" enable --online-cpus
offline3
tdx "$FK" "$FD" enable
has "without --online-cpus the CPU stays offline" "$FAKE/sys/devices/system/cpu/cpu3/online" '^0$'
t cpu-enable-offline 3 offline3 "$FK" "$FD" cpu enable 2-3

# failures: a CPU fails LP.INIT; the module fails (sticky); no TDX module
t enable-cpu-fails 3 "fake_reset fail=2:0xc000092000000982" "$FK" "$FD" enable
t enable-module-fails 1 "fake_reset module_fail=6:0xc0000a1000000000" "$FK" "$FD" enable
fail_sticky() { fake_reset "state=3" "enabled=0-3" "err_step=6" "err_errno=5" "err_status=0xc0000a1000000000"; }
t enable-sticky 6 fail_sticky "$FK" "$FD" enable
t status-fake-error 0 fail_sticky "$FK" "$FD" status
t module-enable-sticky 6 fail_sticky "$FK" "$FD" module enable
t module-enable-ok 0 "fake_reset enabled=0-3" "$FK" "$FD" module enable
t enable-nodev 4 "fake_reset nodev=1" "$FK" "$FD" enable
t enable-in-kernel 0 fake_reset "$FK" "$FD" enable --in-kernel
t status-eacces 5 "fake_reset eacces=1" "$FK" "$FD" status
t enable-eacces 5 "fake_reset eacces=1" "$FK" "$FD" enable
t status-abi-mismatch 4 "fake_reset abi=2" "$FK" "$FD" status
fake_reset
rc_is "cpu enable needs a list" 2 "$FK" "$FD" cpu enable
rc_is "enable takes no -c" 2 "$FK" "$FD" -c 0 enable

### facts a backend does not report: unknown, never 0 (42 other checks) ###
# The kernel backend (backend=2 in the fake) gets only an errno: module CPU
# counts, step times and TDX status codes and steps are unknown.  Text says
# so and names the backend; JSON gives null.
# nulls NAME FILE PATH...: each path of the JSON document is null (a[*] for
# every element), and the document has no zero TDX status and no step "none"
nulls() {
	local name=$1 file=$2
	shift 2
	if python3 - "$file" "$@" > "$WORK/nulls" 2>&1 <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
bad = []
def get(o, parts):
    if not parts:
        return [o]
    p, rest = parts[0], parts[1:]
    if p.endswith('[*]'):
        lst = o[p[:-3]] if p[:-3] else o
        if not lst:
            raise KeyError(p + ' is empty')
        return [v for x in lst for v in get(x, rest)]
    return get(o[p], rest)
for path in sys.argv[2:]:
    try:
        vals = get(doc, path.split('.'))
    except (KeyError, TypeError, IndexError) as e:
        bad.append(f'{path}: missing ({e})'); continue
    if any(v is not None for v in vals):
        bad.append(f'{path} = {vals}, not null')
text = json.dumps(doc)
for zero in ('0x0000000000000000', '"step": "none"'):
    if zero in text:
        bad.append(f'{zero} in the document')
sys.exit('\n'.join(bad) if bad else 0)
PY
	then ok "$name"; else notok "$name"; diag < "$WORK/nulls"; fi
}
# The same scenario on the emulated and on the kernel backend: the JSON
# documents differ only in the backend's name, in sentences, and where the
# kernel backend's value is null and the emulated one is not (at least one).
# same_but_unknown NAME SETUP ARGS...
same_but_unknown() {
	local name=$1 setup=$2
	shift 2
	$setup
	tdx --json "$@"; cp "$WORK/out" "$WORK/emu.json"
	$setup
	echo backend=2 >> "$TDXFAKE_STATE"
	tdx --json "$@"; cp "$WORK/out" "$WORK/kern.json"
	if python3 - "$WORK/emu.json" "$WORK/kern.json" > "$WORK/sbu" 2>&1 <<'PY'
import json, sys
emu, kern = (json.load(open(p)) for p in sys.argv[1:3])
texts = {'summary', 'description', 'message', 'hint', 'reason', 'value', 'elapsed_ns'}
bad, unknown = [], []
def walk(a, b, path):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                bad.append(f'{path}.{k}: only in one document')
            else:
                walk(a[k], b[k], f'{path}.{k}')
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            walk(x, y, f'{path}[{i}]')
    elif a != b:
        key = path.rsplit('.', 1)[-1]
        # the kernel backend is itself evidence of the kernel's TDX host
        # core: the regime object may differ
        if path == '.driver.backend' or path.startswith('.kernel.') or key in texts:
            return
        if b is None:
            unknown.append(path)
        else:
            bad.append(f'{path}: emulated {a!r}, kernel {b!r}')
walk(emu, kern, '')
if not unknown:
    bad.append('no fact became unknown')
print('unknown: ' + ' '.join(unknown))
sys.exit('\n'.join(bad) if bad else 0)
PY
	then ok "$name ($(tail -n 1 "$WORK/sbu"))"; else notok "$name"; diag < "$WORK/sbu"; fi
}
# kt: t, then the text run again, its output left in $WORK/out
kt() {
	local setup=$3
	t "$@"
	shift 3
	$setup
	tdx "$@"
}
E_STICKY="state=3 enabled=0-3 err_step=6 err_errno=5 err_status=0xc0000a1000000000 timing=1"
K_STICKY="backend=2 $E_STICKY"
kt status-kernel-error 0 "fake_reset $K_STICKY" "$FK" "$FD" status
has "status, kernel backend: the failing step is unknown, naming the backend" "$WORK/out" '^    step: +unknown \(the kernel backend does not report it\)$'
has "status, kernel backend: the TDX status is unknown" "$WORK/out" '^    TDX status: +unknown \(the kernel backend does not report it\)$'
has "status, kernel backend: the cause gives the errno, says the rest is not reported" "$WORK/out" '^    cause: +TDX module initialization failed \(EIO\); the kernel backend does not report the step or TDX status; sticky until reboot$'
has "status, kernel backend: step times unknown, naming the backend" "$WORK/out" '^  step times: +unknown \(the kernel backend does not report it\)$'
has "status, kernel backend: module CPU count unknown" "$WORK/out" '^  TDX module CPUs: +unknown \(the kernel backend does not report it\)$'
hasnt "status, kernel backend: no zero status, no step none, no 0 CPUs" "$WORK/out" '0x0000000000000000|step: +none|no step|TDX module (CPUs|packages): +0|: +0 ns'
nulls "status --json, kernel backend: step, status, times, module CPUs are null" "$WORK/json/status-kernel-error.json" \
	module.error.step module.error.tdx_status module.error.name module.enable_ns module.step_ns cpus.module_lp_count cpus.module_packages
kt status-kernel-initialized 0 "fake_reset backend=2 enabled=0-3 state=2 timing=1" "$FK" "$FD" status --cpus
has "status --cpus, kernel backend: the table says the TDX status is unknown, naming the backend" "$WORK/out" '^TDX status unknown \(the kernel backend does not report it\)$'
hasnt "status --cpus, kernel backend: no TDX status 0, no failure" "$WORK/out" '0x0000000000000000|TDX_SUCCESS|failure: +[^ n]'
nulls "status --cpus --json, kernel backend: every CPU's TDX status is null" "$WORK/json/status-kernel-initialized.json" 'cpu_table[*].tdx_status' cpus.module_lp_count module.step_ns
# 6.14-6.18: tdx_get_sysinfo() (and 6.16+ tdx_get_nr_guest_keyids()) tell
# features0, MAX_TDMRS and the guest KeyIDs of the initialized module
kt status-kernel-sysinfo 0 "fake_reset backend=2 known=0xc0 enabled=0-3 state=2" "$FK" "$FD" status
has "status, kernel backend with tdx_get_sysinfo(): features0 and its names" "$WORK/out" '^  features0: +0x0000000000140002$'
has "status, kernel backend with tdx_get_sysinfo(): MAX_TDMRS" "$WORK/out" '^  TDMRs at most: +64$'
has "status, kernel backend with tdx_get_nr_guest_keyids(): guest KeyIDs" "$WORK/out" '^  guest KeyIDs: +47$'
has "status, kernel backend with tdx_get_sysinfo(): the version is still unknown, naming the backend" "$WORK/out" '^  version: +unknown \(the kernel backend does not report it\)$'
nulls "status --json, kernel backend with tdx_get_sysinfo(): what it does not tell is null" "$WORK/json/status-kernel-sysinfo.json" \
	module.version module.build_date module.build_num module.tdmrs module.pamt_kb module.global_keyid module.guest_keyids.first
# ... which answers once KVM initialized the module, before this driver did
kt status-kernel-kvm-initialized 0 "fake_reset backend=2 known=0xc0 kinit=1" "$FK" "$FD" status
has "status, kernel backend, KVM initialized the module: the summary says so and what enable does" "$WORK/out" \
	"^TDX: +ready: the kernel's TDX module is initialized \\(by KVM\\); 'tdxctl enable' records it in the driver without changing it$"
has "status, kernel backend, KVM initialized the module: the driver's own state stays uninitialized" "$WORK/out" '^  state: +uninitialized$'
kt cpu-list-kernel 0 "fake_reset backend=2 fail=2:0xc000092000000982 calls=1" "$FK" "$FD" cpu list -o +status_name,failed
has "cpu list, kernel backend: the failed CPU's status is unknown" "$WORK/out" '^ +2 yes +no +1 unknown +unknown +yes$'
rc_is "cpu list -r, kernel backend: one line per CPU, no note" 0 "$FK" "$FD" cpu list -r
hasnt "cpu list -r, kernel backend: no note line" "$WORK/out" 'backend'
kt cpu-enable-kernel 3 "fake_reset backend=2 fail=1:0xc000092000000982" "$FK" "$FD" cpu enable 0-1
has "cpu enable, kernel backend: failed (EIO), step and status not reported" "$WORK/out" '^cpu 1: failed \(EIO\); the kernel backend does not report the step or TDX status$'
nulls "cpu enable --json, kernel backend: step and status null" "$WORK/json/cpu-enable-kernel.json" 'cpus[*].step' 'cpus[*].tdx_status' 'cpus[*].status_name'
kt enable-kernel-module-fails 1 "fake_reset backend=2 module_fail=6:0xc0000a1000000000 timing=1" "$FK" "$FD" enable
has "enable, kernel backend: the module failure gives the errno only" "$WORK/out" '^  failed \(EIO\); the kernel backend does not report the step or TDX status$'
hasnt "enable, kernel backend: no step none, no status 0x0" "$WORK/out" 'failed at|TDX status:|0x0|none'
has "enable, kernel backend: the error message gives the errno only" "$WORK/err" 'TDX module initialization failed \(EIO\); the kernel backend does not report the step or TDX status'
nulls "enable --json, kernel backend: module step, status, step times null" "$WORK/json/enable-kernel-module-fails.json" module.step module.tdx_status module.status_name 'module.step_ns.tdmr_build'
kt enable-kernel-in-kernel 1 "fake_reset backend=2 fail=2:0xc000092000000982" "$FK" "$FD" enable --in-kernel
has "enable --in-kernel, kernel backend: the CPU's failure without step or status, with its errno" "$WORK/out" '^cpu 2: failed \(EIO\); the kernel backend does not report the step or TDX status$'
kern_sticky() { fake_reset $K_STICKY; }
kt enable-kernel-sticky 6 kern_sticky "$FK" "$FD" enable
has "enable after a sticky failure, kernel backend: failed at unknown" "$WORK/out" '^  failed at: +unknown \(the kernel backend does not report it\)$'
kt check-kernel-error 4 kern_sticky "$FK" "$FD" check --only module.state -v
has "check module.state, kernel backend: cannot tell the step or status" "$WORK/out" '^FAIL  module\.state +initialization failed \(EIO; the kernel backend does not report the step or TDX status\)'
hasnt "check module.state, kernel backend: no zero status as evidence" "$WORK/out" '0x0000000000000000|no step'
# module enable compares the TDX module's CPU count with the enabled CPUs:
# unknown, it cannot tell whether an offline CPU is needed; the driver decides
kern_off3() { fake_reset backend=2 enabled=0-2; echo 0 > "$FAKE/sys/devices/system/cpu/cpu3/online"; echo 0-2 > "$FAKE/sys/devices/system/cpu/online"; }
kt module-enable-kernel-offline 6 kern_off3 "$FK" "$FD" module enable
has "module enable, kernel backend: whether offline CPU 3 is needed is unknown" "$WORK/out" '^needed by the TDX module: +unknown \(the kernel backend does not report it\)$'
nulls "module enable --json, kernel backend: offline_needed null" "$WORK/json/module-enable-kernel-offline.json" precondition.offline_needed
# the per-call bit decides, not the backend: DETAIL clear on the emulated one,
# set on the kernel one
kt enable-detail-clear 1 "fake_reset module_fail=6:0xc0000a1000000000 detail=0" "$FK" "$FD" enable
has "enable, DETAIL clear on the emulated backend: unknown, naming it" "$WORK/out" '^  failed \(EIO\); the emulated backend does not report the step or TDX status$'
fake_reset backend=2 module_fail=6:0xc0000a1000000000 detail=1
tdx "$FK" "$FD" enable
has "enable, DETAIL set on the kernel backend: step and status shown" "$WORK/out" '^  TDX status: 0xc0000a1000000000 TDX_INVALID_PAMT$'
# every concerned command: emulated and kernel documents differ only by nulls
same_but_unknown "status --cpus: kernel = emulated but for nulls" "fake_reset $E_STICKY" "$FK" "$FD" status --cpus
same_but_unknown "status of an initialized module: kernel = emulated but for nulls" "fake_reset enabled=0-3 state=2 timing=1" "$FK" "$FD" status --cpus
same_but_unknown "cpu list: kernel = emulated but for nulls" "fake_reset fail=2:0xc000092000000982 calls=1" "$FK" "$FD" cpu list -o +status_name
same_but_unknown "cpu enable: kernel = emulated but for nulls" "fake_reset fail=1:0xc000092000000982" "$FK" "$FD" cpu enable 0-1
same_but_unknown "enable, a CPU fails: kernel = emulated but for nulls" "fake_reset fail=2:0xc000092000000982" "$FK" "$FD" enable
same_but_unknown "enable, the module fails: kernel = emulated but for nulls" "fake_reset module_fail=6:0xc0000a1000000000 timing=1" "$FK" "$FD" enable
same_but_unknown "enable --in-kernel: kernel = emulated but for nulls" "fake_reset fail=2:0xc000092000000982" "$FK" "$FD" enable --in-kernel
same_but_unknown "module enable after a sticky failure: kernel = emulated but for nulls" "fake_reset $E_STICKY" "$FK" "$FD" module enable

### usage errors and exit codes (25 other checks) ###
rc_is "no command" 2
rc_is "unknown command" 2 frobnicate
has "unknown command is named" "$WORK/err" "frobnicate"
rc_is "cpu without subcommand" 2 cpu
rc_is "unknown option" 2 status --bogus
rc_is "bad --color" 2 --color=sometimes status
rc_is "bad --json style" 2 --json=fancy status
fake_reset
for bad in "1-" "a" "3-1" "99" "0,,1" "1:2" "0-3:0" "-1" "0-3:x" "," "online,bogus"; do
	tdx "$FK" "$FD" -c "$bad" cpu list
	if [ "$rc" = 2 ]; then ok "cpu list -c '$bad': usage error"; else notok "cpu list -c '$bad': exit $rc"; fi
done
tdx "$FK" "$FD" -c 0-3:7x cpu list
has "a bad CPU list names the bad item" "$WORK/err" "'0-3:7x'"
tdx "$FK" "$FD" -c 42 cpu list
has "an out-of-range CPU is named with the possible CPUs" "$WORK/err" "CPU 42 .*out of range \(possible CPUs: 0-3\)"
rc_is "usage error in JSON mode: exit 2" 2 "$FK" "$FD" --json -c 1-0 cpu list
keep_json usage-cpulist
has "usage error in JSON mode: error object on stdout" "$WORK/out" '"error":\{"code":2,"name":"usage"'
rc_is "argp usage error in JSON mode" 2 --json status --bogus
keep_json usage-argp
has "argp usage error in JSON mode: document on stdout" "$WORK/out" '"command":"status".*"code":2'
rc_is "no command in JSON mode" 2 -j
keep_json usage-nocommand

### -vv traces files, MSRs and ioctls on stderr (3 other checks) ###
tdx -vv "$(fx msr-mismatch)" check --only bios.tme
has "-vv traces MSR reads" "$WORK/err" 'debug: cpu 3 MSR 0x982 = 0x0000004600000002'
has "-vv traces file opens" "$WORK/err" 'debug: open .*/proc/cpuinfo'
fake_reset
tdx "$FK" "$FD" -vv status
has "-vv traces ioctls" "$WORK/err" 'debug: ioctl STATUS: ok'

### -q, colour, JSON styles (11 other checks) ###
rc_is "-q keeps the exit code of a failed check" 1 -q "$(fx seamrr-off)" check
if [ -s "$WORK/out" ]; then notok "-q prints nothing on stdout"; else ok "-q prints nothing on stdout"; fi
rc_is "-q keeps exit 4 of status without driver" 4 -q "$(fx tdx-host)" status
if [ -s "$WORK/out" ]; then notok "-q status: nothing on stdout"; else ok "-q status: nothing on stdout"; fi
tdx --color=always "$(fx seamrr-off)" check
has "--color=always colours verdicts" "$WORK/out" $'\e\\[1;31mFAIL'
tdx "$(fx seamrr-off)" check
hasnt "no colour when stdout is not a terminal" "$WORK/out" $'\e\\['
NO_COLOR=1 tdx --color=always "$(fx seamrr-off)" check
has "--color=always beats NO_COLOR" "$WORK/out" $'\e\\['
tdx --color=always --json "$(fx seamrr-off)" check
hasnt "never colour in JSON" "$WORK/out" $'\e\\['
tdx --json=pretty "$(fx tdx-host)" check
keep_json check-pretty
lines=$(wc -l < "$WORK/out")
if [ "$lines" -gt 20 ]; then ok "--json=pretty is indented"; else notok "--json=pretty is indented ($lines lines)"; fi
tdx --json "$(fx tdx-host)" check
lines=$(wc -l < "$WORK/out")
if [ "$lines" = 1 ]; then ok "--json on a pipe is compact"; else notok "--json on a pipe is compact ($lines lines)"; fi
if python3 - "$WORK/json/check-pretty.json" "$WORK/out" <<'PY' > "$WORK/same" 2>&1
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
sys.exit(0 if a == b else 1)
PY
then ok "pretty and compact carry the same document"; else
	notok "pretty and compact differ"; diag < "$WORK/same"; fi

### text and JSON carry the same fields (1 other check) ###
python3 - "$GOLDEN" <<'PY' > "$WORK/parity" 2>&1
import json, sys, os
g = sys.argv[1]
bad = 0
compared = 0
def leaves(o, path=''):
    if isinstance(o, dict):
        for k, v in o.items():
            yield from leaves(v, path + '.' + k)
    elif isinstance(o, list):
        if o and all(isinstance(x, int) for x in o):
            yield path, o
        else:
            for i, v in enumerate(o):
                yield from leaves(v, f'{path}[{i}]')
    else:
        yield path, o
for name in ('status-fake-initialized', 'status-fake-error', 'status-7x-kernel', 'version-fake'):
    doc = json.load(open(os.path.join(g, name + '.json')))
    text = open(os.path.join(g, name + '.txt')).read()
    before = compared
    for path, v in leaves(doc):
        if path.startswith(('.schema_version', '.command', '.tool_version', '.error', '.module.source',
                            '.cpu_table')) or v is None or isinstance(v, bool):
            continue
        if isinstance(v, list):
            continue
        s = str(v)
        compared += 1
        if s not in text:
            print(f'{name}: {path} = {s!r} missing from the text output')
            bad += 1
    if compared == before:
        print(f'{name}: no value compared')
        bad += 1
print(f'{compared} values compared')
sys.exit(1 if bad else 0)
PY
if [ $? = 0 ]; then ok "every JSON value of status/version also appears in the text ($(tail -n 1 "$WORK/parity"))"; else
	notok "text lacks JSON values"; diag < "$WORK/parity"; fi

### the exit-code table is the same in --help and in the man page (13 other checks) ###
tdx --help
python3 - "$WORK/out" "$SRC/man/tdxctl.8" <<'PY' > "$WORK/exits" 2>&1
import re, sys
help_text = open(sys.argv[1]).read()
man = open(sys.argv[2]).read()
h = help_text.split('Exit status:')[1].split('\n\n')[0]
hcodes = {}
for line in h.splitlines():
    m = re.match(r'\s+(\d)\s+(.*)', line)
    if m:
        cur = m.group(1); hcodes[cur] = m.group(2)
    elif line.strip():
        hcodes[cur] += ' ' + line.strip()
sec = man.split('.SH EXIT STATUS')[1].split('.SH ')[0]
mcodes = dict(re.findall(r'\.TP\n\.B (\d)\n(.*)', sec))
bad = 0
for c in sorted(set(hcodes) | set(mcodes)):
    if hcodes.get(c) != mcodes.get(c):
        print(f'exit {c}: --help {hcodes.get(c)!r} vs man {mcodes.get(c)!r}'); bad += 1
print(f'{len(hcodes)} codes')
sys.exit(1 if bad or len(hcodes) != 9 else 0)
PY
if [ $? = 0 ]; then ok "exit codes: --help and tdxctl(8) carry the same table"; else
	notok "exit codes differ between --help and tdxctl(8)"; diag < "$WORK/exits"; fi
for c in status enable "cpu list" "cpu enable" "module enable" "module update" "module versions" check explain diag version; do
	if grep -q "^\.B.* ${c%% *}" "$SRC/man/tdxctl.8" && grep -q -- "$c" "$SRC/man/tdxctl.8"; then
		ok "tdxctl(8) documents $c"; else notok "tdxctl(8) lacks $c"; fi
done

### one source of truth: man page against the tool (4 other checks) ###
# the Kernel support tables name exactly the regimes status reports
python3 - "$SCHEMAS/status.json" "$SRC/README.md" "$SRC/man/tdxctl.8" > "$WORK/regdoc" 2>&1 <<'PY'
import json, re, sys
want = set(json.load(open(sys.argv[1]))["properties"]["kernel"]["properties"]["regime"]["enum"]) - {"unknown"}
readme = open(sys.argv[2]).read().split('## Kernel support')[1].split('\n## ')[0]
got = set(re.findall(r'^\|[^|]*\| `([a-z-]+)` \|', readme, re.M))
sys.exit(0 if want and got == want else f"README Kernel support: {sorted(got)}, status: {sorted(want)}")
PY
if [ $? = 0 ]; then ok "README Kernel support names exactly the regimes of status"; else notok "README Kernel support vs regimes"; diag < "$WORK/regdoc"; fi
python3 - "$SCHEMAS/status.json" "$SRC/man/tdxctl.8" > "$WORK/regdoc" 2>&1 <<'PY'
import json, re, sys
want = set(json.load(open(sys.argv[1]))["properties"]["kernel"]["properties"]["regime"]["enum"]) - {"unknown"}
sec = open(sys.argv[2]).read().split('.SH KERNEL SUPPORT')[1].split('.SH ')[0]
got = {w.replace('\\-', '-') for w in re.findall(r'\.TP\n\.B ([a-z\\-]+)\n', sec)}
sys.exit(0 if want and got == want else f"tdxctl(8) KERNEL SUPPORT: {sorted(got)}, status: {sorted(want)}")
PY
if [ $? = 0 ]; then ok "tdxctl(8) KERNEL SUPPORT names exactly the regimes of status"; else notok "tdxctl(8) KERNEL SUPPORT vs regimes"; diag < "$WORK/regdoc"; fi
tdx --json explain --list
python3 - "$WORK/out" "$SRC/man/tdxctl.8" > "$WORK/mancheck" 2>&1 <<'PY'
import json, re, sys
ids = sorted(json.load(open(sys.argv[1]))["checks"])
sec = open(sys.argv[2]).read().split('.SH CHECKS')[1].split('.SH ')[0]
man = sorted(re.findall(r'\.TP\n\.B ([a-z0-9_.]+)\n', sec))
sys.exit(0 if ids and ids == man else f"explain --list {ids}\nman page   {man}")
PY
if [ $? = 0 ]; then ok "tdxctl(8) CHECKS names exactly the check IDs"; else notok "tdxctl(8) CHECKS vs check IDs"; diag < "$WORK/mancheck"; fi
python3 - "$WORK/out" "$SRC/man/tdxctl.8" > "$WORK/mancheck" 2>&1 <<'PY'
import json, sys
ids = sorted(json.load(open(sys.argv[1]))["checks"])
sec = open(sys.argv[2]).read().split('.SS Compared with other tools')[1].split('.nf\n')[1].split('.fi\n')[0]
rows = [l.split('\t') for l in sec.splitlines()[2:]]  # after .ta and the header
bad = [r for r in rows if len(r) != 4]
sys.exit(0 if not bad and sorted(r[0] for r in rows) == ids else f"{bad}\nexplain --list {ids}\ntable      {sorted(r[0] for r in rows)}")
PY
if [ $? = 0 ]; then ok "tdxctl(8) comparison with other tools has a row of 4 columns for each check ID"; else notok "tdxctl(8) comparison table vs check IDs"; diag < "$WORK/mancheck"; fi
tdx --json cpu list --list-columns
python3 - "$WORK/out" "$SRC/man/tdxctl.8" > "$WORK/mancheck" 2>&1 <<'PY'
import json, re, sys
cols = [c["name"] for c in json.load(open(sys.argv[1]))["columns"]]
sec = open(sys.argv[2]).read().split('.BR "cpu list "')[1].split('.TP')[0]
man = re.findall(r'\b([a-z][a-z_]*[a-z])\b', ' '.join(l for l in sec.splitlines() if l.startswith('.B ')))
missing = [c for c in cols if c not in man]
sys.exit(0 if cols and not missing else f"columns missing from tdxctl(8) cpu list: {missing}")
PY
if [ $? = 0 ]; then ok "tdxctl(8) cpu list names every column"; else notok "tdxctl(8) cpu list columns"; diag < "$WORK/mancheck"; fi

### diag: bundle, extract, replay on every fixture (3 per fixture + 25 other checks) ###
DG=$WORK/diag
mkdir -p "$DG"
# diag_replay NAME ROOT BUNDLE [ORIGIN]: the bundle's status/check JSON, a replay
# of the extracted tree and a direct run on ROOT agree (the sysroot path
# aside; ORIGIN: the bundle was made from that tree, not ROOT)
diag_replay() {
	local name=$1 root=$2 bundle=$3 origin=${4:-$2} ex=$DG/ex-$1 top
	rm -rf "$ex"; mkdir -p "$ex"
	if ! tar xzf "$bundle" -C "$ex" 2> "$DG/tar.err"; then
		notok "diag $name: replay (tar xzf failed)"; diag < "$DG/tar.err"; return
	fi
	top=$(echo "$ex"/tdxctl-diag-*/)
	top=${top%/}
	# the fake driver is a device: named, since a --sysroot never opens one
	local dev=(); [ "$root" = "$FAKE" ] && dev=("$FD")
	tdx --json "--sysroot=$root" "${dev[@]}" status --cpus; cp "$WORK/out" "$DG/direct-status.json"
	tdx --json "--sysroot=$root" "${dev[@]}" check -v; cp "$WORK/out" "$DG/direct-check.json"
	tdx --json "--sysroot=$top" status --cpus; cp "$WORK/out" "$DG/replay-status.json"
	tdx --json "--sysroot=$top" check -v; cp "$WORK/out" "$DG/replay-check.json"
	if python3 - "$root" "$top" "$DG" "$origin" > "$DG/cmp" 2>&1 <<'PY'
import json, sys
root, top, d, origin = sys.argv[1:5]
def load(path, prefix):
    return json.loads(open(path).read().replace(prefix, '@ROOT@'))
bad = 0
for c in ('status', 'check'):
    inside = load(f'{top}/tdxctl/{c}.json', origin)
    direct = load(f'{d}/direct-{c}.json', root)
    replay = load(f'{d}/replay-{c}.json', top)
    if not inside.get('command') == c:
        print(f'{c}: no document in the bundle'); bad += 1
    for label, doc in (('direct run', direct), ('replay', replay)):
        if doc != inside:
            print(f'{c}: the {label} differs from the bundle:')
            print(json.dumps(doc, sort_keys=True)[:1500]); print(json.dumps(inside, sort_keys=True)[:1500])
            bad += 1
sys.exit(1 if bad else 0)
PY
	then ok "diag $name: status --cpus and check -v replayed from the bundle equal the original"; else
		notok "diag $name: replay differs"; diag < "$DG/cmp"; fi
}
# manifest_ok NAME TOP: every file hashed as listed, every file listed
manifest_ok() {
	if python3 - "$2" > "$DG/man" 2>&1 <<'PY'
import hashlib, json, os, sys
top = sys.argv[1]
m = json.load(open(os.path.join(top, 'manifest.json')))
listed = {f['path']: f for f in m['files']}
on_disk = set()
for d, _, files in os.walk(top):
    for f in files:
        on_disk.add(os.path.relpath(os.path.join(d, f), top))
on_disk.discard('manifest.json')
bad = sorted(on_disk ^ set(listed))
for p, f in listed.items():
    if p in on_disk:
        data = open(os.path.join(top, p), 'rb').read()
        if len(data) != f['size'] or hashlib.sha256(data).hexdigest() != f['sha256']:
            bad.append(p + ' (hash or size)')
osrel = os.path.join(top, 'proc/sys/kernel/osrelease')
if os.path.exists(osrel) and m['kernel'] != open(osrel).read().strip():
    bad.append('kernel')
if bad or not listed:
    sys.exit(f'{len(listed)} listed; wrong: {bad}')
PY
	then ok "diag $1: manifest lists every file with its sha256sum and size"; else
		notok "diag $1: manifest"; diag < "$DG/man"; fi
}
manifests=()
for f in "$FIXTURES"/*/; do
	f=$(basename "$f")
	python3 "$FIXTURES/mkroot.py" "$FIXTURES/$f" "$DG/fx-$f" || bail "fixture $f does not build"
	tdx "--sysroot=$DG/fx-$f" diag -o "$DG/$f.tar.gz"
	# fake-host: the driver is loaded (sysfs) but the tree has no device: missing, partial
	want=0; [ "$f" = fake-host ] && want=3
	if [ "$rc" = "$want" ] && [ -s "$DG/$f.tar.gz" ]; then ok "diag $f: exit $want, bundle written"; else
		notok "diag $f: exit $rc, wanted $want"; diag < "$WORK/err"; fi
	diag_replay "$f" "$DG/fx-$f" "$DG/$f.tar.gz"
	manifest_ok "$f" "$(echo "$DG/ex-$f"/tdxctl-diag-*)"
	manifests+=("$(echo "$DG/ex-$f"/tdxctl-diag-*/manifest.json)")
done
# planted identifiers: a hostname, DMI serial and UUID, a MAC address in the log
P=$DG/fx-planted
cp -a "$DG/fx-tdx-host" "$P"
mkdir -p "$P/proc/sys/kernel"
echo planted-host-zq7 > "$P/proc/sys/kernel/hostname"
echo PLANTED-SERIAL-93817 > "$P/sys/class/dmi/id/product_serial"
echo 7c3e1a52-55aa-4e1f-9d7b-planteduuid0 > "$P/sys/class/dmi/id/product_uuid"
echo PLANTED-BOARD-4242 > "$P/sys/class/dmi/id/board_serial"
echo '6,300,9000,-;kvm_intel: TDX on planted-host-zq7, nic 52:54:00:ab:cd:ef, board PLANTED-BOARD-4242' >> "$P/dev/kmsg"
# IPv4 and IPv6 addresses and a user name (a home below /home) in the log;
# a time of day, a PCI address and a version next to them stay as they are
mkdir -p "$P/etc"
printf 'root:x:0:0:root:/root:/bin/bash\nzqplantuser:x:1000:1000::/home/zqplantuser:/bin/bash\n' > "$P/etc/passwd"
echo '6,301,9100,-;kvm_intel: TDX planted from 192.0.2.77 and [2001:db8::5eed:1]:22 at 10:36:12 by zqplantuser (/home/zqplantuser), 0000:00:1f.2 v1.5.08' >> "$P/dev/kmsg"
planted='planted-host-zq7|PLANTED-SERIAL-93817|planteduuid0|PLANTED-BOARD-4242|52:54:00:ab:cd:ef|192\.0\.2\.77|2001:db8::5eed:1|zqplantuser'
tdx --json "--sysroot=$P" diag -o "$DG/planted.tar.gz"
keep_json diag-planted
gzip -dc "$DG/planted.tar.gz" > "$DG/planted.tar" 2>&1
if [ -s "$DG/planted.tar" ] && ! grep -aqE "$planted" "$DG/planted.tar"; then
	ok "diag redacts by default: no planted identifier anywhere in the archive"; else
	notok "diag redacts by default: planted identifiers in the archive"; grep -aoE "$planted" "$DG/planted.tar" | sort -u | diag; fi
diag_replay planted "$P" "$DG/planted.tar.gz"
if python3 - "$(echo "$DG/ex-planted"/tdxctl-diag-*/manifest.json)" > "$DG/red" 2>&1 <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
got = {(r['path'], r['what']) for r in m['redaction']['redacted']}
want = {('dev/kmsg', 'hostname'), ('dev/kmsg', 'mac-address'), ('dev/kmsg', 'board_serial'),
        ('dev/kmsg', 'ipv4-address'), ('dev/kmsg', 'ipv6-address'), ('dev/kmsg', 'user-name'),
        ('sys/class/dmi/id/product_serial', 'product_serial'),
        ('sys/class/dmi/id/product_uuid', 'product_uuid')}
sys.exit(0 if m['redaction']['enabled'] and want <= got else f'redacted {sorted(got)}, wanted {sorted(want)}')
PY
then ok "diag: the manifest records what was redacted"; else notok "diag: redaction record"; diag < "$DG/red"; fi
manifests+=("$(echo "$DG/ex-planted"/tdxctl-diag-*/manifest.json)")
has "diag: redaction leaves a time, a PCI address and a version alone" "$(echo "$DG/ex-planted"/tdxctl-diag-*/dev/kmsg)" \
	'from xxx\.x\.x\.xx and \[xxxx:xxx::xxxx:x\]:22 at 10:36:12 by REDACTED-USER \(/home/REDACTED-USER\), 0000:00:1f\.2 v1\.5\.08$'
hasnt "diag: /etc/passwd is read for user names, never put in the bundle" "$DG/planted.tar" 'root:x:0:0'
tdx "--sysroot=$P" diag --no-redact -o "$DG/kept.tar.gz"
gzip -dc "$DG/kept.tar.gz" > "$DG/kept.tar" 2>&1
if [ "$(grep -aoE "$planted" "$DG/kept.tar" | sort -u | wc -l)" = 8 ]; then
	ok "diag --no-redact keeps every planted identifier"; else
	notok "diag --no-redact keeps every planted identifier"; grep -aoE "$planted" "$DG/kept.tar" | sort -u | diag; fi
# a source that cannot be read: listed, exit 3, the bundle still whole
U=$DG/fx-unreadable
cp -a "$DG/fx-tdx-host" "$U"
rm "$U/sys/power/state"; mkfifo "$U/sys/power/state"
rc_is "diag with an unreadable source: exit 3 (partial)" 3 "--sysroot=$U" --json diag -o "$DG/unreadable.tar.gz"
keep_json diag-unreadable
tar xzOf "$DG/unreadable.tar.gz" --wildcards '*/manifest.json' > "$DG/unreadable-manifest.json" 2>&1
cp "$DG/unreadable-manifest.json" "$DG/m-unreadable.json"; manifests+=("$DG/m-unreadable.json")
if python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
sys.exit(0 if {"path": "sys/power/state", "errno": "EINVAL", "reason": "not a regular file"} in m["missing"] else 1)
' "$DG/unreadable-manifest.json" 2>/dev/null; then ok "diag: the unreadable source is listed in the manifest with its errno"; else
	notok "diag: the unreadable source is not listed in the manifest"; diag < "$DG/unreadable-manifest.json"; fi
# --verify
rc_is "diag --verify: an intact bundle verifies" 0 --json diag --verify "$DG/unreadable.tar.gz"
keep_json diag-verify
top=$(echo "$DG/ex-tdx-host"/tdxctl-diag-*); top=${top##*/}
sed -i 's/GenuineIntel/GenuineIntex/' "$DG/ex-tdx-host/$top/proc/cpuinfo"
tar czf "$DG/modified.tar.gz" -C "$DG/ex-tdx-host" "$top"
rc_is "diag --verify: a modified file fails (exit 1)" 1 diag --verify "$DG/modified.tar.gz"
has "diag --verify names the modified file" "$WORK/out" 'proc/cpuinfo: SHA-256 differs'
head -c 3000 "$DG/tdx-host.tar.gz" > "$DG/truncated.tar.gz"
rc_is "diag --verify: a truncated bundle fails (exit 1)" 1 diag --verify "$DG/truncated.tar.gz"
# -o -: the archive on stdout, nothing else; the default name: a timestamp, no hostname, owner only
tdx "--sysroot=$DG/fx-tdx-host" diag -o -
if [ "$rc" = 0 ] && tar tzf "$WORK/out" 2> "$DG/tar.err" | grep -q '/manifest.json$'; then
	ok "diag -o -: the archive on standard output"; else notok "diag -o -: exit $rc"; diag < "$DG/tar.err"; fi
mkdir -p "$DG/cwd"
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
tdxabs=$(abs "$TDXCTL") shimabs=$(abs "$SHIM")
( cd "$DG/cwd" && LD_PRELOAD=$shimabs ${TDXCTL_WRAP:-} "$tdxabs" "--sysroot=$P" diag > /dev/null 2> "$DG/cwd.err" )
if grep -qE 'runtime error|AddressSanitizer|LeakSanitizer|^==[0-9]+== ' "$DG/cwd.err"; then
	{ echo "tdxctl diag (default name)"; cat "$DG/cwd.err"; } >> "$WORK/tool-errors"; fi
name=$(cd "$DG/cwd" && ls)
if [[ $name =~ ^tdxctl-diag-[0-9]{8}T[0-9]{6}Z\.tar\.gz$ ]] && [[ $name != *planted* ]] && [[ $name != *"$(hostname)"* ]]; then
	ok "diag: default file name carries a timestamp, no hostname ($name)"; else notok "diag: default file name '$name'"; fi
if [ "$(stat -c %a "$DG/cwd/$name" 2>/dev/null)" = 600 ]; then ok "diag: the bundle is readable by its owner only"; else
	notok "diag: bundle mode $(stat -c %a "$DG/cwd/$name" 2>/dev/null)"; fi
# the bundle cannot be written: exit 1, never 0
rc_is "diag -o into a missing directory: exit 1" 1 "--sysroot=$DG/fx-tdx-host" diag -o "$DG/nonexistent/b.tar.gz"
rc_is "diag -o /dev/full: a device is never replaced, exit 1" 1 "--sysroot=$DG/fx-tdx-host" diag -o /dev/full
# without root: a file only root may read is listed as needing root, exit 3
# (run as nobody when the suite runs as root)
N=$DG/fx-noroot
cp -a "$DG/fx-tdx-host" "$N"
chmod 000 "$N/proc/cmdline"
mkdir -p "$DG/nr"
chmod 755 "$WORK" "$DG"; chmod 777 "$DG/nr"
asuser=()
if [ "$(id -u)" = 0 ]; then
	asuser=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	# nobody may not enter the build tree (a clone in a 0700 directory);
	# a wrapper such as valgrind opens the binary as nobody: run copies
	mkdir -p "$DG/nobody-bin"
	cp "$tdxabs" "$shimabs" "$DG/nobody-bin/"
	chmod 755 "$DG/nobody-bin" "$DG/nobody-bin"/*
	tdxabs=$DG/nobody-bin/$(basename "$tdxabs") shimabs=$DG/nobody-bin/$(basename "$shimabs")
fi
LD_PRELOAD=$shimabs "${asuser[@]}" ${TDXCTL_WRAP:-} "$tdxabs" "--sysroot=$N" diag -o "$DG/nr/b.tar.gz" > /dev/null 2> "$DG/nr.err"
rc=$?
if grep -qE 'runtime error|AddressSanitizer|LeakSanitizer|^==[0-9]+== ' "$DG/nr.err"; then
	{ echo "tdxctl diag (not root)"; cat "$DG/nr.err"; } >> "$WORK/tool-errors"; fi
if [ "$rc" = 3 ]; then ok "diag without root: exit 3"; else notok "diag without root: exit $rc, wanted 3"; diag < "$DG/nr.err"; fi
tar xzOf "$DG/nr/b.tar.gz" --wildcards '*/manifest.json' > "$DG/m-noroot.json" 2>&1
manifests+=("$DG/m-noroot.json")
if python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
sys.exit(0 if not m["root"] and {"path": "proc/cmdline", "errno": "EACCES", "reason": "permission denied: needs root"} in m["missing"] else 1)
' "$DG/m-noroot.json" 2>/dev/null; then ok "diag without root: the file only root reads is listed as needing root"; else
	notok "diag without root: manifest"; diag < "$DG/m-noroot.json"; fi
# the driver's replies travel in the bundle (dev/tdx_host/): a failed
# module enable is replayed with its error, not as "no driver"
fake_reset 'module_fail=5:0xc0000a1000000000'
tdx "$FK" "$FD" enable
tdx "$FK" "$FD" diag -o "$DG/fake.tar.gz"
if [ "$rc" = 0 ] && [ -s "$DG/fake.tar.gz" ]; then ok "diag with the (fake) driver: exit 0, bundle written"; else
	notok "diag with the (fake) driver: exit $rc"; diag < "$WORK/err"; fi
diag_replay fake-driver "$FAKE" "$DG/fake.tar.gz"
has "diag: the replay shows the driver's sticky error from the saved replies" "$DG/replay-status.json" '"state":"error".*"name":"TDX_INVALID_PAMT"'
FT=$(echo "$DG/ex-fake-driver"/tdxctl-diag-*)
manifests+=("$FT/manifest.json")
if python3 - "$FT" > "$DG/drv" 2>&1 <<'PY'
import json, os, sys
top = sys.argv[1]
m = json.load(open(os.path.join(top, 'manifest.json')))
d = m['driver']
got = {r['path']: r for r in d['replies']}
want = {'dev/tdx_host/version': 48, 'dev/tdx_host/status': 264, 'dev/tdx_host/cpu_table': 4 * 32}
bad = [p for p, n in want.items() if p not in got or os.path.getsize(os.path.join(top, p)) != n
       or not got[p]['what'] or not got[p]['ioctl']]
sys.exit(f'replies {sorted(got)}: wrong {bad}' if bad or d['open'] != 'ok' or not d['steady'] or len(got) != 3 else 0)
PY
then ok "diag: the manifest describes each saved reply of the driver"; else notok "diag: driver replies in the manifest"; diag < "$DG/drv"; fi
rc_is "enable on a replayed bundle: refused (EROFS), exit 1" 1 "--sysroot=$FT" enable
has "enable on a replayed bundle says why" "$WORK/err" 'a replayed diag bundle answers queries only'
head -c 100 "$FT/dev/tdx_host/status" > "$DG/short" && cat "$DG/short" > "$FT/dev/tdx_host/status"
tdx --json "--sysroot=$FT" status
has "a damaged saved reply is named, not read" "$WORK/out" 'a reply of the driver saved in the bundle is damaged'
# the kernel config: only the options of the table, from /proc/config.gz,
# else /boot/config-RELEASE
C=$DG/fx-config
cp -a "$DG/fx-tdx-host" "$C"
printf 'CONFIG_INTEL_TDX_HOST=y\n# CONFIG_KVM_INTEL_TDX is not set\nCONFIG_KVM_INTEL=m\nCONFIG_PLANTED_UNRELATED=y\n' | gzip -c > "$C/proc/config.gz"
tdx "--sysroot=$C" diag -o "$DG/config.tar.gz"
mkdir -p "$DG/ex-config"; tar xzf "$DG/config.tar.gz" -C "$DG/ex-config" 2>/dev/null
CT=$(echo "$DG/ex-config"/tdxctl-diag-*)
manifests+=("$CT/manifest.json")
if [ "$rc" = 0 ] && grep -qx 'CONFIG_INTEL_TDX_HOST=y' "$CT/tdxctl/kernel-config" 2>/dev/null &&
   grep -qx '# CONFIG_KVM_INTEL_TDX is not set' "$CT/tdxctl/kernel-config" &&
   python3 -c 'import json,sys; c = json.load(open(sys.argv[1]))["kernel_config"]; sys.exit(0 if c["source"] == "proc/config.gz" and c["options"]["CONFIG_KVM_INTEL"] == "m" and c["options"]["CONFIG_X86_MCE"] is None else 1)' "$CT/manifest.json"
then ok "diag: the TDX options of /proc/config.gz in tdxctl/kernel-config and the manifest"; else
	notok "diag: kernel config from /proc/config.gz (exit $rc)"; diag < "$CT/tdxctl/kernel-config"; fi
gzip -dc "$DG/config.tar.gz" > "$DG/config.tar"
hasnt "diag: no other option of the config in the bundle" "$DG/config.tar" 'PLANTED_UNRELATED|proc/config\.gz\.'
rm "$C/proc/config.gz"; mkdir -p "$C/boot"
printf 'CONFIG_INTEL_TDX_HOST=m\nCONFIG_PLANTED_UNRELATED=y\n' > "$C/boot/config-6.16.0-tdx"
tdx "--sysroot=$C" diag -o "$DG/config2.tar.gz"
tar xzOf "$DG/config2.tar.gz" --wildcards '*/tdxctl/kernel-config' > "$DG/config2" 2>&1
if grep -qx 'CONFIG_INTEL_TDX_HOST=m' "$DG/config2" && grep -q 'options of boot/config-6.16.0-tdx' "$DG/config2" &&
   ! grep -q PLANTED "$DG/config2"; then ok "diag: else the TDX options of /boot/config-RELEASE"; else
	notok "diag: kernel config from /boot"; diag < "$DG/config2"; fi
# the kernel log from the journal when /dev/kmsg may not be read (run as
# nobody when the suite runs as root); this boot's kernel lines only
J=$DG/fx-journal
cp -a "$DG/fx-tdx-host" "$J"
mkdir -p "$J/var/log/journal/0123456789abcdef0123456789abcdef" "$J/proc/sys/kernel/random"
echo 11112222-3333-4444-5555-666677778888 > "$J/proc/sys/kernel/random/boot_id"
jexport() { # BOOT_ID MESSAGE...: journal export records of kernel messages
	local b=$1 m; shift
	for m in "$@"; do
		printf '__REALTIME_TIMESTAMP=1700000000000000\n__MONOTONIC_TIMESTAMP=2000000\n_BOOT_ID=%s\n'"_MACHINE_ID=0123456789abcdef0123456789abcdef\n_TRANSPORT=kernel\nPRIORITY=6\n_SOURCE_MONOTONIC_TIMESTAMP=1500000\nMESSAGE=%s\n\n" "$b" "$m"
	done
}
mapfile -t jlines < <(sed -e 's/^[0-9,a-z-]*;//' -e 's/^\[[ 0-9.]*\] //' "$J/dev/kmsg")
jrem=
for x in /lib/systemd/systemd-journal-remote /usr/lib/systemd/systemd-journal-remote; do [ -x "$x" ] && jrem=$x; done
{ jexport 99990000999900009999000099990000 'virt/tdx: PLANTED-OTHER-BOOT'; jexport 11112222333344445555666677778888 "${jlines[@]}"; } |
	${jrem:-false} -o "$J/var/log/journal/0123456789abcdef0123456789abcdef/system.journal" - > "$DG/jrem.log" 2>&1 || echo "no journal: ${jrem:-systemd-journal-remote (tools/install-deps.sh)} failed" >> "$DG/jrem.log"
chmod -R a+rX "$J"; chmod 000 "$J/dev/kmsg"
asnobody() { LD_PRELOAD=$shimabs "${asuser[@]}" ${TDXCTL_WRAP:-} "$tdxabs" "$@" 2> "$DG/jn.err"; rc=$?
	if grep -qE 'runtime error|AddressSanitizer|LeakSanitizer|^==[0-9]+== ' "$DG/jn.err"; then
		{ echo "tdxctl $* (not root)"; cat "$DG/jn.err"; } >> "$WORK/tool-errors"; fi; }
asnobody --json "--sysroot=$J" status > "$DG/jstatus.json"
tdx --json "--sysroot=$DG/fx-tdx-host" status; sed "s|$DG/fx-tdx-host||g" "$WORK/out" > "$DG/kstatus.json"
sed -i "s|$J||g" "$DG/jstatus.json"
if python3 -c 'import json,sys; a, b = (json.load(open(p)) for p in sys.argv[1:3]); [d.pop("elapsed_ns", None) for d in (a, b)]; sys.exit(0 if a == b and a["module"]["source"] == "kernel-log" else 1)' "$DG/jstatus.json" "$DG/kstatus.json" 2>> "$DG/jrem.log"
then ok "status without root: the journal gives the verdicts /dev/kmsg gives root"; else
	notok "status without root from the journal"; diag < "$DG/jrem.log"; diff "$DG/jstatus.json" "$DG/kstatus.json" | diag; fi
asnobody "--sysroot=$J" diag -o "$DG/nr/journal.tar.gz" > /dev/null
mkdir -p "$DG/ex-journal"; tar xzf "$DG/nr/journal.tar.gz" -C "$DG/ex-journal" 2>/dev/null
JT=$(echo "$DG/ex-journal"/tdxctl-diag-*)
manifests+=("$JT/manifest.json")
if [ "$rc" = 0 ] && python3 -c '
import json, sys
k = json.load(open(sys.argv[1]))["kernel_log"]
sys.exit(0 if k["source"] == "journal" and k["kmsg"] == "EACCES" and k["lines"] == int(sys.argv[2]) else 1)' "$JT/manifest.json" "$(grep -cE 'tdx|tme|kvm|KVM|seamldr|BIOS-e820' "$DG/fx-tdx-host/dev/kmsg")" 2>/dev/null &&
   grep -q 'virt/tdx' "$JT/dev/kmsg" && ! grep -q PLANTED-OTHER-BOOT "$JT/dev/kmsg"
then ok "diag without root: the kernel log of this boot from the journal, the manifest says so"; else
	notok "diag without root: kernel log from the journal (exit $rc)"; diag < "$DG/jn.err"; diag < "$JT/manifest.json"; fi
diag_replay journal "$DG/fx-tdx-host" "$DG/nr/journal.tar.gz" "$J"
# a replayed tree's journal is read inside the tree only: a link to a
# journal outside it (the directory, the machine's directory, the file) is
# never followed, so the analyst's own journal can never show
JO=$DG/outside-journal
mv "$J/var/log/journal" "$JO"
jhostile() { # SLUG CASE: no kernel log from the journal, the manifest says there is none below the sysroot
	local d=$2
	asnobody "--sysroot=$J" diag -o "$DG/nr/jh-$1.tar.gz" > /dev/null
	tar xzOf "$DG/nr/jh-$1.tar.gz" --wildcards '*/manifest.json' > "$DG/m-jh-$1.json" 2>&1
	if [ "$rc" = 3 ] && python3 -c '
import json, sys
k = json.load(open(sys.argv[1]))["kernel_log"]
sys.exit(0 if k["source"] is None and "no journal below the sysroot" in k["journal"] else 1)' "$DG/m-jh-$1.json" 2>/dev/null
	then ok "journal in a replay, $d: not followed (exit 3, no journal below the sysroot)"; else
		notok "journal in a replay, $d (exit $rc)"; diag < "$DG/m-jh-$1.json"; fi
}
ln -s "$JO" "$J/var/log/journal"
jhostile abs "var/log/journal an absolute link out"
rm "$J/var/log/journal"; ln -s "../../../outside-journal" "$J/var/log/journal"
jhostile rel "var/log/journal a relative link out"
rm "$J/var/log/journal"; mkdir -p "$J/var/log/journal"
ln -s "$JO/0123456789abcdef0123456789abcdef" "$J/var/log/journal/0123456789abcdef0123456789abcdef"
jhostile machine "the machine's directory a link out"
rm "$J/var/log/journal/0123456789abcdef0123456789abcdef"; mkdir "$J/var/log/journal/0123456789abcdef0123456789abcdef"
ln -s "$JO/0123456789abcdef0123456789abcdef/system.journal" "$J/var/log/journal/0123456789abcdef0123456789abcdef/system.journal"
jhostile file "system.journal a link out"
chmod -R a+rX "$J/var"
# a CPU's package and core: /proc/cpuinfo's "physical id" and "core id"
# (the kernel's topology values), else cpuN/topology; neither: null
T=$DG/fx-topo
cp -a "$DG/fx-tdx-host" "$T"
rm -r "$T"/sys/devices/system/cpu/cpu*/topology
tdx --json "--sysroot=$T" cpu list -o cpu,package,core
has "cpu list: package and core from /proc/cpuinfo without sysfs topology" "$WORK/out" \
	'"cpu":3,"package":1,"core":1\}'
sed -i -e '/^physical id/d' -e '/^core id/d' "$T/proc/cpuinfo"
mkdir -p "$T/sys/devices/system/cpu/cpu2/topology"
echo 7 > "$T/sys/devices/system/cpu/cpu2/topology/physical_package_id"
tdx --json "--sysroot=$T" cpu list -o cpu,package,core
has "cpu list: else the sysfs topology file; a CPU with neither: null" "$WORK/out" \
	'"cpu":2,"package":7,"core":null\},\{"cpu":3,"package":null,"core":null\}'
tdx "--sysroot=$DG/fx-tdx-host" diag -o "$DG/topo.tar.gz"
tar tzf "$DG/topo.tar.gz" > "$DG/topo.list" 2>&1
hasnt "diag: status --cpus reads no per-CPU topology file when /proc/cpuinfo tells" "$DG/topo.list" '/topology/'
rm -rf "$J/var/log/journal"
asnobody "--sysroot=$J" diag -o "$DG/nr/nojournal.tar.gz" > /dev/null
tar xzOf "$DG/nr/nojournal.tar.gz" --wildcards '*/manifest.json' > "$DG/m-nojournal.json" 2>&1
manifests+=("$DG/m-nojournal.json")
if [ "$rc" = 3 ] && python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
k = m["kernel_log"]
miss = [x for x in m["missing"] if x["path"] == "dev/kmsg"]
sys.exit(0 if k["source"] is None and k["kmsg"] == "EACCES" and "no journal" in k["journal"] and miss and "journal" in miss[0]["reason"] else 1)' "$DG/m-nojournal.json"
then ok "diag without root and no journal: exit 3, the manifest says why there is no kernel log"; else
	notok "diag without root, no journal (exit $rc)"; diag < "$DG/m-nojournal.json"; fi
# every manifest validates against cli/schema/diag-manifest.json
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
if "$py" - "$SCHEMAS/diag-manifest.json" "${manifests[@]}" > "$DG/mschema" 2>&1 <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
for p in sys.argv[2:]:
    jsonschema.Draft202012Validator(schema).validate(json.load(open(p)))
print(f'{len(sys.argv) - 2} manifests')
PY
then ok "diag: every manifest validates against diag-manifest.json ($(tail -n 1 "$DG/mschema"))"; else
	notok "diag: manifest schema"; diag < "$DG/mschema"; fi

### every schema file is installed, every command has one (14 other checks) ###
schemas="tdxctl version status cpu-list cpu-enable enable module-enable module-update module-versions check explain diag monitor"
for c in $schemas; do
	if [ ! -f "$SCHEMAS/$c.json" ]; then notok "command $c has no schema"
	elif ! grep -q "'schema/$c.json'" "$SRC/cli/meson.build"; then notok "schema $c.json is not in cli/meson.build"
	else ok "command $c has a schema, and it is installed"; fi
done
extra=$(cd "$SCHEMAS" && ls -- *.json | sed 's/\.json$//' | grep -vxF -f <(tr ' ' '\n' <<< "$schemas diag-manifest monitor-event"))
if [ -z "$extra" ]; then ok "no schema file beyond the commands"; else
	notok "schema files for no known command: ${extra//$'\n'/ }"; fi

### check: description and fix, the summary counts (5 other checks) ###
# every check document: the summary counts each reported check once, every
# verdict kind included, and every check carries its description and fix
python3 - "$WORK"/json/check-*.json > "$WORK/sumcheck" 2>&1 <<'PY'
import json, sys
kinds = ("pass", "fail", "warn", "unknown", "skip", "na")
bad = []
for path in sys.argv[1:]:
    d = json.load(open(path))
    if not d.get("checks"):
        continue
    s, checks = d["summary"], d["checks"]
    count = {k: sum(1 for c in checks if c["status"] == k) for k in kinds}
    if sum(s[k] for k in kinds) != s["total"] or s["total"] != len(checks) or any(s[k] != count[k] for k in kinds):
        bad.append(f"{path}: summary {s} vs checks {count}")
    for c in checks:
        if not c.get("description") or not c.get("fix") or c["description"].count(". ") or not c["description"].endswith("."):
            bad.append(f"{path}: {c['id']}: no one-sentence description or no fix")
print(len(sys.argv) - 1)
sys.exit("\n".join(bad) if bad else 0)
PY
if [ $? = 0 ] && [ "$(head -1 "$WORK/sumcheck")" -ge 10 ]; then ok "check JSON: summary counts sum to total, one per reported check; every check has description and fix"
else notok "check JSON: summary or description/fix"; diag < "$WORK/sumcheck"; fi
# -v: description and fix under a check that did not pass, not under a PASS
tdx -v "$(fx tdx-host-7x)" check --only bios.sgx,bios.keyids
has "check -v: a SKIP shows what the check tells" "$WORK/out" '^      about:    Whether the BIOS enabled SGX, which TD attestation'
has "check -v: a SKIP shows the fix" "$WORK/out" '^      fix:      Enable Software Guard Extensions \(SGX\) in the BIOS'
hasnt "check -v: a PASS shows neither" "$WORK/out" 'about:    Whether the BIOS gave TDX'
tdx "$(fx tdx-host-7x)" check --only bios.sgx
hasnt "check without -v: no description or fix lines" "$WORK/out" '^      (about|fix):'

### every JSON document validates against its schema (NJSON checks + 1) ###
# Debian's python3 carries python3-jsonschema (tools/install-deps.sh); another
# python3 first on PATH may not have it
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
paths=()
for d in "${docs[@]}"; do paths+=("$WORK/json/$d.json"); done
"$py" "$HERE/validate.py" "$SCHEMAS" "${paths[@]}" > "$WORK/schema" 2> "$WORK/schema.err"
vrc=$?
# one check per kept document: its verdict from validate.py, which must exist
declare -A verdict
while IFS= read -r line; do
	case $line in
	"ok - schema: "*) d=${line#ok - schema: }; verdict[${d%% *}]=ok ;;
	"not ok - schema: "*) d=${line#not ok - schema: }; verdict[${d%% *}]=bad ;;
	"# "*) [ -n "${d:-}" ] && verdict[${d%% *}]+=$'\n'"$line" ;;
	esac
done < "$WORK/schema"
valid=0
for d in "${docs[@]}"; do
	v=${verdict[$d.json]:-}
	case $v in
	ok) ok "schema: $d.json"; valid=$((valid + 1)) ;;
	bad*) notok "schema: $d.json"; printf '%s\n' "${v#bad}" | sed '/^$/d' ;;
	*) notok "schema: $d.json: not validated (validate.py exit $vrc)" ;;
	esac
done
produced=$(find "$WORK/json" -type f | wc -l)
if [ "$vrc" = 0 ] && [ "$valid" = "$NJSON" ] && [ "$produced" = "$NJSON" ] && [ "${#docs[@]}" = "$NJSON" ]; then
	ok "all $NJSON JSON documents validated"
else
	notok "$valid of $NJSON JSON documents validated ($produced produced, validate.py exit $vrc)"
	diag < "$WORK/schema.err"
fi

### tdxctl itself (1 other check) ###
no_tool_errors

if [ "$nt" != "$NT" ]; then
	echo "# $nt golden runs (t), NT=$NT: update the plan at the top"
	failed=$((failed + 1))
fi
plan_kept
[ "$failed" = 0 ]
