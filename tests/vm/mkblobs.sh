#!/bin/bash
# mkblobs.sh MKBLOB.PY OUT.tar: the TDX module update images the guest
# cases use, made with tests/fixtures/mkblob.py, in a tar that
# mkinitramfs.sh unpacks into the guest's /tests/blobs:
#   mapping_file.json                          Intel's shape, the releases below
#   joined_files/1.5/tdx_module_1.5.{07,08,09,10,11}.blob, joined_files/2.0/tdx_module_2.0.02.blob
#                                              (1.5.11: min TD-preserving 1.5.09)
#   debug/tdx_module_1.5.09.blob               debug-signed
#   foreign/tdx_module_1.5.09.blob             signed for another CPU only
#   damaged/KIND.blob                          1.5.09, one per mkblob --damage kind
# The CPUID tables name the host's CPU; /tests/bin/blobcpu rewrites one
# for the guest's CPU (all but foreign/ need that).
set -euo pipefail
mkblob=$1 out=$2
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
mk() { python3 "$mkblob" "$@"; }
mkdir -p "$d/joined_files/1.5" "$d/joined_files/2.0" "$d/debug" "$d/foreign" "$d/damaged"
for v in 1.5.07 1.5.08 1.5.09 1.5.10; do
	mk --version "$v" --mapping "$d/mapping_file.json" \
		-o "$d/joined_files/1.5/tdx_module_$v.blob"
done
mk --version 1.5.11 --min-td-preserving 1.5.09 --mapping "$d/mapping_file.json" \
	-o "$d/joined_files/1.5/tdx_module_1.5.11.blob"
mk --version 2.0.02 --mapping "$d/mapping_file.json" \
	-o "$d/joined_files/2.0/tdx_module_2.0.02.blob"
mk --version 1.5.09 --debug -o "$d/debug/tdx_module_1.5.09.blob"
mk --version 1.5.09 --cpuid 0x00000010 -o "$d/foreign/tdx_module_1.5.09.blob"
kinds=$(python3 -c 'import importlib.util,sys
s = importlib.util.spec_from_file_location("m", sys.argv[1]); m = importlib.util.module_from_spec(s)
s.loader.exec_module(m); print(" ".join(sorted(m.DAMAGE)))' "$mkblob")
for k in $kinds; do
	mk --version 1.5.09 --damage "$k" -o "$d/damaged/$k.blob"
done
tar -C "$d" -cf "$out.tmp" --owner=0 --group=0 .
mv "$out.tmp" "$out"
