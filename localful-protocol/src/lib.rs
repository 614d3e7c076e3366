//! # localful-protocol
//!
//! The one definition of what Localful's client, sync worker and server say to each other: ids,
//! [`Timestamp`], the records of the HTTP API and the sync socket, change kinds, push requests
//! and acks, error identifiers with their HTTP statuses, socket event names and payloads, and the
//! names of the browser channels an app's tabs share with its worker. A change to the wire is one
//! edit here, and the compiler finds every user.
//!
//! Serde types only: no IO, no crypto, no `web-sys`; it builds for `wasm32-unknown-unknown` and
//! natively. Two features add the only ambient reads: `clock` ([`Timestamp::now`]) and `random`
//! (`ItemId::new()` and the other ids' fresh values).
//!
//! ## The wire
//! camelCase JSON; ids are lowercase hyphenated UUIDs; times are RFC 3339 UTC with milliseconds
//! and a `Z` (`2026-01-02T03:04:05.678Z`). Request bodies sent to the server have no fields it
//! does not know (it refuses unknown fields); what the server answers may gain fields, which
//! clients ignore. An error identifier a client does not know reads as [`ErrorKind::Unknown`].
//!
//! ```
//! use localful_protocol::{Change, ChangeKind, socket::ServerEvent};
//! let json = r#"{"seq": 1, "event": "item-delete", "vaultId": "0192e4c0-0000-4000-8000-000000000001",
//!                "createdAt": "2026-01-02T03:04:05.678Z"}"#;
//! let change: Change = serde_json::from_str(json)?;
//! assert_eq!(change.event, ChangeKind::ItemDelete);
//! assert_eq!(ServerEvent::from_name("item-delete").and_then(ServerEvent::change_kind), Some(change.event));
//! # Ok::<(), serde_json::Error>(())
//! ```

#![forbid(unsafe_code)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

mod auth;
mod change;
pub mod channels;
mod entity;
mod error;
mod error_context;
mod ids;
mod info;
mod listing;
mod push;
mod snapshot;
pub mod socket;
mod timestamp;

pub use auth::{AuthResponse, LoginRequest, RefreshRequest, RegisterRequest, TicketResponse, Tokens, User};
pub use change::{Change, ChangeKind, ChangesPage};
pub use entity::{VaultCreateRequest, WireItem, WireVault, WireVersion};
pub use error::{ErrorBody, ErrorKind};
pub use error_context::{BodyProblem, ErrorContext, Limit};
pub use ids::{IdError, ItemId, UserId, VaultId, VersionId};
pub use info::{ServerInfo, ServerLimits, TokenLifetimes};
pub use listing::{Listing, ListingMeta};
pub use push::{PushAck, PushOutcome, PushRequest, PushStatus};
pub use snapshot::{Snapshot, SnapshotItem, SnapshotMeta, SnapshotVersion};
pub use timestamp::{Timestamp, TimestampError};
