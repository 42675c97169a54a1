#!/usr/bin/env bash
# Store benchmark on SQLite and PostgreSQL: audited registrations per second, then paced
# filtered-list requests (p50/p95/p99) on a registry of BENCH_ASSETS assets, then a full audit
# log verification. Figures go to docs/benchmarks.md.
#
#   bench/store.sh                       # SQLite, and PostgreSQL if BENCH_DATABASE_URL is set
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test bench/store.sh
#
# Tunables (environment): BENCH_ASSETS (100000), BENCH_TIMED_REGISTRATIONS (20000),
# BENCH_WRITERS (8), BENCH_RATE (500 requests/s), BENCH_SECONDS (20).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release -p corral-store --example store_bench
bin="${CARGO_TARGET_DIR:-target}/release/examples/store_bench"

echo "== SQLite"
"$bin"

if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  db="corral_bench_$$"
  admin="$BENCH_DATABASE_URL"
  psql "$admin" -qc "CREATE DATABASE $db"
  trap 'psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"' EXIT
  echo "== PostgreSQL"
  "$bin" "${admin%/*}/$db"
fi
