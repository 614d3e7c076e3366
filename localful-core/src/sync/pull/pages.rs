//! Reading the change log: a page answering a pull is applied ([`Command::Apply`]) and only then
//! is the applied `seq` advanced ([`Command::SaveSeq`]); while a page is applied the pages after it
//! are already being fetched, so that the network and the store overlap.

use super::state::{Pull, Repair};
use super::PullSide;
use crate::sync::shared::Shared;
use crate::sync::{Command, RequestId, SyncError};
use crate::wire::ChangesPage;

/// A page asked for ahead while earlier ones are applied. Pages ahead form a chain (each asked
/// from where the one before it ends); those that have arrived when an apply ends are applied
/// together, and all are dropped if it fails.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Prefetch {
    request: RequestId,
    /// The `seq` it was asked from: where the page before it ends.
    since: u64,
    deadline: u64,
    /// The page, once it arrived.
    page: Option<ChangesPage>,
}

impl PullSide {
    /// A page of the log answering pull `request`: a page ahead, or the one waited for.
    pub(in crate::sync) fn page_arrived(
        &mut self,
        request: RequestId,
        page: ChangesPage,
        now: u64,
        shared: &mut Shared,
        out: &mut Vec<Command>,
    ) {
        let Some(prefetch) = self.prefetch.iter_mut().find(|p| p.request == request) else {
            self.page(request, page, now, shared, out);
            return;
        };
        prefetch.page = Some(page);
        if matches!(self.state, Pull::Waiting { request: r, .. } if r == request) {
            // The page an ended apply was waiting for.
            self.apply_prefetched(now, shared, out);
        } else {
            self.prefetch_more(now, shared, out);
        }
    }

    /// Pull `request` failed. A failed page ahead is just not there (nor what was to be asked after
    /// it): the page is asked for again once the pages before it are applied.
    pub(in crate::sync) fn pull_failed(&mut self, request: RequestId, now: u64, shared: &Shared) {
        if let Some(at) = self.prefetch.iter().position(|p| p.request == request) {
            self.prefetch.truncate(at);
        }
        if matches!(self.state, Pull::Waiting { request: r, .. } if r == request) {
            self.state = Pull::Idle;
            shared.fail_retry(&mut self.retry, now);
        }
    }

    /// Apply `request` is written: the applied `seq` advances and is saved, and the pages ahead
    /// that arrived are applied next.
    pub(in crate::sync) fn applied(
        &mut self,
        request: RequestId,
        now: u64,
        shared: &mut Shared,
        out: &mut Vec<Command>,
    ) {
        let (up_to, next) = match self.state {
            Pull::Applying { request: r, up_to } if r == request => (up_to, Pull::Idle),
            // An event applied while a repair is due: the repair still is.
            Pull::Repair(Repair::Applying { request: r, up_to }) if r == request => (up_to, Pull::Repair(Repair::Due)),
            _ => return,
        };
        self.state = next;
        shared.progress.done += up_to.saturating_sub(self.applied);
        self.applied = self.applied.max(up_to);
        self.retry.succeed();
        out.push(Command::SaveSeq(self.applied));
        if self.state == Pull::Idle {
            self.apply_prefetched(now, shared, out);
        }
    }

    /// Apply `request` failed. The log may not fit this device (e.g. a version of an item it never
    /// saw, after a server restore): the next attempt diffs the snapshot instead.
    pub(in crate::sync) fn apply_failed(&mut self, request: RequestId, reason: &str, now: u64, shared: &mut Shared) {
        let (Pull::Applying { request: r, .. } | Pull::Repair(Repair::Applying { request: r, .. })) = self.state else {
            return;
        };
        if r != request {
            return;
        }
        self.state = Pull::Repair(Repair::Due);
        self.prefetch.clear();
        shared.error = Some(SyncError::Apply { detail: reason.to_owned() });
        shared.fail_retry(&mut self.retry, now);
    }

    /// The page pull `request` waited for: its changes past the applied `seq` are applied, or a
    /// repair is due when the log cannot answer (its latest `seq` is behind the applied one, or it
    /// starts after the next).
    fn page(&mut self, request: RequestId, page: ChangesPage, now: u64, shared: &mut Shared, out: &mut Vec<Command>) {
        if !matches!(self.state, Pull::Waiting { request: r, .. } if r == request) {
            return;
        }
        self.state = Pull::Idle;
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
                shared.fail_retry(&mut self.retry, now);
            }
            return;
        };
        if changes.first().is_some_and(|c| c.seq > self.applied + 1) {
            self.repair(latest);
            return;
        }
        let request = shared.request();
        self.state = Pull::Applying { request, up_to: last };
        out.push(Command::Apply { request, changes });
        self.prefetch_more(now, shared, out);
    }

    /// While changes are applied and more are known to exist, asks for the pages after them, up
    /// to `config.prefetch_pages` ahead, all at once: the change log has no gaps (a page starting
    /// past the applied `seq` is a repair), so a page not here yet ends `page_size` after where it
    /// starts. A page that arrives shorter breaks the chain there: the pages asked after it are
    /// dropped when their turn comes, and asked again.
    fn prefetch_more(&mut self, now: u64, shared: &mut Shared, out: &mut Vec<Command>) {
        let Pull::Applying { up_to, .. } = self.state else { return };
        if !shared.online {
            return;
        }
        let limit = shared.config.page_size.max(1);
        while self.prefetch.len() < shared.config.prefetch_pages.max(1) {
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
            let request = shared.request();
            let deadline = now + shared.config.request_timeout_ms;
            self.prefetch.push_back(Prefetch { request, since, deadline, page: None });
            out.push(Command::Pull { request, since, limit });
        }
    }

    /// After an apply: the pages ahead that have arrived, in one apply; or wait for the first of
    /// them (the others stay asked for).
    fn apply_prefetched(&mut self, now: u64, shared: &mut Shared, out: &mut Vec<Command>) {
        let Some(first) = self.prefetch.front() else { return };
        if first.since != self.applied {
            self.prefetch.clear();
            return;
        }
        if first.page.is_none() {
            self.state = Pull::Waiting { request: first.request, deadline: first.deadline };
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
        self.state = Pull::Waiting { request, deadline: now + shared.config.request_timeout_ms };
        self.page(request, page, now, shared, out);
    }
}
