#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Line coverage of a source directory from gcov data: runs gcov (JSON
# output) on every .gcda under the object directories, merges what all of
# them say of each line - headers are compiled into many objects - and
# prints one figures line, a table by file and, with --unreached, the lines
# never executed grouped by function.
#
#   coverage.py --label LABEL --under module/core [--under ...]
#               [--min PERCENT] [--unreached FILE] [--brief] OBJDIR...
#
# A source file counts when its path contains one of the --under
# directories (its part from there on names it). Exit 1 if the total is
# below --min.

import argparse
import json
import os
import subprocess
import sys


def gcov_json(gcda):
    """The gcov JSON documents for one .gcda (one per line of output)."""
    out = subprocess.run(['gcov', '-j', '-t', '-o', os.path.dirname(gcda),
                          gcda], capture_output=True, text=True,
                         cwd=os.path.dirname(gcda))
    for line in out.stdout.splitlines():
        line = line.strip()
        if line.startswith('{'):
            yield json.loads(line)


def name_of(path, unders):
    """@path from the last of the --under directories it lies in."""
    for u in unders:
        i = path.rfind(u.rstrip('/') + '/')
        if i >= 0:
            return path[i:]
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--label', required=True)
    ap.add_argument('--under', action='append', required=True)
    ap.add_argument('--min', type=float, default=0)
    ap.add_argument('--unreached')
    ap.add_argument('--brief', action='store_true',
                    help='the figures line only')
    ap.add_argument('objdirs', nargs='+')
    a = ap.parse_args()

    counts = {}     # file -> line -> (count, function)
    ngcda = 0
    for d in a.objdirs:
        for root, _, files in os.walk(d):
            for f in files:
                if not f.endswith('.gcda'):
                    continue
                ngcda += 1
                for doc in gcov_json(os.path.join(root, f)):
                    for src in doc.get('files', []):
                        name = name_of(src['file'], a.under)
                        if not name:
                            continue
                        lines = counts.setdefault(name, {})
                        for ln in src['lines']:
                            n = ln['line_number']
                            c, fn = lines.get(n, (0, ''))
                            lines[n] = (max(c, ln['count']),
                                        fn or ln.get('function_name', ''))
    total = sum(len(v) for v in counts.values())
    hit = sum(1 for v in counts.values() for c, _ in v.values() if c)
    pct = 100.0 * hit / total if total else 0.0
    print('# figures: coverage: %s: %.1f%% of lines (%d of %d, %d files, '
          '%d gcov data files)' % (a.label, pct, hit, total, len(counts),
                                   ngcda))
    for name in [] if a.brief else sorted(counts):
        v = counts[name]
        h = sum(1 for c, _ in v.values() if c)
        print('#   %-28s %5.1f%% %5d of %5d' % (name, 100.0 * h / len(v),
                                               h, len(v)))
    if a.unreached:
        with open(a.unreached, 'w') as out:
            for name in sorted(counts):
                by_fn = {}
                for n, (c, fn) in sorted(counts[name].items()):
                    if not c:
                        by_fn.setdefault(fn or '?', []).append(n)
                for fn, ns in sorted(by_fn.items()):
                    out.write('%s %s: %d lines (%s)\n' % (
                        name, fn, len(ns), ','.join(map(str, ns))))
    if total == 0 or pct < a.min:
        print('coverage: %s: %.1f%% is below %.1f%%' % (a.label, pct, a.min),
              file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
