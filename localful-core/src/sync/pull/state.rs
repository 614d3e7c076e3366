//! The states of the pull side. A repair is one of them, not a flag beside them: once the log
//! cannot answer, the pull side stays in [`Pull::Repair`] until a repair is done.

use crate::sync::RequestId;

/// What the pull side is doing.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Pull {
    /// Nothing in flight: the log is pulled when behind or when the poll is due, and the periodic
    /// repair starts when it is due.
    Idle,
    /// Waiting for a page of the log.
    Waiting { request: RequestId, deadline: u64 },
    /// Waiting for the store to apply changes up to `up_to`.
    Applying { request: RequestId, up_to: u64 },
    /// Repairing from the server's snapshot.
    Repair(Repair),
}

/// The steps of a repair.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Repair {
    /// The log cannot answer: the snapshot is asked for as soon as the pull retry allows.
    Due,
    /// Due, and meanwhile an event that was exactly the next `seq` is applied (as when idle).
    Applying { request: RequestId, up_to: u64 },
    /// Waiting for the server's snapshot.
    Snapshot { request: RequestId, deadline: u64, cause: Cause },
    /// Waiting for the engine to carry out the repair; the log is then read again after `seq`.
    Repairing { request: RequestId, seq: u64, cause: Cause },
}

/// Why a repair runs, which says where a failed one goes back to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Cause {
    /// The log cannot answer: a failed repair is [due](Repair::Due) again.
    Log,
    /// The periodic repair: a failed one leaves the pull side idle, and it is asked for again
    /// while it is due.
    Periodic,
}

impl Cause {
    /// Where a failed repair of this cause goes back to.
    pub(super) fn fallback(self) -> Pull {
        match self {
            Cause::Log => Pull::Repair(Repair::Due),
            Cause::Periodic => Pull::Idle,
        }
    }
}
