#!/usr/bin/env bash
# Scheduler throughput: 10,000 jobs with a trivial command through the real engine on this
# machine, in two shapes — all due at the same minute (burst), and spread over the hour,
# one sixtieth due at the start of every minute (spread; MINUTES consecutive minutes are
# measured). For each: start delays after the slot (median, p99, max), how fast each
# minute's runs drain, the runner's own CPU time, and its peak resident memory.
#
#   bench/runner/scheduler.sh [JOBS] [CONCURRENCY] [off|auto] [MINUTES]
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
# The example and corral-job-exec, which runs start through (see crates/corral-runner/src/job_exec.rs).
cargo build --release -q -p corral --bin corral-job-exec
cargo build --release -q -p corral-runner --example scheduler_throughput
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for shape in burst spread; do
  echo "== $shape; load: $(uptime | sed 's/.*load average: //')"
  "$CARGO_TARGET_DIR/release/examples/scheduler_throughput" "${1:-10000}" "${2:-32}" "${3:-off}" "$shape" "${4:-5}"
  echo "   load after: $(uptime | sed 's/.*load average: //')"
done
