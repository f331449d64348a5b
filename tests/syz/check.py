#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""check.py - the syzkaller description of tdxctl.ko, checked.

usage: check.py [--uapi DIR] [--no-self-test] [FILE]
env:   CC   the C compiler (default cc)

FILE (default: tdx_host.txt next to this script) is parsed as syzlang,
the subset of syzkaller's description language it uses: include, meta,
resource, type aliases and templates, flag and string sets, syscalls,
structs { } and unions [ ] with their attributes.  Malformed input is
rejected with FILE:LINE: unbalanced brackets, names that are neither
defined in the file nor syzkaller built-ins the file may use, duplicate
definitions, definitions nobody uses, a syscall returning something that
is not a resource, a resource never produced or never consumed.

Then against the uapi headers (DIR/linux/*.h, default include/uapi of
the source tree), through a C program compiled with $CC that includes
them: every constant the description names exists; every struct of the
headers is described under its own name with the size and field offsets
sizeof() and offsetof() give, laid out as syzkaller does for amd64 and
for 386 (4-byte pointers, int64 aligned to 4: the compat layout);
every ioctl, netlink command and attribute, flag and enum value the
headers define is described.

The self-tests feed broken copies of FILE to the same checks and pass
when each is rejected with the expected message.  Output is TAP; the
exit status is 1 when a check fails, 2 on a usage error.
"""

import os
import re
import shlex
import subprocess
import sys
import tempfile

# ---- syzkaller built-ins this description may use ----

INT_TYPES = {'int8': 1, 'int16': 2, 'int32': 4, 'int64': 8, 'intptr': 8,
             'int16be': 2, 'int32be': 4, 'int64be': 8}
# name -> (min args, max args)
BUILTIN_TYPES = {
    'const': (1, 2), 'flags': (1, 2), 'array': (1, 2), 'ptr': (2, 3),
    'ptr64': (2, 3), 'len': (1, 2), 'bytesize': (1, 2),
    'bytesize2': (1, 2), 'bytesize4': (1, 2), 'bytesize8': (1, 2),
    'bitsize': (1, 2), 'offsetof': (1, 2), 'string': (0, 2),
    'stringnoz': (0, 2), 'void': (0, 0),
}
# resources of syzkaller's sys/linux: name -> base
BUILTIN_RESOURCES = {'fd': 'int32', 'sock_nl_generic': 'fd'}
# templates of syzkaller's sys/linux: name -> kinds of their arguments
# ('t' a type, 'v' a value)
BUILTIN_TEMPLATES = {
    'msghdr_netlink': 't',
    'netlink_msg_t': 'ttt',
    'nlattr': 'vt',
    'nlnest': 'vt',
    'genlmsghdr_t': 'v',
}
BUILTIN_FLAGS = {'open_flags', 'send_flags'}
BUILTIN_CONSTS = {'AT_FDCWD', 'SOL_NETLINK', 'NETLINK_ADD_MEMBERSHIP'}
SYSCALLS = {'openat', 'ioctl', 'sendmsg', 'setsockopt',
            'syz_genetlink_get_family_id'}
SYSCALL_ATTRS = {'disabled', 'timeout', 'prog_timeout', 'ignore_return',
                 'breaks_returns', 'no_generate', 'no_minimize',
                 'no_squash', 'automatic_helper', 'remote_cover'}
STRUCT_ATTRS = {'packed', 'align', 'size'}
UNION_ATTRS = {'varlen', 'size'}
FIELD_ATTRS = {'in', 'out', 'inout', 'out_overlay'}
DIRECTIONS = {'in', 'out', 'inout'}
LEN_TYPES = {'len', 'bytesize', 'bytesize2', 'bytesize4', 'bytesize8',
             'bitsize', 'offsetof'}

# Values of the headers no description refers to, and why.
NOT_DESCRIBED = {
    'TDX_HOST_IOCTL_TYPE': 'the type byte of the ioctl numbers',
    'TDX_HOST_ABI_VERSION': 'what VERSION returns, never an input',
    'TDX_HOST_STEP_NR': 'the number of steps, not a step',
    'TDX_HOST_FAMILY_VERSION': 'requests carry genlmsghdr version 0',
    'TDX_HOST_FAMILY_NAME': 'checked as the family name string',
    'TDX_HOST_MCGRP_EVENTS': 'group ids are dynamic: joined by id',
}


class SyzError(Exception):
    """A malformed description: FILE:LINE: message."""


class Node:
    """A type expression: an identifier, an integer or a string, with
    optional [arguments]; a range lo:hi; a bitfield intN:bits."""

    def __init__(self, kind, value, line, args=None):
        self.kind = kind        # 'ident', 'int', 'str', 'range'
        self.value = value
        self.line = line
        self.args = args        # list of Node, or None without [ ]
        self.bits = None        # intN:bits
        self.hi = None          # range: value is lo, hi the upper bound

    def __repr__(self):
        s = str(self.value)
        if self.kind == 'range':
            s = '%s:%s' % (self.value, self.hi)
        if self.bits is not None:
            s += ':%d' % self.bits
        if self.args is not None:
            s += '[' + ', '.join(map(repr, self.args)) + ']'
        return s

    def subst(self, env):
        if self.kind == 'ident' and self.args is None and self.bits is None \
                and self.value in env:
            return env[self.value]
        n = Node(self.kind, self.value, self.line)
        n.bits, n.hi = self.bits, self.hi
        if self.args is not None:
            n.args = [a.subst(env) for a in self.args]
        return n

    def idents(self):
        if self.kind == 'ident':
            yield self.value
        if self.kind == 'range':
            for v in (self.value, self.hi):
                if isinstance(v, str):
                    yield v
        for a in self.args or []:
            yield from a.idents()


# ---- tokens ----

TOKEN_RE = re.compile(r'''
    (?P<space>[ \t\r]+)
  | (?P<comment>\#[^\n]*)
  | (?P<nl>\n)
  | (?P<int>-?0x[0-9a-fA-F]+|-?[0-9]+|'.')
  | (?P<ident>[A-Za-z_][A-Za-z0-9_$]*)
  | (?P<str>"[^"\n]*"|`[0-9a-fA-F]*`)
  | (?P<path><[^<>\n]+>)
  | (?P<punct>[\[\](){},:=])
''', re.X)

OPENERS = {'[': ']', '(': ')', '{': '}'}
CLOSERS = {v: k for k, v in OPENERS.items()}


def tokenize(text, fname):
    """Tokens (kind, value, line); brackets balanced or SyzError."""
    toks = []
    stack = []      # (opener, line, spans lines)
    line, pos = 1, 0
    while pos < len(text):
        m = TOKEN_RE.match(text, pos)
        if not m:
            raise SyzError('%s:%d: unexpected character %r'
                           % (fname, line, text[pos]))
        kind, val = m.lastgroup, m.group()
        pos = m.end()
        if kind == 'comment' and re.match(r'#\s*(include|incdir|define)',
                                          val):
            raise SyzError('%s:%d: a comment that reads as a directive '
                           '(syzkaller rejects it): rephrase' % (fname, line))
        if kind in ('space', 'comment'):
            continue
        if kind == 'nl':
            # a ( or an argument [ closes on its own line; a struct's {
            # and a union's [ end theirs and span lines
            if toks and toks[-1][0] == 'punct' and toks[-1][1] in OPENERS:
                stack[-1] = (stack[-1][0], stack[-1][1], True)
            for op, oline, block in stack:
                if not block:
                    raise SyzError('%s:%d: unbalanced bracket: %r is not '
                                   'closed on its line' % (fname, oline, op))
            toks.append(('nl', val, line))
            line += 1
            continue
        if kind == 'path' and not (toks and toks[-1][0] == 'ident'
                                   and toks[-1][1] in ('include', 'incdir')):
            raise SyzError('%s:%d: unexpected %r' % (fname, line, val))
        if kind == 'punct' and val in OPENERS:
            stack.append((val, line, False))
        elif kind == 'punct' and val in CLOSERS:
            if not stack:
                raise SyzError('%s:%d: unbalanced bracket: %r closes '
                               'nothing' % (fname, line, val))
            op, oline, block = stack.pop()
            # a struct's } and a union's ] start their line
            if block and toks[-1][0] != 'nl':
                raise SyzError('%s:%d: unbalanced bracket: %r has no opener '
                               'on its line' % (fname, line, val))
            if OPENERS[op] != val:
                raise SyzError('%s:%d: unbalanced bracket: %r does not '
                               'close %r (line %d)'
                               % (fname, line, val, op, oline))
        toks.append((kind, val, line))
    if stack:
        op, oline, _ = stack[-1]
        raise SyzError('%s:%d: unbalanced bracket: %r is never closed'
                       % (fname, oline, op))
    toks.append(('nl', '\n', line))
    toks.append(('eof', '', line))
    return toks


# ---- parser ----

class Decl:
    def __init__(self, what, name, line, **kw):
        # include, meta, resource, type, flags, syscall, struct, union
        self.what = what
        self.name = name
        self.line = line
        self.__dict__.update(kw)


class Parser:
    def __init__(self, text, fname):
        self.fname = fname
        self.toks = tokenize(text, fname)
        self.i = 0

    def peek(self, k=0):
        return self.toks[self.i + k]

    def next(self):
        t = self.toks[self.i]
        self.i += 1
        return t

    def err(self, msg, line=None):
        return SyzError('%s:%d: %s' % (self.fname,
                                       line or self.peek()[2], msg))

    def expect(self, kind, val=None):
        t = self.next()
        if t[0] != kind or (val is not None and t[1] != val):
            want = repr(val) if val else kind
            got = 'end of line' if t[0] == 'nl' else repr(t[1])
            raise SyzError('%s:%d: expected %s, found %s'
                           % (self.fname, t[2], want, got))
        return t

    def at(self, kind, val=None):
        t = self.peek()
        return t[0] == kind and (val is None or t[1] == val)

    def skip_nl(self):
        while self.at('nl'):
            self.next()

    def parse(self):
        decls = []
        self.skip_nl()
        while not self.at('eof'):
            decls.append(self.decl())
            self.expect('nl')
            self.skip_nl()
        return decls

    def decl(self):
        t = self.expect('ident')
        name, line = t[1], t[2]
        if name in ('include', 'incdir'):
            p = self.expect('path')
            return Decl('include', p[1][1:-1], line, directive=name)
        if name == 'define':
            raise self.err('define is outside the syzlang this checker '
                           'reads: name the header\'s constant', line)
        if name == 'meta':
            return Decl('meta', self.typ().value, line)
        if name == 'resource':
            n = self.expect('ident')
            self.expect('punct', '[')
            base = self.typ()
            self.expect('punct', ']')
            vals = []
            if self.at('punct', ':'):
                self.next()
                vals = self.values()
            return Decl('resource', n[1], line, base=base, values=vals)
        if name == 'type':
            n = self.expect('ident')
            params = None
            if self.at('punct', '[') and not self.at_union_body():
                self.next()
                params = [self.expect('ident')[1]]
                while self.at('punct', ','):
                    self.next()
                    params.append(self.expect('ident')[1])
                self.expect('punct', ']')
            if self.at('punct', '{') or self.at_union_body():
                body = self.compound(n[1], n[2])
            else:
                body = self.typ()
            return Decl('type', n[1], line, params=params, body=body)
        if self.at('punct', '='):
            self.next()
            vals = self.values()
            return Decl('flags', name, line, values=vals)
        if self.at('punct', '('):
            return self.syscall(name, line)
        if self.at('punct', '{') or self.at_union_body():
            return self.compound(name, line)
        raise self.err('expected a syscall, struct, union, flag set or '
                       'directive after %r' % name)

    def at_union_body(self):
        return self.at('punct', '[') and self.peek(1)[0] == 'nl'

    def values(self):
        vals = [self.value()]
        while self.at('punct', ','):
            self.next()
            vals.append(self.value())
        kinds = {v.kind for v in vals}
        if 'str' in kinds and kinds != {'str'}:
            raise self.err('a set mixes strings and integers', vals[0].line)
        return vals

    def value(self):
        t = self.next()
        if t[0] == 'int':
            return Node('int', parse_int(t[1]), t[2])
        if t[0] in ('ident', 'str'):
            return Node(t[0], t[1], t[2])
        raise SyzError('%s:%d: expected a value, found %r'
                       % (self.fname, t[2], t[1]))

    def typ(self):
        """type = atom [':' atom] ['[' arg {',' arg} ']']"""
        t = self.next()
        if t[0] == 'int':
            n = Node('int', parse_int(t[1]), t[2])
        elif t[0] == 'str':
            n = Node('str', t[1], t[2])
        elif t[0] == 'ident':
            n = Node('ident', t[1], t[2])
        else:
            got = 'end of line' if t[0] == 'nl' else repr(t[1])
            raise SyzError('%s:%d: expected a type or value, found %s'
                           % (self.fname, t[2], got))
        if self.at('punct', ':'):
            self.next()
            hi = self.next()
            if hi[0] not in ('int', 'ident'):
                raise SyzError('%s:%d: bad range or bitfield after %r'
                               % (self.fname, hi[2], n.value))
            hv = parse_int(hi[1]) if hi[0] == 'int' else hi[1]
            if n.kind == 'ident' and n.value in INT_TYPES:
                if hi[0] != 'int':
                    raise SyzError('%s:%d: bitfield width must be an '
                                   'integer' % (self.fname, hi[2]))
                n.bits = hv
            else:
                n = Node('range', n.value, n.line)
                n.hi = hv
        if self.at('punct', '[') and not self.at_union_body():
            self.next()
            n.args = [self.typ()]
            while self.at('punct', ','):
                self.next()
                n.args.append(self.typ())
            self.expect('punct', ']')
        return n

    def syscall(self, name, line):
        self.expect('punct', '(')
        args = []
        if not self.at('punct', ')'):
            while True:
                a = self.expect('ident')
                args.append((a[1], self.typ(), a[2]))
                if not self.at('punct', ','):
                    break
                self.next()
        self.expect('punct', ')')
        ret = None
        if self.at('ident'):
            ret = self.typ()
        attrs = []
        if self.at('punct', '('):
            attrs = self.attr_list('(', ')')
        return Decl('syscall', name, line, args=args, ret=ret, attrs=attrs)

    def attr_list(self, op, cl):
        self.expect('punct', op)
        attrs = [self.typ()]
        while self.at('punct', ','):
            self.next()
            attrs.append(self.typ())
        self.expect('punct', cl)
        return attrs

    def compound(self, name, line):
        union = self.at('punct', '[')
        close = ']' if union else '}'
        self.next()
        fields = []
        while True:
            self.skip_nl()
            if self.at('punct', close):
                self.next()
                break
            f = self.expect('ident')
            ft = self.typ()
            fattrs = []
            if self.at('punct', '('):
                fattrs = self.attr_list('(', ')')
            self.expect('nl')
            fields.append((f[1], ft, fattrs, f[2]))
        attrs = []
        if self.at('punct', '['):
            attrs = self.attr_list('[', ']')
        return Decl('union' if union else 'struct', name, line,
                    fields=fields, attrs=attrs)


def parse_int(s):
    if s.startswith("'"):
        return ord(s[1])
    return int(s, 0)


# ---- names ----

class Checker:
    """Resolves every name of a parsed description."""

    def __init__(self, decls, fname):
        self.fname = fname
        self.errors = []
        self.defs = {}          # name -> Decl (types, flags, resources)
        self.syscalls = {}
        self.used = set()
        self.consts = {}        # constant name -> first line
        self.produced, self.consumed = set(), set()
        self.decls = decls
        for d in decls:
            if d.what in ('include', 'meta'):
                continue
            table = self.syscalls if d.what == 'syscall' else self.defs
            if d.name in table:
                self.error(d.line, 'duplicate definition of %s (first at '
                           'line %d)' % (d.name, table[d.name].line))
                continue
            if d.what != 'syscall' and (
                    d.name in INT_TYPES or d.name in BUILTIN_TYPES
                    or d.name in BUILTIN_RESOURCES
                    or d.name in BUILTIN_TEMPLATES
                    or d.name in BUILTIN_FLAGS):
                self.error(d.line, 'definition of %s hides a syzkaller '
                           'built-in' % d.name)
                continue
            table[d.name] = d

    def error(self, line, msg):
        self.errors.append('%s:%d: %s' % (self.fname, line, msg))

    def run(self):
        for d in self.decls:
            if d.what == 'syscall':
                self.check_syscall(d)
            elif d.what == 'resource':
                self.check_resource(d)
            elif d.what == 'meta':
                if d.name not in ('arches', 'noextract', 'automatic'):
                    self.error(d.line, 'unknown meta %s' % d.name)
            elif d.what == 'flags':
                for v in d.values:
                    if v.kind == 'ident':
                        self.const(v.value, v.line)
            elif d.what == 'type' and d.params is None \
                    and isinstance(d.body, Node):
                self.type(d.body, 'alias', {}, ())
            elif d.what == 'type' and d.params is not None:
                self.check_template(d)
            if d.what in ('struct', 'union') and not d.fields:
                self.error(d.line, '%s %s has no fields' % (d.what, d.name))
        for name, d in self.defs.items():
            if name not in self.used:
                self.error(d.line, '%s %s is never used'
                           % (kind_name(d), name))
            if d.what == 'resource':
                if name not in self.produced:
                    self.error(d.line, 'resource %s is never produced (no '
                               'syscall returns it)' % name)
                if name not in self.consumed:
                    self.error(d.line, 'resource %s is never consumed'
                               % name)
        return self.errors

    def check_template(self, d):
        body = d.body.fields if isinstance(d.body, Decl) else [
            (None, d.body, (), d.line)]
        named = {i for _, t, _, _ in body for i in t.idents()}
        for p in d.params:
            if not re.match(r'^[A-Z][A-Z0-9_]*$', p):
                self.error(d.line, 'template %s: argument %s must be '
                           'ALL_CAPS' % (d.name, p))
            if p not in named:
                self.error(d.line, 'template %s: argument %s is not used'
                           % (d.name, p))
        if len(set(d.params)) != len(d.params):
            self.error(d.line, 'template %s: duplicate argument' % d.name)

    def check_resource(self, d):
        b = d.base
        if b.kind != 'ident' or b.args is not None or not (
                b.value in INT_TYPES or self.is_resource(b.value)):
            self.error(d.line, 'resource %s: base %r is neither an integer '
                       'type nor a resource' % (d.name, b))
        elif b.value in self.defs:
            self.used.add(b.value)
        for v in d.values:
            if v.kind == 'ident':
                self.const(v.value, v.line)
            elif v.kind != 'int':
                self.error(v.line, 'resource %s: special value %r is not '
                           'an integer' % (d.name, v.value))

    def is_resource(self, name):
        if name in BUILTIN_RESOURCES:
            return True
        d = self.defs.get(name)
        return d is not None and d.what == 'resource'

    def check_syscall(self, d):
        base = d.name.split('$', 1)[0]
        if base not in SYSCALLS:
            self.error(d.line, 'unknown syscall %s' % base)
        seen = set()
        names = tuple(a[0] for a in d.args)
        for aname, atype, aline in d.args:
            if aname in seen:
                self.error(aline, 'syscall %s: duplicate argument %s'
                           % (d.name, aname))
            seen.add(aname)
            self.type(atype, 'arg', {}, names)
        if d.ret is not None:
            r = d.ret
            if r.kind != 'ident' or r.args is not None:
                self.error(r.line, 'syscall %s returns %r, not a resource'
                           % (d.name, r))
            elif r.value in self.defs and not self.is_resource(r.value):
                self.error(r.line, 'syscall %s returns %s, which is a %s, '
                           'not a resource' % (d.name, r.value,
                                               kind_name(self.defs[r.value])))
            elif not self.is_resource(r.value):
                self.error(r.line, 'syscall %s returns undefined resource %s'
                           % (d.name, r.value))
            else:
                self.produced.add(r.value)
                if r.value in self.defs:
                    self.used.add(r.value)
        for a in d.attrs:
            if a.kind != 'ident' or a.value not in SYSCALL_ATTRS:
                self.error(a.line, 'unknown syscall attribute %r' % a)

    def const(self, name, line):
        if name not in BUILTIN_CONSTS:
            self.consts.setdefault(name, line)

    def value(self, n):
        """n in a value position: an integer or a constant."""
        if n.kind == 'int':
            return
        if n.kind == 'ident' and n.args is None and n.bits is None:
            if n.value in self.defs or n.value in INT_TYPES \
                    or n.value in BUILTIN_TYPES:
                self.error(n.line, 'expected a value, found type %s'
                           % n.value)
            else:
                self.const(n.value, n.line)
            return
        self.error(n.line, 'expected a value, found %r' % n)

    def int_arg(self, n):
        """the base of const/flags/len: an integer type"""
        if n.kind != 'ident' or n.value not in INT_TYPES or n.args:
            self.error(n.line, 'expected an integer type, found %r' % n)

    def type(self, n, ctx, env, siblings, depth=0):
        """Checks n in a type position.  ctx: 'arg' (a syscall argument),
        'field' (a struct or union field), 'inner', 'alias'."""
        if depth > 20:
            self.error(n.line, 'templates nest too deep at %r' % n)
            return
        n = n.subst(env)
        if n.kind != 'ident':
            self.error(n.line, 'expected a type, found %r' % n)
            return
        name, args = n.value, n.args
        env = {}
        self.consumed.add(name)
        if name in INT_TYPES:
            if args:
                if len(args) > 2:
                    self.error(n.line, '%s takes at most 2 arguments' % name)
                a = args[0]
                if a.kind == 'range':
                    for v in (a.value, a.hi):
                        if isinstance(v, str):
                            self.const(v, a.line)
                elif a.kind == 'ident' and a.value in self.flagsets():
                    self.used.add(a.value)
                else:
                    self.value(a)
            return
        if name in BUILTIN_TYPES:
            lo, hi = BUILTIN_TYPES[name]
            if not lo <= len(args or []) <= hi:
                self.error(n.line, '%s takes %s arguments, found %d' % (
                    name, lo if lo == hi else '%d to %d' % (lo, hi),
                    len(args or [])))
                return
            handler = {'const': self.type_const, 'flags': self.type_flags,
                       'array': self.type_array, 'ptr': self.type_ptr,
                       'ptr64': self.type_ptr, 'string': self.type_string,
                       'stringnoz': self.type_string,
                       'void': self.type_void}.get(name, self.type_len)
            handler(n, ctx, siblings, depth)
            return
        if name in BUILTIN_TEMPLATES:
            kinds = BUILTIN_TEMPLATES[name]
            if len(args or []) != len(kinds):
                self.error(n.line, 'template %s takes %d arguments, found %d'
                           % (name, len(kinds), len(args or [])))
                return
            for k, a in zip(kinds, args):
                if k == 'v':
                    self.value(a)
                else:
                    self.type(a, 'inner', {}, siblings, depth + 1)
            return
        if name in BUILTIN_RESOURCES:
            if args:
                self.error(n.line, 'resource %s takes no arguments' % name)
            return
        d = self.defs.get(name)
        if d is None:
            self.error(n.line, 'unknown type %s' % name)
            return
        first_use = name not in self.used
        self.used.add(name)
        if d.what == 'flags':
            self.error(n.line, '%s is a flag set, not a type (flags[%s, '
                       'intN])' % (name, name))
        elif d.what == 'resource':
            if args:
                self.error(n.line, 'resource %s takes no arguments' % name)
        elif d.what in ('struct', 'union'):
            if args:
                self.error(n.line, '%s %s takes no arguments' % (d.what,
                                                                 name))
            elif first_use:
                self.compound(d, {}, depth)
        elif d.what == 'type':
            if d.params is None:
                if args:
                    self.error(n.line, 'type %s takes no arguments' % name)
                elif isinstance(d.body, Decl) and first_use:
                    self.compound(d.body, {}, depth)
            elif len(args or []) != len(d.params):
                self.error(n.line, 'template %s takes %d arguments, found '
                           '%d' % (name, len(d.params), len(args or [])))
            elif isinstance(d.body, Decl):
                self.compound(d.body, dict(zip(d.params, args)), depth + 1)
            else:
                self.type(d.body, ctx, dict(zip(d.params, args)), siblings,
                          depth + 1)

    def flagsets(self):
        return {k for k, d in self.defs.items() if d.what == 'flags'} \
            | BUILTIN_FLAGS

    def compound(self, d, env, depth):
        names = tuple(f[0] for f in d.fields)
        seen = set()
        for fname, ftype, fattrs, fline in d.fields:
            if fname in seen:
                self.error(fline, '%s %s: duplicate field %s'
                           % (d.what, d.name, fname))
            seen.add(fname)
            self.type(ftype, 'field', env, names, depth + 1)
            for a in fattrs:
                if a.kind != 'ident' or a.value not in FIELD_ATTRS \
                        or a.args is not None:
                    self.error(a.line, 'unknown field attribute %r' % a)
        allowed = UNION_ATTRS if d.what == 'union' else STRUCT_ATTRS
        for a in d.attrs:
            if a.kind != 'ident' or a.value not in allowed:
                self.error(a.line, 'unknown %s attribute %r' % (d.what, a))
            elif a.value in ('align', 'size'):
                if len(a.args or []) != 1:
                    self.error(a.line, '%s takes one argument' % a.value)
                else:
                    self.value(a.args[0])

    def type_const(self, n, ctx, siblings, depth):
        self.value(n.args[0])
        self.base_arg(n, ctx)

    def base_arg(self, n, ctx):
        if len(n.args) == 2:
            self.int_arg(n.args[-1])
        elif ctx == 'field':
            self.error(n.line, '%s in a struct needs an integer type '
                       '(%s[..., intN])' % (n.value, n.value))

    def type_flags(self, n, ctx, siblings, depth):
        a = n.args[0]
        if a.kind != 'ident' or a.value not in self.flagsets():
            self.error(a.line, 'unknown flag set %r' % a)
        else:
            self.used.add(a.value)
            self.consumed.add(a.value)
            d = self.defs.get(a.value)
            if d is not None and any(v.kind == 'str' for v in d.values):
                self.error(a.line, '%s is a string set, not a flag set'
                           % a.value)
        self.base_arg(n, ctx)

    def type_array(self, n, ctx, siblings, depth):
        self.type(n.args[0], 'inner', {}, siblings, depth + 1)
        if len(n.args) == 2:
            a = n.args[1]
            if a.kind == 'range':
                for v in (a.value, a.hi):
                    if isinstance(v, str):
                        self.const(v, a.line)
            else:
                self.value(a)

    def type_ptr(self, n, ctx, siblings, depth):
        d = n.args[0]
        if d.kind != 'ident' or d.value not in DIRECTIONS:
            self.error(d.line, '%s direction must be in, out or inout, '
                       'found %r' % (n.value, d))
        self.type(n.args[1], 'inner', {}, siblings, depth + 1)
        if len(n.args) == 3:
            o = n.args[2]
            if o.kind != 'ident' or o.value != 'opt':
                self.error(o.line, 'expected opt, found %r' % o)

    def type_len(self, n, ctx, siblings, depth):
        p = n.args[0]
        if p.kind != 'ident' or p.args is not None or not (
                p.value in ('parent', 'syscall') or p.value in siblings
                or (p.value in self.defs and self.defs[p.value].what in
                    ('struct', 'union'))):
            self.error(p.line, '%s refers to %r, which is neither parent, '
                       'a sibling nor a struct' % (n.value, p))
        self.base_arg(n, ctx)

    def type_string(self, n, ctx, siblings, depth):
        if n.args:
            a = n.args[0]
            if a.kind == 'ident':
                d = self.defs.get(a.value)
                if d is None or d.what != 'flags' or \
                        any(v.kind != 'str' for v in d.values):
                    self.error(a.line, 'unknown string set %r' % a)
                else:
                    self.used.add(a.value)
            elif a.kind != 'str':
                self.error(a.line, 'expected a string or a string set, '
                           'found %r' % a)
            if len(n.args) == 2:
                self.value(n.args[1])

    def type_void(self, n, ctx, siblings, depth):
        if ctx == 'arg':
            self.error(n.line, 'void cannot be a syscall argument')


def kind_name(d):
    return {'type': 'type', 'flags': 'flag set', 'resource': 'resource',
            'struct': 'struct', 'union': 'union'}.get(d.what, d.what)


# ---- layout ----

class LayoutError(Exception):
    pass


# syzkaller's targets: pointer size (ptr, intptr), int64 alignment
ARCHES = {'amd64': (8, 8), '386': (4, 4)}


def layout(chk, n, consts, arch, env=None, depth=0):
    """(size, alignment) of a type as syzkaller lays it out on arch."""
    n = n.subst(env or {})
    ptrsize, i64align = ARCHES[arch]
    if depth > 20:
        raise LayoutError('%r nests too deep' % n)
    name, args = n.value, n.args or []

    def num(a):
        if a.kind == 'int':
            return a.value
        if a.kind == 'ident' and a.value in consts:
            return consts[a.value]
        raise LayoutError('%r is not a known constant' % a)

    def intsize(t):
        if t == 'intptr':
            return ptrsize, ptrsize
        s = INT_TYPES[t]
        return s, (i64align if s == 8 else s)

    if n.kind != 'ident':
        raise LayoutError('%r is not a type' % n)
    if name in INT_TYPES:
        if n.bits is not None:
            raise LayoutError('bitfield %r' % n)
        return intsize(name)
    if name in ('const', 'flags') or name in LEN_TYPES:
        if len(args) < 2:
            raise LayoutError('%r has no integer type' % n)
        return intsize(args[-1].value)
    if name == 'ptr':
        return ptrsize, ptrsize
    if name == 'ptr64':
        return 8, i64align
    if name == 'void':
        return 0, 1
    if name == 'array':
        if len(args) != 2 or args[1].kind == 'range':
            raise LayoutError('%r has no fixed length' % n)
        s, a = layout(chk, args[0], consts, arch, None, depth + 1)
        return s * num(args[1]), a
    if name in BUILTIN_RESOURCES:
        b = BUILTIN_RESOURCES[name]
        return layout(chk, Node('ident', b, n.line), consts, arch, None,
                      depth + 1)
    d = chk.defs.get(name)
    if d is None:
        raise LayoutError('%r has no known layout' % n)
    if d.what == 'resource':
        return layout(chk, d.base, consts, arch, None, depth + 1)
    if d.what == 'type':
        sub = dict(zip(d.params or [], args))
        if isinstance(d.body, Decl):
            return struct_layout(chk, d.body, consts, arch, sub,
                                 depth + 1)[:2]
        return layout(chk, d.body, consts, arch, sub, depth + 1)
    if d.what == 'struct':
        return struct_layout(chk, d, consts, arch, {}, depth + 1)[:2]
    if d.what == 'union':
        if any(a.value == 'varlen' for a in d.attrs):
            raise LayoutError('union %s is varlen' % name)
        sizes = [layout(chk, f[1], consts, arch, {}, depth + 1)
                 for f in d.fields]
        return max(s for s, _ in sizes), max(a for _, a in sizes)
    raise LayoutError('%r has no layout' % n)


def struct_layout(chk, d, consts, arch, env=None, depth=0):
    """(size, alignment, [(field, offset, line)]) on arch"""
    def num(a):
        return a.value if a.kind == 'int' else consts[a.value]

    packed = any(a.value == 'packed' for a in d.attrs)
    off, align, offsets = 0, 1, []
    for fname, ftype, _, fline in d.fields:
        s, a = layout(chk, ftype, consts, arch, env, depth + 1)
        if packed:
            a = 1
        off = (off + a - 1) // a * a
        offsets.append((fname, off, fline))
        off += s
        align = max(align, a)
    for a in d.attrs:
        if a.value == 'align':
            align = num(a.args[0])
    size = (off + align - 1) // align * align
    for a in d.attrs:
        if a.value == 'size':
            size = max(size, num(a.args[0]))
    return size, align, offsets


# ---- the uapi headers ----

def strip_comments(s):
    s = re.sub(r'/\*.*?\*/', ' ', s, flags=re.S)
    return re.sub(r'//[^\n]*', ' ', s)


class Headers:
    """What the project's uapi headers define, read from their text."""

    def __init__(self, uapi):
        self.files = sorted(f for f in os.listdir(os.path.join(uapi, 'linux'))
                            if f.endswith('.h'))
        self.defines = {}       # name -> value text
        self.strings = {}       # name -> string literal
        self.ioctls = []
        self.enums = {}         # enum name -> [members]
        self.structs = {}       # struct name -> [fields]
        for f in self.files:
            with open(os.path.join(uapi, 'linux', f)) as fh:
                text = strip_comments(fh.read())
            for m in re.finditer(r'^#define\s+(\w+)[ \t]+(.+)$', text, re.M):
                name, val = m.group(1), m.group(2).strip()
                if val.startswith('"'):
                    self.strings[name] = val.strip('"')
                    continue
                self.defines[name] = val
                if re.match(r'_IO(R|W|WR)?\s*\(', val):
                    self.ioctls.append(name)
            for m in re.finditer(r'\benum\s+(\w+)\s*\{(.*?)\}', text, re.S):
                self.enums[m.group(1)] = [
                    x.split('=')[0].strip() for x in m.group(2).split(',')
                    if x.strip()]
            for m in re.finditer(r'\bstruct\s+(\w+)\s*\{(.*?)\}\s*;', text,
                                 re.S):
                fields = []
                for decl in m.group(2).split(';'):
                    fm = re.search(r'(\w+)\s*(\[[^\]]*\])?\s*$', decl.strip())
                    if fm:
                        fields.append(fm.group(1))
                self.structs[m.group(1)] = fields

    @staticmethod
    def sentinel(name):
        return name.startswith('__') or name.endswith('_MAX')

    def commands(self):
        return [m for e, ms in self.enums.items() if e.endswith('_cmd')
                for m in ms if not self.sentinel(m)]

    def attributes(self):
        return [m for e, ms in self.enums.items() if '_a_' in e
                for m in ms if not self.sentinel(m)]

    def values(self):
        """Every flag, enum and number the headers give a name."""
        out = [n for n in self.defines if n not in self.ioctls]
        out += [m for ms in self.enums.values() for m in ms
                if not self.sentinel(m)]
        out += list(self.strings)
        return out


def run_c(uapi, headers, consts, cc):
    """Compiles and runs a program printing every constant of consts, and
    sizeof/offsetof of every struct of the headers.  Returns (values,
    undefined constants, sizes, offsets, error)."""
    undefined = set()
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(len(consts) + 1):
            src = ['#include <stdio.h>', '#include <stddef.h>']
            src += ['#include <linux/%s>' % f for f in headers.files]
            src.append('int main(void)\n{')
            for c in sorted(set(consts) - undefined):
                src.append('\tprintf("const %%s %%llu\\n", "%s", '
                           '(unsigned long long)(%s));' % (c, c))
            for s, fields in sorted(headers.structs.items()):
                src.append('\tprintf("sizeof %%s %%zu\\n", "%s", '
                           'sizeof(struct %s));' % (s, s))
                for f in fields:
                    src.append('\tprintf("offsetof %%s %%s %%zu\\n", "%s", '
                               '"%s", offsetof(struct %s, %s));'
                               % (s, f, s, f))
            src.append('\treturn 0;\n}\n')
            cfile, exe = os.path.join(tmp, 'consts.c'), os.path.join(tmp, 'c')
            with open(cfile, 'w') as fh:
                fh.write('\n'.join(src))
            cmd = shlex.split(cc) + ['-std=gnu11', '-I', uapi, '-o', exe,
                                     cfile]
            env = dict(os.environ, LC_ALL='C')
            try:
                p = subprocess.run(cmd, capture_output=True, text=True,
                                   env=env)
            except OSError as e:
                return None, undefined, None, None, '%s: %s' % (cmd[0], e)
            if p.returncode == 0:
                break
            names = set(re.findall(r"'(\w+)' undeclared|undeclared "
                                   r"identifier '(\w+)'", p.stderr))
            names = {a or b for a, b in names} - undefined
            if not names:
                return None, undefined, None, None, \
                    'the C program does not compile:\n' + p.stderr
            undefined |= names
        out = subprocess.run([exe], capture_output=True, text=True,
                             check=True).stdout
    values, sizes, offsets = {}, {}, {}
    for line in out.splitlines():
        w = line.split()
        if w[0] == 'const':
            values[w[1]] = int(w[2])
        elif w[0] == 'sizeof':
            sizes[w[1]] = int(w[2])
        elif w[0] == 'offsetof':
            offsets[(w[1], w[2])] = int(w[3])
    return values, undefined, sizes, offsets, None


# ---- the checks ----

class Result:
    def __init__(self, name):
        self.name = name
        self.errors = []
        self.notes = []


def check(path, text, uapi, cc):
    """Every check over one description; a list of Result."""
    fname = path
    headers = Headers(uapi)
    res_parse = Result('%s parses as syzlang' % os.path.basename(path))
    res_names = Result('every name resolves; nothing duplicated, unused, '
                       'or returned that is not a resource')
    res_consts = Result('every constant named is defined by the uapi '
                        'headers')
    res_structs = [Result('struct %s: described, sizeof and offsetof '
                          'match, on amd64 and on 386' % s)
                   for s in sorted(headers.structs)]
    res_includes = Result('every uapi header of the project is included')
    res_ioctls = Result('every ioctl of the headers is described')
    res_cmds = Result('every netlink command is described')
    res_attrs = Result('every netlink attribute is described')
    res_values = Result('every flag and enum value of the headers is named')
    res_family = Result('the family name is the headers\' one')
    later = [res_names, res_consts] + res_structs + [
        res_includes, res_ioctls, res_cmds, res_attrs, res_values,
        res_family]
    results = [res_parse] + later

    try:
        decls = Parser(text, fname).parse()
    except SyzError as e:
        res_parse.errors.append(str(e))
        for r in later:
            r.errors.append('not checked: the description does not parse')
        return results
    chk = Checker(decls, fname)
    res_names.errors += chk.run()
    n = {w: sum(1 for d in decls if d.what == w)
         for w in ('syscall', 'struct', 'union', 'flags')}
    res_parse.notes.append('%d syscalls, %d structs, %d unions, %d sets'
                           % (n['syscall'], n['struct'], n['union'],
                              n['flags']))

    # constants, through the compiler
    values, undefined, sizes, offsets, cerr = run_c(uapi, headers,
                                                    chk.consts, cc)
    if cerr:
        for r in [res_consts] + res_structs:
            r.errors.append(cerr)
    for c in sorted(undefined):
        res_consts.errors.append('%s:%d: undefined constant %s'
                                 % (fname, chk.consts[c], c))
    res_consts.notes.append('%d constants' % len(chk.consts))

    # structs
    for s, r in zip(sorted(headers.structs), res_structs):
        if cerr:
            continue
        d = chk.defs.get(s)
        if d is None or d.what != 'struct':
            r.errors.append('struct %s is not described' % s)
            continue
        try:
            size, _, offs = struct_layout(chk, d, values, 'amd64')
            size32, _, offs32 = struct_layout(chk, d, values, '386')
        except (LayoutError, KeyError) as e:
            r.errors.append('%s:%d: struct %s: no fixed layout: %s'
                            % (fname, d.line, s, e))
            continue
        where = '%s:%d: struct %s' % (fname, d.line, s)
        if size != sizes[s]:
            r.errors.append('%s: size %d, sizeof(struct %s) is %d'
                            % (where, size, s, sizes[s]))
        cfields = headers.structs[s]
        described = [f for f, _, _ in offs]
        for f in cfields:
            if f not in described:
                r.errors.append('%s: field %s of the uapi struct is missing'
                                % (where, f))
        for (f, off, line), (_, off32, _) in zip(offs, offs32):
            if f not in cfields:
                if not f.startswith('pad'):
                    r.errors.append('%s:%d: field %s is not in struct %s'
                                    % (fname, line, f, s))
                continue
            if off != offsets[(s, f)]:
                r.errors.append('%s:%d: struct %s: field %s at offset %d, '
                                'offsetof is %d' % (fname, line, s, f, off,
                                                    offsets[(s, f)]))
            elif off32 != off:
                r.errors.append('%s:%d: struct %s: field %s at offset %d on '
                                '386, not %d' % (fname, line, s, f, off32,
                                                 off))
        if size32 != size and not r.errors:
            r.errors.append('%s: size %d on 386, not %d'
                            % (where, size32, size))
        if not r.errors:
            r.notes.append('%d bytes, %d fields' % (size, len(cfields)))

    # coverage of the headers
    included = {d.name for d in decls if d.what == 'include'}
    for f in headers.files:
        if 'uapi/linux/' + f not in included:
            res_includes.errors.append('not included: <uapi/linux/%s>' % f)
    ioctl_cmds = set()
    sendmsg_idents = set()
    attr_idents = set()
    for d in decls:
        if d.what == 'syscall' and d.name.split('$')[0] == 'ioctl':
            for aname, atype, _ in d.args:
                if aname == 'cmd' and atype.value == 'const' and atype.args:
                    ioctl_cmds.add(atype.args[0].value)
        if d.what == 'syscall' and d.name.split('$')[0] == 'sendmsg':
            for _, atype, _ in d.args:
                sendmsg_idents |= set(atype.idents())
    for t in all_nodes(decls):
        if t.kind == 'ident' and t.value in ('nlattr', 'nlnest') and t.args:
            attr_idents.add(t.args[0].value)
    for name, have, res, what in (
            (headers.ioctls, ioctl_cmds, res_ioctls, 'ioctl'),
            (headers.commands(), sendmsg_idents, res_cmds, 'command'),
            (headers.attributes(), attr_idents, res_attrs, 'attribute')):
        missing = [x for x in name if x not in have]
        if missing:
            res.errors.append('%s not described: %s' % (what,
                                                         ', '.join(missing)))
        else:
            res.notes.append('%d of %d' % (len(name), len(name)))
    named = set(chk.consts) | {i for t in all_nodes(decls)
                               for i in t.idents()}
    unnamed = [v for v in headers.values()
               if v not in named and v not in NOT_DESCRIBED]
    if unnamed:
        res_values.errors.append('value not referenced: %s'
                                 % ', '.join(unnamed))
    else:
        res_values.notes.append('not described, by design: ' + '; '.join(
            '%s (%s)' % kv for kv in sorted(NOT_DESCRIBED.items())))
    fam = [v for k, v in headers.strings.items() if k.endswith('_FAMILY_NAME')]
    got = set()
    for d in decls:
        if d.what == 'syscall' and \
                d.name.startswith('syz_genetlink_get_family_id$'):
            got |= {t.value.strip('"') for _, atype, _ in d.args
                    for t in all_nodes_of(atype) if t.kind == 'str'}
    if sorted(got) != sorted(fam):
        res_family.errors.append('family names described %s, the headers '
                                 'say %s' % (sorted(got), fam))
    else:
        res_family.notes.append(', '.join(fam))
    return results


def all_nodes_of(n):
    yield n
    for a in n.args or []:
        yield from all_nodes_of(a)


def all_nodes(decls):
    for d in decls:
        roots = []
        if d.what == 'syscall':
            roots = [a[1] for a in d.args] + ([d.ret] if d.ret else [])
        elif d.what in ('struct', 'union'):
            roots = [f[1] for f in d.fields]
        elif d.what == 'type':
            roots = [f[1] for f in d.body.fields] \
                if isinstance(d.body, Decl) else [d.body]
        elif d.what == 'resource':
            roots = [d.base]
        for r in roots:
            yield from all_nodes_of(r)


# ---- self-tests: broken copies ----

def line_of(text, s):
    if s not in text:
        raise SelfTestError('%r is not in the description' % s)
    return text.count('\n', 0, text.index(s)) + 1


class SelfTestError(Exception):
    """A self-test that no longer applies to the description."""


def self_tests():
    """(what, break, regex): break(text) is the broken copy, and its
    errors must match regex; it returns None where the broken copy's
    line numbers are to be taken from the original, given the text."""
    def sub(old, new):
        def f(text):
            if text.count(old) != 1:
                raise SelfTestError('%r is not in the description once'
                                    % old)
            return text.replace(old, new)
        return f

    def drop_line(needle):
        def f(text):
            lines = text.splitlines(keepends=True)
            if sum(needle in x for x in lines) != 1:
                raise SelfTestError('%r is not on one line' % needle)
            return ''.join(x for x in lines if needle not in x)
        return f

    def at(needle, fmt):
        return lambda text: fmt % line_of(text, needle)

    return [
        ('a misspelt constant',
         sub('cmd const[TDX_HOST_IOC_STATUS]',
             'cmd const[TDX_HOST_IOC_STATS]'),
         at('ioctl$TDX_HOST_IOC_STATUS(',
            r'tdx_host\.txt:%d: undefined constant TDX_HOST_IOC_STATS$')),
        ('a struct missing a field',
         sub('\tbackend\t\tflags[tdx_host_backends, int32]\t(out)\n'
             '\tdriver_version', '\tdriver_version'),
         at('tdx_host_version {',
            r'tdx_host\.txt:%d: struct tdx_host_version: size 44, '
            r'sizeof\(struct tdx_host_version\) is 48$')),
        ('two fields swapped',
         sub('\tversion_major\t\tint32\t(out)\n'
             '\tversion_minor\t\tint32\t(out)',
             '\tversion_minor\t\tint32\t(out)\n'
             '\tversion_major\t\tint32\t(out)'),
         at('\tversion_major\t',
            r'tdx_host\.txt:%d: struct tdx_host_status: field version_minor '
            r'at offset 40, offsetof is 44$')),
        ('a field left to implicit padding (386 aligns int64 to 4)',
         drop_line('\treserved\t\tconst[0, int32]'),
         at('\treserved\t',
            r'tdx_host\.txt:%d: struct tdx_host_status: field step_ns at '
            r'offset 132 on 386, not 136$')),
        ('an ioctl dropped',
         drop_line('ioctl$TDX_HOST_IOC_CPU_ENABLE('),
         lambda text: r'^ioctl not described: TDX_HOST_IOC_CPU_ENABLE$'),
        ('a netlink command dropped',
         drop_line('sendmsg$TDX_HOST_CMD_FAILURE_NTF('),
         lambda text: r'^command not described: TDX_HOST_CMD_FAILURE_NTF$'),
        ('a netlink attribute dropped',
         drop_line('\tTDX_HOST_A_CPU_ERRNO\t'),
         lambda text: r'^attribute not described: TDX_HOST_A_CPU_ERRNO$'),
        ('a flag dropped from its set',
         sub(', TDX_HOST_CPU_ERRNO\n', '\n'),
         lambda text: r'^value not referenced: TDX_HOST_CPU_ERRNO$'),
        ('an unbalanced bracket',
         sub('arg ptr[inout, tdx_host_status])',
             'arg ptr[inout, tdx_host_status)'),
         at('ioctl$TDX_HOST_IOC_STATUS(',
            r"tdx_host\.txt:%d: unbalanced bracket: '\)' does not close "
            r"'\['")),
        ('a stray closing bracket',
         sub('int8[0:1]]\n\tTDX_HOST_A_EV_BACKEND',
             'int8[0:1]]]\n\tTDX_HOST_A_EV_BACKEND'),
         at('\tTDX_HOST_A_EV_INITIALIZED\t',
            r"tdx_host\.txt:%d: unbalanced bracket: '\]' has no opener on "
            r"its line$")),
        ('an unclosed struct',
         sub('\tentries\t\tptr64[out, array[tdx_host_cpu_info], opt]\n}',
             '\tentries\t\tptr64[out, array[tdx_host_cpu_info], opt]\n'),
         at('tdx_host_cpu_table {',
            r"tdx_host\.txt:%d: unbalanced bracket: '\{' is never closed$")),
        ('an unknown type',
         sub('\tabi_version\tint32\t(out)', '\tabi_version\tu32\t(out)'),
         at('\tabi_version\t', r'tdx_host\.txt:%d: unknown type u32$')),
        ('a duplicate definition',
         lambda text: text + 'tdx_host_steps = TDX_HOST_STEP_NONE\n',
         lambda text: r'tdx_host\.txt:%d: duplicate definition of '
         r'tdx_host_steps \(first at line %d\)$' % (
             text.count('\n') + 1, line_of(text, 'tdx_host_steps ='))),
        ('a syscall returning an undefined resource',
         sub('mode const[0]) fd_tdx_host', 'mode const[0]) fd_tdx_hots'),
         at('openat$tdx_host(',
            r'tdx_host\.txt:%d: syscall openat\$tdx_host returns undefined '
            r'resource fd_tdx_hots$')),
    ]


# ---- TAP ----

def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    uapi = os.path.join(here, '..', '..', 'include', 'uapi')
    path = os.path.join(here, 'tdx_host.txt')
    selftest = True
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == '--uapi' and args:
            uapi = args.pop(0)
        elif a == '--no-self-test':
            selftest = False
        elif a in ('-h', '--help'):
            print(__doc__.strip())
            return 0
        elif a.startswith('-') or args:
            sys.stderr.write('usage: check.py [--uapi DIR] [--no-self-test] '
                             '[FILE]\n')
            return 2
        else:
            path = a
    cc = os.environ.get('CC') or 'cc'
    with open(path) as fh:
        text = fh.read()

    results = check(path, text, uapi, cc)
    tests = self_tests() if selftest else []
    print('TAP version 13')
    print('1..%d' % (len(results) + len(tests)))
    n, failed = 0, 0
    for r in results:
        n += 1
        if r.errors:
            failed += 1
            print('not ok %d - %s' % (n, r.name))
            for e in r.errors:
                for line in e.splitlines():
                    print('#   ' + line)
        else:
            note = ' (%s)' % '; '.join(r.notes) if r.notes else ''
            print('ok %d - %s%s' % (n, r.name, note))
    with tempfile.TemporaryDirectory() as tmp:
        broken = os.path.join(tmp, os.path.basename(path))
        for what, breaks, expect in tests:
            n += 1
            try:
                btext, want = breaks(text), expect(text)
            except SelfTestError as e:
                failed += 1
                print('not ok %d - self-test rejects %s' % (n, what))
                print('#   the self-test does not apply: %s' % e)
                continue
            with open(broken, 'w') as fh:
                fh.write(btext)
            errs = [e.replace(tmp + os.sep, '')
                    for r in check(broken, btext, uapi, cc) for e in r.errors]
            hit = [e for e in errs if re.search(want, e, re.M)]
            if hit:
                print('ok %d - self-test rejects %s' % (n, what))
                print('#   ' + [x for x in hit[0].splitlines()
                                if re.search(want, x)][0])
            else:
                failed += 1
                print('not ok %d - self-test rejects %s' % (n, what))
                print('#   expected a message matching: %s' % want)
                shown = [e for e in dict.fromkeys(errs)
                         if not e.startswith('not checked')]
                for e in shown or ['(no error at all)']:
                    print('#   got: ' + e)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
