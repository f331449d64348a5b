#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# sos.sh - the sos report plugin (dist/sos/tdxctl.py) run by the installed
# sos ('sos report', Debian package sosreport), as root, on this host and
# on a fixture as sos's --sysroot.  The report's archive is extracted and
# must hold: the plugin's run in sos's log and manifest, the status, check
# and version JSON (kept when tdxctl exits non-zero, as it does on a host
# without TDX or driver), a diag bundle that 'tdxctl diag --verify'
# accepts (also after sos's --clean), and the TDX sysfs files that exist;
# the plugin's options (binary, diag=off, unredacted=on) do what they say.
#
# Nothing is installed system-wide: the installed sos package tree is
# copied into $WORK with the plugin added (sos finds plugins only in its
# own package directory), and run with PYTHONPATH pointing at the copy.
# sos resets PATH to its policy's list, so the temporary bin directory
# (a symbolic link to TDXCTL) is named with the plugin's binary option too.
#
# Needs root and sos: without either the test fails (Bail out!), it does
# not skip.  tools/install-deps.sh installs sosreport.
#
# usage: sos.sh TDXCTL
set -u

PLAN=40

HERE=$(cd "$(dirname "$0")" && pwd)
# ok, notok, diag, bail, has, hasnt, tap_start
. "$HERE/tap-helpers.sh"
tap_start sos "${1:?usage: sos.sh TDXCTL}" "" ""
PLUGIN=$SRC/dist/sos/tdxctl.py

[ "$(id -u)" = 0 ] || bail "sos.sh needs root: sos report refuses to run as user $(id -un)"
[ -x /usr/bin/sos ] || bail "sos is not installed (Debian package sosreport: tools/install-deps.sh)"
# sos's own interpreter (its #! line), not whichever python3 is first on PATH
SOSPY=$(sed -n '1s/^#! *//p' /usr/bin/sos)
SOSPKG=$("$SOSPY" -c 'import os, sos; print(os.path.dirname(sos.__file__))' 2>/dev/null) ||
	bail "python3 cannot import sos (Debian package sosreport: tools/install-deps.sh)"
[ -f "$PLUGIN" ] || bail "no plugin at $PLUGIN"

# sos with our plugin, in $WORK only
mkdir -p "$WORK/py" "$WORK/bin"
cp -a "$SOSPKG" "$WORK/py/" || bail "cannot copy $SOSPKG"
find "$WORK/py" -name __pycache__ -prune -exec rm -rf {} +
cp "$PLUGIN" "$WORK/py/sos/report/plugins/tdxctl.py"
ln -s "$(cd "$(dirname "$TDXCTL")" && pwd)/$(basename "$TDXCTL")" "$WORK/bin/tdxctl"
export PATH=$WORK/bin:$PATH
export PYTHONPATH=$WORK/py
SYS_PLUGIN=$SOSPKG/report/plugins/tdxctl.py
[ -e "$SYS_PLUGIN" ] && SYS_HAD=1 || SYS_HAD=0

# sos_run NAME SOS-OPTION...: sos report of the tdxctl plugin alone, in
# $WORK/NAME; its exit code in $rc, the extracted report in $R
sos_run() {
	local name=$1 t
	shift
	mkdir -p "$WORK/$name/tmp" "$WORK/$name/x"
	(cd "$WORK/$name" && timeout 300 "$SOSPY" /usr/bin/sos report --batch \
		--only-plugins tdxctl --tmp-dir "$WORK/$name/tmp" \
		-k tdxctl.binary="$WORK/bin/tdxctl" "$@") > "$WORK/$name/log" 2>&1
	rc=$?
	R=$WORK/$name/x/none
	for t in "$WORK/$name"/tmp/sosreport-*.tar.*; do
		[ -f "$t" ] || continue
		case $t in *.md5|*.sha256|*private_map) continue ;; esac
		tar -xf "$t" -C "$WORK/$name/x" && R=$(ls -d "$WORK/$name"/x/sosreport-*)
	done
}
# json_is NAME FILE COMMAND: FILE is one JSON document of that command
json_is() {
	if python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d.get("command") == sys.argv[2] else 1)' "$2" "$3" > "$WORK/j" 2>&1; then
		ok "$1"
	else
		notok "$1"; { echo "$2:"; cat "$WORK/j"; head -c 2000 "$2"; } 2>&1 | diag
	fi
}
# manifest_rc NAME WANT SUBCOMMAND: sos's manifest records that exit code
manifest_rc() {
	local got
	got=$(python3 -c 'import json, sys
m = json.load(open(sys.argv[1]))
for c in m["components"]["report"]["plugins"]["tdxctl"]["commands"]:
    if c["parameters"] and sys.argv[2] in c["parameters"]:
        print(c["return_code"])' "$R/sos_reports/manifest.json" "$3" 2>&1)
	if [ "$got" = "$2" ]; then ok "$1"; else notok "$1: got '$got', wanted $2"; fi
}
# verified NAME BUNDLE: tdxctl diag --verify accepts it
verified() {
	if "$TDXCTL" diag --verify "$2" > "$WORK/v" 2>&1; then ok "$1"; else
		notok "$1"; diag < "$WORK/v"; fi
}
C=sos_commands/tdxctl

### the plugin is sos's (3 checks) ###
if "$SOSPY" -c 'import sys, sos.report.plugins.tdxctl as p; sys.exit(0 if p.__file__.startswith(sys.argv[1]) else 1)' "$WORK/py" > "$WORK/e" 2>&1; then
	ok "the plugin imports from the copy of sos"
else
	notok "the plugin imports from the copy of sos"; diag < "$WORK/e"
fi
"$SOSPY" /usr/bin/sos report -l > "$WORK/list" 2>&1
has "sos report -l lists it, with its description" "$WORK/list" '^ tdxctl +.*Intel TDX host state'
"$SOSPY" /usr/bin/sos report -l --only-plugins tdxctl > "$WORK/list1" 2>&1
if [ "$(grep -cE '^ tdxctl\.(binary +tdxctl|diag +on|unredacted +off) ' "$WORK/list1")" = 3 ]; then
	ok "... and, chosen, its options: binary tdxctl, diag on, unredacted off"
else
	notok "... and, chosen, its options: binary tdxctl, diag on, unredacted off"; grep tdxctl "$WORK/list1" | diag
fi

### this host (15 checks) ###
sos_run live
if [ "$rc" = 0 ]; then ok "sos report: exit 0"; else notok "sos report: exit $rc"; diag < "$WORK/live/log"; fi
if [ -d "$R" ]; then ok "... an archive, extracted"; else notok "... an archive, extracted"; diag < "$WORK/live/log"; fi
has "... sos's log: the plugin ran tdxctl status" "$R/sos_logs/sos.log" "\[plugin:tdxctl\] collecting output of '[^']*tdxctl status --json --cpus'"
has "... sos's report lists the plugin" "$R/sos_reports/sos.txt" 'tdxctl'
json_is "... status --json --cpus: a status document" "$R/$C/tdxctl_status_--json_--cpus" status
json_is "... check --json -v: a check document" "$R/$C/tdxctl_check_--json_-v" check
json_is "... version --json: a version document" "$R/$C/tdxctl_version_--json" version
"$TDXCTL" status --json --cpus > /dev/null 2>&1
want=$?
manifest_rc "... sos's manifest: status exited $want, as tdxctl does here (output kept)" "$want" status
"$TDXCTL" check --json -v > /dev/null 2>&1
want=$?
manifest_rc "... sos's manifest: check exited $want, as tdxctl does here" "$want" check
if [ -s "$R/$C/tdxctl-diag.tar.gz" ]; then ok "... a diag bundle"; else notok "... a diag bundle"; ls -la "$R/$C" 2>&1 | diag; fi
verified "... diag --verify accepts it" "$R/$C/tdxctl-diag.tar.gz"
has "... diag's report: redaction on" "$R/$C/tdxctl_diag" '^redaction: +on$'
# the TDX sysfs files of this host, and those in the archive: the same
( shopt -s nullglob
  for f in /sys/module/tdxctl/parameters/* /sys/module/kvm_intel/parameters/tdx /sys/devices/faux/tdx_host/*; do
	[ -f "$f" ] && echo "$f"
  done ) > "$WORK/host-sys"
(cd "$R" && find sys -type f 2>/dev/null | sed 's|^|/|' | sort) > "$WORK/archive-sys"
if sort "$WORK/host-sys" | cmp -s - "$WORK/archive-sys"; then
	ok "... the host's TDX sysfs files copied ($(wc -l < "$WORK/host-sys") here)"
else
	notok "... the host's TDX sysfs files copied"; diff <(sort "$WORK/host-sys") "$WORK/archive-sys" | diag
fi
hasnt "... no --sysroot given to tdxctl on the host's root" "$R/sos_logs/sos.log" 'tdxctl --sysroot'
if [ -e "$SYS_PLUGIN" ] && [ "$SYS_HAD" = 0 ]; then
	notok "nothing installed in the system's sos: $SYS_PLUGIN appeared"
else
	ok "nothing installed in the system's sos"
fi

### a TDX host (Linux 7.2, faux device) with the driver's parameters, as
### sos's --sysroot (12 checks) ###
ROOT=$WORK/root
python3 "$FIXTURES/mkroot.py" "$FIXTURES/tdx-host-7.2" "$ROOT" || bail "fixture tdx-host-7.2 does not build"
mkdir -p "$ROOT/sys/module/tdxctl/parameters"
echo N > "$ROOT/sys/module/tdxctl/parameters/sos_test_param"
sos_run root -s "$ROOT"
if [ "$rc" = 0 ]; then ok "sos report -s FIXTURE: exit 0"; else notok "sos report -s FIXTURE: exit $rc"; diag < "$WORK/root/log"; fi
has "... tdxctl ran with --sysroot=FIXTURE" "$R/sos_logs/sos.log" "tdxctl --sysroot=$ROOT status --json --cpus"
json_is "... status: a status document" "$R/$C/tdxctl_status_--json_--cpus" status
has "... of the fixture: ready, initialized at boot" "$R/$C/tdxctl_status_--json_--cpus" '"summary":"ready: the kernel initialized the TDX module at boot'
json_is "... check: a check document" "$R/$C/tdxctl_check_--json_-v" check
manifest_rc "... status exited 0" 0 status
for f in sys/module/kvm_intel/parameters/tdx sys/devices/faux/tdx_host/version \
	 sys/devices/faux/tdx_host/seamldr_version sys/module/tdxctl/parameters/sos_test_param; do
	if cmp -s "$ROOT/$f" "$R/$f"; then ok "... /$f copied"; else notok "... /$f copied"; ls -la "$R/${f%/*}" 2>&1 | diag; fi
done
verified "... diag --verify accepts the bundle" "$R/$C/tdxctl-diag.tar.gz"
tar -tzf "$R/$C/tdxctl-diag.tar.gz" > "$WORK/members" 2>&1
has "... the bundle is the fixture's (faux device version)" "$WORK/members" 'sys/devices/faux/tdx_host/version$'

### sos's cleaner (--clean) leaves the bundle alone (2 checks) ###
sos_run clean --clean
if [ "$rc" = 0 ]; then ok "sos report --clean: exit 0"; else notok "sos report --clean: exit $rc"; diag < "$WORK/clean/log"; fi
verified "... diag --verify still accepts the bundle" "$R/$C/tdxctl-diag.tar.gz"

### the options (8 checks) ###
sos_run unredacted -s "$ROOT" -k tdxctl.unredacted=on
if [ "$rc" = 0 ]; then ok "-k tdxctl.unredacted=on: exit 0"; else notok "-k tdxctl.unredacted=on: exit $rc"; diag < "$WORK/unredacted/log"; fi
has "... diag ran with --no-redact" "$R/sos_logs/sos.log" "collecting output of '[^']*tdxctl --sysroot=[^ ]* diag -o tdxctl-diag.tar.gz --no-redact'"
has "... diag's report: redaction off" "$R/$C/tdxctl_diag" '^redaction: +off'
verified "... diag --verify accepts the bundle" "$R/$C/tdxctl-diag.tar.gz"
sos_run nodiag -k tdxctl.diag=off
if [ "$rc" = 0 ]; then ok "-k tdxctl.diag=off: exit 0"; else notok "-k tdxctl.diag=off: exit $rc"; diag < "$WORK/nodiag/log"; fi
if [ -d "$R/$C" ] && [ ! -e "$R/$C/tdxctl-diag.tar.gz" ] && [ ! -e "$R/$C/tdxctl_diag" ]; then
	ok "... no bundle"
else
	notok "... no bundle"; ls -la "$R/$C" 2>&1 | diag
fi
json_is "... status still collected" "$R/$C/tdxctl_status_--json_--cpus" status
hasnt "... sos's log: diag not run" "$R/sos_logs/sos.log" 'tdxctl diag'

plan_kept
[ "$failed" = 0 ]
