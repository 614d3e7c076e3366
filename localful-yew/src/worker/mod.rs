//! The tab's connection to the sync worker.
//!
//! When [`LocalfulConfig::server_url`](crate::LocalfulConfig) is set, the provider connects this
//! tab to the origin's sync worker: a module `SharedWorker` (one for all tabs) started from
//! [`LocalfulConfig::worker_script`](crate::LocalfulConfig::worker_script) (by default
//! `./{app}-worker_loader.js`, the loader trunk writes for the app's worker binary
//! `{app}-worker`); where `SharedWorker` does not exist, the tab that wins the Web Lock
//! `localful:{app}:sync` starts a dedicated `Worker` from the same script, and every tab talks to
//! it over the `BroadcastChannel` `localful:{app}:sync` (the lock passes to another tab when the
//! holder closes, which then starts the worker again).
//!
//! A SharedWorker loses the `connect` events that come while its wasm loads. The tab subscribes
//! to the worker's [`worker_started_channel`](localful_worker::tab_protocol::worker_started_channel) before
//! creating it; when the worker announces itself there and this tab's port has heard nothing, the
//! tab says `Bye` on that port, closes it, connects again and sends its `Hello` and unanswered
//! requests once more.
//!
//! Messages are the typed [`TabMessage`](localful_worker::tab_protocol::TabMessage) /
//! [`WorkerMessage`](localful_worker::tab_protocol::WorkerMessage) protocol, and never carry a password:
//! the tab logs in and registers over HTTP itself (`sign_in.rs`, with the worker crate's
//! [`http::sign_in`](localful_worker::http::sign_in)) and hands the worker the session's tokens.
//! The tab keeps the refresh token in localStorage (`localful:{app}:refreshToken`) as the worker
//! tells it, and hands it to the worker in its `Hello`; the worker alone refreshes tokens and
//! tickets, and logs out.
//!
//! [`use_auth`](crate::use_auth) and [`use_sync_status`](crate::use_sync_status) read it.

mod connection;
mod sign_in;
#[cfg_attr(target_arch = "wasm32", path = "transport_wasm.rs")]
#[cfg_attr(not(target_arch = "wasm32"), path = "transport_native.rs")]
mod transport;

pub use connection::{WorkerConnection, WorkerSubscription};
pub(crate) use transport::connect;
