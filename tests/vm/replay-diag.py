#!/usr/bin/env python3
"""Replay on the host the diag bundles a guest sent (lib.sh file_save).

usage: replay-diag.py TDXCTL FILESDIR
For each FILESDIR/NAME.diag.tar.gz the guest also sent what it printed live
with the driver loaded, NAME.live-status.json (tdxctl --json status --cpus)
and NAME.live-check.json (tdxctl --json check -v).  This tdxctl (the same
build as the guest's) verifies the bundle, extracts it with tar, replays
status --cpus and check -v with --sysroot, and the verdicts must equal the
live ones and the bundle's own tdxctl/*.json.  Only elapsed_ns (the run time
of each command) is left out of the comparison; the sysroot prefix of the
replay is taken out of its paths.
Prints "ok - " / "not ok - " lines (no numbers), a fixed number per bundle.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

CHECKS_PER_BUNDLE = 6


def strip(doc):
    if isinstance(doc, dict):
        return {k: strip(v) for k, v in doc.items() if k != "elapsed_ns"}
    if isinstance(doc, list):
        return [strip(v) for v in doc]
    return doc


def load(path, prefix=None):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if prefix:
        text = text.replace(prefix, "")
    return strip(json.loads(text))


def first_diff(a, b, where="$"):
    if type(a) is not type(b):
        return f"{where}: {json.dumps(a)[:200]} != {json.dumps(b)[:200]}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{where}.{k}: only in {'the replay' if k in a else 'the live run'}"
            d = first_diff(a[k], b[k], f"{where}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_diff(x, y, f"{where}[{i}]")
            if d:
                return d
        return None
    return None if a == b else f"{where}: {json.dumps(a)[:200]} != {json.dumps(b)[:200]}"


def replay(tdxctl, bundle, out):
    name = os.path.basename(bundle)[: -len(".diag.tar.gz")]
    d = os.path.dirname(bundle)
    res = []

    def check(ok, label, *diag):
        res.append((ok, f"replay {name}: {label}", diag))

    v = subprocess.run([tdxctl, "diag", "--verify", bundle], capture_output=True, text=True)
    check(v.returncode == 0, "tdxctl diag --verify: every file matches the manifest",
          v.stdout[-1500:], v.stderr[-500:])
    ex = tempfile.mkdtemp(prefix="replay-", dir=out)
    t = subprocess.run(["tar", "xzf", bundle, "-C", ex], capture_output=True, text=True)
    tops = glob.glob(os.path.join(ex, "tdxctl-diag-*"))
    top = tops[0] if t.returncode == 0 and len(tops) == 1 else None
    replies = sorted(os.listdir(os.path.join(top, "dev/tdx_host"))) if top and \
        os.path.isdir(os.path.join(top, "dev/tdx_host")) else []
    check(top is not None and {"version", "status", "cpu_table"} <= set(replies),
          "tar extracts it, with the driver's replies in dev/tdx_host/",
          t.stderr[-500:], f"replies: {replies}")
    docs = {}
    for cmd, args in (("status", ["status", "--cpus"]), ("check", ["check", "-v"])):
        live_path = os.path.join(d, f"{name}.live-{cmd}.json")
        if not top or not os.path.exists(live_path):
            check(False, f"{cmd}: replay equals the live run", "no bundle or no live document")
            continue
        r = subprocess.run([tdxctl, "--json", f"--sysroot={top}"] + args, capture_output=True, text=True)
        with open(os.path.join(out, f"{name}.replay-{cmd}.json"), "w", encoding="utf-8") as f:
            f.write(r.stdout)
        try:
            rep = strip(json.loads(r.stdout.replace(top, "")))
            live = load(live_path)
            inside = load(os.path.join(top, "tdxctl", f"{cmd}.json"))
        except (ValueError, OSError) as e:
            check(False, f"{cmd}: replay equals the live run", f"{e}", r.stderr[-500:])
            continue
        docs[cmd] = (rep, inside)
        diff = first_diff(rep, live)
        check(diff is None, f"{cmd} {' '.join(args[1:])}: the replay's verdicts equal the guest's live run",
              diff or "", r.stderr[-300:])
    for cmd in ("status", "check"):
        if cmd not in docs:
            check(False, f"{cmd}: replay equals the bundle's tdxctl/{cmd}.json", "not replayed")
            continue
        diff = first_diff(*docs[cmd])
        check(diff is None, f"{cmd}: the replay equals the bundle's tdxctl/{cmd}.json", diff or "")
    return res


def main():
    tdxctl, filesdir = sys.argv[1], sys.argv[2]
    out = os.path.join(filesdir, "replay")
    os.makedirs(out, exist_ok=True)
    for bundle in sorted(glob.glob(os.path.join(filesdir, "*.diag.tar.gz"))):
        res = replay(tdxctl, bundle, out)
        assert len(res) == CHECKS_PER_BUNDLE, res
        for ok, label, diag in res:
            print(("ok - " if ok else "not ok - ") + label)
            if not ok:
                for line in "\n".join(x for x in diag if x).splitlines()[:30]:
                    print("# " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
