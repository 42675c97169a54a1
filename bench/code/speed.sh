#!/usr/bin/env bash
# Speed of the code scan next to ruff (flake8-bandit rules), bandit and semgrep, over the same
# Python tree, in one hyperfine run. Peers are installed into a throwaway virtualenv under /tmp.
#
#   bench/code/speed.sh [TREE]     # default: a copy of this Python's standard library
#
# Results go to bench/out/code-speed.md (and are copied into docs/benchmarks.md by hand).
set -euo pipefail
cd "$(dirname "$0")/../.."

TREE="${1:-/tmp/corral-bench-pylib}"
VENV="${VENV:-/tmp/corral-bench-venv}"
RUNS="${RUNS:-3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target-corral-code}"

if [ ! -d "$TREE" ]; then
  # The standard library's .py files, without site-packages: the same bytes for every tool.
  python3 - "$TREE" <<'PY'
import os, shutil, sys, sysconfig
src = sysconfig.get_paths()["stdlib"]
dst = sys.argv[1]
for root, dirs, files in os.walk(src):
    if root == src:
        dirs[:] = [d for d in dirs if d != "site-packages"]
    for f in files:
        if f.endswith(".py"):
            p = os.path.join(root, f)
            q = os.path.join(dst, os.path.relpath(p, src))
            os.makedirs(os.path.dirname(q), exist_ok=True)
            shutil.copy(p, q)
PY
fi
if [ ! -x "$VENV/bin/semgrep" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q ruff bandit semgrep
fi
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 2; }

cargo build --release -p corral-code --example code-scan
BIN="$CARGO_TARGET_DIR/release/examples/code-scan"
mkdir -p bench/out
echo "tree: $TREE ($(find "$TREE" -name '*.py' | wc -l) files, $(du -sh "$TREE" | cut -f1)); $(nproc) cores"
hyperfine --warmup 1 --runs "$RUNS" --ignore-failure \
  --export-markdown bench/out/code-speed.md \
  -n corral "$BIN $TREE > /dev/null" \
  -n "ruff --select S" "$VENV/bin/ruff check --no-cache --select S --exit-zero -q $TREE > /dev/null" \
  -n bandit "$VENV/bin/bandit -q -r $TREE -f json -o /dev/null" \
  -n semgrep "$VENV/bin/semgrep scan --metrics=off --disable-version-check --config bench/code/semgrep-rules.yaml --quiet $TREE > /dev/null"
