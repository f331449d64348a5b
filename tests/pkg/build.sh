#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# build.sh SRC: build the Debian packages (dpkg-buildpackage -b -us -uc)
# from a clean copy of the tree at SRC (the files git knows of, as they
# are in the work tree, untracked ones not ignored included: no build
# directories, nothing a dpkg-buildpackage in SRC left), then check them: lintian without E: or W:, the contents
# of tdxctl and tdxctl-dkms, Recommends/Suggests against the binary's
# .note.dlopen, the maintainer scripts enable and start nothing,
# systemd-analyze verify on each unit (a temporary root holding the
# package and the system's units), the metrics/NFD services' command lines
# against the packaged binary (on a fixture sysroot), the udev rule and
# the modprobe.d file.  TAP; a missing tool is a failure (Bail out!
# naming the package), not a skip.  The packages are never installed.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
SRC=$(cd "${1:?usage: build.sh SRC}" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tdxctl-pkg.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
bail() { echo "Bail out! $*"; exit 1; }
echo "TAP version 13"

for t in dpkg-buildpackage:dpkg-dev dh:debhelper dh_dkms:dh-dkms lintian:lintian \
	 fakeroot:fakeroot systemd-analyze:systemd readelf:binutils meson:meson; do
	command -v "${t%%:*}" > /dev/null || bail "${t%%:*} missing: apt-get install ${t#*:}"
done

version=$(pkg_version "$SRC")
[ -n "$version" ] || bail "no project version in $SRC/meson.build"

# the clean copy
pkg_clean_copy "$SRC" "$WORK/src"
[ -f "$WORK/src/debian/control" ] || bail "no debian/ in the copy of $SRC"

t0=$(date +%s)
if pkg_build "$WORK/src" "$WORK/build.log"; then
	ok "dpkg-buildpackage -b -us -uc ($(( $(date +%s) - t0 )) s)"
else
	notok "dpkg-buildpackage -b -us -uc"; tail -n 40 "$WORK/build.log" | diag
	echo "1..$n"; exit 1
fi
deb=$WORK/tdxctl_${version}_amd64.deb
dkms=$WORK/tdxctl-dkms_${version}_all.deb
changes=$WORK/tdxctl_${version}_amd64.changes
check "packages of version $version (meson.build): $(cd "$WORK" && echo *.deb)" test -f "$deb" -a -f "$dkms" -a -f "$changes"
[ -f "$deb" ] && [ -f "$dkms" ] || { echo "1..$n"; exit 1; }
check "debian/changelog's version is meson.build's ($version)" \
	test "$(cd "$WORK/src" && dpkg-parsechangelog -S Version)" = "$version"

# lintian: no error, no warning (overrides are in debian/*.lintian-overrides)
lintian --pedantic "$changes" > "$WORK/lintian" 2>&1
if grep -qE '^[EW]:' "$WORK/lintian"; then
	notok "lintian: errors or warnings"; grep -E '^[EW]:' "$WORK/lintian" | diag
else
	ok "lintian: no error or warning ($(grep -cE '^[IPX]:' "$WORK/lintian") info/pedantic/experimental tags)"
fi

# contents
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's#^\./#/#' > "$WORK/deb.list"
dpkg-deb -c "$dkms" | awk '{ print $6 }' | sed 's#^\./#/#' > "$WORK/dkms.list"
want=(/usr/sbin/tdxctl /usr/share/man/man8/tdxctl.8.gz /usr/share/man/man4/tdxctl.ko.4.gz
      /usr/share/bash-completion/completions/tdxctl
      /lib/udev/rules.d/60-tdxctl.rules /usr/lib/modprobe.d/tdxctl.conf)
for u in "$SRC"/dist/systemd/*; do want+=("/lib/systemd/system/${u##*/}"); done
for s in "$SRC"/cli/schema/*.json; do want+=("/usr/share/tdxctl/schema/${s##*/}"); done
[ -f "$SRC/dist/sos/tdxctl.py" ] && want+=(/usr/lib/python3/dist-packages/sos/report/plugins/tdxctl.py)
missing=$(printf '%s\n' "${want[@]}" | grep -vxF -f "$WORK/deb.list")
if [ -z "$missing" ]; then ok "tdxctl has its ${#want[@]} files (binary, man pages, completion, units, udev, modprobe.d, schemas, sos plugin)"
else notok "tdxctl lacks files"; echo "$missing" | diag; fi

dwant=(/usr/src/tdxctl-$version/dkms.conf /usr/src/tdxctl-$version/kmod/Kbuild
       /usr/src/tdxctl-$version/kmod/Makefile
       /usr/src/tdxctl-$version/include/uapi/linux/tdx_host.h
       /usr/src/tdxctl-$version/include/uapi/linux/tdx_host_genl.h)
for s in "$SRC"/kmod/*.[ch]; do dwant+=("/usr/src/tdxctl-$version/kmod/${s##*/}"); done
missing=$(printf '%s\n' "${dwant[@]}" | grep -vxF -f "$WORK/dkms.list")
if [ -z "$missing" ]; then ok "tdxctl-dkms has dkms.conf and the driver's ${#dwant[@]} files under /usr/src/tdxctl-$version"
else notok "tdxctl-dkms lacks files"; echo "$missing" | diag; fi
check "tdxctl-dkms: no emulated platform (kmod/emu)" \
	bash -c "! grep -q '/emu/' '$WORK/dkms.list'"
junk=$(cat "$WORK/deb.list" "$WORK/dkms.list" |
	grep -E '(^|/)(build[^/]*|meson-[^/]*|\.git[^/]*|debian)(/|$)|\.(o|ko|a|so|orig|rej|cmd|mod|mod\.c|swp)$|~$|/\.[^/]+$')
if [ -z "$junk" ]; then ok "no build-dir junk in the packages"; else notok "junk in the packages"; echo "$junk" | diag; fi

mkdir "$WORK/x" "$WORK/xd"
dpkg-deb -x "$deb" "$WORK/x"; dpkg-deb -e "$deb" "$WORK/x/DEBIAN"
dpkg-deb -x "$dkms" "$WORK/xd"; dpkg-deb -e "$dkms" "$WORK/xd/DEBIAN"
conf=$WORK/xd/usr/src/tdxctl-$version/dkms.conf
check "dkms.conf: PACKAGE_NAME tdxctl, PACKAGE_VERSION $version, tdxctl.ko only (TDXCTL_EMU=)" \
	bash -c "grep -qx 'PACKAGE_NAME=\"tdxctl\"' '$conf' && grep -qx 'PACKAGE_VERSION=\"$version\"' '$conf' &&
		 grep -q '^MAKE\[0\]=.*TDXCTL_EMU= ' '$conf' && ! grep -q 'BUILT_MODULE_NAME\[1\]' '$conf'"
check "tdxctl-dkms depends on dkms and registers the module in postinst" \
	bash -c "dpkg-deb -f '$dkms' Depends | grep -q '^dkms' && grep -q dkms '$WORK/xd/DEBIAN/postinst'"

# what DKMS will do on the target: dkms.conf's MAKE[0] in a copy of the
# packaged sources, on this machine's kernel headers (built, never loaded)
kdir=$("$SRC/tools/find-kdir.sh" 2>/dev/null)
if [ -n "$kdir" ] && [ -f "$kdir/Makefile" ]; then
	cp -a "$WORK/xd/usr/src/tdxctl-$version" "$WORK/dkms-build"
	mk=$(sed -n 's/^MAKE\[0\]="\(.*\)"$/\1/p' "$conf")
	if (cd "$WORK/dkms-build" && kernel_source_dir=$kdir && eval "$mk -j2") > "$WORK/dkms.log" 2>&1 &&
	   [ -f "$WORK/dkms-build/kmod/tdxctl.ko" ] && [ ! -e "$WORK/dkms-build/kmod/tdxctl_emu.ko" ]; then
		ok "dkms.conf's MAKE builds tdxctl.ko (only) from the packaged sources on $kdir"
	else notok "dkms.conf's MAKE on $kdir"; tail -n 20 "$WORK/dkms.log" | diag; fi
else
	ok "dkms.conf's MAKE # SKIP no kernel headers here (linux-headers-amd64)"
fi

# Recommends/Suggests against the binary's .note.dlopen
if python3 - "$WORK/x/usr/sbin/tdxctl" "$(dpkg-deb -f "$deb" Recommends)" "$(dpkg-deb -f "$deb" Suggests)" > "$WORK/dl" 2>&1 <<'PY'
import json, subprocess, sys
binary, rec, sug = sys.argv[1:4]
field = lambda s: {p.strip().split()[0] for p in s.split(',') if p.strip()}
rec, sug = field(rec), field(sug)
out = subprocess.run(['readelf', '-p', '.note.dlopen', binary], check=True,
                     capture_output=True, text=True).stdout
notes = [n for l in out.splitlines() if '[{' in l for n in json.loads(l[l.index('[{'):])]
if not notes:
    sys.exit('no .note.dlopen in ' + binary)
bad = 0
for n in notes:
    want = {'required': rec, 'recommended': rec, 'suggested': sug}[n.get('priority', 'recommended')]
    for so in n['soname']:
        pk = subprocess.run(['dpkg', '-S', '*/' + so], capture_output=True, text=True).stdout
        pkgs = {l.split(':')[0] for l in pk.splitlines() if l}
        ok = pkgs & want
        print(f"{n['feature']} ({n.get('priority')}): {so} -> {sorted(pkgs)}: {'ok' if ok else 'MISSING'}")
        bad += not ok
        (rec if want is rec else sug).difference_update(pkgs)
left = {p for p in rec | sug if p.startswith('lib')}
if left:
    print('not in the note:', sorted(left)); bad += 1
sys.exit(bad)
PY
then ok "Recommends/Suggests match .note.dlopen ($(grep -c ': ok' "$WORK/dl") sonames)"
else notok "Recommends/Suggests do not match .note.dlopen"; diag < "$WORK/dl"; fi

# maintainer scripts: no unit enabled or started at installation (with
# --no-enable, debhelper enables a unit again only on upgrades where it was
# installed and enabled before: "debian-installed" guards each enable)
pi=$WORK/x/DEBIAN/postinst
unguarded=$(sed -n "s/.*deb-systemd-helper enable '\([^']*\)'.*/\1/p" "$pi" 2>/dev/null | sort -u |
	while read -r u; do grep -qF "deb-systemd-helper debian-installed '$u'" "$pi" || echo "$u"; done)
if [ -n "$unguarded" ] || grep -qE 'deb-systemd-invoke (start|restart)|systemctl .*(start|enable)' "$pi" 2>/dev/null; then
	notok "tdxctl's postinst enables or starts a unit on installation"
	{ echo "enabled: $unguarded"; grep -nE 'enable|start' "$pi"; } | diag
else ok "tdxctl's postinst enables and starts no unit on installation (opt-in: README.Debian)"; fi

# systemd-analyze verify, each unit, in a root with the package and the
# system's units (the units' ExecStart= must exist there)
root=$WORK/root
mkdir -p "$root/lib/systemd/system"
cp -a /lib/systemd/system/. "$root/lib/systemd/system/" 2>/dev/null
cp -a "$WORK/x/." "$root/"
for u in "$WORK"/x/lib/systemd/system/*; do
	u=${u##*/}
	if systemd-analyze verify --man=no --root="$root" "$u" > "$WORK/verify" 2>&1 && [ ! -s "$WORK/verify" ]; then
		ok "systemd-analyze verify $u"
	else notok "systemd-analyze verify $u"; diag < "$WORK/verify"; fi
done
check "tdxctl-enable: oneshot, RemainAfterExit, SuccessExitStatus=4 (not supported), before libvirtd/virtqemud" \
	bash -c "u='$WORK/x/lib/systemd/system/tdxctl-enable.service';
		 grep -qx Type=oneshot \$u && grep -qx RemainAfterExit=yes \$u && grep -qx SuccessExitStatus=4 \$u &&
		 grep -qx 'ExecStart=/usr/sbin/tdxctl enable' \$u && grep -qE '^Before=.*libvirtd.service' \$u &&
		 grep -qE '^Before=.*virtqemud.service' \$u"

# the timers' services: their command lines, as the packaged binary takes
# them, on a fixture (output into $WORK); 0 or 4 (not a TDX host) and the file
for svc in tdxctl-metrics tdxctl-nfd; do
	line=$(sed -n 's/^ExecStart=//p' "$WORK/x/lib/systemd/system/$svc.service")
	read -r -a argv <<< "$line"
	out=${argv[-1]}
	argv[-1]=$WORK/$svc.out
	"$WORK/x${argv[0]}" --sysroot "$SRC/tests/fixtures/tdx-host" "${argv[@]:1}" > "$WORK/run.out" 2> "$WORK/run.err"
	rc=$?
	if { [ "$rc" = 0 ] || [ "$rc" = 4 ]; } && [ -s "$WORK/$svc.out" ]; then
		ok "$svc.service's command line works (exit $rc, $(wc -l < "$WORK/$svc.out") lines for $out)"
	else notok "$svc.service's command line: exit $rc, output ${out}"; diag < "$WORK/run.err"; fi
done

# the udev rule: udevadm verify where udev has it (254+); else a parse
# check of its key/operator/value syntax (the fallback, named as such)
rule=$WORK/x/lib/udev/rules.d/60-tdxctl.rules
if command -v udevadm > /dev/null && udevadm verify --help > /dev/null 2>&1; then
	if udevadm verify "$rule" > "$WORK/uv" 2>&1; then ok "udevadm verify 60-tdxctl.rules"
	else notok "udevadm verify 60-tdxctl.rules"; diag < "$WORK/uv"; fi
else
	if python3 - "$rule" > "$WORK/uv" 2>&1 <<'PY'
import re, sys
tok = re.compile(r'\s*([A-Z_]+(?:\{[^}]*\})?)\s*(==|!=|\+=|-=|:=|=)\s*"((?:[^"\\]|\\.)*)"\s*(,|$)')
keys = {'ACTION', 'SUBSYSTEM', 'KERNEL', 'DEVPATH', 'DRIVER', 'ATTR', 'ENV', 'TAG',
        'OWNER', 'GROUP', 'MODE', 'SYMLINK', 'RUN', 'NAME', 'OPTIONS', 'TEST', 'PROGRAM'}
bad = rules = 0
for no, line in enumerate(open(sys.argv[1]), 1):
    line = line.strip()
    if not line or line.startswith('#'):
        continue
    rules += 1; pos = 0
    while pos < len(line):
        m = tok.match(line, pos)
        if not m or m.group(1).split('{')[0] not in keys:
            print(f'line {no}: cannot parse at: {line[pos:]}'); bad += 1; break
        pos = m.end()
sys.exit(bad or not rules)
PY
	then ok "60-tdxctl.rules parses (fallback: a key/operator/value parse check; udevadm verify is not in udev $(udevadm --version 2>/dev/null || echo '(absent)'))"
	else notok "60-tdxctl.rules does not parse"; diag < "$WORK/uv"; fi
fi
drvmode=$(sed -n 's/^[[:space:]]*\.mode[[:space:]]*=[[:space:]]*\(0[0-7]*\),.*/\1/p' "$SRC/kmod/main.c")
check "60-tdxctl.rules: /dev/tdx_host MODE=\"$drvmode\" as the driver creates it" \
	grep -qE "KERNEL==\"tdx_host\".*MODE=\"$drvmode\"" "$rule"

# modprobe.d: commands kmod knows, on the modules of the package
if awk '/^[[:space:]]*(#|$)/ { next }
	$1 !~ /^(alias|options|install|remove|softdep|blacklist)$/ { print "line " NR ": " $0; bad = 1 }
	$1 == "softdep" && $2 != "tdxctl" { print "line " NR ": softdep on " $2; bad = 1 }
	END { exit bad }' "$WORK/x/usr/lib/modprobe.d/tdxctl.conf" > "$WORK/mp"
then ok "modprobe.d/tdxctl.conf: only kmod's commands"
else notok "modprobe.d/tdxctl.conf"; diag < "$WORK/mp"; fi

echo "1..$n"
[ "$failed" = 0 ]
