#!/usr/bin/env python3
"""check-patches.py DIR: the test-only kernel patches change nothing when
their option is off.  TAP, one subtest per patch under DIR/*/ (*.patch).

A patch passes when every line it adds to an existing file is one of:
  - inside an "#ifdef CONFIG_INTEL_TDX_HOST_TEST_SEAM" block it adds (up to
    its "#else", whose lines must be the option-off definitions below);
  - in a Kconfig, a new "config INTEL_TDX_HOST_TEST_SEAM" block with
    "default n";
  - in a Makefile, an "obj-$(CONFIG_INTEL_TDX_HOST_TEST_SEAM) +=" line;
  - a call of tdx_sc_call(func, fn, args) replacing the line it removes,
    "func(fn, args)" there, where the option-off definition of tdx_sc_call
    is exactly that call;
and every file it creates is built only by such a Makefile line.
"""
import glob
import os
import re
import sys

OPT = "CONFIG_INTEL_TDX_HOST_TEST_SEAM"
OFF_DEF = re.compile(r"^#define tdx_sc_call\(func, fn, args\)\s+\(\(func\)\(\(fn\), \(args\)\)\)$")


def hunks(text):
    """Yield (path, is_new, [(tag, line)]) per file, tag in ' +-'."""
    path = None
    new = False
    lines = []
    for raw in text.split("\n"):
        if raw.startswith("--- "):
            if path:
                yield path, new, lines
            new = raw[4:].strip() == "/dev/null"
            path, lines = None, []
            continue
        if raw.startswith("+++ "):
            path = raw[4:].strip()
            path = path[2:] if path.startswith("b/") else path
            continue
        if path is None:
            continue
        if raw.startswith("@@"):
            # a file the patch creates: its one hunk starts from nothing
            new = new or raw.startswith("@@ -0,0 ")
            continue
        if raw[:1] in (" ", "+", "-"):
            lines.append((raw[0], raw[1:]))
    if path:
        yield path, new, lines


def check_file(path, new, lines, built, errors):
    if new:
        if not os.path.basename(path).endswith(".c"):
            errors.append(f"{path}: a new file that is not a source file")
        return
    base = os.path.basename(path)
    depth = 0          # inside an #ifdef OPT block the patch added
    default_n = False
    in_else = False
    in_config = False
    removed = []
    for tag, line in lines:
        if tag == "-":
            removed.append(line)
            continue
        if tag == " ":
            in_config = False if not line.startswith("\t") and line.strip() else in_config
            removed = []
            continue
        s = line.strip()
        if s == "":
            continue
        if base == "Kconfig":
            if s == f"config {OPT[len('CONFIG_'):]}":
                in_config = True
                continue
            if in_config:
                default_n = default_n or s == "default n"
                continue
            errors.append(f"{path}: '+{line}' outside the {OPT} entry")
            continue
        if base == "Makefile":
            m = re.match(r"^obj-\$\(" + OPT + r"\) \+= (\S+)\.o$", s)
            if m:
                built.add(m.group(1))
                continue
            errors.append(f"{path}: '+{line}' is built without {OPT}")
            continue
        if s == f"#ifdef {OPT}":
            depth += 1
            continue
        if depth and s == "#else":
            in_else = True
            continue
        if depth and s.startswith("#endif"):
            depth -= 1
            in_else = False
            continue
        if depth and not in_else:
            continue
        if in_else:
            if OFF_DEF.match(s):
                continue
            errors.append(f"{path}: '+{line}' in the #else of {OPT} is not the option-off definition")
            continue
        # a call site: the removed line with func(fn, args) -> tdx_sc_call(func, fn, args)
        if removed and line.replace("tdx_sc_call(func, fn, args)", "func(fn, args)") == removed[0]:
            removed.pop(0)
            continue
        errors.append(f"{path}: '+{line}' changes the kernel with {OPT} off")
    if depth:
        errors.append(f"{path}: an #ifdef {OPT} the patch opens is not closed")
    if base == "Kconfig" and not default_n:
        errors.append(f"{path}: {OPT} is not 'default n'")


def main():
    root = sys.argv[1]
    patches = sorted(glob.glob(os.path.join(root, "*", "*.patch")))
    print("TAP version 13")
    if not patches:
        print(f"Bail out! no patch under {root}/*/")
        return 1
    print(f"1..{len(patches)}")
    fail = 0
    for n, p in enumerate(patches, 1):
        errors = []
        built = set()
        new_files = []
        with open(p, encoding="utf-8") as f:
            text = f.read()
        for path, new, lines in hunks(text):
            if new:
                new_files.append(path)
            check_file(path, new, lines, built, errors)
        for nf in new_files:
            if os.path.splitext(os.path.basename(nf))[0] not in built:
                errors.append(f"{nf}: created, but not built only with {OPT}")
        name = os.path.relpath(p, root)
        if errors:
            fail = 1
            print(f"not ok {n} - {name} changes the kernel with {OPT} off")
            for e in errors:
                print(f"# {e}")
        else:
            print(f"ok {n} - {name}: nothing changes with {OPT} off")
    return fail


if __name__ == "__main__":
    sys.exit(main())
