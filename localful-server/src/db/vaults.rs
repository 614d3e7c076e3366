//! `vaults` queries, including the per-vault change counter `last_seq` and byte usage.

use super::{Dialect, Params};
use crate::model::{VAULT_COLS, parsed, unsigned, vault_from_row};
use localful_protocol::{UserId, VaultId, WireVault};
use sqlx::{AnyConnection, Row};

pub(crate) async fn insert(c: &mut AnyConnection, v: &WireVault) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO vaults (id, owner_id, name, protected_encryption_key, protected_data, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(v.id.to_string())
    .bind(v.owner_id.to_string())
    .bind(&v.name)
    .bind(&v.protected_encryption_key)
    .bind(&v.protected_data)
    .bind(v.created_at.to_string())
    .bind(v.updated_at.to_string())
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn by_id(c: &mut AnyConnection, id: VaultId) -> Result<Option<WireVault>, sqlx::Error> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {VAULT_COLS} FROM vaults WHERE id = $1")))
        .bind(id.to_string())
        .fetch_optional(c)
        .await?;
    row.as_ref().map(vault_from_row).transpose()
}

pub(crate) async fn list_by_owner(c: &mut AnyConnection, owner: UserId, limit: i64, offset: i64) -> Result<Vec<WireVault>, sqlx::Error> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {VAULT_COLS} FROM vaults WHERE owner_id = $1 ORDER BY created_at, id LIMIT $2 OFFSET $3"
    )))
    .bind(owner.to_string())
    .bind(limit)
    .bind(offset)
    .fetch_all(c)
    .await?;
    rows.iter().map(vault_from_row).collect()
}

pub(crate) async fn count_by_owner(c: &mut AnyConnection, owner: UserId) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM vaults WHERE owner_id = $1").bind(owner.to_string()).fetch_one(c).await?.try_get("n")
}

pub(crate) async fn name_taken(c: &mut AnyConnection, owner: UserId, name: &str, except_id: VaultId) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM vaults WHERE owner_id = $1 AND name = $2 AND id <> $3")
        .bind(owner.to_string())
        .bind(name)
        .bind(except_id.to_string())
        .fetch_one(c)
        .await?
        .try_get("n")?;
    Ok(n > 0)
}

pub(crate) async fn update(c: &mut AnyConnection, v: &WireVault) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE vaults SET name = $2, protected_encryption_key = $3, protected_data = $4, updated_at = $5 WHERE id = $1",
    )
    .bind(v.id.to_string())
    .bind(&v.name)
    .bind(&v.protected_encryption_key)
    .bind(&v.protected_data)
    .bind(v.updated_at.to_string())
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn delete(c: &mut AnyConnection, id: VaultId) -> Result<(), sqlx::Error> {
    for sql in [
        "DELETE FROM changes WHERE vault_id = $1",
        "DELETE FROM versions WHERE vault_id = $1",
        "DELETE FROM items WHERE vault_id = $1",
        "DELETE FROM vaults WHERE id = $1",
    ] {
        sqlx::query(sql).bind(id.to_string()).execute(&mut *c).await?;
    }
    Ok(())
}

/// Takes the vault's next `seq` and adds `bytes` to its usage; returns `(seq, used_bytes)`.
/// The row lock this takes (Postgres) orders concurrent writers, so seqs commit in order.
pub(crate) async fn next_seq(c: &mut AnyConnection, id: VaultId, bytes: i64) -> Result<(u64, i64), sqlx::Error> {
    let r = sqlx::query(
        "UPDATE vaults SET last_seq = last_seq + 1, used_bytes = used_bytes + $2 WHERE id = $1 RETURNING last_seq, used_bytes",
    )
    .bind(id.to_string())
    .bind(bytes)
    .fetch_one(c)
    .await?;
    Ok((unsigned(&r, "last_seq")?, r.try_get("used_bytes")?))
}

/// A vault's last seq taken and byte usage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct VaultUsage {
    pub(crate) last_seq: u64,
    pub(crate) used_bytes: i64,
}

/// The last seq and byte usage of each of `ids` that `owner` owns. On Postgres this takes the rows' write lock
/// until the transaction ends, in id order: a writer that plans on the usage it read is not
/// overtaken by another before its [`take_seqs`], and two writers of the same vaults queue
/// instead of deadlocking. `ids` must be sorted.
pub(crate) async fn lock_owned(
    c: &mut AnyConnection,
    params: Params,
    owner: UserId,
    ids: &[VaultId],
) -> Result<Vec<(VaultId, VaultUsage)>, sqlx::Error> {
    // `FOR NO KEY UPDATE` is the lock an `UPDATE` of `last_seq` takes anyway: it lets other
    // transactions' foreign-key checks on the vault through, as that update does.
    let lock = if params.dialect == Dialect::Postgres { " FOR NO KEY UPDATE" } else { "" };
    let mut found = Vec::new();
    for part in ids.chunks(params.rows_per_statement(1, 1)) {
        let sql = format!(
            "SELECT id, last_seq, used_bytes FROM vaults WHERE owner_id = {} AND id IN ({}) ORDER BY id{lock}",
            params.one(1),
            params.list(part.len(), 2)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(owner.to_string());
        for id in part {
            q = q.bind(id.to_string());
        }
        for r in q.fetch_all(&mut *c).await? {
            found.push((parsed(&r, "id")?, VaultUsage { last_seq: unsigned(&r, "last_seq")?, used_bytes: r.try_get("used_bytes")? }));
        }
    }
    Ok(found)
}

/// Takes the vault's next `n` seqs and adds `bytes` to its usage in one statement; returns the
/// last seq taken (the first is `n - 1` before it) and the usage after.
pub(crate) async fn take_seqs(c: &mut AnyConnection, id: VaultId, n: u64, bytes: i64) -> Result<(u64, i64), sqlx::Error> {
    let r = sqlx::query(
        "UPDATE vaults SET last_seq = last_seq + $2, used_bytes = used_bytes + $3 WHERE id = $1 RETURNING last_seq, used_bytes",
    )
    .bind(id.to_string())
    .bind(i64::try_from(n).unwrap_or(i64::MAX))
    .bind(bytes)
    .fetch_one(c)
    .await?;
    Ok((unsigned(&r, "last_seq")?, r.try_get("used_bytes")?))
}

pub(crate) async fn last_seq(c: &mut AnyConnection, id: VaultId) -> Result<u64, sqlx::Error> {
    let r = sqlx::query("SELECT last_seq FROM vaults WHERE id = $1").bind(id.to_string()).fetch_one(c).await?;
    unsigned(&r, "last_seq")
}
