//! The sync engine: drives one [`VaultSync`](localful_core::sync::VaultSync) per open, synced
//! vault over the socket.io `/sync` namespace (subscribe, push, server events, ticket refresh) and
//! the HTTP API (change log, vault upload), applying what comes back to the store — which emits the
//! change events every tab listens to.
//!
//! The engine is a single future ([`Engine::run`]) that never needs `Send`: in the browser it runs
//! on the worker's event loop, natively inside a `tokio::task::LocalSet`. It owns no threads and
//! spawns nothing; requests in flight are futures it polls itself. Tabs (or tests) steer it with
//! an [`EngineHandle`] and watch its [`EngineState`]: the socket's [`Link`](crate::sync_state::Link)
//! (with when it retries), the vaults' [`SyncStatus`](localful_core::sync::SyncStatus) and the
//! number of changes waiting for the server.
//!
//! The last applied `seq` of each vault is kept in the vault's local meta values under
//! [`SEQ_META_KEY`]; losing it only costs pulling the log again.
//!
//! A vault's outbox is read in full when it joins the engine (finding the writes made while no
//! engine ran) and after a repair. Between those the engine keeps it from what it is told: each
//! local write's change event lists the outbox entries it left (from any tab, over the events
//! channel), and each ack says what it left pending; the engine's own writes (changes from the
//! server) are ignored. A push then reads the entries' rows as they are now
//! ([`Replica::push_payload`](localful_core::Replica::push_payload)).
//!
//! When the change log cannot answer (the server came back behind that `seq`: restored from a
//! backup of its database) and every [`SyncConfig::repair_ms`](localful_core::sync::SyncConfig::repair_ms)
//! anyway, a vault is repaired from `GET /v1/vaults/:id/snapshot`: the versions it lacks are
//! fetched (`GET /v1/versions/:id`) and applied with the server's deletions, and everything the
//! server lacks is queued for push again.

mod events;
mod handle;
mod outbox;
mod repair;
mod run;

pub use events::{PushEvent, Subscribe, SubscribeEvent, Ticket, TicketEvent};
pub use handle::{Control, EngineConfig, EngineHandle, EngineState};
pub use run::Engine;

/// The vault meta key holding the last applied change-log `seq`.
pub const SEQ_META_KEY: &str = "sync.seq";
