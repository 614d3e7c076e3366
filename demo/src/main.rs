//! Localful Notes, the demo app. Run it with `scripts/demo.sh` (see the README).
//!
//! Everything here uses only the public API of `localful-core` and `localful-yew`.

mod app;
mod components;
mod drafts;
mod format;
mod model;
mod prefs;
mod pwa;
mod settings;
mod strength;

/// The demo's own sync worker binary (`src/bin/localful-notes-worker.rs`), which knows the notes
/// collection, started through Localful's loader.
#[cfg(target_arch = "wasm32")]
const WORKER_URL: &str = "./localful-worker-loader.js?bin=localful-notes-worker";

#[cfg(target_arch = "wasm32")]
fn main() {
    localful_yew::worker::set_worker_url(WORKER_URL);
    yew::Renderer::<app::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the demo is a browser app: run it with scripts/demo.sh (trunk serve)");
}
