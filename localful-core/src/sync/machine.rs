//! [`VaultSync`]: one vault's sync state machine, composed of its push side and its pull side.

use super::pull::PullSide;
use super::push::PushSide;
use super::shared::Shared;
use super::{Command, Input, Pending, Progress, SyncConfig, SyncStatus};
use crate::model::VaultId;

/// The sync state machine of one vault. Pure: every method takes the current time in
/// milliseconds (any monotonic origin) and returns the [`Command`]s to carry out.
///
/// ```
/// use localful_core::sync::{Command, Input, SyncConfig, VaultSync};
/// use localful_core::VaultId;
///
/// let mut sync = VaultSync::new(VaultId::new(), 0, SyncConfig::default());
/// let commands = sync.handle(Input::Connected { latest_seq: 3 }, 0);
/// assert!(matches!(commands[..], [Command::Pull { since: 0, .. }]));
/// ```
#[derive(Clone, Debug)]
pub struct VaultSync {
    vault: VaultId,
    shared: Shared,
    push: PushSide,
    pull: PullSide,
}

impl VaultSync {
    /// A machine for `vault` that has applied the server's changes up to `applied_seq` (as last
    /// saved by [`Command::SaveSeq`]; 0 for a vault never synced).
    pub fn new(vault: VaultId, applied_seq: u64, config: SyncConfig) -> Self {
        Self { vault, shared: Shared::new(config), push: PushSide::default(), pull: PullSide::new(applied_seq) }
    }

    /// The vault.
    pub fn vault(&self) -> VaultId {
        self.vault
    }

    /// The last applied `seq`.
    pub fn applied_seq(&self) -> u64 {
        self.pull.applied_seq()
    }

    /// The latest `seq` known to exist on the server.
    pub fn latest_seq(&self) -> u64 {
        self.pull.latest_seq()
    }

    /// The outbox entries the machine knows of (in flight included).
    pub fn outbox(&self) -> &[Pending] {
        self.push.outbox()
    }

    /// How many changes wait to be acknowledged by the server: the items whose entries are in
    /// the outbox (an item and its new version count as one change, as a person sees it).
    pub fn waiting(&self) -> u64 {
        waiting(self.push.outbox())
    }

    /// When the last repair ([`Input::Repaired`]) completed, if one did.
    pub fn last_repair(&self) -> Option<u64> {
        self.pull.last_repair()
    }

    /// Whether the log could not answer and a repair is pending or running (the periodic repair
    /// counts while it runs).
    pub fn is_repairing(&self) -> bool {
        self.pull.is_repairing()
    }

    /// Whether there is nothing to push, pull or apply, and nothing in flight.
    pub fn is_settled(&self) -> bool {
        self.push.is_settled() && self.pull.is_settled()
    }

    /// Feeds one input at time `now`; returns what to do.
    pub fn handle(&mut self, input: Input, now: u64) -> Vec<Command> {
        let mut out = Vec::new();
        let shared = &mut self.shared;
        match input {
            Input::Connected { latest_seq } => {
                shared.online = true;
                self.push.connected();
                self.pull.connected(latest_seq, now);
            }
            Input::Disconnected => {
                shared.online = false;
                self.push.disconnected();
                self.pull.disconnected();
            }
            Input::Outbox(entries) => self.push.read(entries, now),
            Input::PushAcked { request, ack } => self.push.acked(request, ack, now, shared, &mut out),
            Input::PushFailed { request } => self.push.failed(request, now, shared),
            Input::Page { request, page } => self.pull.page_arrived(request, page, now, shared, &mut out),
            Input::PullFailed { request } => self.pull.pull_failed(request, now, shared),
            Input::Applied { request } => self.pull.applied(request, now, shared, &mut out),
            Input::ApplyFailed { request, reason } => self.pull.apply_failed(request, &reason, now, shared),
            Input::Snapshot { request, snapshot } => self.pull.snapshot(request, snapshot, &mut out),
            Input::SnapshotFailed { request } => self.pull.snapshot_failed(request, now, shared),
            Input::Repaired { request, outbox } => {
                if self.pull.repaired(request, now, &mut out) {
                    if !self.push.has_parked() {
                        shared.error = None;
                    }
                    self.push.read(outbox, now);
                }
            }
            Input::RepairFailed { request, reason } => self.pull.repair_failed(request, &reason, now, shared),
            Input::Event(change) => self.pull.event(change, shared, &mut out),
        }
        self.drive(now, &mut out);
        out
    }

    /// Advances time to `now`: timeouts, debounce and retries. Call it at
    /// [`next_wake`](Self::next_wake).
    pub fn tick(&mut self, now: u64) -> Vec<Command> {
        self.push.tick(now, &self.shared);
        self.pull.tick(now, &self.shared);
        let mut out = Vec::new();
        self.drive(now, &mut out);
        out
    }

    /// When [`tick`](Self::tick) has something to do next, if ever.
    pub fn next_wake(&self) -> Option<u64> {
        [self.push.next_wake(&self.shared), self.pull.next_wake(&self.shared)].into_iter().flatten().min()
    }

    /// The vault's status, for tabs.
    pub fn status(&self) -> SyncStatus {
        if !self.shared.online {
            return SyncStatus::Offline;
        }
        if let Some(error) = &self.shared.error {
            return SyncStatus::Error { error: error.clone() };
        }
        // Entries the server refused for good do not keep the vault syncing; their error does.
        if self.is_settled() || (self.push.only_parked() && self.pull.is_quiet()) {
            return SyncStatus::Idle;
        }
        let Progress { done, total } = self.shared.progress;
        let remaining = self.push.remaining() + self.pull.behind();
        SyncStatus::Syncing { done, total: total.max(done + remaining) }
    }

    /// Starts whatever is due at `now`: a push, then a repair or a pull.
    fn drive(&mut self, now: u64, out: &mut Vec<Command>) {
        self.pull.drop_stale_prefetch();
        if !self.shared.online {
            return;
        }
        self.push.drive(now, &mut self.shared, out);
        self.pull.drive(now, &mut self.shared, out);
        if self.is_settled() {
            self.shared.progress = Progress::default();
        }
    }
}

/// The number of distinct items among `outbox`'s entries.
fn waiting(outbox: &[Pending]) -> u64 {
    let items: std::collections::BTreeSet<_> = outbox.iter().map(|p| p.entry.item()).collect();
    items.len() as u64
}
