//! The pull side of [`VaultSync`](super::VaultSync): the log position (applied and latest `seq`),
//! what is pulled or applied, the pages ahead, the repair from the server's snapshot and its
//! periodic schedule.
//!
//! The `impl PullSide` is split by concern: `pages` (pages of the change log, their apply and the
//! pages asked ahead), `repair` (the snapshot, the repair and when one is due); the states are in
//! `state`.

mod pages;
mod repair;
mod state;
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

use super::shared::Shared;
use super::{Command, Retry};
use crate::wire::Change;
use pages::Prefetch;
use state::{Pull, Repair};
use std::collections::VecDeque;

/// One vault's pull side.
#[derive(Clone, Debug)]
pub(super) struct PullSide {
    /// The last applied `seq`.
    applied: u64,
    /// The latest `seq` known to exist on the server.
    latest: u64,
    /// The latest `seq` heard of before the socket went away: a server that comes back behind it
    /// lost part of its log.
    heard: u64,
    state: Pull,
    /// The chain of pages ahead, in `seq` order (at most `config.prefetch_pages`).
    prefetch: VecDeque<Prefetch>,
    last_pull: Option<u64>,
    retry: Retry,
    /// The periodic repair is due `repair_ms` after this (the first connect, then each repair).
    repair_anchor: Option<u64>,
    last_repair: Option<u64>,
}

impl PullSide {
    /// A pull side that has applied the server's changes up to `applied`.
    pub(super) fn new(applied: u64) -> Self {
        Self {
            applied,
            latest: applied,
            heard: applied,
            state: Pull::Idle,
            prefetch: VecDeque::new(),
            last_pull: None,
            retry: Retry::default(),
            repair_anchor: None,
            last_repair: None,
        }
    }

    /// The last applied `seq`.
    pub(super) fn applied_seq(&self) -> u64 {
        self.applied
    }

    /// The latest `seq` known to exist on the server.
    pub(super) fn latest_seq(&self) -> u64 {
        self.latest
    }

    /// When the last repair completed, if one did.
    pub(super) fn last_repair(&self) -> Option<u64> {
        self.last_repair
    }

    /// Whether a repair is due or running.
    pub(super) fn is_repairing(&self) -> bool {
        matches!(self.state, Pull::Repair(_))
    }

    /// Nothing in flight, no repair due, nothing left to pull.
    pub(super) fn is_settled(&self) -> bool {
        self.state == Pull::Idle && self.applied >= self.latest
    }

    /// Nothing in flight and nothing left to pull, though a repair may be due.
    pub(super) fn is_quiet(&self) -> bool {
        matches!(self.state, Pull::Idle | Pull::Repair(Repair::Due)) && self.applied >= self.latest
    }

    /// Changes known to exist and not applied yet.
    pub(super) fn behind(&self) -> u64 {
        self.latest.saturating_sub(self.applied)
    }

    /// The vault is subscribed and the server's latest `seq` is `latest_seq`.
    pub(super) fn connected(&mut self, latest_seq: u64, now: u64) {
        self.last_pull = None;
        self.repair_anchor.get_or_insert(now);
        self.retry.wake();
        // Behind a seq we applied or heard of: the server lost part of its log.
        if latest_seq < self.applied || latest_seq < self.heard {
            self.heard = latest_seq;
            self.repair(latest_seq);
        } else {
            self.latest = self.latest.max(latest_seq);
        }
    }

    /// The socket is gone: requests in flight are abandoned; an apply or a repair the engine
    /// carries out goes on.
    pub(super) fn disconnected(&mut self) {
        self.heard = self.heard.max(self.latest);
        self.prefetch.clear();
        match self.state {
            Pull::Waiting { .. } => self.state = Pull::Idle,
            Pull::Repair(Repair::Snapshot { cause, .. }) => self.state = cause.fallback(),
            _ => {}
        }
    }

    /// A server event. One whose `seq` is exactly the next is applied directly when nothing is in
    /// flight (a repair may be due); any other only raises the latest `seq`, and a pull follows.
    pub(super) fn event(&mut self, change: Change, shared: &mut Shared, out: &mut Vec<Command>) {
        self.latest = self.latest.max(change.seq);
        let waiting = matches!(self.state, Pull::Idle | Pull::Repair(Repair::Due));
        if !shared.online || !waiting || change.seq != self.applied + 1 {
            return;
        }
        let (request, up_to) = (shared.request(), change.seq);
        self.state = match self.state {
            Pull::Idle => Pull::Applying { request, up_to },
            _ => Pull::Repair(Repair::Applying { request, up_to }),
        };
        out.push(Command::Apply { request, changes: vec![change] });
    }

    /// A page or snapshot request without an answer by `now` has failed.
    pub(super) fn tick(&mut self, now: u64, shared: &Shared) {
        let next = match self.state {
            Pull::Waiting { deadline, .. } if now >= deadline => Pull::Idle,
            Pull::Repair(Repair::Snapshot { deadline, cause, .. }) if now >= deadline => cause.fallback(),
            _ => return,
        };
        self.state = next;
        shared.fail_retry(&mut self.retry, now);
    }

    /// When [`tick`](Self::tick) or [`drive`](Self::drive) has something to do, if ever.
    pub(super) fn next_wake(&self, shared: &Shared) -> Option<u64> {
        match self.state {
            Pull::Waiting { deadline, .. } | Pull::Repair(Repair::Snapshot { deadline, .. }) => Some(deadline),
            Pull::Repair(Repair::Due) if shared.online => Some(self.retry.not_before),
            Pull::Idle if shared.online && self.latest > self.applied => Some(self.retry.not_before),
            Pull::Idle if shared.online => {
                Some(self.poll_due(shared).min(self.repair_due(shared)).max(self.retry.not_before))
            }
            _ => None,
        }
    }

    /// Drops the pages ahead once nothing is pulled or applied: they only make sense behind an
    /// apply or a pull in flight.
    pub(super) fn drop_stale_prefetch(&mut self) {
        if self.state == Pull::Idle {
            self.prefetch.clear();
        }
    }

    /// Starts what is due at `now` (the caller checks the vault is connected): a repair when the
    /// log cannot answer or the periodic one is due, else a pull when behind or the poll is due.
    pub(super) fn drive(&mut self, now: u64, shared: &mut Shared, out: &mut Vec<Command>) {
        self.start_repair(now, shared, out);
        let wanted = self.latest > self.applied || now >= self.poll_due(shared);
        if self.state == Pull::Idle && wanted && self.retry.ready(now) {
            let request = shared.request();
            shared.progress.total = shared.progress.total.max(shared.progress.done + self.latest.saturating_sub(self.applied));
            self.state = Pull::Waiting { request, deadline: now + shared.config.request_timeout_ms };
            out.push(Command::Pull { request, since: self.applied, limit: shared.config.page_size.max(1) });
        }
    }

    /// While connected and idle, the log is pulled at least this often.
    fn poll_due(&self, shared: &Shared) -> u64 {
        self.last_pull.map_or(0, |t| t.saturating_add(shared.config.poll_ms))
    }
}
