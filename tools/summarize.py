#!/usr/bin/env python3
"""Count test results over meson JSON test logs, TAP subtests included.

usage: summarize.py [--fail WHAT]... SUITE=LOG[,RC=N][,LIST=FILE] ...
  WHAT   a step that failed before or between the suites (a build, a
         kernel that could not be prepared): counted as one failure
  SUITE  a name for the run (unit, unit-valgrind, vm-6.1, ...)
  LOG    its meson JSON test log
  RC     the exit status of its `meson test` (a non-zero one that no
         failure in the log explains is a failure of its own)
  LIST   a file with the output of `meson test --list` for the same
         selection: every test named there must appear in the log

Prints one line per suite with its counts, what it skipped and why, what
failed, and last the plain line "N passed, N failed, N skipped".

Rules: every TAP subtest counts; a test without TAP counts once.  A missing
or empty log, a suite that ran nothing, a listed test that did not run,
and a TAP test that meson judged failed (bad plan, crash, timeout) are
failures, each named.  "# SKIP" counts as skipped, with its reason.  A
"not ok ... # TODO" is a failure, except the vm harness's own hung-boot
line (a boot that hung before its tests started and was booted again),
which counts as skipped and is reported with how often it fired.
Exit status 1 if anything failed or nothing passed.
"""
import json
import re
import sys

TAP = re.compile(r"^(not ok|ok)\b\s*\d*\s*(?:-\s*)?(.*)$")
PLAN_SKIP = re.compile(r"^1\.\.0\s*#\s*skip\S*\s*(.*)$", re.I)
OK_RESULTS = {"OK", "EXPECTEDFAIL"}
HUNG_BOOT = re.compile(r"first boot reached the tests within \d+s # TODO QEMU TCG hang")


class Suite:
    def __init__(self, name):
        self.name = name
        self.passed = self.failed = self.skipped = self.tests = 0
        self.failures = []
        self.skips = []
        self.hung = []

    def fail(self, what):
        self.failed += 1
        self.failures.append(what)


def test_name(raw):
    # "project:suite / name" (meson test --list) -> "name"
    return raw.split(" / ", 1)[-1].strip()


def count_test(s, t):
    name = test_name(t.get("name", "?"))
    p = fl = sk = 0
    for out in (t.get("stdout") or "").splitlines():
        m = PLAN_SKIP.match(out)
        if m:
            sk += 1
            s.skips.append(f"{name}: {m.group(1) or 'no reason given'}")
            continue
        m = TAP.match(out)
        if not m:
            continue
        verdict, rest = m.group(1), m.group(2)
        if re.search(r"#\s*skip", rest, re.I):
            sk += 1
            s.skips.append(f"{name}: {rest}")
        elif verdict == "not ok" and HUNG_BOOT.search(rest):
            sk += 1
            s.hung.append(f"{name}: {rest}")
        elif verdict == "ok":
            p += 1
        else:
            fl += 1
            s.failures.append(f"{name}: {out}")
    result = t.get("result")
    if p + fl + sk == 0:
        # not a TAP test, or one that printed nothing: it counts once
        if result in OK_RESULTS:
            p = 1
        elif result == "SKIP":
            # meson calls a TAP test that ran nothing and exited 0 a skip;
            # only "1..0 # SKIP reason" is one
            fl = 1
            s.failures.append(f"{name}: ran no test and gave no reason to skip")
        else:
            fl = 1
            err = (t.get("stderr") or "").strip().splitlines()
            s.failures.append(f"{name}: {result}, exit status {t.get('returncode')}, "
                              "no TAP output" + (f": {err[0][:200]}" if err else ""))
    if result not in OK_RESULTS and result != "SKIP":
        # the test's own words on why: "Bail out!" and "# planned N, ran M"
        for out in (t.get("stdout") or "").splitlines():
            if out.startswith("Bail out!") or re.match(r"#\s*planned \d+", out):
                s.failures.append(f"{name}: {out}")
    if result not in OK_RESULTS and result != "SKIP" and fl == 0:
        # every subtest said ok, yet the test failed (crash, plan, timeout)
        fl = 1
        s.failures.append(f"{name}: {result} (exit status {t.get('returncode')}, "
                          "though every subtest it printed passed)")
    s.passed += p
    s.failed += fl
    s.skipped += sk


def summarize(spec):
    name, _, rest = spec.partition("=")
    fields = rest.split(",")
    path = fields[0]
    opts = dict(f.split("=", 1) for f in fields[1:] if "=" in f)
    s = Suite(name)
    seen = set()
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = [ln for ln in f if ln.strip()]
    except OSError as e:
        s.fail(f"its log {path} cannot be read: {e.strerror}")
        lines = []
    else:
        if not lines:
            s.fail(f"its log {path} is empty: no test ran")
    for ln in lines:
        try:
            t = json.loads(ln)
        except ValueError:
            s.fail(f"a line of {path} is not JSON")
            continue
        s.tests += 1
        seen.add(test_name(t.get("name", "?")))
        count_test(s, t)
    if "LIST" in opts:
        try:
            with open(opts["LIST"], encoding="utf-8") as f:
                # test lines read "project:suite / name"; skip ninja's chatter
                want = [test_name(x) for x in f if " / " in x]
        except OSError as e:
            want = []
            s.fail(f"its test list {opts['LIST']} cannot be read: {e.strerror}")
        if not want and "LIST" in opts:
            s.fail(f"meson lists no test for it: the suite was not registered")
        for w in want:
            if w not in seen:
                s.fail(f"{w} did not run")
    rc = opts.get("RC", "0")
    if rc != "0" and s.failed == 0:
        s.fail(f"meson test exited {rc} with no failing test in its log")
    if s.passed == 0 and s.failed == 0:
        s.fail("nothing passed")
    return s


def main():
    if len(sys.argv) < 2:
        print("usage: summarize.py [--fail WHAT]... SUITE=LOG[,RC=N][,LIST=FILE] ...",
              file=sys.stderr)
        return 2
    args = sys.argv[1:]
    extra = Suite("harness")
    specs = []
    while args:
        a = args.pop(0)
        if a == "--fail" and args:
            extra.fail(args.pop(0))
        else:
            specs.append(a)
    suites = [summarize(a) for a in specs]
    if extra.failed:
        suites.append(extra)
    tp = tf = ts = 0
    for s in suites:
        print(f"# {s.name}: {s.passed} passed, {s.failed} failed, {s.skipped} skipped "
              f"({s.tests} tests)")
        tp += s.passed
        tf += s.failed
        ts += s.skipped
    hung = [h for s in suites for h in s.hung]
    print(f"# hung-boot retries: {len(hung)}")
    for h in hung:
        print(f"#   {h}")
    for s in suites:
        for x in s.skips:
            print(f"# SKIPPED {s.name}: {x}")
    for s in suites:
        for x in s.failures:
            print(f"# FAILED {s.name}: {x}")
    print(f"{tp} passed, {tf} failed, {ts} skipped")
    return 1 if tf or tp == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
