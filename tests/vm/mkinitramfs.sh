#!/bin/bash
# mkinitramfs.sh OUT.cpio.gz --init F --lib F --cases DIR --demo F --ko F... [--ko-if-present F]
#                [--tdxctl F] [--prog F]... [--bench DIR] [--blobs TAR]
# Build the guest's initramfs without root: busybox-static, /init, the
# driver, tdxctl with the shared libraries it links, test programs, cases.
set -euo pipefail
out=$1; shift
init= lib= cases= demo= tdxctl= bench= kconfig= krelease= blobs=
progs=() kos=()
while [ $# -gt 0 ]; do
	case "$1" in
	--init) init=$2 ;;
	--lib) lib=$2 ;;
	--cases) cases=$2 ;;
	--demo) demo=$2 ;;
	--ko) kos+=("$2") ;;
	--ko-if-present) [ -f "$2" ] && kos+=("$2") ;;
	--kconfig) kconfig=$2 ;;
	--krelease) krelease=$2 ;;
	--tdxctl) tdxctl=$2 ;;
	--prog) progs+=("$2") ;;
	--bench) bench=$2 ;;
	--blobs) blobs=$2 ;;
	*) echo "mkinitramfs: unknown argument $1" >&2; exit 2 ;;
	esac
	shift 2
done

bb=/bin/busybox
if [ ! -x "$bb" ] || ldd "$bb" >/dev/null 2>&1; then
	echo "mkinitramfs: $bb must be the static busybox (apt-get install busybox-static)" >&2
	exit 1
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
chmod 755 "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,run,etc,lib/modules,tests/bin,tests/cases}
chmod 1777 "$root/tmp"
cp "$bb" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
install -m 755 "$init" "$root/init"
install -m 644 "$lib" "$root/tests/lib.sh"
install -m 755 "$demo" "$root/tests/demo.sh"
cp "$cases"/*.sh "$root/tests/cases/" 2>/dev/null || true
if [ -n "$bench" ]; then
	mkdir -p "$root/tests/bench"
	cp "$bench"/*.sh "$root/tests/bench/" 2>/dev/null || true
fi
[ ${#kos[@]} -gt 0 ] || { echo "mkinitramfs: no --ko module given" >&2; exit 1; }
# the kernel's config where a distribution keeps it (tdxctl reads it)
if [ -n "$kconfig" ] && [ -n "$krelease" ]; then
	mkdir -p "$root/boot"
	install -m 644 "$kconfig" "$root/boot/config-$krelease"
fi
for ko in "${kos[@]}"; do
	objcopy --strip-debug "$ko" "$root/lib/modules/$(basename "$ko")"
done
# TDX module update images (mkblobs.sh)
if [ -n "$blobs" ]; then
	mkdir -p "$root/tests/blobs"
	tar -C "$root/tests/blobs" -xf "$blobs"
fi
for p in "${progs[@]}"; do
	install -m 755 "$p" "$root/tests/bin/$(basename "$p")"
done
printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"

# The shared objects FILE links, with their dependencies (ldd).
add_libs() {
	ldd "$1" 2>/dev/null | grep -oE '/[^ ]+' | while read -r so; do
		[ -e "$so" ] || continue
		mkdir -p "$root$(dirname "$so")"
		cp -L "$so" "$root$so"
	done
}
# A binary plus every shared object it loads (sanitizer builds included),
# and the libraries it dlopen()s, as its ELF .note.dlopen lists them
# (diag: libarchive and nettle, monitor: libnl, the journal: libsystemd).
add_dynamic() {
	local bin=$1 dest=$2 so path
	install -m 755 "$bin" "$root$dest"
	add_libs "$bin"
	for so in $(readelf -p .note.dlopen "$bin" 2>/dev/null | grep -oE '"lib[^"]+\.so[^"]*"' | tr -d '"'); do
		# awk reads all of ldconfig's output: an early exit would be a
		# SIGPIPE for ldconfig, a failed pipeline under pipefail
		path=$(ldconfig -p | awk -v s="$so" '$1 == s && /x86-64/ && !p { p = $NF } END { print p }')
		[ -n "$path" ] || { echo "mkinitramfs: $bin dlopen()s $so, which is not installed" >&2; exit 1; }
		mkdir -p "$root$(dirname "$path")"
		cp -L "$path" "$root$path"
		add_libs "$path"
	done
}
if [ -n "$tdxctl" ]; then
	add_dynamic "$tdxctl" /bin/tdxctl
	[ -d "$root/lib64" ] || ln -s lib "$root/lib64"
fi

(cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
