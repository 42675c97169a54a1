# Installs what the test suite needs and is not on a fresh machine. Sourced by scripts/test.
# Each step is idempotent and quiet when there is nothing to do.

ensure_prereqs() {
  ensure_postgres
  ensure_bubblewrap
  ensure_gate_clients
  ensure_browser
}

# The console's browser tests drive Debian's Chromium through playwright-core (pinned in
# tests/browser/package-lock.json). Install the Debian package and the npm package when they
# are missing; without them those tests print a notice and skip.
ensure_browser() {
  if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    { apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 chromium; } >/dev/null 2>&1 || true
  fi
  command -v chromium >/dev/null 2>&1 ||
    echo "notice: Debian's chromium is not installed; the console's browser tests will skip" >&2
  if [ ! -d tests/browser/node_modules/playwright-core ]; then
    if command -v npm >/dev/null 2>&1; then
      (cd tests/browser && npm ci --no-audit --no-fund --silent) >/dev/null 2>&1 ||
        echo "warning: npm ci in tests/browser failed; the console's browser tests will skip" >&2
    else
      echo "notice: npm is missing; the console's browser tests will skip" >&2
    fi
  fi
}

# The package gate's end-to-end tests drive real pip and uv. They live in a throwaway virtual
# environment (CORRAL_GATE_CLIENTS, default /tmp/corral-gate-clients), installed through the
# machine's ordinary pip configuration; the tests create it themselves when this has not run.
ensure_gate_clients() {
  local venv="${CORRAL_GATE_CLIENTS:-/tmp/corral-gate-clients}"
  [ -x "$venv/bin/uv" ] && [ -x "$venv/bin/pip" ] && return 0
  command -v python3 >/dev/null 2>&1 || {
    echo "warning: python3 is missing; the package gate's pip and uv tests will fail" >&2
    return 0
  }
  { python3 -m venv "$venv" && "$venv/bin/pip" install --quiet uv; } >/dev/null 2>&1 ||
    echo "warning: could not install pip and uv into $venv; the package gate's client tests will fail" >&2
}

# The runner's sandbox tests need bubblewrap (`bwrap`). Install the Debian package when it is
# missing and apt can be used; otherwise those tests print a notice and skip.
ensure_bubblewrap() {
  command -v bwrap >/dev/null 2>&1 && return 0
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 bubblewrap; } >/dev/null 2>&1 || true
  fi
  command -v bwrap >/dev/null 2>&1 ||
    echo "notice: bubblewrap is not installed; the runner's sandbox tests will skip" >&2
}

# The store's PostgreSQL tests run against CORRAL_TEST_DATABASE_URL (each test creates and
# drops its own database). When that URL points at this machine and the server is installed
# but stopped, start it; when nothing answers, say so: those tests then fail with the reason.
ensure_postgres() {
  local url="${CORRAL_TEST_DATABASE_URL:-}"
  [ -n "$url" ] || return 0
  case "$url" in
    *@127.0.0.1:*|*@localhost:*|*@127.0.0.1/*|*@localhost/*) ;;
    *) return 0 ;;
  esac
  command -v pg_isready >/dev/null 2>&1 || return 0
  if pg_isready -q -h 127.0.0.1 -p 5432; then
    return 0
  fi
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    local version
    for version in /etc/postgresql/*; do
      pg_ctlcluster --skip-systemctl-redirect "$(basename "$version")" main start >/dev/null 2>&1 || true
    done
    local _
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      pg_isready -q -h 127.0.0.1 -p 5432 && return 0
      sleep 1
    done
  fi
  echo "warning: PostgreSQL at $url does not answer; the PostgreSQL store tests will fail" >&2
}
