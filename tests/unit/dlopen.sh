#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# dlopen.sh - the optional libraries: libarchive (diag), libsystemd (the
# kernel log from the journal) and libnl-genl-3 (monitor) are not linked
# but loaded by the code that needs them.  The executable lists each in a
# .note.dlopen ELF note; no other command loads them (LD_DEBUG=libs); a
# library that cannot be loaded, or lacks a function, is one clear error
# and exit 4 for the command that needs it (nothing written), and for the
# journal the same as no journal.  The broken libraries are directories
# on LD_LIBRARY_PATH: an empty file, and dlstub.so under the sonames.
#
# usage: dlopen.sh TDXCTL DLSTUB_SO SCHEMA_DIR
set -u

PLAN=39

HERE=$(cd "$(dirname "$0")" && pwd)
# ok, notok, diag, bail, tdx, rc_is, has, hasnt, tap_start
. "$HERE/tap-helpers.sh"
STUB=$(realpath "$2")
tap_start dlopen "$1" "" "$3"
TDXCTL=$(realpath "$TDXCTL")

OPT='lib(archive\.so\.13|nettle\.so\.8|systemd\.so\.0|nl-3\.so\.200|nl-genl-3\.so\.200)'

### the notes (5 checks) ###
if python3 "$HERE/dlnotes.py" "$TDXCTL" > "$WORK/notes" 2> "$WORK/notes.err"; then
	ok "the .note.dlopen notes are well-formed: owner FDO, type 0x407c0c0a, NUL-padded JSON"; else
	notok "the .note.dlopen notes are well-formed"; diag < "$WORK/notes.err"; fi
has "note: archive, recommended, libarchive.so.13 and libnettle.so.8" "$WORK/notes" '^archive recommended libarchive\.so\.13,libnettle\.so\.8$'
has "note: journal, suggested, libsystemd.so.0" "$WORK/notes" '^journal suggested libsystemd\.so\.0$'
has "note: netlink, recommended, libnl-3.so.200 and libnl-genl-3.so.200" "$WORK/notes" \
	'^netlink recommended libnl-3\.so\.200,libnl-genl-3\.so\.200$'
readelf -n "$TDXCTL" | sed -n '/\.note\.dlopen/,/^$/p' > "$WORK/readelf-n"
if [ "$(wc -l < "$WORK/notes")" = 3 ] &&
   [ "$(grep -cE '^ +FDO +0x[0-9a-f]+[[:space:]]+Unknown note type: \(0x407c0c0a\)' "$WORK/readelf-n")" = 3 ]; then
	ok "three libraries, three notes (readelf -n agrees)"; else
	notok "three notes"; diag < "$WORK/readelf-n"; diag < "$WORK/notes"; fi

### not linked (2 checks) ###
readelf -d "$TDXCTL" > "$WORK/dynamic"
hasnt "readelf -d: no NEEDED libarchive, libnettle, libsystemd, libnl-3, libnl-genl-3" "$WORK/dynamic" "NEEDED.*$OPT"
nm -D --defined-only "$TDXCTL" > "$WORK/dynsym" 2>&1
hasnt "no archive_, sd_, nl_, genl, nla_, nlmsg_ function in the dynamic symbol table (the libraries' own calls stay theirs)" \
	"$WORK/dynsym" ' (archive_|sd_journal_|sd_id128_|nl_|genl|nla_|nlmsg_)'

# loads NAME WANT ARGS...: run tdxctl with LD_DEBUG=libs (no wrapper: the
# dynamic linker's own words); WANT is the libraries it must load
# (a regex of sonames, or "none"); one check; $WORK/libs, $rc, $WORK/err
loads() {
	local name=$1 want=$2 got
	shift 2
	rm -f "$WORK"/ld.*
	"${pre[@]}" env LD_DEBUG=libs LD_DEBUG_OUTPUT="$WORK/ld" "$TDXCTL" "$@" > "$WORK/out" 2> "$WORK/err"
	rc=$?
	cat "$WORK"/ld.* > "$WORK/libs" 2> /dev/null
	got=$(grep -oE "calling init: .*/$OPT\$" "$WORK/libs" | sed 's|.*/||' | sort -u | tr '\n' ' ')
	if ! grep -q 'calling init: .*/libc\.so\.6' "$WORK/libs"; then
		notok "$name: LD_DEBUG=libs said nothing"; diag < "$WORK/err"
	elif [ "$want" = none ] && [ -z "$got" ]; then
		ok "$name: loads none of the optional libraries"
	elif [ "$want" != none ] && [ "$(tr ' ' '\n' <<< "$got" | grep -cvE "^($want|)\$")" = 0 ] &&
	     [ "$(tr ' ' '\n' <<< "$got" | grep -cE "^($want)\$")" = "$(tr '|' '\n' <<< "$want" | wc -l)" ]; then
		ok "$name: loads $got(exit $rc)"
	else
		notok "$name: loads '${got:-nothing}', wanted $want (exit $rc)"; diag < "$WORK/err"
	fi
}
pre=()

### only the commands that need them load them (9 checks) ###
python3 "$FIXTURES/mkroot.py" "$FIXTURES/tdx-host" "$WORK/root" || bail "fixture tdx-host does not build"
loads "--version" none --version
loads "status --json" none --sysroot="$WORK/root" status --json
loads "check" none --sysroot="$WORK/root" check
loads "explain" none explain EAGAIN
mkdir -p "$WORK/b"
loads "diag" 'libarchive\.so\.13|libnettle\.so\.8' --sysroot="$WORK/root" diag -o "$WORK/b/bundle.tar.gz"
if [ -s "$WORK/b/bundle.tar.gz" ]; then ok "... the bundle written (exit $rc)"; else
	notok "diag wrote no bundle (exit $rc)"; diag < "$WORK/err"; fi
loads "diag --verify" 'libarchive\.so\.13|libnettle\.so\.8' diag --verify "$WORK/b/bundle.tar.gz"
[ "$rc" = 0 ] && ok "... verified (exit 0)" || { notok "diag --verify: exit $rc"; diag < "$WORK/err"; }
# no driver here: monitor fails after libnl is loaded, not for want of it
loads "monitor" 'libnl-3\.so\.200|libnl-genl-3\.so\.200' monitor --timeout 1

### the journal: loaded only when /dev/kmsg may not be read (3 checks) ###
# as nobody when the suite runs as root, so that kmsg (mode 000) is refused
asuser=()
if [ "$(id -u)" = 0 ]; then
	command -v setpriv > /dev/null || bail "setpriv (util-linux) is needed to run as nobody"
	asuser=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
J=$WORK/journal
cp -a "$WORK/root" "$J"
chmod a+rwx "$WORK" "$WORK/b"
# nobody may not enter the build tree (a clone in a 0700 directory): a copy
if [ "${#asuser[@]}" -gt 0 ]; then
	mkdir -p "$WORK/nobody-bin"
	cp "$TDXCTL" "$WORK/nobody-bin/" || bail "cannot copy tdxctl for nobody"
	chmod 755 "$WORK/nobody-bin" "$WORK/nobody-bin/$(basename "$TDXCTL")"
	TDXCTL=$WORK/nobody-bin/$(basename "$TDXCTL")
fi
chmod -R a+rX "$J" "$WORK/b"
chmod 000 "$J/dev/kmsg"
pre=("${asuser[@]}")
loads "status, /dev/kmsg refused, no journal below the sysroot" none --sysroot="$J" status --json
# a journal file (empty: it holds no kernel message) in a machine's directory
mkdir -p "$J/var/log/journal/0123456789abcdef0123456789abcdef"
: > "$J/var/log/journal/0123456789abcdef0123456789abcdef/system.journal"
chmod -R a+rX "$J/var"
loads "status, /dev/kmsg refused, a journal below the sysroot" 'libsystemd\.so\.0' --sysroot="$J" status --json
cp "$WORK/out" "$WORK/status-journal.json"
src_ok=$rc
pre=()
has "... /dev/kmsg refused, the journal empty: no kernel log" "$WORK/status-journal.json" \
	'"reason":"driver not loaded, and the kernel log is not readable \(Permission denied\)"'

### a library that cannot be loaded, or lacks a function (19 checks) ###
# empty/SONAME: an empty file; stub/SONAME: dlstub.so (one directory each)
for s in libarchive.so.13 libnl-genl-3.so.200 libsystemd.so.0; do
	mkdir -p "$WORK/empty/$s" "$WORK/stub/$s"
	: > "$WORK/empty/$s/$s"
	cp "$STUB" "$WORK/stub/$s/$s"
done
mkdir -p "$WORK/out-empty" "$WORK/out-stub"
chmod -R a+rX "$WORK/empty" "$WORK/stub"

LD_LIBRARY_PATH=$WORK/empty/libarchive.so.13 rc_is "diag, libarchive.so.13 an empty file" 4 \
	--sysroot="$WORK/root" diag -o "$WORK/out-empty/b.tar.gz"
has "... says diag needs libarchive and the loader's words" "$WORK/err" \
	"^tdxctl: diag needs libarchive \(libarchive\.so\.13, libnettle\.so\.8\): .*libarchive\.so\.13: file too short$"
has "... hint: install libarchive13" "$WORK/err" '^hint: install libarchive13 and libnettle8$'
if [ -z "$(ls -A "$WORK/out-empty")" ]; then ok "... nothing written, no temporary file left"; else
	notok "... files left behind"; ls -la "$WORK/out-empty" | diag; fi

LD_LIBRARY_PATH=$WORK/stub/libarchive.so.13 rc_is "diag --json, libarchive.so.13 without its functions" 4 \
	--json --sysroot="$WORK/root" diag -o "$WORK/out-stub/b.tar.gz"
has "... error: not-supported, ELIBBAD, the missing function named" "$WORK/out" \
	'"error":\{"code":4,"name":"not-supported","errno":"ELIBBAD","message":"diag needs libarchive \(libarchive\.so\.13, libnettle\.so\.8\): [^"]*undefined symbol: archive_[a-z_]+","hint":"install libarchive13 and libnettle8"\}'
cp "$WORK/out" "$WORK/diag-nolib.json"
if python3 "$HERE/validate.py" "$SCHEMAS" "$WORK/diag-nolib.json" > "$WORK/v" 2>&1; then
	ok "... valid against its schema"; else notok "... valid against its schema"; diag < "$WORK/v"; fi
if [ -z "$(ls -A "$WORK/out-stub")" ]; then ok "... nothing written, no temporary file left"; else
	notok "... files left behind"; ls -la "$WORK/out-stub" | diag; fi

LD_LIBRARY_PATH=$WORK/empty/libarchive.so.13 rc_is "diag --verify, libarchive.so.13 an empty file" 4 \
	diag --verify "$WORK/b/bundle.tar.gz"
has "... says diag needs libarchive" "$WORK/err" '^tdxctl: diag needs libarchive \(libarchive\.so\.13, libnettle\.so\.8\): '

LD_LIBRARY_PATH=$WORK/stub/libnl-genl-3.so.200 rc_is "monitor, libnl-genl-3.so.200 without its functions" 4 monitor --timeout 1
has "... says monitor needs libnl-genl-3, the missing function named" "$WORK/err" \
	'^tdxctl: monitor needs libnl-genl-3 \(libnl-3\.so\.200, libnl-genl-3\.so\.200\): .*undefined symbol: genl'
has "... hint: install libnl-3-200 and libnl-genl-3-200" "$WORK/err" '^hint: install libnl-3-200 and libnl-genl-3-200$'
LD_LIBRARY_PATH=$WORK/empty/libnl-genl-3.so.200 rc_is "monitor, libnl-genl-3.so.200 an empty file" 4 monitor --timeout 1
has "... says monitor needs libnl-genl-3" "$WORK/err" '^tdxctl: monitor needs libnl-genl-3 .*file too short$'

# the journal: a broken libsystemd is no journal, never an error of its own
jn() { # LIBDIR ARGS...: as nobody, with LIBDIR on LD_LIBRARY_PATH
	local d=$1
	shift
	LD_LIBRARY_PATH=$d "${asuser[@]}" ${TDXCTL_WRAP:-} "$TDXCTL" "$@" > "$WORK/out" 2> "$WORK/err"
	rc=$?
	sanitized "$* (LD_LIBRARY_PATH=$d)"
}
jn "$WORK/empty/libsystemd.so.0" --sysroot="$J" status --json
if [ "$rc" = "$src_ok" ]; then ok "status, libsystemd.so.0 an empty file: exit $rc, as with an empty journal"; else
	notok "status, libsystemd.so.0 an empty file: exit $rc, wanted $src_ok"; diag < "$WORK/err"; fi
hasnt "... no error about libsystemd" "$WORK/out" 'libsystemd|needs'
jn "$WORK/stub/libsystemd.so.0" --sysroot="$J" diag -o "$WORK/b/nojournal.tar.gz"
if [ "$rc" = 3 ]; then ok "diag, libsystemd.so.0 without its functions: exit 3 (no kernel log)"; else
	notok "diag, libsystemd.so.0 without its functions: exit $rc, wanted 3"; diag < "$WORK/err"; fi
tar xzOf "$WORK/b/nojournal.tar.gz" --wildcards '*/manifest.json' > "$WORK/m.json" 2>&1
if python3 -c '
import json, sys
k = json.load(open(sys.argv[1]))["kernel_log"]
sys.exit(0 if k["source"] is None and k["journal"].startswith("cannot open the journal: libsystemd (libsystemd.so.0): ")
         and "undefined symbol: sd_" in k["journal"] else 1)' "$WORK/m.json"
then ok "... the manifest says why: cannot open the journal, libsystemd lacks a function"; else
	notok "... the manifest's kernel_log"; diag < "$WORK/m.json"; fi

no_tool_errors
plan_kept
[ "$failed" = 0 ]
