//! The in-memory store: native and wasm, for tests and for apps that need no persistence.

use super::{IndexRange, ItemWrite, Merge, MergedItem, RowFilter, ScanOutcome, Store, StoreError, StoreFuture, StoredItem, ops};
use crate::collection::Schema;
use crate::model::{ItemId, Timestamp, VaultMeta, VaultId, Version, VersionId};
use futures::FutureExt;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

#[derive(Default, Clone)]
struct VaultData {
    items: BTreeMap<ItemId, StoredItem>,
    versions: BTreeMap<(ItemId, VersionId), Version>,
    meta: BTreeMap<String, String>,
}

#[derive(Default)]
struct State {
    vaults: BTreeMap<VaultId, VaultMeta>,
    data: BTreeMap<VaultId, VaultData>,
    open: BTreeSet<VaultId>,
    pending_vaults: BTreeSet<VaultId>,
    quota: Option<usize>,
}

/// A [`Store`] in memory. Clones share the same data (like two connections to one database).
///
/// ```
/// use localful_core::{MemoryStore, Store};
/// let store = MemoryStore::new();
/// let vaults = futures::executor::block_on(store.list_vaults())?;
/// assert!(vaults.is_empty());
/// # Ok::<(), localful_core::StoreError>(())
/// ```
#[derive(Clone, Default)]
pub struct MemoryStore {
    state: Rc<RefCell<State>>,
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryStore").finish_non_exhaustive()
    }
}

fn size_of(write: &ItemWrite) -> usize {
    let versions: usize = write.put_versions.iter().map(|v| v.protected_data.as_ref().map_or(0, String::len)).sum();
    versions + serde_json::to_string(&write.item).map_or(0, |s| s.len())
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty store that fails writes with [`StoreError::QuotaExceeded`] once its item and
    /// version data would exceed `bytes` (an approximation of the browser's quota, for tests).
    pub fn with_quota(bytes: usize) -> Self {
        let store = Self::default();
        store.state.borrow_mut().quota = Some(bytes);
        store
    }

    fn with_open<T>(&self, vault: VaultId, f: impl FnOnce(&mut VaultData, Option<usize>) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let mut state = self.state.borrow_mut();
        if !state.open.contains(&vault) {
            return Err(StoreError::Closed);
        }
        let quota = state.quota;
        let data = state.data.entry(vault).or_default();
        f(data, quota)
    }
}

/// Runs `mutation` on item row `id` of `d` and writes its result (see [`Store::write_item`]).
fn apply(d: &mut VaultData, quota: Option<usize>, id: ItemId, mutation: ops::Mutation) -> Result<StoredItem, StoreError> {
    let write = mutation(d.items.get(&id).cloned())?;
    put(d, quota, id, write)
}

/// Writes `write` as item row `id` of `d`, with its version rows.
fn put(d: &mut VaultData, quota: Option<usize>, id: ItemId, write: ItemWrite) -> Result<StoredItem, StoreError> {
    if write.item.item.id != id {
        return Err(StoreError::Constraint(format!("item row {} written under key {id}", write.item.item.id)));
    }
    for v in &write.put_versions {
        if d.versions.contains_key(&(v.item_id, v.id)) {
            return Err(StoreError::Constraint(format!("version {} already exists", v.id)));
        }
    }
    if let Some(quota) = quota.filter(|q| used(d) + size_of(&write) > *q) {
        return Err(StoreError::QuotaExceeded(format!("more than {quota} bytes")));
    }
    for v in write.drop_versions {
        d.versions.remove(&(id, v));
    }
    for v in write.put_versions {
        d.versions.insert((v.item_id, v.id), v);
    }
    d.items.insert(id, write.item.clone());
    Ok(write.item)
}

fn used(data: &VaultData) -> usize {
    let versions: usize = data.versions.values().map(|v| v.protected_data.as_ref().map_or(0, String::len)).sum();
    let items: usize = data.items.values().map(|i| serde_json::to_string(i).map_or(0, |s| s.len())).sum();
    versions + items
}

impl Store for MemoryStore {
    fn create_vault(&self, vault: VaultMeta) -> StoreFuture<'_, ()> {
        let result = {
            let mut state = self.state.borrow_mut();
            match state.vaults.entry(vault.id) {
                std::collections::btree_map::Entry::Occupied(_) => Err(StoreError::VaultExists(vault.id)),
                std::collections::btree_map::Entry::Vacant(slot) => {
                    let id = vault.id;
                    slot.insert(vault);
                    state.pending_vaults.insert(id);
                    Ok(())
                }
            }
        };
        async move { result }.boxed_local()
    }

    fn list_vaults(&self) -> StoreFuture<'_, Vec<VaultMeta>> {
        let vaults = self.state.borrow().vaults.values().cloned().collect();
        async move { Ok(vaults) }.boxed_local()
    }

    fn get_vault(&self, id: VaultId) -> StoreFuture<'_, Option<VaultMeta>> {
        let vault = self.state.borrow().vaults.get(&id).cloned();
        async move { Ok(vault) }.boxed_local()
    }

    fn update_vault(&self, vault: VaultMeta) -> StoreFuture<'_, ()> {
        let result = {
            let mut state = self.state.borrow_mut();
            match state.vaults.get_mut(&vault.id) {
                Some(slot) => {
                    let id = vault.id;
                    *slot = vault;
                    state.pending_vaults.insert(id);
                    Ok(())
                }
                None => Err(StoreError::VaultNotFound(vault.id)),
            }
        };
        async move { result }.boxed_local()
    }

    fn delete_vault(&self, id: VaultId, at: Timestamp) -> StoreFuture<'_, ()> {
        let result = {
            let mut state = self.state.borrow_mut();
            match state.vaults.get_mut(&id) {
                Some(vault) => {
                    vault.deleted_at = Some(at);
                    vault.updated_at = at;
                    state.data.remove(&id);
                    state.open.remove(&id);
                    state.pending_vaults.insert(id);
                    Ok(())
                }
                None => Err(StoreError::VaultNotFound(id)),
            }
        };
        async move { result }.boxed_local()
    }

    fn pending_vaults(&self) -> StoreFuture<'_, Vec<VaultMeta>> {
        let state = self.state.borrow();
        let vaults = state.pending_vaults.iter().filter_map(|id| state.vaults.get(id).cloned()).collect();
        async move { Ok(vaults) }.boxed_local()
    }

    fn ack_vault(&self, id: VaultId, updated_at: Timestamp) -> StoreFuture<'_, ()> {
        {
            let mut state = self.state.borrow_mut();
            if state.vaults.get(&id).is_some_and(|v| v.updated_at == updated_at) {
                state.pending_vaults.remove(&id);
            }
        }
        async move { Ok(()) }.boxed_local()
    }

    fn apply_remote_vault(&self, vault: VaultMeta) -> StoreFuture<'_, bool> {
        let changed = {
            let mut state = self.state.borrow_mut();
            let newer_here = state.vaults.get(&vault.id).is_some_and(|v| v.updated_at > vault.updated_at || *v == vault);
            if newer_here {
                false
            } else {
                let id = vault.id;
                if vault.deleted_at.is_some() {
                    state.data.remove(&id);
                    state.open.remove(&id);
                }
                state.vaults.insert(id, vault);
                state.pending_vaults.remove(&id);
                true
            }
        };
        async move { Ok(changed) }.boxed_local()
    }

    fn open_vault<'a>(&'a self, id: VaultId, _schema: &'a Schema) -> StoreFuture<'a, ()> {
        let result = {
            let mut state = self.state.borrow_mut();
            match state.vaults.get(&id) {
                Some(v) if v.deleted_at.is_none() => {
                    state.open.insert(id);
                    Ok(())
                }
                _ => Err(StoreError::VaultNotFound(id)),
            }
        };
        async move { result }.boxed_local()
    }

    fn close_vault(&self, id: VaultId) {
        self.state.borrow_mut().open.remove(&id);
    }

    fn get_item(&self, vault: VaultId, id: ItemId) -> StoreFuture<'_, Option<StoredItem>> {
        let result = self.with_open(vault, |d, _| Ok(d.items.get(&id).cloned()));
        async move { result }.boxed_local()
    }

    fn get_items<'a>(&'a self, vault: VaultId, ids: &'a [ItemId]) -> StoreFuture<'a, Vec<StoredItem>> {
        let result = self.with_open(vault, |d, _| Ok(ids.iter().filter_map(|id| d.items.get(id).cloned()).collect()));
        async move { result }.boxed_local()
    }

    fn get_versions<'a>(&'a self, vault: VaultId, keys: &'a [(ItemId, VersionId)]) -> StoreFuture<'a, Vec<Version>> {
        let result = self.with_open(vault, |d, _| Ok(keys.iter().filter_map(|k| d.versions.get(k).cloned()).collect()));
        async move { result }.boxed_local()
    }

    fn write_item(&self, vault: VaultId, id: ItemId, mutation: ops::Mutation) -> StoreFuture<'_, StoredItem> {
        let result = self.with_open(vault, |d, quota| apply(d, quota, id, mutation));
        async move { result }.boxed_local()
    }

    fn write_items(&self, vault: VaultId, writes: Vec<(ItemId, ops::Mutation)>) -> StoreFuture<'_, Vec<StoredItem>> {
        let result = self.with_open(vault, |d, quota| {
            // All or nothing: the writes go to a copy that replaces the data only if all succeed.
            let mut copy = d.clone();
            let mut seen = BTreeSet::new();
            let mut out = Vec::with_capacity(writes.len());
            for (id, mutation) in writes {
                if !seen.insert(id) {
                    return Err(StoreError::Constraint(format!("item {id} written twice in one batch")));
                }
                out.push(apply(&mut copy, quota, id, mutation)?);
            }
            *d = copy;
            Ok(out)
        });
        async move { result }.boxed_local()
    }

    fn merge_items<'a>(&'a self, vault: VaultId, ids: &'a [ItemId], merge: Merge<'a>) -> StoreFuture<'a, Vec<MergedItem>> {
        let result = super::merge::distinct(ids).and_then(|()| {
            let before: Vec<Option<StoredItem>> =
                self.with_open(vault, |d, _| Ok(ids.iter().map(|id| d.items.get(id).cloned()).collect()))?;
            // The merge runs outside the borrow of the state: it is the caller's code.
            let writes = merge(&before)?;
            super::merge::check(ids, &writes)?;
            self.with_open(vault, |d, quota| {
                // All or nothing, as in `write_items`.
                let mut copy = d.clone();
                let mut out = Vec::with_capacity(ids.len());
                for ((id, before), write) in ids.iter().zip(before).zip(writes) {
                    let after = write.map(|w| put(&mut copy, quota, *id, w)).transpose()?;
                    out.push(MergedItem { before, after });
                }
                *d = copy;
                Ok(out)
            })
        });
        async move { result }.boxed_local()
    }

    fn scan<'a>(
        &'a self,
        vault: VaultId,
        collection: &'a str,
        range: Option<&'a IndexRange>,
        filter: RowFilter<'a>,
    ) -> StoreFuture<'a, ScanOutcome> {
        let result = self.with_open(vault, |d, _| {
            let mut out = ScanOutcome::default();
            for row in d.items.values() {
                let in_range = match range {
                    // Emulates an IndexedDB index: only visible rows of this collection with the
                    // field in range are in it.
                    Some(r) => {
                        row.item.collection == collection
                            && row.is_visible()
                            && row.item.exposed.get(&r.field).is_some_and(|v| r.contains(v))
                    }
                    None => true,
                };
                if !in_range {
                    continue;
                }
                out.rows_read += 1;
                if row.item.collection == collection && row.is_visible() && filter(row) {
                    out.items.push(row.clone());
                }
            }
            Ok(out)
        });
        async move { result }.boxed_local()
    }

    fn get_meta<'a>(&'a self, vault: VaultId, key: &'a str) -> StoreFuture<'a, Option<String>> {
        let result = self.with_open(vault, |d, _| Ok(d.meta.get(key).cloned()));
        async move { result }.boxed_local()
    }

    fn put_meta<'a>(&'a self, vault: VaultId, key: &'a str, value: String) -> StoreFuture<'a, ()> {
        let result = self.with_open(vault, |d, _| {
            d.meta.insert(key.to_owned(), value);
            Ok(())
        });
        async move { result }.boxed_local()
    }

    fn pending(&self, vault: VaultId) -> StoreFuture<'_, Vec<StoredItem>> {
        let result = self.with_open(vault, |d, _| Ok(d.items.values().filter(|i| !i.outbox.is_empty()).cloned().collect()));
        async move { result }.boxed_local()
    }

    fn all_items(&self, vault: VaultId) -> StoreFuture<'_, Vec<StoredItem>> {
        let result = self.with_open(vault, |d, _| Ok(d.items.values().cloned().collect()));
        async move { result }.boxed_local()
    }

    fn destroy(&self) -> StoreFuture<'_, ()> {
        {
            let mut state = self.state.borrow_mut();
            let quota = state.quota;
            *state = State { quota, ..State::default() };
        }
        async { Ok(()) }.boxed_local()
    }
}
