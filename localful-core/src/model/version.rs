//! Versions: immutable snapshots of an item's data.

use super::{ItemId, Timestamp, VersionId};
use serde::{Deserialize, Serialize};

/// One immutable version of an item (SPEC: "Data model").
///
/// `protected_data` is the encrypted JSON of the item's data; it is `None` once the version (or
/// its item) is deleted, because deletion drops the data and keeps only the tombstone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    /// The version's id.
    pub id: VersionId,
    /// The item this version belongs to.
    pub item_id: ItemId,
    /// When the version was written (the first half of the last-write-wins order).
    pub created_at: Timestamp,
    /// The writing device's name (plaintext).
    pub device_name: String,
    /// The collection schema version the data was written under.
    pub schema_version: u32,
    /// The encrypted data (a `v1:` envelope); `None` when deleted.
    pub protected_data: Option<String>,
    /// When the version was deleted, if it was.
    pub deleted_at: Option<Timestamp>,
}

impl Version {
    /// Whether the version is live (not deleted).
    pub fn is_live(&self) -> bool {
        self.deleted_at.is_none()
    }

    /// The last-write-wins key: `(created_at, id)`.
    pub fn lww_key(&self) -> (Timestamp, VersionId) {
        (self.created_at, self.id)
    }
}

/// A version's metadata without its data: what a history listing shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionMeta {
    /// The version's id.
    pub id: VersionId,
    /// When the version was written.
    pub created_at: Timestamp,
    /// The writing device's name.
    pub device_name: String,
    /// The collection schema version the data was written under.
    pub schema_version: u32,
    /// When the version was deleted, if it was.
    pub deleted_at: Option<Timestamp>,
}

impl VersionMeta {
    /// The metadata of `version`.
    pub fn of(version: &Version) -> Self {
        Self {
            id: version.id,
            created_at: version.created_at,
            device_name: version.device_name.clone(),
            schema_version: version.schema_version,
            deleted_at: version.deleted_at,
        }
    }

    /// Whether the version is live (not deleted).
    pub fn is_live(&self) -> bool {
        self.deleted_at.is_none()
    }

    /// The last-write-wins key: `(created_at, id)`.
    pub fn lww_key(&self) -> (Timestamp, VersionId) {
        (self.created_at, self.id)
    }
}
