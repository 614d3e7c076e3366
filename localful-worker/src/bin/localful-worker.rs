//! The SharedWorker entry point, built by trunk (`data-type="worker"`).
//!
//! In the browser it runs inside the worker global scope; natively there is nothing to host, so the
//! binary explains itself and exits.

#[cfg(target_arch = "wasm32")]
fn main() {
    web_sys::console::info_1(&"localful-worker started".into());
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("localful-worker runs as a SharedWorker in the browser; build it with trunk (see README).");
}
