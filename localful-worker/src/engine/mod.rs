//! The sync engine: drives one [`VaultSync`](localful_core::sync::VaultSync) per open, synced
//! vault over the socket.io `/sync` namespace (subscribe, push, server events, ticket refresh) and
//! the HTTP API (change log, vault upload), applying what comes back to the store — which emits the
//! change events every tab listens to.
//!
//! The engine is a single future ([`Engine::run`]) that never needs `Send`: in the browser it runs
//! on the worker's event loop, natively inside a `tokio::task::LocalSet`. It owns no threads and
//! spawns nothing; requests in flight are futures it polls itself. Tabs (or tests) steer it with
//! an [`EngineHandle`] and watch its [`SyncStatus`](localful_core::sync::SyncStatus).
//!
//! The last applied `seq` of each vault is kept in the vault's local meta values under
//! [`SEQ_META_KEY`]; losing it only costs pulling the log again.

mod events;
mod handle;
mod run;

pub use events::{PushEvent, Subscribe, SubscribeEvent, Ticket, TicketEvent};
pub use handle::{Control, EngineConfig, EngineHandle};
pub use run::Engine;

/// The vault meta key holding the last applied change-log `seq`.
pub const SEQ_META_KEY: &str = "sync.seq";
