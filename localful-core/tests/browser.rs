//! Browser-only checks of the core's platform adapters, in headless Chromium.
#![cfg(target_arch = "wasm32")]

use localful_core::Timestamp;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn now_follows_the_browser_clock() {
    // Read between two readings of Date.now(): no tolerance, so no dependence on how long it takes.
    let before = js_sys::Date::now() as i64;
    let ours = Timestamp::now().unix_millis();
    let after = js_sys::Date::now() as i64;
    assert!((before..=after).contains(&ours), "Timestamp::now() {ours} outside Date.now() {before}..={after}");
}
