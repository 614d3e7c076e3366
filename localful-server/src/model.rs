//! The resources as stored and as answered on the wire (camelCase, SPEC "Wire shapes").

use serde::Serialize;
use sqlx::{Row, any::AnyRow};

/// A user account (never with its password hash on the wire).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Server-chosen UUID.
    pub id: String,
    /// Email as registered.
    pub email: String,
    /// Name shown to the user.
    pub display_name: String,
    /// When the email was last verified (verification is off by default: `null`).
    pub verified_at: Option<String>,
    /// When the email was first verified.
    pub first_verified_at: Option<String>,
    /// `user` or `admin`.
    pub role: String,
    /// Creation time.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
    #[serde(skip)]
    pub(crate) password_hash: String,
}

/// A vault (an end-to-end encrypted database).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Vault {
    /// Client-chosen UUID.
    pub id: String,
    /// Plaintext name, unique per owner.
    pub name: String,
    /// The wrapped database key.
    pub protected_encryption_key: String,
    /// Optional encrypted metadata.
    pub protected_data: Option<String>,
    /// The owning user.
    pub owner_id: String,
    /// Client-chosen creation time.
    pub created_at: String,
    /// Last change (server time).
    pub updated_at: String,
    /// Always `null`: deleting a vault removes it (devices learn from `vault-delete`).
    pub deleted_at: Option<String>,
}

/// An item of a collection.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    /// Client-chosen UUID.
    pub id: String,
    /// The vault it belongs to.
    pub vault_id: String,
    /// The collection name.
    #[serde(rename = "type")]
    pub collection: String,
    /// Client-chosen creation time.
    pub created_at: String,
    /// Tombstone time; once set, the item's versions hold no data.
    pub deleted_at: Option<String>,
}

/// An immutable version of an item.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Version {
    /// Client-chosen UUID.
    pub id: String,
    /// The item it is a version of.
    pub item_id: String,
    /// The encrypted data (`null` once deleted).
    pub protected_data: Option<String>,
    /// Plaintext name of the writing device.
    pub device_name: String,
    /// Schema version of the collection the data was written under.
    pub schema_version: i64,
    /// Client-chosen creation time.
    pub created_at: String,
    /// Deletion time.
    pub deleted_at: Option<String>,
    #[serde(skip)]
    pub(crate) vault_id: String,
}

pub(crate) const USER_COLS: &str =
    "id, email, display_name, password_hash, role, verified_at, first_verified_at, created_at, updated_at";
pub(crate) const VAULT_COLS: &str =
    "id, owner_id, name, protected_encryption_key, protected_data, created_at, updated_at, deleted_at";
pub(crate) const ITEM_COLS: &str = "id, vault_id, type, created_at, deleted_at";
pub(crate) const VERSION_COLS: &str =
    "id, vault_id, item_id, protected_data, device_name, schema_version, created_at, deleted_at";

impl User {
    pub(crate) fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: r.try_get("id")?,
            email: r.try_get("email")?,
            display_name: r.try_get("display_name")?,
            password_hash: r.try_get("password_hash")?,
            role: r.try_get("role")?,
            verified_at: r.try_get("verified_at")?,
            first_verified_at: r.try_get("first_verified_at")?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
        })
    }
}

impl Vault {
    pub(crate) fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: r.try_get("id")?,
            owner_id: r.try_get("owner_id")?,
            name: r.try_get("name")?,
            protected_encryption_key: r.try_get("protected_encryption_key")?,
            protected_data: r.try_get("protected_data")?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
            deleted_at: r.try_get("deleted_at")?,
        })
    }
}

impl Item {
    pub(crate) fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: r.try_get("id")?,
            vault_id: r.try_get("vault_id")?,
            collection: r.try_get("type")?,
            created_at: r.try_get("created_at")?,
            deleted_at: r.try_get("deleted_at")?,
        })
    }
}

impl Version {
    pub(crate) fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: r.try_get("id")?,
            vault_id: r.try_get("vault_id")?,
            item_id: r.try_get("item_id")?,
            protected_data: r.try_get("protected_data")?,
            device_name: r.try_get("device_name")?,
            schema_version: r.try_get("schema_version")?,
            created_at: r.try_get("created_at")?,
            deleted_at: r.try_get("deleted_at")?,
        })
    }
}
