#!/usr/bin/env bash
# Runs the Localful Notes demo: localful-server (SQLite in ./localful-data) on 127.0.0.1:3000 in the
# background and `trunk serve` on http://127.0.0.1:8080 (override with LOCALFUL_DEMO_PORT), with the
# server's /v1 and /socket.io paths proxied. Ctrl-C stops both.
# Installs what is missing first (wasm target, pinned wasm-bindgen-cli, trunk); skips what is present.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"
source "$ROOT/scripts/lib/wait.sh"
cd "$ROOT"

SERVER_ADDR="127.0.0.1:3000" # Trunk.toml proxies to this address
DEMO_PORT="${LOCALFUL_DEMO_PORT:-8080}"

ensure_rust; ensure_wasm_target; ensure_wasm_bindgen; ensure_trunk; ensure_fetched

if (exec 3<>"/dev/tcp/127.0.0.1/3000") 2>/dev/null; then
  die "port 3000 is in use: stop whatever listens there (another demo?) and retry"
fi

log "building localful-server"
cargo build --quiet -p localful-server
# The page is served by trunk on DEMO_PORT, so that is the origin the sync socket comes from.
target/debug/localful-server --bind "$SERVER_ADDR" --data-dir "$ROOT/localful-data" \
  --allowed-origins "http://127.0.0.1:$DEMO_PORT,http://localhost:$DEMO_PORT" &
SERVER_PID=$!
cleanup() { kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null; log "stopped"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

accepts() { (exec 3<>"/dev/tcp/127.0.0.1/3000") 2>/dev/null; }
wait_until 60 "localful-server accepts connections on $SERVER_ADDR (see its log above)" --pid "$SERVER_PID" accepts ||
  die "localful-server did not start"
log "localful-server listening on http://$SERVER_ADDR (data in ./localful-data)"
log "building the demo; it will be served at http://127.0.0.1:$DEMO_PORT  (Ctrl-C stops both)"
trunk serve --port "$DEMO_PORT"
