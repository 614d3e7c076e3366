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

/// Where the provider starts the worker from: the loader script (see
/// `localful-worker/static/localful-worker-loader.js`), copied next to `index.html` by trunk.
pub const WORKER_URL: &str = "./localful-worker-loader.js";
