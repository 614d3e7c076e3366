//! [`SyncState`]: what a tab shows about sync.

use localful_core::sync::SyncError;
use localful_core::{Timestamp, VaultMeta, VaultId};
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
    /// The vaults the phase and [`pending`](Self::pending) cover: those the worker syncs (sorted).
    /// A vault whose sync was switched on (or which was unlocked) a moment ago is not among them
    /// until the worker has read its outbox: see [`for_vault`](Self::for_vault).
    #[serde(default)]
    pub vaults: Vec<VaultId>,
}

impl SyncState {
    /// The state as it concerns `vault`. A vault with sync on that the worker does not sync yet
    /// (switched on or unlocked a moment ago: the worker has not read its outbox) is
    /// [`Connecting`](SyncPhase::Connecting) where the state says up to date, sending or
    /// receiving: those speak of the other vaults, and its changes may be on this device only.
    /// Otherwise the state as it is.
    pub fn for_vault(&self, vault: &VaultMeta) -> SyncState {
        let connected = matches!(self.phase, SyncPhase::UpToDate | SyncPhase::Sending | SyncPhase::Receiving { .. });
        if connected && vault.sync_enabled && self.vaults.binary_search(&vault.id).is_err() {
            SyncState { phase: SyncPhase::Connecting, ..self.clone() }
        } else {
            self.clone()
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn vault(sync_enabled: bool) -> VaultMeta {
        let now = Timestamp::now();
        VaultMeta {
            id: VaultId::new(),
            name: "Personal".into(),
            protected_encryption_key: "v1:key".into(),
            created_at: now,
            updated_at: now,
            deleted_at: None,
            sync_enabled,
        }
    }

    fn state(phase: SyncPhase, vaults: Vec<VaultId>) -> SyncState {
        SyncState { phase, pending: 0, last_synced: None, vaults }
    }

    /// The state from before a vault's sync was switched on (the worker synced no vault, or only
    /// others) must not read as that vault's: its notes written before may not be on the server.
    #[test]
    fn a_synced_vault_the_worker_has_not_taken_up_is_never_up_to_date() {
        let (fresh, local) = (vault(true), vault(false));
        for phase in [SyncPhase::UpToDate, SyncPhase::Sending, SyncPhase::Receiving { done: 1, total: 2 }] {
            let before = state(phase.clone(), vec![]);
            assert_eq!(before.for_vault(&fresh).phase, SyncPhase::Connecting, "{phase:?}");
            assert_eq!(before.for_vault(&local), before, "sync off: the state as it is");
            let mut covered = vec![VaultId::new(), fresh.id];
            covered.sort_unstable();
            let taken_up = state(phase.clone(), covered);
            assert_eq!(taken_up.for_vault(&fresh), taken_up, "{phase:?}");
        }
        // What does not claim anything of the vault's changes stays as it is.
        for phase in [SyncPhase::SignedOut, SyncPhase::Offline, SyncPhase::Connecting, SyncPhase::Unreachable { retry_in_ms: None }] {
            let s = state(phase, vec![]);
            assert_eq!(s.for_vault(&fresh), s);
        }
    }
}
