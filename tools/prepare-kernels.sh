#!/bin/bash
# prepare-kernels.sh [--cache DIR] [--refresh] [LINE...]
# prepare-kernels.sh [--cache DIR] --check [LINE...]
#
# Prepare the kernel lines the guest suites build against and boot.
# LINE is one of 6.1, 6.12, 7.x, debug, tdx, tdx-6.18 (default: all of them).
# CACHE defaults to /var/cache/tdxctl (override: --cache or TDXCTL_CACHE).
#
# For each line this writes CACHE/lines/<LINE>.env, a shell-sourceable file:
#   LINE        the line name
#   RELEASE     utsrelease of the kernel (what the driver's vermagic says)
#   KDIR        kernel build tree; for 7.x a path inside CHROOT
#   CHROOT      empty, or (7.x) the root of the chroot to build in:
#               chroot $CHROOT make -C $KDIR M=...  (tools/kbuild.sh does that)
#   IMAGE       what QEMU boots: an uncompressed vmlinux (PVH) or a bzImage
#   BOOT        pvh | bzimage
#   TCG_THREAD  multi | single: 6.12 and 7.x oops now and then under
#               multi-threaded TCG (QEMU 7.2), single-threaded boots cleanly
#   CC_NOTE     the compiler the kernel was built with, and where ours runs
#   KEY         the first 16 hex digits of the SHA-256 of the key text
#   KEYFILES    the key files of the artifacts the line uses (its kernel,
#               and for 7.x the chroot), each holding its key text
#
# The lines:
#   6.1    bookworm's linux-headers-amd64 (installed; tools/find-kdir.sh);
#          the image is fetched with apt-get download, never installed.
#   6.12   the newest linux-headers-6.12.*+deb12-amd64 of bookworm's archive,
#          unpacked (with its -common and linux-kbuild packages) into the cache,
#          not installed: the host's /lib/modules and /boot stay untouched.
#   7.x    the newest linux-headers-7.*+deb13-amd64 of trixie-backports,
#          installed inside a debootstrap'ed trixie chroot (gcc-14) kept in
#          CACHE/chroot-trixie.  The base system's apt sources are not touched.
#   debug  linux-source-6.1 with lockdep/KASAN/UBSAN/KUnit, built by
#          tools/build-debug-kernel.sh (6-8 min cold on 2 cores).
#   tdx    linux-source-6.12 with the TDX host core (CONFIG_INTEL_TDX_HOST,
#          KVM_INTEL), lockdep and KUnit, built the same way from
#          tests/vm/tdx-guest.config: the driver's kernel backend builds
#          against it.
#   tdx-6.18 Linux 6.18 (Debian's upstream tarball of trixie-backports,
#          fetched through the trixie chroot's verified Sources index) with
#          the same options: the kernel backend reads tdx_get_sysinfo().
#
# Every cached artifact is keyed by all of its inputs: its key text (one
# "name=value" a line: package versions or source SHA-256, config fragment,
# patches, the recipe that makes it, the compiler) is kept in the artifact's
# .tdxctl-key and compared on every run; an artifact whose key text differs
# from what its inputs give now is rebuilt.  A warm cache only re-checks and
# rewrites the env files.  --check makes nothing: it prints TAP, one
# subtest per line, "not ok" naming each artifact whose recorded key text
# differs from its inputs' now (or that the env file does not point at).  The apt lists are not refreshed here (the base system's
# are refreshed by tools/install-deps.sh); --refresh runs apt-get update in
# the trixie chroot to pick up a newer 7.x.
# Needs root for the 7.x and tdx-6.18 lines (debootstrap, chroot).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${TDXCTL_CACHE:-/var/cache/tdxctl}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
refresh=0
check=0
lines=()
while [ $# -gt 0 ]; do
	case "$1" in
	--cache) cache=${2:?--cache needs a directory}; shift ;;
	--cache=*) cache=${1#--cache=} ;;
	--refresh) refresh=1 ;;
	--check) check=1 ;;
	-h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
	6.1|6.12|7.x|debug|tdx|tdx-6.18) lines+=("$1") ;;
	*) echo "prepare-kernels: unknown argument '$1' (lines: 6.1 6.12 7.x debug tdx tdx-6.18)" >&2; exit 2 ;;
	esac
	shift
done
[ "${#lines[@]}" -gt 0 ] || lines=(6.1 6.12 7.x debug tdx tdx-6.18)
mkdir -p "$cache/lines"
cache=$(cd "$cache" && pwd)

log() { printf 'prepare-kernels: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
now() { date +%s.%N | cut -c1-14; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

# q VALUE: single-quote VALUE for sh.
q() { local s=${1//\'/\'\\\'\'}; printf "'%s'" "$s"; }

# recipe FUNCTION...: the SHA-256 of the shell functions that make an artifact
recipe() { declare -f "$@" | sha256sum | cut -d' ' -f1; }
file_sha() { sha256sum "$1" | cut -d' ' -f1; }
# fresh DIR TEXT: DIR holds an artifact made from exactly the key TEXT
fresh() { [ -f "$1/.tdxctl-key" ] && [ "$(cat "$1/.tdxctl-key")" = "$2" ]; }
keyfiles=()	# of the line being prepared, for its env

# write_env LINE RELEASE KDIR CHROOT IMAGE BOOT TCG_THREAD CC_NOTE [COMMENT]
write_env() {
	local f=$cache/lines/$1.env k kt=
	for k in "${keyfiles[@]}"; do
		kt+=$(cat "$k")$'\n'
	done
	{
		echo "# tdxctl kernel line $1, written by tools/prepare-kernels.sh${9:+ ($9)}"
		echo "LINE=$(q "$1")"
		echo "RELEASE=$(q "$2")"
		echo "KDIR=$(q "$3")"
		echo "CHROOT=$(q "$4")"
		echo "IMAGE=$(q "$5")"
		echo "BOOT=$(q "$6")"
		echo "TCG_THREAD=$(q "$7")"
		echo "CC_NOTE=$(q "$8")"
		echo "KEY=$(q "$(printf '%s' "$kt" | sha256sum | cut -c1-16)")"
		echo "KEYFILES=$(q "${keyfiles[*]}")"
	} >"$f.tmp"
	mv -f "$f.tmp" "$f"
	log "$1: $2 -> $f"
}

uts() { sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$1/include/generated/utsrelease.h" 2>/dev/null; }
cc_text() { sed -n 's/^CONFIG_CC_VERSION_TEXT="\(.*\)"/\1/p' "$1/.config" 2>/dev/null; }

# apt-get download without the "_apt couldn't access" warning when root.
apt_download() {
	local o=()
	[ "$(id -u)" -ne 0 ] || o=(-o APT::Sandbox::User=root)
	apt-get download -q "${o[@]}" "$@"
}

# vmlinuz_from_deb DEB PATH-IN-DEB OUT: pull one file out of a .deb.
# tar stops at the first match, so the rest of the archive is not unpacked.
vmlinuz_from_deb() {
	local deb=$1 member=$2 out=$3 tmp
	tmp=$(mktemp -d "$cache/.x.XXXXXX")
	dpkg-deb --fsys-tarfile "$deb" 2>/dev/null | tar -x -C "$tmp" --occurrence=1 "./$member" || true
	[ -f "$tmp/$member" ] || { rm -rf "$tmp"; die "$deb has no $member"; }
	mv -f "$tmp/$member" "$out"
	rm -rf "$tmp"
}

# boot_image VMLINUZ DIR: extract the ELF vmlinux next to it (once).
boot_image() {
	local z=$1 d=$2 t
	if [ ! -s "$d/vmlinux" ]; then
		t=$(now)
		"$here/extract-vmlinux.sh" "$z" "$d/vmlinux"
		log "  extracted vmlinux ($(stat -c %s "$d/vmlinux") bytes) in $(since "$t")"
	fi
}

# ---------------------------------------------------------------- 6.1 -----
# key_6_1 RELEASE VERSION
key_6_1() {
	printf 'artifact=kernel image 6.1\npackage=linux-image-%s %s\nrecipe_sha256=%s\nextractor_sha256=%s\n' \
		"$1" "$2" "$(recipe line_6_1 vmlinuz_from_deb boot_image apt_download)" "$(file_sha "$here/extract-vmlinux.sh")"
}
line_6_1() {
	local kdir rel hver dir t
	kdir=$("$here/find-kdir.sh")
	rel=$(uts "${kdir:-/nonexistent}")
	case "$rel" in
	6.1.*) ;;
	*)	# find-kdir picks the newest tree; fall back to what the meta package names
		rel=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
			sed -n 's/.*linux-headers-\(6\.1\.[^ ,]*-amd64\).*/\1/p')
		kdir=/lib/modules/$rel/build
		[ -n "$rel" ] && [ "$(uts "$kdir")" = "$rel" ] ||
			die "6.1: no usable linux-headers-6.1.*-amd64 (install linux-headers-amd64: tools/install-deps.sh)"
		;;
	esac
	hver=$(dpkg-query -W -f='${Version}' "linux-headers-$rel")
	dir=$cache/6.1/$rel
	ktext=$(key_6_1 "$rel" "$hver")
	[ "$check" = 0 ] || { check_key 6.1 "$dir" "$ktext" || true; return 0; }
	if [ ! -s "$dir/vmlinux" ] || ! fresh "$dir" "$ktext"; then
		t=$(now)
		rm -rf "$dir"; mkdir -p "$dir/dl"
		# the image of the same build as the headers; the archive may have moved on
		(cd "$dir/dl" && { apt_download "linux-image-$rel=$hver" ||
			{ log "  linux-image-$rel=$hver is gone from the archive; taking the candidate"; apt_download "linux-image-$rel"; }; }) >&2
		log "  downloaded linux-image-$rel in $(since "$t")"
		vmlinuz_from_deb "$dir"/dl/*.deb "boot/vmlinuz-$rel" "$dir/vmlinuz"
		rm -rf "$dir/dl"
		boot_image "$dir/vmlinuz" "$dir"
		printf '%s\n' "$ktext" >"$dir/.tdxctl-key"
		prune "$cache/6.1" "$dir"
	fi
	keyfiles=("$dir/.tdxctl-key")
	write_env 6.1 "$rel" "$kdir" "" "$dir/vmlinux" pvh multi "$(cc_text "$kdir") (host compiler)" "linux-headers-$rel $hver"
}

# ---------------------------------------------------------------- 6.12 ----
line_6_12() {
	local name rel ver kver dir root t f
	# Asking apt costs seconds here (no pkgcache.bin), so the answer is kept
	# until the apt lists change.
	local lists resolved=$cache/6.12/.resolved
	lists=$(ls -l --time-style=+%s /var/lib/apt/lists/ /etc/apt/preferences.d/ 2>/dev/null | md5sum | cut -c1-32)
	if [ "$(sed -n 1p "$resolved" 2>/dev/null)" = "$lists" ]; then
		name=$(sed -n 2p "$resolved"); ver=$(sed -n 3p "$resolved")
	else
		name=$(apt-cache pkgnames linux-headers-6.12. | grep -E '^linux-headers-6\.12\.[^-]*-amd64$' | sort -V | tail -n 1 || true)
		[ -n "$name" ] || die "6.12: apt knows no linux-headers-6.12.*-amd64 (apt-get update?)"
		ver=$(apt-cache policy "$name" | sed -n 's/^ *Candidate: //p')
		mkdir -p "$cache/6.12"
		printf '%s\n' "$lists" "$name" "$ver" >"$resolved"
	fi
	rel=${name#linux-headers-}
	kver=${rel%-amd64}
	dir=$cache/6.12/$rel
	root=$dir/root
	ktext=$(printf 'artifact=kernel headers and image 6.12\npackages=%s %s\nrecipe_sha256=%s\nextractor_sha256=%s\n' \
		"$name" "$ver" "$(recipe line_6_12 vmlinuz_from_deb boot_image apt_download)" "$(file_sha "$here/extract-vmlinux.sh")")
	[ "$check" = 0 ] || { check_key 6.12 "$dir" "$ktext" || true; return 0; }
	if [ ! -s "$dir/vmlinux" ] || ! fresh "$dir" "$ktext"; then
		command -v x86_64-linux-gnu-gcc-12 >/dev/null || die "6.12: gcc-12 is missing"
		# linux-kbuild-6.12 depends on pahole: the final .ko step runs it (BTF)
		command -v pahole >/dev/null || die "6.12: pahole is missing (tools/install-deps.sh)"
		t=$(now)
		rm -rf "$dir"; mkdir -p "$dir/dl" "$root"
		(cd "$dir/dl" && apt_download "$name=$ver" "linux-headers-$kver-common=$ver" \
			"linux-kbuild-$kver=$ver" "linux-image-$rel=$ver") >&2
		log "  downloaded headers, kbuild and image $ver in $(since "$t")"
		t=$(now)
		for f in "$dir"/dl/linux-headers-*.deb "$dir"/dl/linux-kbuild-*.deb; do
			dpkg-deb -x "$f" "$root"
		done
		# The flavour's Makefile includes the -common one by absolute path.
		sed -i "s|^include /usr/src/|include $root/usr/src/|" "$root/usr/src/linux-headers-$rel/Makefile"
		[ "$(uts "$root/usr/src/linux-headers-$rel")" = "$rel" ] || die "6.12: unpacked headers do not say $rel"
		[ -e "$root/usr/src/linux-headers-$rel/scripts/basic/fixdep" ] || die "6.12: kbuild helpers missing after unpacking"
		vmlinuz_from_deb "$dir"/dl/linux-image-*.deb "boot/vmlinuz-$rel" "$dir/vmlinuz"
		rm -rf "$dir/dl"
		log "  unpacked in $(since "$t")"
		boot_image "$dir/vmlinuz" "$dir"
		printf '%s\n' "$ktext" >"$dir/.tdxctl-key"
		prune "$cache/6.12" "$dir"
	fi
	keyfiles=("$dir/.tdxctl-key")
	write_env 6.12 "$rel" "$root/usr/src/linux-headers-$rel" "" "$dir/vmlinux" pvh single \
		"$(cc_text "$root/usr/src/linux-headers-$rel") (host compiler)" "$name $ver, unpacked"
}

# prune TOP KEEP: remove other version dirs under TOP
prune() {
	local d
	for d in "$1"/*/; do
		d=${d%/}
		[ "$d" = "$2" ] || { log "  removing stale $d"; rm -rf --one-file-system "$d"; }
	done
}

# ---------------------------------------------------------------- 7.x -----
chroot_dir=$cache/chroot-trixie
chroot_pkgs=gcc-14,make,libc6-dev
proc_mounted_here=
umount_tree() { # umount_tree DIR: unmount everything below DIR (deepest first)
	local m
	awk -v p="$1/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r |
		while read -r m; do umount -l "$m" || true; done
}
chroot_proc() { # mount /proc in the chroot (objtool and apt want it)
	if ! mountpoint -q "$chroot_dir/proc"; then
		mount -t proc proc "$chroot_dir/proc"
		proc_mounted_here=1
	fi
}
in_chroot() {
	DEBIAN_FRONTEND=noninteractive LC_ALL=C chroot "$chroot_dir" "$@"
}
chroot_cleanup() {
	[ -z "$proc_mounted_here" ] || umount "$chroot_dir/proc" 2>/dev/null || true
}
trap chroot_cleanup EXIT

make_chroot() {
	local new=$chroot_dir.new t
	[ "$(id -u)" -eq 0 ] || die "7.x: needs root (debootstrap, chroot)"
	command -v debootstrap >/dev/null || die "7.x: debootstrap is missing (tools/install-deps.sh)"
	t=$(now)
	[ ! -d "$new" ] || { umount_tree "$new"; rm -rf --one-file-system "$new"; }
	log "7.x: debootstrap trixie ($mirror) into $chroot_dir (about a minute)"
	if ! debootstrap --variant=minbase --include="$chroot_pkgs" trixie "$new" "$mirror" >"$cache/debootstrap.log" 2>&1; then
		tail -n 20 "$cache/debootstrap.log" >&2
		umount_tree "$new"
		die "7.x: debootstrap failed (log: $cache/debootstrap.log)"
	fi
	umount_tree "$new"
	cat >"$new/etc/apt/sources.list" <<-EOF
	deb $mirror trixie main
	deb $mirror trixie-backports main
	EOF
	# nothing in the chroot needs docs or man pages
	cat >"$new/etc/dpkg/dpkg.cfg.d/01-tdxctl-nodoc" <<-EOF
	path-exclude=/usr/share/doc/*
	path-exclude=/usr/share/man/*
	path-exclude=/usr/share/locale/*
	EOF
	chroot_key >"$new/.tdxctl-key"
	mv "$new" "$chroot_dir"
	log "  chroot ready in $(since "$t") ($(du -sm "$chroot_dir" | cut -f1) MB)"
	refresh=1
}

chroot_key() {
	printf 'artifact=chroot trixie\nsuite=trixie\nmirror=%s\npackages=%s\nrecipe_sha256=%s\n' \
		"$mirror" "$chroot_pkgs" "$(recipe make_chroot)"
}

# the trixie chroot, made or remade when its key (package set, mirror,
# recipe) changed
use_chroot() {
	local t
	if [ "$check" = 1 ]; then
		if [ -z "${chroot_checked:-}" ]; then
			chroot_checked=1
			check_key chroot "$chroot_dir" "$(chroot_key)" || chroot_bad=1
		fi
		[ -z "${chroot_bad:-}" ] || return 1
		chroot_proc
		return 0
	fi
	if ! fresh "$chroot_dir" "$(chroot_key)"; then
		if [ -d "$chroot_dir" ]; then
			umount_tree "$chroot_dir"; rm -rf --one-file-system "$chroot_dir"
		fi
		make_chroot
	fi
	[ "$(id -u)" -eq 0 ] || die "the trixie chroot needs root"
	chroot_proc
	cp -L /etc/resolv.conf "$chroot_dir/etc/resolv.conf" 2>/dev/null || true
	if [ "$refresh" = 1 ]; then
		t=$(now)
		in_chroot apt-get update -q >&2 || die "apt-get update in the trixie chroot failed"
		log "  apt-get update (trixie, trixie-backports) in $(since "$t")"
		refresh=0
	fi
}

line_7_x() {
	local name rel ver have dir kdir t old ktext
	if ! use_chroot; then
		check_fail 7.x "the trixie chroot is not usable"
		return 0
	fi
	name=$(in_chroot apt-cache pkgnames linux-headers-7. | grep -E '^linux-headers-7\.[^-]*-amd64$' | sort -V | tail -n 1 || true)
	[ -n "$name" ] || die "7.x: trixie-backports offers no linux-headers-7.*-amd64 (try --refresh)"
	rel=${name#linux-headers-}
	ver=$(in_chroot apt-cache policy "$name" | sed -n 's/^ *Candidate: //p')
	have=$(in_chroot dpkg-query -W -f='${Status} ${Version}' "$name" 2>/dev/null || true)
	dir=$cache/7.x/$rel
	ktext=$(printf 'artifact=kernel image 7.x\npackage=linux-binary-%s %s\nheaders=%s %s\nrecipe_sha256=%s\nextractor_sha256=%s\n' \
		"$rel" "$ver" "$name" "$ver" "$(recipe line_7_x vmlinuz_from_deb boot_image)" "$(file_sha "$here/extract-vmlinux.sh")")
	if [ "$check" = 1 ]; then
		[ "$have" = "install ok installed $ver" ] ||
			{ check_fail 7.x "the chroot has $name '$have', its key wants $ver"; return 0; }
		check_key 7.x "$dir" "$ktext" || true
		return 0
	fi
	if [ "$have" != "install ok installed $ver" ]; then
		t=$(now)
		in_chroot apt-get -o Dpkg::Use-Pty=0 install -y -q --no-install-recommends "$name" >&2 || die "7.x: installing $name in the chroot failed"
		log "  installed $name $ver in the chroot in $(since "$t")"
		# older 7.x headers are no longer wanted
		for old in $(in_chroot dpkg-query -W -f='${Package}\n' 'linux-headers-7.*' 2>/dev/null); do
			case "$old" in
			"$name"|*-common) ;;
			linux-headers-7.*-amd64) in_chroot apt-get -o Dpkg::Use-Pty=0 purge -y -q "$old" >&2 || true ;;
			esac
		done
		in_chroot apt-get -o Dpkg::Use-Pty=0 autoremove -y -q --purge >&2 || true
		in_chroot apt-get clean
	fi
	kdir=/usr/src/linux-headers-$rel
	[ "$(uts "$chroot_dir$kdir")" = "$rel" ] || die "7.x: $chroot_dir$kdir does not say $rel"
	if [ ! -s "$dir/vmlinux" ] || ! fresh "$dir" "$ktext"; then
		t=$(now)
		rm -rf "$dir"; mkdir -p "$dir"
		if [ -f "$chroot_dir/usr/lib/modules/$rel/vmlinuz" ]; then
			cp "$chroot_dir/usr/lib/modules/$rel/vmlinuz" "$dir/vmlinuz"
		else
			# the kernel itself is in linux-binary-<rel> (linux-image-<rel> is the signed wrapper)
			rm -rf "$chroot_dir/var/tmp/tdxctl-dl"; mkdir -p "$chroot_dir/var/tmp/tdxctl-dl"
			(cd "$chroot_dir/var/tmp/tdxctl-dl" && in_chroot sh -c \
				"cd /var/tmp/tdxctl-dl && apt-get download -q -o APT::Sandbox::User=root linux-binary-$rel=$ver") >&2 ||
				die "7.x: apt-get download linux-binary-$rel failed"
			vmlinuz_from_deb "$(ls "$chroot_dir"/var/tmp/tdxctl-dl/*.deb)" "usr/lib/modules/$rel/vmlinuz" "$dir/vmlinuz"
			rm -rf "$chroot_dir/var/tmp/tdxctl-dl"
		fi
		log "  fetched the $rel image in $(since "$t")"
		boot_image "$dir/vmlinuz" "$dir"
		printf '%s\n' "$ktext" >"$dir/.tdxctl-key"
		prune "$cache/7.x" "$dir"
	fi
	keyfiles=("$chroot_dir/.tdxctl-key" "$dir/.tdxctl-key")
	write_env 7.x "$rel" "$kdir" "$chroot_dir" "$dir/vmlinux" pvh single \
		"$(cc_text "$chroot_dir$kdir") (inside CHROOT: chroot \$CHROOT make -C \$KDIR ...)" "$name $ver, trixie chroot"
}

# --------------------------------------------------------------- debug ----
# check_built LINE ARGS...: (--check) the tree the line's env names was
# built from the key text build-debug-kernel.sh gives for ARGS now
check_built() {
	local line=$1 kdir; shift
	kdir=$(. "$cache/lines/$line.env" 2>/dev/null && echo "$KDIR" || true)
	[ -n "$kdir" ] || { check_fail "$line" "not prepared: $cache/lines/$line.env names no kernel tree"; return 0; }
	check_key "$line" "$(dirname "${kdir:-/nonexistent/x}")" "$("$here/build-debug-kernel.sh" --print-key "$@" "$cache")" || true
}

line_debug() {
	local tree rel
	[ "$check" = 0 ] || { check_built debug; return 0; }
	tree=$("$here/build-debug-kernel.sh" "$cache")
	keyfiles=("$(dirname "$tree")/.tdxctl-key")
	rel=$(uts "$tree")
	[ -f "$tree/arch/x86/boot/bzImage" ] || die "debug: no bzImage in $tree"
	# KASAN kernels triple-fault on the PVH entry path: boot the (LZ4) bzImage
	write_env debug "$rel" "$tree" "" "$tree/arch/x86/boot/bzImage" bzimage multi \
		"$(cc_text "$tree") (host compiler)" "linux-source-6.1 $(dpkg-query -W -f='${Version}' linux-source-6.1)"
}

# ----------------------------------------------------------------- tdx ----
# tdx_line_env LINE TREE SOURCE: the env of a kernel built here with the
# TDX host core (bzImage, single-threaded TCG)
tdx_line_env() {
	local line=$1 tree=$2
	[ -f "$tree/arch/x86/boot/bzImage" ] || die "$line: no bzImage in $tree"
	grep -qx 'CONFIG_INTEL_TDX_HOST=y' "$tree/.config" || die "$line: $tree has no CONFIG_INTEL_TDX_HOST"
	write_env "$line" "$(uts "$tree")" "$tree" "" "$tree/arch/x86/boot/bzImage" bzimage single \
		"$(cc_text "$tree") (host compiler)" "$3"
}

line_tdx() {
	local tree
	[ "$check" = 0 ] || { check_built tdx --name tdx --source 6.12; return 0; }
	tree=$("$here/build-debug-kernel.sh" --name tdx --source 6.12 "$cache")
	keyfiles=("$(dirname "$tree")/.tdxctl-key")
	tdx_line_env tdx "$tree" "linux-source-6.12 $(dpkg-query -W -f='${Version}' linux-source-6.12)"
}

# ------------------------------------------------------------- tdx-6.18 ---
# Linux 6.18, the newest kernel that exports tdx_get_sysinfo() (with
# tdx_cpu_enable() and tdx_enable()) to any GPL module.  The source is
# Debian's upstream tarball of the newest linux 6.18.x of trixie-backports
# (linux_6.18.N.orig.tar.xz; the archive no longer serves its .dsc or
# Debian patches), fetched and checked against the SHA-256 of the Sources
# index apt verified in the trixie chroot.
line_tdx_6_18() {
	local srclist want lists pick ver file sum dl tree t
	if [ "$check" = 1 ]; then
		# the tarball prepare last fetched (only one is kept)
		file=$(cd "$cache/tdx-6.18/src" 2>/dev/null && ls linux_6.18.*.orig.tar.xz 2>/dev/null | tail -n 1 || true)
		[ -n "$file" ] || { check_fail tdx-6.18 "no source tarball in $cache/tdx-6.18/src"; return 0; }
		ver=${file#linux_}; ver=${ver%.orig.tar.xz}
		check_built tdx-6.18 --name tdx-6.18 --tarball "$cache/tdx-6.18/src/$file" --srcver "$ver"
		return 0
	fi
	use_chroot
	srclist=$chroot_dir/etc/apt/sources.list.d/tdxctl-src.list
	want="deb-src $mirror trixie-backports main"
	lists=$chroot_dir/var/lib/apt/lists
	if [ "$(cat "$srclist" 2>/dev/null)" != "$want" ] || ! compgen -G "$lists/*trixie-backports_main_source_Sources" >/dev/null; then
		echo "$want" >"$srclist"
		t=$(now)
		in_chroot apt-get update -q >&2 || die "tdx-6.18: apt-get update (deb-src trixie-backports) failed"
		log "  apt-get update with deb-src trixie-backports in $(since "$t")"
	fi
	mkdir -p "$cache/tdx-6.18/src"
	# newest first: VERSION FILE SHA256 of each linux 6.18.x orig tarball
	pick=
	while read -r ver file sum; do
		if [ -f "$cache/tdx-6.18/src/$file" ] &&
			[ "$(sha256sum "$cache/tdx-6.18/src/$file" | cut -d' ' -f1)" = "$sum" ]; then
			pick="$ver $file"; break
		fi
		t=$(now)
		dl=/var/tmp/tdxctl-src-$file
		rm -f "$chroot_dir$dl"
		if in_chroot /usr/lib/apt/apt-helper -o APT::Sandbox::User=root download-file \
			"$mirror/pool/main/l/linux/$file" "$dl" "SHA256:$sum" >&2; then
			mv "$chroot_dir$dl" "$cache/tdx-6.18/src/$file"
			log "  fetched $file (linux $ver, SHA-256 checked) in $(since "$t")"
			pick="$ver $file"; break
		fi
		rm -f "$chroot_dir$dl"
		log "  $file (linux $ver) is not in the archive; trying an older 6.18"
	done < <(python3 - "$lists"/*trixie-backports_main_source_Sources <<-'PY'
	import re, sys
	seen = {}
	for path in sys.argv[1:]:
	    for para in open(path, encoding="utf-8").read().split("\n\n"):
	        if not re.search(r"^Package: linux$", para, re.M):
	            continue
	        v = re.search(r"^Version: (6\.18\.\d+)-\S+$", para, re.M)
	        if not v:
	            continue
	        up = v.group(1)
	        m = re.search(r"^ ([0-9a-f]{64}) \d+ (linux_%s\.orig\.tar\.xz)$" % re.escape(up), para, re.M)
	        if m:
	            seen[up] = (m.group(2), m.group(1))
	for up in sorted(seen, key=lambda u: [int(x) for x in u.split(".")], reverse=True):
	    print(up, *seen[up])
	PY
	)
	[ -n "$pick" ] || die "tdx-6.18: trixie-backports offers no linux 6.18.x source tarball"
	ver=${pick%% *} file=${pick#* }
	tree=$("$here/build-debug-kernel.sh" --name tdx-6.18 --tarball "$cache/tdx-6.18/src/$file" --srcver "$ver" "$cache")
	keyfiles=("$(dirname "$tree")/.tdxctl-key")
	tdx_line_env tdx-6.18 "$tree" "linux $ver ($file, trixie-backports)"
	# the tarballs of other versions are no longer wanted
	for t in "$cache/tdx-6.18/src"/*; do
		[ "$t" = "$cache/tdx-6.18/src/$file" ] || rm -f "$t"
	done
}

# prepare_line LINE: prepare (or, with --check, check) one line
prepare_line() {
	case "$1" in
	6.1) line_6_1 ;;
	6.12) line_6_12 ;;
	7.x) line_7_x ;;
	debug) line_debug ;;
	tdx) line_tdx ;;
	tdx-6.18) line_tdx_6_18 ;;
	esac
}

# ------------------------------------------------------------- --check ---
ncheck=0 nfail=0
check_fail() { echo "not ok $((++ncheck)) - $1: $2"; nfail=$((nfail + 1)); }
# check_key LINE DIR TEXT: the artifact in DIR was made from the key TEXT,
# and (for a line) the line's env file names it
check_key() {
	local line=$1 dir=$2 text=$3 env=$cache/lines/$1.env
	if [ ! -f "$dir/.tdxctl-key" ]; then
		check_fail "$line" "cached artifact $dir has no recorded key (.tdxctl-key)"
		return 1
	fi
	if [ "$(cat "$dir/.tdxctl-key")" != "$text" ]; then
		check_fail "$line" "cached artifact $dir: its recorded key differs from the key its inputs give now"
		diff <(cat "$dir/.tdxctl-key") <(printf '%s\n' "$text") | sed 's/^/# /'
		return 1
	fi
	if [ "$line" != chroot ]; then
		if ! grep -qF "$dir/.tdxctl-key" "$env" 2>/dev/null; then
			check_fail "$line" "$env does not name the artifact $dir (prepare-kernels.sh $line rewrites it)"
			return 1
		fi
	fi
	echo "ok $((++ncheck)) - $line: $dir matches its inputs"
}
if [ "$check" = 1 ]; then
	echo "TAP version 13"
	n=${#lines[@]}
	case " ${lines[*]} " in *" 7.x "*) n=$((n + 1)) ;; esac	# and its chroot
	echo "1..$n"
	for l in "${lines[@]}"; do
		prepare_line "$l"
	done
	[ "$ncheck" = "$n" ] || { echo "not ok $((n + 1)) - prepare-kernels --check made $ncheck checks of $n"; exit 1; }
	[ "$nfail" = 0 ]
	exit
fi

for l in "${lines[@]}"; do
	# one preparer per line at a time (a 6.1 run need not wait for a debug build)
	exec 8>"$cache/.lock-$l"
	flock 8
	t=$(now)
	prepare_line "$l"
	log "$l ready in $(since "$t")"
done
