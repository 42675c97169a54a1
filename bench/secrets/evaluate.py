#!/usr/bin/env python3
"""Line-level recall and precision of a Corral JSON report against a corpus's labels.

A labelled (path, line) counts as found when at least one finding starts on that line; a
finding on an unlabelled line is a false positive (several findings on one line count once).

    python3 bench/secrets/evaluate.py CORPUS/labels.tsv report.json [--show 20]
"""
import argparse
import collections
import json


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("labels")
    ap.add_argument("report")
    ap.add_argument("--show", type=int, default=15, help="how many misses and false positives to list")
    args = ap.parse_args()
    expected = {}
    with open(args.labels) as f:
        next(f)
        for row in f:
            path, line, kind = row.rstrip("\n").split("\t")
            expected[(path, int(line))] = kind
    with open(args.report) as f:
        report = json.load(f)
    found = {}
    for finding in report["findings"]:
        if finding.get("scanner", "secrets") != "secrets":
            continue
        loc = finding["location"]
        found.setdefault((loc["path"], loc["line"]), finding["rule_id"])
    tp = [k for k in found if k in expected]
    fp = [k for k in found if k not in expected]
    fn = [k for k in expected if k not in found]
    recall = len(tp) / len(expected) if expected else 1.0
    precision = len(tp) / len(found) if found else 1.0
    print(f"labelled lines: {len(expected)}  reported lines: {len(found)}")
    print(f"recall:    {recall:.4f}  ({len(tp)}/{len(expected)})")
    print(f"precision: {precision:.4f}  ({len(tp)}/{len(found)})")
    by_kind = collections.Counter(expected.values())
    missed_kind = collections.Counter(expected[k] for k in fn)
    weak = [(k, missed_kind[k], n) for k, n in sorted(by_kind.items()) if missed_kind[k]]
    if weak:
        print("missed by kind: " + ", ".join(f"{k} {m}/{n}" for k, m, n in weak))
    for k in sorted(fn)[: args.show]:
        print(f"  missed   {k[0]}:{k[1]} ({expected[k]})")
    for k in sorted(fp)[: args.show]:
        print(f"  false +  {k[0]}:{k[1]} ({found[k]})")


if __name__ == "__main__":
    main()
