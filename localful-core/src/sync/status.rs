//! What a tab shows: the sync status.

use serde::{Deserialize, Serialize};

/// Work done and to do in the current round of syncing (resets when idle).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Entries pushed and changes applied this round.
    pub done: u64,
    /// `done` plus what is still to push or pull.
    pub total: u64,
}

/// The sync status every tab can watch (SPEC: offline, connecting, syncing n of m, idle, error).
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
        /// Why, for people.
        reason: String,
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
