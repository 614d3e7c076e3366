//! Steering a running engine.

use crate::session::{SharedClock, SystemClock};
use crate::sync_state::Link;
use futures::channel::mpsc;
use localful_core::sync::{SyncConfig, SyncStatus};
use localful_core::{VaultHandle, VaultId};
use std::time::Duration;
use tokio::sync::watch;

/// Engine settings.
#[derive(Clone)]
pub struct EngineConfig {
    /// The sync state machine's timing and batch sizes (debounce, rate limit, retries).
    pub sync: SyncConfig,
    /// The socket.io namespace.
    pub namespace: String,
    /// How long to wait for a socket ack.
    pub ack_timeout: Duration,
    /// The clock of every deadline: the sync state machine's (debounce, retries, polls, repairs),
    /// the re-subscribe wait, and the socket's (heartbeat, backoff, acks). Default: the system
    /// clock; tests pass a [`ManualClock`](crate::session::ManualClock) and advance it.
    pub clock: SharedClock,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            sync: SyncConfig::default(),
            namespace: localful_protocol::socket::NAMESPACE.into(),
            ack_timeout: Duration::from_secs(15),
            clock: std::sync::Arc::new(SystemClock::new()),
        }
    }
}

impl std::fmt::Debug for EngineConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngineConfig")
            .field("sync", &self.sync)
            .field("namespace", &self.namespace)
            .field("ack_timeout", &self.ack_timeout)
            .finish_non_exhaustive()
    }
}

/// What an [`EngineHandle`] asks of the engine.
#[derive(Debug)]
#[non_exhaustive]
pub enum Control {
    /// Sync this open (unlocked) vault; it is uploaded first if the server lacks it.
    AddVault(VaultHandle),
    /// Stop syncing this vault (locked, closed, removed locally).
    RemoveVault(VaultId),
    /// Try to reach the server now: cut the reconnection backoff short, or open the socket again
    /// after the server refused it.
    RetryNow,
    /// Close the socket and end [`Engine::run`](super::Engine::run).
    Stop,
}

/// What a running engine reports: its socket, its vaults' status and the changes waiting.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EngineState {
    /// The sync socket.
    pub link: Link,
    /// The vaults' status together (`Offline` or `Connecting` while the socket is not connected;
    /// `Error` when the server refused it).
    pub status: SyncStatus,
    /// Changes of the synced vaults not yet acknowledged by the server
    /// ([`VaultSync::waiting`](localful_core::sync::VaultSync::waiting), summed).
    pub pending: u64,
    /// The vaults `status` and `pending` cover: those added and not removed, joined or still
    /// having their outbox read. A vault added a moment ago is not among them until the engine
    /// has taken it up, so a status from before says nothing about it.
    pub vaults: Vec<VaultId>,
}

/// A handle on a running engine: add and remove vaults, stop it, watch its status.
#[derive(Debug, Clone)]
pub struct EngineHandle {
    pub(super) control: mpsc::UnboundedSender<Control>,
    pub(super) status: watch::Receiver<EngineState>,
}

impl EngineHandle {
    /// Starts syncing `vault`.
    pub fn add_vault(&self, vault: VaultHandle) {
        let _ = self.control.unbounded_send(Control::AddVault(vault));
    }

    /// Stops syncing vault `id`.
    pub fn remove_vault(&self, id: VaultId) {
        let _ = self.control.unbounded_send(Control::RemoveVault(id));
    }

    /// Tries to reach the server now ([`Control::RetryNow`]).
    pub fn retry_now(&self) {
        let _ = self.control.unbounded_send(Control::RetryNow);
    }

    /// Whether `other` steers the same engine.
    pub fn same(&self, other: &EngineHandle) -> bool {
        self.control.same_receiver(&other.control)
    }

    /// Stops the engine.
    pub fn stop(&self) {
        let _ = self.control.unbounded_send(Control::Stop);
    }

    /// The vaults' current status.
    pub fn status(&self) -> SyncStatus {
        self.status.borrow().status.clone()
    }

    /// Everything the engine reports, now.
    pub fn state(&self) -> EngineState {
        self.status.borrow().clone()
    }

    /// A receiver of every change of what the engine reports.
    pub fn watch_state(&self) -> watch::Receiver<EngineState> {
        self.status.clone()
    }

    /// Waits until `pred` holds for the status (or the engine is gone).
    pub async fn wait_for(&self, pred: impl Fn(&SyncStatus) -> bool) -> SyncStatus {
        let mut rx = self.status.clone();
        loop {
            let now = rx.borrow_and_update().status.clone();
            if pred(&now) || rx.changed().await.is_err() {
                return now;
            }
        }
    }
}
