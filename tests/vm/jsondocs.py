#!/usr/bin/env python3
"""Unpack the JSON documents a guest sent on its document port (ttyS2).

usage: jsondocs.py RAW SENT OUTDIR
RAW holds one frame per line: "JSONDOC <bytes> <sha256> <document>", as
lib.sh's json_save writes them; SENT is the number of documents the guest
says it sent (its "JSONDOC-SENT n" line), or "-" if it never said.  Each
intact document is written to OUTDIR/NNN.json.  Prints "ok - " / "not ok - "
lines (no numbers): one for frames that arrived damaged, one for the count.
"""
import hashlib
import os
import sys


def main():
    raw, sent, outdir = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(outdir, exist_ok=True)
    try:
        with open(raw, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        data = b""
    good = 0
    bad = []
    for i, line in enumerate(data.split(b"\n"), 1):
        line = line.rstrip(b"\r")
        if not line:
            continue
        parts = line.split(b" ", 3)
        if len(parts) != 4 or parts[0] != b"JSONDOC" or not parts[1].isdigit():
            bad.append(f"line {i}: not a frame: {line[:60]!r}")
            continue
        doc = parts[3]
        if len(doc) != int(parts[1]):
            bad.append(f"line {i}: {len(doc)} bytes, frame says {int(parts[1])}")
            continue
        if hashlib.sha256(doc).hexdigest().encode() != parts[2]:
            bad.append(f"line {i}: SHA-256 differs from the frame's")
            continue
        good += 1
        with open(os.path.join(outdir, "%03d.json" % good), "wb") as f:
            f.write(doc + b"\n")
    if bad:
        print(f"not ok - every JSON document arrived intact ({len(bad)} damaged)")
        for b in bad[:20]:
            print(f"# {b}")
    else:
        print(f"ok - every JSON document arrived intact ({good} frames)")
    if sent == "-":
        print("not ok - the guest said how many JSON documents it sent")
    elif int(sent) != good:
        print(f"not ok - JSON documents received: {good} of {sent} sent")
    else:
        print(f"ok - JSON documents received: {good} of {sent} sent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
