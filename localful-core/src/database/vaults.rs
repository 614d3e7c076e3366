//! The vault registry and opening vaults.

use crate::collection::{CollectionDef, Schema};
use crate::codec::{self, Decrypted};
use crate::crypto::Cipher;
use crate::error::Result;
use crate::events::{ChangeEvent, EventBus, ItemAction, ItemsChanged, VaultAction};
use crate::model::{ItemId, Timestamp, VaultMeta, VaultId};
use crate::store::{Pending, Store, StoreError};
use std::rc::Rc;

struct Shared {
    store: Rc<dyn Store>,
    schema: Schema,
    events: EventBus,
    device_name: String,
}

/// The local database: the vault registry over a [`Store`], the app's [`Schema`] and an
/// [`EventBus`]. Cheap to clone.
///
/// ```
/// use localful_core::{Database, EventBus, MemoryStore, Schema};
/// use std::rc::Rc;
/// # futures::executor::block_on(async {
/// let db = Database::new(Rc::new(MemoryStore::new()), Schema::new(), EventBus::local(), "laptop");
/// let vault = db.create_vault("Personal", "v1:wrapped-key").await?;
/// db.rename_vault(vault.id, "Private").await?;
/// assert_eq!(db.list_vaults().await?[0].name, "Private");
/// db.delete_vault(vault.id).await?;
/// assert!(db.list_vaults().await?.is_empty());
/// # Ok::<(), localful_core::Error>(())
/// # }).unwrap();
/// ```
#[derive(Clone)]
pub struct Database {
    shared: Rc<Shared>,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database").field("device_name", &self.shared.device_name).finish_non_exhaustive()
    }
}

impl Database {
    /// A database over `store`, for the collections of `schema`, emitting on `events`; versions it
    /// writes carry `device_name`.
    pub fn new(store: Rc<dyn Store>, schema: Schema, events: EventBus, device_name: impl Into<String>) -> Self {
        Self { shared: Rc::new(Shared { store, schema, events, device_name: device_name.into() }) }
    }

    /// The event bus every write emits on.
    pub fn events(&self) -> &EventBus {
        &self.shared.events
    }

    /// The schema.
    pub fn schema(&self) -> &Schema {
        &self.shared.schema
    }

    /// The underlying store.
    pub fn store(&self) -> &dyn Store {
        self.shared.store.as_ref()
    }

    /// The underlying store, shared (e.g. to build another [`Database`] over the same storage).
    pub fn shared_store(&self) -> Rc<dyn Store> {
        self.shared.store.clone()
    }

    /// The device name versions are written with.
    pub fn device_name(&self) -> &str {
        &self.shared.device_name
    }

    /// Emits the event of a local write (through a [`VaultHandle`]) that left `pending` in the outbox.
    pub(crate) fn emit_local(&self, vault: VaultId, collection: &str, ids: Vec<ItemId>, action: ItemAction, pending: Vec<Pending>) {
        self.shared.events.emit(&ChangeEvent::Items(ItemsChanged::local(vault, collection, ids, action, pending)));
    }

    /// Emits the event of a write by the sync engine (through a [`Replica`](super::Replica)).
    pub(crate) fn emit_synced(&self, vault: VaultId, collection: &str, ids: Vec<ItemId>, action: ItemAction) {
        self.shared.events.emit(&ChangeEvent::Items(ItemsChanged::synced(vault, collection, ids, action)));
    }

    fn emit_vault(&self, vault: VaultId, action: VaultAction) {
        self.shared.events.emit(&ChangeEvent::Vault { vault, action });
    }

    /// Creates a local-only vault named `name` whose data key, wrapped, is `protected_encryption_key`.
    pub async fn create_vault(&self, name: &str, protected_encryption_key: &str) -> Result<VaultMeta> {
        let now = Timestamp::now();
        let vault = VaultMeta {
            id: VaultId::new(),
            name: name.to_owned(),
            protected_encryption_key: protected_encryption_key.to_owned(),
            created_at: now,
            updated_at: now,
            deleted_at: None,
            sync_enabled: false,
        };
        self.shared.store.create_vault(vault.clone()).await?;
        self.emit_vault(vault.id, VaultAction::Created);
        Ok(vault)
    }

    /// The live (not deleted) vaults.
    pub async fn list_vaults(&self) -> Result<Vec<VaultMeta>> {
        let mut vaults: Vec<VaultMeta> = self.shared.store.list_vaults().await?;
        vaults.retain(|v| v.deleted_at.is_none());
        Ok(vaults)
    }

    /// The live vault `id`, or [`StoreError::VaultNotFound`].
    pub async fn vault(&self, id: VaultId) -> Result<VaultMeta> {
        match self.shared.store.get_vault(id).await? {
            Some(v) if v.deleted_at.is_none() => Ok(v),
            _ => Err(StoreError::VaultNotFound(id).into()),
        }
    }

    /// Renames vault `id`.
    pub async fn rename_vault(&self, id: VaultId, name: &str) -> Result<VaultMeta> {
        self.update_vault(id, |v| v.name = name.to_owned()).await
    }

    /// Changes vault `id`'s metadata with `change` (e.g. a re-wrapped key, `sync_enabled`), bumping
    /// `updated_at`.
    pub async fn update_vault(&self, id: VaultId, change: impl FnOnce(&mut VaultMeta)) -> Result<VaultMeta> {
        let mut vault = self.vault(id).await?;
        change(&mut vault);
        vault.id = id;
        vault.updated_at = Timestamp::now().max(vault.updated_at);
        self.shared.store.update_vault(vault.clone()).await?;
        self.emit_vault(id, VaultAction::Updated);
        Ok(vault)
    }

    /// Deletes vault `id` locally: its items and versions are dropped; the registry keeps a tombstone.
    pub async fn delete_vault(&self, id: VaultId) -> Result<()> {
        self.vault(id).await?;
        self.shared.store.delete_vault(id, Timestamp::now()).await?;
        self.emit_vault(id, VaultAction::Deleted);
        Ok(())
    }

    /// Vaults with local changes (create, rename, delete...) the server has not acknowledged.
    pub async fn pending_vaults(&self) -> Result<Vec<VaultMeta>> {
        Ok(self.shared.store.pending_vaults().await?)
    }

    /// Clears vault `id`'s pending mark once the server acknowledged its state as of `updated_at`.
    pub async fn ack_vault(&self, id: VaultId, updated_at: Timestamp) -> Result<()> {
        Ok(self.shared.store.ack_vault(id, updated_at).await?)
    }

    /// Applies a vault received from the server (new, changed or deleted) unless the local one is
    /// newer; emits the same events as a local change and marks nothing pending.
    pub async fn apply_remote_vault(&self, vault: VaultMeta) -> Result<()> {
        let before = self.shared.store.get_vault(vault.id).await?;
        let (id, deleted) = (vault.id, vault.deleted_at.is_some());
        if !self.shared.store.apply_remote_vault(vault).await? {
            return Ok(());
        }
        let action = match (before, deleted) {
            (Some(b), true) if b.deleted_at.is_none() => VaultAction::Deleted,
            (_, true) => return Ok(()),
            (None, false) => VaultAction::Created,
            (Some(_), false) => VaultAction::Updated,
        };
        self.emit_vault(id, action);
        Ok(())
    }

    /// Opens vault `id` with `cipher` (its unlocked data key) for reading and writing items.
    pub async fn open_vault(&self, id: VaultId, cipher: Rc<dyn Cipher>) -> Result<VaultHandle> {
        self.vault(id).await?;
        self.shared.store.open_vault(id, &self.shared.schema).await?;
        let decrypted = Rc::new(Decrypted::new(codec::DEFAULT_BUDGET));
        let handle = VaultHandle { db: self.clone(), id, cipher, decrypted };
        handle.refresh_changed_exposed().await?;
        self.emit_vault(id, VaultAction::Opened);
        Ok(handle)
    }
}

/// An open vault: typed items, history, queries, remote application and the outbox.
///
/// See the crate docs for a complete example.
#[derive(Clone)]
pub struct VaultHandle {
    pub(super) db: Database,
    pub(super) id: VaultId,
    pub(super) cipher: Rc<dyn Cipher>,
    /// Values decrypted for reads through this handle and its clones (emptied on lock).
    pub(super) decrypted: Rc<Decrypted>,
}

impl std::fmt::Debug for VaultHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VaultHandle").field("id", &self.id).finish_non_exhaustive()
    }
}

impl VaultHandle {
    /// The vault's id.
    pub fn id(&self) -> VaultId {
        self.id
    }

    /// The database this vault belongs to.
    pub fn database(&self) -> &Database {
        &self.db
    }

    /// Closes the vault's storage: later operations through any handle of it fail with
    /// [`StoreError::Closed`] until it is opened again.
    pub fn close(&self) {
        self.db.store().close_vault(self.id);
        self.db.emit_vault(self.id, VaultAction::Closed);
    }

    pub(super) fn store(&self) -> &dyn Store {
        self.db.store()
    }

    pub(super) fn cipher(&self) -> &dyn Cipher {
        self.cipher.as_ref()
    }

    pub(super) fn decrypted(&self) -> &Decrypted {
        &self.decrypted
    }

    /// Forgets the decrypted data this handle keeps for re-reads (versions never change, so a
    /// re-read decrypts only what it has not decrypted before). Call it when the vault is locked;
    /// a read through a handle whose key was locked forgets them too.
    pub fn forget_decrypted(&self) {
        self.decrypted.clear();
    }

    pub(super) fn def(&self, collection: &str) -> Result<&CollectionDef> {
        Ok(self.db.schema().require(collection)?)
    }
}
