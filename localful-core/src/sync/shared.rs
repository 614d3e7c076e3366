//! What the push and pull sides of [`VaultSync`](super::VaultSync) share: the settings, whether the
//! vault is connected, the request ids both hand out, and the error and progress the status shows.

use super::{Progress, RequestId, Retry, SyncConfig, SyncError};

/// The state both sides read and write.
#[derive(Clone, Debug)]
pub(super) struct Shared {
    pub(super) config: SyncConfig,
    /// The socket is connected and the vault subscribed.
    pub(super) online: bool,
    /// One sequence for pushes, pulls, applies and repairs: an answer names its request unambiguously.
    next_request: RequestId,
    /// The last thing that went wrong, until either side recovers from it.
    pub(super) error: Option<SyncError>,
    /// This round's work, pushed and pulled together.
    pub(super) progress: Progress,
}

impl Shared {
    /// Offline, with no request handed out yet.
    pub(super) fn new(config: SyncConfig) -> Self {
        Self { config, online: false, next_request: 1, error: None, progress: Progress::default() }
    }

    /// A new request id.
    pub(super) fn request(&mut self) -> RequestId {
        let id = self.next_request;
        self.next_request += 1;
        id
    }

    /// Records a failure of `retry` at `now`, with the configured backoff.
    pub(super) fn fail_retry(&self, retry: &mut Retry, now: u64) {
        retry.fail(now, self.config.retry_base_ms, self.config.retry_cap_ms);
    }
}
