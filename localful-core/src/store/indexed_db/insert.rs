//! [`Store::insert_items`](crate::store::Store::insert_items) on IndexedDB: new rows by `add`
//! only, so a create does not wait for a read of the row it is about to write (one IPC round trip
//! less than the read-modify-write of `write_items`; measured in the browser benchmark's "Write
//! one item" and "Import" rows).

use super::error::from_idb;
use super::layout::{ITEMS, VERSIONS};
use super::{IndexedDbStore, Issued, write_mode};
use crate::model::VaultId;
use crate::store::{ItemWrite, StoreError, StoredItem, merge};
use indexed_db_futures::prelude::*;

impl IndexedDbStore {
    pub(super) async fn insert_rows(&self, vault: VaultId, writes: Vec<ItemWrite>) -> Result<Vec<StoredItem>, StoreError> {
        let ids: Vec<_> = writes.iter().map(|w| w.item.item.id).collect();
        merge::distinct(&ids)?;
        for write in &writes {
            let id = write.item.item.id;
            if !write.drop_versions.is_empty() {
                return Err(StoreError::Constraint(format!("new item {id} cannot drop versions")));
            }
            if let Some(v) = write.put_versions.iter().find(|v| v.item_id != id) {
                return Err(StoreError::Constraint(format!("version {} of item {} written under item {id}", v.id, v.item_id)));
            }
        }
        let (conn, indexed) = self.vault(vault).await?;
        let tx = conn.db.transaction([ITEMS, VERSIONS]).with_mode(write_mode()).build().map_err(from_idb)?;
        let items = tx.object_store(ITEMS).map_err(from_idb)?;
        let versions = tx.object_store(VERSIONS).map_err(from_idb)?;
        let mut issued = Issued::default();
        for write in &writes {
            issued.insert(&items, &versions, &indexed, write)?;
        }
        issued.commit(tx).await?;
        Ok(writes.into_iter().map(|w| w.item).collect())
    }
}
