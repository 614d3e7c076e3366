//! Browser-only checks of the core's platform adapters, in headless Chromium.
#![cfg(target_arch = "wasm32")]

use localful_core::Timestamp;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn now_follows_the_browser_clock() {
    let js_now = js_sys::Date::now() as i64;
    let ours = Timestamp::now().unix_millis();
    assert!((ours - js_now).abs() < 1_000, "Timestamp::now() {ours} vs Date.now() {js_now}");
}
