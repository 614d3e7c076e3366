//! The IndexedDB store (wasm only): one registry database of vaults, one database per vault.
//!
//! Layout (see the crate docs): `items` (one row per item: item, exposed fields, versions'
//! metadata, outbox, and the current version with its encrypted data) and `versions` (one row per
//! other live version's encrypted data). Every write is one readwrite transaction over both
//! stores; a failure aborts it, leaving nothing written.

mod batch;
mod error;
mod insert;
mod layout;
mod rows;
mod scan;
mod versions;

use self::error::{commit, from_idb, from_open, why_aborted};
use self::layout::{ITEMS, Layout, META, PENDING, VAULTS, VERSIONS};
use super::{IndexRange, ItemWrite, Merge, MergedItem, RowFilter, ScanOutcome, Store, StoreError, StoreFuture, StoredItem, merge, ops};
use crate::collection::Schema;
use crate::model::{ItemId, Timestamp, VaultMeta, VaultId, Version, VersionId};
use futures::FutureExt;
use indexed_db_futures::database::Database;
use indexed_db_futures::future::VoidRequest;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::transaction::Transaction;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;

/// One open connection; `stale` once another context asked for a version change (we close so it
/// is not blocked) — the next operation reopens.
struct Conn {
    db: Database,
    /// `(collection, field)` of every field index the database has.
    indexed: Rc<Vec<(String, String)>>,
    stale: Rc<Cell<bool>>,
    _on_version_change: Closure<dyn FnMut(web_sys::Event)>,
}

impl Conn {
    async fn open(name: &str, layout: &Layout) -> Result<Self, StoreError> {
        layout::ensure(name, layout).await?;
        let db = Database::open(name).await.map_err(from_open)?;
        let stale = Rc::new(Cell::new(false));
        let sys: web_sys::IdbDatabase = db.as_sys().clone().unchecked_into();
        let indexed = Rc::new(layout::indexed_fields(&sys));
        let on_version_change = {
            let sys = sys.clone();
            let stale = stale.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_e: web_sys::Event| {
                stale.set(true);
                sys.close();
            })
        };
        sys.set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
        Ok(Self { db, indexed, stale, _on_version_change: on_version_change })
    }

    fn close(&self) {
        self.stale.set(true);
        let sys: &web_sys::IdbDatabase = self.db.as_sys().unchecked_ref();
        sys.set_onversionchange(None);
        sys.close();
    }
}

/// A connection nobody holds any more is closed, its `versionchange` handler taken off first:
/// left open (until the garbage collector) it would block another context's upgrade or delete,
/// and its handler would call a closure already dropped.
impl Drop for Conn {
    fn drop(&mut self) {
        self.close();
    }
}

struct VaultSlot {
    layout: Layout,
    conn: Option<Rc<Conn>>,
}

struct Inner {
    prefix: String,
    registry: RefCell<Option<Rc<Conn>>>,
    vaults: RefCell<HashMap<VaultId, VaultSlot>>,
}

/// A [`Store`] on IndexedDB. Clones share connections.
///
/// Row format 3: item rows hold a compact record ([`item_record`](crate::store)) and their current
/// version (creating an item writes one row; a query reads its candidates' data with them), and
/// version rows do not repeat their ids, which are their key (fewer bytes per write). Rows of
/// format 1 (an item's whole record as JSON in `d`, a version's ids inside its record) and 2 (the
/// current version in the `versions` store) are read as they are and rewritten in format 3 when
/// their item next changes (its new current version then goes into the item row). A release that
/// knows only an earlier format cannot read a later one, so an app should not downgrade over the
/// same data.
///
/// `IndexedDbStore::new("my-app")` keeps the vault registry in the database `my-app` and each
/// vault in `my-app-vault-<id>`.
#[derive(Clone)]
pub struct IndexedDbStore {
    inner: Rc<Inner>,
}

impl std::fmt::Debug for IndexedDbStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexedDbStore").field("prefix", &self.inner.prefix).finish_non_exhaustive()
    }
}

fn write_mode() -> TransactionMode {
    TransactionMode::Readwrite
}

/// The requests of a batch write, issued together (pipelined) and committed once: one round trip
/// instead of one per row. They are only awaited if the commit fails, to say why.
#[derive(Default)]
struct Issued {
    /// New item rows (`add`): a taken id fails the request, reported as [`StoreError::ItemExists`].
    inserts: Vec<(ItemId, VoidRequest)>,
    deletes: Vec<VoidRequest>,
    adds: Vec<VoidRequest>,
    puts: Vec<VoidRequest>,
}

impl Issued {
    /// Issues the requests of `write` over the item row `existing` (as read, `undefined` for none):
    /// its dropped version rows deleted, its new version rows added, its item row put. The item row
    /// holds its current version when that version is new or already there (see [`rows::Inline`]);
    /// a version the row held that is no longer current moves to the `versions` store.
    fn write(
        &mut self,
        items: &ObjectStore<'_>,
        versions: &ObjectStore<'_>,
        indexed: &[(String, String)],
        write: &ItemWrite,
        existing: &JsValue,
    ) -> Result<(), StoreError> {
        let id = write.item.item.id;
        let held = if existing.is_undefined() { None } else { rows::Inline::in_row(existing)? };
        for v in &write.drop_versions {
            self.deletes.push(versions.delete(rows::version_key(id, *v)).primitive().map_err(from_idb)?);
        }
        let mut inline = self.add_versions(versions, write, held.as_ref().map(|h| h.id))?;
        if let Some(held) = held.filter(|h| !write.drop_versions.contains(&h.id)) {
            if inline.is_none() && write.item.item.current_version_id == Some(held.id) {
                inline = Some(held);
            } else {
                // No longer current: moved out of the item row to the `versions` store.
                self.adds.push(versions.put(held.version_row(id)?).primitive().map_err(from_idb)?);
            }
        }
        self.puts.push(items.put(rows::item_row(&write.item, indexed, inline.as_ref())?).primitive().map_err(from_idb)?);
        Ok(())
    }

    /// Issues the requests of a new item's `write`: its version rows and its item row added
    /// (`add`: nothing is read first; an existing row fails the transaction). The item row holds
    /// its current version.
    fn insert(
        &mut self,
        items: &ObjectStore<'_>,
        versions: &ObjectStore<'_>,
        indexed: &[(String, String)],
        write: &ItemWrite,
    ) -> Result<(), StoreError> {
        let id = write.item.item.id;
        let inline = self.add_versions(versions, write, None)?;
        self.inserts.push((id, items.add(rows::item_row(&write.item, indexed, inline.as_ref())?).primitive().map_err(from_idb)?));
        Ok(())
    }

    /// Adds `write`'s new versions to the `versions` store, except its item's current version,
    /// returned to be held in the item row. `held` is the version the item row holds now: a new
    /// version with its id is a [`StoreError::Constraint`], as an `add` over an existing row is.
    fn add_versions(
        &mut self,
        versions: &ObjectStore<'_>,
        write: &ItemWrite,
        held: Option<VersionId>,
    ) -> Result<Option<rows::Inline>, StoreError> {
        let current = write.item.item.current_version_id;
        let mut inline = None;
        for v in &write.put_versions {
            if held == Some(v.id) {
                return Err(StoreError::Constraint(format!("version {} of item {} exists already", v.id, v.item_id)));
            }
            if inline.is_none() && current == Some(v.id) && v.item_id == write.item.item.id {
                inline = Some(rows::Inline::of(v)?);
                continue;
            }
            // `add`, not `put`: versions are immutable, an existing one is a constraint error.
            self.adds.push(versions.add(rows::version_row(v)?).primitive().map_err(from_idb)?);
        }
        Ok(inline)
    }

    /// Commits `tx`; if that fails, the first failed request's error (else the commit's), a
    /// taken id of a new item first.
    async fn commit(self, tx: Transaction<'_>) -> Result<(), StoreError> {
        let sys: web_sys::IdbTransaction = tx.as_sys().clone().unchecked_into();
        let Err(commit_error) = tx.commit().await else { return Ok(()) };
        let commit_error = why_aborted(&sys, from_idb(commit_error));
        for (id, request) in self.inserts {
            if let Err(e) = request.await {
                return Err(match why_aborted(&sys, from_idb(e)) {
                    StoreError::Constraint(_) => StoreError::ItemExists(id),
                    other => other,
                });
            }
        }
        for request in self.deletes.into_iter().chain(self.adds).chain(self.puts) {
            request.await.map_err(|e| why_aborted(&sys, from_idb(e)))?;
        }
        Err(commit_error)
    }
}

impl IndexedDbStore {
    /// A store whose databases are named after `prefix`. Nothing is opened until first use.
    pub fn new(prefix: impl Into<String>) -> Self {
        Self {
            inner: Rc::new(Inner { prefix: prefix.into(), registry: RefCell::new(None), vaults: RefCell::new(HashMap::new()) }),
        }
    }

    fn vault_db_name(&self, id: VaultId) -> String {
        format!("{}-vault-{id}", self.inner.prefix)
    }

    async fn registry(&self) -> Result<Rc<Conn>, StoreError> {
        let current = self.inner.registry.borrow().clone();
        if let Some(conn) = current.filter(|c| !c.stale.get()) {
            return Ok(conn);
        }
        let conn = Rc::new(Conn::open(&self.inner.prefix, &Layout::Registry).await?);
        *self.inner.registry.borrow_mut() = Some(conn.clone());
        Ok(conn)
    }

    async fn vault(&self, id: VaultId) -> Result<(Rc<Conn>, Rc<Vec<(String, String)>>), StoreError> {
        let (conn, layout) = {
            let vaults = self.inner.vaults.borrow();
            let slot = vaults.get(&id).ok_or(StoreError::Closed)?;
            (slot.conn.clone(), slot.layout.clone())
        };
        if let Some(conn) = conn.filter(|c| !c.stale.get()) {
            let indexed = conn.indexed.clone();
            return Ok((conn, indexed));
        }
        // Closed under us (another context upgraded or deleted the database): reopen, unless the
        // vault was deleted — reopening would recreate it empty.
        if self.get_vault_row(id).await?.is_none_or(|v| v.deleted_at.is_some()) {
            self.inner.vaults.borrow_mut().remove(&id);
            return Err(StoreError::Closed);
        }
        let conn = Rc::new(Conn::open(&self.vault_db_name(id), &layout).await?);
        match self.inner.vaults.borrow_mut().get_mut(&id) {
            Some(slot) => slot.conn = Some(conn.clone()),
            None => {
                conn.close();
                return Err(StoreError::Closed);
            }
        }
        let indexed = conn.indexed.clone();
        Ok((conn, indexed))
    }

    async fn get_vault_row(&self, id: VaultId) -> Result<Option<VaultMeta>, StoreError> {
        let conn = self.registry().await?;
        let tx = conn.db.transaction(VAULTS).build().map_err(from_idb)?;
        let store = tx.object_store(VAULTS).map_err(from_idb)?;
        let row: Option<JsValue> = store.get(JsValue::from_str(&id.to_string())).primitive().map_err(from_idb)?.await.map_err(from_idb)?;
        row.map(|r| rows::record(&r)).transpose()
    }

    async fn put_vault_row(&self, vault: &VaultMeta, must_exist: Option<bool>) -> Result<(), StoreError> {
        let conn = self.registry().await?;
        let tx = conn.db.transaction(VAULTS).with_mode(write_mode()).build().map_err(from_idb)?;
        let store = tx.object_store(VAULTS).map_err(from_idb)?;
        let key = JsValue::from_str(&vault.id.to_string());
        let existing: Option<JsValue> = store.get(key).primitive().map_err(from_idb)?.await.map_err(from_idb)?;
        match (must_exist, existing.is_some()) {
            (Some(true), false) => return Err(StoreError::VaultNotFound(vault.id)),
            (Some(false), true) => return Err(StoreError::VaultExists(vault.id)),
            _ => {}
        }
        store.put(rows::vault_row(vault, true)?).primitive().map_err(from_idb)?.await.map_err(from_idb)?;
        commit(tx).await
    }

    /// Reads vault `id`'s row and, if `change` returns a row to write, writes it — one transaction.
    async fn change_vault_row(
        &self,
        id: VaultId,
        change: impl FnOnce(Option<(VaultMeta, bool)>) -> Result<Option<(VaultMeta, bool)>, StoreError>,
    ) -> Result<bool, StoreError> {
        let conn = self.registry().await?;
        let tx = conn.db.transaction(VAULTS).with_mode(write_mode()).build().map_err(from_idb)?;
        let store = tx.object_store(VAULTS).map_err(from_idb)?;
        let key = JsValue::from_str(&id.to_string());
        let existing: Option<JsValue> = store.get(key).primitive().map_err(from_idb)?.await.map_err(from_idb)?;
        let existing = match existing {
            Some(row) => Some((rows::record::<VaultMeta>(&row)?, rows::is_pending(&row))),
            None => None,
        };
        let Some((vault, pending)) = change(existing)? else { return Ok(false) };
        store.put(rows::vault_row(&vault, pending)?).primitive().map_err(from_idb)?.await.map_err(from_idb)?;
        commit(tx).await?;
        Ok(true)
    }

    async fn pending_vault_rows(&self) -> Result<Vec<VaultMeta>, StoreError> {
        let conn = self.registry().await?;
        let tx = conn.db.transaction(VAULTS).build().map_err(from_idb)?;
        let store = tx.object_store(VAULTS).map_err(from_idb)?;
        let found = store.get_all::<JsValue>().primitive().map_err(from_idb)?.await.map_err(from_idb)?;
        let mut out = Vec::new();
        for js in found {
            let js = js.map_err(from_idb)?;
            if rows::is_pending(&js) {
                out.push(rows::record(&js)?);
            }
        }
        Ok(out)
    }

    async fn apply_remote(&self, vault: VaultMeta) -> Result<bool, StoreError> {
        let id = vault.id;
        let deleted = vault.deleted_at.is_some();
        let changed = self
            .change_vault_row(id, move |existing| match existing {
                Some((local, _)) if local.updated_at > vault.updated_at || local == vault => Ok(None),
                _ => Ok(Some((vault, false))),
            })
            .await?;
        if changed && deleted {
            self.close_vault(id);
            layout::delete(&self.vault_db_name(id)).await?;
        }
        Ok(changed)
    }

    async fn read_rows(&self, vault: VaultId, ids: &[ItemId]) -> Result<Vec<StoredItem>, StoreError> {
        let (conn, _) = self.vault(vault).await?;
        let tx = conn.db.transaction(ITEMS).build().map_err(from_idb)?;
        let store = tx.object_store(ITEMS).map_err(from_idb)?;
        let found = batch::get_many(&store, ids.iter().map(|id| rows::item_key(*id))).await?;
        found.iter().filter(|r| !r.is_undefined()).map(|r| rows::item(r, vault)).collect()
    }

    /// Runs every `(id, mutation)` in one readwrite transaction: all the item rows are read
    /// together (one wake-up, see `batch`), each mutation runs on its row, and every write is
    /// issued before the one commit. A failed mutation drops the transaction, which aborts it:
    /// nothing is written.
    async fn write_many(
        &self,
        vault: VaultId,
        writes: Vec<(ItemId, ops::Mutation)>,
    ) -> Result<Vec<StoredItem>, StoreError> {
        let ids: Vec<ItemId> = writes.iter().map(|(id, _)| *id).collect();
        merge::distinct(&ids)?;
        let (conn, indexed) = self.vault(vault).await?;
        let tx = conn.db.transaction([ITEMS, VERSIONS]).with_mode(write_mode()).build().map_err(from_idb)?;
        let items = tx.object_store(ITEMS).map_err(from_idb)?;
        let versions = tx.object_store(VERSIONS).map_err(from_idb)?;
        let reads = batch::get_many(&items, ids.iter().map(|id| rows::item_key(*id))).await?;
        let mut issued = Issued::default();
        let mut out = Vec::with_capacity(writes.len());
        for ((id, mutation), read) in writes.into_iter().zip(reads) {
            let existing: Option<StoredItem> =
                Some(&read).filter(|r| !r.is_undefined()).map(|r| rows::item(r, vault)).transpose()?;
            // The mutation is pure and synchronous: the transaction stays active around it.
            let write = mutation(existing)?;
            if write.item.item.id != id {
                return Err(StoreError::Constraint(format!("item row {} written under key {id}", write.item.item.id)));
            }
            issued.write(&items, &versions, &indexed, &write, &read)?;
            out.push(write.item);
        }
        issued.commit(tx).await?;
        Ok(out)
    }

    /// [`Store::merge_items`]: the rows of `ids` are read together (one wake-up, see `batch`) in
    /// one readwrite transaction, `merge` runs once on all of them, and its writes are issued
    /// before the one commit. A failed merge drops the transaction, which aborts it: nothing is
    /// written.
    async fn merge_many(&self, vault: VaultId, ids: &[ItemId], merge: Merge<'_>) -> Result<Vec<MergedItem>, StoreError> {
        merge::distinct(ids)?;
        let (conn, indexed) = self.vault(vault).await?;
        let tx = conn.db.transaction([ITEMS, VERSIONS]).with_mode(write_mode()).build().map_err(from_idb)?;
        let items = tx.object_store(ITEMS).map_err(from_idb)?;
        let versions = tx.object_store(VERSIONS).map_err(from_idb)?;
        let reads = batch::get_items(&items, ids).await?;
        let before: Vec<Option<StoredItem>> = reads
            .iter()
            .map(|r| if r.is_undefined() { Ok(None) } else { rows::item(r, vault).map(Some) })
            .collect::<Result<_, _>>()?;
        // The merge is pure and synchronous: the transaction stays active around it.
        let writes = merge(&before)?;
        merge::check(ids, &writes)?;
        let mut issued = Issued::default();
        let mut out = Vec::with_capacity(ids.len());
        for ((before, write), read) in before.into_iter().zip(writes).zip(&reads) {
            let after = match write {
                Some(write) => {
                    issued.write(&items, &versions, &indexed, &write, read)?;
                    Some(write.item)
                }
                None => None,
            };
            out.push(MergedItem { before, after });
        }
        issued.commit(tx).await?;
        Ok(out)
    }

    async fn pending_rows(&self, vault: VaultId) -> Result<Vec<StoredItem>, StoreError> {
        let (conn, _) = self.vault(vault).await?;
        let tx = conn.db.transaction(ITEMS).build().map_err(from_idb)?;
        let store = tx.object_store(ITEMS).map_err(from_idb)?;
        let index = store.index(PENDING).map_err(from_idb)?;
        let found = index.get_all::<JsValue>().primitive().map_err(from_idb)?.await.map_err(from_idb)?;
        let mut out = Vec::new();
        for js in found {
            out.push(rows::item(&js.map_err(from_idb)?, vault)?);
        }
        Ok(out)
    }

    async fn all_rows(&self, vault: VaultId) -> Result<Vec<StoredItem>, StoreError> {
        let (conn, _) = self.vault(vault).await?;
        let tx = conn.db.transaction(ITEMS).build().map_err(from_idb)?;
        let store = tx.object_store(ITEMS).map_err(from_idb)?;
        let found = store.get_all::<JsValue>().primitive().map_err(from_idb)?.await.map_err(from_idb)?;
        let mut out = Vec::new();
        for js in found {
            out.push(rows::item(&js.map_err(from_idb)?, vault)?);
        }
        Ok(out)
    }

    async fn meta(&self, vault: VaultId, key: &str) -> Result<Option<String>, StoreError> {
        let (conn, _) = self.vault(vault).await?;
        let tx = conn.db.transaction(META).build().map_err(from_idb)?;
        let store = tx.object_store(META).map_err(from_idb)?;
        let row: Option<JsValue> = store.get(JsValue::from_str(key)).primitive().map_err(from_idb)?.await.map_err(from_idb)?;
        row.map(|r| rows::record(&r)).transpose()
    }

    async fn set_meta(&self, vault: VaultId, key: &str, value: String) -> Result<(), StoreError> {
        let (conn, _) = self.vault(vault).await?;
        let tx = conn.db.transaction(META).with_mode(write_mode()).build().map_err(from_idb)?;
        let store = tx.object_store(META).map_err(from_idb)?;
        store.put(rows::meta_row(key, &value)?).primitive().map_err(from_idb)?.await.map_err(from_idb)?;
        commit(tx).await
    }

    async fn open(&self, id: VaultId, schema: &Schema) -> Result<(), StoreError> {
        match self.get_vault_row(id).await? {
            Some(v) if v.deleted_at.is_none() => {}
            _ => return Err(StoreError::VaultNotFound(id)),
        }
        // Several schemas may open one vault through one store (an app and a generic worker):
        // the layout only grows.
        let mut layout = Layout::Vault(layout::field_indexes(schema));
        if let Some(previous) = self.inner.vaults.borrow().get(&id) {
            layout = layout.union(&previous.layout);
        }
        let conn = Rc::new(Conn::open(&self.vault_db_name(id), &layout).await?);
        let previous = self.inner.vaults.borrow_mut().insert(id, VaultSlot { layout, conn: Some(conn) });
        if let Some(conn) = previous.and_then(|p| p.conn) {
            conn.close();
        }
        Ok(())
    }

    async fn delete(&self, id: VaultId, at: Timestamp) -> Result<(), StoreError> {
        let mut vault = self.get_vault_row(id).await?.ok_or(StoreError::VaultNotFound(id))?;
        vault.deleted_at = Some(at);
        vault.updated_at = at;
        self.put_vault_row(&vault, Some(true)).await?;
        self.close_vault(id);
        layout::delete(&self.vault_db_name(id)).await
    }

    /// Deletes every vault database named in the registry, then the registry. Other connections
    /// (tabs, the sync worker) close theirs on `versionchange`, so the deletes do not wait on them.
    async fn destroy_all(&self) -> Result<(), StoreError> {
        let ids: Vec<VaultId> = self.all_vaults().await?.into_iter().map(|v| v.id).collect();
        for id in ids {
            self.close_vault(id);
            layout::delete(&self.vault_db_name(id)).await?;
        }
        let registry = self.inner.registry.borrow_mut().take();
        if let Some(conn) = registry {
            conn.close();
        }
        layout::delete(&self.inner.prefix).await
    }

    async fn all_vaults(&self) -> Result<Vec<VaultMeta>, StoreError> {
        let conn = self.registry().await?;
        let tx = conn.db.transaction(VAULTS).build().map_err(from_idb)?;
        let store = tx.object_store(VAULTS).map_err(from_idb)?;
        let found = store.get_all::<JsValue>().primitive().map_err(from_idb)?.await.map_err(from_idb)?;
        let mut out = Vec::new();
        for js in found {
            out.push(rows::record(&js.map_err(from_idb)?)?);
        }
        Ok(out)
    }
}

impl Store for IndexedDbStore {
    fn create_vault(&self, vault: VaultMeta) -> StoreFuture<'_, ()> {
        async move { self.put_vault_row(&vault, Some(false)).await }.boxed_local()
    }

    fn list_vaults(&self) -> StoreFuture<'_, Vec<VaultMeta>> {
        self.all_vaults().boxed_local()
    }

    fn get_vault(&self, id: VaultId) -> StoreFuture<'_, Option<VaultMeta>> {
        self.get_vault_row(id).boxed_local()
    }

    fn update_vault(&self, vault: VaultMeta) -> StoreFuture<'_, ()> {
        async move { self.put_vault_row(&vault, Some(true)).await }.boxed_local()
    }

    fn delete_vault(&self, id: VaultId, at: Timestamp) -> StoreFuture<'_, ()> {
        self.delete(id, at).boxed_local()
    }

    fn pending_vaults(&self) -> StoreFuture<'_, Vec<VaultMeta>> {
        self.pending_vault_rows().boxed_local()
    }

    fn ack_vault(&self, id: VaultId, updated_at: Timestamp) -> StoreFuture<'_, ()> {
        async move {
            self.change_vault_row(id, |existing| {
                Ok(existing.filter(|(v, pending)| *pending && v.updated_at == updated_at).map(|(v, _)| (v, false)))
            })
            .await
            .map(drop)
        }
        .boxed_local()
    }

    fn apply_remote_vault(&self, vault: VaultMeta) -> StoreFuture<'_, bool> {
        self.apply_remote(vault).boxed_local()
    }

    fn open_vault<'a>(&'a self, id: VaultId, schema: &'a Schema) -> StoreFuture<'a, ()> {
        self.open(id, schema).boxed_local()
    }

    fn close_vault(&self, id: VaultId) {
        let slot = self.inner.vaults.borrow_mut().remove(&id);
        if let Some(conn) = slot.and_then(|s| s.conn) {
            conn.close();
        }
    }

    fn get_item(&self, vault: VaultId, id: ItemId) -> StoreFuture<'_, Option<StoredItem>> {
        async move { Ok(self.read_rows(vault, &[id]).await?.into_iter().next()) }.boxed_local()
    }

    fn get_items<'a>(&'a self, vault: VaultId, ids: &'a [ItemId]) -> StoreFuture<'a, Vec<StoredItem>> {
        self.read_rows(vault, ids).boxed_local()
    }

    fn get_versions<'a>(&'a self, vault: VaultId, keys: &'a [(ItemId, VersionId)]) -> StoreFuture<'a, Vec<Version>> {
        self.read_versions(vault, keys).boxed_local()
    }

    fn get_current(&self, vault: VaultId, id: ItemId) -> StoreFuture<'_, Option<(StoredItem, Option<Version>)>> {
        self.read_current(vault, id).boxed_local()
    }

    fn write_item(&self, vault: VaultId, id: ItemId, mutation: ops::Mutation) -> StoreFuture<'_, StoredItem> {
        async move {
            let written = self.write_many(vault, vec![(id, mutation)]).await?;
            written.into_iter().next().ok_or_else(|| StoreError::Constraint(format!("item {id} was not written")))
        }
        .boxed_local()
    }

    fn write_items(&self, vault: VaultId, writes: Vec<(ItemId, ops::Mutation)>) -> StoreFuture<'_, Vec<StoredItem>> {
        self.write_many(vault, writes).boxed_local()
    }

    fn insert_items(&self, vault: VaultId, writes: Vec<super::ItemWrite>) -> StoreFuture<'_, Vec<StoredItem>> {
        self.insert_rows(vault, writes).boxed_local()
    }

    fn merge_items<'a>(&'a self, vault: VaultId, ids: &'a [ItemId], merge: Merge<'a>) -> StoreFuture<'a, Vec<MergedItem>> {
        self.merge_many(vault, ids, merge).boxed_local()
    }

    fn scan<'a>(
        &'a self,
        vault: VaultId,
        collection: &'a str,
        range: Option<&'a IndexRange>,
        filter: RowFilter<'a>,
    ) -> StoreFuture<'a, ScanOutcome> {
        self.scan_rows(vault, collection, range, filter).boxed_local()
    }

    fn scan_with_versions<'a>(
        &'a self,
        vault: VaultId,
        collection: &'a str,
        range: Option<&'a IndexRange>,
        filter: RowFilter<'a>,
        versions_up_to: usize,
    ) -> StoreFuture<'a, (ScanOutcome, Option<Vec<Version>>)> {
        self.scan_rows_with_versions(vault, collection, range, filter, versions_up_to).boxed_local()
    }

    fn pending(&self, vault: VaultId) -> StoreFuture<'_, Vec<StoredItem>> {
        self.pending_rows(vault).boxed_local()
    }

    fn all_items(&self, vault: VaultId) -> StoreFuture<'_, Vec<StoredItem>> {
        self.all_rows(vault).boxed_local()
    }

    fn destroy(&self) -> StoreFuture<'_, ()> {
        self.destroy_all().boxed_local()
    }

    fn get_meta<'a>(&'a self, vault: VaultId, key: &'a str) -> StoreFuture<'a, Option<String>> {
        self.meta(vault, key).boxed_local()
    }

    fn put_meta<'a>(&'a self, vault: VaultId, key: &'a str, value: String) -> StoreFuture<'a, ()> {
        self.set_meta(vault, key, value).boxed_local()
    }
}
