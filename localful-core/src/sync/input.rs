//! What the engine tells the machine, and what the machine asks the engine to do.

use super::Pending;
use crate::wire::{Change, ChangesPage, PushAck, Snapshot};

/// Identifies one push, pull or apply, so a late or duplicated answer to an old request is
/// recognised and ignored.
pub type RequestId = u64;

/// Something that happened, fed to [`VaultSync::handle`](super::VaultSync::handle).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Input {
    /// The socket is connected and the vault subscribed; the server's latest `seq` for it.
    Connected {
        /// From the subscribe ack.
        latest_seq: u64,
    },
    /// The socket is gone: requests in flight are abandoned (their entries stay pending).
    Disconnected,
    /// The vault's outbox as the engine now knows it: read in full when the vault joins and after a
    /// repair, and kept up to date in between from local change events and [`Command::Ack`] results.
    Outbox(Vec<Pending>),
    /// The server's ack of push `request`.
    PushAcked {
        /// The push.
        request: RequestId,
        /// Its ack.
        ack: PushAck,
    },
    /// Push `request` could not be sent or its ack said nothing useful.
    PushFailed {
        /// The push.
        request: RequestId,
    },
    /// A page of the change log, answering pull `request`.
    Page {
        /// The pull.
        request: RequestId,
        /// The page.
        page: ChangesPage,
    },
    /// Pull `request` failed.
    PullFailed {
        /// The pull.
        request: RequestId,
    },
    /// [`Command::Apply`] `request` is written to the store.
    Applied {
        /// The apply.
        request: RequestId,
    },
    /// [`Command::Apply`] `request` failed; nothing after its first failing change is assumed.
    ApplyFailed {
        /// The apply.
        request: RequestId,
        /// Why, for the status.
        reason: String,
    },
    /// A server event (`item-*`, `version-*`) for this vault.
    Event(Change),
    /// The server's snapshot, answering [`Command::Snapshot`] `request`.
    Snapshot {
        /// The snapshot request.
        request: RequestId,
        /// The snapshot.
        snapshot: Snapshot,
    },
    /// [`Command::Snapshot`] `request` failed (or timed out).
    SnapshotFailed {
        /// The snapshot request.
        request: RequestId,
    },
    /// [`Command::Repair`] `request` is carried out; the vault's outbox read after it.
    Repaired {
        /// The repair.
        request: RequestId,
        /// The outbox, with the entries the repair queued again.
        outbox: Vec<Pending>,
    },
    /// [`Command::Repair`] `request` failed part-way (what it wrote is safe; it is redone).
    RepairFailed {
        /// The repair.
        request: RequestId,
        /// Why, for the status.
        reason: String,
    },
}

/// Something the engine must do, returned by the machine.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Command {
    /// Read these entries' current state and send them as one `push`; answer with
    /// [`Input::PushAcked`] or [`Input::PushFailed`].
    Push {
        /// The request id to answer with.
        request: RequestId,
        /// Items first, then versions.
        entries: Vec<Pending>,
    },
    /// `GET /v1/vaults/:id/changes?since=&limit=`; answer with [`Input::Page`] or
    /// [`Input::PullFailed`].
    Pull {
        /// The request id to answer with.
        request: RequestId,
        /// Entries after this `seq`.
        since: u64,
        /// Page size.
        limit: u64,
    },
    /// Apply these changes to the store, in order; answer [`Input::Applied`] or
    /// [`Input::ApplyFailed`].
    Apply {
        /// The request id to answer with.
        request: RequestId,
        /// The changes.
        changes: Vec<Change>,
    },
    /// Clear these entries from the outbox where unchanged, then send [`Input::Outbox`] with what
    /// the acked items still hold ([`AckOutcome`](crate::AckOutcome)).
    Ack(Vec<Pending>),
    /// Persist the last applied `seq` (losing it only costs a longer pull).
    SaveSeq(u64),
    /// `GET /v1/vaults/:id/snapshot`: the log cannot answer (or the periodic repair is due);
    /// answer [`Input::Snapshot`] or [`Input::SnapshotFailed`].
    Snapshot {
        /// The request id to answer with.
        request: RequestId,
    },
    /// Repair the vault from `snapshot`: diff it against the local rows
    /// ([`Replica::plan_repair`](crate::Replica::plan_repair)), fetch the versions the
    /// plan names, apply it ([`Replica::apply_repair`](crate::Replica::apply_repair)),
    /// re-read the outbox; answer [`Input::Repaired`] or [`Input::RepairFailed`]. The log is then
    /// read again after the snapshot's `latestSeq`.
    Repair {
        /// The request id to answer with.
        request: RequestId,
        /// The server's snapshot.
        snapshot: Snapshot,
    },
}
