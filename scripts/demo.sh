#!/usr/bin/env bash
# Runs the Localful Notes demo: localful-server (SQLite in ./localful-data) in the background and
# `trunk serve` on http://127.0.0.1:8080, with the server's /v1 and /socket.io paths proxied, so
# the page and its sync server share one origin. Ctrl-C stops both.
# Installs what is missing first (wasm target, wasm-bindgen-cli, trunk); skips what is present.
#
# Settings (environment):
#   LOCALFUL_DEMO_PORT         the page's port (default 8080)
#   LOCALFUL_DEMO_SERVER_PORT  the server's port (default 3000; 0: one the system picks)
#   LOCALFUL_DEMO_DATA_DIR     the server's data directory (default ./localful-data)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"
source "$ROOT/scripts/lib/wait.sh"
cd "$ROOT"

DEMO_PORT="${LOCALFUL_DEMO_PORT:-8080}"
SERVER_PORT="${LOCALFUL_DEMO_SERVER_PORT:-3000}"
DATA_DIR="${LOCALFUL_DEMO_DATA_DIR:-$ROOT/localful-data}"

ensure_rust; ensure_wasm_target; ensure_wasm_bindgen; ensure_trunk; ensure_fetched

if [ "$SERVER_PORT" != 0 ] && (exec 3<>"/dev/tcp/127.0.0.1/$SERVER_PORT") 2>/dev/null; then
  die "port $SERVER_PORT is in use: stop whatever listens there (another demo?) or set LOCALFUL_DEMO_SERVER_PORT"
fi

log "building localful-server"
cargo build --quiet -p localful-server
mkdir -p "$ROOT/target/demo"
SERVER_LOG="$ROOT/target/demo/server-$$.log"
TRUNK_CONFIG="$ROOT/.trunk-demo-$$.toml"
# The page is served by trunk on DEMO_PORT, so that is the origin the sync socket comes from.
target/debug/localful-server --bind "127.0.0.1:$SERVER_PORT" --data-dir "$DATA_DIR" \
  --allowed-origins "http://127.0.0.1:$DEMO_PORT,http://localhost:$DEMO_PORT" > >(tee "$SERVER_LOG") 2>&1 &
SERVER_PID=$!
cleanup() {
  rm -f "$TRUNK_CONFIG"
  kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  log "stopped"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

listening='localful-server listening addr=[0-9.]+:[0-9]+'
wait_until 60 "localful-server starts (see its log above)" --pid "$SERVER_PID" has_line "$SERVER_LOG" "$listening" ||
  die "localful-server did not start"
SERVER_ADDR=$(log_match "$SERVER_LOG" "$listening" | sed 's/.*addr=//')
log "localful-server listening on http://$SERVER_ADDR (data in $DATA_DIR)"

# Trunk.toml proxies to the default 127.0.0.1:3000; trunk takes only one proxy from its command
# line, so the server's real address goes into a copy of the config beside it (paths in it are
# relative to its directory), removed on exit.
sed "s|127\.0\.0\.1:3000|$SERVER_ADDR|g" Trunk.toml > "$TRUNK_CONFIG"
log "building the demo; it will be served at http://127.0.0.1:$DEMO_PORT  (Ctrl-C stops both)"
trunk serve --config "$TRUNK_CONFIG" --port "$DEMO_PORT"
