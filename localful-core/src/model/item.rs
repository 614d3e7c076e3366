//! Items: entities of one collection.

use super::{ItemId, Timestamp, VaultId, VersionId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An item's exposed fields: values copied unencrypted from its current data onto the local item,
/// by field name. Never sent to a server.
pub type ExposedValues = BTreeMap<String, serde_json::Value>;

/// A version's exposed field values and the exposure signature they were computed with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Exposed {
    /// The values.
    pub values: ExposedValues,
    /// [`CollectionDef::exposure_signature`](crate::CollectionDef::exposure_signature).
    pub signature: String,
}

/// An item (SPEC: "Data model"): one entity of one collection, whose data lives in its versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// The item's id.
    pub id: ItemId,
    /// The vault the item belongs to.
    pub vault_id: VaultId,
    /// The collection (type) name; `type` on the wire.
    pub collection: String,
    /// When the item was created.
    pub created_at: Timestamp,
    /// When the item was deleted (a tombstone: its versions' data is gone), if it was.
    pub deleted_at: Option<Timestamp>,
    /// The current version (last write wins), local only; `None` when deleted or not yet known.
    pub current_version_id: Option<VersionId>,
    /// The exposed fields of the current version, local only; empty when deleted.
    pub exposed: ExposedValues,
}

impl Item {
    /// Whether the item is live (not a tombstone).
    pub fn is_live(&self) -> bool {
        self.deleted_at.is_none()
    }
}
