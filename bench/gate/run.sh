#!/usr/bin/env bash
# Package gate benchmark over loopback. Starts a local upstream index with generated wheels
# and a gate in front of it (crates/corral-gate/examples/bench_gate.rs), then measures:
#
#   1. cold project pages: the gate's overhead over the upstream's own latency (printed by
#      the example, BENCH_COLD projects, one request each);
#   2. warm project pages (JSON) and warm files with wrk: requests/s and p50/p90/p99;
#   2p. the same page and file paced: BENCH_RATE requests/s for BENCH_PACED_SECONDS each,
#      open loop, latency from each request's intended send time (examples/paced_load.rs);
#   3. `pip install` of BENCH_PACKAGES packages through the gate vs. straight from the
#      upstream, BENCH_RUNS alternating runs each, fresh target and no pip cache: mean wall
#      times and their ratio.
#
#   bench/gate/run.sh
#
# Tunables: BENCH_PACKAGES (30), BENCH_COLD (200), BENCH_SECONDS (15), BENCH_CONNECTIONS (8),
# BENCH_RUNS (5), BENCH_RATE (1000), BENCH_PACED_SECONDS (30); BENCH_ONLY_PACED=1 skips wrk
# and pip install. Needs wrk (installed with apt-get when missing and root) and pip (the venv
# from scripts/lib/prereqs.sh, CORRAL_GATE_CLIENTS).
set -euo pipefail
cd "$(dirname "$0")/../.."

packages="${BENCH_PACKAGES:-30}"
cold="${BENCH_COLD:-200}"
seconds="${BENCH_SECONDS:-15}"
conns="${BENCH_CONNECTIONS:-8}"
runs="${BENCH_RUNS:-5}"
rate="${BENCH_RATE:-1000}"
paced_seconds="${BENCH_PACED_SECONDS:-30}"
only_paced="${BENCH_ONLY_PACED:-0}"

if ! command -v wrk >/dev/null; then
  apt-get install -y -qq wrk >/dev/null
fi
# shellcheck source=scripts/lib/prereqs.sh
source scripts/lib/prereqs.sh
ensure_gate_clients
venv="${CORRAL_GATE_CLIENTS:-/tmp/corral-gate-clients}"

cargo build --release -q -p corral-gate --example bench_gate --example paced_load
bin="${CARGO_TARGET_DIR:-target}/release/examples/bench_gate"
paced="${CARGO_TARGET_DIR:-target}/release/examples/paced_load"

work="$(mktemp -d)"
mkfifo "$work/stdin"
"$bin" "$packages" "$cold" < "$work/stdin" > "$work/urls" 2> "$work/log" &
pid=$!
exec 3> "$work/stdin"
cleanup() { exec 3>&- || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 600); do grep -q READY "$work/urls" 2>/dev/null && break; sleep 0.2; done
upstream="$(sed -n 's/^UPSTREAM=//p' "$work/urls")"
gate="$(sed -n 's/^GATE=//p' "$work/urls")"
echo "== 1. cold pages"
cat "$work/log"

set_list=()
for i in $(seq 0 $((packages - 1))); do set_list+=("$(printf 'bench-pkg-%02d' "$i")"); done

pip_install() {
  local index="$1" target="$2"
  "$venv/bin/python" -m pip install --isolated --no-cache-dir --disable-pip-version-check \
    --quiet --index-url "$index" --target "$target" "${set_list[@]}"
}

# Warm the gate: every page and file of the set is fetched, verified and cached once.
pip_install "$gate" "$work/warm"

json=application/vnd.pypi.simple.v1+json
# File links are relative to the page; wrk needs the resolved URL (no `..` segments).
file_url="$(curl -s -H "Accept: $json" "${gate}bench-pkg-00/" |
  "$venv/bin/python" -c 'import json,sys,urllib.parse as u; p=json.load(sys.stdin); print(u.urljoin(sys.argv[1], p["files"][-1]["url"]))' "${gate}bench-pkg-00/")"
status="$(curl -s -o /dev/null -w '%{http_code}' "$file_url")"
[ "$status" = 200 ] || { echo "the file URL $file_url answered $status" >&2; exit 1; }

echo "== 2p. paced, open loop: $rate requests/s for ${paced_seconds}s each (load: $(uptime | sed 's/.*load average: //'))"
echo -n "   warm page (JSON): "
"$paced" "${gate}bench-pkg-00/" "$rate" "$paced_seconds" "$json"
echo -n "   warm file (wheel): "
"$paced" "$file_url" "$rate" "$paced_seconds"
[ "$only_paced" = 1 ] && exit 0

echo "== 2a. warm project pages (JSON), $conns connections, ${seconds}s"
wrk -t2 -c"$conns" -d"${seconds}s" --latency -H "Accept: $json" "${gate}bench-pkg-00/" |
  grep -E "Requests/sec|Non-2xx|Socket errors|^ +(50|90|99)%"
echo "== 2b. warm files (one wheel), $conns connections, ${seconds}s"
wrk -t2 -c"$conns" -d"${seconds}s" --latency "$file_url" |
  grep -E "Requests/sec|Non-2xx|Socket errors|^ +(50|90|99)%"

echo "== 3. pip install of $packages packages, $runs runs each (alternating)"
direct_total=0
gate_total=0
for run in $(seq "$runs"); do
  for which in direct gate; do
    index="$upstream"; [ "$which" = gate ] && index="$gate"
    target="$work/$which-$run"
    start=$(date +%s%N)
    pip_install "$index" "$target"
    end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 ))
    echo "   run $run $which: ${ms} ms"
    if [ "$which" = gate ]; then gate_total=$((gate_total + ms)); else direct_total=$((direct_total + ms)); fi
  done
done
echo "   mean direct: $((direct_total / runs)) ms; mean through the gate: $((gate_total / runs)) ms"
"$venv/bin/python" -c "print('   ratio gate / direct: %.3f' % ($gate_total / $direct_total))"
