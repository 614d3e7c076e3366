#!/usr/bin/env bash
# The wasm test runner for `cargo test --target wasm32-unknown-unknown` (scripts/test.sh sets it as
# CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER): wasm-bindgen-test-runner, started again (up to three
# times) when ChromeDriver did not come up in time — "driver failed to bind port during startup",
# seen once in a fresh-clone CI run on 2026-12-03 under load. Nothing has run when that happens, so
# a retry cannot count a test twice; any other failure is the test's and is returned as it is.
set -uo pipefail
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for attempt in 1 2 3; do
  wasm-bindgen-test-runner "$@" 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  if [ "$rc" -eq 0 ] || ! grep -q "driver failed to bind port during startup" "$out"; then
    exit "$rc"
  fi
  echo "[localful] ChromeDriver did not start (attempt $attempt of 3); starting it again" >&2
  sleep 2
done
exit "$rc"
