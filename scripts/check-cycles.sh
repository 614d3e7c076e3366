#!/usr/bin/env bash
# Checks that no crate of the workspace has an import cycle between its modules.
#
#   scripts/check-cycles.sh
#
# Reads each crate's module graph with cargo-modules (installed once if missing: it builds parts
# of rust-analyzer, about 20 min on 2 cores, so this is not part of scripts/test.sh) natively, with
# `#[cfg(test)]` code, and for wasm32 for the browser crates; scripts/lib/module_cycles.py
# collapses it to module → module edges and prints every cycle. Exits non-zero on a cycle.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"
cd "$ROOT"

# 0.27 is the last release that builds with this machine's Rust (TOOLCHAIN.md).
CARGO_MODULES_VERSION=0.27.0
if ! cargo modules --version 2>/dev/null | grep -q "$CARGO_MODULES_VERSION"; then
  log "installing cargo-modules $CARGO_MODULES_VERSION (about 20 min on 2 cores)"
  cargo install --locked cargo-modules --version "$CARGO_MODULES_VERSION" || die "could not install cargo-modules"
fi

failed=0
check() { # check CRATE [cargo-modules options...] (the crate's library unless --bin is given)
  local crate=$1; shift
  local graph target=--lib
  [[ " $* " == *" --bin "* ]] && target=
  graph=$(RUST_BACKTRACE=0 cargo modules dependencies -p "$crate" $target --no-externs --no-sysroot "$@" 2>&1)
  if ! grep -q -- '->' <<<"$graph"; then
    echo "$crate $*: cargo-modules gave no graph:"; echo "$graph" | tail -5; failed=1; return
  fi
  if python3 scripts/lib/module_cycles.py <<<"$graph"; then
    echo "$crate ${*:-(native)}: no cycle"
  else
    failed=1
  fi
}
for crate in localful-protocol localful-derive localful-core localful-worker localful-yew localful-server; do
  check "$crate"
  check "$crate" --cfg-test
done
for crate in localful-core localful-worker localful-yew; do
  check "$crate" --target wasm32-unknown-unknown
done
check localful-demo --bin localful-demo --target wasm32-unknown-unknown
exit $failed
