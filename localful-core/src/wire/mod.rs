//! Wire shapes shared by the sync engine and the server (SPEC "Wire shapes"): camelCase JSON,
//! RFC 3339 millisecond timestamps, ids as UUID strings. No IO, no `web-sys`.
//!
//! The model types ([`Item`](crate::Item), [`Version`](crate::Version)) keep local-only fields
//! (exposed fields, current version) that never go to a server; these types are exactly what the
//! server reads and answers, with conversions both ways.

mod auth;
mod change;
mod entity;
mod error;
mod push;
mod snapshot;
mod worker;

pub use auth::{AuthResponse, LoginRequest, RefreshRequest, RegisterRequest, TicketResponse, Tokens, User};
pub use change::{Change, ChangeKind, ChangesPage, ListingMeta, SubscribeAck};
pub use entity::{WireItem, WireVault, WireVersion};
pub use error::ErrorBody;
pub use push::{PushAck, PushOutcome, PushRequest};
pub use snapshot::{Snapshot, SnapshotItem, SnapshotMeta, SnapshotVersion};
pub use worker::{AuthState, PROTOCOL_VERSION, RequestNo, TabMessage, WorkerMessage, worker_started_channel};
