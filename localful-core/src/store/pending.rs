//! An outbox entry with the deletion state of its entity: what the sync machine pushes and acks,
//! and what a local write's change event carries.

use super::{OutboxEntry, StoredItem};
use crate::model::{ItemId, VersionId};
use serde::{Deserialize, Serialize};

/// One outbox entry with the deletion state its entity had when the outbox was read (or when the
/// write that left it committed).
///
/// An entry names an entity, not a change: a version created and then deleted before the push was
/// acked is still one entry. Acknowledging compares `deleted` with the entity's state at ack time
/// (deletion is monotonic), so an ack of the create never clears the pending deletion.
///
/// In JSON (change events, see [`ChangeEvent`](crate::ChangeEvent)) an entry is an object naming its item,
/// its version for a version entry, and `"deleted": true` only when deleted:
///
/// ```
/// use localful_core::store::{OutboxEntry, Pending};
/// use localful_core::{ItemId, VersionId};
/// let (item, version) = (ItemId::new(), VersionId::new());
/// let created = Pending { entry: OutboxEntry::Item(item), deleted: false };
/// let gone = Pending { entry: OutboxEntry::Version(item, version), deleted: true };
/// assert_eq!(serde_json::to_string(&created)?, format!(r#"{{"item":"{item}"}}"#));
/// assert_eq!(serde_json::to_string(&gone)?, format!(r#"{{"item":"{item}","version":"{version}","deleted":true}}"#));
/// assert_eq!(serde_json::from_str::<Pending>(&serde_json::to_string(&gone)?)?, gone);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "PendingJson", into = "PendingJson")]
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

    /// The item the entry belongs to.
    pub fn item(&self) -> ItemId {
        match self.entry {
            OutboxEntry::Item(i) | OutboxEntry::Version(i, _) => i,
        }
    }
}

/// The JSON form of a [`Pending`]: flat, with the defaults (no version, not deleted) left out.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PendingJson {
    item: ItemId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    version: Option<VersionId>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    deleted: bool,
}

impl From<Pending> for PendingJson {
    fn from(p: Pending) -> Self {
        let (item, version) = match p.entry {
            OutboxEntry::Item(i) => (i, None),
            OutboxEntry::Version(i, v) => (i, Some(v)),
        };
        Self { item, version, deleted: p.deleted }
    }
}

impl From<PendingJson> for Pending {
    fn from(j: PendingJson) -> Self {
        let entry = match j.version {
            None => OutboxEntry::Item(j.item),
            Some(v) => OutboxEntry::Version(j.item, v),
        };
        Self { entry, deleted: j.deleted }
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

/// The entries of `after` (an item row a write produced) that `before` (its pending entries
/// before the write) did not hold as they are now: those the write added, and those whose
/// deletion state it changed.
pub(crate) fn pending_left(before: &[Pending], after: &StoredItem) -> Vec<Pending> {
    pending_of(after).into_iter().filter(|p| !before.contains(p)).collect()
}
