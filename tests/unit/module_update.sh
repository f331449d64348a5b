#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# module_update.sh - tdxctl module update FILE and module versions on
# sysroots of a Linux 7.2 host (tests/fixtures/tdx-host-7.2: the tdx_host
# faux device and the firmware-upload device tdx_module), with blobs made
# here by tests/fixtures/mkblob.py.  Every malformed header kind and every
# pre-check refusal gives its own message and exit status and writes
# nothing: these runs set TDXCTL_TEST_WRITE_SYSROOT=1 and --yes, so that
# a run whose pre-checks all pass does write the replay's firmware-upload
# files (proved below), and a refusal that wrote would show.
#
# usage: module_update.sh TDXCTL FAKEDEV_SO SCHEMA_DIR
set -u

PLAN=169

HERE=$(cd "$(dirname "$0")" && pwd)
# ok, notok, diag, bail, rc_is, has, hasnt, tap_start
. "$HERE/tap-helpers.sh"
tap_start module-update "$@"
command -v jq > /dev/null || bail "jq is needed"
MKBLOB=$FIXTURES/mkblob.py
B=$WORK/blobs
mkdir -p "$B" "$WORK/json"
M=$B/mapping_file.json

# blob NAME ARGS...: a blob at $B/NAME (mkblob.py ARGS), listed in $M
blob() {
	local out=$B/$1
	shift
	mkdir -p "$(dirname "$out")"
	python3 "$MKBLOB" "$@" -o "$out" || bail "mkblob.py $* failed"
}
blob tdx_module_1.5.09.blob --version 1.5.09 --min-td-preserving 1.5.01 --mapping "$M"
blob tdx_module_1.5.10.blob --version 1.5.10 --mapping "$M"
blob tdx_module_1.5.07.blob --version 1.5.07 --mapping "$M"
blob tdx_module_1.5.08.blob --version 1.5.08 --mapping "$M"
blob tdx_module_1.5.11.blob --version 1.5.11 --min-td-preserving 1.5.09 --mapping "$M"
blob tdx_module_1.5.12.blob --version 1.5.12 --min-seamldr 1.5.05,2.0.00 --mapping "$M"
blob tdx_module_2.0.02.blob --version 2.0.02 --mapping "$M"
blob tdx_module_1.5.13.blob --version 1.5.13
blob debug/tdx_module_1.5.09.blob --version 1.5.09 --debug
blob foreign/tdx_module_1.5.09.blob --version 1.5.09 --cpuid 0xa06d0,0xc06f0
blob stepping/tdx_module_1.5.09.blob --version 1.5.09 --cpuid 0x806f8
# every damage kind mkblob.py knows, and the header field it names
declare -A DMG=(
	[signature]="signature: 'TDX-BLOX', not 'TDX-BLOB'"
	[version]="header version: 0x100, not 0x200"
	[reserved]="reserved: header byte 4095 is 0x01, not zero"
	[checksum]="checksum: the 16-bit words sum to 0x0001, not 0"
	[truncated]="length: 20480 bytes, the header says 24576"
	[trailing]="length: 28672 bytes, the header says 24576"
	[sig-pages]="sigstruct_nr_pages: 2, not 1"
	[module-pages]="module_nr_pages: 497, not 1 to 496"
	[no-module]="module_nr_pages: 0, not 1 to 496"
	[short]="size: 2048 bytes, shorter than the 4096-byte header"
	[vendor]="sigstruct module_vendor: 0x1234, not 0x8086 \\(Intel\\)"
)
declare -A FAULT=([signature]=signature [version]=version [reserved]=reserved [checksum]=checksum
	[truncated]=length [trailing]=length [sig-pages]=sigstruct_nr_pages [module-pages]=module_nr_pages
	[no-module]=module_nr_pages [short]=size [vendor]=module_vendor)
kinds=$(python3 "$MKBLOB" --help | sed -n 's/^Damage kinds.*: //p' | tr -d '.' | tr ',' ' ')
for k in $kinds; do
	blob "damage/$k/tdx_module_1.5.09.blob" --version 1.5.09 --damage "$k"
done

# host NAME [EDIT...]: a fresh copy of tdx-host-7.2 at $H (its
# firmware-upload files marked "untouched"), then shell EDITs run in it
H=$WORK/host
FWU=$H/sys/devices/faux/tdx_host/firmware/tdx_module
host() {
	rm -rf "$H"
	python3 "$FIXTURES/mkroot.py" "$FIXTURES/tdx-host-7.2" "$H" || bail "fixture tdx-host-7.2 does not build"
	[ -L "$H/sys/class/firmware/tdx_module" ] || bail "mkroot.py lost the class link of tdx_module"
	for f in loading data; do echo untouched > "$FWU/$f"; done
	(cd "$H" && for e in "$@"; do eval "$e" || exit 1; done) || bail "host edit failed: $*"
	(cd "$FWU" 2> /dev/null && md5sum -- * > "$WORK/fwu.before" && touch -d '-1 min' -- *)
	touch "$WORK/stamp"
}
# written: how many firmware-upload files the last run changed
written() {
	local c
	[ -d "$FWU" ] || { echo 0; return; }
	c=$(cd "$FWU" && md5sum -- * | diff - "$WORK/fwu.before" | grep -c '^<')
	c=$((c + $(find "$FWU" -newer "$WORK/stamp" -type f | wc -l)))
	echo "$c"
}
export TDXCTL_TEST_WRITE_SYSROOT=1
U=(--sysroot="$H" module update --yes)
# refuse NAME RC REGEX ARGS...: text and JSON runs exit RC, the message
# matches REGEX, nothing is written (3 checks); the JSON kept for the schema
nj=0
refuse() {
	local name=$1 want=$2 re=$3 w
	shift 3
	tdx "$@"
	w=$(written)
	if [ "$rc" = "$want" ] && grep -qE -- "$re" "$WORK/err"; then ok "$name: exit $want, says /$re/"; else
		notok "$name: exit $rc (wanted $want), message"; diag < "$WORK/err"; fi
	if [ "$w" = 0 ]; then ok "$name: nothing written"; else notok "$name: $w firmware-upload files written"; fi
	tdx --json "$@"
	nj=$((nj + 1))
	cp "$WORK/out" "$WORK/json/$nj.json"
	if [ "$rc" = "$want" ] && [ "$(written)" = 0 ]; then ok "$name --json: exit $want, nothing written"; else
		notok "$name --json: exit $rc, written $(written)"; fi
}
# jis NAME JQ WANT: a field of the last JSON document
jis() {
	local got
	got=$(jq -c "$2" "$WORK/out" 2> /dev/null)
	if [ "$got" = "$3" ]; then ok "$1: $2 = $3"; else notok "$1: $2 is $got, wanted $3"; fi
}

### malformed headers: the field named, exit 1, nothing written (4 per kind: 44 checks) ###
host
for k in "${!FAULT[@]}"; do
	refuse "damage $k" 1 "malformed TDX module image: ${DMG[$k]}" "${U[@]}" "$B/damage/$k/tdx_module_1.5.09.blob"
	jis "damage $k" '.blob.fault' "\"${FAULT[$k]}\""
done
### every damage kind of mkblob.py is covered; emu-magic is no header fault (3 checks) ###
missing=$(for k in $kinds; do [ -n "${FAULT[$k]:-}" ] || [ "$k" = emu-magic ] || echo "$k"; done)
if [ -z "$missing" ] && [ -n "$kinds" ]; then ok "every damage kind of mkblob.py has its message here"; else
	notok "damage kinds not covered: $missing"; fi
tdx --sysroot="$H" module update --dry-run "$B/damage/emu-magic/tdx_module_1.5.09.blob"
if [ "$rc" = 0 ] && [ "$(written)" = 0 ]; then ok "emu-magic: the header is valid (only the emulated loader refuses it), dry run exit 0"; else
	notok "emu-magic: exit $rc"; diag < "$WORK/err"; fi
rc_is "a blob larger than any header describes: exit 1" 1 "${U[@]}" /dev/zero

### the blob's version (6 checks) ###
cp "$B/tdx_module_1.5.09.blob" "$B/module.bin"
refuse "no version in the file name" 2 "the version of .*module.bin is unknown" "${U[@]}" --mapping "$M" "$B/module.bin"
has "the hint says how to tell it" "$WORK/out" '"hint":"name the file as Intel does \(tdx_module_X.Y.ZZ.blob\) or give --blob-version X.Y.ZZ"'
tdx --sysroot="$H" module update --dry-run --mapping "$M" --blob-version 1.5.09 "$B/module.bin"
if [ "$rc" = 0 ]; then ok "--blob-version 1.5.09: every pre-check passes"; else notok "--blob-version: exit $rc"; diag < "$WORK/err"; fi

### pre-check refusals: exit status, message, nothing written (3 each) ###
host
refuse "downgrade" 1 "update.version.newer failed: 1.5.07 is older than the running 1.5.08: a downgrade" "${U[@]}" "$B/tdx_module_1.5.07.blob"
refuse "same version" 1 "TDX module 1.5.08 is already running" "${U[@]}" "$B/tdx_module_1.5.08.blob"
refuse "debug-signed" 1 "update.blob.production failed: the blob is a debug-signed TDX module" "${U[@]}" --mapping "$M" "$B/debug/tdx_module_1.5.09.blob"
refuse "foreign CPU" 1 "update.blob.cpu failed: the blob is not signed for this CPU: family 6 model 143 \(CPUID.1.EAX 0x806f0\) is not in its CPUID table \(0xa06d0,0xc06f0\)" "${U[@]}" --mapping "$M" "$B/foreign/tdx_module_1.5.09.blob"
refuse "loader too old" 1 "update.loader.version failed: the P-SEAMLDR 1.5.02 is too old for this release: it needs one of 1.5.05, 2.0.00" "${U[@]}" "$B/tdx_module_1.5.12.blob"
refuse "not TD-preserving: minimum running update" 1 "not TD-preserving: 1.5.11 updates only from 1.5.09 or newer, 1.5.08 is running" "${U[@]}" "$B/tdx_module_1.5.11.blob"
refuse "not TD-preserving: another minor" 1 "update.version.td_preserving failed: not TD-preserving: 2.0.02 is a different major.minor" "${U[@]}" "$B/tdx_module_2.0.02.blob"
refuse "release not in the mapping file" 1 "update.release failed: release 1.5.13 is not in .*mapping_file.json" "${U[@]}" "$B/tdx_module_1.5.13.blob"
cp "$B/tdx_module_1.5.09.blob" "$WORK/tdx_module_1.5.09.blob"
refuse "no mapping file found" 1 "no mapping_file.json beside the blob or two directories up" "${U[@]}" "$WORK/tdx_module_1.5.09.blob"
echo '{"releases": []}' > "$WORK/bad-mapping.json"
refuse "not Intel's mapping file" 1 "no tdx_module_releases list" "${U[@]}" --mapping "$WORK/bad-mapping.json" "$B/tdx_module_1.5.09.blob"
host 'echo 0-2 > sys/devices/system/cpu/online' 'echo 0 > sys/devices/system/cpu/cpu3/online'
refuse "a CPU offline" 6 "update.cpus.online failed: CPU 3 is offline: the update needs every present CPU online" "${U[@]}" "$B/tdx_module_1.5.09.blob"
host 'echo 0 > sys/devices/faux/tdx_host/num_remaining_updates'
refuse "no updates left" 6 "update.loader.remaining failed: no updates left \(num_remaining_updates is 0\)" "${U[@]}" "$B/tdx_module_1.5.09.blob"
host 'rm sys/devices/faux/tdx_host/num_remaining_updates sys/devices/faux/tdx_host/seamldr_version'
refuse "loader attributes hidden" 4 "runtime update is not supported on this platform: num_remaining_updates is hidden \(the TDX module lacks TD_PRESERVING" "${U[@]}" "$B/tdx_module_1.5.09.blob"
host 'rm sys/devices/faux/tdx_host/num_remaining_updates' 'sed -i "/^flags/a bugs\t\t: spectre_v2 seamret_invd_vmcs" proc/cpuinfo'
refuse "the seamret_invd_vmcs CPU bug" 4 "num_remaining_updates is hidden \(the CPU has the seamret_invd_vmcs bug\)" "${U[@]}" "$B/tdx_module_1.5.09.blob"
host 'echo 1.4.09 > sys/devices/faux/tdx_host/seamldr_version'
refuse "loader of another major.minor" 1 "the P-SEAMLDR 1.4.09 is too old for this release" "${U[@]}" "$B/tdx_module_1.5.09.blob"
host 'rm sys/class/firmware/tdx_module'
refuse "no tdx_module device" 4 "update.interface failed: no TDX module update interface: the tdx_host device has no firmware-upload device tdx_module" "${U[@]}" "$B/tdx_module_1.5.09.blob"
host 'rm sys/class/firmware/tdx_module sys/devices/faux/tdx_host/num_remaining_updates sys/devices/faux/tdx_host/seamldr_version'
refuse "no tdx_module, loader attributes hidden" 4 "update.interface failed: no TDX module update interface: runtime update is not supported on this platform" "${U[@]}" "$B/tdx_module_1.5.09.blob"
host 'rm sys/class/firmware/tdx_module' 'mkdir -p boot' 'echo "# CONFIG_FW_UPLOAD is not set" > boot/config-$(cat proc/sys/kernel/osrelease)'
refuse "kernel without CONFIG_FW_UPLOAD" 4 "kernel 7.2.0-1-amd64 is built without CONFIG_FW_UPLOAD" "${U[@]}" "$B/tdx_module_1.5.09.blob"
host 'rm -r sys/class/firmware sys/devices/faux' 'echo 6.12.57+deb13-amd64 > proc/sys/kernel/osrelease'
refuse "kernel before 7.2" 4 "kernel 6.12.57\+deb13-amd64 is older than 7.2, which adds it" "${U[@]}" "$B/tdx_module_1.5.09.blob"
host 'rm -r sys/class/firmware sys/devices/faux'
refuse "7.2 without the tdx-host driver" 4 "the tdx_host device is missing .*: the driver providing it \(tdx-host\) is not loaded" "${U[@]}" "$B/tdx_module_1.5.09.blob"
host 'echo garbage > sys/devices/faux/tdx_host/version'
refuse "running version unreadable" 6 "update.module.initialized failed: the TDX module version is unreadable \(not MAJOR.MINOR.UPDATE\)" "${U[@]}" "$B/tdx_module_1.5.09.blob"
host 'echo transferring > sys/devices/faux/tdx_host/firmware/tdx_module/status'
refuse "an upload in progress" 6 "another upload to tdx_module is in progress \(status transferring\): nothing written" "${U[@]}" "$B/tdx_module_1.5.09.blob"
host
refuse "no --yes and stdin not a terminal" 2 "not updating without confirmation: stdin is not a terminal" --sysroot="$H" module update "$B/tdx_module_1.5.09.blob" < /dev/null
has "the hint names --yes" "$WORK/out" '"hint":"add --yes'

### the checks of a refusal: every one listed, the failed one with its fix (5 checks) ###
host 'echo 0 > sys/devices/faux/tdx_host/num_remaining_updates'
tdx --json "${U[@]}" "$B/foreign/tdx_module_1.5.09.blob" --mapping "$M"
jis "two refusals" '[.checks[] | select(.status == "fail") | .id]' '["update.loader.remaining","update.blob.cpu"]'
jis "the first failed check sets the exit status" '.error.code' '6'
jis "every pre-check ran" '.summary' '{"total":10,"pass":8,"fail":2,"unknown":0,"skip":0}'
jis "the fix of a failed check" '[.checks[] | select(.id == "update.loader.remaining") | .hint | test("reboot")]' '[true]'
jis "the evidence of the CPU check" '[.checks[] | select(.id == "update.blob.cpu") | .evidence[].value]' '["sigstruct CPUID table: 0xa06d0,0xc06f0","cpu family 6, model 143: CPUID.1.EAX 0x806f0 (stepping ignored)"]'

### dry runs (8 checks) ###
host
unset TDXCTL_TEST_WRITE_SYSROOT
tdx --sysroot="$H" module update --yes "$B/tdx_module_1.5.09.blob"
if [ "$rc" = 0 ] && [ "$(written)" = 0 ]; then ok "--sysroot: a replay is never written to (exit 0)"; else notok "--sysroot wrote or failed: exit $rc"; fi
has "--sysroot: says it is a dry run" "$WORK/out" "^--sysroot \(a replay is never written to\): every pre-check passed; nothing written$"
export TDXCTL_TEST_WRITE_SYSROOT=1
tdx --sysroot="$H" module update --dry-run "$B/tdx_module_1.5.09.blob"
if [ "$rc" = 0 ] && [ "$(written)" = 0 ]; then ok "--dry-run: exit 0, nothing written"; else notok "--dry-run: exit $rc"; fi
has "--dry-run: every check PASS" "$WORK/out" "^10 pre-checks: 10 pass, 0 fail, 0 unknown, 0 skip$"
has "--dry-run: evidence and verdict like check" "$WORK/out" "^PASS +update.blob.cpu +signed for this CPU \(CPUID.1.EAX 0x806f0\)$"
tdx --json --sysroot="$H" module update --dry-run "$B/stepping/tdx_module_1.5.09.blob" --mapping "$M"
nj=$((nj + 1)); cp "$WORK/out" "$WORK/json/$nj.json"
jis "the stepping is ignored (0x806f8 signs for 0x806f0)" '[.checks[] | select(.id == "update.blob.cpu") | .status]' '["pass"]'
jis "--dry-run --json" '.dry_run' 'true'
# Intel's layout: DIR/mapping_file.json, DIR/joined_files/1.5/tdx_module_1.5.09.blob
mkdir -p "$WORK/intel/joined_files/1.5"
cp "$M" "$WORK/intel/"
cp "$B/tdx_module_1.5.09.blob" "$B/tdx_module_1.5.10.blob" "$WORK/intel/joined_files/1.5/"
cp "$B/foreign/tdx_module_1.5.09.blob" "$WORK/intel/joined_files/1.5/tdx_module_1.5.10.blob"
tdx --sysroot="$H" --json module update --dry-run "$WORK/intel/joined_files/1.5/tdx_module_1.5.09.blob"
jis "Intel's layout: the mapping file two directories up" '.release.mapping | endswith("intel/joined_files/1.5/../../mapping_file.json")' 'true'

### the upload itself, on the replay's plain files (6 checks) ###
host
tdx "${U[@]}" "$B/tdx_module_1.5.09.blob"
if cmp -s "$FWU/data" "$B/tdx_module_1.5.09.blob"; then ok "every pre-check passed: the blob went to data"; else notok "data is not the blob"; fi
has "loading: 1, then 0 (written over 'untouched')" "$FWU/loading" "^0ntouched$"
if [ "$rc" = 1 ] && grep -q "the update reported no error but the version read back is 1.5.08, not 1.5.09" "$WORK/err"; then
	ok "the version read back is compared with the blob's (unchanged: exit 1)"; else notok "version read back: exit $rc"; diag < "$WORK/err"; fi
host 'echo preparing:firmware-invalid > sys/devices/faux/tdx_host/firmware/tdx_module/error'
tdx --json "${U[@]}" "$B/tdx_module_1.5.09.blob"
nj=$((nj + 1)); cp "$WORK/out" "$WORK/json/$nj.json"
jis "the error file verbatim" '.update.error' '"preparing:firmware-invalid"'
jis "a refusal by the loader, the module still running" '[.update.tdx_module_lost, .error.code]' '[false,1]'
has "what the error means" "$WORK/out" "the P-SEAMLDR refused the update \(tdx_module error 'preparing:firmware-invalid'\): nothing changed, TDX module 1.5.08 still running"

### on a terminal: the question, the progress bar (4 checks) ###
command -v script > /dev/null || bail "script (util-linux) is needed"
host
# script(1) gives tdxctl a terminal; what it reads comes from the pipe
echo n | script -qec "${TDXCTL_WRAP:-} $TDXCTL --sysroot=$H module update $B/tdx_module_1.5.09.blob" /dev/null > "$WORK/tty" 2>&1
rc=$?
if [ "$rc" = 1 ] && grep -q "now? \[y/N\] tdxctl: not confirmed: nothing written" "$WORK/tty"; then ok "asked on a terminal, answered no: exit 1, not confirmed"; else
	notok "answered no: exit $rc"; diag < "$WORK/tty"; fi
if [ "$(written)" = 0 ]; then ok "answered no: nothing written"; else notok "answered no: $(written) files written"; fi
echo y | script -qec "${TDXCTL_WRAP:-} $TDXCTL --sysroot=$H module update $B/tdx_module_1.5.09.blob" /dev/null > "$WORK/tty" 2>&1
if cmp -s "$FWU/data" "$B/tdx_module_1.5.09.blob"; then ok "answered yes: the blob went to data"; else notok "answered yes: data is not the blob"; diag < "$WORK/tty"; fi
has "a progress bar on the terminal" "$WORK/tty" "idle +\[=+\] 100%"

### module versions (14 checks) ###
host
tdx --sysroot="$H" --json module versions --mapping "$M"
nj=$((nj + 1)); cp "$WORK/out" "$WORK/json/$nj.json"
jis "versions: running" '.running' '{"version":"1.5.08","seamldr_version":"1.5.02","remaining_updates":15,"update_interface":true,"cpuid":"0x806f0"}'
jis "versions: every release of the mapping file" '[.available[].version]' '["1.5.07","1.5.08","1.5.09","1.5.10","1.5.11","1.5.12","2.0.02"]'
jis "versions: eligible ones" '[.available[] | select(.eligible) | .version]' '["1.5.09","1.5.10"]'
jis "versions: the CPU is unknown without a blob" '[.available[].signed_for_cpu] | unique' '[null]'
jis "versions: 1.5.12 needs a newer loader" '[.available[] | select(.version == "1.5.12") | .loader_ok]' '[false]'
jis "versions: 1.5.11 is not TD-preserving from 1.5.08" '[.available[] | select(.version == "1.5.11") | .td_preserving]' '[false]'
jis "versions: the newest eligible" '.newest_eligible' '"1.5.10"'
tdx --sysroot="$H" --json module versions --mapping "$WORK/intel"
nj=$((nj + 1)); cp "$WORK/out" "$WORK/json/$nj.json"
jis "versions DIR: the blobs are looked at" '[.available[] | select(.blob != null) | [.version, .signed_for_cpu]]' '[["1.5.09",true],["1.5.10",false]]'
jis "versions DIR: the foreign-CPU blob is not eligible, the newest eligible is 1.5.09" '.newest_eligible' '"1.5.09"'
tdx --sysroot="$H" module versions --mapping "$WORK/intel"
has "versions: text names the newest eligible" "$WORK/out" "^newest eligible: +1\.5\.09$"
has "versions: a table" "$WORK/out" "^VERSION +NEWER +TD-PRESERVING +LOADER-OK +THIS-CPU +DEBUG +ELIGIBLE +BLOB$"
[ -d "$WORK/fx/tdx-host-7x" ] || python3 "$FIXTURES/mkroot.py" "$FIXTURES/tdx-host-7x" "$WORK/fx/tdx-host-7x"
rc_is "versions: no tdx_host device (7.1): exit 4" 4 --sysroot="$WORK/fx/tdx-host-7x" module versions
rc_is "versions: a mapping file that is not there: exit 1" 1 --sysroot="$H" module versions --mapping "$WORK/nothere.json"

### status and diag on a 7.2 host (4 checks) ###
host
tdx --sysroot="$H" --json status
jis "status: the P-SEAMLDR and the updates left" '[.module.seamldr_version, .module.remaining_updates]' '["1.5.02",15]'
tdx --sysroot="$H" diag -o "$WORK/d.tar.gz"
tar tzf "$WORK/d.tar.gz" > "$WORK/d.list" 2> /dev/null
has "diag records the firmware-upload status and error" "$WORK/d.list" "/sys/class/firmware/tdx_module/(status|error)$"
has "diag records the loader attributes" "$WORK/d.list" "/sys/devices/faux/tdx_host/(seamldr_version|num_remaining_updates)$"
mkdir -p "$WORK/d" && tar xzf "$WORK/d.tar.gz" -C "$WORK/d" --strip-components=1
tdx --sysroot="$WORK/d" module update --dry-run "$B/tdx_module_1.5.09.blob"
if [ "$rc" = 0 ]; then ok "the bundle replays: module update --dry-run passes on it"; else notok "bundle replay: exit $rc"; diag < "$WORK/err"; fi

### usage (5 checks) ###
rc_is "update without FILE: exit 2" 2 module update
rc_is "update with two FILEs: exit 2" 2 module update a b
rc_is "update --blob-version 1.5: exit 2" 2 module update --blob-version 1.5 x.blob
rc_is "update --timeout 0: exit 2" 2 module update --timeout 0 x.blob
rc_is "update of a file that is not there: exit 1" 1 --sysroot="$H" module update "$WORK/nothere.blob"

### every JSON document validates against its schema (1 + one per document) ###
"${PYTHON:-python3}" "$HERE/validate.py" "$SCHEMAS" "$WORK"/json/*.json > "$WORK/schema" 2> "$WORK/schema.err"
vrc=$?
if [ "$vrc" = 0 ] && [ "$(grep -c '^ok' "$WORK/schema")" = "$nj" ]; then ok "schema: $nj documents validate"; else
	notok "schema: validate.py exit $vrc"; grep -v '^ok' "$WORK/schema" | diag; diag < "$WORK/schema.err"; fi

no_tool_errors
plan_kept
exit $((failed > 0))
