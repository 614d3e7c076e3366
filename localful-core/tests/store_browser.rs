//! The store suite on IndexedDB in headless Chromium, in the page.
#![cfg(target_arch = "wasm32")]
#![allow(missing_docs, clippy::unwrap_used)]

mod store_idb;
mod store_suite;

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

macro_rules! browser_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[wasm_bindgen_test]
            async fn $name() {
                store_suite::$name(&store_idb::factory()).await;
            }
        )*
    };
}

for_each_store_test!(browser_tests);

#[wasm_bindgen_test]
fn dom_exceptions_map_to_typed_errors() {
    store_idb::dom_exceptions_map_to_typed_errors();
}

#[wasm_bindgen_test]
async fn two_connections_share_data_and_upgrade() {
    store_idb::two_connections_share_data_and_upgrade(&format!("localful-two-{}", localful_core::ItemId::new())).await;
}

#[wasm_bindgen_test]
async fn two_tabs_write_concurrently() {
    store_idb::two_tabs_write_concurrently(&format!("localful-tabs-{}", localful_core::ItemId::new())).await;
}

#[wasm_bindgen_test]
async fn rows_of_an_earlier_release_are_read() {
    store_idb::rows_of_an_earlier_release_are_read(&format!("localful-old-{}", localful_core::ItemId::new())).await;
}

#[wasm_bindgen_test]
async fn an_item_row_holds_its_current_version() {
    store_idb::an_item_row_holds_its_current_version(&format!("localful-inline-{}", localful_core::ItemId::new())).await;
}

#[wasm_bindgen_test]
async fn measure_writes() {
    store_idb::measure_writes(&format!("localful-measure-{}", localful_core::ItemId::new())).await;
}
