//! [`SyncState`]: what a tab shows about sync.

use localful_core::Timestamp;
use localful_core::sync::SyncError;
use serde::{Deserialize, Serialize};

/// Where sync stands, as one value. Derived by the worker ([`derive`](super::derive)) and sent to
/// every tab; a UI shows it as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncState {
    /// What is happening.
    pub phase: SyncPhase,
    /// How many changes made on this device the server has not acknowledged yet (a changed note
    /// counts once, however many versions it has waiting). 0 while no session runs sync: the
    /// engine counts the vaults it syncs.
    pub pending: u64,
    /// The last moment everything was in sync with the server (UTC), if it ever was since the
    /// worker started: while [`SyncPhase::UpToDate`], when that began; otherwise when it ended.
    pub last_synced: Option<Timestamp>,
}

/// What sync is doing. Exactly one at a time, so a UI cannot show two that contradict each other.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[non_exhaustive]
pub enum SyncPhase {
    /// The worker has not answered yet.
    #[default]
    Starting,
    /// No sync server is configured: everything stays on this device.
    LocalOnly,
    /// Not logged in to the sync server.
    SignedOut,
    /// The server ended the session (expired, revoked, or logged out elsewhere): log in again.
    /// Local data is kept and sent once logged in.
    Expired,
    /// Opening the connection to the server.
    Connecting,
    /// Connected, nothing to send or receive.
    UpToDate,
    /// Connected, sending the [`pending`](SyncState::pending) changes.
    Sending,
    /// Connected, receiving changes from the server: `done` of `total`.
    Receiving {
        /// Changes received so far in this round.
        done: u64,
        /// Everything this round.
        total: u64,
    },
    /// This device has no network.
    Offline,
    /// The network is up but the server cannot be reached; the next attempt is in
    /// `retry_in_ms` milliseconds (`None`: an attempt is under way).
    Unreachable {
        /// Time to the next attempt, as of when the state was derived.
        retry_in_ms: Option<u64>,
    },
    /// Something needs attention (the server refused the connection, some changes, ...).
    Error {
        /// What went wrong.
        error: SyncError,
    },
}

impl SyncPhase {
    /// Whether a person should be offered to log in (no session, or the server ended it).
    pub fn needs_sign_in(&self) -> bool {
        matches!(self, SyncPhase::SignedOut | SyncPhase::Expired)
    }

    /// Whether a session runs sync (connected or trying to be).
    pub fn is_signed_in(&self) -> bool {
        !matches!(self, SyncPhase::Starting | SyncPhase::LocalOnly | SyncPhase::SignedOut | SyncPhase::Expired)
    }

    /// Whether "retry now" means something: the next attempt is being waited for, or the server
    /// refused the connection (its settings may have been fixed since).
    pub fn can_retry(&self) -> bool {
        matches!(self, SyncPhase::Unreachable { .. } | SyncPhase::Offline | SyncPhase::Error { .. })
    }
}
