//! The pull side's repair (SPEC "Sync"): when the log cannot answer, and every `repair_ms` while
//! connected, the server's snapshot is asked for and the engine repairs the vault from it
//! ([`RepairPlan`](crate::sync::RepairPlan)); the log is then read again after the snapshot's `seq`.

use super::state::{Cause, Pull, Repair};
use super::PullSide;
use crate::sync::shared::Shared;
use crate::sync::{Command, RequestId, SyncError};
use crate::wire::Snapshot;

impl PullSide {
    /// The log cannot answer: forget what it said and repair from a snapshot (the saved `seq`
    /// stays until the repair is done, so a restart in between detects the same and repairs). A
    /// repair already running goes on, now as one the log needs.
    pub(super) fn repair(&mut self, latest_seq: u64) {
        self.prefetch.clear();
        self.latest = latest_seq;
        self.applied = self.applied.min(latest_seq);
        self.state = match self.state {
            Pull::Repair(Repair::Snapshot { request, deadline, .. }) => {
                Pull::Repair(Repair::Snapshot { request, deadline, cause: Cause::Log })
            }
            Pull::Repair(Repair::Repairing { request, seq, .. }) => {
                Pull::Repair(Repair::Repairing { request, seq, cause: Cause::Log })
            }
            _ => Pull::Repair(Repair::Due),
        };
    }

    /// Asks for the snapshot when a repair is due at `now` (the log cannot answer, or the periodic
    /// one) and the pull retry allows.
    pub(super) fn start_repair(&mut self, now: u64, shared: &mut Shared, out: &mut Vec<Command>) {
        let cause = match self.state {
            Pull::Repair(Repair::Due) => Cause::Log,
            Pull::Idle if now >= self.repair_due(shared) => Cause::Periodic,
            _ => return,
        };
        if !self.retry.ready(now) {
            return;
        }
        let request = shared.request();
        let deadline = now + shared.config.request_timeout_ms;
        self.state = Pull::Repair(Repair::Snapshot { request, deadline, cause });
        out.push(Command::Snapshot { request });
    }

    /// The server's snapshot answering `request`: the engine is asked to repair from it.
    pub(in crate::sync) fn snapshot(&mut self, request: RequestId, snapshot: Snapshot, out: &mut Vec<Command>) {
        if let Pull::Repair(Repair::Snapshot { request: r, cause, .. }) = self.state
            && r == request
        {
            // The snapshot's seq is the truth now; events heard while repairing add to it.
            self.latest = snapshot.meta.latest_seq;
            self.state = Pull::Repair(Repair::Repairing { request, seq: snapshot.meta.latest_seq, cause });
            out.push(Command::Repair { request, snapshot });
        }
    }

    /// Snapshot `request` failed or timed out.
    pub(in crate::sync) fn snapshot_failed(&mut self, request: RequestId, now: u64, shared: &Shared) {
        if let Pull::Repair(Repair::Snapshot { request: r, cause, .. }) = self.state
            && r == request
        {
            self.state = cause.fallback();
            shared.fail_retry(&mut self.retry, now);
        }
    }

    /// Repair `request` is carried out: the log is read again after the snapshot's `seq`, which is
    /// saved. Returns whether it was the repair running (the caller then takes the outbox read
    /// after it).
    pub(in crate::sync) fn repaired(&mut self, request: RequestId, now: u64, out: &mut Vec<Command>) -> bool {
        let Pull::Repair(Repair::Repairing { request: r, seq, .. }) = self.state else {
            return false;
        };
        if r != request {
            return false;
        }
        self.state = Pull::Idle;
        self.repair_anchor = Some(now);
        self.last_repair = Some(now);
        self.last_pull = Some(now);
        self.retry.succeed();
        self.applied = seq;
        self.latest = self.latest.max(seq);
        self.heard = seq;
        out.push(Command::SaveSeq(seq));
        true
    }

    /// Repair `request` failed part-way (what it wrote is safe; it is redone).
    pub(in crate::sync) fn repair_failed(&mut self, request: RequestId, reason: &str, now: u64, shared: &mut Shared) {
        if let Pull::Repair(Repair::Repairing { request: r, cause, .. }) = self.state
            && r == request
        {
            self.state = cause.fallback();
            shared.error = Some(SyncError::Repair { detail: reason.to_owned() });
            shared.fail_retry(&mut self.retry, now);
        }
    }

    /// When the periodic repair is due (never before the first connect).
    pub(super) fn repair_due(&self, shared: &Shared) -> u64 {
        self.repair_anchor.map_or(u64::MAX, |a| a.saturating_add(shared.config.repair_ms))
    }
}
