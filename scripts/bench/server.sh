#!/usr/bin/env bash
# Server benchmarks (issue #10, part "server"), each beside a baseline measured in the same run:
#   - ingest rate of versions pushed over socket.io /sync, on SQLite and Postgres, beside plain
#     multi-row INSERTs of the same rows into the same database;
#   - fan-out latency p50/p99 of one write to 1 000 subscribed sockets, then to 5 000 (the scale
#     row of issue #25), beside the official Node socket.io server (plus server CPU time and peak
#     RSS);
#   - initial sync of 10 000 versions into an empty headless Chromium by the sync engine, beside
#     plain JavaScript fetching the same pages into IndexedDB.
#
#   scripts/bench/server.sh          # from the repository root
#
# Writes JSON lines to $LOCALFUL_BENCH_OUT (default target/bench/server.jsonl, emptied first),
# logs to target/bench/logs/. Postgres: LOCALFUL_BENCH_POSTGRES_URL or LOCALFUL_TEST_POSTGRES_URL
# (a fresh schema per run, dropped after); without either the Postgres row says it was skipped.
# Uses ports 3911-3913 and 3915 on 127.0.0.1. Exits non-zero only when a benchmark could not run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/setup.sh"
cd "$ROOT"

ensure_rust
ensure_wasm_target
ensure_wasm_bindgen
ensure_chromium
ensure_npm_tools
ensure_fetched

if [ -z "${LOCALFUL_BENCH_OUT:-}" ]; then
  LOCALFUL_BENCH_OUT="$ROOT/target/bench/server.jsonl"
  mkdir -p "$(dirname "$LOCALFUL_BENCH_OUT")"
  : >"$LOCALFUL_BENCH_OUT"
fi
mkdir -p "$(dirname "$LOCALFUL_BENCH_OUT")"
export LOCALFUL_BENCH_OUT="$(cd "$(dirname "$LOCALFUL_BENCH_OUT")" && pwd)/$(basename "$LOCALFUL_BENCH_OUT")"
export LOCALFUL_BENCH_LOGS="$ROOT/target/bench/logs"
mkdir -p "$LOCALFUL_BENCH_LOGS"

# One build of both binaries (the feature only adds the baseline's binary), in the benchmark
# profile: release optimisation without LTO (root Cargo.toml), for the command's time budget.
log "server bench: building localful-server and localful-bench-sql (profile benchmark)"
cargo build --profile benchmark -q -p localful-server --features bench-tools --bins
BIN="$ROOT/target/benchmark/localful-server"
SQL="$ROOT/target/benchmark/localful-bench-sql"

log "server bench: ingest"
node tests/js/bench/server/ingest.mjs "$BIN" "$SQL"
log "server bench: fan-out to 1 000 sockets"
node tests/js/bench/server/fanout.mjs "$BIN"
# The client process holds 10 000 sockets (5 000 to each server): Node raises its soft open-file
# limit to the hard one (inherited by both servers); under 10 200 the rows say they were skipped.
log "server bench: fan-out to 5 000 sockets"
LOCALFUL_BENCH_FANOUT_SOCKETS=5000 node tests/js/bench/server/fanout.mjs "$BIN"
log "server bench: initial sync (builds localful-worker's sync_bench test for wasm, profile benchmark)"
node tests/js/bench/server/sync.mjs "$BIN"
