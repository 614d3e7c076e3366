#!/usr/bin/env bash
# Runs every Localful test suite and prints a per-suite summary.
#
#   scripts/test.sh                     install what is missing, then run all suites
#   scripts/test.sh native wasm         run only the named suites (native, server, wasm, e2e, examples)
#   scripts/test.sh --repeat 5 e2e      run the named suites (all: none named) 5 times; prints each
#                                       run's summary line, then every failure with its run and log
#
# Installs (once; skipped when present): the wasm32 target, wasm-bindgen-cli (pinned), trunk,
# Chromium + chromedriver (Debian), the npm tools in tests/js.
# Postgres-backed server tests run when LOCALFUL_TEST_POSTGRES_URL is set, and say they are
# skipped otherwise. With CI set (non-empty; `.ci/run` sets CI=true) nothing needed is skipped:
# the server suite fails without LOCALFUL_TEST_POSTGRES_URL, and the tests themselves fail when
# node, Chromium or Postgres is missing.
# The wasm suite starts the socket.io reference server and a localful-server on ports the kernel
# picks (so two copies of this script can run at once) and builds the tests with their URLs
# (LOCALFUL_SIO_URL, LOCALFUL_SYNC_SERVER_URL); it fails when either does not start.
# Logs: target/test-logs/ (with --repeat: target/test-logs/run-K/ for run K).
# Exits non-zero when a suite fails, and when a suite that should run executed zero tests.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"
source "$ROOT/scripts/lib/wait.sh"
cd "$ROOT"

REPEAT=0 # 0: one run, logs straight in target/test-logs
SUITES=()
while [ $# -gt 0 ]; do
  case $1 in
    --repeat) [ $# -ge 2 ] || die "--repeat needs a count"; REPEAT=$2; shift 2 ;;
    --repeat=*) REPEAT=${1#--repeat=}; shift ;;
    native|server|wasm|e2e|examples) SUITES+=("$1"); shift ;;
    *) die "unknown argument: $1 (suites: native server wasm e2e examples; option: --repeat N)" ;;
  esac
done
[[ $REPEAT =~ ^[0-9]+$ ]] || die "--repeat needs a count, not '$REPEAT'"
[ ${#SUITES[@]} -eq 0 ] && SUITES=(native server wasm e2e examples)
wants() { local s; for s in "${SUITES[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }
in_ci() { [ -n "${CI:-}" ]; }

ensure_rust
if wants wasm || wants e2e || wants examples; then ensure_wasm_target; ensure_wasm_bindgen; ensure_chromium; fi
if wants e2e || wants examples; then ensure_trunk; fi
ensure_npm_tools
ensure_fetched
command -v node >/dev/null || die "node not found after installing it"
if wants wasm || wants e2e || wants examples; then
  [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || die "Chromium or chromedriver missing after installing them"
fi

LOGS_ROOT="$ROOT/target/test-logs"
export CARGO_TERM_COLOR=never RUST_BACKTRACE=1

# Background servers of this script, stopped on exit whatever happens (a file: suites run in
# subshells of a pipeline).
BG_PIDS=$(mktemp)
stop_all_bg() {
  local pid
  while read -r pid; do kill "$pid" 2>/dev/null; done <"$BG_PIDS"
  rm -f "$BG_PIDS"
}
trap stop_all_bg EXIT
# start_bg LOG COMMAND... — starts COMMAND in the background (its PID is COMMAND's: no subshell);
# sets BG_PID.
start_bg() {
  local log=$1; shift
  "$@" >"$log" 2>&1 &
  BG_PID=$!
  echo "$BG_PID" >>"$BG_PIDS"
}
stop_bg() {
  kill "$1" 2>/dev/null
  wait "$1" 2>/dev/null
  sed -i "/^$1\$/d" "$BG_PIDS"
}

# count_cargo LOG -> "passed failed" summed over every `test result:` line (unit, integration, doc)
count_cargo() {
  awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed;?/) p += $i; if ($(i+1) ~ /^failed;?/) f += $i } }
       END { print p + 0, f + 0 }' "$1"
}
# count_node LOG -> "passed failed" from node's test runner (`# pass N`, `# fail N`)
count_node() {
  awk '/^# pass / { p += $3 } /^# fail / { f += $3 } END { print p + 0, f + 0 }' "$1"
}
# failed_tests LOG -> the names of the failed tests in LOG (cargo's `test x ... FAILED`, TAP's `not ok`)
failed_tests() {
  sed -n -E 's/^test (.*) \.\.\. FAILED$/\1/p; s/^ *not ok [0-9]+ - (.*)$/\1/p' "$1" | sort -u
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

# The official socket.io server for the conformance tests, on a port the kernel picks (it prints
# "listening <port>" once it accepts connections). Sets SIO_URL and SIO_PID.
start_sio_server() {
  local log="$LOGS/socketio-server.log"
  start_bg "$log" env LOCALFUL_SIO_PORT=0 node tests/js/socketio-conformance-server.mjs
  SIO_PID=$BG_PID
  wait_until 60 "the socket.io reference server starts (log: $log)" --pid "$SIO_PID" \
    has_line "$log" '^listening [0-9]+' || return 1
  SIO_URL="http://127.0.0.1:$(log_match "$log" '^listening [0-9]+' | grep -E -o '[0-9]+$')"
}

# A localful-server for the browser sync test (engine_browser): SQLite in a fresh directory, a
# port the kernel picks (it logs "localful-server listening addr=…"), then its health check must
# answer. Sets SYNC_URL, SYNC_PID and SYNC_DATA.
start_sync_server() {
  local log="$LOGS/sync-server.log"
  SYNC_DATA=$(mktemp -d)
  start_bg "$log" env -u LOCALFUL_DATABASE_URL RUST_LOG=info NO_COLOR=1 target/debug/localful-server \
    --bind 127.0.0.1:0 --allowed-origins '*' --data-dir "$SYNC_DATA"
  SYNC_PID=$BG_PID
  local listening='localful-server listening addr=[0-9.]+:[0-9]+'
  wait_until 60 "localful-server starts (log: $log)" --pid "$SYNC_PID" has_line "$log" "$listening" || return 1
  SYNC_URL="http://$(log_match "$log" "$listening" | sed 's/.*addr=//')"
  wait_until 60 "localful-server answers $SYNC_URL/v1/server/health (log: $log)" --pid "$SYNC_PID" \
    curl -fsS --max-time 5 -o /dev/null "$SYNC_URL/v1/server/health" || return 1
}

# The wasm suite: both servers must be up (else it fails, saying which did not start), then the
# tests are built with their URLs and run in headless Chromium (scripts/lib/wasm-test-runner.sh).
wasm_suite() {
  local rc
  SIO_PID="" SYNC_PID="" SYNC_DATA=""
  cargo build -q -p localful-server || return 1
  if start_sio_server && start_sync_server; then
    log "socket.io reference server: $SIO_URL; localful-server: $SYNC_URL"
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="$ROOT/scripts/lib/wasm-test-runner.sh" \
      CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-120} \
      LOCALFUL_SIO_URL="$SIO_URL" LOCALFUL_SYNC_SERVER_URL="$SYNC_URL" \
      cargo test --no-fail-fast --target wasm32-unknown-unknown -p localful-core -p localful-yew -p localful-worker
    rc=$?
    # The benchmarks' own test and tool (scripts/bench/server.sh) are behind features: build them,
    # so a change that breaks them fails here and not in the next benchmark run.
    log "building the benchmark-only targets (sync_bench, localful-bench-sql)"
    cargo test -q --no-run --target wasm32-unknown-unknown -p localful-worker --features sync-bench --test sync_bench \
      && cargo build -q -p localful-server --features bench-tools --bin localful-bench-sql || rc=1
  else
    echo "error: the wasm suite needs both servers; not run"
    rc=1
  fi
  [ -n "$SIO_PID" ] && stop_bg "$SIO_PID"
  [ -n "$SYNC_PID" ] && stop_bg "$SYNC_PID"
  [ -n "$SYNC_DATA" ] && rm -rf "$SYNC_DATA"
  return $rc
}

e2e_suite() {
  cargo build -q -p localful-server || return 1
  trunk build --dist target/e2e/dist index.html || return 1
  # A safety net: a test file that leaves a browser or server open would keep node waiting for
  # ever; the whole suite takes about 6 minutes here, so stop it after 40 (fails the suite).
  LOCALFUL_E2E_DIST="$ROOT/target/e2e/dist" LOCALFUL_SERVER_BIN="$ROOT/target/debug/localful-server" \
    timeout --kill-after=30 2400 node --test --test-reporter=tap tests/js/e2e/
}

# The example apps the README shows (examples/local-notes, examples/synced-notes): the README's
# snippets equal their files (tests/js/examples/readme.test.mjs); the synced one passes
# `cargo check` on the host target; both build with trunk and run in headless Chromium
# (tests/js/examples/apps.test.mjs). Each is its own Cargo project, as a user's app is. Their
# Cargo.lock files began as copies of the root Cargo.lock (cargo pruned what they do not use), so
# they build the versions the workspace has compiled; after a dependency change in the workspace,
# copy it again (`cp Cargo.lock examples/<app>/`) before building. Both build into one target
# directory, target/examples, apart from the workspace's (their own lock files would otherwise
# rebuild shared crates there). The synced app is built for a server at a port picked now, where
# the test starts localful-server.
examples_suite() {
  cargo build -q -p localful-server || return 1
  local target="$ROOT/target/examples" port
  port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })') || return 1
  (cd examples/synced-notes && CARGO_TARGET_DIR="$target" cargo check --bins) || return 1
  (cd examples/local-notes && CARGO_TARGET_DIR="$target" trunk build --dist "$target/dist/local-notes") || return 1
  (cd examples/synced-notes && CARGO_TARGET_DIR="$target" SYNC_SERVER_URL="http://127.0.0.1:$port" \
    trunk build --dist "$target/dist/synced-notes") || return 1
  LOCALFUL_EXAMPLES_DIST="$target/dist" LOCALFUL_EXAMPLES_SERVER_PORT=$port \
    LOCALFUL_SERVER_BIN="$ROOT/target/debug/localful-server" \
    timeout --kill-after=30 1200 node --test --test-reporter=tap tests/js/examples/
}

server_suite() {
  if [ -z "${LOCALFUL_TEST_POSTGRES_URL:-}" ]; then
    if in_ci; then
      echo "error: CI is set but LOCALFUL_TEST_POSTGRES_URL is not: the Postgres cases cannot be skipped in CI"
      return 1
    fi
    log "server: LOCALFUL_TEST_POSTGRES_URL not set: Postgres cases skipped (SQLite only)"
  fi
  cargo test --no-fail-fast -p localful-server
}

# run_all — runs the chosen suites once with logs in $LOGS; prints the table and the summary
# line (SUMMARY); returns non-zero when a suite failed.
run_all() {
  mkdir -p "$LOGS"
  declare -gA PASSED=() FAILED=() STATUS=()
  ORDER=()
  wants native && run_suite native count_cargo cargo test --no-fail-fast -p localful-protocol -p localful-core -p localful-yew -p localful-worker -p localful-demo
  wants server && run_suite server count_cargo server_suite
  wants wasm && run_suite wasm count_cargo wasm_suite
  wants e2e && run_suite e2e count_node e2e_suite
  wants examples && run_suite examples count_node examples_suite

  printf '\n%-10s %8s %8s  %s\n' suite passed failed status
  local s total_p=0 total_f=0 bad=0
  for s in "${ORDER[@]}"; do
    printf '%-10s %8s %8s  %s\n' "$s" "${PASSED[$s]}" "${FAILED[$s]}" "${STATUS[$s]}"
    total_p=$((total_p + PASSED[$s])); total_f=$((total_f + FAILED[$s]))
    case "${STATUS[$s]}" in ok*) ;; *) bad=1 ;; esac
  done
  echo "logs: $LOGS"
  SUMMARY="$total_p passed, $total_f failed"
  echo "$SUMMARY"
  return $bad
}

if [ "$REPEAT" -eq 0 ]; then
  LOGS=$LOGS_ROOT
  run_all
  exit $?
fi

# --repeat N: every run keeps its logs; the failures of all runs are listed at the end.
FAILURES=()
SUMMARIES=()
for run in $(seq "$REPEAT"); do
  LOGS="$LOGS_ROOT/run-$run"
  rm -rf "$LOGS"
  log "run $run of $REPEAT: ${SUITES[*]}"
  run_all
  bad_suites=()
  for s in "${ORDER[@]}"; do
    case "${STATUS[$s]}" in ok*) continue ;; esac
    bad_suites+=("$s")
    names=$(failed_tests "$LOGS/$s.log" | paste -sd ',' | sed 's/,/, /g')
    FAILURES+=("run $run: $s ${STATUS[$s]}${names:+ — $names} — $LOGS/$s.log")
  done
  SUMMARIES+=("run $run: $SUMMARY${bad_suites[*]:+ (failed: ${bad_suites[*]})}")
done
echo
printf '%s\n' "${SUMMARIES[@]}"
if [ ${#FAILURES[@]} -eq 0 ]; then
  echo "$REPEAT runs of ${SUITES[*]}: no failure"
  exit 0
fi
echo "failures:"
printf '  %s\n' "${FAILURES[@]}"
exit 1
