//! `versions` queries.

use super::Params;
use crate::model::{VERSION_COLS, VersionRow, parsed};
use localful_protocol::{ChangeKind, ItemId, Timestamp, VaultId, VersionId};
use sqlx::{AnyConnection, Row};

/// The item of an existing version and whether it is deleted (what a push needs to know of it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct VersionState {
    pub(crate) item_id: ItemId,
    pub(crate) deleted: bool,
}

/// The state of each of `ids` that exists (one statement, unless the ids pass the parameter limit).
pub(crate) async fn states(c: &mut AnyConnection, ids: &[VersionId], params: Params) -> Result<Vec<(VersionId, VersionState)>, sqlx::Error> {
    let mut found = Vec::new();
    for part in ids.chunks(params.rows_per_statement(1, 0)) {
        let sql = format!("SELECT id, item_id, deleted_at FROM versions WHERE id IN ({})", params.list(part.len(), 1));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for id in part {
            q = q.bind(id.to_string());
        }
        for r in q.fetch_all(&mut *c).await? {
            let deleted = r.try_get::<Option<String>, _>("deleted_at")?.is_some();
            found.push((parsed(&r, "id")?, VersionState { item_id: parsed(&r, "item_id")?, deleted }));
        }
    }
    Ok(found)
}

/// Binds `row`'s nine columns with its stored byte count, in the order of `INSERT INTO versions
/// (id, vault_id, item_id, protected_data, device_name, schema_version, created_at, deleted_at,
/// bytes)`.
pub(crate) fn bind_row<'q>(q: super::AnyQuery<'q>, row: &VersionRow, bytes: i64) -> super::AnyQuery<'q> {
    let v = &row.version;
    q.bind(v.id.to_string())
        .bind(row.vault_id.to_string())
        .bind(v.item_id.to_string())
        .bind(v.protected_data.clone())
        .bind(v.device_name.clone())
        .bind(i64::from(v.schema_version))
        .bind(v.created_at.to_string())
        .bind(v.deleted_at.map(|t| t.to_string()))
        .bind(bytes)
}

/// Inserts `rows` (each with its stored byte count) with multi-row statements (as few as the
/// parameter limit allows), skipping ids already taken; returns how many were inserted.
pub(crate) async fn insert_many(c: &mut AnyConnection, rows: &[(&VersionRow, i64)], params: Params) -> Result<u64, sqlx::Error> {
    let mut inserted = 0;
    for part in rows.chunks(params.rows_per_statement(9, 0)) {
        let sql = format!(
            "INSERT INTO versions (id, vault_id, item_id, protected_data, device_name, schema_version, created_at, deleted_at, bytes) \
             VALUES {} ON CONFLICT (id) DO NOTHING",
            params.values(part.len(), 9, 1)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (row, bytes) in part {
            q = bind_row(q, row, *bytes);
        }
        inserted += q.execute(&mut *c).await?.rows_affected();
    }
    Ok(inserted)
}

/// Inserts `v` unless its id is taken; `false` if it was (nothing is written then). Writers try
/// the insert first and read only on a conflict: a push makes one statement less that way.
pub(crate) async fn insert_new(c: &mut AnyConnection, v: &VersionRow, bytes: i64) -> Result<bool, sqlx::Error> {
    let (vault, v) = (v.vault_id, &v.version);
    let done = sqlx::query(
        "INSERT INTO versions (id, vault_id, item_id, protected_data, device_name, schema_version, created_at, deleted_at, bytes) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING",
    )
    .bind(v.id.to_string())
    .bind(vault.to_string())
    .bind(v.item_id.to_string())
    .bind(&v.protected_data)
    .bind(&v.device_name)
    .bind(i64::from(v.schema_version))
    .bind(v.created_at.to_string())
    .bind(v.deleted_at.map(|t| t.to_string()))
    .bind(bytes)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn by_id(c: &mut AnyConnection, id: VersionId) -> Result<Option<VersionRow>, sqlx::Error> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {VERSION_COLS} FROM versions WHERE id = $1")))
        .bind(id.to_string())
        .fetch_optional(c)
        .await?;
    row.as_ref().map(VersionRow::from_row).transpose()
}

/// The versions (as they are now) that the changes of `vault` with `after < seq <= upto` are
/// about: a page of the change log is read with this and [`super::items::changed_in`] instead of
/// one query per entry.
pub(crate) async fn changed_in(c: &mut AnyConnection, vault: VaultId, after: u64, upto: u64) -> Result<Vec<VersionRow>, sqlx::Error> {
    let kinds = [ChangeKind::VersionCreate, ChangeKind::VersionDelete];
    let rows = super::changes::entities_in(c, "versions", VERSION_COLS, kinds, (vault, after, upto)).await?;
    rows.iter().map(VersionRow::from_row).collect()
}

/// Versions of a vault, or of one item of it, oldest first.
pub(crate) async fn list(
    c: &mut AnyConnection,
    vault: VaultId,
    item: Option<ItemId>,
    limit: i64,
    offset: i64,
) -> Result<Vec<VersionRow>, sqlx::Error> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {VERSION_COLS} FROM versions WHERE vault_id = $1 AND ($2 = '' OR item_id = $2) \
         ORDER BY created_at, id LIMIT $3 OFFSET $4"
    )))
    .bind(vault.to_string())
    .bind(item.map(|i| i.to_string()).unwrap_or_default())
    .bind(limit)
    .bind(offset)
    .fetch_all(c)
    .await?;
    rows.iter().map(VersionRow::from_row).collect()
}

pub(crate) async fn count(c: &mut AnyConnection, vault: VaultId, item: Option<ItemId>) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM versions WHERE vault_id = $1 AND ($2 = '' OR item_id = $2)")
        .bind(vault.to_string())
        .bind(item.map(|i| i.to_string()).unwrap_or_default())
        .fetch_one(c)
        .await?
        .try_get("n")
}

/// Marks one version deleted and drops its data; returns the bytes freed (`None` if already deleted).
pub(crate) async fn delete(c: &mut AnyConnection, id: VersionId, at: Timestamp) -> Result<Option<i64>, sqlx::Error> {
    let row = sqlx::query("SELECT bytes FROM versions WHERE id = $1 AND deleted_at IS NULL")
        .bind(id.to_string())
        .fetch_optional(&mut *c)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let freed: i64 = row.try_get("bytes")?;
    sqlx::query("UPDATE versions SET deleted_at = $2, protected_data = NULL, bytes = 0 WHERE id = $1")
        .bind(id.to_string())
        .bind(at.to_string())
        .execute(c)
        .await?;
    Ok(Some(freed))
}

/// Drops the data of every version of `item`; returns the bytes freed.
pub(crate) async fn delete_by_item(c: &mut AnyConnection, item: ItemId, at: Timestamp) -> Result<i64, sqlx::Error> {
    let freed: i64 = sqlx::query("SELECT COALESCE(CAST(SUM(bytes) AS BIGINT), 0) AS freed FROM versions WHERE item_id = $1")
        .bind(item.to_string())
        .fetch_one(&mut *c)
        .await?
        .try_get("freed")?;
    sqlx::query("UPDATE versions SET deleted_at = COALESCE(deleted_at, $2), protected_data = NULL, bytes = 0 WHERE item_id = $1")
        .bind(item.to_string())
        .bind(at.to_string())
        .execute(c)
        .await?;
    Ok(freed)
}
