//! Vaults, items and versions as the server sees them.

use crate::model::{Item, ItemId, Timestamp, Vault, VaultId, Version, VersionId};
use serde::{Deserialize, Serialize};

/// An item on the wire: `{id, vaultId, type, createdAt, deletedAt}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WireItem {
    /// The client-chosen id.
    pub id: ItemId,
    /// The vault it belongs to.
    pub vault_id: VaultId,
    /// The collection name.
    #[serde(rename = "type")]
    pub collection: String,
    /// Client-chosen creation time.
    pub created_at: Timestamp,
    /// The tombstone time, if deleted.
    #[serde(default)]
    pub deleted_at: Option<Timestamp>,
}

impl From<&Item> for WireItem {
    fn from(item: &Item) -> Self {
        Self {
            id: item.id,
            vault_id: item.vault_id,
            collection: item.collection.clone(),
            created_at: item.created_at,
            deleted_at: item.deleted_at,
        }
    }
}

impl From<WireItem> for Item {
    fn from(w: WireItem) -> Self {
        Item {
            id: w.id,
            vault_id: w.vault_id,
            collection: w.collection,
            created_at: w.created_at,
            deleted_at: w.deleted_at,
            current_version_id: None,
            exposed: Default::default(),
        }
    }
}

/// A version on the wire: `{id, itemId, protectedData, deviceName, schemaVersion, createdAt, deletedAt}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WireVersion {
    /// The client-chosen id.
    pub id: VersionId,
    /// The item it is a version of.
    pub item_id: ItemId,
    /// The encrypted data; `null` once deleted.
    #[serde(default)]
    pub protected_data: Option<String>,
    /// The writing device's name.
    pub device_name: String,
    /// The collection schema version of the data.
    pub schema_version: u32,
    /// Client-chosen creation time.
    pub created_at: Timestamp,
    /// When it was deleted, if it was.
    #[serde(default)]
    pub deleted_at: Option<Timestamp>,
}

impl From<&Version> for WireVersion {
    fn from(v: &Version) -> Self {
        Self {
            id: v.id,
            item_id: v.item_id,
            protected_data: if v.deleted_at.is_some() { None } else { v.protected_data.clone() },
            device_name: v.device_name.clone(),
            schema_version: v.schema_version,
            created_at: v.created_at,
            deleted_at: v.deleted_at,
        }
    }
}

impl From<WireVersion> for Version {
    fn from(w: WireVersion) -> Self {
        Version {
            id: w.id,
            item_id: w.item_id,
            created_at: w.created_at,
            device_name: w.device_name,
            schema_version: w.schema_version,
            protected_data: w.protected_data,
            deleted_at: w.deleted_at,
        }
    }
}

/// A vault on the wire: `{id, name, protectedEncryptionKey, protectedData, ownerId, createdAt,
/// updatedAt, deletedAt}` (the server fills `ownerId` and `updatedAt`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WireVault {
    /// The client-chosen id.
    pub id: VaultId,
    /// The plaintext name.
    pub name: String,
    /// The wrapped data key.
    pub protected_encryption_key: String,
    /// Optional encrypted metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protected_data: Option<String>,
    /// The owner (server-filled; absent in requests).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// Client-chosen creation time.
    pub created_at: Timestamp,
    /// Last change (server-filled; absent in requests).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Timestamp>,
    /// Deletion time (server-filled; absent in requests).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<Timestamp>,
}

impl WireVault {
    /// The vault as this device records it when it comes from the server (`sync_enabled`: it is
    /// a synced vault from now on).
    pub fn into_vault(self) -> Vault {
        Vault {
            id: self.id,
            name: self.name,
            protected_encryption_key: self.protected_encryption_key,
            created_at: self.created_at,
            updated_at: self.updated_at.unwrap_or(self.created_at),
            deleted_at: self.deleted_at,
            sync_enabled: true,
        }
    }
}
