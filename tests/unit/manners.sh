#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# manners.sh - tdxctl's manners: what it says, where, and how it ends.
# Output cut short, malformed sysfs files, one hint per regime, program
# name and usage errors, evidence behind verdicts, escapes and grammar.
# Runs the real tdxctl over tests/fixtures sysroots and the fake device.
#
# usage: manners.sh TDXCTL FAKEDEV_SO SCHEMA_DIR
#
# The TAP plan is printed before the first check; the script fails if
# the number of checks run differs from it.
set -u

PLAN=86		# bumped per section below

HERE=$(cd "$(dirname "$0")" && pwd)
# ok, notok, diag, bail, rc_is, has, hasnt, tap_start
. "$HERE/tap-helpers.sh"
tap_start manners "$@"
# check NAME CONDITION...: ok when the command succeeds
check() { local name=$1; shift; if "$@"; then ok "$name"; else notok "$name"; fi; }

# every fixture built under $WORK/fx; the fake device: $FAKE, $FK, fake_reset
fixtures_and_fake
fx() { echo "--sysroot=$WORK/fx/$1"; }
fx_copy() { rm -rf "$WORK/fx/$1"; cp -a "$WORK/fx/$2" "$WORK/fx/$1"; }

py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
# valid NAME: $WORK/out validates against its schema
valid() {
	cp "$WORK/out" "$WORK/doc.json"
	if "$py" "$HERE/validate.py" "$SCHEMAS" "$WORK/doc.json" > "$WORK/v" 2>&1; then ok "$1"; else
		notok "$1"; diag < "$WORK/v"; diag < "$WORK/out"; fi
}

### module enable --json without a driver: valid on every fixture (15 checks) ###
for f in "$FIXTURES"/*/; do
	f=$(basename "$f")
	tdx --json "$(fx "$f")" module enable
	valid "module enable --json on $f (exit $rc): valid against its schema"
done

### an enable is never cut short by its output (9 checks) ###
# closed_reader ARGS...: tdxctl with stdout a pipe whose reader is gone
closed_reader() {
	"$py" - "$SHIM" "$TDXCTL" "$@" > "$WORK/cr" 2> "$WORK/err" <<'PY'
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
env = dict(os.environ, LD_PRELOAD=sys.argv[1])
wrap = os.environ.get('TDXCTL_WRAP', '').split()
p = subprocess.run(wrap + sys.argv[2:], stdout=w, env=env)
print(p.returncode)
PY
	rc=$(cat "$WORK/cr")
	sanitized "$*"
}
fake_reset
closed_reader "$FK" "$FD" enable
check "enable | (reader gone): not killed by SIGPIPE, exit 0 (got $rc)" [ "$rc" = 0 ]
has "enable | (reader gone): every CPU enabled" "$TDXFAKE_STATE" '^enabled=0,1,2,3$'
has "enable | (reader gone): the TDX module initialized" "$TDXFAKE_STATE" '^state=2$'
fake_reset
closed_reader "$FK" "$FD" cpu enable 0-3
check "cpu enable | (reader gone): exit 0 (got $rc)" [ "$rc" = 0 ]
has "cpu enable | (reader gone): every listed CPU enabled" "$TDXFAKE_STATE" '^enabled=0,1,2,3$'
fake_reset "enabled=0-3"
closed_reader "$FK" "$FD" module enable
check "module enable | (reader gone): exit 0 (got $rc)" [ "$rc" = 0 ]
has "module enable | (reader gone): the TDX module initialized" "$TDXFAKE_STATE" '^state=2$'
hasnt "a reader that went away is not a write error" "$WORK/err" 'write error'
fake_reset "fail=2:0xc000092000000982"
closed_reader "$FK" "$FD" enable
check "enable | (reader gone), CPU 2 fails: the exit status of the work, 3 (got $rc)" [ "$rc" = 3 ]

### the program name, usage errors, write errors, -V (12 checks) ###
# the program is tdxctl whatever the path it was started by ($TDXCTL is a path)
tdx --bogus status
has "a global option error names the program tdxctl" "$WORK/err" "^tdxctl: unrecognized option '--bogus'"
hasnt "a global option error does not name the program's path" "$WORK/err" "^[^ ]*/tdxctl:"
tdx --json --bogus status
hasnt "--json: the error message does not name the program's path" "$WORK/out" '"message":"[^"]*/tdxctl'
# -n and -r shape the --cpus table: without it they are usage errors
rc_is "status -n without --cpus" 2 "$(fx tdx-host-7x)" status -n
rc_is "status -r without --cpus" 2 "$(fx tdx-host-7x)" status -r
has "status -r without --cpus: says --cpus" "$WORK/err" "--cpus"
rc_is "status -n --cpus is fine" 0 "$(fx tdx-host-7x)" status -n --cpus
# a full disk is named as such (as lscpu does), short output or long
LD_PRELOAD=$SHIM ${TDXCTL_WRAP:-} "$TDXCTL" "$(fx tdx-host-7x)" status > /dev/full 2> "$WORK/err"
rc=$?; sanitized "status >/dev/full"
has "status >/dev/full: No space left on device" "$WORK/err" '^tdxctl: write error: No space left on device$'
LD_PRELOAD=$SHIM ${TDXCTL_WRAP:-} "$TDXCTL" "$(fx msr-mismatch)" check -v > /dev/full 2> "$WORK/err"
rc=$?; sanitized "check -v >/dev/full"
has "check -v >/dev/full (more than a buffer): No space left on device" "$WORK/err" '^tdxctl: write error: No space left on device$'
# -V never opens the device: the fake one refuses every open (EACCES)
fake_reset "eacces=1"
rc_is "-V with a device that refuses to open" 0 "$FK" "$FD" -V
cat "$WORK/out" "$WORK/err" > "$WORK/both"; hasnt "-V: no word from the device" "$WORK/both" 'permission'
tdx --json "$FK" "$FD" status -V
has "-V --json: the driver was not asked" "$WORK/out" '"driver":\{"loaded":[a-z]+,"version":null,"abi_version":null,"backend":null,"reason":"not asked: -V does not open the device; tdxctl version does"'

### nits: escapes, grammar, one warning, subcommands (12 checks) ###
# a literal backslash sequence and an escaped byte look different; bidi
# controls (U+202E RIGHT-TO-LEFT OVERRIDE, U+2066 ...) are escaped
fx_copy esc few-keyids
printf 'Lit\\x41 Byte\001 RLO\xe2\x80\xaeevil LRI\xe2\x81\xa6x\n' > "$WORK/fx/esc/sys/class/dmi/id/sys_vendor"
tdx "$(fx esc)" check --only env -v
has "a literal \\x41 is shown with its backslash escaped" "$WORK/out" 'Lit\\\\x41 Byte\\x01'
hasnt "U+202E is not passed through" "$WORK/out" $'\xe2\x80\xae'
has "U+202E is shown escaped" "$WORK/out" 'RLO\\xe2\\x80\\xaeevil'
hasnt "U+2066 is not passed through" "$WORK/out" $'\xe2\x81\xa6'
# one check, one CPU
tdx "$(fx tdx-host)" check --only cpu.vendor
has "1 check, not 1 checks" "$WORK/out" '^1 check: 1 pass'
offline3() { fake_reset "offline_after=1:3"; }
offline3
tdx "$FK" "$FD" enable
has "one offline CPU: 'CPU 3 is offline'" "$WORK/err" 'CPU 3 is offline'
hasnt "no 'CPUs 3 are'" "$WORK/err" 'CPUs 3 are'
# a CPU list past the limit is warned about once
fx_copy hugepossible tdx-host
echo 0-9999 > "$WORK/fx/hugepossible/sys/devices/system/cpu/possible"
tdx "$(fx hugepossible)" status
check "a possible list past 8192 CPUs: one warning ($(grep -c 'beyond the limit' "$WORK/err"))" [ "$(grep -c 'beyond the limit' "$WORK/err")" = 1 ]
# cpu and module with an unknown subcommand
rc_is "cpu bogus" 2 cpu bogus
has "cpu bogus: unknown subcommand 'bogus'" "$WORK/err" "unknown subcommand 'bogus' of 'cpu' \(list or enable\)"
rc_is "explain -0" 2 explain -0
has "explain -0: says why" "$WORK/err" "'-0' is not an errno"

### status when the driver answers but its CPU table is bad (6 checks) ###
fake_reset "badcpu=0xfffffff0" "state=2" "enabled=0,1,2,3"
tdx "$FK" "$FD" status
hasnt "no (null) in the text" "$WORK/out" '\(null\)'
has "the summary credits the driver, not the kernel log" "$WORK/out" '^TDX: +ready: TDX module 1\.5\.08 initialized, 4 of 4 online CPUs TDX-enabled$'
has "the CPU table's fault is still the error" "$WORK/err" "CPU table is invalid"
tdx --json "$FK" "$FD" status
hasnt "no (null) in JSON" "$WORK/out" '\(null\)'
has "JSON: module from the driver, with its version" "$WORK/out" '"module":\{"state":"initialized","source":"driver","reason":null,"version":"1\.5\.08"'
valid "JSON: valid against its schema (exit $rc)"

### a malformed CPU list is evidence of a broken file, not a CPU set (9 checks) ###
fx_copy badmask tdx-host
echo '0-1,,2-3' > "$WORK/fx/badmask/sys/devices/system/cpu/online"
tdx "$(fx badmask)" check --only bios,msr
check "check --only bios,msr over a malformed online list: not 0 (exit $rc)" [ "$rc" != 0 ]
hasnt "check: no PASS on a malformed online list" "$WORK/out" '^PASS'
has "check: the malformed file is named" "$WORK/out" '/sys/devices/system/cpu/online is malformed'
tdx "$(fx badmask)" check --only msr.uniform
hasnt "check --only msr.uniform: no PASS either" "$WORK/out" '^PASS'
tdx "$(fx badmask)" status
has "status: says the online list is malformed" "$WORK/out" '^  CPU lists: +/sys/devices/system/cpu/online is malformed$'
has "status: the online count is unknown, not '-'" "$WORK/out" '^  online: +unknown$'
tdx --json "$(fx badmask)" status
has "status --json: masks_error names the file" "$WORK/out" '"online":null,.*"masks_error":"/sys/devices/system/cpu/online is malformed"'
valid "status --json over a malformed online list: valid against its schema"
tdx --json "$(fx tdx-host)" status
has "status --json over good lists: masks_error null" "$WORK/out" '"masks_error":null'

### verdicts cite the evidence that decided them (6 checks) ###
tdx "$(fx tdx-host)" check -v --only env
has "env.virtualization PASS cites the cpuinfo flags that decided it" "$WORK/out" '^      evidence: cpuinfo /proc/cpuinfo: flags: no hypervisor, no tdx_guest$'
has "env.virtualization PASS: the reason names the missing hypervisor flag" "$WORK/out" "^PASS  env\.virtualization +bare metal: no 'hypervisor' flag in /proc/cpuinfo"
tdx --json "$(fx vm-guest)" check --only env
has "env.virtualization in a VM cites the hypervisor flag first" "$WORK/out" '"evidence":\[\{"source":"cpuinfo","path":"/proc/cpuinfo","msr":null,"cpus":null,"value":"flags: hypervisor"'
tdx "$(fx tdx-host)" check -v --only msr.uniform
has "msr.uniform PASS cites 0x87 on every CPU" "$WORK/out" '^      evidence: msr MSR 0x87 CPUs 0-3: 0x[0-9a-f]{16}$'
has "msr.uniform PASS cites 0x1401 on every CPU" "$WORK/out" '^      evidence: msr MSR 0x1401 CPUs 0-3: 0x[0-9a-f]{16}$'
check "msr.uniform PASS cites each of the 6 MSRs ($(grep -c 'evidence: msr' "$WORK/out"))" [ "$(grep -c 'evidence: msr' "$WORK/out")" = 6 ]

### one table of what to do: every command gives the regime's hint (13 checks) ###
# hints FIXTURE: status, enable, module enable, cpu list, cpu enable and
# check --json over it; every hint given is the table's (status's
# kernel.enable, or the error hint status gives)
hints() {
	local d=$WORK/hints-$1 c
	mkdir -p "$d"
	for c in status enable "module enable" "cpu list" "cpu enable 0" "check -v"; do
		# shellcheck disable=SC2086
		tdx --json "$(fx "$1")" $c
		cp "$WORK/out" "$d/$(echo "$c" | tr ' ' '-').json"
	done
	"$py" - "$d" > "$WORK/hints" 2>&1 <<'PY'
import json, os, sys
d = sys.argv[1]
docs = {f[:-5]: json.load(open(os.path.join(d, f))) for f in os.listdir(d)}
st = docs['status']
table = {st['kernel']['enable']}
if st['error']:
    table.add(st['error']['hint'])
bad = []
for name, doc in sorted(docs.items()):
    k = doc.get('kernel')
    if k and k['enable'] != st['kernel']['enable']:
        bad.append(f'{name}: kernel.enable {k["enable"]!r}')
    e = doc.get('error')
    if e and e.get('hint') and name.startswith(('cpu', 'module', 'enable')) and e['hint'] not in table:
        bad.append(f'{name}: hint {e["hint"]!r}')
    for c in doc.get('checks', []):
        if c['id'] in ('driver.loaded', 'module.state') and c['hint'] and c['status'] in ('fail', 'warn') \
           and c['hint'] not in table and 'modprobe' in c['hint']:
            bad.append(f'{name} {c["id"]}: hint {c["hint"]!r}')
print(f'table: {sorted(table)}')
sys.exit('\n'.join(bad) if bad else 0)
PY
}
for f in tdx-host-7.2 tdx-fail-7.1 tdx-host-6.19 tdx-host qemu-core-6.12 nocore-6.12 vm-guest; do
	if hints "$f"; then ok "$f: one hint in status, enable, module enable, cpu list, cpu enable, check"; else
		notok "$f: the hints differ"; diag < "$WORK/hints"; fi
done
# the table's other deciding facts, each alone: kvm_intel not loaded,
# kvm.enable_virt_at_load=N (on demand: no matter, tdxctl holds a KVM VM
# for VMX operation; KVM-owned: KVM needs it)
fx_copy nokvm tdx-host
rm -rf "$WORK/fx/nokvm/sys/module/kvm_intel"
fx_copy valoff tdx-host
echo N > "$WORK/fx/valoff/sys/module/kvm/parameters/enable_virt_at_load"
fx_copy valoff-6.19 tdx-host-6.19
echo N > "$WORK/fx/valoff-6.19/sys/module/kvm/parameters/enable_virt_at_load"
for f in nokvm:'load kvm_intel \(tdxctl enable holds a KVM VM open' valoff:"^table: \\['load the tdxctl driver" \
	 valoff-6.19:'and kvm\.enable_virt_at_load=1, then reload kvm_intel'; do
	if hints "${f%%:*}" && grep -qE "${f#*:}" "$WORK/hints"; then ok "${f%%:*}: one hint everywhere, the table's row for it"; else
		notok "${f%%:*}: the hints differ, or not /${f#*:}/"; diag < "$WORK/hints"; fi
done
# the report of issue 20: on 7.2 cpu list said "modprobe tdxctl"
tdx "$(fx tdx-host-7.2)" cpu list
hasnt "7.2: cpu list does not send you to modprobe tdxctl" "$WORK/err" 'modprobe tdxctl'
has "7.2: cpu list gives status's word" "$WORK/err" '^hint: nothing: initialized at boot$'
tdx "$(fx tdx-host-6.19)" cpu enable 0
has "6.19: cpu enable says KVM owns TDX" "$WORK/err" '^hint: set kvm_intel\.tdx=1'

### the kernel's refusal at boot: what to change, per reason (3 checks) ###
for r in "Hibernation support is enabled:boot with nohibernate" \
	 "register_memory_notifier() failed (-12):could not watch memory hotplug" \
	 "too few private KeyIDs available:raise the TDX KeyID count in the BIOS"; do
	fx_copy refusal few-keyids
	sed -i "s/initialization failed: too few private KeyIDs available\./initialization failed: ${r%%:*}./" \
		"$WORK/fx/refusal/dev/kmsg"
	tdx "$(fx refusal)" status
	has "refused at boot, '${r%%:*}': the hint says what to change" "$WORK/err" "^hint: .*${r#*:}"
done

### end ###
no_tool_errors
plan_kept
[ "$failed" = 0 ]
