//! One server change as the store applies it ([`Remote`]), and what applying a version does to an
//! item's version list (for predicting the current version). Pure: used by the batch and merge
//! paths alike.

use crate::model::{Item, ItemId, Version, VersionMeta};
use crate::store::StoredItem;

/// One server change, as the store applies it.
#[derive(Clone, Debug)]
pub(crate) enum Remote {
    /// An item (new, or its tombstone).
    Item(Item),
    /// A version (new, or its deletion).
    Version(Version),
}

impl Remote {
    pub(crate) fn item_id(&self) -> ItemId {
        match self {
            Remote::Item(i) => i.id,
            Remote::Version(v) => v.item_id,
        }
    }
}

/// What [`ops::apply_remote_version`](crate::store::ops::apply_remote_version) does to the version list, for predicting the current one.
pub(super) fn simulate_version(row: &mut StoredItem, version: &Version) {
    match row.versions.iter_mut().find(|v| v.id == version.id) {
        Some(v) => v.deleted_at = v.deleted_at.or(version.deleted_at),
        None => row.versions.push(VersionMeta::of(version)),
    }
}
