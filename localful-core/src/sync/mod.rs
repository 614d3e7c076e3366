//! The pure sync state machine (SPEC "Sync"): what to push, what to pull, how to merge, when to
//! retry — free of IO, clocks and `web-sys`, so it is tested natively against a simulated network
//! (`tests/sync_sim.rs`). The worker's engine feeds it [`Input`]s with the current time and carries
//! out the [`Command`]s it returns.
//!
//! ## The protocol, per vault
//! - **Push.** Local writes leave [`OutboxEntry`](crate::OutboxEntry)s on the item rows. The
//!   engine hands the machine a snapshot ([`Input::Outbox`], one [`Pending`] per entry with the
//!   deletion state it saw). After a debounce (and at least `min_push_interval` after the last
//!   push), the machine asks for one batch at a time ([`Command::Push`], items before versions, so
//!   a version never reaches the server before its item). Only ids the server acked `ok` are
//!   cleared ([`Command::Ack`]), and only if the entry did not change since it was read
//!   ([`Replica::ack_pushed`](crate::Replica::ack_pushed)): a deletion made while its
//!   create was in flight is pushed next time. A lost ack (timeout, disconnect) leaves everything
//!   in the outbox; pushes are idempotent on the server, so re-sending is always safe.
//! - **Pull.** The server numbers every change of a vault (`seq`). The machine keeps the last
//!   applied `seq` and the latest it has heard of (subscribe ack, change pages, events). While
//!   behind it pulls `changes since applied` one page at a time, applies the page
//!   ([`Command::Apply`]) and only then advances ([`Command::SaveSeq`]); while a page is applied
//!   the next one is already being fetched (applied only after it, dropped if the apply fails),
//!   so the network and the store overlap. An event whose `seq` is
//!   exactly the next one is applied directly; any other is a gap and leads to a pull. Entries
//!   carry the entity as it is now, and applying is idempotent, so duplicates, replays and our
//!   own changes coming back are harmless.
//! - **Merge.** Versions are immutable and deletions are monotonic (a tombstone never comes back),
//!   so the merged state is the union of versions with the union of deletions, and the current
//!   version is the live one with the greatest `(created_at, id)` on every device
//!   ([`current_version`](crate::current_version)).
//! - **Retry.** Failed or timed-out requests retry with capped exponential backoff; entries the
//!   server refuses for good (invalid, too large) are parked — kept, never dropped, retried rarely
//!   — and reported in the status.
//! - **Repair.** When the server's log cannot answer (its latest `seq` is behind one we applied or
//!   heard of — a server restored from an older backup of its database — or a page starts after the
//!   next `seq`), and in any case every [`SyncConfig::repair_ms`] while connected, the machine
//!   asks for the server's snapshot of ids ([`Command::Snapshot`]) and has it diffed against the
//!   local rows ([`Command::Repair`], [`RepairPlan`]): what the device lacks is fetched and
//!   applied (remote deletions included), everything local the server lacks is queued for push
//!   again — nothing local is ever lost — and the log is read again after the snapshot's `seq`.
//!
//! ## The machine's parts
//! [`VaultSync`] composes two parts, each with its own state and methods:
//! - the push side (`push`): the outbox as last read, the push in flight, the parked entries, and
//!   when the next push may go (debounce, longest delay, rate limit, push retry);
//! - the pull side (`pull`): the log position (applied, latest and last heard `seq`), what is
//!   pulled or applied, the pages ahead, the pull retry, and the repair with its periodic
//!   schedule. A repair is a state of the pull side, not a flag beside its states: due, applying
//!   an event meanwhile, waiting for the snapshot, repairing. Once the log cannot answer, the pull
//!   side stays in it until a repair is done; a periodic repair that fails leaves it idle.
//!
//! What both read and write — the settings, whether the vault is connected, one sequence of
//! request ids, the error and the progress the status shows — is kept apart (`shared`).
//! [`VaultSync::handle`] routes each input to its side, then starts what is due: a push first,
//! then a repair or a pull.

mod config;
mod error;
mod input;
mod machine;
mod pull;
mod push;
mod repair;
mod retry;
mod shared;
mod status;

pub use config::SyncConfig;
pub use error::SyncError;
pub use input::{Command, Input, RequestId};
pub use machine::VaultSync;
// The outbox entry lives in `store` (change events carry it too, and `events` sits below `sync`).
pub use crate::store::{Pending, pending_of};
pub use repair::RepairPlan;
pub use retry::Retry;
pub use status::{Progress, SyncStatus};
