#!/usr/bin/env python3
"""Count test results over meson JSON test logs, TAP subtests included.

usage: summarize.py LOG.json...
Prints one line per log with its counts, a list of what failed, and last
the plain line "N passed, N failed, N skipped".  Exit status 1 if anything
failed or no test ran.
"""
import json
import re
import sys

TAP = re.compile(r"^(not ok|ok)\b(.*)$")
OK_RESULTS = {"OK", "EXPECTEDFAIL"}


def count(path):
    passed = failed = skipped = 0
    failures = []
    notes = []
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        return 0, 1, 0, [f"{path}: {e.strerror}"], []
    with f:
        for line in f:
            t = json.loads(line)
            p = fl = s = 0
            for out in (t.get("stdout") or "").splitlines():
                m = TAP.match(out)
                if not m:
                    continue
                directive = m.group(2)
                if re.search(r"#\s*(skip|todo)", directive, re.I):
                    # TAP: a skipped check, or a "not ok # TODO" that is
                    # reported but not a failure (a retried hung boot)
                    s += 1
                    if m.group(1) == "not ok":
                        notes.append(f"{t['name']}: {out}")
                elif m.group(1) == "ok":
                    p += 1
                else:
                    fl += 1
                    failures.append(f"{t['name']}: {out}")
            if p + fl + s == 0:
                # not a TAP test (or it printed nothing): its result counts once
                if t["result"] in OK_RESULTS:
                    p = 1
                elif t["result"] == "SKIP":
                    s = 1
                else:
                    fl = 1
                    failures.append(f"{t['name']}: {t['result']}")
            elif t["result"] not in OK_RESULTS and t["result"] != "SKIP" and fl == 0:
                # TAP said ok but the test itself failed (crash, bad plan, timeout)
                fl += 1
                failures.append(f"{t['name']}: {t['result']}")
            passed += p
            failed += fl
            skipped += s
    return passed, failed, skipped, failures, notes


def main():
    tp = tf = ts = 0
    allfail = []
    allnotes = []
    for path in sys.argv[1:]:
        p, f, s, fails, notes = count(path)
        allnotes += notes
        print(f"# {path}: {p} passed, {f} failed, {s} skipped")
        tp += p
        tf += f
        ts += s
        allfail += fails
    for x in allnotes:
        print(f"# TODO {x}")
    for x in allfail:
        print(f"# FAILED {x}")
    print(f"{tp} passed, {tf} failed, {ts} skipped")
    return 1 if tf or tp == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
