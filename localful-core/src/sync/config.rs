//! Tunables of the sync state machine.

use serde::{Deserialize, Serialize};

/// Timing and batch sizes of [`VaultSync`](super::VaultSync). All durations in milliseconds.
///
/// It travels from the app to the sync worker as JSON (camelCase, e.g. `{"debounceMs": 500}`);
/// fields left out take their [default](SyncConfig::default).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SyncConfig {
    /// Quiet time after the last local change before pushing (trailing debounce).
    pub debounce_ms: u64,
    /// A change is pushed at most this long after it was first seen, however busy the writer.
    pub max_delay_ms: u64,
    /// Minimum time between two pushes of a vault (rate limit).
    pub min_push_interval_ms: u64,
    /// Outbox entries per push (the server takes at most 1000).
    pub batch_size: usize,
    /// Change-log entries per pull (localful-server answers at most 1000). Larger pages mean fewer
    /// requests, store transactions and change events per change (see the initial-sync benchmark
    /// in `benches/README.md`).
    pub page_size: u64,
    /// Pages asked for ahead, all at once, while earlier ones are applied (at least 1). The pages
    /// that have arrived when an apply ends are applied together, in one store write: an item's
    /// row is then read and written once for all of them instead of once per page (see the
    /// initial-sync benchmark in `benches/README.md`: 16 pages sync 100 000 versions over 10 000
    /// items about a fifth faster than 8). At most this many pages (times `page_size` changes)
    /// wait in memory: with the defaults 16 000 changes, about 25 MB for notes of 1 KiB.
    pub prefetch_pages: usize,
    /// A push or pull without an answer for this long has failed.
    pub request_timeout_ms: u64,
    /// First retry delay after a failure; doubles per failure.
    pub retry_base_ms: u64,
    /// Greatest retry delay.
    pub retry_cap_ms: u64,
    /// How long an entry the server refused for good waits before it is tried again.
    pub park_ms: u64,
    /// While connected and idle, the change log is pulled this often anyway (anti-entropy: our
    /// own pushes are not echoed, and an event can be missed).
    pub poll_ms: u64,
    /// While connected, the vault is also repaired this often: its ids are diffed against the
    /// server's snapshot (anti-entropy: a server restored from a backup older than anything this
    /// device has heard of cannot be told apart from a healthy one by its change log).
    pub repair_ms: u64,
}

impl Default for SyncConfig {
    fn default() -> Self {
        Self {
            debounce_ms: 300,
            max_delay_ms: 2_000,
            min_push_interval_ms: 250,
            batch_size: 100,
            page_size: 1_000,
            prefetch_pages: 16,
            request_timeout_ms: 15_000,
            retry_base_ms: 1_000,
            retry_cap_ms: 30_000,
            park_ms: 300_000,
            poll_ms: 60_000,
            repair_ms: 3_600_000,
        }
    }
}
