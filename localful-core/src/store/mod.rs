//! The store: one trait over the platform's storage, with an in-memory implementation (native and
//! wasm) and an IndexedDB implementation (wasm only).
//!
//! The trait is deliberately small and untyped — rows in, rows out, one atomic read-modify-write
//! per item ([`Store::write_item`]) or per batch ([`Store::merge_items`]) — so the rules (last write wins, tombstones, outbox) are the
//! pure functions of [`ops`] and behave the same on every backend. The typed API on top is
//! [`Database`](crate::Database).

mod error;
mod memory;
mod merge;
pub mod ops;
mod pending;
mod range;
mod record;

#[cfg(target_arch = "wasm32")]
mod indexed_db;
// The IndexedDB row format; pure, so it is tested natively too.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod item_record;

pub use error::StoreError;
#[cfg(target_arch = "wasm32")]
pub use indexed_db::IndexedDbStore;
pub use memory::MemoryStore;
pub use merge::{Merge, MergedItem};
pub(crate) use pending::pending_left;
pub use pending::{Pending, pending_of};
pub use range::{IndexRange, RangeBound, ScanOutcome};
pub use record::{ItemWrite, OutboxEntry, StoredItem};

use crate::collection::Schema;
use crate::model::{ItemId, Timestamp, VaultMeta, VaultId, Version, VersionId};
use futures::future::LocalBoxFuture;

/// A boxed, `!Send` future of a store result (the browser is single-threaded).
pub type StoreFuture<'a, T> = LocalBoxFuture<'a, Result<T, StoreError>>;

/// A row filter run on each scanned item row before any decryption (query stage 2).
pub type RowFilter<'a> = &'a dyn Fn(&StoredItem) -> bool;

/// Storage for vaults, items and versions. Every write is one transaction: it is written whole
/// or not at all.
pub trait Store {
    /// Adds a vault to the registry, pending for the server; [`StoreError::VaultExists`] if its id
    /// is taken.
    fn create_vault(&self, vault: VaultMeta) -> StoreFuture<'_, ()>;
    /// Every vault in the registry, deleted ones (tombstones) included.
    fn list_vaults(&self) -> StoreFuture<'_, Vec<VaultMeta>>;
    /// The vault `id`, if the registry has it.
    fn get_vault(&self, id: VaultId) -> StoreFuture<'_, Option<VaultMeta>>;
    /// Replaces a vault's registry entry, pending for the server; [`StoreError::VaultNotFound`] if
    /// it has none.
    fn update_vault(&self, vault: VaultMeta) -> StoreFuture<'_, ()>;
    /// Marks vault `id` deleted at `at` (the registry keeps the tombstone) and drops all its items
    /// and versions; closes it if open.
    fn delete_vault(&self, id: VaultId, at: Timestamp) -> StoreFuture<'_, ()>;
    /// Vaults whose local changes (create, update, delete — each marks the vault pending in the
    /// same transaction) the server has not acknowledged.
    fn pending_vaults(&self) -> StoreFuture<'_, Vec<VaultMeta>>;
    /// Clears vault `id`'s pending mark if its `updated_at` is still `updated_at` (a later local
    /// change stays pending).
    fn ack_vault(&self, id: VaultId, updated_at: Timestamp) -> StoreFuture<'_, ()>;
    /// Stores a vault received from the server unless the local one is newer (by `updated_at`),
    /// clearing its pending mark; a deleted vault's items and versions are dropped. Returns whether
    /// the registry changed.
    fn apply_remote_vault(&self, vault: VaultMeta) -> StoreFuture<'_, bool>;

    /// Opens vault `id`'s item storage for `schema` (creating indexes for its `Indexed` fields).
    fn open_vault<'a>(&'a self, id: VaultId, schema: &'a Schema) -> StoreFuture<'a, ()>;
    /// Closes vault `id`: later item operations on it fail with [`StoreError::Closed`].
    fn close_vault(&self, id: VaultId);

    /// The item row `id` of vault `vault`.
    fn get_item(&self, vault: VaultId, id: ItemId) -> StoreFuture<'_, Option<StoredItem>>;
    /// The item rows of `ids` that exist, in the order of `ids`.
    fn get_items<'a>(&'a self, vault: VaultId, ids: &'a [ItemId]) -> StoreFuture<'a, Vec<StoredItem>>;
    /// The version rows (with data) of `keys` that exist, in the order of `keys`.
    fn get_versions<'a>(&'a self, vault: VaultId, keys: &'a [(ItemId, VersionId)]) -> StoreFuture<'a, Vec<Version>>;
    /// Item row `id` with its current version's row (with data), read together. The default reads
    /// them one after the other; a backend may read both in one transaction.
    fn get_current(&self, vault: VaultId, id: ItemId) -> StoreFuture<'_, Option<(StoredItem, Option<Version>)>> {
        Box::pin(async move {
            let Some(row) = self.get_item(vault, id).await? else { return Ok(None) };
            let version = match row.item.current_version_id {
                Some(v) => self.get_versions(vault, &[(id, v)]).await?.into_iter().next(),
                None => None,
            };
            Ok(Some((row, version)))
        })
    }
    /// Atomically reads item row `id`, runs `mutation` on it and writes what it returns (the item
    /// row, new version rows, removed version rows). If `mutation` fails nothing is written.
    fn write_item(&self, vault: VaultId, id: ItemId, mutation: ops::Mutation) -> StoreFuture<'_, StoredItem>;
    /// [`Store::write_item`] for many items (ids must differ), in one transaction: every write is
    /// made or none is. Returns the written item rows in the order of `writes`.
    fn write_items(&self, vault: VaultId, writes: Vec<(ItemId, ops::Mutation)>) -> StoreFuture<'_, Vec<StoredItem>>;
    /// Adds new item rows with their version rows (e.g. from [`ops::new_item`]), in one
    /// transaction: all of them or, on any error, none. An id already taken is
    /// [`StoreError::ItemExists`]. Unlike [`Store::write_items`] it reads nothing first, so a
    /// backend can write without waiting for a read (IndexedDB: `add` requests only). The default
    /// is [`Store::write_items`] with mutations that refuse an existing row.
    fn insert_items(&self, vault: VaultId, writes: Vec<ItemWrite>) -> StoreFuture<'_, Vec<StoredItem>> {
        let mutations = writes
            .into_iter()
            .map(|write| {
                let id = write.item.item.id;
                let mutation: ops::Mutation = Box::new(move |existing| match existing {
                    Some(_) => Err(StoreError::ItemExists(id)),
                    None => Ok(write),
                });
                (id, mutation)
            })
            .collect();
        self.write_items(vault, mutations)
    }
    /// Reads the item rows of `ids` (which must differ) and writes what `merge` decides from them,
    /// in one transaction: every write is made or none is, and no other writer can come between
    /// the read and the writes. Returns each item's row as read and as written, in the order of
    /// `ids`. Unlike [`Store::write_items`], one function sees the whole batch, and items it leaves
    /// alone are not rewritten.
    fn merge_items<'a>(&'a self, vault: VaultId, ids: &'a [ItemId], merge: Merge<'a>) -> StoreFuture<'a, Vec<MergedItem>>;
    /// Query stages 1 and 2: the visible (live, with a current version) items of `collection`,
    /// read through `range` on an `Indexed` exposed field when given (all items otherwise), that
    /// pass `filter`.
    fn scan<'a>(
        &'a self,
        vault: VaultId,
        collection: &'a str,
        range: Option<&'a IndexRange>,
        filter: RowFilter<'a>,
    ) -> StoreFuture<'a, ScanOutcome>;
    /// [`Store::scan`], and, when it returns at most `versions_up_to` rows, their current version
    /// rows (with data) read together with them: `None` for more rows (the caller reads them in
    /// batches). A backend may read both in one transaction (IndexedDB does: one round trip of
    /// reads less for a small query); the default scans, then reads the versions. A backend that
    /// keeps current versions in the item rows (IndexedDB) may return them for more rows than
    /// `versions_up_to`: the scan has read them already.
    fn scan_with_versions<'a>(
        &'a self,
        vault: VaultId,
        collection: &'a str,
        range: Option<&'a IndexRange>,
        filter: RowFilter<'a>,
        versions_up_to: usize,
    ) -> StoreFuture<'a, (ScanOutcome, Option<Vec<Version>>)> {
        Box::pin(async move {
            let scanned = self.scan(vault, collection, range, filter).await?;
            if scanned.items.len() > versions_up_to {
                return Ok((scanned, None));
            }
            let keys: Vec<_> =
                scanned.items.iter().filter_map(|r| Some((r.item.id, r.item.current_version_id?))).collect();
            let versions = self.get_versions(vault, &keys).await?;
            Ok((scanned, Some(versions)))
        })
    }
    /// Item rows of vault `vault` with pending outbox entries.
    fn pending(&self, vault: VaultId) -> StoreFuture<'_, Vec<StoredItem>>;
    /// Every item row of vault `vault`, tombstones included (the local side of a sync repair).
    fn all_items(&self, vault: VaultId) -> StoreFuture<'_, Vec<StoredItem>>;
    /// A small local-only value of vault `vault` (e.g. the last applied server `seq`), by key.
    fn get_meta<'a>(&'a self, vault: VaultId, key: &'a str) -> StoreFuture<'a, Option<String>>;
    /// Sets a local-only value of vault `vault`.
    fn put_meta<'a>(&'a self, vault: VaultId, key: &'a str, value: String) -> StoreFuture<'a, ()>;
    /// Deletes everything this store keeps on this device: every vault's data and the vault
    /// registry, whether synced or not (nothing is left to push). Open vaults are closed; using
    /// the store afterwards starts from empty.
    fn destroy(&self) -> StoreFuture<'_, ()>;
}
