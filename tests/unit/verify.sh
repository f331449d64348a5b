#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# verify.sh - tdxctl diag --verify on hand-made bundles: a real bundle of
# the tdx-host fixture, then copies with one hostile member each (a
# symbolic link, a hard link, a device, a FIFO, an absolute name, a '..',
# a second top directory, a member outside the top directory, a name given
# twice, a manifest entry given twice), and copies whose members and
# manifest disagree (a size-only edit of the manifest, a file edited to
# the same size, a file added, a listed file left out).  Each must fail verification,
# naming the member and why; the intact bundle must verify.
#
# usage: verify.sh TDXCTL
set -u

TDXCTL=$1

CASES="symlink hardlink chr blk fifo absolute dotdot dotdot-mid second-top outside duplicate duplicate-dir dup-listed size-only edited unlisted dropped"
NCASES=$(echo $CASES | wc -w)
. "$(dirname "$0")/tap.sh"
tap_begin verify $((3 + 3 * NCASES))

tdx() {
	timeout 60 ${TDXCTL_WRAP:-} "$TDXCTL" "$@" > "$W/out" 2> "$W/err"
	rc=$?
}

mkfixture tdx-host "$W/root"
tdx --sysroot="$W/root" diag -o "$W/good.tar.gz"
if [ "$rc" = 0 ] || [ "$rc" = 3 ]; then ok "diag writes a bundle (exit $rc)"; else notok "diag: exit $rc"; diag < "$W/err"; fi
tdx --json diag --verify "$W/good.tar.gz"
if [ "$rc" = 0 ]; then ok "the intact bundle verifies"; else notok "the intact bundle: exit $rc"; diag < "$W/out"; fi
grep -q '"verified": *true' "$W/out" && ok "the intact bundle: verified true" || notok "the intact bundle: verified true"

# hostile CASE OUT: the good bundle with one hostile member added
hostile() {
	python3 - "$W/good.tar.gz" "$2" "$1" <<'PY'
import io, sys, tarfile
src, dst, case = sys.argv[1:4]
with tarfile.open(src, "r:gz") as t:
    members = [(m, t.extractfile(m).read() if m.isfile() else None) for m in t.getmembers()]
top = members[0][0].name.split("/")[0]
out = tarfile.open(dst, "w:gz", format=tarfile.PAX_FORMAT)
for m, data in members:
    out.addfile(m, io.BytesIO(data) if data is not None else None)
def add(name, kind=tarfile.REGTYPE, data=b"", link=""):
    ti = tarfile.TarInfo(name)
    ti.type = kind
    ti.linkname = link
    ti.size = len(data) if kind == tarfile.REGTYPE else 0
    ti.mode = 0o644
    out.addfile(ti, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
first_file = next(m.name for m, d in members if m.isfile())
if case == "symlink": add(top + "/proc/evil", tarfile.SYMTYPE, link="/etc/shadow")
elif case == "hardlink": add(top + "/proc/evil", tarfile.LNKTYPE, link="/etc/shadow")
elif case == "chr": add(top + "/dev/evil", tarfile.CHRTYPE)
elif case == "blk": add(top + "/dev/evil", tarfile.BLKTYPE)
elif case == "fifo": add(top + "/proc/evil", tarfile.FIFOTYPE)
elif case == "absolute": add("/proc/cmdline", data=b"evil\n")
elif case == "dotdot": add(top + "/../evil", data=b"evil\n")
elif case == "dotdot-mid": add(top + "/proc/../../evil", data=b"evil\n")
elif case == "second-top": add("other/evil", data=b"evil\n")
elif case == "outside": add("evil", data=b"evil\n")
elif case == "duplicate": add(first_file, data=b"evil\n")
elif case == "duplicate-dir": add(top, tarfile.DIRTYPE)
elif case == "unlisted": add(top + "/proc/extra", data=b"extra\n")
out.close()
if case in ("dup-listed", "size-only", "edited", "dropped"):
    import json
    with tarfile.open(dst, "r:gz") as t:
        ms = [(m, t.extractfile(m).read() if m.isfile() else None) for m in t.getmembers()]
    out = tarfile.open(dst, "w:gz", format=tarfile.PAX_FORMAT)
    for m, data in ms:
        if m.name.endswith("/manifest.json"):
            man = json.loads(data)
            if case == "dup-listed":
                man["files"].append(dict(man["files"][0]))
            elif case == "size-only":
                e = next(f for f in man["files"] if f["path"] == "proc/cmdline")
                e["size"] += 1
            data = json.dumps(man).encode()
            m.size = len(data)
        elif m.name.endswith("/proc/cmdline"):
            if case == "dropped":
                continue
            if case == "edited":
                data = bytes(b ^ 1 if i == 0 else b for i, b in enumerate(data))
        out.addfile(m, io.BytesIO(data) if data is not None else None)
    out.close()
PY
}

declare -A WHY=(
	[symlink]="evil: a symbolic link \\(to /etc/shadow\\)"
	[hardlink]="evil: a hard link \\(to /etc/shadow\\)"
	[chr]="evil: a device node"
	[blk]="evil: a device node"
	[fifo]="evil: a FIFO"
	[absolute]="/proc/cmdline: an absolute name"
	[dotdot]="\\.\\./evil: a '\\.\\.' in its name"
	[dotdot-mid]="\\.\\./\\.\\./evil: a '\\.\\.' in its name"
	[second-top]="other/evil: outside the bundle's one top directory"
	[outside]="\"evil: outside the bundle's one top directory"
	[duplicate]="a second member of the same name"
	[duplicate-dir]="tdxctl-diag-[0-9TZ]*/?: a second member of the same name"
	[dup-listed]="listed twice in the manifest"
	[size-only]="proc/cmdline: size differs from the manifest"
	[edited]="proc/cmdline: SHA-256 differs from the manifest"
	[unlisted]="proc/extra: in the archive, not in the manifest"
	[dropped]="proc/cmdline: listed in the manifest, not in the archive"
)

for c in $CASES; do
	if ! hostile "$c" "$W/$c.tar.gz" 2> "$W/py.err"; then
		notok "$c: the hostile bundle could not be made"; diag < "$W/py.err"
		notok "$c: (not run)"; notok "$c: (not run)"; continue
	fi
	tdx --json diag --verify "$W/$c.tar.gz"
	if [ "$rc" = 1 ]; then ok "$c: --verify fails (exit 1)"; else notok "$c: --verify exit $rc, wanted 1"; diag < "$W/out"; fi
	grep -q '"verified": *false' "$W/out" && ok "$c: verified false" || notok "$c: verified false"
	if grep -qE -- "${WHY[$c]}" "$W/out"; then ok "$c: names the member and why"; else
		notok "$c: no /${WHY[$c]}/ in the problems"; diag < "$W/out"; fi
done
tap_end
