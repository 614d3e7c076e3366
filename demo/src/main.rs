//! Localful Notes, the demo app. Run it with `scripts/demo.sh` (see the README).
//!
//! Everything here uses only the public API of `localful-core` and `localful-yew`.

mod app;
mod components;
mod diff;
mod drafts;
mod format;
mod markdown_export;
mod model;
mod prefs;
mod pwa;
mod settings;
mod strength;
mod sync_words;
mod write_error;

// The sync worker is the binary `localful-notes-worker` (`src/bin/`), which knows the notes
// collection: the provider starts `./localful-notes-worker_loader.js` for the app `localful-notes`.
#[cfg(target_arch = "wasm32")]
fn main() {
    use localful_core::logging::{Level, log_to_console};
    log_to_console(Level::INFO);
    yew::Renderer::<app::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the demo is a browser app: run it with scripts/demo.sh (trunk serve)");
}
