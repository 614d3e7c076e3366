//! A store that counts outbox reads.

use crate::collection::Schema;
use crate::model::{ItemId, Timestamp, VaultMeta, VaultId, Version, VersionId};
use crate::store::{IndexRange, ItemWrite, Merge, MergedItem, RowFilter, ScanOutcome, Store, StoreFuture, StoredItem, ops};
use std::cell::Cell;
use std::rc::Rc;

/// A [`Store`] that hands every call to another store and counts the reads of an outbox
/// ([`Store::pending`], what [`Replica::outbox`](crate::Replica::outbox) and
/// [`Replica::pending`](crate::Replica::pending) run): a test can tell how often the sync engine
/// reads it. Clones share the count.
///
/// ```
/// # futures::executor::block_on(async {
/// use localful_core::testing::{CountingStore, PlainCipher};
/// use localful_core::{Database, EventBus, MemoryStore, Replica, Schema};
/// use std::rc::Rc;
///
/// let store = CountingStore::new(Rc::new(MemoryStore::new()));
/// let db = Database::new(Rc::new(store.clone()), Schema::new(), EventBus::local(), "laptop");
/// let vault = db.create_vault("Personal", "v1:protected").await?;
/// let handle = db.open_vault(vault.id, Rc::new(PlainCipher::new(1))).await?;
/// Replica::of(&handle).outbox().await?;
/// assert_eq!(store.outbox_reads(), 1);
/// # Ok::<(), localful_core::Error>(())
/// # }).unwrap();
/// ```
#[derive(Clone)]
pub struct CountingStore {
    inner: Rc<dyn Store>,
    outbox_reads: Rc<Cell<usize>>,
}

impl std::fmt::Debug for CountingStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CountingStore").field("outbox_reads", &self.outbox_reads.get()).finish_non_exhaustive()
    }
}

impl CountingStore {
    /// Counts the outbox reads made through it of `inner`.
    pub fn new(inner: Rc<dyn Store>) -> Self {
        Self { inner, outbox_reads: Rc::default() }
    }

    /// How many times an outbox was read through this store (or a clone of it).
    pub fn outbox_reads(&self) -> usize {
        self.outbox_reads.get()
    }
}

impl Store for CountingStore {
    fn create_vault(&self, vault: VaultMeta) -> StoreFuture<'_, ()> {
        self.inner.create_vault(vault)
    }
    fn list_vaults(&self) -> StoreFuture<'_, Vec<VaultMeta>> {
        self.inner.list_vaults()
    }
    fn get_vault(&self, id: VaultId) -> StoreFuture<'_, Option<VaultMeta>> {
        self.inner.get_vault(id)
    }
    fn update_vault(&self, vault: VaultMeta) -> StoreFuture<'_, ()> {
        self.inner.update_vault(vault)
    }
    fn delete_vault(&self, id: VaultId, at: Timestamp) -> StoreFuture<'_, ()> {
        self.inner.delete_vault(id, at)
    }
    fn pending_vaults(&self) -> StoreFuture<'_, Vec<VaultMeta>> {
        self.inner.pending_vaults()
    }
    fn ack_vault(&self, id: VaultId, updated_at: Timestamp) -> StoreFuture<'_, ()> {
        self.inner.ack_vault(id, updated_at)
    }
    fn apply_remote_vault(&self, vault: VaultMeta) -> StoreFuture<'_, bool> {
        self.inner.apply_remote_vault(vault)
    }
    fn open_vault<'a>(&'a self, id: VaultId, schema: &'a Schema) -> StoreFuture<'a, ()> {
        self.inner.open_vault(id, schema)
    }
    fn close_vault(&self, id: VaultId) {
        self.inner.close_vault(id);
    }
    fn get_item(&self, vault: VaultId, id: ItemId) -> StoreFuture<'_, Option<StoredItem>> {
        self.inner.get_item(vault, id)
    }
    fn get_items<'a>(&'a self, vault: VaultId, ids: &'a [ItemId]) -> StoreFuture<'a, Vec<StoredItem>> {
        self.inner.get_items(vault, ids)
    }
    fn get_versions<'a>(&'a self, vault: VaultId, keys: &'a [(ItemId, VersionId)]) -> StoreFuture<'a, Vec<Version>> {
        self.inner.get_versions(vault, keys)
    }
    fn get_current(&self, vault: VaultId, id: ItemId) -> StoreFuture<'_, Option<(StoredItem, Option<Version>)>> {
        self.inner.get_current(vault, id)
    }
    fn write_item(&self, vault: VaultId, id: ItemId, mutation: ops::Mutation) -> StoreFuture<'_, StoredItem> {
        self.inner.write_item(vault, id, mutation)
    }
    fn write_items(&self, vault: VaultId, writes: Vec<(ItemId, ops::Mutation)>) -> StoreFuture<'_, Vec<StoredItem>> {
        self.inner.write_items(vault, writes)
    }
    fn insert_items(&self, vault: VaultId, writes: Vec<ItemWrite>) -> StoreFuture<'_, Vec<StoredItem>> {
        self.inner.insert_items(vault, writes)
    }
    fn merge_items<'a>(&'a self, vault: VaultId, ids: &'a [ItemId], merge: Merge<'a>) -> StoreFuture<'a, Vec<MergedItem>> {
        self.inner.merge_items(vault, ids, merge)
    }
    fn scan<'a>(
        &'a self,
        vault: VaultId,
        collection: &'a str,
        range: Option<&'a IndexRange>,
        filter: RowFilter<'a>,
    ) -> StoreFuture<'a, ScanOutcome> {
        self.inner.scan(vault, collection, range, filter)
    }
    fn scan_with_versions<'a>(
        &'a self,
        vault: VaultId,
        collection: &'a str,
        range: Option<&'a IndexRange>,
        filter: RowFilter<'a>,
        versions_up_to: usize,
    ) -> StoreFuture<'a, (ScanOutcome, Option<Vec<Version>>)> {
        self.inner.scan_with_versions(vault, collection, range, filter, versions_up_to)
    }
    fn pending(&self, vault: VaultId) -> StoreFuture<'_, Vec<StoredItem>> {
        self.outbox_reads.set(self.outbox_reads.get() + 1);
        self.inner.pending(vault)
    }
    fn all_items(&self, vault: VaultId) -> StoreFuture<'_, Vec<StoredItem>> {
        self.inner.all_items(vault)
    }
    fn get_meta<'a>(&'a self, vault: VaultId, key: &'a str) -> StoreFuture<'a, Option<String>> {
        self.inner.get_meta(vault, key)
    }
    fn put_meta<'a>(&'a self, vault: VaultId, key: &'a str, value: String) -> StoreFuture<'a, ()> {
        self.inner.put_meta(vault, key, value)
    }
    fn destroy(&self) -> StoreFuture<'_, ()> {
        self.inner.destroy()
    }
}
