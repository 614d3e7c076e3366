//! [`Store::insert_items`](crate::store::Store::insert_items) on IndexedDB: new rows by `add`
//! only, so a create does not wait for a read of the row it is about to write (one IPC round trip
//! less than the read-modify-write of `write_items`; measured in the browser benchmark's "Write
//! one item" and "Import" rows). The writes can also be made while the transaction is open
//! ([`insert_rows_from`](IndexedDbStore::insert_rows_from)): an import then encrypts item `n + 1`
//! while the backend (another process) stores item `n`.

use super::error::from_idb;
use super::layout::{ITEMS, VERSIONS};
use super::{IndexedDbStore, Issued, write_mode};
use crate::model::VaultId;
use crate::store::{ItemWrite, StoreError, StoredItem, WriteSource, merge};
use std::collections::HashSet;
use indexed_db_futures::prelude::*;

impl IndexedDbStore {
    pub(super) async fn insert_rows(&self, vault: VaultId, writes: Vec<ItemWrite>) -> Result<Vec<StoredItem>, StoreError> {
        let ids: Vec<_> = writes.iter().map(|w| w.item.item.id).collect();
        merge::distinct(&ids)?;
        for write in &writes {
            check_new(write)?;
        }
        let mut writes = writes.into_iter();
        self.insert_rows_from(vault, Box::new(move || writes.next().map(Ok))).await
    }

    /// [`Store::insert_items_from`](crate::store::Store::insert_items_from): each write is issued
    /// as soon as `next` makes it, inside the transaction; an error drops the transaction, which
    /// aborts it.
    pub(super) async fn insert_rows_from(&self, vault: VaultId, mut next: WriteSource<'_>) -> Result<Vec<StoredItem>, StoreError> {
        let (conn, indexed) = self.vault(vault).await?;
        let tx = conn.db.transaction([ITEMS, VERSIONS]).with_mode(write_mode()).build().map_err(from_idb)?;
        let items = tx.object_store(ITEMS).map_err(from_idb)?;
        let versions = tx.object_store(VERSIONS).map_err(from_idb)?;
        let mut issued = Issued::default();
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        while let Some(write) = next() {
            let write = write?;
            check_new(&write)?;
            let id = write.item.item.id;
            if !seen.insert(id) {
                return Err(StoreError::Constraint(format!("item {id} written twice in one batch")));
            }
            issued.insert(&items, &versions, &indexed, &write)?;
            out.push(write.item);
        }
        issued.commit(tx).await?;
        Ok(out)
    }
}

/// A new item's write adds rows only, all of its own item.
fn check_new(write: &ItemWrite) -> Result<(), StoreError> {
    let id = write.item.item.id;
    if !write.drop_versions.is_empty() {
        return Err(StoreError::Constraint(format!("new item {id} cannot drop versions")));
    }
    if let Some(v) = write.put_versions.iter().find(|v| v.item_id != id) {
        return Err(StoreError::Constraint(format!("version {} of item {} written under item {id}", v.id, v.item_id)));
    }
    Ok(())
}
