#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""fuzz.py - tdxctl over damaged --sysroot trees.

usage: fuzz.py TDXCTL SCHEMA_DIR FIXTURES_DIR
env:   TDXCTL_WRAP   command prefix for tdxctl (the valgrind setup sets it)
       FUZZ_JOBS     parallel workers (default 2)
       FUZZ_TIMEOUT  seconds per case (default 10; x6 under valgrind)
       FUZZ_SAMPLE   run 1 case in N (default 1; under valgrind 40, see below)

Across every fixture, each file is in turn truncated, emptied, filled with
garbage, made unreadable, or replaced by a FIFO or a directory, and tdxctl
runs over the tree (check and status, text and JSON, and cpu list).  A case
fails when tdxctl crashes, hangs past the timeout, prints a sanitizer or
valgrind report, exits with a code outside the documented table, prints
JSON that is not one valid (UTF-8, schema-conforming) document, or gives a
pass / "ready" verdict that rests on the evidence the damage removed.

TAP: one check per fixture and kind of damage, then the case count.  The
plan is printed before the first check.

Under valgrind one case in 40 runs (a declared, printed skip): a case costs
about 0.5-1 s there, the full sweep would take more than an hour.
"""
import concurrent.futures
import json
import os
import random
import shlex
import shutil
import subprocess
import sys
import tempfile

KINDS = ('truncated', 'emptied', 'garbage', 'unreadable', 'fifo', 'directory')
# the kinds after which the file holds no evidence at all
MISSING = ('emptied', 'garbage', 'unreadable', 'fifo', 'directory')
RUNS = (
    ('--json', 'check', '-v'),
    ('check',),
    ('--json', 'status', '--cpus'),
    ('status',),
    ('--json', 'cpu', 'list'),
)
MSR_CHECKS = ('cpu.msr_access', 'bios.seamrr.supported', 'bios.seamrr.enabled', 'bios.tme',
              'bios.keyids', 'msr.uniform')
# file -> checks whose pass would rest on it alone
DEPENDS = {
    'proc/cpuinfo': ('env.virtualization', 'cpu.vendor', 'cpu.vmx', 'kernel.tdx_host_platform'),
    'sys/devices/system/cpu/online': MSR_CHECKS,
    'dev/kmsg': ('kernel.log',),
    'sys/module/kvm_intel/parameters/tdx': ('kvm.tdx',),
    'proc/sys/kernel/osrelease': ('kernel.tdx_support',),
}
MIN_CASES = 5000
EXIT_CODES = set(range(0, 9))
REPORTS = ('runtime error', 'AddressSanitizer', 'LeakSanitizer', 'ERROR: Sanitizer')


def tap(ok, n, desc, diag=()):
    print(f'{"ok" if ok else "not ok"} {n} - {desc}')
    for d in list(diag)[:12]:
        for line in str(d).splitlines()[:6]:
            print(f'#   {line}')
    sys.stdout.flush()


def mkroot(fixtures, name, dst):
    r = subprocess.run([sys.executable, os.path.join(fixtures, 'mkroot.py'),
                        os.path.join(fixtures, name), dst], capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError(f'fixture {name} does not build: {r.stderr}')


def files_of(root):
    out = []
    for d, _, fs in os.walk(root):
        for f in fs:
            p = os.path.join(d, f)
            if os.path.isfile(p) and not os.path.islink(p):
                out.append(os.path.relpath(p, root))
    return sorted(f for f in out if f != 'msrs.txt')


def damage(path, kind, rng):
    """Damage path in place; returns a function that restores it."""
    with open(path, 'rb') as f:
        data = f.read()
    st = os.stat(path)

    def restore():
        if os.path.islink(path) or os.path.isfile(path) or stat_is_fifo(path):
            os.unlink(path)
        elif os.path.isdir(path):
            os.rmdir(path)
        with open(path, 'wb') as f:
            f.write(data)
        os.chmod(path, st.st_mode & 0o7777)

    if kind == 'truncated':
        with open(path, 'wb') as f:
            f.write(data[:len(data) // 2])
    elif kind == 'emptied':
        open(path, 'wb').close()
    elif kind == 'garbage':
        n = max(16, len(data)) + rng.randrange(64)
        junk = bytes(rng.choice((rng.randrange(256), rng.randrange(32, 127), 10, 0x1b, 0xff))
                     for _ in range(n))
        with open(path, 'wb') as f:
            f.write(junk)
    elif kind == 'unreadable':
        if os.geteuid():
            os.chmod(path, 0)
        else:   # root reads any mode: a symlink loop is unreadable for root too
            os.unlink(path)
            os.symlink(os.path.basename(path), path)
    elif kind == 'fifo':
        os.unlink(path)
        os.mkfifo(path)
    elif kind == 'directory':
        os.unlink(path)
        os.mkdir(path)
    return restore


def stat_is_fifo(path):
    import stat
    try:
        return stat.S_ISFIFO(os.lstat(path).st_mode)
    except OSError:
        return False


def load_validators(sdir):
    try:
        import jsonschema
    except ImportError:
        return None
    v = {}
    for name in os.listdir(sdir):
        if name.endswith('.json'):
            with open(os.path.join(sdir, name)) as f:
                v[name[:-5]] = jsonschema.Draft202012Validator(json.load(f))
    return v


def judge(args, rel, kind, proc, out, err, validators, fixture_root):
    """Problems of one case, as strings."""
    bad = []
    rc = proc
    if rc is None:
        return ['timed out (hang)']
    if rc < 0 or rc > 128:
        bad.append(f'killed / crashed (status {rc})')
    elif rc in (97, 99):
        bad.append(f'exit {rc}: sanitizer or valgrind report')
    elif rc not in EXIT_CODES:
        bad.append(f'exit {rc}: not in the documented table')
    text = err.decode('utf-8', 'replace')
    if any(r in text for r in REPORTS) or any(line.startswith('==') and '== ' in line
                                             for line in text.splitlines()):
        bad.append('report on stderr: ' + text[:300])
    if '--json' in args:
        try:
            doc = json.loads(out.decode('utf-8'))
        except Exception as e:  # noqa: BLE001 - any failure to decode is the finding
            return bad + [f'stdout is not one valid UTF-8 JSON document: {e}']
        cmd = str(doc.get('command', '')).replace(' ', '-')
        if validators is not None:
            v = validators.get(cmd)
            if v is None:
                bad.append(f'no schema for command {cmd!r}')
            else:
                errs = sorted(v.iter_errors(doc), key=str)
                if errs:
                    bad.append(f'schema: {errs[0].message[:200]}')
        if kind in MISSING:
            must_not = DEPENDS.get(rel, ())
            if rel.startswith('dev/cpu/') and rel.endswith('/msr') and kind != 'garbage':
                must_not = MSR_CHECKS
            if rel == 'proc/cmdline':
                try:
                    with open(os.path.join(fixture_root, 'sys/power/state')) as f:
                        offers_disk = 'disk' in f.read()
                except OSError:
                    offers_disk = True
                if offers_disk:
                    must_not = ('kernel.hibernation',)
            for c in doc.get('checks') or ():
                if c.get('id') in must_not and c.get('status') == 'pass':
                    bad.append(f'{c["id"]} passes on a {kind} {rel}: {c.get("reason")}')
            # without the driver, "ready" rests on the kernel log, or on
            # 7.2's faux device answering its version (module.source sysfs)
            src = (doc.get('module') or {}).get('source')
            if cmd == 'status' and rel == 'dev/kmsg':
                s = str(doc.get('summary') or '')
                if s.startswith('ready') and src != 'sysfs':
                    bad.append(f'status says ready on a {kind} {rel}: {s}')
            if cmd == 'status' and rel == 'sys/devices/faux/tdx_host/version' and src == 'sysfs':
                bad.append(f'status takes the module state from sysfs on a {kind} {rel}')
    return bad


def run_case(tdxctl, wrap, root, args, timeout):
    cmd = wrap + [tdxctl, f'--sysroot={root}'] + list(args)
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        return None, e.stdout or b'', e.stderr or b''


def fuzz_fixture(tdxctl, wrap, fixtures, name, work, validators, timeout, sample, seed):
    """Returns {kind: [problems]} and the number of cases run."""
    root = os.path.join(work, name)
    mkroot(fixtures, name, root)
    rng = random.Random(seed)
    problems = {k: [] for k in KINDS}
    cases = 0
    index = 0
    for rel in files_of(root):
        path = os.path.join(root, rel)
        for kind in KINDS:
            restore = damage(path, kind, rng)
            try:
                for args in RUNS:
                    index += 1
                    if index % sample:
                        continue
                    rc, out, err = run_case(tdxctl, wrap, root, args, timeout)
                    cases += 1
                    for b in judge(args, rel, kind, rc, out, err, validators, root):
                        problems[kind].append(f'{rel} {kind}: tdxctl {" ".join(args)}: {b}')
            finally:
                restore()
    return problems, cases


def main():
    if len(sys.argv) != 4:
        sys.exit('usage: fuzz.py TDXCTL SCHEMA_DIR FIXTURES_DIR')
    tdxctl, sdir, fixtures = sys.argv[1:]
    wrap = shlex.split(os.environ.get('TDXCTL_WRAP', ''))
    under_valgrind = any('valgrind' in w for w in wrap)
    sample = int(os.environ.get('FUZZ_SAMPLE', '40' if under_valgrind else '1'))
    timeout = float(os.environ.get('FUZZ_TIMEOUT', '10')) * (6 if under_valgrind else 1)
    jobs = int(os.environ.get('FUZZ_JOBS', '2'))
    names = sorted(d for d in os.listdir(fixtures) if os.path.isdir(os.path.join(fixtures, d)))
    plan = len(names) * len(KINDS) + 2
    print('TAP version 13')
    print(f'1..{plan}')
    sys.stdout.flush()
    validators = load_validators(sdir)
    n = 0
    failed = 0
    total = 0
    work = tempfile.mkdtemp(prefix='tdxctl-fuzz.')
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
            futs = {name: ex.submit(fuzz_fixture, tdxctl, wrap, fixtures, name, work, validators,
                                    timeout, sample, i)
                    for i, name in enumerate(names)}
            for name in names:
                try:
                    problems, cases = futs[name].result()
                except Exception as e:  # noqa: BLE001 - reported as failures below
                    problems, cases = {k: [f'harness error: {e}'] for k in KINDS}, 0
                total += cases
                for kind in KINDS:
                    n += 1
                    p = problems[kind]
                    failed += bool(p)
                    tap(not p, n, f'{name}: every file {kind}: no crash, hang, report, bad JSON '
                        f'or verdict without evidence' + (f' ({len(p)} findings)' if p else ''), p)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    n += 1
    failed += validators is None
    tap(validators is not None, n, 'JSON documents validated against the schemas'
        + ('' if validators is not None else ' (python3-jsonschema missing)'))
    n += 1
    if sample > 1:
        why = ('under valgrind: the full sweep would take over an hour there' if under_valgrind
               else 'FUZZ_SAMPLE is set')
        print(f'ok {n} - {total} cases run # SKIP 1 case in {sample} of about {total * sample}, {why}')
    else:
        failed += total < MIN_CASES
        tap(total >= MIN_CASES, n, f'{total} cases run (at least {MIN_CASES})')
    return 0 if n == plan and not failed else 1


if __name__ == '__main__':
    sys.exit(main())
