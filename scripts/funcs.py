#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Two checks of module/core/, one TAP line each:

  funcs.py SRC-DIR OBJ-DIR [LIMIT]

- the longest core functions (definitions at column 0 through the closing
  brace at column 0, in module/core/*.[ch]), printed; none may be longer
  than LIMIT lines (default 80);
- every global function the core's objects define (nm over OBJ-DIR, a
  build of the module) is referred to somewhere in the module (readelf's
  relocations): a core function only tests call belongs under tests/, a
  dead one nowhere.
"""
import glob
import os
import re
import subprocess
import sys

src, obj = sys.argv[1], sys.argv[2]
limit = int(sys.argv[3]) if len(sys.argv) > 3 else 80
status = 0


def tap(ok, what, detail=()):
    global status
    for line in detail:
        print("#   " + line)
    print(("ok - " if ok else "not ok - ") + what)
    status |= not ok


start = re.compile(r"^(?:static\s+|inline\s+|__always_inline\s+|noinline\s+)*"
                   r"[A-Za-z_][\w\s\*]*?\b(\w+)\s*\(")
lengths = []
for path in sorted(glob.glob(os.path.join(src, "module/core/*.[ch]"))):
    lines = open(path, encoding="utf-8").read().split("\n")
    name, first = None, 0
    for i, line in enumerate(lines):
        if name is None:
            m = start.match(line)
            if m and not line.startswith(("#", "typedef")) and \
                    not line.rstrip().endswith(";"):
                name, first = m.group(1), i
                continue
        elif line.startswith("}"):
            lengths.append((i - first + 1, os.path.relpath(path, src)
                            + ":%d %s()" % (first + 1, name)))
            name = None
        elif line.rstrip().endswith(";") and line.startswith(("struct", "}")):
            name = None
lengths.sort(reverse=True)
long = [l for l in lengths if l[0] > limit]
tap(not long, "no core function over %d lines (longest: %s)"
    % (limit, ", ".join("%s %d" % (w, n) for n, w in lengths[:5])),
    ["%4d lines  %s" % l for l in long])


def symbols(path):
    """Global functions @path defines, and every symbol it refers to
    (relocations: calls within one object to a global function too)."""
    out = subprocess.run(["nm", "--defined-only", path], capture_output=True,
                         text=True, check=True).stdout
    defined = {p[2] for p in (l.split() for l in out.splitlines())
               if len(p) == 3 and p[1] == "T"}
    out = subprocess.run(["readelf", "-rW", path], capture_output=True,
                         text=True, check=True).stdout
    used = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 5 and parts[0][:1].isdigit():
            used.add(re.sub(r"[+-].*$", "", parts[4]))
    return defined, used


core = sorted(glob.glob(os.path.join(obj, "module/core/*.o")))
glue = sorted(glob.glob(os.path.join(obj, "module/*.o")))
if not core or not glue:
    tap(False, "no core objects under " + obj)
    sys.exit(1)
tables = {p: symbols(p) for p in core + glue}
used = set().union(*(u for _, u in tables.values()))


def called_in_own_file(obj_path, sym):
    """An object has no relocation for a call the compiler inlined into
    another function of the same file: look for a second mention there."""
    c = os.path.join(src, "module/core",
                     os.path.basename(obj_path)[:-2] + ".c")
    text = open(c, encoding="utf-8").read() if os.path.exists(c) else ""
    text = re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.S)
    return len(re.findall(r"\b%s\s*\(" % re.escape(sym), text)) > 1


dead = ["%s: %s" % (os.path.basename(p), sym)
        for p in core for sym in sorted(tables[p][0] - used)
        if not called_in_own_file(p, sym)]
tap(not dead, "every global core function has a caller in the module "
    "(%d uncalled)" % len(dead), dead)
sys.exit(status)
