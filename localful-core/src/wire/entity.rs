//! Model ↔ wire: items, versions and vaults as this crate keeps them and as the server sees them.

use crate::model::{Item, VaultMeta, Version};
use localful_protocol::{VaultCreateRequest, WireItem, WireVault, WireVersion};

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

/// The vault as this device records it when it comes from the server (`sync_enabled`: it is a
/// synced vault from now on).
impl From<WireVault> for VaultMeta {
    fn from(w: WireVault) -> Self {
        VaultMeta {
            id: w.id,
            name: w.name,
            protected_encryption_key: w.protected_encryption_key,
            created_at: w.created_at,
            updated_at: w.updated_at,
            deleted_at: w.deleted_at,
            sync_enabled: true,
        }
    }
}

/// The upload of a local vault (enabling its sync): what the client chooses of it.
impl From<&VaultMeta> for VaultCreateRequest {
    fn from(v: &VaultMeta) -> Self {
        Self {
            id: v.id,
            name: v.name.clone(),
            protected_encryption_key: v.protected_encryption_key.clone(),
            protected_data: None,
            created_at: v.created_at,
        }
    }
}
