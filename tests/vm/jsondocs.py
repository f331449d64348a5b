#!/usr/bin/env python3
"""Unpack the JSON documents and files a guest sent on its document port (ttyS2).

usage: jsondocs.py RAW SENT OUTDIR [FILES-SENT FILESDIR]
RAW holds one frame per line: "JSONDOC <bytes> <sha256> <document>", as
lib.sh's json_save writes them, or "FILEDOC <bytes> <sha256> <name>
<base64>" (file_save: length and SHA-256 of the decoded bytes); SENT and
FILES-SENT are the numbers the guest says it sent (its "JSONDOC-SENT n" and
"FILEDOC-SENT n" lines), or "-" if it never said.  Each intact document is
written to OUTDIR/NNN.json, each intact file to FILESDIR/<name>.  Prints
"ok - " / "not ok - " lines (no numbers): for the documents, one for frames
that arrived damaged and one for the count; the same two for files when
FILESDIR is given and the guest sent a file (or said nothing).
"""
import base64
import binascii
import hashlib
import os
import re
import sys


def file_frame(parts, filesdir, got):
    """parts: [b'FILEDOC', len, sha, rest]; returns an error or None."""
    name, _, b64 = parts[3].partition(b" ")
    name = name.decode("ascii", "replace")
    if not re.fullmatch(r"[A-Za-z0-9._-]+", name) or name.startswith("."):
        return f"file frame with a bad name {name!r}"
    try:
        data = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError) as e:
        return f"{name}: not base64 ({e})"
    if len(data) != int(parts[1]):
        return f"{name}: {len(data)} bytes, frame says {int(parts[1])}"
    if hashlib.sha256(data).hexdigest().encode() != parts[2]:
        return f"{name}: SHA-256 differs from the frame's"
    if name in got:
        return f"{name}: sent twice"
    got.add(name)
    with open(os.path.join(filesdir, name), "wb") as f:
        f.write(data)
    return None


def main():
    raw, sent, outdir = sys.argv[1], sys.argv[2], sys.argv[3]
    fsent = sys.argv[4] if len(sys.argv) > 5 else None
    filesdir = sys.argv[5] if len(sys.argv) > 5 else None
    os.makedirs(outdir, exist_ok=True)
    if filesdir:
        os.makedirs(filesdir, exist_ok=True)
    files = set()
    fbad = []
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
        if filesdir and len(parts) == 4 and parts[0] == b"FILEDOC" and parts[1].isdigit():
            err = file_frame(parts, filesdir, files)
            if err:
                fbad.append(f"line {i}: {err}")
            continue
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
    if filesdir and (fsent != "0" or files or fbad):
        if fbad:
            print(f"not ok - every file arrived intact ({len(fbad)} damaged)")
            for b in fbad[:20]:
                print(f"# {b}")
        else:
            print(f"ok - every file arrived intact ({len(files)} frames: {' '.join(sorted(files))})")
        if fsent == "-":
            print("not ok - the guest said how many files it sent")
        elif int(fsent) != len(files):
            print(f"not ok - files received: {len(files)} of {fsent} sent")
        else:
            print(f"ok - files received: {len(files)} of {fsent} sent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
