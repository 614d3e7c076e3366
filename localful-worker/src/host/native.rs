//! Outside a browser there is no worker to host: [`start`] only says so, so that an app's worker
//! binary (`fn main() { localful_worker::host::start(schema) }`) builds and checks natively too.

use localful_core::Schema;

/// Hosts the sync worker for an app with `schema` — in a browser only (see the wasm32 build).
/// Natively it prints that the worker runs in the browser and returns at once.
pub fn start(schema: Schema) {
    drop(schema);
    eprintln!("localful-worker: the sync worker runs in a browser; build the app with trunk (see the README)");
}
