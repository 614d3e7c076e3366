//! An outbox entry as the sync machine sees it: the entry and whether it was a deletion when read.

use crate::store::{OutboxEntry, StoredItem};
use serde::{Deserialize, Serialize};

/// One outbox entry with the deletion state its entity had when the outbox was read.
///
/// An entry names an entity, not a change: a version created and then deleted before the push was
/// acked is still one entry. Acknowledging compares `deleted` with the entity's state at ack time
/// (deletion is monotonic), so an ack of the create never clears the pending deletion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Pending {
    /// The outbox entry.
    pub entry: OutboxEntry,
    /// Whether the item (for `Item`) or version (for `Version`) was deleted when read.
    pub deleted: bool,
}

impl Pending {
    /// Items sort before versions: a batch must create an item before its versions.
    pub(crate) fn rank(&self) -> u8 {
        match self.entry {
            OutboxEntry::Item(_) => 0,
            OutboxEntry::Version(..) => 1,
        }
    }
}

/// The pending entries of one item row, with their current deletion state. Entries whose version
/// is unknown to the row are skipped (nothing to push).
pub fn pending_of(row: &StoredItem) -> Vec<Pending> {
    row.outbox
        .iter()
        .filter_map(|entry| {
            let deleted = match entry {
                OutboxEntry::Item(_) => row.item.deleted_at.is_some(),
                OutboxEntry::Version(_, v) => row.version(*v)?.deleted_at.is_some(),
            };
            Some(Pending { entry: *entry, deleted })
        })
        .collect()
}
