#!/usr/bin/env bash
# Accuracy on the labelled cases (bench/code/cases): TPR, FPR and TPR-FPR per weakness class,
# for Corral and, when installed in the benchmark virtualenv, ruff, bandit and semgrep.
#
#   bench/code/accuracy.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV="${VENV:-/tmp/corral-bench-venv}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target-corral-code}"
CASES=bench/code/cases
mkdir -p bench/out

cargo build --release -p corral-code --example code-scan
"$CARGO_TARGET_DIR/release/examples/code-scan" "$CASES" > bench/out/code-corral.json
echo "== corral"
python3 bench/code/evaluate.py corral bench/out/code-corral.json

if [ -x "$VENV/bin/ruff" ]; then
  "$VENV/bin/ruff" check --no-cache --select S --exit-zero --output-format json "$CASES" > bench/out/code-ruff.json
  echo "== ruff --select S"
  python3 bench/code/evaluate.py ruff bench/out/code-ruff.json
fi
if [ -x "$VENV/bin/bandit" ]; then
  "$VENV/bin/bandit" -q -r "$CASES" -f json -o bench/out/code-bandit.json || true
  echo "== bandit"
  python3 bench/code/evaluate.py bandit bench/out/code-bandit.json
fi
if [ -x "$VENV/bin/semgrep" ]; then
  "$VENV/bin/semgrep" scan --metrics=off --disable-version-check --config bench/code/semgrep-rules.yaml --quiet --json "$CASES" > bench/out/code-semgrep.json || true
  echo "== semgrep (bench/code/semgrep-rules.yaml)"
  python3 bench/code/evaluate.py semgrep bench/out/code-semgrep.json
fi
