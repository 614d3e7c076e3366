//! The tab's connection to the sync worker.
//!
//! When [`LocalfulConfig::server_url`](crate::LocalfulConfig) is set, the provider connects this
//! tab to the origin's sync worker: a `SharedWorker` (one for all tabs) started from
//! [`WORKER_URL`]; where `SharedWorker` does not exist, the tab that wins the Web Lock
//! `localful:{app}:sync` starts a dedicated `Worker` from the same script, and every tab talks to
//! it over the `BroadcastChannel` `localful:{app}:sync` (the lock passes to another tab when the
//! holder closes, which then starts the worker again).
//!
//! Messages are the typed [`TabMessage`](localful_core::wire::TabMessage) /
//! [`WorkerMessage`](localful_core::wire::WorkerMessage) protocol. The tab keeps the refresh
//! token in localStorage (`localful:{app}:refreshToken`) as the worker tells it, and hands it to
//! the worker in its `Hello`; the worker alone refreshes tokens and tickets.
//!
//! [`use_auth`](crate::use_auth) and [`use_sync_status`](crate::use_sync_status) read it.

mod connection;
#[cfg_attr(target_arch = "wasm32", path = "transport_wasm.rs")]
#[cfg_attr(not(target_arch = "wasm32"), path = "transport_native.rs")]
mod transport;

pub use connection::{WorkerConnection, WorkerSubscription};
pub(crate) use transport::connect;

/// Where the provider starts the worker from by default: the loader script (see
/// `localful-worker/static/localful-worker-loader.js`), copied next to `index.html` by trunk,
/// starting the generic `localful-worker` binary.
pub const WORKER_URL: &str = "./localful-worker-loader.js";

thread_local! {
    static SCRIPT: std::cell::RefCell<String> = std::cell::RefCell::new(WORKER_URL.to_owned());
}

/// Sets the worker script the provider starts, before the first `LocalfulProvider` renders —
/// e.g. `"./localful-worker-loader.js?bin=my-app-worker"` for an app's own worker binary (which
/// calls `localful_worker::host::start(schema)` so the worker knows the app's collections).
pub fn set_worker_url(url: impl Into<String>) {
    SCRIPT.with(|s| *s.borrow_mut() = url.into());
}

/// The worker script the provider starts ([`set_worker_url`], or [`WORKER_URL`]).
pub fn worker_url() -> String {
    SCRIPT.with(|s| s.borrow().clone())
}
