//! `items` queries.

use crate::model::{ITEM_COLS, Item};
use sqlx::{AnyConnection, Row};

/// Inserts `i` unless its id is taken; `false` if it was (nothing is written then). Writers try
/// the insert first and read only on a conflict: a push makes one statement less that way.
pub(crate) async fn insert_new(c: &mut AnyConnection, i: &Item) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("INSERT INTO items (id, vault_id, type, created_at, deleted_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING")
        .bind(&i.id)
        .bind(&i.vault_id)
        .bind(&i.collection)
        .bind(&i.created_at)
        .bind(&i.deleted_at)
        .execute(c)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn by_id(c: &mut AnyConnection, id: &str) -> Result<Option<Item>, sqlx::Error> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {ITEM_COLS} FROM items WHERE id = $1"))).bind(id).fetch_optional(c).await?;
    row.as_ref().map(Item::from_row).transpose()
}

/// Item `id` if `owner` owns its vault, in one statement (a push runs it for every version).
pub(crate) async fn owned_by(c: &mut AnyConnection, id: &str, owner: &str) -> Result<Option<Item>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT i.id, i.vault_id, i.type, i.created_at, i.deleted_at FROM items i JOIN vaults v ON v.id = i.vault_id \
         WHERE i.id = $1 AND v.owner_id = $2",
    )
    .bind(id)
    .bind(owner)
    .fetch_optional(c)
    .await?;
    row.as_ref().map(Item::from_row).transpose()
}

/// The items (as they are now) that the changes of `vault` with `after < seq <= upto` are about
/// (see [`super::versions::changed_in`]).
pub(crate) async fn changed_in(c: &mut AnyConnection, vault: &str, after: i64, upto: i64) -> Result<Vec<Item>, sqlx::Error> {
    let rows = super::changes::entities_in(c, "items", ITEM_COLS, ["item-create", "item-delete"], (vault, after, upto)).await?;
    rows.iter().map(Item::from_row).collect()
}

pub(crate) async fn list_by_vault(c: &mut AnyConnection, vault: &str, limit: i64, offset: i64) -> Result<Vec<Item>, sqlx::Error> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {ITEM_COLS} FROM items WHERE vault_id = $1 ORDER BY created_at, id LIMIT $2 OFFSET $3"
    )))
    .bind(vault)
    .bind(limit)
    .bind(offset)
    .fetch_all(c)
    .await?;
    rows.iter().map(Item::from_row).collect()
}

pub(crate) async fn count_by_vault(c: &mut AnyConnection, vault: &str) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM items WHERE vault_id = $1").bind(vault).fetch_one(c).await?.try_get("n")
}

/// Sets the tombstone; `false` if it was already set.
pub(crate) async fn tombstone(c: &mut AnyConnection, id: &str, at: &str) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("UPDATE items SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL").bind(id).bind(at).execute(c).await?;
    Ok(r.rows_affected() == 1)
}
