//! Reading versions on IndexedDB: from their item's row when it holds them (row format 3, see
//! [`rows::Inline`]), else from the `versions` store, in one transaction over both.

use super::error::from_idb;
use super::layout::{ITEMS, VERSIONS};
use super::{IndexedDbStore, batch, rows};
use crate::model::{ItemId, VaultId, Version, VersionId};
use crate::store::{StoreError, StoredItem};
use indexed_db_futures::prelude::*;
use std::collections::HashMap;
use wasm_bindgen::JsValue;

impl IndexedDbStore {
    /// [`Store::get_versions`](crate::store::Store::get_versions): the item rows of `keys` are read
    /// first (a query asks for current versions, which they hold), then the `versions` store for
    /// the rest.
    pub(super) async fn read_versions(&self, vault: VaultId, keys: &[(ItemId, VersionId)]) -> Result<Vec<Version>, StoreError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let (conn, _) = self.vault(vault).await?;
        let tx = conn.db.transaction([ITEMS, VERSIONS]).build().map_err(from_idb)?;
        let items = tx.object_store(ITEMS).map_err(from_idb)?;
        let mut ids: Vec<ItemId> = keys.iter().map(|(item, _)| *item).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut found: HashMap<(ItemId, VersionId), Version> = HashMap::with_capacity(keys.len());
        for (id, row) in ids.iter().zip(batch::get_items(&items, &ids).await?) {
            if let Some(inline) = Some(&row).filter(|r| !r.is_undefined()).map(rows::Inline::in_row).transpose()?.flatten() {
                found.insert((*id, inline.id), inline.version(*id)?);
            }
        }
        let rest: Vec<(ItemId, VersionId)> = keys.iter().filter(|k| !found.contains_key(k)).copied().collect();
        if !rest.is_empty() {
            let store = tx.object_store(VERSIONS).map_err(from_idb)?;
            for row in batch::get_versions(&store, &rest).await?.iter().filter(|r| !r.is_undefined()) {
                let version = rows::version(row)?;
                found.insert((version.item_id, version.id), version);
            }
        }
        Ok(keys.iter().filter_map(|k| found.get(k).cloned()).collect())
    }

    /// [`Store::get_current`](crate::store::Store::get_current): item row `id` with the current
    /// version it holds, or that version's row in the `versions` store (rows of earlier formats).
    pub(super) async fn read_current(&self, vault: VaultId, id: ItemId) -> Result<Option<(StoredItem, Option<Version>)>, StoreError> {
        let (conn, _) = self.vault(vault).await?;
        let tx = conn.db.transaction([ITEMS, VERSIONS]).build().map_err(from_idb)?;
        let items = tx.object_store(ITEMS).map_err(from_idb)?;
        let raw: Option<JsValue> = items.get(rows::item_key(id)).primitive().map_err(from_idb)?.await.map_err(from_idb)?;
        let Some(raw) = raw else { return Ok(None) };
        let row = rows::item(&raw, vault)?;
        let Some(current) = row.item.current_version_id else { return Ok(Some((row, None))) };
        if let Some(inline) = rows::Inline::in_row(&raw)?.filter(|i| i.id == current) {
            let version = inline.version(id)?;
            return Ok(Some((row, Some(version))));
        }
        let versions = tx.object_store(VERSIONS).map_err(from_idb)?;
        let found: Option<JsValue> =
            versions.get(rows::version_key(id, current)).primitive().map_err(from_idb)?.await.map_err(from_idb)?;
        let version = found.map(|r| rows::version(&r)).transpose()?;
        Ok(Some((row, version)))
    }
}
