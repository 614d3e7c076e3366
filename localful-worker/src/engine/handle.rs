//! Steering a running engine.

use crate::session::{SharedClock, SystemClock};
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
    /// Close the socket and end [`Engine::run`](super::Engine::run).
    Stop,
}

/// A handle on a running engine: add and remove vaults, stop it, watch its status.
#[derive(Debug, Clone)]
pub struct EngineHandle {
    pub(super) control: mpsc::UnboundedSender<Control>,
    pub(super) status: watch::Receiver<SyncStatus>,
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

    /// Stops the engine.
    pub fn stop(&self) {
        let _ = self.control.unbounded_send(Control::Stop);
    }

    /// The current status.
    pub fn status(&self) -> SyncStatus {
        self.status.borrow().clone()
    }

    /// A receiver of every status change.
    pub fn watch_status(&self) -> watch::Receiver<SyncStatus> {
        self.status.clone()
    }

    /// Waits until `pred` holds for the status (or the engine is gone).
    pub async fn wait_for(&self, pred: impl Fn(&SyncStatus) -> bool) -> SyncStatus {
        let mut rx = self.status.clone();
        loop {
            let now = rx.borrow_and_update().clone();
            if pred(&now) || rx.changed().await.is_err() {
                return now;
            }
        }
    }
}
