//! The generic sync worker, built by trunk (`data-type="worker"`) and started through
//! `static/localful-worker-loader.js`.
//!
//! It hosts the sync service with an empty schema: it logs in and reports status, but applying a
//! remote version needs the app's collections (exposed fields), so an app ships its own worker
//! binary calling `localful_worker::host::start(app_schema())` and points the loader at it
//! (`localful-worker-loader.js?bin=<its name>`).

#[cfg(target_arch = "wasm32")]
fn main() {
    localful_worker::host::start(localful_core::Schema::new());
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("localful-worker runs as a SharedWorker in the browser; build it with trunk (see README).");
}
