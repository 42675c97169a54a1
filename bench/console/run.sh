#!/usr/bin/env bash
# Web console page latency with a large registry
# (crates/corral-server/examples/bench_console.rs): loads BENCH_ASSETS assets, signs an admin
# in through the sign-in form, and requests the dashboard, the asset list with filters and
# deep pages, the overdue reviews and the owners BENCH_REQUESTS times each, one after another
# on loopback. Prints a Markdown table of median, p95, p99 and maximum per page.
#
#   bench/console/run.sh                                   # SQLite in a temporary directory
#   bench/console/run.sh postgres://postgres@127.0.0.1:5432/console_bench   # an empty database
#
# Tunables: BENCH_ASSETS (10000), BENCH_REQUESTS (300), BENCH_PROFILE (dev; "release" for a
# release build, which takes much longer to compile).
set -euo pipefail
cd "$(dirname "$0")/../.."

assets="${BENCH_ASSETS:-10000}"
requests="${BENCH_REQUESTS:-300}"
profile="${BENCH_PROFILE:-dev}"

if [ "$profile" = release ]; then
  cargo build -q --release -p corral-server --example bench_console
  exec target/release/examples/bench_console "$assets" "$requests" "$@"
fi
cargo build -q -p corral-server --example bench_console
exec target/debug/examples/bench_console "$assets" "$requests" "$@"
