//! # localful-worker
//!
//! The background half of Localful, hosted in one `SharedWorker` per origin: a socket.io client
//! (Engine.IO v4 / Socket.IO v5 framing over a raw WebSocket), the HTTP API client and the sync
//! engine.
//!
//! The socket.io client is layered, each layer a module:
//! - [`engineio`]: Engine.IO packets, the open handshake, the heartbeat deadline (no IO);
//! - [`socketio`]: Socket.IO packets, binary attachments, payloads (no IO);
//! - [`session`]: the state machine for namespaces, acks, heartbeat and reconnection (no IO);
//! - `transport` and `runtime`: the WebSocket (`tokio-tungstenite-wasm`), timers and spawning, per
//!   platform (tokio natively, the browser event loop in wasm);
//! - [`client`]: the typed async API ([`Client`], [`Socket`]).
//!
//! Sync sits on top:
//! - [`http`]: the HTTP API client ([`http::Api`]: auth with serialised token refresh, tickets,
//!   vaults, the change log; `gloo-net` in the browser, `reqwest` natively), and
//!   [`http::sign_in`], the page's login and registration (the page runs it; the worker is handed
//!   the resulting tokens, never a password);
//! - [`engine`]: the loop driving `localful_core::sync::VaultSync` per vault over the socket and
//!   HTTP ([`engine::Engine`], steered by an [`engine::EngineHandle`]);
//! - [`sync_state`]: what tabs show about sync, as one value ([`sync_state::SyncState`]) derived
//!   in one pure function ([`sync_state::derive`]) from the session, the socket, the vaults' status,
//!   the network and the changes waiting; [`explain`] says any
//!   [`SyncError`](localful_core::sync::SyncError) in plain words;
//! - [`host`]: the worker's service to tabs over the typed [`tab_protocol::TabMessage`] /
//!   [`tab_protocol::WorkerMessage`] protocol ([`host::Host`]), and in the browser [`host::start`], which
//!   hosts it in a `SharedWorker` or in the dedicated `Worker` of the tab holding the Web Lock.
//!   An app's worker binary is `fn main() { localful_worker::host::start(app_schema()) }`, built by
//!   trunk as a worker with a loader shim (`<link data-trunk rel="rust" data-bin="<name>"
//!   data-type="worker" data-bindgen-target="web" data-loader-shim />`, which writes
//!   `<name>_loader.js`); natively `host::start` returns at once.

mod bounds;
pub mod client;
pub mod engine;
pub mod engineio;
mod explain;
pub mod host;
pub mod http;
mod runtime;
pub mod session;
pub mod socketio;
pub mod sync_state;
pub mod tab_protocol;
mod transport;

pub use explain::{explain, http_error, socket_refusal};
pub use client::{AckResponder, Client, ClientBuilder, ClientEvent, EventStream, IncomingEvent, ServerEvent, Socket};
pub use bounds::{BoxFuture, MaybeSend, MaybeSync};
pub use session::{AckError, ConnectError, ConnectionState, DisconnectReason, EmitError, SocketState};
pub use socketio::{Binary, Payload, PayloadError};
