#!/usr/bin/env python3
"""Hot-add vCPUs or memory into a running test guest on request.

usage: qmp-hotadd.py QMP_SOCKET RESULT_FILE
The guest asks by writing "HOTADD-REQUEST" to its result port (the file
RESULT_FILE here); for each request this plugs the first empty CPU slot
with QMP device_add and answers nothing: the guest watches sysfs.
"HOTADD-MEM-REQUEST MIB" plugs a DIMM of MIB MiB (a sparse
memory-backend-ram and a pc-dimm; the guest was booted with maxmem=).
Exits when the guest reports HARNESS-RESULT or QEMU goes away.
"""
import json
import socket
import sys
import time


class QMP:
    def __init__(self, path):
        for _ in range(100):
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit(f"qmp-hotadd: cannot connect to {path}")
        self.f = self.sock.makefile("rw")
        json.loads(self.f.readline())  # greeting
        self.cmd("qmp_capabilities")

    def cmd(self, name, **args):
        self.f.write(json.dumps({"execute": name, "arguments": args}) + "\n")
        self.f.flush()
        while True:
            msg = json.loads(self.f.readline())
            if "return" in msg or "error" in msg:
                return msg


def add_dimm(qmp, n, mib):
    r = qmp.cmd("object-add", **{"qom-type": "memory-backend-ram", "id": f"hotmem{n}",
                                 "size": mib << 20, "reserve": False})
    if "error" in r:
        print(f"qmp-hotadd: object-add failed: {r['error']}", file=sys.stderr)
        return
    r = qmp.cmd("device_add", driver="pc-dimm", id=f"dimm{n}", memdev=f"hotmem{n}")
    if "error" in r:
        print(f"qmp-hotadd: device_add pc-dimm failed: {r['error']}", file=sys.stderr)


def main():
    qmp = QMP(sys.argv[1])
    seen = 0
    seen_mem = 0
    while True:
        try:
            with open(sys.argv[2], encoding="utf-8", errors="replace") as f:
                lines = f.read().splitlines()
        except OSError:
            lines = []
        requests = sum(1 for l in lines if l.strip() == "HOTADD-REQUEST")
        while seen < requests:
            seen += 1
            slots = qmp.cmd("query-hotpluggable-cpus")["return"]
            free = [s for s in slots if "qom-path" not in s]
            if not free:
                print("qmp-hotadd: no free CPU slot", file=sys.stderr)
                continue
            slot = sorted(free, key=lambda s: sorted(s["props"].items()))[0]
            r = qmp.cmd("device_add", driver=slot["type"], id=f"hotcpu{seen}", **slot["props"])
            if "error" in r:
                print(f"qmp-hotadd: device_add failed: {r['error']}", file=sys.stderr)
        mem = [l.split() for l in lines if l.startswith("HOTADD-MEM-REQUEST ")]
        while seen_mem < len(mem):
            req = mem[seen_mem]
            seen_mem += 1
            if len(req) == 2 and req[1].isdigit():
                add_dimm(qmp, seen_mem, int(req[1]))
            else:
                print(f"qmp-hotadd: bad request {' '.join(req)}", file=sys.stderr)
        if any(l.startswith("HARNESS-RESULT") for l in lines):
            return
        time.sleep(0.2)


if __name__ == "__main__":
    try:
        main()
    except (OSError, ValueError, BrokenPipeError):
        pass  # QEMU exited
