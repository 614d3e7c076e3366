#!/usr/bin/env bash
# The wasm test runner for `cargo test --target wasm32-unknown-unknown` (scripts/test.sh sets it as
# CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER): wasm-bindgen-test-runner against a ChromeDriver this
# script starts itself, one per test binary, so the runner never races the driver's start-up:
#   1. ChromeDriver is started on a port free on 127.0.0.1 and ::1 alike (see below);
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
pid=""
stop() {
  [ -n "$pid" ] && kill -TERM -- "-$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -f "$log"
}
trap stop EXIT

# start_driver PORT — ChromeDriver on PORT, in its own process group (setsid without fork: a
# background job of a script leads no group), so stopping it stops the Chromium it started too.
start_driver() {
  setsid "$driver" --port="$1" >"$log" 2>&1 &
  pid=$!
}

on_port='started successfully on port [0-9]+'
# The port is one free on both loopback addresses (scripts/lib/free-port.mjs; ChromeDriver's own
# `--port=0` checks only one family). Another process can still take it before ChromeDriver binds
# it; then, and only then (ChromeDriver says "Address already in use"), another port is chosen.
for attempt in 1 2 3 4 5; do
  port=$(node "$(dirname "${BASH_SOURCE[0]}")/free-port.mjs") || fail "no free port for ChromeDriver"
  start_driver "$port"
  if wait_until 60 "ChromeDriver starts" --pid "$pid" has_line "$log" "$on_port" 2>/dev/null; then break; fi
  if grep -q 'Address already in use' "$log" && [ "$attempt" -lt 5 ]; then
    printf '[localful] port %s was taken before ChromeDriver bound it: choosing another\n' "$port" >&2
    wait "$pid" 2>/dev/null; pid=""; continue
  fi
  printf '\033[1;31m[localful] error:\033[0m ChromeDriver did not start on port %s within 60 s (its log follows)\n' "$port" >&2
  cat "$log" >&2
  exit 1
done
url="http://127.0.0.1:$port"
ready() { curl -fsS --max-time 5 "$url/status" 2>/dev/null | grep -q '"ready": *true'; }
wait_until 60 "ChromeDriver ready on $url" --pid "$pid" ready || { cat "$log" >&2; exit 1; }

CHROMEDRIVER_REMOTE="$url" wasm-bindgen-test-runner "$@"
