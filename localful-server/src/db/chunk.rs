//! What a push chunk's plan reads (`services::batch`), in one statement.

use super::{Dialect, Params, items::ItemState, versions::VersionState};
use crate::model::{parsed, parsed_opt};
use localful_protocol::{ItemId, UserId, VaultId, VersionId};
use sqlx::{AnyConnection, Row};

/// The rows a chunk's entries name, as [`read`] found them.
#[derive(Debug, Default)]
pub(crate) struct ChunkRows {
    /// The items found, whoever owns them.
    pub(crate) items: Vec<(ItemId, ItemState)>,
    /// The owner's vaults found, with their byte usage.
    pub(crate) vaults: Vec<(VaultId, i64)>,
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
        format!(" UNION ALL SELECT 'version', id, NULL, item_id, deleted_at FROM versions WHERE id IN ({})", next(version_ids.len()))
    };
    // Postgres allows no row lock in a UNION: the vaults are locked in a CTE of their own, which
    // `MATERIALIZED` keeps from being folded into the query.
    let (materialized, lock) = match params.dialect {
        Dialect::Postgres => (" MATERIALIZED", " FOR NO KEY UPDATE"),
        Dialect::Sqlite => ("", ""),
    };
    let sql = format!(
        "WITH locked AS{materialized} (SELECT id, used_bytes FROM vaults WHERE owner_id = {owner_param} AND \
         ({vaults_named}id IN (SELECT vault_id FROM items WHERE id IN ({items_vaults}))) ORDER BY id{lock}) \
         SELECT 'vault' AS kind, id, used_bytes AS bytes, NULL AS ref, NULL AS deleted_at FROM locked \
         UNION ALL SELECT 'item', id, NULL, vault_id, deleted_at FROM items WHERE id IN ({items_named}){versions_named}"
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
            "vault" => rows.vaults.push((parsed(&r, "id")?, r.try_get("bytes")?)),
            "item" => rows.items.push((parsed(&r, "id")?, ItemState { vault_id: parsed(&r, "ref")?, deleted_at: parsed_opt(&r, "deleted_at")? })),
            _ => {
                let deleted = r.try_get::<Option<String>, _>("deleted_at")?.is_some();
                rows.versions.push((parsed(&r, "id")?, VersionState { item_id: parsed(&r, "ref")?, deleted }));
            }
        }
    }
    Ok(Some(rows))
}
