#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# export.sh - tdxctl status --format prometheus|nfd [--output-file FILE]:
# on fixtures and on the fake device (driver loaded: uninitialized,
# initialized, failed), every exported value equals the field of
# status --json it comes from, a null is never exported (not as 0 either),
# every metric has HELP and TYPE, promtool check metrics accepts the file,
# every NFD line is a valid label under tdxctl.tdx.; --output-file replaces
# its target atomically and leaves no temporary file, on success or
# failure; a bad --format is a usage error.
#
# promtool comes with Debian's prometheus package: without it this test
# fails (Bail out!), it does not skip.
#
# usage: export.sh TDXCTL FAKEDEV_SO SCHEMA_DIR
set -u

PLAN=68

HERE=$(cd "$(dirname "$0")" && pwd)
# ok, notok, diag, bail, rc_is, has, hasnt, tap_start
. "$HERE/tap-helpers.sh"
PROMTOOL=$(command -v promtool) ||
	{ echo "TAP version 13"; echo "1..$PLAN"
	  echo "Bail out! promtool not found: install Debian's prometheus package (tools/install-deps.sh)"; exit 1; }
tap_start export "$@"
fixtures_and_fake

# The comparison: JSON, prometheus file, nfd file, status's exit code.
cat > "$WORK/compare.py" <<'PY'
import json, math, re, sys

j = json.load(open(sys.argv[1]))
prom, nfdtext, rc, what = open(sys.argv[2]).read(), open(sys.argv[3]).read(), int(sys.argv[4]), sys.argv[5]
bad = []

# ---- prometheus: the samples, by (name, labels) ----
sample = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
label = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)')
helps, types, got, order = set(), {}, {}, []
for line in prom.splitlines():
    if line.startswith('# HELP '):
        helps.add(line.split()[2])
        continue
    if line.startswith('# TYPE '):
        types[line.split()[2]] = line.split()[3]
        continue
    m = sample.match(line)
    if not m:
        bad.append('not a sample line: %r' % line)
        continue
    labels, rest = {}, m.group(2) or ''
    while rest:
        lm = label.match(rest)
        if not lm:
            bad.append('bad labels: %r' % line)
            break
        labels[lm.group(1)] = lm.group(2).replace('\\"', '"').replace('\\n', '\n').replace('\\\\', '\\')
        rest = rest[lm.end():]
    key = (m.group(1), tuple(sorted(labels.items())))
    if key in got:
        bad.append('duplicate series %r' % (key,))
    got[key] = float(m.group(3))
for name in {k[0] for k in got}:
    if name not in helps or types.get(name) != 'gauge':
        bad.append('%s: no HELP or TYPE gauge' % name)
for name in helps | set(types):
    if not any(k[0] == name for k in got):
        bad.append('%s: HELP/TYPE without a sample' % name)

d, k, m, c = j['driver'], j['kernel'], j['module'], j['cpus']
want = {}
def put(name, value, **labels):
    if value is None:
        return          # null: not exported
    want[(name, tuple(sorted((a, str(b)) for a, b in labels.items() if b is not None)))] = float(value)

put('tdxctl_build_info', 1, version=j['tool_version'])
put('tdxctl_status_exit_code', rc)
put('tdxctl_driver_loaded', int(d['loaded']))
if any(d[x] is not None for x in ('backend', 'abi_version', 'version')):
    put('tdxctl_driver_info', 1, backend=d['backend'], abi_version=d['abi_version'], version=d['version'])
for r in ['unknown', 'no-host-core', 'no-platform', 'on-demand', 'kvm-owned', 'boot-initialized']:
    put('tdxctl_kernel_regime', int(r == k['regime']), regime=r)
for s in ['uninitialized', 'initializing', 'initialized', 'error', 'unavailable', 'unknown']:
    put('tdxctl_module_state', int(s == m['state']), state=s)
if m['version'] is not None:
    put('tdxctl_module_info', 1, version=m['version'], build_date=m['build_date'],
        build_num=m['build_num'], source=m['source'])
if m['seamldr_version'] is not None:
    put('tdxctl_seamldr_info', 1, version=m['seamldr_version'])
put('tdxctl_module_updates_remaining', m['remaining_updates'])
e = m['error']
put('tdxctl_module_error', int(e is not None))
if e is not None and any(e[x] is not None for x in ('step', 'errno', 'tdx_status')):
    put('tdxctl_module_error_info', 1, step=e['step'], errno=e['errno'], tdx_status=e['tdx_status'])
put('tdxctl_module_enable_seconds', None if m['enable_ns'] is None else m['enable_ns'] / 1e9)
put('tdxctl_module_tdmrs_max', m['max_tdmrs'])
put('tdxctl_module_tdmrs', m['tdmrs'])
put('tdxctl_pamt_bytes', None if m['pamt_kb'] is None else m['pamt_kb'] * 1024)
put('tdxctl_global_keyid', m['global_keyid'])
put('tdxctl_guest_keyid_first', m['guest_keyids']['first'])
put('tdxctl_keyids', m['guest_keyids']['count'], kind='guest')
for s in ['possible', 'present', 'online', 'enabled']:
    put('tdxctl_cpus', c[s], state=s)
put('tdxctl_module_cpus', c['module_lp_count'])
put('tdxctl_module_packages', c['module_packages'])
for key in sorted(set(want) | set(got)):
    w, g = want.get(key), got.get(key)
    if w is None or g is None or not math.isclose(w, g, rel_tol=1e-9):
        bad.append('%s: exported %s, status --json says %s' % (key, g, w))

# ---- nfd ----
ok_name = re.compile(r'^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$')
nfd = {}
for line in nfdtext.splitlines():
    name, eq, value = line.partition('=')
    if not eq or not ok_name.match(name) or len(name) > 63 or \
       (value and (not ok_name.match(value) or len(value) > 63)):
        bad.append('nfd: not a valid label line: %r' % line)
    if not name.startswith('tdxctl.tdx.'):
        bad.append('nfd: %r is not under tdxctl.tdx.' % name)
    nfd[name[len('tdxctl.tdx.'):]] = value
wn = {'driver-loaded': str(d['loaded']).lower(), 'regime': k['regime'], 'module-state': m['state'],
      'module-initialized': str(m['state'] == 'initialized').lower()}
if m['version'] is not None and ok_name.match(m['version']):
    wn['module-version'] = m['version']
for name, v in (('module-updates-remaining', m['remaining_updates']), ('guest-keyids', m['guest_keyids']['count'])):
    if v is not None:
        wn[name] = str(v)
if c['online'] is not None and c['enabled'] is not None:
    wn['all-cpus-enabled'] = str(c['online'] == c['enabled']).lower()
if nfd != wn:
    bad.append('nfd: %r, wanted %r' % (nfd, wn))

for b in bad:
    print('# %s: %s' % (what, b))
sys.exit(1 if bad else 0)
PY

# export WHAT ARGS...: status --json, --format prometheus and nfd on the
# same host; 3 checks: the values equal JSON's, promtool accepts the
# file, the exit codes agree
export_case() {
	local what=$1 jrc prc nrc
	shift
	tdx "$@" --json status; jrc=$rc; cp "$WORK/out" "$WORK/s.json"
	tdx "$@" status --format prometheus; prc=$rc; cp "$WORK/out" "$WORK/s.prom"
	tdx "$@" status --format=nfd; nrc=$rc; cp "$WORK/out" "$WORK/s.nfd"
	if python3 "$WORK/compare.py" "$WORK/s.json" "$WORK/s.prom" "$WORK/s.nfd" "$jrc" "$what" > "$WORK/cmp" 2>&1
	then ok "$what: every exported value is status --json's, no null exported"
	else notok "$what: exports differ from status --json"; cat "$WORK/cmp"; fi
	if "$PROMTOOL" check metrics < "$WORK/s.prom" > "$WORK/pt" 2>&1
	then ok "$what: promtool check metrics"
	else notok "$what: promtool check metrics"; diag < "$WORK/pt"; fi
	if [ "$jrc" = "$prc" ] && [ "$jrc" = "$nrc" ]; then ok "$what: exit $jrc, the same in the three formats"
	else notok "$what: exit codes json $jrc, prometheus $prc, nfd $nrc"; fi
}

### fixtures (8 x 3 checks) ###
for fx in tdx-host tdx-host-7.2 tdx-host-7x tdx-fail-7.1 tdx-host-6.19 few-keyids non-tdx td-guest; do
	export_case "$fx" --sysroot="$WORK/fx/$fx"
done

### a module version to escape (3 + 1 checks): quote and backslash ###
python3 "$FIXTURES/mkroot.py" "$FIXTURES/tdx-host-7.2" "$WORK/esc" || bail "fixture tdx-host-7.2 does not build"
printf '1.5.08"x\\y\n' > "$WORK/esc/sys/devices/faux/tdx_host/version"
export_case "a version with a quote and a backslash" --sysroot="$WORK/esc"
has "... escaped in the label (the NFD file leaves it out: compared above)" "$WORK/s.prom" \
	'^tdxctl_module_info\{version="1\.5\.08\\"x\\\\y",source="kernel-log"\} 1$'

### the fake device: driver loaded (4 x 3 + 1 checks) ###
fake_reset
export_case "driver, module uninitialized" "$FK" "$FD"
fake_reset state=2
export_case "driver, module initialized" "$FK" "$FD"
fake_reset state=3 err_errno=5
export_case "driver, module failed" "$FK" "$FD"
fake_reset backend=2 state=2
export_case "driver (kernel backend), module initialized" "$FK" "$FD"
has "... the initialized module's version and KeyIDs are exported" "$WORK/s.prom" '^tdxctl_module_state\{state="initialized"\} 1$'

### --output-file (16 checks) ###
fake_reset state=2
D=$WORK/o
mkdir -p "$D"
tdx "$FK" "$FD" status --format prometheus; cp "$WORK/out" "$WORK/want.prom"
rc_is "--output-file FILE" 0 "$FK" "$FD" status --format prometheus --output-file "$D/tdx.prom"
if cmp -s "$D/tdx.prom" "$WORK/want.prom"; then ok "... FILE holds what stdout gets"; else notok "... FILE differs from stdout"; diff "$WORK/want.prom" "$D/tdx.prom" | diag; fi
if [ "$(stat -c %a "$D/tdx.prom")" = 644 ]; then ok "... mode 0644"; else notok "... mode $(stat -c %a "$D/tdx.prom")"; fi
if [ ! -s "$WORK/out" ]; then ok "... nothing on stdout"; else notok "... stdout not empty"; diag < "$WORK/out"; fi
ino=$(stat -c %i "$D/tdx.prom")
rc_is "--output-file on an existing FILE" 0 "$FK" "$FD" status --format=nfd --output-file="$D/tdx.prom"
if [ "$(stat -c %i "$D/tdx.prom")" != "$ino" ]; then ok "... replaced by rename (a new inode)"; else notok "... written in place (same inode)"; fi
has "... now the nfd file" "$D/tdx.prom" '^tdxctl\.tdx\.module-state=initialized$'
if [ -z "$(ls -A "$D" | grep -v '^tdx\.prom$')" ]; then ok "... no temporary file left"; else notok "... left behind: $(ls -A "$D")"; fi
rc_is "--output-file -: stdout" 0 "$FK" "$FD" status --format prometheus --output-file -
if cmp -s "$WORK/out" "$WORK/want.prom"; then ok "... the same document"; else notok "... a different document on stdout"; fi

# a reader never sees a part: 40 writes while a reader reads
tdx "$FK" "$FD" status --format prometheus --output-file "$D/r.prom"
python3 - "$D/r.prom" "$WORK/want.prom" > "$WORK/reader" 2>&1 <<'PY' &
import os, sys, time
want = open(sys.argv[2]).read()
bad = reads = 0
end = time.time() + 60
while not os.path.exists(sys.argv[1] + '.done') and time.time() < end:
    try:
        got = open(sys.argv[1]).read()
    except FileNotFoundError:
        bad += 1
        continue
    reads += 1
    bad += got != want
    if reads == 1:
        open(sys.argv[1] + '.ready', 'w').close()
print(reads, bad)
PY
reader=$!
# the writes start once the reader has read (a loaded machine may start it late)
for i in $(seq 600); do [ -e "$D/r.prom.ready" ] && break; kill -0 "$reader" 2> /dev/null || break; sleep 0.1; done
for i in $(seq 40); do LD_PRELOAD=$SHIM "$TDXCTL" "$FK" "$FD" status --format prometheus --output-file "$D/r.prom" 2>> "$WORK/err"; done
touch "$D/r.prom.done"
wait "$reader"
read -r reads partial < "$WORK/reader"
if [ "${partial:-x}" = 0 ] && [ "${reads:-0}" -gt 0 ]; then ok "a reader during 40 rewrites: $reads reads, each the whole file"
else notok "a reader during 40 rewrites: $(cat "$WORK/reader")"; fi
rm -f "$D/r.prom" "$D/r.prom.done" "$D/r.prom.ready"

# failures: nothing written, nothing left
mkdir -p "$D/adir"
rc_is "--output-file naming a directory" 1 "$FK" "$FD" status --format prometheus --output-file "$D/adir"
has "... says so" "$WORK/err" "^tdxctl: cannot replace $D/adir: Is a directory; nothing written$"
rc_is "--output-file in a missing directory" 1 "$FK" "$FD" status --format nfd --output-file "$D/none/x.prom"
# an unwritable directory: as root, the run drops to nobody (setpriv)
mkdir -p "$WORK/ro"; chmod 555 "$WORK/ro"
if [ "$(id -u)" = 0 ]; then
	chmod 755 "$WORK" "$WORK/fx"
	ASUSER="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
	ASUSER=
fi
$ASUSER "$TDXCTL" --sysroot="$WORK/fx/tdx-host-7.2" status --format prometheus --output-file "$WORK/ro/x.prom" \
	> "$WORK/out" 2> "$WORK/err"
rc=$?
if [ "$rc" = 5 ] && grep -q "^tdxctl: cannot create a temporary file beside $WORK/ro/x.prom: Permission denied; nothing written$" "$WORK/err"
then ok "an unwritable directory: exit 5 (permission), said"; else notok "an unwritable directory: exit $rc"; diag < "$WORK/err"; fi
if [ -z "$(find "$D/adir" "$WORK/ro" -mindepth 1)" ] && [ -z "$(ls -A "$D" | grep -v -e '^tdx\.prom$' -e '^adir$')" ]
then ok "... no temporary file left by any failure"; else notok "... left behind"; ls -lA "$D" "$D/adir" "$WORK/ro" | diag; fi

### usage errors (10 checks) ###
rc_is "--format=xml" 2 "$FK" "$FD" status --format=xml
has "... names the formats" "$WORK/err" "--format: 'xml' is not one of text, json, prometheus, nfd"
rc_is "--format prometheus --json" 2 "$FK" "$FD" --json status --format prometheus
rc_is "--format nfd --cpus" 2 "$FK" "$FD" status --format nfd --cpus
rc_is "--output-file with text" 2 "$FK" "$FD" status --output-file "$D/t"
has "... says what it writes" "$WORK/err" 'output-file writes the prometheus and nfd formats, not text'
rc_is "--format=text --json" 2 "$FK" "$FD" --json status --format=text
rc_is "--format=json" 0 "$FK" "$FD" status --format=json
tdx "$FK" "$FD" --json status; cp "$WORK/out" "$WORK/j1"
tdx "$FK" "$FD" status --format=json
if cmp -s "$WORK/out" "$WORK/j1"; then ok "... the document of --json"; else notok "... differs from --json"; fi
if [ ! -e "$D/t" ]; then ok "no file from a usage error"; else notok "a usage error wrote $D/t"; fi

no_tool_errors
plan_kept
[ "$failed" = 0 ]
