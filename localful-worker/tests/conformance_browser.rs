//! Our client in headless Chromium against the official Node socket.io 4.8 server.
//!
//! The server (`tests/js/socketio-conformance-server.mjs`) must already listen on 127.0.0.1:3901
//! (`LOCALFUL_SIO_URL` at build time overrides the URL); `scripts/test.sh` starts it before the wasm
//! suite. By hand:
//!
//! ```sh
//! node tests/js/socketio-conformance-server.mjs & SERVER=$!
//! CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner CHROMEDRIVER=/usr/bin/chromedriver \
//!   cargo test --target wasm32-unknown-unknown -p localful-worker --test conformance_browser
//! kill $SERVER
//! ```
//!
//! Every test uses its own connection. One test restarts the server (it closes every connection and
//! listens again 900 ms later); wasm-bindgen-test runs tests one at a time and that test waits for
//! the server to be back, so the others are not disturbed — but do not share this server with
//! another suite running at the same time.

#![allow(clippy::unwrap_used)]
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod browser_suite;
