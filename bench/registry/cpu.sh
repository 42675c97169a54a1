#!/usr/bin/env bash
# CPU per registration on PostgreSQL: the server's and the database's user+system time
# (/proc/PID/stat) over a wrk run of POST /api/v1/assets, divided by the requests.
#
#   bench/registry/cpu.sh BENCH_SERVER [CONNECTIONS] [SECONDS]
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test (the default)
#
# A scratch database is created and dropped. After a 2-second warm-up (the pool fills), it
# counts the server process, every backend connected to the scratch database (those that
# start during the run too) and PostgreSQL's background processes (WAL writer,
# checkpointer…). Run two builds in turn to compare them: on a shared machine the rate
# moves with the neighbours' load, CPU per registration much less.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="$1"; conns="${2:-16}"; seconds="${3:-10}"
url="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
db="corral_cpu_bench_$$"
psql "$url" -qc "CREATE DATABASE $db"
trap 'psql "$url" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"' EXIT
dir="$(mktemp -d)"
"$bin" "$dir" 127.0.0.1:8799 "${url%/*}/$db" > "$dir/url" 2> "$dir/log" &
pid=$!
for _ in $(seq 100); do [ -s "$dir/bench-token" ] && break; sleep 0.2; done
export CORRAL_TOKEN; CORRAL_TOKEN="$(cat "$dir/bench-token")"
base=http://127.0.0.1:8799
BENCH_PREFIX=w wrk -t2 -c"$conns" -d2s -s bench/registry/register.lua "$base" > /dev/null

ticks() { # clock ticks of user+system time of the given processes
  local total=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] && total=$(( total + $(awk '{print $14 + $15}' "/proc/$p/stat") ))
  done
  echo "$total"
}
backends() { psql "$url" -Atc "SELECT pid FROM pg_stat_activity WHERE datname = '$db'" | tr '\n' ' '; }
background() { psql "$url" -Atc "SELECT pid FROM pg_stat_activity WHERE backend_type <> 'client backend'" | tr '\n' ' '; }

before_backends=$(backends); aux=$(background)
s0=$(ticks "$pid"); b0=$(ticks $before_backends); a0=$(ticks $aux)
out=$(BENCH_PREFIX=m wrk -t2 -c"$conns" -d"${seconds}s" -s bench/registry/register.lua "$base")
after_backends=$(backends)
s1=$(ticks "$pid"); b1=$(ticks $before_backends); a1=$(ticks $aux)
new=""
for p in $after_backends; do
  case " $before_backends " in *" $p "*) ;; *) new="$new $p" ;; esac
done
bn=$(ticks $new)
requests=$(echo "$out" | awk '/requests in/ {print $1}')
rate=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
awk -v r="$requests" -v s=$((s1 - s0)) -v b=$((b1 - b0 + bn)) -v a=$((a1 - a0)) \
  -v hz="$(getconf CLK_TCK)" -v rate="$rate" -v c="$conns" -v e="${errors:-0}" 'BEGIN {
  f = 1000 / hz / r
  printf "%d connections: %s registrations/s (%d requests, %d not 2xx); CPU per registration: server %.3f ms, backends %.3f ms, background %.3f ms, total %.3f ms\n",
    c, rate, r, e, s * f, b * f, a * f, (s + b + a) * f
}'
kill -INT "$pid"; wait "$pid" || true
rm -rf "$dir"
