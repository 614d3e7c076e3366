//! What a push chunk's plan reads (`services::batch`), in one statement.

use super::{Dialect, Params, changes::LogRow, items::ItemState, vaults::VaultUsage, versions::VersionState};
use crate::model::{VersionRow, parsed, parsed_opt, unsigned};
use localful_protocol::{ItemId, UserId, VaultId, VersionId, WireItem};
use sqlx::{AnyConnection, Row};

/// The rows a chunk's entries name, as [`read`] found them.
#[derive(Debug, Default)]
pub(crate) struct ChunkRows {
    /// The items found, whoever owns them.
    pub(crate) items: Vec<(ItemId, ItemState)>,
    /// The owner's vaults found, with their last seq and byte usage.
    pub(crate) vaults: Vec<(VaultId, VaultUsage)>,
    /// The versions found.
    pub(crate) versions: Vec<(VersionId, VersionState)>,
}

/// In one statement: the items `item_ids` (whoever owns them); the vaults `owner` owns among
/// `vault_ids` and those of the items found, with their byte usage, their rows locked on Postgres
/// as [`super::vaults::lock_owned`] locks them (in id order, until the transaction ends); and the
/// versions `version_ids`. `None` when that would pass the parameter limit: the caller then reads
/// them apart, each read split as the limit requires.
pub(crate) async fn read(
    c: &mut AnyConnection,
    params: Params,
    owner: UserId,
    vault_ids: &[VaultId],
    item_ids: &[ItemId],
    version_ids: &[VersionId],
) -> Result<Option<ChunkRows>, sqlx::Error> {
    let count = 1 + vault_ids.len() + 2 * item_ids.len() + version_ids.len();
    if count > params.max || item_ids.is_empty() {
        return Ok(None);
    }
    let mut n = 1;
    let mut next = |len: usize| {
        let list = params.list(len, n);
        n += len;
        list
    };
    let owner_param = next(1);
    let vaults_named = if vault_ids.is_empty() { String::new() } else { format!("id IN ({}) OR ", next(vault_ids.len())) };
    let items_vaults = next(item_ids.len());
    let items_named = next(item_ids.len());
    let versions_named = if version_ids.is_empty() {
        String::new()
    } else {
        format!(" UNION ALL SELECT 'version', id, NULL, NULL, item_id, deleted_at FROM versions WHERE id IN ({})", next(version_ids.len()))
    };
    // Postgres allows no row lock in a UNION: the vaults are locked in a CTE of their own, which
    // `MATERIALIZED` keeps from being folded into the query.
    let (materialized, lock) = match params.dialect {
        Dialect::Postgres => (" MATERIALIZED", " FOR NO KEY UPDATE"),
        Dialect::Sqlite => ("", ""),
    };
    let sql = format!(
        "WITH locked AS{materialized} (SELECT id, last_seq, used_bytes FROM vaults WHERE owner_id = {owner_param} AND \
         ({vaults_named}id IN (SELECT vault_id FROM items WHERE id IN ({items_vaults}))) ORDER BY id{lock}) \
         SELECT 'vault' AS kind, id, last_seq AS seq, used_bytes AS bytes, NULL AS ref, NULL AS deleted_at FROM locked \
         UNION ALL SELECT 'item', id, NULL, NULL, vault_id, deleted_at FROM items WHERE id IN ({items_named}){versions_named}"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(owner.to_string());
    for id in vault_ids {
        q = q.bind(id.to_string());
    }
    for _ in 0..2 {
        for id in item_ids {
            q = q.bind(id.to_string());
        }
    }
    for id in version_ids {
        q = q.bind(id.to_string());
    }
    let mut rows = ChunkRows::default();
    for r in q.fetch_all(&mut *c).await? {
        let kind: String = r.try_get("kind")?;
        match kind.as_str() {
            "vault" => rows.vaults.push((parsed(&r, "id")?, VaultUsage { last_seq: unsigned(&r, "seq")?, used_bytes: r.try_get("bytes")? })),
            "item" => rows.items.push((parsed(&r, "id")?, ItemState { vault_id: parsed(&r, "ref")?, deleted_at: parsed_opt(&r, "deleted_at")? })),
            _ => {
                let deleted = r.try_get::<Option<String>, _>("deleted_at")?.is_some();
                rows.versions.push((parsed(&r, "id")?, VersionState { item_id: parsed(&r, "ref")?, deleted }));
            }
        }
    }
    Ok(Some(rows))
}

/// What [`write`] wrote: the items and versions inserted, and each vault's last seq and usage
/// after its update.
#[derive(Debug)]
pub(crate) struct ChunkWrite {
    pub(crate) items: u64,
    pub(crate) versions: u64,
    pub(crate) vaults: Vec<(VaultId, VaultUsage)>,
}

/// Postgres: inserts `items` and `versions` (skipping ids taken), appends `log`, and adds to each
/// vault of `vaults` its count of seqs and its bytes, in one statement (data-modifying `WITH`
/// queries; the foreign keys are checked at its end, so a version may name an item it inserts).
/// `None` when that would pass the parameter limit, or on SQLite (the caller then writes with a
/// statement per table).
pub(crate) async fn write(
    c: &mut AnyConnection,
    params: Params,
    items: &[&WireItem],
    versions: &[(&VersionRow, i64)],
    log: &[LogRow],
    vaults: &[(VaultId, u64, i64)],
) -> Result<Option<ChunkWrite>, sqlx::Error> {
    let count = 5 * items.len() + 9 * versions.len() + 5 * log.len() + 3 * vaults.len();
    if params.dialect != Dialect::Postgres || count > params.max || log.is_empty() || vaults.is_empty() {
        return Ok(None);
    }
    let mut n = 1;
    let mut next = |rows: usize, cols: usize| {
        let values = params.values(rows, cols, n);
        n += rows * cols;
        values
    };
    let mut with = Vec::new();
    if !items.is_empty() {
        with.push(format!(
            "i AS (INSERT INTO items (id, vault_id, type, created_at, deleted_at) VALUES {} ON CONFLICT (id) DO NOTHING RETURNING 1)",
            next(items.len(), 5)
        ));
    }
    if !versions.is_empty() {
        with.push(format!(
            "v AS (INSERT INTO versions (id, vault_id, item_id, protected_data, device_name, schema_version, created_at, deleted_at, bytes) \
             VALUES {} ON CONFLICT (id) DO NOTHING RETURNING 1)",
            next(versions.len(), 9)
        ));
    }
    with.push(format!("c AS (INSERT INTO changes (vault_id, seq, event, entity_id, created_at) VALUES {})", next(log.len(), 5)));
    with.push(format!(
        "u AS (UPDATE vaults SET last_seq = vaults.last_seq + x.n, used_bytes = vaults.used_bytes + x.b \
         FROM (VALUES {}) AS x (id, n, b) WHERE vaults.id = x.id RETURNING vaults.id, vaults.last_seq, vaults.used_bytes)",
        next(vaults.len(), 3)
    ));
    let count_of = |cte: &str, present: bool| if present { format!("(SELECT COUNT(*) FROM {cte})") } else { "CAST(0 AS BIGINT)".into() };
    let sql = format!(
        "WITH {} SELECT u.id, u.last_seq, u.used_bytes, {} AS items, {} AS versions FROM u",
        with.join(", "),
        count_of("i", !items.is_empty()),
        count_of("v", !versions.is_empty())
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for i in items {
        q = super::items::bind_row(q, i);
    }
    for (row, bytes) in versions {
        q = super::versions::bind_row(q, row, *bytes);
    }
    for ch in log {
        q = q
            .bind(ch.vault_id.to_string())
            .bind(i64::try_from(ch.seq).unwrap_or(i64::MAX))
            .bind(ch.event.name())
            .bind(ch.subject.id())
            .bind(ch.created_at.to_string());
    }
    for (id, n, b) in vaults {
        q = q.bind(id.to_string()).bind(i64::try_from(*n).unwrap_or(i64::MAX)).bind(*b);
    }
    let rows = q.fetch_all(&mut *c).await?;
    let mut done = ChunkWrite { items: 0, versions: 0, vaults: Vec::with_capacity(rows.len()) };
    for r in &rows {
        done.items = unsigned(r, "items")?;
        done.versions = unsigned(r, "versions")?;
        done.vaults.push((parsed(r, "id")?, VaultUsage { last_seq: unsigned(r, "last_seq")?, used_bytes: r.try_get("used_bytes")? }));
    }
    Ok(Some(done))
}
