#!/usr/bin/env bash
# Secrets scanning speed: Corral vs kingfisher vs detect-secrets, with ripgrep as the floor.
#
#   bench/secrets/speed.sh [TREE]        # default TREE: a copy of the local Python lib/
#
# Peer tools go into a throwaway virtualenv under /tmp; nothing is installed into the project.
# Output: hyperfine's table (also as JSON/Markdown under bench/out/secrets/) and peak RSS per
# tool from /usr/bin/time. RUNS, WARMUP and DS_TIMEOUT tune the run. Uses
# `corral scan --only secrets` when a release corral binary with the scan command is already
# built (cargo build --release -p corral), else the engine's own example binary (same walker,
# same report schema).
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS="${RUNS:-3}"
WARMUP="${WARMUP:-1}"
# detect-secrets needs tens of minutes on the default tree; past this many seconds it is
# stopped and hyperfine records the time-out (a lower bound).
DS_TIMEOUT="${DS_TIMEOUT:-1200}"
OUT=bench/out/secrets
mkdir -p "$OUT"
TREE="${1:-/tmp/corral-bench-tree}"
VENV="${VENV:-/tmp/corral-bench-venv}"

if [ ! -d "$TREE" ]; then
    src="$(python3 -c 'import sysconfig, os; print(os.path.dirname(sysconfig.get_paths()["stdlib"]))')"
    echo "== copying $src to $TREE (without __pycache__)"
    cp -r "$src" "$TREE"
    find "$TREE" -name __pycache__ -type d -prune -exec rm -rf {} +
fi
echo "== tree: $(du -sh "$TREE" | cut -f1), $(find "$TREE" -type f | wc -l) files"

for tool in hyperfine rg; do
    command -v "$tool" >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine ripgrep time; break; }
done
if [ ! -x "$VENV/bin/kingfisher" ] || [ ! -x "$VENV/bin/detect-secrets" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q kingfisher-bin detect-secrets
fi

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
CORRAL_BIN="$CARGO_TARGET_DIR/release/corral"
if [ -x "$CORRAL_BIN" ] && "$CORRAL_BIN" scan --help >/dev/null 2>&1; then
    CORRAL="$CORRAL_BIN scan --only secrets --format json $TREE"
else
    cargo build --release -q -p corral-secrets --example scan_dir
    CORRAL="$CARGO_TARGET_DIR/release/examples/scan_dir $TREE"
fi
KINGFISHER="$VENV/bin/kingfisher scan $TREE --no-validate --no-update-check --format json -o /dev/null"
DETECT_SECRETS="sh -c 'cd $TREE && $VENV/bin/detect-secrets scan --all-files . > /dev/null'"
RG="rg -uuu -c -i 'password|secret|token|api_key' $TREE"

echo "== versions"
"$VENV/bin/kingfisher" --version
echo "detect-secrets $("$VENV/bin/detect-secrets" --version)"
rg --version | head -1

echo "== hyperfine ($RUNS runs, $WARMUP warm-up; peak RSS of the last run via /usr/bin/time)"
find "$TREE" -type f -exec cat {} + > /dev/null   # warm the page cache for every tool alike
rss() { echo "/usr/bin/time -f %M -o $OUT/$1.rss"; }
hyperfine --warmup "$WARMUP" --runs "$RUNS" --ignore-failure \
    --export-json "$OUT/hyperfine.json" --export-markdown "$OUT/hyperfine.md" \
    -n corral "$(rss corral) $CORRAL > /dev/null" \
    -n kingfisher "$(rss kingfisher) $KINGFISHER" \
    -n detect-secrets "$(rss detect-secrets) timeout $DS_TIMEOUT $DETECT_SECRETS" \
    -n rg "$(rss rg) $RG > /dev/null"
echo "== peak RSS (KB)"
for name in corral kingfisher detect-secrets rg; do
    printf '%-15s %s\n' "$name" "$(tail -1 "$OUT/$name.rss")"
done
