#!/usr/bin/env bash
# Runs every Localful test suite and prints a per-suite summary.
#
#   scripts/test.sh            install what is missing, then run all suites
#   scripts/test.sh native wasm  run only the named suites (native, server, wasm, e2e)
#
# Installs (once; skipped when present): the wasm32 target, wasm-bindgen-cli (pinned), trunk,
# Chromium + chromedriver (Debian), the npm tools in tests/js.
# Postgres/Redis-backed server tests run when LOCALFUL_TEST_POSTGRES_URL
# are set, and say they are skipped otherwise.
# Exits non-zero when a suite fails, and when a suite that should run executed zero tests.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"
cd "$ROOT"

SUITES=("$@")
[ ${#SUITES[@]} -eq 0 ] && SUITES=(native server wasm e2e)
wants() { local s; for s in "${SUITES[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }

ensure_rust
if wants wasm || wants e2e; then ensure_wasm_target; ensure_wasm_bindgen; ensure_chromium; fi
if wants e2e; then ensure_trunk; fi
ensure_npm_tools
ensure_fetched

LOGS="$ROOT/target/test-logs"
mkdir -p "$LOGS"
declare -A PASSED FAILED STATUS
ORDER=()
export CARGO_TERM_COLOR=never RUST_BACKTRACE=1

# count_cargo LOG -> "passed failed" summed over every `test result:` line (unit, integration, doc)
count_cargo() {
  awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed;?/) p += $i; if ($(i+1) ~ /^failed;?/) f += $i } }
       END { print p + 0, f + 0 }' "$1"
}
# count_node LOG -> "passed failed" from node's test runner (`# pass N`, `# fail N`)
count_node() {
  awk '/^# pass / { p += $3 } /^# fail / { f += $3 } END { print p + 0, f + 0 }' "$1"
}

# run_suite NAME COUNTER COMMAND... — runs COMMAND with output to the suite's log (and the terminal)
run_suite() {
  local name=$1 counter=$2; shift 2
  local log="$LOGS/$name.log"
  log "suite $name: $*"
  local start=$SECONDS
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  read -r p f < <("$counter" "$log")
  ORDER+=("$name"); PASSED[$name]=$p; FAILED[$name]=$f
  if [ "$rc" -ne 0 ] || [ "$f" -ne 0 ]; then STATUS[$name]="FAILED (exit $rc)"
  elif [ "$p" -eq 0 ]; then STATUS[$name]="FAILED (ran no test)"
  else STATUS[$name]="ok ($((SECONDS - start)) s)"; fi
}

if wants native; then
  run_suite native count_cargo cargo test -p localful-core -p localful-yew -p localful-worker
fi

if wants server; then
  [ -z "${LOCALFUL_TEST_POSTGRES_URL:-}" ] && log "server: LOCALFUL_TEST_POSTGRES_URL not set: Postgres cases skipped (SQLite only)"
  run_suite server count_cargo cargo test -p localful-server
fi

if wants wasm; then
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="$ROOT/scripts/lib/wasm-test-runner.sh"
  export CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-120}
  sio_pid=""
  if [ -f tests/js/socketio-conformance-server.mjs ]; then
    # The browser conformance tests expect the official socket.io server on port 3901.
    LOCALFUL_SIO_PORT=3901 node tests/js/socketio-conformance-server.mjs >"$LOGS/socketio-server.log" 2>&1 &
    sio_pid=$!
    for _ in $(seq 100); do grep -q listening "$LOGS/socketio-server.log" 2>/dev/null && break; sleep 0.1; done
    grep -q listening "$LOGS/socketio-server.log" || log "warning: the socket.io reference server did not start (see $LOGS/socketio-server.log)"
  fi
  # The browser sync test (localful-worker engine_browser) talks to a real localful-server.
  sync_pid=""
  if cargo build -q -p localful-server; then
    sync_data=$(mktemp -d)
    target/debug/localful-server --bind 127.0.0.1:3902 --allowed-origins '*' --data-dir "$sync_data" \
      >"$LOGS/sync-server.log" 2>&1 &
    sync_pid=$!
    export LOCALFUL_SYNC_SERVER_URL=http://127.0.0.1:3902
  fi
  run_suite wasm count_cargo cargo test --target wasm32-unknown-unknown -p localful-core -p localful-yew -p localful-worker
  [ -n "$sio_pid" ] && kill "$sio_pid" 2>/dev/null
  [ -n "$sync_pid" ] && kill "$sync_pid" 2>/dev/null && rm -rf "$sync_data"
fi

if wants e2e; then
  e2e() {
    cargo build -q -p localful-server || return 1
    trunk build --dist target/e2e/dist index.html || return 1
    # A safety net: a test file that leaves a browser or server open would keep node waiting for
    # ever; the whole suite takes about 6 minutes here, so stop it after 40 (fails the suite).
    LOCALFUL_E2E_DIST="$ROOT/target/e2e/dist" LOCALFUL_SERVER_BIN="$ROOT/target/debug/localful-server" \
      timeout --kill-after=30 2400 node --test --test-reporter=tap tests/js/e2e/
  }
  run_suite e2e count_node e2e
fi

printf '\n%-10s %8s %8s  %s\n' suite passed failed status
total_p=0; total_f=0; bad=0
for s in "${ORDER[@]}"; do
  printf '%-10s %8s %8s  %s\n' "$s" "${PASSED[$s]}" "${FAILED[$s]}" "${STATUS[$s]}"
  total_p=$((total_p + PASSED[$s])); total_f=$((total_f + FAILED[$s]))
  case "${STATUS[$s]}" in ok*) ;; *) bad=1 ;; esac
done
echo "logs: $LOGS"
echo "$total_p passed, $total_f failed"
exit $bad
