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

/// The rows of `table` (its columns `cols`, a constant list) that the changes of `vault` with
/// `after < seq <= upto` whose event is one of `events` are about, each once.
pub(crate) async fn entities_in(
    c: &mut AnyConnection,
    table: &'static str,
    cols: &'static str,
    events: [&'static str; 2],
    (vault, after, upto): (&str, i64, i64),
) -> Result<Vec<sqlx::any::AnyRow>, sqlx::Error> {
    let cols = cols.split(", ").map(|col| format!("e.{col}")).collect::<Vec<_>>().join(", ");
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT DISTINCT {cols} FROM changes c JOIN {table} e ON e.id = c.entity_id \
         WHERE c.vault_id = $1 AND c.seq > $2 AND c.seq <= $3 AND c.event IN ('{}', '{}')",
        events[0], events[1]
    )))
    .bind(vault)
    .bind(after)
    .bind(upto)
    .fetch_all(c)
    .await
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
