//! `changes` queries: the per-vault log, ordered by `seq`.

use sqlx::{AnyConnection, Row};

/// One entry of the log (the entity is loaded when the entry is read).
#[derive(Debug, Clone)]
pub(crate) struct Change {
    pub(crate) vault_id: String,
    pub(crate) seq: i64,
    pub(crate) event: String,
    pub(crate) entity_id: String,
    pub(crate) created_at: String,
}

fn from_row(r: &sqlx::any::AnyRow) -> Result<Change, sqlx::Error> {
    Ok(Change {
        vault_id: r.try_get("vault_id")?,
        seq: r.try_get("seq")?,
        event: r.try_get("event")?,
        entity_id: r.try_get("entity_id")?,
        created_at: r.try_get("created_at")?,
    })
}

pub(crate) async fn insert(c: &mut AnyConnection, ch: &Change) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO changes (vault_id, seq, event, entity_id, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&ch.vault_id)
        .bind(ch.seq)
        .bind(&ch.event)
        .bind(&ch.entity_id)
        .bind(&ch.created_at)
        .execute(c)
        .await?;
    Ok(())
}

pub(crate) async fn since(c: &mut AnyConnection, vault: &str, since: i64, limit: i64) -> Result<Vec<Change>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT vault_id, seq, event, entity_id, created_at FROM changes WHERE vault_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(vault)
    .bind(since)
    .bind(limit)
    .fetch_all(c)
    .await?;
    rows.iter().map(from_row).collect()
}

pub(crate) async fn count_since(c: &mut AnyConnection, vault: &str, since: i64) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM changes WHERE vault_id = $1 AND seq > $2")
        .bind(vault)
        .bind(since)
        .fetch_one(c)
        .await?
        .try_get("n")
}

pub(crate) async fn get(c: &mut AnyConnection, vault: &str, seq: i64) -> Result<Option<Change>, sqlx::Error> {
    let row = sqlx::query("SELECT vault_id, seq, event, entity_id, created_at FROM changes WHERE vault_id = $1 AND seq = $2")
        .bind(vault)
        .bind(seq)
        .fetch_optional(c)
        .await?;
    row.as_ref().map(from_row).transpose()
}
