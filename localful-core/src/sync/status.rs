//! The sync status of one vault, or of several together, as the sync machine sees it.

use super::SyncError;
use serde::{Deserialize, Serialize};

/// Work done and to do in the current round of syncing (resets when idle).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Entries pushed and changes applied this round.
    pub done: u64,
    /// `done` plus what is still to push or pull.
    pub total: u64,
}

/// The sync status of the vaults the sync engine drives (SPEC: offline, connecting, syncing n of
/// m, idle, error). Tabs see it folded into the worker's `SyncState`, with the session, the
/// connection and the changes waiting to be sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "camelCase")]
#[non_exhaustive]
pub enum SyncStatus {
    /// Not connected (no server configured, logged out, or the network is down).
    #[default]
    Offline,
    /// Opening the socket (or waiting to retry).
    Connecting,
    /// Pushing or pulling: `done` of `total`.
    Syncing {
        /// Entries pushed and changes applied so far.
        done: u64,
        /// Everything this round.
        total: u64,
    },
    /// Connected, nothing to push or pull.
    Idle,
    /// Something needs attention; syncing continues where it can.
    Error {
        /// What went wrong.
        error: SyncError,
    },
}

impl SyncStatus {
    /// The status of several vaults together: any error wins, then syncing (summed), then idle.
    pub fn combine(statuses: impl IntoIterator<Item = SyncStatus>) -> SyncStatus {
        let mut out = SyncStatus::Idle;
        for s in statuses {
            out = match (out, s) {
                (e @ SyncStatus::Error { .. }, _) | (_, e @ SyncStatus::Error { .. }) => e,
                (SyncStatus::Offline, _) | (_, SyncStatus::Offline) => SyncStatus::Offline,
                (SyncStatus::Connecting, _) | (_, SyncStatus::Connecting) => SyncStatus::Connecting,
                (SyncStatus::Syncing { done: a, total: b }, SyncStatus::Syncing { done: c, total: d }) => {
                    SyncStatus::Syncing { done: a + c, total: b + d }
                }
                (s @ SyncStatus::Syncing { .. }, SyncStatus::Idle)
                | (SyncStatus::Idle, s @ SyncStatus::Syncing { .. }) => s,
                (SyncStatus::Idle, SyncStatus::Idle) => SyncStatus::Idle,
            };
        }
        out
    }
}
