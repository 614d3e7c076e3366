//! The browser's storage manager (`localful_core::storage`) in headless Chromium: persistence is
//! requested and reported, and the estimate is read.
#![cfg(target_arch = "wasm32")]
#![allow(missing_docs, clippy::unwrap_used)]

use localful_core::storage::{self, StorageStatus};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn persistence_is_requested_and_reported() {
    let granted = storage::request_persistence().await.unwrap();
    let status: StorageStatus = storage::status().await.unwrap();
    assert_eq!(
        status.persisted, granted,
        "persisted() reports what persist() answered"
    );
    // Asking again gives the same answer: the browser remembers its decision.
    assert_eq!(storage::request_persistence().await.unwrap(), granted);
}

#[wasm_bindgen_test]
async fn the_estimate_has_usage_and_quota() {
    let status = storage::status().await.unwrap();
    let (usage, quota) = (status.usage_bytes.unwrap(), status.quota_bytes.unwrap());
    assert!(quota > 0, "{status:?}");
    assert!(usage <= quota, "{status:?}");
    assert_eq!(status.available_bytes(), Some(quota - usage));
}
