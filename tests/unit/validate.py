#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Validate tdxctl JSON documents against cli/schema/*.json.

usage: validate.py SCHEMA_DIR FILE...
Each FILE holds the stdout of one tdxctl --json run.  The schema is chosen
by the document's "command" ("cpu list" -> cpu-list.json).  Prints one TAP
line per file ("ok - schema: FILE" / "not ok - ..."), without numbers.
"""
import json
import os
import sys

import jsonschema


def main():
    sdir = sys.argv[1]
    schemas = {}
    for name in os.listdir(sdir):
        if name.endswith('.json'):
            with open(os.path.join(sdir, name)) as f:
                s = json.load(f)
            jsonschema.Draft202012Validator.check_schema(s)
            schemas[name[:-5]] = s
    bad = 0
    for path in sys.argv[2:]:
        label = os.path.basename(path)
        try:
            with open(path) as f:
                text = f.read()
            doc = json.loads(text)
            cmd = doc.get('command', '?').replace(' ', '-')
            if cmd not in schemas:
                raise ValueError(f'no schema for command {cmd!r}')
            jsonschema.Draft202012Validator(schemas[cmd]).validate(doc)
            print(f'ok - schema: {label} ({cmd})')
        except Exception as e:  # report every failure, keep going
            bad += 1
            msg = str(e).splitlines()[0][:300]
            print(f'not ok - schema: {label}')
            print(f'# {msg}')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
