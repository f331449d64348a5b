#!/usr/bin/env python3
"""List the guest boots of the vm suite.

Cases in cases/ declare the guest they need in header comments:
    # vm: smp=4 mem=1024 numa=2 sockets=2 maxcpus=8 maxmem=4096 tdxhost=1 boot=2
    # vm-lines: 6.1 debug
    # vm-timeout: 120
Cases with the same vm: values share one boot, in file-name order.
A case without vm-lines runs on every line but the narrow ones (NARROW):
those run only the cases that name them.
Prints one boot per line: NAME<TAB>SPEC<TAB>CASES<TAB>TIMEOUT
(SPEC as key=value,...; CASES comma-separated).
Usage: groups.py CASEDIR [LINE [DEFAULT_SMP]]
       groups.py --expect REGISTERED CASEDIR [LINE [DEFAULT_SMP]]
With --expect, prints TAP: one check that REGISTERED (the boots meson
registered when it was configured) still equals what cases/ holds now, so
a case added or changed since is never silently left out.
"""
import os
import re
import sys

DEFAULTS = {"smp": "4", "mem": "1024"}
# tdxhost=1: the kernel is told a KeyID partitioning (tdx_test_keyids=, the
# test-only patch of tests/kernel/), so it finds a TDX platform; boot=N
# only keeps a case in a boot of its own (the kernel's TDX state is once
# per boot); keyids=N (with tdxhost=1): N TDX KeyIDs instead of 48
KEYS = ("smp", "mem", "numa", "sockets", "maxcpus", "maxmem", "tdxhost", "keyids", "boot")
CASE_TIMEOUT = 90
# Lines that exist for one job, not for the whole suite: tdx-6.18 is the
# kernel that tells what it knows of its TDX module (tdx_get_sysinfo()).
NARROW = {"tdx-6.18"}


def parse(path):
    spec = dict(DEFAULTS)
    lines = None
    timeout = CASE_TIMEOUT
    with open(path, encoding="utf-8") as f:
        for raw in f:
            m = re.match(r"#\s*vm:\s*(.*)$", raw)
            if m:
                for tok in m.group(1).split():
                    k, _, v = tok.partition("=")
                    if k not in KEYS or not v.isdigit():
                        sys.exit(f"{path}: bad vm: token '{tok}' (keys: {', '.join(KEYS)})")
                    spec[k] = v
            m = re.match(r"#\s*vm-lines:\s*(.*)$", raw)
            if m:
                lines = m.group(1).split()
            m = re.match(r"#\s*vm-timeout:\s*(\d+)\s*$", raw)
            if m:
                timeout = int(m.group(1))
    return spec, lines, timeout


def main():
    args = sys.argv[1:]
    expect = None
    if args[:1] == ["--expect"]:
        expect = args[1]
        args = args[2:]
    casedir = args[0]
    line = args[1] if len(args) > 1 else ""
    if len(args) > 2:
        DEFAULTS["smp"] = args[2]
    groups = {}
    for name in sorted(os.listdir(casedir)):
        if not name.endswith(".sh"):
            continue
        spec, lines, timeout = parse(os.path.join(casedir, name))
        if line and lines is not None and line not in lines:
            continue
        if line in NARROW and lines is None:
            continue
        key = tuple(sorted(spec.items()))
        g = groups.setdefault(key, {"cases": [], "timeout": 0})
        g["cases"].append(name[:-3])
        g["timeout"] += timeout
    out = []
    for key, g in groups.items():
        spec = dict(key)
        gname = "smp%s-mem%s" % (spec["smp"], spec["mem"])
        if "numa" in spec:
            gname += "-numa" + spec["numa"]
        if "sockets" in spec:
            gname += "-sock" + spec["sockets"]
        if "maxcpus" in spec:
            gname += "-max" + spec["maxcpus"]
        if "maxmem" in spec:
            gname += "-maxmem" + spec["maxmem"]
        if "tdxhost" in spec:
            gname += "-tdxhost"
        if "keyids" in spec:
            gname += "-keyids" + spec["keyids"]
        if "boot" in spec:
            gname += "-boot" + spec["boot"]
        out.append("\t".join([gname, ",".join("%s=%s" % kv for kv in key),
                              ",".join(g["cases"]), str(g["timeout"])]))
    if expect is None:
        print("\n".join(out))
        return 0
    now = "\n".join(out).strip()
    ncases = sum(len(g["cases"]) for g in groups.values())
    print("1..1")
    if now == expect.strip():
        print(f"ok 1 - the boots meson registered are the cases in {casedir} ({ncases} cases)")
        return 0
    print(f"not ok 1 - the boots meson registered are the cases in {casedir}: "
          "they changed since meson was configured (meson setup --reconfigure)")
    for ln in now.splitlines():
        print(f"#   now:        {ln}")
    for ln in expect.strip().splitlines():
        print(f"#   registered: {ln}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
