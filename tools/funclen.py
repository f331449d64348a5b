#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Function length: no function of the given C files is longer than MAX
lines (its body, from the opening brace in column 0 to the closing one).
A function that grows past it is a sign that it decides more than one
thing; split it.  TAP, one test per file.

usage: funclen.py [--max N] FILE...
"""
import re
import sys


def functions(path):
    """(name, first line, length) of each function defined in path."""
    lines = open(path, encoding='utf-8').read().split('\n')
    i = 0
    while i < len(lines):
        if lines[i].startswith('{') and i > 0:
            j = i - 1
            while j > 0 and '(' not in lines[j]:
                j -= 1
            m = re.search(r'(\w+)\s*\(', lines[j])
            name = m.group(1) if m else lines[j].strip()
            k = i + 1
            while k < len(lines) and not lines[k].startswith('}'):
                k += 1
            if k == len(lines):
                raise ValueError('%s:%d: no closing brace in column 0' % (path, i + 1))
            yield name, j + 1, k - i + 1
            i = k
        i += 1


def main():
    args = sys.argv[1:]
    limit = 150
    if args[:1] == ['--max']:
        limit = int(args[1])
        args = args[2:]
    if not args:
        print('Bail out! no files given')
        return 1
    print('TAP version 13')
    print('1..%d' % len(args))
    bad = 0
    for n, path in enumerate(args, 1):
        try:
            fns = list(functions(path))
        except (OSError, ValueError) as e:
            print('not ok %d - %s # %s' % (n, path, e))
            bad += 1
            continue
        long = [f for f in fns if f[2] > limit]
        if not fns:
            print('not ok %d - %s # no function found' % (n, path))
            bad += 1
        elif long:
            print('not ok %d - %s' % (n, path))
            for name, line, length in long:
                print('#   %s:%d %s(): %d lines (max %d)' % (path, line, name, length, limit))
            bad += 1
        else:
            print('ok %d - %s: %d functions, longest %d lines' %
                  (n, path, len(fns), max(f[2] for f in fns)))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
