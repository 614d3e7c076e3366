//! `items` queries.

use super::Params;
use crate::model::{ITEM_COLS, item_from_row, parsed, parsed_opt};
use localful_protocol::{ChangeKind, ItemId, Timestamp, UserId, VaultId, WireItem};
use sqlx::{AnyConnection, Row};

/// Where an existing item lives and whether it is deleted (what a push needs to know of it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ItemState {
    pub(crate) vault_id: VaultId,
    pub(crate) deleted_at: Option<Timestamp>,
}

/// The state of each of `ids` that exists, whoever owns it (one statement, unless the ids pass
/// the parameter limit).
pub(crate) async fn states(c: &mut AnyConnection, ids: &[ItemId], params: Params) -> Result<Vec<(ItemId, ItemState)>, sqlx::Error> {
    let mut found = Vec::new();
    for part in ids.chunks(params.rows_per_statement(1, 0)) {
        let sql = format!("SELECT id, vault_id, deleted_at FROM items WHERE id IN ({})", params.list(part.len(), 1));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for id in part {
            q = q.bind(id.to_string());
        }
        for r in q.fetch_all(&mut *c).await? {
            found.push((parsed(&r, "id")?, ItemState { vault_id: parsed(&r, "vault_id")?, deleted_at: parsed_opt(&r, "deleted_at")? }));
        }
    }
    Ok(found)
}

/// Binds `item`'s five columns, in the order of `INSERT INTO items (id, vault_id, type, created_at,
/// deleted_at)`.
pub(crate) fn bind_row<'q>(q: super::AnyQuery<'q>, item: &WireItem) -> super::AnyQuery<'q> {
    q.bind(item.id.to_string())
        .bind(item.vault_id.to_string())
        .bind(item.collection.clone())
        .bind(item.created_at.to_string())
        .bind(item.deleted_at.map(|t| t.to_string()))
}

/// Inserts `items` with multi-row statements (as few as the parameter limit allows), skipping ids
/// already taken; returns how many were inserted.
pub(crate) async fn insert_many(c: &mut AnyConnection, items: &[&WireItem], params: Params) -> Result<u64, sqlx::Error> {
    let mut inserted = 0;
    for part in items.chunks(params.rows_per_statement(5, 0)) {
        let sql = format!(
            "INSERT INTO items (id, vault_id, type, created_at, deleted_at) VALUES {} ON CONFLICT (id) DO NOTHING",
            params.values(part.len(), 5, 1)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for i in part {
            q = bind_row(q, i);
        }
        inserted += q.execute(&mut *c).await?.rows_affected();
    }
    Ok(inserted)
}

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
