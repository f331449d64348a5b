#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""genl-gen.py SPEC SRCROOT [--check]

Make, from the generic netlink spec SPEC (netlink/specs/tdx_host.yaml):
  include/uapi/linux/tdx_host_genl.h  family name, version, attribute,
                                      command and group constants
  kmod/netlink-gen.h, kmod/netlink-gen.c
                                      per-op policies, the ops table and
                                      the multicast groups of the driver
Without --check the files under SRCROOT are written.  With --check nothing
is written: TAP output, one check per file, failing when the committed
file differs from what the spec makes (the diff is shown).
"""
import difflib
import os
import sys

import yaml

GEN = "netlink/specs/tdx_host.yaml"
UAPI = "include/uapi/linux/tdx_host_genl.h"
KH = "kmod/netlink-gen.h"
KC = "kmod/netlink-gen.c"

NLA = {"u8": "NLA_U8", "u16": "NLA_U16", "u32": "NLA_U32", "u64": "NLA_U64",
       "flag": "NLA_FLAG", "string": "NLA_NUL_STRING"}


# op flags: the genl_ops flag each spells
OP_FLAGS = {"admin-perm": "GENL_ADMIN_PERM", "uns-admin-perm": "GENL_UNS_ADMIN_PERM"}
# group flags: the genl_multicast_group flag each spells (kernels that
# lack the constant get none: the driver says so at load)
MCAST_FLAGS = {"cap-sys-admin": "GENL_MCAST_CAP_SYS_ADMIN",
               "cap-net-admin": "GENL_MCAST_CAP_NET_ADMIN"}


def c_upper(s):
    return s.upper().replace("-", "_")


def c_lower(s):
    return s.lower().replace("-", "_")


class Spec:
    def __init__(self, path):
        with open(path) as f:
            self.y = yaml.safe_load(f)
        y = self.y
        if y.get("protocol") not in ("genetlink", "genetlink-legacy"):
            raise SystemExit("genl-gen: protocol must be genetlink")
        self.name = y["name"]
        self.up = c_upper(self.name)
        self.version = int(y["version"])
        self.sets = {}
        for s in y["attribute-sets"]:
            attrs = []
            for i, a in enumerate(s["attributes"], start=1):
                if a["type"] not in NLA and a["type"] != "pad":
                    raise SystemExit("genl-gen: %s: type %s" % (a["name"], a["type"]))
                attrs.append(dict(a, value=i,
                                  c=c_upper(s["name-prefix"] + a["name"])))
            self.sets[s["name"]] = dict(s, attrs=attrs, byname={a["name"]: a for a in attrs},
                                        enum=c_lower(s["name-prefix"]).rstrip("_"))
        ops = y["operations"]
        self.op_prefix = ops["name-prefix"]
        self.ops = []
        for i, o in enumerate(ops["list"], start=1):
            aset = self.sets[o["attribute-set"]]
            for part in ("do", "event"):
                if part not in o:
                    continue
                names = []
                if part == "do":
                    names = o["do"]["request"]["attributes"] + o["do"]["reply"]["attributes"]
                else:
                    names = o["event"]["attributes"]
                for n in names:
                    if n not in aset["byname"]:
                        raise SystemExit("genl-gen: %s: no attribute %s in set %s"
                                         % (o["name"], n, aset["name"]))
            self.ops.append(dict(o, value=i, c=c_upper(self.op_prefix + o["name"]),
                                 fn=c_lower(o["name"])))
        self.groups = [g["name"] for g in y["mcast-groups"]["list"]]
        self.group_flags = {}
        for g in y["mcast-groups"]["list"]:
            for f in g.get("flags", []):
                if f not in MCAST_FLAGS:
                    raise SystemExit("genl-gen: group %s: flag %s" % (g["name"], f))
            self.group_flags[g["name"]] = g.get("flags", [])
        for o in self.ops:
            for f in o.get("flags", []):
                if f not in OP_FLAGS:
                    raise SystemExit("genl-gen: %s: flag %s" % (o["name"], f))
        for o in self.ops:
            if "event" in o and o.get("mcgrp") not in self.groups:
                raise SystemExit("genl-gen: %s: unknown mcgrp" % o["name"])


def doc_line(s):
    return " ".join(str(s).split())


def wrap(prefix, text, cont, width=79):
    """kernel-doc style wrapping: first line after prefix, then cont."""
    words = doc_line(text).split()
    lines, cur = [], prefix
    for w in words:
        if len(cur) + 1 + len(w) > width and cur.strip() not in ("*", "") and cur != prefix:
            lines.append(cur)
            cur = cont + w
        else:
            cur = cur + ("" if cur.endswith((" ", "\t")) else " ") + w
    lines.append(cur)
    return lines


def gen_uapi(sp):
    out = []
    w = out.append
    w("/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */")
    w("/* Do not edit: made by tools/genl-gen.py from %s */" % GEN)
    w("")
    guard = "_UAPI_LINUX_%s_GENL_H" % sp.up
    w("#ifndef " + guard)
    w("#define " + guard)
    w("")
    w("/**")
    w(" * DOC: the %s generic netlink family" % sp.name)
    w(" *")
    for line in sp.y["doc"].strip().split("\n"):
        w((" * " + line).rstrip())
    w(" */")
    w("")
    w('#define %s_FAMILY_NAME\t"%s"' % (sp.up, sp.name))
    w("#define %s_FAMILY_VERSION\t%d" % (sp.up, sp.version))
    w("")
    for sname, s in sp.sets.items():
        w("/**")
        w(" * enum %s - attributes of the %s set" % (s["enum"], sname))
        for a in s["attrs"]:
            for line in wrap(" * @%s:" % a["c"], "%s: %s" % (a["type"], a["doc"]), " *\t"):
                w(line)
        w(" * @__%s_MAX: one past the last attribute" % c_upper(s["enum"]))
        w(" * @%s_MAX: the last attribute" % c_upper(s["enum"]))
        w(" *")
        for line in wrap(" *", s["doc"], " * "):
            w(line)
        w(" */")
        w("enum %s {" % s["enum"])
        for a in s["attrs"]:
            w("\t%s = %d," % (a["c"], a["value"]) if a["value"] == 1 else "\t%s," % a["c"])
        w("")
        w("\t__%s_MAX," % c_upper(s["enum"]))
        w("\t%s_MAX = (__%s_MAX - 1)" % (c_upper(s["enum"]), c_upper(s["enum"])))
        w("};")
        w("")
    cmd_enum = c_lower(sp.op_prefix).rstrip("_")
    w("/**")
    w(" * enum %s - commands (requests and notifications)" % cmd_enum)
    for o in sp.ops:
        kind = "do" if "do" in o else "notification to group %s" % o["mcgrp"]
        for line in wrap(" * @%s:" % o["c"], "%s; %s" % (kind, o["doc"]), " *\t"):
            w(line)
    w(" * @__%s_MAX: one past the last command" % c_upper(cmd_enum))
    w(" * @%s_MAX: the last command" % c_upper(cmd_enum))
    w(" */")
    w("enum %s {" % cmd_enum)
    for o in sp.ops:
        w("\t%s = %d," % (o["c"], o["value"]) if o["value"] == 1 else "\t%s," % o["c"])
    w("")
    w("\t__%s_MAX," % c_upper(cmd_enum))
    w("\t%s_MAX = (__%s_MAX - 1)" % (c_upper(cmd_enum), c_upper(cmd_enum)))
    w("};")
    w("")
    for g in sp.groups:
        w('#define %s_MCGRP_%s\t"%s"' % (sp.up, c_upper(g), g))
    w("")
    w("#endif /* %s */" % guard)
    return "\n".join(out) + "\n"


def req_attrs(o):
    return o["do"]["request"]["attributes"]


def gen_kh(sp):
    out = []
    w = out.append
    w("/* SPDX-License-Identifier: GPL-2.0 */")
    w("/* Do not edit: made by tools/genl-gen.py from %s */" % GEN)
    w("")
    w("#ifndef _TDXCTL_NETLINK_GEN_H")
    w("#define _TDXCTL_NETLINK_GEN_H")
    w("")
    w("#include <net/netlink.h>")
    w("#include <net/genetlink.h>")
    w("")
    w("#include <%s>" % sp.y["uapi-header"])
    w("")
    w("/* Ops table: one entry per operation with a do handler */")
    nops = sum(1 for o in sp.ops if "do" in o)
    w("extern const struct genl_ops %s_nl_ops[%d];" % (c_lower(sp.name), nops))
    w("")
    for o in sp.ops:
        if "do" in o:
            w("int %s_nl_%s_doit(struct sk_buff *skb, struct genl_info *info);"
              % (c_lower(sp.name), o["fn"]))
    w("")
    w("enum {")
    for g in sp.groups:
        w("\t%s_NLGRP_%s," % (sp.up, c_upper(g)))
    w("};")
    w("")
    w("extern const struct genl_multicast_group %s_nl_mcgrps[%d];"
      % (c_lower(sp.name), len(sp.groups)))
    w("")
    w("#endif /* _TDXCTL_NETLINK_GEN_H */")
    return "\n".join(out) + "\n"


def gen_kc(sp):
    out = []
    w = out.append
    lname = c_lower(sp.name)
    w("// SPDX-License-Identifier: GPL-2.0")
    w("/* Do not edit: made by tools/genl-gen.py from %s */" % GEN)
    w("")
    w("#include <net/netlink.h>")
    w("#include <net/genetlink.h>")
    w("")
    w('#include "netlink-gen.h"')
    w("")
    for o in sp.ops:
        if "do" not in o:
            continue
        s = sp.sets[o["attribute-set"]]
        req = req_attrs(o)
        w("/* %s - do */" % o["c"])
        if req:
            top = max(s["byname"][n]["value"] for n in req)
            topc = [a["c"] for a in s["attrs"] if a["value"] == top][0]
            w("static const struct nla_policy %s_%s_nl_policy[%s + 1] = {"
              % (lname, o["fn"], topc))
            for n in req:
                a = s["byname"][n]
                w("\t[%s] = { .type = %s, }," % (a["c"], NLA[a["type"]]))
            w("};")
        else:
            # no attribute is valid: every type is unsupported (strict
            # validation rejects it) or unknown
            first = s["attrs"][0]["c"]
            w("static const struct nla_policy %s_%s_nl_policy[%s + 1] = {"
              % (lname, o["fn"], first))
            w("\t[%s] = { .type = NLA_REJECT, }," % first)
            w("};")
        w("")
    nops = sum(1 for o in sp.ops if "do" in o)
    w("/* Ops table for %s */" % sp.name)
    w("const struct genl_ops %s_nl_ops[%d] = {" % (lname, nops))
    for o in sp.ops:
        if "do" not in o:
            continue
        s = sp.sets[o["attribute-set"]]
        req = req_attrs(o)
        if req:
            top = max(s["byname"][n]["value"] for n in req)
            topc = [a["c"] for a in s["attrs"] if a["value"] == top][0]
        else:
            topc = s["attrs"][0]["c"]
        flags = " | ".join(OP_FLAGS[f] for f in o.get("flags", [])) or "0"
        w("\t{")
        w("\t\t.cmd\t\t= %s," % o["c"])
        w("\t\t.doit\t\t= %s_nl_%s_doit," % (lname, o["fn"]))
        w("\t\t.policy\t\t= %s_%s_nl_policy," % (lname, o["fn"]))
        w("\t\t.maxattr\t= %s," % topc)
        w("\t\t.flags\t\t= %s," % flags)
        w("\t},")
    w("};")
    w("")
    w("const struct genl_multicast_group %s_nl_mcgrps[%d] = {" % (lname, len(sp.groups)))
    for g in sp.groups:
        flags = [MCAST_FLAGS[f] for f in sp.group_flags[g]]
        if not flags:
            w("\t[%s_NLGRP_%s] = { .name = %s_MCGRP_%s, }," % (sp.up, c_upper(g), sp.up, c_upper(g)))
            continue
        w("\t[%s_NLGRP_%s] = {" % (sp.up, c_upper(g)))
        w("\t\t.name\t= %s_MCGRP_%s," % (sp.up, c_upper(g)))
        for f in flags:
            w("#ifdef %s" % f)
        w("\t\t.flags\t= %s," % " | ".join(flags))
        for f in flags:
            w("#endif")
        w("\t},")
    w("};")
    return "\n".join(out) + "\n"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    check = "--check" in sys.argv
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    spec, root = args
    sp = Spec(spec)
    files = [(UAPI, gen_uapi(sp)), (KH, gen_kh(sp)), (KC, gen_kc(sp))]
    if not check:
        for rel, text in files:
            with open(os.path.join(root, rel), "w") as f:
                f.write(text)
        return 0
    print("1..%d" % len(files))
    bad = 0
    for i, (rel, text) in enumerate(files, start=1):
        try:
            with open(os.path.join(root, rel)) as f:
                have = f.read()
        except OSError as e:
            have = None
            print("# %s: %s" % (rel, e))
        if have == text:
            print("ok %d - %s is what %s makes" % (i, rel, GEN))
            continue
        bad += 1
        print("not ok %d - %s is what %s makes (run tools/genl-gen.py %s .)" % (i, rel, GEN, GEN))
        for line in difflib.unified_diff((have or "").splitlines(), text.splitlines(),
                                         rel + " (committed)", rel + " (from the spec)",
                                         lineterm=""):
            print("# " + line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
