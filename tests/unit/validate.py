#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Validate tdxctl JSON documents against cli/schema/*.json.

usage: validate.py SCHEMA_DIR FILE...
Each FILE holds the stdout of one tdxctl --json run.  The schema is chosen
by the document's "command" ("cpu list" -> cpu-list.json); an object
with "event" and no "command" is one line of monitor's NDJSON
(monitor-event.json).  Prints one TAP
line per file ("ok - schema: FILE (COMMAND)" / "not ok - schema: FILE"),
without numbers.  Exit status 0 only if every FILE validated; 2 (with the
reason on stderr) if validation cannot run at all: python3-jsonschema
missing, no schema, no FILE, a schema that is not valid itself.
"""
import json
import os
import sys



def die(msg):
    print(f'validate.py: {msg}', file=sys.stderr)
    sys.exit(2)


try:
    import jsonschema
except ImportError as e:
    die(f'python3-jsonschema is not installed ({e}); '
        'apt-get install python3-jsonschema (tools/install-deps.sh)')


def main():
    if len(sys.argv) < 3:
        die('usage: validate.py SCHEMA_DIR FILE...')
    sdir = sys.argv[1]
    schemas = {}
    try:
        for name in sorted(os.listdir(sdir)):
            if name.endswith('.json'):
                with open(os.path.join(sdir, name)) as f:
                    s = json.load(f)
                jsonschema.Draft202012Validator.check_schema(s)
                schemas[name[:-5]] = s
    except Exception as e:
        die(f'cannot load the schemas in {sdir}: {e}')
    if not schemas:
        die(f'no schema in {sdir}')
    bad = 0
    for path in sys.argv[2:]:
        label = os.path.basename(path)
        try:
            with open(path) as f:
                text = f.read()
            doc = json.loads(text)
            if isinstance(doc, dict) and 'command' not in doc and 'event' in doc:
                cmd = 'monitor-event'  # one line of monitor's NDJSON
            elif not isinstance(doc, dict) or not isinstance(doc.get('command'), str):
                raise ValueError('not a tdxctl document: no "command" string')
            else:
                cmd = doc['command'].replace(' ', '-')
            if cmd not in schemas:
                raise ValueError(f'no schema for command {cmd!r}')
            jsonschema.Draft202012Validator(schemas[cmd]).validate(doc)
            print(f'ok - schema: {label} ({cmd})')
        except Exception as e:  # report every failure, keep going
            bad += 1
            msg = (str(e) or type(e).__name__).splitlines()[0][:300]
            print(f'not ok - schema: {label}')
            print(f'# {msg}')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
