#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# msr_replay.sh - the two MSR replay layouts (sysroot.c): every fixture
# replayed from dev/cpu/msr.replay gives the documents of its per-CPU
# dev/cpu/N/msr files; the same damage (a CPU without MSRs, an MSR hole)
# the same verdicts in both; diag writes msr.replay from what check read
# and its replay gives the fixture's verdicts.  A malformed, cut short,
# huge or hostile msr.replay is refused with a warning naming it and the
# line, and no MSR check passes on it.
#
# usage: msr_replay.sh TDXCTL
set -u

TDXCTL=$1
. "$(dirname "$0")/tap.sh"
MSR_CHECKS="cpu.msr_access bios.seamrr.supported bios.seamrr.enabled bios.tme bios.keyids msr.uniform bios.sgx bios.mcheck_status bios.seamldr_svn cpu.production bios.tme_bypass"
NFIX=$(find "$FIXTURES" -mindepth 1 -maxdepth 1 -type d | wc -l)
# per fixture 1; damage 3; diag 4; valid tokens 2; hostile 17 x 1; no crash 1
tap_begin msr-replay $((NFIX + 3 + 4 + 2 + 17 + 1))

# tdx ROOT ARGS...: tdxctl under a 10 s timeout; $W/out, $W/err, $rc
tdx() {
	local root=$1
	shift
	timeout 10 ${TDXCTL_WRAP:-} "$TDXCTL" --sysroot="$root" "$@" > "$W/out" 2> "$W/err"
	rc=$?
	if [ "$rc" -gt 128 ] || [ "$rc" = 97 ] || [ "$rc" = 99 ] || grep -qE 'runtime error|AddressSanitizer|^==[0-9]+== ' "$W/err"; then
		{ echo "tdxctl $* (exit $rc)"; cat "$W/err"; } >> "$W/crashes"
	fi
}
# both ROOT NAME: check -v and status --cpus JSON of ROOT, normalized, in $W/NAME
both() {
	: > "$W/$2"
	tdx "$1" --json -v check
	verdicts "$W/out" "$1" >> "$W/$2"
	python3 -c 'import json,sys; [print(c["id"], c["reason"]) for c in json.load(open(sys.argv[1]))["checks"]]' "$W/out" >> "$W/$2" 2>&1
	tdx "$1" --json status --cpus
	verdicts "$W/out" "$1" >> "$W/$2"
}
compact() { rm -rf "$2"; python3 "$FIXTURES/mkroot.py" --msr-layout=compact "$FIXTURES/$1" "$2" || { echo "Bail out! fixture $1 does not build"; exit 1; }; }

### every fixture: the same documents from either layout ###
for d in "$FIXTURES"/*/; do
	f=$(basename "$d")
	mkfixture "$f" "$W/p-$f"
	compact "$f" "$W/c-$f"
	both "$W/p-$f" "p.docs"
	both "$W/c-$f" "c.docs"
	if [ -e "$FIXTURES/$f/msrs.txt" ] && { [ ! -f "$W/c-$f/dev/cpu/msr.replay" ] || [ -e "$W/c-$f/dev/cpu/0" ]; }; then
		notok "$f: msr.replay written, no per-CPU file"
	else
		diff "$W/p.docs" "$W/c.docs" > "$W/err"
		check $? "$f: check -v and status --cpus the same from msr.replay and from dev/cpu/N/msr"
	fi
done

### the same damage, the same verdicts (3 checks) ###
# CPU 3 without MSRs
mkfixture tdx-host "$W/dp"; rm -rf "$W/dp/dev/cpu/3"
compact tdx-host "$W/dc"; sed -i 's/^0-3 /0-2 /' "$W/dc/dev/cpu/msr.replay"
both "$W/dp" p.docs; both "$W/dc" c.docs
diff "$W/p.docs" "$W/c.docs" > "$W/err" && grep -q 'cpu.msr_access warn' "$W/c.docs"
check $? "CPU 3 without MSRs: the same WARN from both layouts"
# MSR 0x1401 raised #GP on CPU 2 (a hole; msr.replay: gp)
mkfixture tdx-host "$W/dp"
python3 -c 'import sys; f=open(sys.argv[1],"r+b"); f.seek(0x1401*16); f.write(bytes(16))' "$W/dp/dev/cpu/2/msr"
compact tdx-host "$W/dc"
sed -i 's/^0-3 0x1401 \(.*\)/0-1,3 0x1401 \1\n2 0x1401 gp/' "$W/dc/dev/cpu/msr.replay"
both "$W/dp" p.docs; both "$W/dc" c.docs
diff "$W/p.docs" "$W/c.docs" > "$W/err" && ! grep -q 'bios.seamrr.enabled pass' "$W/c.docs"
check $? "MSR 0x1401 #GP on CPU 2 (a hole, gp): the same verdicts, no SEAMRR pass"
# an MSR left out for a listed CPU is a #GP too
compact tdx-host "$W/dc2"
sed -i 's/^0-3 0x1401 \(.*\)/0-1,3 0x1401 \1/' "$W/dc2/dev/cpu/msr.replay"
both "$W/dc2" c2.docs
diff "$W/c.docs" "$W/c2.docs" > "$W/err"
check $? "an MSR a listed CPU has no line for reads as gp"

### diag writes msr.replay from what check read (4 checks) ###
mkfixture msr-mismatch "$W/dg"
tdx "$W/dg" diag -o "$W/b.tar.gz"
[ "$rc" = 0 ] || [ "$rc" = 3 ]
check $? "diag of msr-mismatch (per-CPU files): a bundle"
mkdir -p "$W/bx" && tar xzf "$W/b.tar.gz" -C "$W/bx" 2> "$W/err"
top=$(ls -d "$W/bx"/*/ 2> /dev/null | head -1)
[ -f "${top}dev/cpu/msr.replay" ] && [ ! -e "${top}dev/cpu/0/msr" ] &&
	grep -qx '2-3 0x982 0x0000004600000002' "${top}dev/cpu/msr.replay" &&
	grep -q '"dev/cpu/msr.replay"' "${top}manifest.json"
check $? "the bundle: dev/cpu/msr.replay (the second socket's 0x982 on CPUs 2-3), listed; no per-CPU file"
tdx "$W/dg" --json -v check; verdicts "$W/out" "$W/dg" > "$W/v1"
tdx "${top%/}" --json -v check; verdicts "$W/out" "${top%/}" > "$W/v2"
diff "$W/v1" "$W/v2" > "$W/err"
check $? "the bundle replays check's verdicts"
# a replayed msr.replay goes into the bundle as it is
compact tdx-host "$W/dgc"
tdx "$W/dgc" diag -o "$W/c.tar.gz"
rm -rf "$W/cx"; mkdir -p "$W/cx"; tar xzf "$W/c.tar.gz" -C "$W/cx" 2> "$W/err"
top=$(ls -d "$W/cx"/*/ 2> /dev/null | head -1)
cmp "$W/dgc/dev/cpu/msr.replay" "${top}dev/cpu/msr.replay" > "$W/err" 2>&1
check $? "diag of a tree with msr.replay: the file as it was"

### valid tokens: gp, an errno (2 checks) ###
compact tdx-host "$W/t"
sed -i 's/^0-3 \(0x[0-9a-f]*\) .*/0-3 \1 EACCES/' "$W/t/dev/cpu/msr.replay"
tdx "$W/t" check --only cpu.msr_access
grep -q 'root (CAP_SYS_RAWIO) needed' "$W/out"
check $? "EACCES recorded for every MSR: 'root (CAP_SYS_RAWIO) needed', as live"
compact tdx-host "$W/t"
sed -i 's/^0-3 0x3a .*/0-3 0x3a gp/' "$W/t/dev/cpu/msr.replay"
tdx "$W/t" check --only bios.sgx
grep -q '^SKIP  bios.sgx' "$W/out"
check $? "0x3A gp on every CPU: bios.sgx skips, as a hole does"

### hostile or malformed msr.replay: refused, named, no MSR pass (17) ###
# hostile NAME WANT-REGEX: after the edit of $H/dev/cpu/msr.replay
hostile() {
	local name=$1 want=$2 bad=""
	tdx "$H" --json check
	for c in $MSR_CHECKS; do
		python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(any(c["id"]==sys.argv[2] and c["status"]=="pass" for c in d["checks"]))' "$W/out" "$c" 2> /dev/null ||
			bad="$bad $c"
	done
	if [ -n "$bad" ] || [ "$rc" = 0 ] || [ "$rc" -gt 8 ]; then
		notok "$name: refused (exit $rc; passes:$bad)"; diag < "$W/err"
	elif ! grep -qE -- "$want" "$W/err"; then
		notok "$name: the warning says /$want/"; diag < "$W/err"
	elif ! grep -q 'msr.replay' "$W/out"; then
		notok "$name: check's reason names msr.replay"; head -c 600 "$W/out" | diag
	else
		ok "$name: refused with a warning naming it (/$want/), no MSR check passes"
	fi
}
H=$W/h
R=$H/dev/cpu/msr.replay
edit() { compact tdx-host "$H"; }
edit; sed -i '1s/.*/tdxctl-msr-replay 2/' "$R"; hostile "format version 2" "line 1: format version '2' not understood"
edit; sed -i '1d' "$R"; hostile "no header" "line 1: no 'tdxctl-msr-replay 1' header"
edit; sed -i '3s/.*/0-3 0x87/' "$R"; hostile "a line of two fields" "line 3: not CPULIST MSR VALUE"
edit; sed -i '3s/^0-3 /3-1 /' "$R"; hostile "CPU list 3-1" "line 3: bad CPU list '3-1'"
edit; sed -i '3s/^0-3 /0-8192 /' "$R"; hostile "CPU 8192" "line 3: bad CPU list '0-8192'"
edit; sed -i '3s/^0-3 /0-3,,5 /' "$R"; hostile "CPU list 0-3,,5" "bad CPU list"
edit; sed -i '3s/^0-3 [^ ]* /0-3 0xzz /' "$R"; hostile "MSR 0xzz" "line 3: bad MSR number '0xzz'"
edit; sed -i '3s/ [^ ]*$/ 0x12q/' "$R"; hostile "value 0x12q" "line 3: bad value '0x12q'"
edit; sed -i '3s/ [^ ]*$/ 0x1ffffffffffffffff/' "$R"; hostile "value past 64 bits" "bad value"
edit; sed -i '3a 2 0x87 0x0' "$R"; hostile "CPU 2 MSR 0x87 twice" "CPU 2 MSR 0x87 given twice"
edit; sed -i '/^end$/d' "$R"; hostile "no end line (cut short)" "no end line: the file is cut short"
edit; echo "0 0x10 0x1" >> "$R"; hostile "a line after end" "text after the end line"
edit; python3 -c 'import sys; open(sys.argv[1],"a").write("".join(f"# {i:0120d}\n" for i in range(140000)))' "$R"
hostile "17 MB (past the 16 MiB bound)" "larger than 16777216 bytes"
edit; sed -i '/^end$/d' "$R"; for i in $(seq 0 64); do echo "0 $((0x2000 + i)) 0x1"; done >> "$R"; echo end >> "$R"
hostile "65 MSRs for CPU 0" "more than 64 MSRs for CPU 0"
edit; printf 'tdxctl-msr-replay 1\n0-3 0x87 0x1\0\nend\n' > "$R"; hostile "a NUL byte" "line 2: a NUL byte"
edit; rm -f "$R"; mkfifo "$R"; hostile "a FIFO" "msr.replay: not a regular file"
edit; rm -f "$R"; ln -s /proc/cpuinfo "$R"; hostile "a link to /proc/cpuinfo (resolved in the tree: its cpuinfo)" "line 1: no 'tdxctl-msr-replay 1' header"

if [ -s "$W/crashes" ]; then notok "no crash, timeout or sanitizer report"; diag < "$W/crashes"; else
	ok "no crash, timeout or sanitizer report"; fi
tap_end
