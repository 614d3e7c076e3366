//! The resources as stored: each row maps straight into its protocol type (ids and times parsed
//! from their text columns), plus what the server keeps beside the wire record (a user's
//! password hash, a version's vault).

use localful_protocol::{Timestamp, User, UserId, VaultId, WireItem, WireVault, WireVersion};
use sqlx::{Row, any::AnyRow};
use std::str::FromStr;

/// A user as stored: the wire record and its password hash (never on the wire).
#[derive(Debug, Clone)]
pub(crate) struct UserRow {
    pub(crate) user: User,
    pub(crate) password_hash: String,
}

/// A version as stored: the wire record and the vault of its item.
#[derive(Debug, Clone)]
pub(crate) struct VersionRow {
    pub(crate) vault_id: VaultId,
    pub(crate) version: WireVersion,
}

pub(crate) const USER_COLS: &str =
    "id, email, display_name, password_hash, role, verified_at, first_verified_at, created_at, updated_at";
pub(crate) const VAULT_COLS: &str =
    "id, owner_id, name, protected_encryption_key, protected_data, created_at, updated_at, deleted_at";
pub(crate) const ITEM_COLS: &str = "id, vault_id, type, created_at, deleted_at";
pub(crate) const VERSION_COLS: &str =
    "id, vault_id, item_id, protected_data, device_name, schema_version, created_at, deleted_at";

/// Column `col` of `r`, text parsed as `T` (an id, a timestamp, a change kind).
pub(crate) fn parsed<T>(r: &AnyRow, col: &str) -> Result<T, sqlx::Error>
where
    T: FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let text: String = r.try_get(col)?;
    text.parse().map_err(|e: T::Err| sqlx::Error::ColumnDecode { index: col.into(), source: Box::new(e) })
}

/// Nullable column `col` of `r`, text parsed as `T`.
pub(crate) fn parsed_opt<T>(r: &AnyRow, col: &str) -> Result<Option<T>, sqlx::Error>
where
    T: FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let text: Option<String> = r.try_get(col)?;
    text.map(|t| t.parse().map_err(|e: T::Err| sqlx::Error::ColumnDecode { index: col.into(), source: Box::new(e) }))
        .transpose()
}

/// Integer column `col` of `r` as an unsigned count (`seq`, a schema version).
pub(crate) fn unsigned<T: TryFrom<i64>>(r: &AnyRow, col: &str) -> Result<T, sqlx::Error>
where
    T::Error: std::error::Error + Send + Sync + 'static,
{
    let n: i64 = r.try_get(col)?;
    T::try_from(n).map_err(|e| sqlx::Error::ColumnDecode { index: col.into(), source: Box::new(e) })
}

impl UserRow {
    pub(crate) fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            user: User {
                id: parsed::<UserId>(r, "id")?,
                email: r.try_get("email")?,
                display_name: r.try_get("display_name")?,
                verified_at: parsed_opt::<Timestamp>(r, "verified_at")?,
                first_verified_at: parsed_opt::<Timestamp>(r, "first_verified_at")?,
                role: r.try_get("role")?,
                created_at: parsed(r, "created_at")?,
                updated_at: parsed(r, "updated_at")?,
            },
            password_hash: r.try_get("password_hash")?,
        })
    }
}

pub(crate) fn vault_from_row(r: &AnyRow) -> Result<WireVault, sqlx::Error> {
    Ok(WireVault {
        id: parsed(r, "id")?,
        owner_id: parsed(r, "owner_id")?,
        name: r.try_get("name")?,
        protected_encryption_key: r.try_get("protected_encryption_key")?,
        protected_data: r.try_get("protected_data")?,
        created_at: parsed(r, "created_at")?,
        updated_at: parsed(r, "updated_at")?,
        deleted_at: parsed_opt(r, "deleted_at")?,
    })
}

pub(crate) fn item_from_row(r: &AnyRow) -> Result<WireItem, sqlx::Error> {
    Ok(WireItem {
        id: parsed(r, "id")?,
        vault_id: parsed(r, "vault_id")?,
        collection: r.try_get("type")?,
        created_at: parsed(r, "created_at")?,
        deleted_at: parsed_opt(r, "deleted_at")?,
    })
}

impl VersionRow {
    pub(crate) fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            vault_id: parsed(r, "vault_id")?,
            version: WireVersion {
                id: parsed(r, "id")?,
                item_id: parsed(r, "item_id")?,
                protected_data: r.try_get("protected_data")?,
                device_name: r.try_get("device_name")?,
                schema_version: unsigned(r, "schema_version")?,
                created_at: parsed(r, "created_at")?,
                deleted_at: parsed_opt(r, "deleted_at")?,
            },
        })
    }
}
