#!/usr/bin/env bash
# Dependency-scanner benchmarks. Figures are recorded in docs/benchmarks.md (## Dependencies).
#
#   bench/deps/run.sh [PYPI_TSV] [NPM_TSV]
#
# PYPI_TSV / NPM_TSV are package lists with popularity columns (name, version, month,
# rank_among_15000_most_downloaded, … for PyPI; name, version, downloads_a_month, … for npm).
# They are inputs only and are never committed. Work files go to a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/../.."

PYPI_TSV="${1:-/work/.library/env/packages/pypi.tsv}"
NPM_TSV="${2:-/work/.library/env/packages/npm.tsv}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cargo build --release -q -p corral-deps --example deps_bench --example typosquat_eval
BIN="$CARGO_TARGET_DIR/release/examples"

echo "== 1,000-package lockfile against a full-size PyPI advisory set"
"$BIN/deps_bench" lockfile "$PYPI_TSV" "$WORK"

echo "== existence + typosquat throughput over the whole PyPI name list"
"$BIN/deps_bench" names "$PYPI_TSV"

echo "== typosquat detection: generated typosquats (seeds 6 and 7; rules were tuned on 1-5), the"
echo "   labelled names of bench/deps/labelled-names.tsv, and legitimate names"
for seed in 6 7; do
  "$BIN/typosquat_eval" pypi "$PYPI_TSV" "$seed" bench/deps/labelled-names.tsv
  "$BIN/typosquat_eval" npm "$NPM_TSV" "$seed" bench/deps/labelled-names.tsv
done
