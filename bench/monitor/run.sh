#!/usr/bin/env bash
# Continuous-monitoring benchmark: an estate of BENCH_ASSETS assets (10,000) with
# inventories of 20-80 components each and BENCH_FINDINGS findings (100,000), a base
# advisory set evaluated once, then a 1,000-advisory update imported and every stored
# inventory re-evaluated. Prints the figures as JSON (update_reevaluation_ms is the goal
# figure, < 10 s). SQLite always; PostgreSQL too when BENCH_DATABASE_URL is set (a scratch
# database is created and dropped). Release build.
#
#   bench/monitor/run.sh
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test bench/monitor/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

cargo build --release -p corral-server --example bench_monitor
bin="${CARGO_TARGET_DIR:-target}/release/examples/bench_monitor"

run_one() {
  local label="$1" url_arg="${2:-}"
  local dir; dir="$(mktemp -d)"
  echo "== $label"
  "$bin" "$dir" $url_arg
  rm -rf "$dir"
}

run_one SQLite
if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  db="corral_monitor_bench_$$"
  psql "$BENCH_DATABASE_URL" -qc "CREATE DATABASE $db"
  trap 'psql "$BENCH_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"' EXIT
  run_one PostgreSQL "${BENCH_DATABASE_URL%/*}/$db"
fi
