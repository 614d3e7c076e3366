#!/usr/bin/env bash
# The wasm test runner for `cargo test --target wasm32-unknown-unknown` (scripts/test.sh sets it as
# CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER): wasm-bindgen-test-runner against a ChromeDriver this
# script starts itself, one per test binary, so the runner never races the driver's start-up:
#   1. ChromeDriver is started with `--port=0` and prints the port the kernel gave it;
#   2. its `/status` must answer `"ready": true` (a deadline of 60 s bounds a failure only);
#   3. wasm-bindgen-test-runner is pointed at it (`CHROMEDRIVER_REMOTE`, which the runner prefers
#      to spawning a driver of its own);
#   4. the driver and the browser it started are stopped on exit.
# A driver that does not start fails the run with its log. With CHROMEDRIVER_REMOTE already set,
# that driver is used as it is. CHROMEDRIVER names the driver binary (default: chromedriver on PATH).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/wait.sh"

if [ -n "${CHROMEDRIVER_REMOTE:-}" ]; then exec wasm-bindgen-test-runner "$@"; fi

fail() { printf '\033[1;31m[localful] error:\033[0m %s\n' "$*" >&2; exit 1; }
driver=${CHROMEDRIVER:-$(command -v chromedriver)}
[ -n "$driver" ] && [ -x "$driver" ] || fail "chromedriver not found (set CHROMEDRIVER, or install chromium-driver)"

log=$(mktemp)
# Its own process group (setsid without fork: a background job of a script leads no group), so
# stopping it stops the Chromium it started too.
setsid "$driver" --port=0 >"$log" 2>&1 &
pid=$!
stop() {
  kill -TERM -- "-$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  rm -f "$log"
}
trap stop EXIT

on_port='started successfully on port [0-9]+'
wait_until 60 "ChromeDriver prints its port" --pid "$pid" has_line "$log" "$on_port" || { cat "$log" >&2; exit 1; }
port=$(log_match "$log" "$on_port" | grep -E -o '[0-9]+$')
url="http://127.0.0.1:$port"
ready() { curl -fsS --max-time 5 "$url/status" 2>/dev/null | grep -q '"ready": *true'; }
wait_until 60 "ChromeDriver ready on $url" --pid "$pid" ready || { cat "$log" >&2; exit 1; }

CHROMEDRIVER_REMOTE="$url" wasm-bindgen-test-runner "$@"
