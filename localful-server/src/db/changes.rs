//! `changes` queries: the per-vault log, ordered by `seq`.

use crate::model::{parsed, unsigned};
use localful_protocol::{ChangeKind, ItemId, Timestamp, VaultId, VersionId};
use sqlx::{AnyConnection, Row};

/// What a change is about: an item or a version, by the kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Subject {
    Item(ItemId),
    Version(VersionId),
}

impl Subject {
    pub(crate) fn id(self) -> String {
        match self {
            Self::Item(id) => id.to_string(),
            Self::Version(id) => id.to_string(),
        }
    }
}

/// One row of the log: the entry without its entity (loaded when the entry is read).
#[derive(Debug, Clone)]
pub(crate) struct LogRow {
    pub(crate) vault_id: VaultId,
    pub(crate) seq: u64,
    pub(crate) event: ChangeKind,
    pub(crate) subject: Subject,
    pub(crate) created_at: Timestamp,
}

/// `seq` as the database's signed integer (seqs count up from 1: never near the limit).
fn seq_param(seq: u64) -> i64 {
    i64::try_from(seq).unwrap_or(i64::MAX)
}

fn from_row(r: &sqlx::any::AnyRow) -> Result<LogRow, sqlx::Error> {
    let text: String = r.try_get("event")?;
    let event = ChangeKind::from_name(&text)
        .ok_or_else(|| sqlx::Error::ColumnDecode { index: "event".into(), source: format!("unknown change kind {text:?}").into() })?;
    let subject = if event.is_item() { Subject::Item(parsed(r, "entity_id")?) } else { Subject::Version(parsed(r, "entity_id")?) };
    Ok(LogRow { vault_id: parsed(r, "vault_id")?, seq: unsigned(r, "seq")?, event, subject, created_at: parsed(r, "created_at")? })
}

pub(crate) async fn insert(c: &mut AnyConnection, ch: &LogRow) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO changes (vault_id, seq, event, entity_id, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(ch.vault_id.to_string())
        .bind(seq_param(ch.seq))
        .bind(ch.event.name())
        .bind(ch.subject.id())
        .bind(ch.created_at.to_string())
        .execute(c)
        .await?;
    Ok(())
}

/// Appends `rows` with multi-row statements (as few as the parameter limit allows).
pub(crate) async fn insert_many(c: &mut AnyConnection, rows: &[LogRow], params: super::Params) -> Result<(), sqlx::Error> {
    for part in rows.chunks(params.rows_per_statement(5, 0)) {
        let sql = format!(
            "INSERT INTO changes (vault_id, seq, event, entity_id, created_at) VALUES {}",
            params.values(part.len(), 5, 1)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for ch in part {
            q = q
                .bind(ch.vault_id.to_string())
                .bind(seq_param(ch.seq))
                .bind(ch.event.name())
                .bind(ch.subject.id())
                .bind(ch.created_at.to_string());
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

/// The rows of `table` (its columns `cols`, a constant list) that the changes of `vault` with
/// `after < seq <= upto` whose event is one of `kinds` are about, each once.
pub(crate) async fn entities_in(
    c: &mut AnyConnection,
    table: &'static str,
    cols: &'static str,
    kinds: [ChangeKind; 2],
    (vault, after, upto): (VaultId, u64, u64),
) -> Result<Vec<sqlx::any::AnyRow>, sqlx::Error> {
    let cols = cols.split(", ").map(|col| format!("e.{col}")).collect::<Vec<_>>().join(", ");
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT DISTINCT {cols} FROM changes c JOIN {table} e ON e.id = c.entity_id \
         WHERE c.vault_id = $1 AND c.seq > $2 AND c.seq <= $3 AND c.event IN ('{}', '{}')",
        kinds[0].name(),
        kinds[1].name()
    )))
    .bind(vault.to_string())
    .bind(seq_param(after))
    .bind(seq_param(upto))
    .fetch_all(c)
    .await
}

pub(crate) async fn since(c: &mut AnyConnection, vault: VaultId, since: u64, limit: i64) -> Result<Vec<LogRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT vault_id, seq, event, entity_id, created_at FROM changes WHERE vault_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(vault.to_string())
    .bind(seq_param(since))
    .bind(limit)
    .fetch_all(c)
    .await?;
    rows.iter().map(from_row).collect()
}

pub(crate) async fn count_since(c: &mut AnyConnection, vault: VaultId, since: u64) -> Result<u64, sqlx::Error> {
    let r = sqlx::query("SELECT COUNT(*) AS n FROM changes WHERE vault_id = $1 AND seq > $2")
        .bind(vault.to_string())
        .bind(seq_param(since))
        .fetch_one(c)
        .await?;
    unsigned(&r, "n")
}

pub(crate) async fn get(c: &mut AnyConnection, vault: VaultId, seq: u64) -> Result<Option<LogRow>, sqlx::Error> {
    let row = sqlx::query("SELECT vault_id, seq, event, entity_id, created_at FROM changes WHERE vault_id = $1 AND seq = $2")
        .bind(vault.to_string())
        .bind(seq_param(seq))
        .fetch_optional(c)
        .await?;
    row.as_ref().map(from_row).transpose()
}
