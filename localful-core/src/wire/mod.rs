//! The wire: the protocol types of [`localful_protocol`] (shared with the worker and the server),
//! re-exported so `localful_core::wire::WireItem` and the rest keep their paths; the conversions
//! between them and this crate's model. (The tab↔worker messages are the worker's own:
//! `localful_worker::tab_protocol`.)
//!
//! The model types ([`Item`](crate::Item), [`Version`](crate::Version), [`VaultMeta`](crate::VaultMeta))
//! keep local-only fields (exposed fields, current version, sync state) that never go to a
//! server; the wire types are exactly what the server reads and answers.

mod entity;

pub use localful_protocol::{
    AuthResponse, Change, ChangeKind, ChangesPage, ErrorBody, ErrorKind, Listing, ListingMeta, LoginRequest,
    PushAck, PushOutcome, PushRequest, PushStatus, RefreshRequest, RegisterRequest, ServerInfo, Snapshot,
    SnapshotItem, SnapshotMeta, SnapshotVersion, TicketResponse, Tokens, User, VaultCreateRequest, WireItem,
    WireVault, WireVersion, channels, socket,
};
pub use localful_protocol::socket::SubscribeAck;
