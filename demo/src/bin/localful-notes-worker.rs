//! The demo's sync worker: Localful's worker host with the notes collection registered, so notes
//! that arrive from other devices get their exposed fields (the indexed tags) here as well.
//! Started by `localful-worker-loader.js?bin=localful-notes-worker` (see `main.rs`).

#[allow(dead_code)] // the worker needs the type, not the UI helpers
#[path = "../model.rs"]
mod model;

#[cfg(target_arch = "wasm32")]
fn main() {
    localful_worker::host::start(localful_core::Schema::new().with::<model::Note>());
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the notes sync worker runs in the browser: build the demo with trunk (see the README)");
}
