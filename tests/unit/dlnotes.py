#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Read the .note.dlopen ELF notes of an executable (x86-64, ELF64 LE).

usage: dlnotes.py FILE
Each note of the section is checked against
https://systemd.io/ELF_DLOPEN_METADATA/: owner "FDO", type 0x407c0c0a, a
NUL-terminated JSON array of objects with "feature", "description",
"priority" (required, recommended or suggested) and "soname" (a list of
strings), padded with NULs to 4 bytes; the section allocated, of type
SHT_NOTE, 4-aligned.  Prints one line per library:
    FEATURE PRIORITY SONAME[,SONAME...]
and exits 0; exits 1 with the reason on stderr when anything is off.
"""
import json
import struct
import sys

NOTE_TYPE = 0x407c0c0a
SHT_NOTE = 7
SHF_ALLOC = 2


def fail(msg):
    print(f'dlnotes.py: {msg}', file=sys.stderr)
    sys.exit(1)


def sections(data):
    if data[:4] != b'\x7fELF' or data[4] != 2 or data[5] != 1:
        fail('not a 64-bit little-endian ELF file')
    shoff, = struct.unpack_from('<Q', data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from('<HHH', data, 0x3a)
    heads = [struct.unpack_from('<IIQQQQIIQQ', data, shoff + i * shentsize) for i in range(shnum)]
    strtab = heads[shstrndx]
    for h in heads:
        name = data[strtab[4] + h[0]:].split(b'\0', 1)[0].decode()
        yield name, h


def notes(data):
    found = [h for name, h in sections(data) if name == '.note.dlopen']
    if len(found) != 1:
        fail(f'{len(found)} .note.dlopen sections')
    _, stype, flags, _, off, size, _, _, align, _ = found[0]
    if stype != SHT_NOTE or not flags & SHF_ALLOC or align < 4:
        fail(f'.note.dlopen: type {stype}, flags {flags:#x}, alignment {align}')
    pos, end = off, off + size
    while pos < end:
        namesz, descsz, ntype = struct.unpack_from('<III', data, pos)
        pos += 12
        name = data[pos:pos + namesz]
        pos += (namesz + 3) & ~3
        desc = data[pos:pos + descsz]
        padded = data[pos + descsz:pos + ((descsz + 3) & ~3)]
        pos += (descsz + 3) & ~3
        if name != b'FDO\0' or ntype != NOTE_TYPE:
            fail(f'a note of owner {name!r}, type {ntype:#x}')
        if not desc.endswith(b'\0') or b'\0' in desc[:-1] or padded.strip(b'\0'):
            fail(f'a note whose JSON is not NUL-terminated and NUL-padded: {desc!r}')
        yield json.loads(desc[:-1].decode())
    if pos != end:
        fail('the last note runs past the section')


def main():
    with open(sys.argv[1], 'rb') as f:
        data = f.read()
    for doc in notes(data):
        if not isinstance(doc, list) or not doc:
            fail(f'not a JSON array of objects: {doc!r}')
        for d in doc:
            if not isinstance(d, dict) or set(d) != {'feature', 'description', 'priority', 'soname'}:
                fail(f'not the keys feature, description, priority, soname: {d!r}')
            if d['priority'] not in ('required', 'recommended', 'suggested'):
                fail(f'priority {d["priority"]!r}')
            if (not isinstance(d['soname'], list) or not d['soname'] or
                    not all(isinstance(s, str) and '.so.' in s for s in d['soname'])):
                fail(f'soname {d["soname"]!r}')
            if not all(isinstance(d[k], str) and d[k] for k in ('feature', 'description')):
                fail(f'an empty feature or description: {d!r}')
            print(d['feature'], d['priority'], ','.join(d['soname']))


main()
