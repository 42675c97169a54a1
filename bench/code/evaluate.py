#!/usr/bin/env python3
"""Scores a scanner's report against a directory of labelled cases (bench/code/cases/ unless
a third argument names another, such as bench/code/handwritten/web).

A case counts as reported when the report has a finding in that file whose CWE is one of
the case's class CWEs (classes.json). Per class: TPR = reported true cases / true cases,
FPR = reported false cases / false cases, score = TPR - FPR; the summary line averages the
score over classes, the way OWASP-Benchmark-style suites are scored.

    evaluate.py corral report.json     # `corral scan --only code --format json`, or the
                                       # crate's code-scan example
    evaluate.py bandit bandit.json     # `bandit -r cases -f json`
    evaluate.py ruff ruff.json         # `ruff check --select S --output-format json`
    evaluate.py semgrep semgrep.json   # `semgrep --json` (CWE from rule metadata)
    evaluate.py corral report.json bench/code/handwritten/ai   # another case directory

Report paths may be relative to the case directory (the scan's root) or contain it.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases")

# flake8-bandit codes as ruff reports them, mapped to CWE numbers (ruff's JSON has no CWE).
RUFF_CWE = {
    "S102": [94, 95], "S103": [732], "S104": [1327], "S105": [259], "S106": [259], "S107": [259],
    "S108": [377], "S110": [703], "S113": [400], "S201": [489], "S202": [22], "S301": [502],
    "S302": [502], "S303": [327, 328], "S304": [327], "S305": [327], "S306": [377], "S307": [94, 95],
    "S308": [79], "S310": [22], "S311": [330, 338], "S312": [319], "S313": [611], "S314": [611],
    "S315": [611], "S316": [611], "S317": [611], "S318": [611], "S319": [611], "S320": [611],
    "S321": [319], "S323": [295], "S324": [327, 328], "S501": [295], "S502": [327], "S503": [327],
    "S504": [295], "S505": [326], "S506": [502], "S507": [295], "S508": [319], "S509": [319],
    "S601": [78], "S602": [78], "S603": [78], "S604": [78], "S605": [78], "S606": [78],
    "S607": [78], "S608": [89], "S609": [78], "S610": [89], "S611": [89], "S612": [94],
    "S701": [79], "S702": [79], "S704": [79],
}


def findings(kind, report):
    """Yields (relative path, set of CWE numbers) per finding."""
    if kind == "corral":
        for f in report["findings"]:
            yield f["location"]["path"], set(f.get("cwe", []))
    elif kind == "bandit":
        for r in report["results"]:
            yield r["filename"], {r.get("issue_cwe", {}).get("id")}
    elif kind == "ruff":
        for r in report:
            yield r["filename"], set(RUFF_CWE.get(r["code"], []))
    elif kind == "semgrep":
        for r in report["results"]:
            cwes = set()
            for c in r.get("extra", {}).get("metadata", {}).get("cwe", []) or []:
                m = re.search(r"(\d+)", str(c))
                if m:
                    cwes.add(int(m.group(1)))
            yield r["path"], cwes
    else:
        sys.exit(f"unknown report kind {kind}")


def relative(fpath, cases):
    """The case's path below the case directory, as `<class>/<label>/<file>`."""
    fpath = fpath.replace("\\", "/")
    if os.path.isabs(fpath):
        return os.path.relpath(fpath, cases)
    # Relative paths: to the scan root (the case directory) or to a directory above it.
    name = os.path.basename(cases.rstrip("/")) + "/"
    idx = fpath.rfind("/" + name)
    if idx >= 0:
        return fpath[idx + 1 + len(name):]
    if fpath.startswith(name):
        return fpath[len(name):]
    return fpath


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    kind, path = sys.argv[1], sys.argv[2]
    cases = os.path.abspath(sys.argv[3]) if len(sys.argv) == 4 else CASES
    with open(path) as f:
        report = json.load(f)
    with open(os.path.join(HERE, "classes.json")) as f:
        classes = json.load(f)
    hits = {}
    for fpath, cwes in findings(kind, report):
        rel = relative(fpath, cases)
        hits.setdefault(rel, set()).update(c for c in cwes if c is not None)
    print(f"{'class':<16} {'CWE':<10} {'TP':>4} {'FN':>4} {'FP':>4} {'TN':>4} {'TPR':>6} {'FPR':>6} {'score':>6}")
    scores = []
    totals = [0, 0, 0, 0]
    for cls in sorted(classes):
        cwe = set(classes[cls])
        counts = {"true": [0, 0], "false": [0, 0]}
        for label in ("true", "false"):
            d = os.path.join(cases, cls, label)
            if not os.path.isdir(d):
                continue
            for name in sorted(os.listdir(d)):
                rel = f"{cls}/{label}/{name}"
                reported = bool(hits.get(rel, set()) & cwe)
                counts[label][0 if reported else 1] += 1
        tp, fn = counts["true"]
        fp, tn = counts["false"]
        if tp + fn + fp + tn == 0:
            continue  # no cases of this class in this directory
        tpr = tp / (tp + fn) if tp + fn else 0.0
        fpr = fp / (fp + tn) if fp + tn else 0.0
        scores.append(tpr - fpr)
        for i, v in enumerate((tp, fn, fp, tn)):
            totals[i] += v
        cwe_text = ",".join(str(c) for c in sorted(cwe))
        print(f"{cls:<16} {cwe_text:<10} {tp:>4} {fn:>4} {fp:>4} {tn:>4} {tpr:>6.2f} {fpr:>6.2f} {tpr - fpr:>6.2f}")
    avg = sum(scores) / len(scores)
    tp, fn, fp, tn = totals
    print(f"{'all':<16} {'':<10} {tp:>4} {fn:>4} {fp:>4} {tn:>4} {tp / (tp + fn):>6.2f} {fp / (fp + tn):>6.2f} {avg:>6.2f}  (score = mean over {len(scores)} classes)")


if __name__ == "__main__":
    main()
