#!/usr/bin/env bash
# Secrets detection accuracy on the labelled generated corpus.
#
#   bench/secrets/accuracy.sh [SEED] [PROJECTS]
#
# Generates the corpus under bench/out/, scans it, and prints line-level recall and precision.
# Uses `corral scan --only secrets --format json` when the corral binary has the scan
# command, else the engine's example binary.
set -euo pipefail
cd "$(dirname "$0")/../.."
SEED="${1:-7}"
PROJECTS="${2:-60}"
OUT="bench/out/secrets/corpus-$SEED"
rm -rf "$OUT" && mkdir -p "$(dirname "$OUT")"
python3 bench/secrets/gen_corpus.py "$OUT" --seed "$SEED" --projects "$PROJECTS"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
CORRAL_BIN="$CARGO_TARGET_DIR/release/corral"
if cargo build --release -q -p corral 2>/dev/null && "$CORRAL_BIN" scan --help >/dev/null 2>&1; then
    "$CORRAL_BIN" scan --only secrets --format json "$OUT" > "$OUT.json" || true
else
    cargo build --release -q -p corral-secrets --example scan_dir
    "$CARGO_TARGET_DIR/release/examples/scan_dir" "$OUT" > "$OUT.json"
fi
python3 bench/secrets/evaluate.py "$OUT/labels.tsv" "$OUT.json"
