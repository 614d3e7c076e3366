//! [`Store::insert_items`](crate::store::Store::insert_items) on IndexedDB: new rows by `add`
//! only, so a create does not wait for a read of the row it is about to write (one IPC round trip
//! less than the read-modify-write of `write_items`; measured in the browser benchmark's "Write
//! one item" and "Import" rows).

use super::error::from_idb;
use super::layout::{ITEMS, VERSIONS};
use super::{IndexedDbStore, rows, write_mode};
use crate::model::VaultId;
use crate::store::{ItemWrite, StoreError, StoredItem};
use indexed_db_futures::prelude::*;
use std::collections::BTreeSet;

impl IndexedDbStore {
    pub(super) async fn insert_rows(&self, vault: VaultId, writes: Vec<ItemWrite>) -> Result<Vec<StoredItem>, StoreError> {
        let (conn, indexed) = self.vault(vault).await?;
        let tx = conn.db.transaction([ITEMS, VERSIONS]).with_mode(write_mode()).build().map_err(from_idb)?;
        let items = tx.object_store(ITEMS).map_err(from_idb)?;
        let versions = tx.object_store(VERSIONS).map_err(from_idb)?;
        let mut seen = BTreeSet::new();
        let (mut item_adds, mut version_adds) = (Vec::with_capacity(writes.len()), Vec::with_capacity(writes.len()));
        for write in &writes {
            let id = write.item.item.id;
            if !seen.insert(id) {
                return Err(StoreError::Constraint(format!("item {id} written twice in one batch")));
            }
            if !write.drop_versions.is_empty() {
                return Err(StoreError::Constraint(format!("new item {id} cannot drop versions")));
            }
            for v in &write.put_versions {
                if v.item_id != id {
                    return Err(StoreError::Constraint(format!("version {} of item {} written under item {id}", v.id, v.item_id)));
                }
                version_adds.push(versions.add(rows::version_row(v)?).primitive().map_err(from_idb)?);
            }
            // `add`: an existing item row fails the request (ConstraintError), and the transaction.
            item_adds.push((id, items.add(rows::item_row(&write.item, &indexed)?).primitive().map_err(from_idb)?));
        }
        if let Err(commit_error) = tx.commit().await {
            // The first failed request says why: a taken item id first.
            for (id, request) in item_adds {
                if let Err(e) = request.await {
                    return Err(match from_idb(e) {
                        StoreError::Constraint(_) => StoreError::ItemExists(id),
                        other => other,
                    });
                }
            }
            for request in version_adds {
                request.await.map_err(from_idb)?;
            }
            return Err(from_idb(commit_error));
        }
        Ok(writes.into_iter().map(|w| w.item).collect())
    }
}
