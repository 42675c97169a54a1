#!/usr/bin/env bash
# Scheduler throughput: 10,000 jobs with a trivial command due on the same minute, through
# the real engine on this machine. Prints start delays after the slot (median, p99, max),
# time until all runs finished, and the runner's own CPU time.
#
#   bench/runner/scheduler.sh [JOBS] [CONCURRENCY] [off|auto]
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo build --release -q -p corral-runner --example scheduler_throughput
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
"$CARGO_TARGET_DIR/release/examples/scheduler_throughput" "${1:-10000}" "${2:-32}" "${3:-off}"
