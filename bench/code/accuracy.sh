#!/usr/bin/env bash
# Accuracy on labelled cases: TPR, FPR and TPR-FPR per weakness class, for Corral and, when
# installed in the benchmark virtualenv, ruff, bandit and semgrep.
#
#   bench/code/accuracy.sh                                   # the generated cases
#   CASES=bench/code/handwritten/web bench/code/accuracy.sh  # hand-written handler cases
#   CASES=bench/code/handwritten/ai bench/code/accuracy.sh   # AI-assistant-style snippets
#   PROFILE=dev bench/code/accuracy.sh                       # debug build (same findings)
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV="${VENV:-/tmp/corral-bench-venv}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target-corral-code}"
CASES="${CASES:-bench/code/cases}"
PROFILE="${PROFILE:-release}"
OUT="bench/out/$(echo "$CASES" | tr '/' '-')"
mkdir -p bench/out

cargo build --profile "$PROFILE" -p corral-code --example code-scan
DIR="$PROFILE"; [ "$PROFILE" = dev ] && DIR=debug
"$CARGO_TARGET_DIR/$DIR/examples/code-scan" "$CASES" > "$OUT-corral.json"
echo "== corral"
python3 bench/code/evaluate.py corral "$OUT-corral.json" "$CASES"

if [ -x "$VENV/bin/ruff" ]; then
  "$VENV/bin/ruff" check --no-cache --select S --exit-zero --output-format json "$CASES" > "$OUT-ruff.json"
  echo "== ruff --select S"
  python3 bench/code/evaluate.py ruff "$OUT-ruff.json" "$CASES"
fi
if [ -x "$VENV/bin/bandit" ]; then
  "$VENV/bin/bandit" -q -r "$CASES" -f json -o "$OUT-bandit.json" || true
  echo "== bandit"
  python3 bench/code/evaluate.py bandit "$OUT-bandit.json" "$CASES"
fi
if [ -x "$VENV/bin/semgrep" ]; then
  "$VENV/bin/semgrep" scan --metrics=off --disable-version-check --config bench/code/semgrep-rules.yaml --quiet --json "$CASES" > "$OUT-semgrep.json" || true
  echo "== semgrep (bench/code/semgrep-rules.yaml)"
  python3 bench/code/evaluate.py semgrep "$OUT-semgrep.json" "$CASES"
fi
