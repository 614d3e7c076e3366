//! `items` queries.

use crate::model::{ITEM_COLS, item_from_row};
use localful_protocol::{ChangeKind, ItemId, Timestamp, UserId, VaultId, WireItem};
use sqlx::{AnyConnection, Row};

/// Inserts `i` unless its id is taken; `false` if it was (nothing is written then). Writers try
/// the insert first and read only on a conflict: a push makes one statement less that way.
pub(crate) async fn insert_new(c: &mut AnyConnection, i: &WireItem) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("INSERT INTO items (id, vault_id, type, created_at, deleted_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING")
        .bind(i.id.to_string())
        .bind(i.vault_id.to_string())
        .bind(&i.collection)
        .bind(i.created_at.to_string())
        .bind(i.deleted_at.map(|t| t.to_string()))
        .execute(c)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn by_id(c: &mut AnyConnection, id: ItemId) -> Result<Option<WireItem>, sqlx::Error> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {ITEM_COLS} FROM items WHERE id = $1")))
        .bind(id.to_string())
        .fetch_optional(c)
        .await?;
    row.as_ref().map(item_from_row).transpose()
}

/// Item `id` if `owner` owns its vault, in one statement (a push runs it for every version).
pub(crate) async fn owned_by(c: &mut AnyConnection, id: ItemId, owner: UserId) -> Result<Option<WireItem>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT i.id, i.vault_id, i.type, i.created_at, i.deleted_at FROM items i JOIN vaults v ON v.id = i.vault_id \
         WHERE i.id = $1 AND v.owner_id = $2",
    )
    .bind(id.to_string())
    .bind(owner.to_string())
    .fetch_optional(c)
    .await?;
    row.as_ref().map(item_from_row).transpose()
}

/// The items (as they are now) that the changes of `vault` with `after < seq <= upto` are about
/// (see [`super::versions::changed_in`]).
pub(crate) async fn changed_in(c: &mut AnyConnection, vault: VaultId, after: u64, upto: u64) -> Result<Vec<WireItem>, sqlx::Error> {
    let kinds = [ChangeKind::ItemCreate, ChangeKind::ItemDelete];
    let rows = super::changes::entities_in(c, "items", ITEM_COLS, kinds, (vault, after, upto)).await?;
    rows.iter().map(item_from_row).collect()
}

pub(crate) async fn list_by_vault(c: &mut AnyConnection, vault: VaultId, limit: i64, offset: i64) -> Result<Vec<WireItem>, sqlx::Error> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {ITEM_COLS} FROM items WHERE vault_id = $1 ORDER BY created_at, id LIMIT $2 OFFSET $3"
    )))
    .bind(vault.to_string())
    .bind(limit)
    .bind(offset)
    .fetch_all(c)
    .await?;
    rows.iter().map(item_from_row).collect()
}

pub(crate) async fn count_by_vault(c: &mut AnyConnection, vault: VaultId) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM items WHERE vault_id = $1").bind(vault.to_string()).fetch_one(c).await?.try_get("n")
}

/// Sets the tombstone; `false` if it was already set.
pub(crate) async fn tombstone(c: &mut AnyConnection, id: ItemId, at: Timestamp) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("UPDATE items SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL")
        .bind(id.to_string())
        .bind(at.to_string())
        .execute(c)
        .await?;
    Ok(r.rows_affected() == 1)
}
