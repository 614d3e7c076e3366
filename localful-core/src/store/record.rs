//! What a store keeps: one item row (item, exposed fields, version metadata, outbox) and one row
//! per live version's data.

use crate::model::{Item, ItemId, Version, VersionId, VersionMeta, current_version};
use serde::{Deserialize, Serialize};

/// A change waiting to be pushed to the server, written in the same transaction as the change.
///
/// The entry names what changed; the sync engine reads the current state of it when pushing and
/// acknowledges the entry (see [`Store::write_item`](crate::Store::write_item) with [`ack`](crate::store::ops::ack))
/// once the server confirmed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OutboxEntry {
    /// The item was created or deleted.
    Item(ItemId),
    /// A version was created or deleted.
    Version(ItemId, VersionId),
}

impl OutboxEntry {
    /// The item the entry belongs to.
    pub fn item(&self) -> ItemId {
        match self {
            OutboxEntry::Item(item) | OutboxEntry::Version(item, _) => *item,
        }
    }
}

/// The stored state of one item: the item, its versions' metadata (the data lives in separate
/// [`Version`] rows, one per live version) and its pending outbox entries.
///
/// Keeping the version list and the outbox on the item row makes a write two rows (item + new
/// version) instead of three or more, which is what IndexedDB write cost depends on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredItem {
    /// The item, with its exposed fields and current version.
    pub item: Item,
    /// Every version's metadata, deleted ones included (tombstones).
    pub versions: Vec<VersionMeta>,
    /// Changes not yet acknowledged by the server.
    pub outbox: Vec<OutboxEntry>,
    /// The [exposure signature](crate::CollectionDef::exposure_signature) the exposed fields were
    /// computed with; when the collection's exposed fields change, rows are refreshed on open.
    #[serde(default)]
    pub exposed_by: String,
}

impl StoredItem {
    /// The current version's metadata (last write wins).
    pub fn current(&self) -> Option<&VersionMeta> {
        current_version(&self.versions)
    }

    /// The metadata of version `id`.
    pub fn version(&self, id: VersionId) -> Option<&VersionMeta> {
        self.versions.iter().find(|v| v.id == id)
    }

    /// Whether the item is live and has a current version: what queries see.
    pub fn is_visible(&self) -> bool {
        self.item.is_live() && self.item.current_version_id.is_some()
    }

    pub(crate) fn push_outbox(&mut self, entry: OutboxEntry) {
        if !self.outbox.contains(&entry) {
            self.outbox.push(entry);
        }
    }
}

/// What one atomic item write stores: the new item row, version rows to put and version rows to
/// remove (their data dropped).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemWrite {
    /// The item row after the write.
    pub item: StoredItem,
    /// Version rows to add.
    pub put_versions: Vec<Version>,
    /// Version rows to remove.
    pub drop_versions: Vec<VersionId>,
}

impl ItemWrite {
    /// A write of `item` alone.
    pub fn item_only(item: StoredItem) -> Self {
        Self { item, put_versions: Vec::new(), drop_versions: Vec::new() }
    }
}
