//! Vaults, items and versions as the server stores and answers them (SPEC "Wire shapes").

use crate::{ItemId, Timestamp, UserId, VaultId, VersionId};
use serde::{Deserialize, Serialize};

/// An item: `{id, vaultId, type, createdAt, deletedAt}`.
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
    /// The tombstone time, if deleted; once set, the item's versions hold no data.
    #[serde(default)]
    pub deleted_at: Option<Timestamp>,
}

/// A version: `{id, itemId, protectedData, deviceName, schemaVersion, createdAt, deletedAt}`.
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

/// A vault as the server answers it: `{id, name, protectedEncryptionKey, protectedData, ownerId,
/// createdAt, updatedAt, deletedAt}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WireVault {
    /// The client-chosen id.
    pub id: VaultId,
    /// The plaintext name, unique per owner.
    pub name: String,
    /// The wrapped data key.
    pub protected_encryption_key: String,
    /// Optional encrypted metadata.
    #[serde(default)]
    pub protected_data: Option<String>,
    /// The owning user.
    pub owner_id: UserId,
    /// Client-chosen creation time.
    pub created_at: Timestamp,
    /// Last change (server time).
    pub updated_at: Timestamp,
    /// Always `null` from the server: deleting a vault removes it (devices learn from
    /// `vault-delete`).
    #[serde(default)]
    pub deleted_at: Option<Timestamp>,
}

/// `POST /v1/vaults` body: `{id, name, protectedEncryptionKey, protectedData?, createdAt}` (the
/// server fills the owner and `updatedAt`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultCreateRequest {
    /// The client-chosen id.
    pub id: VaultId,
    /// The plaintext name.
    pub name: String,
    /// The wrapped data key.
    pub protected_encryption_key: String,
    /// Optional encrypted metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protected_data: Option<String>,
    /// Client-chosen creation time.
    pub created_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const A: &str = "6f9619ff-8b86-4011-b42d-00c04fc964ff";
    const B: &str = "0192e4c0-0000-4000-8000-000000000001";
    const T: &str = "2026-01-02T03:04:05.678Z";

    #[test]
    fn an_item_and_a_version_carry_their_tombstones_as_null() {
        let item = WireItem {
            id: A.parse().unwrap(),
            vault_id: B.parse().unwrap(),
            collection: "notes".into(),
            created_at: T.parse().unwrap(),
            deleted_at: None,
        };
        assert_eq!(
            serde_json::to_string(&item).unwrap(),
            format!(r#"{{"id":"{A}","vaultId":"{B}","type":"notes","createdAt":"{T}","deletedAt":null}}"#)
        );
        let version = WireVersion {
            id: A.parse().unwrap(),
            item_id: B.parse().unwrap(),
            protected_data: None,
            device_name: "laptop".into(),
            schema_version: 2,
            created_at: T.parse().unwrap(),
            deleted_at: Some(T.parse().unwrap()),
        };
        assert_eq!(
            serde_json::to_value(&version).unwrap(),
            json!({"id": A, "itemId": B, "protectedData": null, "deviceName": "laptop", "schemaVersion": 2,
                   "createdAt": T, "deletedAt": T})
        );
    }

    #[test]
    fn a_vault_answer_has_every_field_and_a_create_only_what_the_client_chooses() {
        let vault = WireVault {
            id: A.parse().unwrap(),
            name: "Personal".into(),
            protected_encryption_key: "v1:k".into(),
            protected_data: None,
            owner_id: B.parse().unwrap(),
            created_at: T.parse().unwrap(),
            updated_at: T.parse().unwrap(),
            deleted_at: None,
        };
        assert_eq!(
            serde_json::to_value(&vault).unwrap(),
            json!({"id": A, "name": "Personal", "protectedEncryptionKey": "v1:k", "protectedData": null,
                   "ownerId": B, "createdAt": T, "updatedAt": T, "deletedAt": null})
        );
        let create = VaultCreateRequest {
            id: A.parse().unwrap(),
            name: "Personal".into(),
            protected_encryption_key: "v1:k".into(),
            protected_data: None,
            created_at: T.parse().unwrap(),
        };
        assert_eq!(
            serde_json::to_string(&create).unwrap(),
            format!(r#"{{"id":"{A}","name":"Personal","protectedEncryptionKey":"v1:k","createdAt":"{T}"}}"#)
        );
    }
}
