//! Request bodies and query strings, strict: unknown (hence forbidden) fields, missing fields,
//! wrong types, bad lengths, non-UUIDs and non-timestamps all fail to deserialise. Ids and times
//! come out as the protocol's types and stay typed down to the database.

use crate::extract::num;
use crate::fields::{Email, Text};
use localful_protocol::{ErrorContext, ItemId, Timestamp, VaultId, VersionId};
use serde::{Deserialize, Deserializer};

/// Optional fields of PATCH bodies: absent means unchanged, `null` is a wrong type.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// Optional nullable fields: absent means unchanged, `null` clears.
fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A display name.
pub(crate) type DisplayName = Text<1, 100>;
/// A password as the client sends it (the hex half of a PBKDF2 output, or any string of 8..=256).
pub(crate) type Password = Text<8, 256>;
/// A vault name.
pub(crate) type VaultName = Text<1, 255>;
/// A wrapped key or small encrypted blob.
pub(crate) type SmallBlob = Text<1, 16_384>;
/// Vault metadata blob.
pub(crate) type VaultBlob = Text<0, 65_536>;
/// A collection name.
pub(crate) type Collection = Text<1, 100>;
/// A device name.
pub(crate) type DeviceName = Text<1, 255>;
/// Version data: bounded by `max_version_bytes` (a `limit-exceeded`), not by a fixed length.
pub(crate) type VersionBlob = Text<1, { usize::MAX }>;

/// `POST /v1/users`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct Register {
    pub(crate) email: Email,
    pub(crate) display_name: DisplayName,
    pub(crate) password: Password,
}

/// `PATCH /v1/users/:id`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct UserPatch {
    #[serde(default, deserialize_with = "present")]
    pub(crate) email: Option<Email>,
    #[serde(default, deserialize_with = "present")]
    pub(crate) display_name: Option<DisplayName>,
    #[serde(default, deserialize_with = "present")]
    pub(crate) password: Option<Password>,
}

/// `POST /v1/auth/login`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct Login {
    pub(crate) email: Text<1, 254>,
    pub(crate) password: Text<1, 256>,
}

/// `POST /v1/auth/refresh` and `/logout`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct RefreshToken {
    pub(crate) refresh_token: Text<1, 4096>,
}

/// `POST /v1/vaults`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct VaultCreate {
    pub(crate) id: VaultId,
    pub(crate) name: VaultName,
    pub(crate) protected_encryption_key: SmallBlob,
    #[serde(default)]
    pub(crate) protected_data: Option<VaultBlob>,
    pub(crate) created_at: Timestamp,
}

/// `PATCH /v1/vaults/:id`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct VaultPatch {
    #[serde(default, deserialize_with = "present")]
    pub(crate) name: Option<VaultName>,
    #[serde(default, deserialize_with = "present")]
    pub(crate) protected_encryption_key: Option<SmallBlob>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) protected_data: Option<Option<VaultBlob>>,
}

/// `POST /v1/items`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct ItemCreate {
    pub(crate) id: ItemId,
    pub(crate) vault_id: VaultId,
    #[serde(rename = "type")]
    pub(crate) collection: Collection,
    pub(crate) created_at: Timestamp,
}

/// `POST /v1/versions`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct VersionCreate {
    pub(crate) id: VersionId,
    pub(crate) item_id: ItemId,
    pub(crate) protected_data: VersionBlob,
    pub(crate) device_name: DeviceName,
    pub(crate) schema_version: u32,
    pub(crate) created_at: Timestamp,
}

/// An item in a socket `push`: an item create, or its tombstone when `deletedAt` is set.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct PushItem {
    pub(crate) id: ItemId,
    pub(crate) vault_id: VaultId,
    #[serde(rename = "type")]
    pub(crate) collection: Collection,
    pub(crate) created_at: Timestamp,
    #[serde(default)]
    pub(crate) deleted_at: Option<Timestamp>,
}

/// A version in a socket `push`: a create, or its deletion when `deletedAt` is set (then
/// `protectedData` may be `null`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct PushVersion {
    pub(crate) id: VersionId,
    pub(crate) item_id: ItemId,
    pub(crate) protected_data: Option<VersionBlob>,
    pub(crate) device_name: DeviceName,
    pub(crate) schema_version: u32,
    pub(crate) created_at: Timestamp,
    #[serde(default)]
    pub(crate) deleted_at: Option<Timestamp>,
}

/// `?limit=&offset=`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Paging {
    #[serde(default, deserialize_with = "num::opt_u64")]
    pub(crate) limit: Option<u64>,
    #[serde(default, deserialize_with = "num::opt_u64")]
    pub(crate) offset: Option<u64>,
}

/// `GET /v1/items?vaultId=&limit=&offset=`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct ItemsQuery {
    pub(crate) vault_id: VaultId,
    #[serde(default, deserialize_with = "num::opt_u64")]
    pub(crate) limit: Option<u64>,
    #[serde(default, deserialize_with = "num::opt_u64")]
    pub(crate) offset: Option<u64>,
}

/// `GET /v1/versions?vaultId=|itemId=&limit=&offset=`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct VersionsQuery {
    #[serde(default)]
    pub(crate) vault_id: Option<VaultId>,
    #[serde(default)]
    pub(crate) item_id: Option<ItemId>,
    #[serde(default, deserialize_with = "num::opt_u64")]
    pub(crate) limit: Option<u64>,
    #[serde(default, deserialize_with = "num::opt_u64")]
    pub(crate) offset: Option<u64>,
}

/// `GET /v1/vaults/:id/changes?since=&limit=`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChangesQuery {
    #[serde(default, deserialize_with = "num::opt_u64")]
    pub(crate) since: Option<u64>,
    #[serde(default, deserialize_with = "num::opt_u64")]
    pub(crate) limit: Option<u64>,
}

/// Page size: default 100, at most 1000.
pub(crate) fn page(limit: Option<u64>, offset: Option<u64>) -> Result<(i64, i64), crate::error::AppError> {
    let limit = limit.unwrap_or(100);
    if limit == 0 || limit > 1000 {
        return Err(crate::error::AppError::invalid("limit must be within 1..=1000")
            .with_context(ErrorContext::path("limit")));
    }
    Ok((limit as i64, offset.unwrap_or(0).min(i64::MAX as u64) as i64))
}
