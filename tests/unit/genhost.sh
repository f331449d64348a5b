#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# genhost.sh - tests/fixtures/genhost.py derives N-CPU hosts that keep
# their fixture's verdicts: for each fixture and N, check --json gives the
# fixture's checks with the same status, and the same reasons but for CPU
# numbers and lists; status --json the same module, kernel (regime,
# platform, evidence) and summary.  Both MSR replay layouts give the same
# documents.  Controls: a generated host with one CPU's MSRs dropped, and
# one whose CPUs all copy CPU 0 (the fixture's shape lost), must differ,
# so the comparison can fail.
#
# usage: genhost.sh TDXCTL
set -u

TDXCTL=$1
. "$(dirname "$0")/tap.sh"
FIXTURES_N="tdx-host msr-mismatch tdx-host-7.2 non-tdx vm-guest seamrr-off"
SIZES="4 64 1024"
# per fixture and size: generated, check same, status same (3); per
# fixture: the percpu layout at 64 gives the same documents (1); the shape
# kept (2); controls (6)
tap_begin genhost $((6 * 3 * 3 + 6 + 2 + 6))

# docs ROOT NAME: check and status JSON of ROOT in $W/NAME.check, .status
docs() {
	local c
	for c in check status; do
		timeout 60 "$TDXCTL" --sysroot="$1" --json $c > "$W/$2.$c" 2> "$W/$2.$c.err"
		rc=$?
		# 0 ok, 1 failed checks, 4 not supported, 8 unknown: all a document
		case $rc in 0|1|4|8) ;; *) echo "$c on $1: exit $rc" > "$W/err"; cat "$W/$2.$c.err" >> "$W/err"; return 1 ;; esac
	done
	return 0
}

# same KIND A B: the documents A and B (check or status) agree: the
# verdicts (id, status, observed, expected, the reason with CPU numbers
# and lists as #) or the module, kernel and summary of status
same() {
	python3 - "$@" > "$W/err" 2>&1 << 'EOF'
import json, re, sys
kind, a, b = sys.argv[1:]
def load(p):
    return json.load(open(p))
num = re.compile(r'\d+(?:-\d+)?(?:,\d+(?:-\d+)?)*')
def reason(r):
    if r is None:
        return None
    return num.sub('#', r) if 'CPU' in r else r
def key(d):
    if kind == 'check':
        return [(c['id'], c['status'], reason(c.get('reason')), c.get('observed'),
                 c.get('expected')) for c in d['checks']] + [d.get('environment')]
    return {k: d.get(k) for k in ('module', 'kernel', 'summary')}
x, y = key(load(a)), key(load(b))
if x != y:
    xs = x if isinstance(x, list) else sorted(x.items())
    ys = y if isinstance(y, list) else sorted(y.items())
    for p, q in zip(xs, ys):
        if p != q:
            print('fixture:  ', json.dumps(p)[:300])
            print('generated:', json.dumps(q)[:300])
    if len(xs) != len(ys):
        print('lengths differ:', len(xs), len(ys))
    sys.exit(1)
EOF
}

# whole A B ROOT-A ROOT-B: two documents the same but for their roots
whole() {
	verdicts "$1" "$3" > "$W/w1"
	verdicts "$2" "$4" > "$W/w2"
	diff "$W/w1" "$W/w2" > "$W/err"
}

for f in $FIXTURES_N; do
	mkfixture "$f" "$W/fx-$f"
	docs "$W/fx-$f" "fx-$f" || { echo "Bail out! fixture $f gives no document"; cat "$W/err"; exit 1; }
	for ncpu in $SIZES; do
		g=$W/gen-$f-$ncpu
		python3 "$FIXTURES/genhost.py" "$FIXTURES/$f" "$ncpu" "$g" > "$W/err" 2>&1
		gen_rc=$?
		[ "$gen_rc" = 0 ] && [ "$(wc -l < "$g/proc/cpuinfo" | tr -d ' ')" -gt 0 ] &&
			grep -q "^processor.*: $((ncpu - 1))\$" "$g/proc/cpuinfo" &&
			[ "$(cat "$g/sys/devices/system/cpu/present")" = "0-$((ncpu - 1))" ]
		check $? "$f x $ncpu: generated ($ncpu CPUs present, in cpuinfo)"
		if docs "$g" "gen-$f-$ncpu"; then
			same check "$W/fx-$f.check" "$W/gen-$f-$ncpu.check"
			check $? "$f x $ncpu: check's verdicts are the fixture's"
			same status "$W/fx-$f.status" "$W/gen-$f-$ncpu.status"
			check $? "$f x $ncpu: status's module, kernel and summary are the fixture's"
		else
			notok "$f x $ncpu: check's verdicts are the fixture's (no document)"
			notok "$f x $ncpu: status's module, kernel and summary are the fixture's (no document)"
		fi
	done
	# the per-CPU MSR files instead of msr.replay: the same documents
	p=$W/genp-$f
	rc=1
	if python3 "$FIXTURES/genhost.py" --msr-layout=percpu "$FIXTURES/$f" 64 "$p" > "$W/err" 2>&1 &&
	   [ ! -e "$p/dev/cpu/msr.replay" ] && docs "$p" "genp-$f"; then
		whole "$W/gen-$f-64.check" "$W/genp-$f.check" "$W/gen-$f-64" "$p" &&
			whole "$W/gen-$f-64.status" "$W/genp-$f.status" "$W/gen-$f-64" "$p"
		rc=$?
	fi
	check $rc "$f x 64: the per-CPU MSR files give the documents of msr.replay"
done

### the fixture's shape kept (2 checks) ###
# msr-mismatch: its second socket (CPUs 2-3) is the second half
grep -qx '32-63 0x982 0x0000004600000002' "$W/gen-msr-mismatch-64/dev/cpu/msr.replay" &&
	grep -qx '0-31 0x982 0x0000004600000003' "$W/gen-msr-mismatch-64/dev/cpu/msr.replay"
check $? "msr-mismatch x 64: CPUs 32-63 read the second socket's MSRs, 0-31 the first's"
# tdx-host: packages 0 and 1 halve the CPUs; a core is never shared in a package
t=$W/gen-tdx-host-1024/sys/devices/system/cpu
[ "$(cat "$t/cpu511/topology/physical_package_id")" = 0 ] &&
	[ "$(cat "$t/cpu512/topology/physical_package_id")" = 1 ] &&
	[ "$(cat "$t/cpu512/topology/core_id")" = 0 ] && [ "$(cat "$t/cpu1023/topology/core_id")" = 511 ] &&
	[ "$(cat "$t/cpu1023/online")" = 1 ] && [ ! -e "$t/cpu0/online" ]
check $? "tdx-host x 1024: CPUs 0-511 package 0, 512-1023 package 1, cores numbered per package"

### controls: a broken generator is seen (6 checks) ###
# 1. one CPU's MSRs dropped from msr.replay (CPU 63 of 64)
c=$W/ctl-drop
python3 "$FIXTURES/genhost.py" "$FIXTURES/tdx-host" 64 "$c" > "$W/err" 2>&1
check $? "control: tdx-host x 64 generated"
sed -i 's/^0-63 /0-62 /' "$c/dev/cpu/msr.replay"
grep -q '^0-62 0x87 ' "$c/dev/cpu/msr.replay"
check $? "control: CPU 63 dropped from msr.replay"
docs "$c" ctl-drop && ! same check "$W/fx-tdx-host.check" "$W/ctl-drop.check"
check $? "control: a CPU without MSRs changes check's verdicts (the comparison fails)"
# 2. the same, per-CPU layout: CPU 63's file removed
c=$W/ctl-dropp
python3 "$FIXTURES/genhost.py" --msr-layout=percpu "$FIXTURES/tdx-host" 64 "$c" > "$W/err" 2>&1 &&
	rm -f "$c/dev/cpu/63/msr" && docs "$c" ctl-dropp && ! same check "$W/fx-tdx-host.check" "$W/ctl-dropp.check"
check $? "control: per-CPU layout, CPU 63's msr file removed: the comparison fails"
# 3. the shape lost: every CPU of msr-mismatch reads what CPU 0 reads
c=$W/ctl-shape
python3 "$FIXTURES/genhost.py" "$FIXTURES/msr-mismatch" 64 "$c" > "$W/err" 2>&1 &&
	sed -i -e '/^32-63 /d' -e 's/^0-31 /0-63 /' "$c/dev/cpu/msr.replay" && docs "$c" ctl-shape &&
	! same check "$W/fx-msr-mismatch.check" "$W/ctl-shape.check"
check $? "control: msr-mismatch without its second socket's MSRs: the comparison fails"
# 4. status: the regime's evidence changed (cpuinfo without tdx_host_platform)
c=$W/ctl-status
python3 "$FIXTURES/genhost.py" "$FIXTURES/tdx-host" 64 "$c" > "$W/err" 2>&1 &&
	sed -i 's/ tdx_host_platform//' "$c/proc/cpuinfo" && docs "$c" ctl-status &&
	! same status "$W/fx-tdx-host.status" "$W/ctl-status.status"
check $? "control: status of a host that lost tdx_host_platform: the comparison fails"

tap_end
