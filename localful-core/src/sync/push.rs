//! The push side of [`VaultSync`](super::VaultSync): the outbox as last read, the push in flight,
//! the entries the server refused for good (parked), and when the next push may go (debounce, rate
//! limit, retry).

use super::shared::Shared;
use super::{Command, Pending, RequestId, Retry, SyncConfig, SyncError};
use crate::store::OutboxEntry;
use crate::wire::{ErrorKind, PushAck, PushOutcome};
use std::collections::HashMap;

/// A push waiting for its ack.
#[derive(Clone, Debug, PartialEq)]
struct InFlight {
    request: RequestId,
    entries: Vec<Pending>,
    deadline: u64,
}

/// One vault's push side. Pushes go one batch at a time, items before versions.
#[derive(Clone, Debug, Default)]
pub(super) struct PushSide {
    /// The outbox entries as last read (in flight included).
    outbox: Vec<Pending>,
    /// Entries the server refused for good, and until when they wait before they are tried again.
    parked: HashMap<Pending, u64>,
    flight: Option<InFlight>,
    /// When the outbox last gained an entry: the debounce runs from here…
    changed_at: Option<u64>,
    /// …and at most `max_delay_ms` from when it first did since the last push.
    first_change: Option<u64>,
    last_push: Option<u64>,
    retry: Retry,
}

impl PushSide {
    /// The outbox entries known (in flight included).
    pub(super) fn outbox(&self) -> &[Pending] {
        &self.outbox
    }

    /// Nothing to push and nothing in flight.
    pub(super) fn is_settled(&self) -> bool {
        self.outbox.is_empty() && self.flight.is_none()
    }

    /// Nothing in flight and nothing to push but parked entries.
    pub(super) fn only_parked(&self) -> bool {
        self.outbox.len() == self.parked.len() && self.flight.is_none()
    }

    /// Whether entries are parked (their error stays until they are pushed or gone).
    pub(super) fn has_parked(&self) -> bool {
        !self.parked.is_empty()
    }

    /// Entries still to push, parked ones left out.
    pub(super) fn remaining(&self) -> u64 {
        self.outbox.len().saturating_sub(self.parked.len()) as u64
    }

    /// The socket is back: the next push may go at once.
    pub(super) fn connected(&mut self) {
        self.retry.wake();
    }

    /// The socket is gone: the push in flight is abandoned (its entries stay in the outbox).
    pub(super) fn disconnected(&mut self) {
        self.flight = None;
    }

    /// A fresh read of the outbox. A new entry restarts the debounce; entries gone from the outbox
    /// are no longer parked.
    pub(super) fn read(&mut self, entries: Vec<Pending>, now: u64) {
        let new = entries.iter().any(|e| !self.outbox.contains(e));
        self.parked.retain(|p, _| entries.contains(p));
        self.outbox = entries;
        if new {
            self.changed_at = Some(now);
            self.first_change.get_or_insert(now);
        }
    }

    /// Push `request` could not be sent or its ack said nothing useful.
    pub(super) fn failed(&mut self, request: RequestId, now: u64, shared: &Shared) {
        if self.flight.as_ref().is_some_and(|p| p.request == request) {
            self.flight = None;
            self.last_push = Some(now);
            shared.fail_retry(&mut self.retry, now);
        }
    }

    /// The push in flight timed out by `now`.
    pub(super) fn tick(&mut self, now: u64, shared: &Shared) {
        if self.flight.as_ref().is_some_and(|p| now >= p.deadline) {
            self.flight = None;
            self.last_push = Some(now);
            shared.fail_retry(&mut self.retry, now);
        }
    }

    /// When [`tick`](Self::tick) or [`drive`](Self::drive) has something to do, if ever: the
    /// push's deadline, or when the first entry may go (a parked one not before its parking ends).
    pub(super) fn next_wake(&self, shared: &Shared) -> Option<u64> {
        if let Some(p) = &self.flight {
            Some(p.deadline)
        } else if shared.online {
            let due = self.due(&shared.config);
            self.outbox.iter().map(|p| self.parked.get(p).map_or(due, |until| due.max(*until))).min()
        } else {
            None
        }
    }

    /// Starts the next push if one is due at `now` (the caller checks the vault is connected).
    pub(super) fn drive(&mut self, now: u64, shared: &mut Shared, out: &mut Vec<Command>) {
        if self.flight.is_some() || now < self.due(&shared.config) {
            return;
        }
        let mut batch: Vec<Pending> = self.pushable(now).copied().collect();
        batch.sort_by_key(Pending::rank);
        batch.truncate(shared.config.batch_size.max(1));
        if batch.is_empty() {
            return;
        }
        let request = shared.request();
        self.changed_at = None;
        self.first_change = None;
        self.last_push = Some(now);
        shared.progress.total = shared.progress.total.max(shared.progress.done + self.outbox.len() as u64);
        self.flight = Some(InFlight {
            request,
            entries: batch.clone(),
            deadline: now + shared.config.request_timeout_ms,
        });
        out.push(Command::Push { request, entries: batch });
    }

    /// The server's ack of push `request`: what it took is cleared ([`Command::Ack`]), what it
    /// refused for good is parked, anything else is retried.
    pub(super) fn acked(
        &mut self,
        request: RequestId,
        ack: PushAck,
        now: u64,
        shared: &mut Shared,
        out: &mut Vec<Command>,
    ) {
        let Some(flight) = self.flight.take_if(|p| p.request == request) else {
            return;
        };
        if !ack.ok {
            let permanent = ack.error.as_ref().is_some_and(|e| !e.is_transient());
            if permanent {
                let reason = ack.error.map_or(ErrorKind::Unknown(String::new()), |e| e.identifier);
                self.park(&flight.entries, now, reason, shared);
            } else {
                shared.fail_retry(&mut self.retry, now);
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
            self.park(&[p], now, reason, shared);
        }
        if transient {
            shared.fail_retry(&mut self.retry, now);
        } else {
            self.retry.succeed();
            if self.parked.is_empty() {
                shared.error = None;
            }
        }
        if !acked.is_empty() {
            shared.progress.done += acked.len() as u64;
            self.outbox.retain(|p| !acked.contains(p));
            out.push(Command::Ack(acked));
        }
    }

    fn park(&mut self, entries: &[Pending], now: u64, reason: ErrorKind, shared: &mut Shared) {
        for p in entries {
            self.parked.insert(*p, now + shared.config.park_ms);
        }
        shared.error = Some(SyncError::ChangesRefused { count: self.parked.len() as u64, kind: reason });
    }

    fn in_flight(&self, p: &Pending) -> bool {
        self.flight.as_ref().is_some_and(|f| f.entries.contains(p))
    }

    /// The entries a push at `now` may take: not in flight, not parked (or parked long enough).
    fn pushable(&self, now: u64) -> impl Iterator<Item = &Pending> + '_ {
        self.outbox.iter().filter(move |p| self.parked.get(p).is_none_or(|until| now >= *until) && !self.in_flight(p))
    }

    /// When the next push may go: after the debounce (cut short by the longest delay), the rate
    /// limit and the retry backoff.
    fn due(&self, config: &SyncConfig) -> u64 {
        let debounced = match (self.changed_at, self.first_change) {
            (Some(c), Some(f)) => (c + config.debounce_ms).min(f + config.max_delay_ms),
            _ => 0,
        };
        let rate = self.last_push.map_or(0, |l| l + config.min_push_interval_ms);
        debounced.max(rate).max(self.retry.not_before)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::{ItemId, VersionId};
    use crate::sync::SyncConfig;
    use crate::wire::{ErrorBody, PushStatus};

    fn shared() -> Shared {
        let config = SyncConfig {
            debounce_ms: 100,
            max_delay_ms: 250,
            min_push_interval_ms: 50,
            batch_size: 10,
            request_timeout_ms: 500,
            retry_base_ms: 200,
            retry_cap_ms: 800,
            park_ms: 10_000,
            ..SyncConfig::default()
        };
        let mut shared = Shared::new(config);
        shared.online = true;
        shared
    }

    fn item() -> (Pending, ItemId) {
        let id = ItemId::new();
        (Pending { entry: OutboxEntry::Item(id), deleted: false }, id)
    }

    fn outcome(id: ItemId, error: Option<&str>) -> PushOutcome {
        let error =
            error.map(|e| ErrorBody { status_code: 400, identifier: e.into(), message: String::new(), context: None });
        PushOutcome { id: id.to_string(), ok: error.is_none(), status: Some(PushStatus::Created), error }
    }

    fn drive(push: &mut PushSide, now: u64, shared: &mut Shared) -> Vec<Command> {
        let mut out = Vec::new();
        push.drive(now, shared, &mut out);
        out
    }

    #[test]
    fn the_debounce_runs_from_the_last_change_and_the_longest_delay_from_the_first() {
        let mut shared = shared();
        let mut push = PushSide::default();
        let (a, id) = item();
        let v = Pending { entry: OutboxEntry::Version(id, VersionId::new()), deleted: false };
        let (b, _) = item();
        push.read(vec![v], 0);
        assert_eq!(push.next_wake(&shared), Some(100));
        push.read(vec![v, a], 80);
        assert_eq!(push.next_wake(&shared), Some(180));
        push.read(vec![v, a], 170);
        assert_eq!(push.next_wake(&shared), Some(180), "no new entry: the debounce goes on");
        push.read(vec![v, a, b], 170);
        assert_eq!(push.next_wake(&shared), Some(250), "cut short by max_delay_ms");
        assert!(drive(&mut push, 249, &mut shared).is_empty());
        let cmds = drive(&mut push, 250, &mut shared);
        let [Command::Push { request, entries }] = &cmds[..] else { panic!("{cmds:?}") };
        assert_eq!(entries, &[a, b, v], "items before versions");
        assert_eq!(push.next_wake(&shared), Some(750), "the ack's deadline");
        push.disconnected();
        let mut out = Vec::new();
        push.acked(*request, PushAck { ok: true, ..PushAck::default() }, 300, &mut shared, &mut out);
        assert!(out.is_empty(), "an abandoned push's late ack is ignored");
        assert_eq!(push.outbox(), &[v, a, b]);
    }

    #[test]
    fn an_entry_refused_for_good_is_parked_and_kept_while_the_rest_is_retried() {
        let mut shared = shared();
        let mut push = PushSide::default();
        let ((a, ida), (b, idb)) = (item(), item());
        push.read(vec![a, b], 0);
        let cmds = drive(&mut push, 100, &mut shared);
        let [Command::Push { request, .. }] = cmds[..] else { panic!("{cmds:?}") };
        let ack = PushAck {
            ok: true,
            items: vec![outcome(ida, Some("request-invalid")), outcome(idb, Some("system-unexpected-error"))],
            ..PushAck::default()
        };
        let mut out = Vec::new();
        push.acked(request, ack, 150, &mut shared, &mut out);
        assert!(out.is_empty());
        assert!(push.has_parked() && !push.only_parked());
        assert_eq!(push.remaining(), 1);
        assert!(matches!(
            &shared.error,
            Some(SyncError::ChangesRefused { kind: ErrorKind::RequestInvalid, .. })
        ));
        assert!(drive(&mut push, 349, &mut shared).is_empty(), "retry backoff");

        let cmds = drive(&mut push, 350, &mut shared);
        let [Command::Push { request, ref entries }] = cmds[..] else { panic!("{cmds:?}") };
        assert_eq!(entries, &[b], "the parked entry waits park_ms");
        let ack = PushAck { ok: true, items: vec![outcome(idb, None)], ..PushAck::default() };
        push.acked(request, ack, 400, &mut shared, &mut out);
        assert_eq!(out, vec![Command::Ack(vec![b])]);
        assert_eq!(push.outbox(), &[a], "kept, never dropped");
        assert!(push.only_parked());
        assert!(shared.error.is_some(), "the parked entry's error stays");
        assert_eq!(push.next_wake(&shared), Some(10_150), "only a parked entry: wake when its parking ends, not at once");
        assert!(drive(&mut push, 10_149, &mut shared).is_empty(), "parked");
        let cmds = drive(&mut push, 10_150, &mut shared);
        assert!(matches!(&cmds[..], [Command::Push { entries, .. }] if entries == &[a]), "tried again: {cmds:?}");
    }
}
