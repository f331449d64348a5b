#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""cost.py - what tdxctl costs as hosts grow.

For generated hosts of N CPUs (tests/fixtures/genhost.py, derived from the
tdx-host fixture; N = 4, 64, 1024, 4096 unless given), in one run:

  status    tdxctl --sysroot R status --json --cpus
  lscpu     lscpu --sysroot R -J -e            (the peer, same tree)
  ratio     status / lscpu
  check     tdxctl --sysroot R check
  diag      tdxctl --sysroot R diag -o FILE
  verify    tdxctl diag --verify FILE
  bundle    the bundle's size, and what it extracts to (the sum of its
            members' sizes; du -sb of the tree extracted in $TMPDIR,
            directories included)
  sys/CPU   check's system calls per CPU: (calls at N - calls at 4) / (N - 4),
            counted with strace -f -c (when strace is installed)

Times are the median of several runs, in milliseconds of wall-clock time
and of CPU time (user + system of the child, from wait4()); the ratio is
given for both.  floor is /bin/true, the cost of starting any program
here: "net" is the status/lscpu ratio with the floor taken from both.
The hosts are generated on a tmpfs (/dev/shm, else $TMPDIR), so that
neither command waits on the disk.  It prints a table and the targets
beside it, never pass/fail.

usage: bench/cost.py [--build DIR] [--runs K] [N...]
"""
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)


def run(cmd, out=subprocess.DEVNULL):
    """(wall s, cpu s, exit status) of one run of cmd."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return wall, ru.ru_utime + ru.ru_stime, p.returncode


def measure(cmd, runs, ok=(0,)):
    walls, cpus = [], []
    for _ in range(runs):
        w, c, rc = run(cmd)
        if rc not in ok:
            sys.exit('cost.py: %s exited %d' % (' '.join(cmd), rc))
        walls.append(w)
        cpus.append(c)
    return statistics.median(walls) * 1e3, statistics.median(cpus) * 1e3


def syscalls(cmd, work):
    """Total system calls of one run of cmd (strace -f -c), or None."""
    if not shutil.which('strace'):
        return None
    log = os.path.join(work, 'strace.txt')
    subprocess.run(['strace', '-f', '-c', '-o', log] + cmd,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    with open(log) as f:
        for line in f:
            w = line.split()
            if len(w) >= 4 and w[-1] == 'total':
                return int(w[3])
    return None


def extracted(bundle, work):
    """(sum of member sizes, du -sb of the extracted tree), bytes."""
    with tarfile.open(bundle) as t:
        members = sum(m.size for m in t.getmembers())
    d = tempfile.mkdtemp(prefix='tdxctl-bench-x.')   # $TMPDIR: a disk, as an analyst's
    subprocess.run(['tar', '-xzf', bundle, '-C', d], check=True)
    du = int(subprocess.run(['du', '-sb', d], check=True, capture_output=True,
                            text=True).stdout.split()[0])
    shutil.rmtree(d)
    return members, du


def main():
    args = sys.argv[1:]
    build = os.path.join(TOP, 'build')
    runs = None
    while args and args[0].startswith('--'):
        if args[0] == '--build':
            build = args[1]
        elif args[0] == '--runs':
            runs = int(args[1])
        else:
            sys.exit('usage: bench/cost.py [--build DIR] [--runs K] [N...]')
        args = args[2:]
    sizes = [int(a) for a in args] or [4, 64, 1024, 4096]
    tdxctl = os.path.join(build, 'cli', 'tdxctl')
    if not os.access(tdxctl, os.X_OK):
        sys.exit('cost.py: no %s (ninja -C %s first)' % (tdxctl, build))
    if not shutil.which('lscpu'):
        sys.exit('cost.py: lscpu (util-linux) is needed as the peer')
    shm = '/dev/shm' if os.path.isdir('/dev/shm') and os.access('/dev/shm', os.W_OK) else None
    work = tempfile.mkdtemp(prefix='tdxctl-bench-cost.', dir=shm)
    try:
        rows = []
        base = None
        for n in sizes:
            root = os.path.join(work, 'host%d' % n)
            subprocess.run([sys.executable, os.path.join(TOP, 'tests', 'fixtures', 'genhost.py'),
                            os.path.join(TOP, 'tests', 'fixtures', 'tdx-host'), str(n), root],
                           check=True)
            k = runs or (50 if n <= 64 else 9 if n <= 1024 else 5)
            sr = [tdxctl, '--sysroot', root]
            fl = measure(['/bin/true'], k)
            # status says "driver not loaded" (exit 4): that is this host's answer
            st = measure(sr + ['status', '--json', '--cpus'], k, ok=(0, 4))
            ls = measure(['lscpu', '--sysroot', root, '-J', '-e'], k)
            ck = measure(sr + ['check'], k, ok=(0, 1, 2))
            bundle = os.path.join(work, 'b%d.tar.gz' % n)
            dg = measure(sr + ['diag', '-o', bundle], k, ok=(0, 3))
            vf = measure([tdxctl, 'diag', '--verify', bundle], k)
            gz = os.path.getsize(bundle)
            members, du = extracted(bundle, work)
            calls = syscalls(sr + ['check'], work)
            if n == sizes[0]:
                base = (n, calls)
            per = None
            if calls is not None and base[1] is not None and n > base[0]:
                per = (calls - base[1]) / (n - base[0])
            rows.append((n, fl, st, ls, ck, dg, vf, gz, members, du, per))
            subprocess.run(['rm', '-f', bundle], check=True)
            shutil.rmtree(root)

        print('tdxctl cost on generated hosts (tdx-host fixture); medians, ms wall / ms CPU')
        hdr = ('%6s %11s %15s %15s %11s %5s %15s %15s %15s %8s %9s %9s %7s' %
               ('CPUs', 'floor', 'status --json', 'lscpu -J -e', 'ratio w/c', 'net', 'check', 'diag',
                'diag --verify', 'gz KB', 'files MB', 'du MB', 'sys/CPU'))
        print(hdr)
        for n, fl, st, ls, ck, dg, vf, gz, members, du, per in rows:
            net = (st[0] - fl[0]) / max(ls[0] - fl[0], 1e-3)
            print('%6d %5.1f/%5.1f %7.1f/%7.1f %7.1f/%7.1f %5.2f/%5.2f %5.2f %7.1f/%7.1f %7.1f/%7.1f %7.1f/%7.1f %8.0f %9.2f %9.2f %7s' %
                  (n, fl[0], fl[1], st[0], st[1], ls[0], ls[1], st[0] / ls[0], st[1] / max(ls[1], 1e-3), net,
                   ck[0], ck[1], dg[0], dg[1], vf[0], vf[1], gz / 1024, members / 1e6, du / 1e6,
                   '-' if per is None else '%.1f' % per))
        print('targets: ratio <= 0.5 at every N; diag <= 300 ms and the extracted bundle <= 20 MB '
              'at 4096 CPUs; check <= 10 system calls per CPU; --verify linear (bench/verify-time.sh)')
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
