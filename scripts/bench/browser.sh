#!/usr/bin/env bash
# Browser benchmarks (issue #10, part "browser"): the store, crypto and hooks in headless Chromium,
# each beside its baseline measured in the same run (see benches/README.md for every row):
#   - write one item (p50, p95) beside plain JS (WebCrypto + IndexedDB + BroadcastChannel);
#   - import 10 000 items (VaultHandle::create_many) beside plain JS and Dexie.js bulkPut;
#   - query 10 000 encrypted items by an indexed field (1 %) and by a data filter, beside plain JS;
#   - a write in one tab to the DOM of another (localful-yew use_query), beside plain JS;
#   - unlock (PBKDF2 600 000) beside WebCrypto's deriveBits;
#   - an encrypted backup of 10 000 items: export, restore into fresh databases, peak wasm memory;
#   - the demo's wasm sizes (main app and sync worker) and the README example's, raw and gzip -9.
#
#   scripts/bench/browser.sh        # from the repository root
#   LOCALFUL_BENCH_QUICK=1 scripts/bench/browser.sh   # fewer rounds and 2 000 items: a dry run
#   LOCALFUL_BENCH_ONLY=backup scripts/bench/browser.sh   # only the named benchmarks (see benches/README.md)
#
# Builds with trunk: the benchmark page in the benchmark profile (opt-level 3, no LTO; benches/browser
# → target/bench/browser-dist) and the demo as it ships (--release; index.html → target/bench/demo-dist,
# for its wasm sizes). Writes JSON lines to
# $LOCALFUL_BENCH_OUT (default target/bench/browser.jsonl, emptied first). Exits non-zero only when
# the benchmark could not run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/setup.sh"
cd "$ROOT"

ensure_rust
ensure_wasm_target
ensure_wasm_bindgen
ensure_chromium
ensure_trunk
ensure_npm_tools
ensure_fetched

export LOCALFUL_BENCH_OUT="${LOCALFUL_BENCH_OUT:-$ROOT/target/bench/browser.jsonl}"
mkdir -p "$(dirname "$LOCALFUL_BENCH_OUT")"

start=$SECONDS
# The benchmark profile (root Cargo.toml): release optimisation without LTO, for the time budget.
log "browser bench: trunk build of the benchmark page (profile benchmark)"
(cd benches/browser && trunk build --cargo-profile benchmark --dist "$ROOT/target/bench/browser-dist" index.html)
# The sizes are those of the shipped build: `--release` (index.html: the size-tuned profile
# wasm-release, fat LTO, wasm-opt -Oz), the one build here that is not in the benchmark profile.
log "browser bench: trunk build --release of the demo, for its wasm sizes (the shipped build)"
demo_dist="$ROOT/target/bench/demo-dist"
if ! trunk build --release --dist "$demo_dist" index.html; then
  # The other rows do not need the demo: measure them, then fail for the missing size rows.
  log "browser bench: the demo did not build: no wasm size rows"
  demo_dist=""
fi
# The README's example as a user who follows the README ships it: its own project, its own
# (cargo default) release profile, `trunk build --release`.
log "browser bench: trunk build --release of the README's example (examples/local-notes), for its wasm size"
example_dist="$ROOT/target/bench/example-dist"
if ! (cd examples/local-notes && trunk build --release --dist "$example_dist" index.html); then
  log "browser bench: the README's example did not build: no size row for it"
  example_dist=""
fi
log "browser bench: builds took $((SECONDS - start)) s"

LOCALFUL_BENCH_DIST="$ROOT/target/bench/browser-dist" LOCALFUL_BENCH_DEMO_DIST="$demo_dist" \
  LOCALFUL_BENCH_EXAMPLE_DIST="$example_dist" node tests/js/bench/browser.mjs
log "browser bench: done in $((SECONDS - start)) s"
[ -n "$demo_dist" ] || die "the demo's build failed (see above): its wasm sizes are missing"
[ -n "$example_dist" ] || die "the README example's build failed (see above): its wasm size is missing"
