# shellcheck shell=bash
# Idempotent installers shared by scripts/demo.sh and scripts/test.sh.
# Each `ensure_*` checks first and installs only what is missing, so a rerun takes seconds.

TRUNK_VERSION="0.21.14"        # 0.22 needs rustc 1.96
# wasm-opt for trunk's release builds (index.html: data-wasm-opt), from npm's binaryen (Debian's
# binaryen 108 cannot read the demo's wasm: it predates table.fill).
BINARYEN_VERSION="132.0.0"
BINARYEN_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/localful/binaryen-$BINARYEN_VERSION"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PATH="$HOME/.cargo/bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

log() { printf '\033[1;34m[localful]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[localful] error:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root to run: $* (install it yourself or run as root)"; fi
}

apt_install() { # apt_install PKG... — Debian/Ubuntu packages
  command -v apt-get >/dev/null || die "apt-get not found; install these yourself: $*"
  if [ ! -f /tmp/.localful-apt-updated ]; then
    log "apt-get update"; as_root apt-get update -qq >/dev/null && touch /tmp/.localful-apt-updated
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

ensure_rust() {
  command -v cargo >/dev/null || die "cargo not found: install Rust with rustup (https://rustup.rs)"
}

ensure_wasm_target() {
  rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown && return
  log "adding rust target wasm32-unknown-unknown"; rustup target add wasm32-unknown-unknown
}

# lock_version CRATE [LOCKFILE] -> the version of CRATE that LOCKFILE (default: the workspace's) holds
lock_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' "${2:-$ROOT/Cargo.lock}"
}

# The wasm-bindgen CLI must equal the wasm-bindgen library the build links, which is whatever
# Cargo.lock holds: read it there, so `cargo update` never leaves the CLI behind.
ensure_wasm_bindgen() {
  local version
  version=$(lock_version wasm-bindgen "${1:-}")
  [ -n "$version" ] || die "no wasm-bindgen in ${1:-$ROOT/Cargo.lock}"
  if command -v wasm-bindgen >/dev/null && wasm-bindgen --version | grep -q " $version\$"; then return; fi
  log "installing wasm-bindgen-cli $version (about 1.5 min)"
  cargo install --locked --quiet wasm-bindgen-cli --version "$version"
}

ensure_trunk() {
  ensure_wasm_opt
  if command -v trunk >/dev/null && trunk --version | grep -q " $TRUNK_VERSION\$"; then return; fi
  log "installing trunk $TRUNK_VERSION (about 5 min on 2 cores)"
  cargo install --locked --quiet trunk --version "$TRUNK_VERSION"
}

# trunk runs the wasm-opt it finds on PATH (any version: Trunk.toml pins none) and would otherwise
# download one, which needs more of the network than the package registries.
ensure_wasm_opt() {
  export PATH="$BINARYEN_DIR/node_modules/.bin:$PATH"
  if [ -x "$BINARYEN_DIR/node_modules/.bin/wasm-opt" ]; then return; fi
  ensure_node
  log "installing wasm-opt (npm binaryen $BINARYEN_VERSION)"
  mkdir -p "$BINARYEN_DIR"
  npm install --prefix "$BINARYEN_DIR" --no-save --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_VERSION"
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then return; fi
  apt_install chromium chromium-driver
}

ensure_node() {
  command -v npm >/dev/null && return
  apt_install nodejs npm
}

ensure_npm_tools() { # npm packages for the browser and conformance tests (tests/js)
  ensure_node
  local dir="$ROOT/tests/js"
  if [ -d "$dir/node_modules" ] && [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then return; fi
  log "npm ci in tests/js"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
}

# Build the demo's bundle before `trunk` runs offline-ish: fetch crates once on a fresh clone.
ensure_fetched() {
  [ -f "$ROOT/target/.localful-fetched" ] && [ "$ROOT/target/.localful-fetched" -nt "$ROOT/Cargo.lock" ] && return
  log "cargo fetch"; (cd "$ROOT" && cargo fetch --quiet) && mkdir -p "$ROOT/target" && touch "$ROOT/target/.localful-fetched"
}
