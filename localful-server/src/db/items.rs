//! `items` queries.

use crate::model::{ITEM_COLS, Item};
use sqlx::{AnyConnection, Row};

pub(crate) async fn insert(c: &mut AnyConnection, i: &Item) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO items (id, vault_id, type, created_at, deleted_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&i.id)
        .bind(&i.vault_id)
        .bind(&i.collection)
        .bind(&i.created_at)
        .bind(&i.deleted_at)
        .execute(c)
        .await?;
    Ok(())
}

pub(crate) async fn by_id(c: &mut AnyConnection, id: &str) -> Result<Option<Item>, sqlx::Error> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {ITEM_COLS} FROM items WHERE id = $1"))).bind(id).fetch_optional(c).await?;
    row.as_ref().map(Item::from_row).transpose()
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
