#!/bin/bash
# build-systemd-rootfs.sh [--cache DIR] [--check]
#
# The root file system of the package guest (tests/pkg/guest.sh): Debian
# bookworm with systemd as PID 1, udev, kmod, DKMS with gcc/make and the
# headers of the 6.1 line's kernel (RELEASE of CACHE/lines/6.1.env), that
# kernel itself (its /boot/vmlinuz and initrd are what QEMU boots), the
# libraries tdxctl links and dlopen()s, sosreport and python3.  It is
# debootstrap'ed (--variant=minbase, then the list below with apt-get, no
# Recommends) into a chroot and stored as a raw ext4 image:
#   CACHE/rootfs-bookworm/root.img    the root file system (/dev/vda)
#   CACHE/rootfs-bookworm/vmlinuz     the kernel and initrd of the image
#   CACHE/rootfs-bookworm/initrd.img
#   CACHE/rootfs-bookworm/.tdxctl-key the key text of all of its inputs
# A guest boots a copy-on-write view of root.img (QEMU snapshot=on), so the
# image stays as built.  The key holds the package list, this script's
# SHA-256 (its recipe, the guest runner included), the mirror, the kernel
# ABI and the version of its linux-image and linux-headers packages; an
# image whose key differs is rebuilt, a warm one costs nothing.
#
# Every boot, tdxctl-guest.service (baked in) unpacks the tar archive on
# the second disk (/dev/vdb) into /run/tdxctl-guest and runs its
# guest-run.sh with the serial port /dev/ttyS1 for its report and the
# third disk (/dev/vdc) for files to send back; no second disk, nothing
# runs.  --check makes nothing: exit 0 if the cached image is fresh.
# Needs root (debootstrap, chroot).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${TDXCTL_CACHE:-/var/cache/tdxctl}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
check=0
while [ $# -gt 0 ]; do
	case "$1" in
	--cache) cache=${2:?--cache needs a directory}; shift ;;
	--check) check=1 ;;
	-h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
	*) echo "build-systemd-rootfs: unknown argument '$1'" >&2; exit 2 ;;
	esac
	shift
done

log() { printf 'build-systemd-rootfs: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

env=$cache/lines/6.1.env
[ -f "$env" ] || die "$env missing: tools/prepare-kernels.sh 6.1 first"
abi=$(. "$env" && echo "$RELEASE")
[ -n "$abi" ] || die "no RELEASE in $env"

# what the guest runs on: systemd, udev, DKMS for the 6.1 line's kernel,
# tdxctl's libraries (linked: json-c, smartcols, nl; dlopen()ed: archive,
# nettle), sos, and what the checks use (procps, xz-utils for sos' archive)
pkgs=(systemd-sysv udev kmod dkms gcc make libc6-dev initramfs-tools zstd
	"linux-image-$abi" "linux-headers-$abi"
	libjson-c5 libsmartcols1 libnl-3-200 libnl-genl-3-200 libarchive13 libnettle8
	sosreport python3 procps xz-utils)

pkgver() { apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p'; }
kver=$(pkgver "linux-image-$abi")
hver=$(pkgver "linux-headers-$abi")
[ -n "$kver" ] && [ "$kver" != "(none)" ] || die "linux-image-$abi is not in the apt lists (apt-get update)"
key_text() {
	echo "artifact=rootfs-bookworm"
	echo "recipe=$(sha256sum "$here/build-systemd-rootfs.sh" | cut -d' ' -f1)"
	echo "mirror=$mirror $security"
	echo "abi=$abi"
	echo "linux-image=$kver"
	echo "linux-headers=$hver"
	echo "packages=${pkgs[*]}"
}
dir=$cache/rootfs-bookworm
ktext=$(key_text)
fresh() { [ -f "$dir/.tdxctl-key" ] && [ "$(cat "$dir/.tdxctl-key")" = "$ktext" ] &&
	[ -s "$dir/root.img" ] && [ -s "$dir/vmlinuz" ] && [ -s "$dir/initrd.img" ]; }
if fresh; then
	log "$dir is fresh"
	exit 0
fi
[ "$check" = 0 ] || { log "$dir is stale or missing"; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot)"
command -v debootstrap > /dev/null || die "debootstrap is missing (tools/install-deps.sh)"
command -v mkfs.ext4 > /dev/null || die "mkfs.ext4 is missing (e2fsprogs)"

t0=$(date +%s)
new=$cache/rootfs-bookworm.new
root=$new/root
umount_tree() { # umount_tree DIR: unmount everything below DIR (deepest first)
	local m
	awk -v p="$1/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r |
		while read -r m; do umount -l "$m" || true; done
}
cleanup() { [ -d "$root" ] && umount_tree "$root"; true; }
trap cleanup EXIT
[ ! -d "$new" ] || { umount_tree "$new"; rm -rf --one-file-system "$new"; }
mkdir -p "$new"
blog=$new/build.log
log "debootstrap bookworm ($mirror) into $root"
if ! debootstrap --variant=minbase bookworm "$root" "$mirror" > "$blog" 2>&1; then
	tail -n 20 "$blog" >&2
	die "debootstrap failed (log: $blog)"
fi
cat > "$root/etc/apt/sources.list" <<-EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
# nothing in the guest reads docs; tdxctl's own man pages are kept (the
# package's files are checked against the listing)
cat > "$root/etc/dpkg/dpkg.cfg.d/01-tdxctl-nodoc" <<-EOF
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/tdxctl*
path-exclude=/usr/share/locale/*
EOF
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --bind /dev "$root/dev"
in_root() { DEBIAN_FRONTEND=noninteractive LC_ALL=C chroot "$root" "$@"; }
log "apt-get install ${pkgs[*]}"
if ! { in_root apt-get update -q && in_root apt-get install -y -q --no-install-recommends "${pkgs[@]}"; } >> "$blog" 2>&1; then
	tail -n 30 "$blog" >&2
	die "apt-get install in the root failed (log: $blog)"
fi
in_root apt-get clean
umount_tree "$root"
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin

# the guest's configuration
echo "/dev/vda / ext4 defaults 0 1" > "$root/etc/fstab"
echo tdxctl-guest > "$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\ttdxctl-guest\n' > "$root/etc/hosts"
: > "$root/etc/machine-id"
sed -i 's/^root:[^:]*:/root::/' "$root/etc/shadow"
cat > "$root/etc/systemd/system/tdxctl-guest.service" <<-'EOF'
[Unit]
Description=tdxctl package test: run the test archive of /dev/vdb
ConditionPathExists=/dev/vdb
After=multi-user.target

[Service]
Type=simple
ExecStart=/usr/local/sbin/tdxctl-guest
StandardOutput=journal+console
StandardError=journal+console

[Install]
WantedBy=multi-user.target
EOF
cat > "$root/usr/local/sbin/tdxctl-guest" <<-'EOF'
#!/bin/sh
# Unpack the test archive of /dev/vdb and run its guest-run.sh (report:
# /dev/ttyS1, files back: /dev/vdc).  Whatever it does, power off at the end
# unless it asked for a reboot itself.
d=/run/tdxctl-guest
rm -rf "$d"; mkdir -p "$d"
if tar -xf /dev/vdb -C "$d" > /run/tdxctl-guest.err 2>&1 && [ -f "$d/guest-run.sh" ]; then
	bash "$d/guest-run.sh" /dev/ttyS1 /dev/vdc
	rc=$?
else
	{ echo "GUEST-ERROR no test archive on /dev/vdb"; ls -la "$d"; tar -tvf /dev/vdb
	  cat /run/tdxctl-guest.err; } 2>&1 | sed 's/^/GUEST-ERROR /' > /dev/ttyS1
	rc=1
fi
[ "$rc" = 100 ] && exit 0	# it rebooted the guest
systemctl poweroff --no-block || echo o > /proc/sysrq-trigger
EOF
chmod 755 "$root/usr/local/sbin/tdxctl-guest"
ln -sf /etc/systemd/system/tdxctl-guest.service \
	"$root/etc/systemd/system/multi-user.target.wants/tdxctl-guest.service"

cp -L "$root/boot/vmlinuz-$abi" "$new/vmlinuz"
cp -L "$root/boot/initrd.img-$abi" "$new/initrd.img"
size=$(( $(du -sm "$root" | cut -f1) + 1536 ))
log "mkfs.ext4 -d: ${size} MiB image"
if ! mkfs.ext4 -q -F -L tdxctl-root -d "$root" "$new/root.img" "${size}M" >> "$blog" 2>&1; then
	tail -n 10 "$blog" >&2
	die "mkfs.ext4 failed"
fi
rm -rf --one-file-system "$root"
printf '%s\n' "$ktext" > "$new/.tdxctl-key"
rm -rf --one-file-system "$dir"
mv "$new" "$dir"
log "$dir ready in $(( $(date +%s) - t0 )) s ($(du -sm "$dir/root.img" | cut -f1) MiB on disk)"
