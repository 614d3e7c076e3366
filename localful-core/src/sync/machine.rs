//! [`VaultSync`]: one vault's push and pull state.

use super::{Command, Input, Pending, Progress, RequestId, Retry, SyncConfig, SyncStatus};
use crate::model::VaultId;
use crate::store::OutboxEntry;
use crate::wire::{ChangesPage, PushAck, PushOutcome};
use std::collections::{HashMap, VecDeque};

/// A push waiting for its ack.
#[derive(Clone, Debug, PartialEq)]
struct PushInFlight {
    request: RequestId,
    entries: Vec<Pending>,
    deadline: u64,
}

/// The pull side: idle, waiting for a page, waiting for the store to apply one, or repairing
/// (waiting for the snapshot, then for the engine to carry out the repair).
#[derive(Clone, Debug, PartialEq)]
enum Pull {
    Idle,
    Waiting { request: RequestId, deadline: u64 },
    Applying { request: RequestId, up_to: u64 },
    Snapshot { request: RequestId, deadline: u64 },
    Repairing { request: RequestId, seq: u64 },
}

/// A page asked for ahead while earlier ones are applied, so that the pulls and the applies
/// overlap. Pages ahead form a chain (each asked from where the one before it ends); those that
/// have arrived when an apply ends are applied together, and all are dropped if it fails.
#[derive(Clone, Debug, PartialEq)]
struct Prefetch {
    request: RequestId,
    /// The `seq` it was asked from: where the page before it ends.
    since: u64,
    deadline: u64,
    /// The page, once it arrived.
    page: Option<ChangesPage>,
}

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
    config: SyncConfig,
    online: bool,
    applied: u64,
    latest: u64,
    outbox: Vec<Pending>,
    parked: HashMap<Pending, u64>,
    push: Option<PushInFlight>,
    pull: Pull,
    /// The chain of pages ahead, in `seq` order (at most `config.prefetch_pages`).
    prefetch: VecDeque<Prefetch>,
    next_request: RequestId,
    changed_at: Option<u64>,
    first_change: Option<u64>,
    last_push: Option<u64>,
    last_pull: Option<u64>,
    push_retry: Retry,
    pull_retry: Retry,
    error: Option<String>,
    progress: Progress,
    /// The log cannot answer: the next pull is a repair.
    repair_needed: bool,
    /// The periodic repair is due `repair_ms` after this (the first connect, then each repair).
    repair_anchor: Option<u64>,
    last_repair: Option<u64>,
    /// The latest `seq` heard of before the socket went away: a server that comes back behind it
    /// lost part of its log.
    heard: u64,
}

impl VaultSync {
    /// A machine for `vault` that has applied the server's changes up to `applied_seq` (as last
    /// saved by [`Command::SaveSeq`]; 0 for a vault never synced).
    pub fn new(vault: VaultId, applied_seq: u64, config: SyncConfig) -> Self {
        Self {
            vault,
            config,
            online: false,
            applied: applied_seq,
            latest: applied_seq,
            outbox: Vec::new(),
            parked: HashMap::new(),
            push: None,
            pull: Pull::Idle,
            prefetch: VecDeque::new(),
            next_request: 1,
            changed_at: None,
            first_change: None,
            last_push: None,
            last_pull: None,
            push_retry: Retry::default(),
            pull_retry: Retry::default(),
            error: None,
            progress: Progress::default(),
            repair_needed: false,
            repair_anchor: None,
            last_repair: None,
            heard: applied_seq,
        }
    }

    /// The vault.
    pub fn vault(&self) -> VaultId {
        self.vault
    }

    /// The last applied `seq`.
    pub fn applied_seq(&self) -> u64 {
        self.applied
    }

    /// The latest `seq` known to exist on the server.
    pub fn latest_seq(&self) -> u64 {
        self.latest
    }

    /// The outbox entries the machine knows of (in flight included).
    pub fn outbox(&self) -> &[Pending] {
        &self.outbox
    }

    /// When the last repair ([`Input::Repaired`]) completed, if one did.
    pub fn last_repair(&self) -> Option<u64> {
        self.last_repair
    }

    /// Whether the log could not answer and a repair is pending or running.
    pub fn is_repairing(&self) -> bool {
        self.repair_needed || matches!(self.pull, Pull::Snapshot { .. } | Pull::Repairing { .. })
    }

    /// Whether there is nothing to push, pull or apply, and nothing in flight.
    pub fn is_settled(&self) -> bool {
        self.outbox.is_empty()
            && self.push.is_none()
            && self.pull == Pull::Idle
            && !self.repair_needed
            && self.applied >= self.latest
    }

    /// Feeds one input at time `now`; returns what to do.
    pub fn handle(&mut self, input: Input, now: u64) -> Vec<Command> {
        let mut out = Vec::new();
        match input {
            Input::Connected { latest_seq } => self.connected(latest_seq, now),
            Input::Disconnected => {
                self.online = false;
                self.push = None;
                self.heard = self.heard.max(self.latest);
                self.prefetch.clear();
                if matches!(self.pull, Pull::Waiting { .. } | Pull::Snapshot { .. }) {
                    self.pull = Pull::Idle;
                }
            }
            Input::Outbox(entries) => self.outbox_read(entries, now),
            Input::PushAcked { request, ack } => self.push_acked(request, ack, now, &mut out),
            Input::PushFailed { request } => {
                if self.push.as_ref().is_some_and(|p| p.request == request) {
                    self.push = None;
                    self.last_push = Some(now);
                    self.push_retry.fail(now, self.config.retry_base_ms, self.config.retry_cap_ms);
                }
            }
            Input::Page { request, page } => match self.prefetch.iter_mut().find(|p| p.request == request) {
                Some(prefetch) => {
                    prefetch.page = Some(page);
                    if matches!(self.pull, Pull::Waiting { request: r, .. } if r == request) {
                        // The page an ended apply was waiting for.
                        self.apply_prefetched(now, &mut out);
                    } else {
                        self.prefetch_more(now, &mut out);
                    }
                }
                None => self.page(request, page, now, &mut out),
            },
            Input::PullFailed { request } => {
                // A failed prefetch is just not there (nor what was to be asked after it): the page
                // is asked for again once the pages before it are applied.
                if let Some(at) = self.prefetch.iter().position(|p| p.request == request) {
                    self.prefetch.truncate(at);
                }
                if matches!(self.pull, Pull::Waiting { request: r, .. } if r == request) {
                    self.pull = Pull::Idle;
                    self.pull_retry.fail(now, self.config.retry_base_ms, self.config.retry_cap_ms);
                }
            }
            Input::Applied { request } => {
                if let Pull::Applying { request: r, up_to } = self.pull
                    && r == request
                {
                    self.pull = Pull::Idle;
                    self.progress.done += up_to.saturating_sub(self.applied);
                    self.applied = self.applied.max(up_to);
                    self.pull_retry.succeed();
                    out.push(Command::SaveSeq(self.applied));
                    self.apply_prefetched(now, &mut out);
                }
            }
            Input::ApplyFailed { request, reason } => {
                if matches!(self.pull, Pull::Applying { request: r, .. } if r == request) {
                    // The log may not fit this device (e.g. a version of an item it never saw,
                    // after a server restore): the next attempt diffs the snapshot instead.
                    self.pull = Pull::Idle;
                    self.prefetch.clear();
                    self.repair_needed = true;
                    self.error = Some(format!("could not apply server changes: {reason}"));
                    self.pull_retry.fail(now, self.config.retry_base_ms, self.config.retry_cap_ms);
                }
            }
            Input::Snapshot { request, snapshot } => {
                if matches!(self.pull, Pull::Snapshot { request: r, .. } if r == request) {
                    // The snapshot's seq is the truth now; events heard while repairing add to it.
                    self.latest = snapshot.meta.latest_seq;
                    self.pull = Pull::Repairing { request, seq: snapshot.meta.latest_seq };
                    out.push(Command::Repair { request, snapshot });
                }
            }
            Input::SnapshotFailed { request } => {
                if matches!(self.pull, Pull::Snapshot { request: r, .. } if r == request) {
                    self.pull = Pull::Idle;
                    self.pull_retry.fail(now, self.config.retry_base_ms, self.config.retry_cap_ms);
                }
            }
            Input::Repaired { request, outbox } => self.repaired(request, outbox, now, &mut out),
            Input::RepairFailed { request, reason } => {
                if matches!(self.pull, Pull::Repairing { request: r, .. } if r == request) {
                    self.pull = Pull::Idle;
                    self.error = Some(format!("could not repair from the server's snapshot: {reason}"));
                    self.pull_retry.fail(now, self.config.retry_base_ms, self.config.retry_cap_ms);
                }
            }
            Input::Event(change) => {
                self.latest = self.latest.max(change.seq);
                if self.online && self.pull == Pull::Idle && change.seq == self.applied + 1 {
                    let request = self.request();
                    self.pull = Pull::Applying { request, up_to: change.seq };
                    out.push(Command::Apply { request, changes: vec![change] });
                }
            }
        }
        self.drive(now, &mut out);
        out
    }

    /// Advances time to `now`: timeouts, debounce and retries. Call it at
    /// [`next_wake`](Self::next_wake).
    pub fn tick(&mut self, now: u64) -> Vec<Command> {
        if self.push.as_ref().is_some_and(|p| now >= p.deadline) {
            self.push = None;
            self.last_push = Some(now);
            self.push_retry.fail(now, self.config.retry_base_ms, self.config.retry_cap_ms);
        }
        if matches!(self.pull, Pull::Waiting { deadline, .. } | Pull::Snapshot { deadline, .. } if now >= deadline) {
            self.pull = Pull::Idle;
            self.pull_retry.fail(now, self.config.retry_base_ms, self.config.retry_cap_ms);
        }
        let mut out = Vec::new();
        self.drive(now, &mut out);
        out
    }

    /// When [`tick`](Self::tick) has something to do next, if ever.
    pub fn next_wake(&self) -> Option<u64> {
        let mut wake: Option<u64> = None;
        let mut at = |t: u64| wake = Some(wake.map_or(t, |w| w.min(t)));
        if let Some(p) = &self.push {
            at(p.deadline);
        } else if self.online && self.pushable(u64::MAX).next().is_some() {
            at(self.push_due());
        }
        match self.pull {
            Pull::Waiting { deadline, .. } | Pull::Snapshot { deadline, .. } => at(deadline),
            Pull::Idle if self.online && (self.latest > self.applied || self.repair_needed) => {
                at(self.pull_retry.not_before)
            }
            Pull::Idle if self.online => {
                at(self.poll_due().min(self.repair_due()).max(self.pull_retry.not_before));
            }
            _ => {}
        }
        wake
    }

    /// The vault's status, for tabs.
    pub fn status(&self) -> SyncStatus {
        if !self.online {
            return SyncStatus::Offline;
        }
        if let Some(reason) = &self.error {
            return SyncStatus::Error { reason: reason.clone() };
        }
        if self.is_settled()
            || (self.outbox.len() == self.parked.len()
                && self.push.is_none()
                && self.pull == Pull::Idle
                && self.applied >= self.latest)
        {
            return SyncStatus::Idle;
        }
        let Progress { done, total } = self.progress;
        let remaining =
            self.outbox.len().saturating_sub(self.parked.len()) as u64 + self.latest.saturating_sub(self.applied);
        SyncStatus::Syncing { done, total: total.max(done + remaining) }
    }

    fn request(&mut self) -> RequestId {
        let id = self.next_request;
        self.next_request += 1;
        id
    }

    fn connected(&mut self, latest_seq: u64, now: u64) {
        self.online = true;
        self.last_pull = None;
        self.repair_anchor.get_or_insert(now);
        self.push_retry.wake();
        self.pull_retry.wake();
        // Behind a seq we applied or heard of: the server lost part of its log.
        if latest_seq < self.applied || latest_seq < self.heard {
            self.heard = latest_seq;
            self.repair(latest_seq);
        } else {
            self.latest = self.latest.max(latest_seq);
        }
    }

    /// The log cannot answer: forget what it said and repair from a snapshot (the saved `seq`
    /// stays until the repair is done, so a restart in between detects the same and repairs).
    fn repair(&mut self, latest_seq: u64) {
        self.repair_needed = true;
        self.prefetch.clear();
        self.latest = latest_seq;
        self.applied = self.applied.min(latest_seq);
        if !matches!(self.pull, Pull::Snapshot { .. } | Pull::Repairing { .. }) {
            self.pull = Pull::Idle;
        }
    }

    fn repair_due(&self) -> u64 {
        self.repair_anchor.map_or(u64::MAX, |a| a.saturating_add(self.config.repair_ms))
    }

    fn repaired(&mut self, request: RequestId, outbox: Vec<Pending>, now: u64, out: &mut Vec<Command>) {
        let Pull::Repairing { request: r, seq } = self.pull else {
            return;
        };
        if r != request {
            return;
        }
        self.pull = Pull::Idle;
        self.repair_needed = false;
        self.repair_anchor = Some(now);
        self.last_repair = Some(now);
        self.last_pull = Some(now);
        self.pull_retry.succeed();
        self.applied = seq;
        self.latest = self.latest.max(seq);
        self.heard = seq;
        if self.parked.is_empty() {
            self.error = None;
        }
        self.outbox_read(outbox, now);
        out.push(Command::SaveSeq(seq));
    }

    fn outbox_read(&mut self, entries: Vec<Pending>, now: u64) {
        let new = entries.iter().any(|e| !self.outbox.contains(e));
        self.parked.retain(|p, _| entries.contains(p));
        self.outbox = entries;
        if new {
            self.changed_at = Some(now);
            self.first_change.get_or_insert(now);
        }
    }

    fn in_flight(&self, p: &Pending) -> bool {
        self.push.as_ref().is_some_and(|f| f.entries.contains(p))
    }

    fn pushable(&self, now: u64) -> impl Iterator<Item = &Pending> + '_ {
        self.outbox.iter().filter(move |p| self.parked.get(p).is_none_or(|until| now >= *until) && !self.in_flight(p))
    }

    fn push_due(&self) -> u64 {
        let debounced = match (self.changed_at, self.first_change) {
            (Some(c), Some(f)) => (c + self.config.debounce_ms).min(f + self.config.max_delay_ms),
            _ => 0,
        };
        let rate = self.last_push.map_or(0, |l| l + self.config.min_push_interval_ms);
        debounced.max(rate).max(self.push_retry.not_before)
    }

    fn poll_due(&self) -> u64 {
        self.last_pull.map_or(0, |t| t.saturating_add(self.config.poll_ms))
    }

    fn drive(&mut self, now: u64, out: &mut Vec<Command>) {
        if self.pull == Pull::Idle {
            // Pages ahead only make sense behind an apply or a pull in flight.
            self.prefetch.clear();
        }
        if !self.online {
            return;
        }
        if self.push.is_none() && now >= self.push_due() {
            let mut batch: Vec<Pending> = self.pushable(now).copied().collect();
            batch.sort_by_key(Pending::rank);
            batch.truncate(self.config.batch_size.max(1));
            if !batch.is_empty() {
                let request = self.request();
                self.changed_at = None;
                self.first_change = None;
                self.last_push = Some(now);
                self.progress.total = self.progress.total.max(self.progress.done + self.outbox.len() as u64);
                self.push = Some(PushInFlight {
                    request,
                    entries: batch.clone(),
                    deadline: now + self.config.request_timeout_ms,
                });
                out.push(Command::Push { request, entries: batch });
            }
        }
        if self.pull == Pull::Idle && (self.repair_needed || now >= self.repair_due()) && self.pull_retry.ready(now) {
            let request = self.request();
            self.pull = Pull::Snapshot { request, deadline: now + self.config.request_timeout_ms };
            out.push(Command::Snapshot { request });
        }
        if self.pull == Pull::Idle
            && (self.latest > self.applied || now >= self.poll_due())
            && self.pull_retry.ready(now)
        {
            let request = self.request();
            self.progress.total = self.progress.total.max(self.progress.done + (self.latest - self.applied));
            self.pull = Pull::Waiting { request, deadline: now + self.config.request_timeout_ms };
            out.push(Command::Pull { request, since: self.applied, limit: self.config.page_size.max(1) });
        }
        if self.is_settled() {
            self.progress = Progress::default();
        }
    }

    fn push_acked(&mut self, request: RequestId, ack: PushAck, now: u64, out: &mut Vec<Command>) {
        let Some(flight) = self.push.take_if(|p| p.request == request) else {
            return;
        };
        if !ack.ok {
            let permanent = ack.error.as_ref().is_some_and(|e| !e.is_transient());
            if permanent {
                let reason = ack.error.map_or_else(String::new, |e| e.identifier.to_string());
                self.park(&flight.entries, now, &reason);
            } else {
                self.push_retry.fail(now, self.config.retry_base_ms, self.config.retry_cap_ms);
            }
            return;
        }
        let find = |list: &[PushOutcome], id: String| list.iter().find(|o| o.id == id).cloned();
        let (mut acked, mut transient, mut refused) = (Vec::new(), false, Vec::new());
        for p in flight.entries {
            let outcome = match p.entry {
                OutboxEntry::Item(i) => find(&ack.items, i.to_string()),
                OutboxEntry::Version(_, v) => find(&ack.versions, v.to_string()),
            };
            match outcome {
                Some(o) if o.ok => acked.push(p),
                Some(PushOutcome { error: Some(e), .. }) if !e.is_transient() => refused.push((p, e.identifier)),
                _ => transient = true,
            }
        }
        for (p, reason) in refused {
            self.park(&[p], now, reason.identifier());
        }
        if transient {
            self.push_retry.fail(now, self.config.retry_base_ms, self.config.retry_cap_ms);
        } else {
            self.push_retry.succeed();
            if self.parked.is_empty() {
                self.error = None;
            }
        }
        if !acked.is_empty() {
            self.progress.done += acked.len() as u64;
            self.outbox.retain(|p| !acked.contains(p));
            out.push(Command::Ack(acked));
        }
    }

    fn park(&mut self, entries: &[Pending], now: u64, reason: &str) {
        for p in entries {
            self.parked.insert(*p, now + self.config.park_ms);
        }
        self.error = Some(format!("the server refused {} change(s): {reason}", self.parked.len()));
    }

    fn page(&mut self, request: RequestId, page: ChangesPage, now: u64, out: &mut Vec<Command>) {
        if !matches!(self.pull, Pull::Waiting { request: r, .. } if r == request) {
            return;
        }
        self.pull = Pull::Idle;
        self.last_pull = Some(now);
        let latest = page.meta.latest_seq.unwrap_or(0);
        if latest < self.applied {
            self.repair(latest);
            return;
        }
        self.latest = self.latest.max(latest);
        let changes: Vec<_> = page.results.into_iter().filter(|c| c.seq > self.applied).collect();
        let Some(last) = changes.last().map(|c| c.seq) else {
            if self.latest > self.applied {
                // The page was computed before changes we heard of: ask again, a little later.
                self.pull_retry.fail(now, self.config.retry_base_ms, self.config.retry_cap_ms);
            }
            return;
        };
        if changes.first().is_some_and(|c| c.seq > self.applied + 1) {
            self.repair(latest);
            return;
        }
        let request = self.request();
        self.pull = Pull::Applying { request, up_to: last };
        out.push(Command::Apply { request, changes });
        self.prefetch_more(now, out);
    }

    /// While changes are applied and more are known to exist, asks for the pages after them, up
    /// to `config.prefetch_pages` ahead, all at once: the change log has no gaps (a page starting
    /// past the applied `seq` is a repair), so a page not here yet ends `page_size` after where it
    /// starts. A page that arrives shorter breaks the chain there: the pages asked after it are
    /// dropped when their turn comes, and asked again.
    fn prefetch_more(&mut self, now: u64, out: &mut Vec<Command>) {
        let Pull::Applying { up_to, .. } = self.pull else { return };
        if !self.online {
            return;
        }
        let limit = self.config.page_size.max(1);
        while self.prefetch.len() < self.config.prefetch_pages.max(1) {
            let since = match self.prefetch.back() {
                None => up_to,
                Some(Prefetch { page: Some(page), .. }) => match page.results.last() {
                    Some(change) => change.seq,
                    None => return,
                },
                Some(asked) => asked.since + limit,
            };
            if self.latest <= since {
                return;
            }
            let request = self.request();
            let deadline = now + self.config.request_timeout_ms;
            self.prefetch.push_back(Prefetch { request, since, deadline, page: None });
            out.push(Command::Pull { request, since, limit });
        }
    }

    /// After an apply: the pages ahead that have arrived, in one apply; or wait for the first of
    /// them (the others stay asked for).
    fn apply_prefetched(&mut self, now: u64, out: &mut Vec<Command>) {
        let Some(first) = self.prefetch.front() else { return };
        if first.since != self.applied {
            self.prefetch.clear();
            return;
        }
        if first.page.is_none() {
            self.pull = Pull::Waiting { request: first.request, deadline: first.deadline };
            return;
        }
        let Some(Prefetch { request, page: Some(mut page), .. }) = self.prefetch.pop_front() else { return };
        loop {
            let reached = page.results.last().map(|c| c.seq);
            if !self.prefetch.front().is_some_and(|n| n.page.is_some() && reached == Some(n.since)) {
                break;
            }
            let Some(Prefetch { page: Some(more), .. }) = self.prefetch.pop_front() else { break };
            page.meta.latest_seq = page.meta.latest_seq.max(more.meta.latest_seq);
            page.results.extend(more.results);
        }
        self.pull = Pull::Waiting { request, deadline: now + self.config.request_timeout_ms };
        self.page(request, page, now, out);
    }
}
