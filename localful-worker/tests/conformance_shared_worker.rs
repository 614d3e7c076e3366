//! The browser conformance suite (`browser_suite`) again, inside a SharedWorker: the context the
//! client runs in for real. Same server and command as `conformance_browser.rs`, with
//! `--test conformance_shared_worker`.

#![allow(clippy::unwrap_used)]
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_shared_worker);

mod browser_suite;
