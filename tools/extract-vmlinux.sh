#!/bin/sh
# extract-vmlinux.sh BZIMAGE OUT
#
# Write the uncompressed ELF vmlinux contained in an x86 bzImage to OUT.
# QEMU can boot that ELF directly through its PVH note, which skips the
# in-guest decompression (several seconds under TCG).
#
# The compressed kernel is located with the x86 boot protocol (2.08+): the
# setup header gives the size of the real-mode part (setup_sects) and, at
# 0x248/0x24c, the offset and length of the payload inside the protected-mode
# part.  The format is recognised by its magic bytes.  Except for gzip, kbuild
# appends the uncompressed size (4 bytes) to the stream; that tail is dropped.
set -eu

in=${1:?usage: extract-vmlinux.sh BZIMAGE OUT}
out=${2:?usage: extract-vmlinux.sh BZIMAGE OUT}

die() { echo "extract-vmlinux: $*" >&2; exit 1; }
[ -r "$in" ] || die "$in: not readable"

u() { # u OFFSET BYTES: little-endian unsigned integer at OFFSET
	od -An -v -t "u$2" -j "$1" -N "$2" "$in" | tr -d ' \n'
}
hex() { # hex OFFSET BYTES
	od -An -v -t x1 -j "$1" -N "$2" "$in" | tr -d ' \n'
}

[ "$(hex 514 4)" = 48647253 ] || die "$in: no x86 boot header ('HdrS' at 0x202); not a bzImage?"
proto=$(u 518 2)
[ "$proto" -ge 520 ] || die "$in: boot protocol $proto < 2.08 has no payload fields"
setup_sects=$(u 497 1)
[ "$setup_sects" -ne 0 ] || setup_sects=4
pm=$(( (setup_sects + 1) * 512 ))
poff=$(( pm + $(u 584 4) ))
plen=$(u 588 4)
[ "$plen" -gt 0 ] || die "$in: empty payload"

magic=$(hex "$poff" 6)
case "$magic" in
1f8b*)         fmt=gzip;  cmd="gzip -dc" ;;
fd377a585a00)  fmt=xz;    cmd="xz -dc --single-stream" ;;
28b52ffd*)     fmt=zstd;  cmd="zstd -dcq" ;;
02214c18*)     fmt=lz4;   cmd="lz4 -dcq" ;;
425a68*)       fmt=bzip2; cmd="bzip2 -dc" ;;
5d0000*)       fmt=lzma;  cmd="xz -dc --format=lzma" ;;
894c5a4f*)     fmt=lzo;   cmd="lzop -dc" ;;
*) die "$in: unknown payload format (magic $magic at offset $poff)" ;;
esac
[ "$fmt" = gzip ] || plen=$(( plen - 4 ))
command -v "${cmd%% *}" >/dev/null || die "$fmt payload, but '${cmd%% *}' is not installed"

tmp=$out.tmp.$$
trap 'rm -f "$tmp"' EXIT
tail -c +"$(( poff + 1 ))" "$in" | head -c "$plen" | $cmd >"$tmp" ||
	die "$in: $fmt decompression failed"
[ "$(od -An -t x1 -N 4 "$tmp" | tr -d ' \n')" = 7f454c46 ] ||
	die "$in: the $fmt payload is not an ELF image"
mv -f "$tmp" "$out"
trap - EXIT
