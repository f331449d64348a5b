#!/bin/bash
# build-debug-kernel.sh [--name NAME --source VER] CACHE [FRAGMENT]
# build-debug-kernel.sh --name NAME --tarball FILE --srcver VERSION CACHE [FRAGMENT]
#
# Build (or reuse) a small guest kernel from Debian's linux-source-VER
# configured from tinyconfig + FRAGMENT.  The default is the vm-debug kernel:
# linux-source-6.1 and tests/vm/debug-guest.config (lockdep, KASAN, UBSAN,
# DEBUG_ATOMIC_SLEEP, KUnit, LZ4 bzImage); --name tdx --source 6.12 with
# tests/vm/tdx-guest.config is the kernel with the TDX host core.  With
# --tarball the source is FILE (an upstream tarball whose one top directory
# is the tree, e.g. Debian's linux_6.18.15.orig.tar.xz) labelled VERSION,
# instead of the installed linux-source-VER package.  The tree
# is built in place (bzImage, modules, modules_prepare) so it doubles as
# KDIR for external modules.
#
# Patches: tests/kernel/NAME/*.patch (test-only kernel changes), applied in
# name order with patch -p1 after unpacking, when that directory exists.
#
# Cache: CACHE/NAME/<source version>-<key>/, where key is the first 16 hex
# digits of the SHA-256 of every input (the key text: the source tarball's
# SHA-256, the fragment's, each patch's, this script's, the compiler's
# version), complete once it holds .tdxctl-built.  The key text is kept in
# .tdxctl-key; a tree whose recorded key text differs from its inputs' is
# an error naming it, never used.  A hit costs nothing; an interrupted
# build resumes (make is incremental).  Stale keys are removed after a
# successful build.  Needs ~1.9 GB.
#
# --print-key: print the key text of these inputs and exit (no build).
#
# Prints the kernel tree (KDIR) on stdout; progress goes to stderr and the
# full make output to <key>/build.log.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
name=debug ver=6.1 tarball= srcver= print_key=0
while [ $# -gt 0 ]; do
	case "$1" in
	--print-key) print_key=1; shift ;;
	--name) name=$2; shift 2 ;;
	--source) ver=$2; shift 2 ;;
	--tarball) tarball=$2; shift 2 ;;
	--srcver) srcver=$2; shift 2 ;;
	*) break ;;
	esac
done
usage="usage: build-debug-kernel.sh [--print-key] [--name NAME (--source VER | --tarball FILE --srcver VERSION)] CACHE [FRAGMENT]"
cache=${1:?$usage}
frag=${2:-$here/../tests/vm/$name-guest.config}
frag=$(cd "$(dirname "$frag")" && pwd)/$(basename "$frag")
jobs=$(nproc 2>/dev/null || echo 2)

log() { printf 'build-debug-kernel (%s): %s\n' "$name" "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ -f "$frag" ] || die "no config fragment $frag"
if [ -n "$tarball" ]; then
	[ -n "$srcver" ] || die "--tarball needs --srcver"
	[ -f "$tarball" ] || die "no source tarball $tarball"
	# the tree is the tarball's one top directory
	topdir=$(tar -tJf "$tarball" 2>/dev/null | head -n 1 || true)
	topdir=${topdir%%/*}
	[ -n "$topdir" ] || die "$tarball lists no top directory"
else
	tarball=/usr/src/linux-source-$ver.tar.xz
	topdir=linux-source-$ver
	srcver=$(dpkg-query -W -f='${Version}' "linux-source-$ver" 2>/dev/null) || srcver=
	[ -n "$srcver" ] && [ -f "$tarball" ] ||
		die "linux-source-$ver is not installed (tools/install-deps.sh --debug)"
fi
patchdir=$here/../tests/kernel/$name
patches=()
if [ -d "$patchdir" ]; then
	patchdir=$(cd "$patchdir" && pwd)
	for p in "$patchdir"/*.patch; do
		[ -f "$p" ] && patches+=("$p")
	done
fi
cc=${CC:-gcc}

# key_text: every input of the build, one "name=value" a line
key_text() {
	local p
	printf 'artifact=kernel %s\n' "$name"
	printf 'source=%s\n' "$srcver"
	printf 'source_sha256=%s\n' "$(sha256sum "$tarball" | cut -d' ' -f1)"
	printf 'fragment_sha256=%s\n' "$(sha256sum "$frag" | cut -d' ' -f1)"
	for p in "${patches[@]}"; do
		printf 'patch=%s %s\n' "$(basename "$p")" "$(sha256sum "$p" | cut -d' ' -f1)"
	done
	printf 'builder_sha256=%s\n' "$(sha256sum "$here/build-debug-kernel.sh" | cut -d' ' -f1)"
	printf 'compiler=%s\n' "$("$cc" --version 2>/dev/null | head -n 1)"
}
ktext=$(key_text)
if [ "$print_key" = 1 ]; then
	printf '%s\n' "$ktext"
	exit 0
fi

for t in bc bison flex lz4; do
	command -v "$t" >/dev/null || die "'$t' is missing (tools/install-deps.sh --debug)"
done
[ -f /usr/include/libelf.h ] || die "libelf-dev is missing (tools/install-deps.sh --debug)"
[ -f /usr/include/openssl/ssl.h ] || die "libssl-dev is missing (tools/install-deps.sh --debug)"

key=$srcver-$(printf '%s\n' "$ktext" | sha256sum | cut -c1-16)
top=$cache/$name
dir=$top/$key
tree=$dir/$topdir
mkdir -p "$top"

# One builder per cache; a second caller waits and then gets the hit.
exec 9>"$top/.lock"
flock 9

if [ -f "$dir/.tdxctl-key" ] && [ "$(cat "$dir/.tdxctl-key")" != "$ktext" ]; then
	log "error: cached kernel $dir: its recorded key differs from the key its inputs give now:"
	diff <(cat "$dir/.tdxctl-key") <(printf '%s\n' "$ktext") | sed 's/^/    /' >&2
	die "remove $dir to rebuild it"
fi
if [ -f "$dir/.tdxctl-built" ] && [ -f "$dir/.tdxctl-key" ] && [ -f "$tree/arch/x86/boot/bzImage" ]; then
	log "cached: $tree"
	echo "$tree"
	exit 0
fi

now() { date +%s; }
t0=$(now)
mkdir -p "$dir"
if [ ! -f "$dir/.tdxctl-untarred" ]; then
	log "unpacking $(basename "$tarball") ($srcver)"
	rm -rf "$tree"
	tar -xJf "$tarball" -C "$dir"
	for p in "${patches[@]}"; do
		log "applying $(basename "$p")"
		patch -d "$tree" -p1 --forward --batch <"$p" >>"$dir/patch.log" 2>&1 ||
			{ tail -n 20 "$dir/patch.log" >&2; die "$p does not apply to $srcver (log: $dir/patch.log)"; }
	done
	printf '%s\n' "$ktext" >"$dir/.tdxctl-key"
	touch "$dir/.tdxctl-untarred"
	log "unpacked in $(( $(now) - t0 )) s"
fi

cd "$tree"
t1=$(now)
: >"$dir/build.log"
log "configuring: tinyconfig + $(basename "$frag")"
{
	make tinyconfig
	scripts/kconfig/merge_config.sh -m .config "$frag"
	make olddefconfig
} >>"$dir/build.log" 2>&1 || { tail -n 30 "$dir/build.log" >&2; die "configuration failed (log: $dir/build.log)"; }

# Every option of the fragment must have survived olddefconfig.
dropped=()
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qxF -- "$line" .config || dropped+=("$line (now: $(grep -E "^(# )?${line%%=*}[= ]" .config || echo absent))")
		;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		if grep -qE "^$opt=" .config; then dropped+=("$line (now: $(grep -E "^$opt=" .config))"); fi
		;;
	esac
done <"$frag"
if [ "${#dropped[@]}" -gt 0 ]; then
	log "error: ${#dropped[@]} option(s) of $frag did not survive olddefconfig (a dependency is missing):"
	printf '    %s\n' "${dropped[@]}" >&2
	exit 1
fi
log "config verified: $(grep -cE '^(# )?CONFIG_' "$frag") options of the fragment present ($(( $(now) - t1 )) s)"

t2=$(now)
log "building bzImage + modules with -j$jobs (6-8 min on 2 cores; log: $dir/build.log)"
make -j"$jobs" bzImage modules >>"$dir/build.log" 2>&1 ||
	{ grep -E 'error|Error' "$dir/build.log" | tail -n 20 >&2; die "kernel build failed (log: $dir/build.log)"; }
make -j"$jobs" modules_prepare >>"$dir/build.log" 2>&1 || die "modules_prepare failed (log: $dir/build.log)"
rel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' include/generated/utsrelease.h)
log "built $rel in $(( $(now) - t2 )) s (bzImage $(stat -c %s arch/x86/boot/bzImage) bytes)"

printf 'release=%s\nsource=%s\nfragment_sha256=%s\ncompiler=%s\n' \
	"$rel" "$srcver" "$(sha256sum "$frag" | cut -d' ' -f1)" \
	"$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\(.*\)"/\1/p' .config)" >"$dir/.tdxctl-built"

# Drop trees of other keys (older source or fragment).
for old in "$top"/*/; do
	old=${old%/}
	[ "$old" = "$dir" ] && continue
	[ -f "$old/.tdxctl-untarred" ] || continue
	log "removing stale $old"
	rm -rf "$old"
done

log "done in $(( $(now) - t0 )) s total"
echo "$tree"
