//! The demo's sync worker: Localful's worker host with the notes collection registered, so notes
//! that arrive from other devices get their exposed fields (the indexed tags) here as well.
//! Built by trunk with a loader shim (`localful-notes-worker_loader.js`, see `index.html`), which
//! the provider starts for the app `localful-notes`.

#[allow(dead_code)] // the worker needs the type, not the UI helpers
#[path = "../model.rs"]
mod model;

fn main() {
    localful_worker::host::start(localful_core::Schema::new().with::<model::Note>());
}
