//! Items: create (one or many), update (a new version), delete (tombstone), get, get many, query.

use super::{Entry, QueryResult, VaultHandle};
use crate::codec;
use crate::collection::{Collection, CollectionDef, DataError};
use crate::error::Result;
use crate::events::ItemAction;
use crate::model::{Exposed, ExposedValues, Item, ItemId, Timestamp, Version, VersionId};
use crate::query::{Query, run};
use crate::store::{ItemWrite, StoreError, StoredItem, ops, pending_of};
use serde_json::Value;

/// A store error about the item's type as the data error it is.
pub(super) fn typed(e: StoreError) -> crate::Error {
    match e {
        StoreError::WrongCollection { expected, found } => DataError::WrongCollection { expected, found }.into(),
        other => other.into(),
    }
}

impl VaultHandle {
    /// Serialises and validates `data` for collection `def`, returning it with its exposed fields.
    pub(super) fn encode<T: Collection>(&self, value: &T) -> Result<(&CollectionDef, Value)> {
        let def = self.def(T::NAME)?;
        let data = serde_json::to_value(value).map_err(|e| def.mismatch(e.to_string()))?;
        def.validate(&data)?;
        Ok((def, data))
    }

    /// A new version of `item_id` holding `data`, encrypted. Fails before anything is written if
    /// the vault is locked.
    pub(super) async fn seal_version(&self, def: &CollectionDef, item_id: ItemId, data: &Value) -> Result<(Version, Exposed)> {
        let protected = codec::seal(self.cipher(), data).await?;
        let version = Version {
            id: VersionId::new(),
            item_id,
            created_at: Timestamp::now(),
            device_name: self.db.device_name().to_owned(),
            schema_version: def.schema_version(),
            protected_data: Some(protected),
            deleted_at: None,
        };
        Ok((version, def.exposed(data)))
    }

    /// The item row `id`, which must exist and belong to `collection`.
    pub(super) async fn row_of(&self, collection: &str, id: ItemId) -> Result<StoredItem> {
        let row = self.store().get_item(self.id, id).await?.ok_or(StoreError::ItemNotFound(id))?;
        if row.item.collection != collection {
            return Err(DataError::WrongCollection { expected: collection.to_owned(), found: row.item.collection }.into());
        }
        Ok(row)
    }

    /// Decrypts and migrates version `version_id` of `row`.
    pub(super) async fn data_of(&self, def: &CollectionDef, row: &StoredItem, version_id: VersionId) -> Result<Value> {
        let keys = [(row.item.id, version_id)];
        let version = self.store().get_versions(self.id, &keys).await?.into_iter().next();
        let version = version.ok_or(StoreError::VersionNotFound(version_id))?;
        codec::open_cached(self.cipher(), self.decrypted(), def, &version).await
    }

    /// Creates an item of collection `T` holding `value`; returns its id.
    ///
    /// ```
    /// # use localful_core::*;
    /// # use serde::{Deserialize, Serialize};
    /// # #[derive(Serialize, Deserialize, Debug, PartialEq)] struct Note { title: String }
    /// # impl Collection for Note { const NAME: &'static str = "notes"; }
    /// # async fn example(vault: VaultHandle) -> Result<()> {
    /// let id = vault.create(&Note { title: "Hello".into() }).await?;
    /// vault.update(id, &Note { title: "Hello, world".into() }).await?;
    /// assert_eq!(vault.get::<Note>(id).await?.data.title, "Hello, world");
    /// vault.delete::<Note>(id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn create<T: Collection>(&self, value: &T) -> Result<ItemId> {
        let (def, data) = self.encode(value)?;
        self.create_data(def, data).await
    }

    /// Creates an item of the registered collection `collection` from untyped JSON, which must
    /// deserialise into the collection's type ([`DataError::TypeMismatch`] otherwise).
    pub async fn create_value(&self, collection: &str, data: Value) -> Result<ItemId> {
        let def = self.def(collection)?;
        def.validate(&data)?;
        self.create_data(def, data).await
    }

    async fn create_data(&self, def: &CollectionDef, data: Value) -> Result<ItemId> {
        let (id, write) = self.creation(def, &data).await?;
        let rows = self.store().insert_items(self.id, vec![write]).await?;
        self.db.emit_local(self.id, def.name(), vec![id], ItemAction::Created, rows.iter().flat_map(pending_of).collect());
        Ok(id)
    }

    /// A new item's id and the rows that create it holding `data`, encrypted.
    async fn creation(&self, def: &CollectionDef, data: &Value) -> Result<(ItemId, ItemWrite)> {
        let id = ItemId::new();
        let (version, exposed) = self.seal_version(def, id, data).await?;
        let item = Item {
            id,
            vault_id: self.id,
            collection: def.name().to_owned(),
            created_at: version.created_at,
            deleted_at: None,
            current_version_id: None,
            exposed: ExposedValues::new(),
        };
        Ok((id, ops::new_item(item, version, exposed)))
    }

    /// Creates one item of collection `T` per value in one transaction (all of them or, on any
    /// error, none) with one change event for them all; returns their ids in the order of
    /// `values`. The fast way to import many items: one IndexedDB transaction instead of one per
    /// item.
    ///
    /// ```
    /// # use localful_core::*;
    /// # use serde::{Deserialize, Serialize};
    /// # #[derive(Serialize, Deserialize, Debug, PartialEq)] struct Note { title: String }
    /// # impl Collection for Note { const NAME: &'static str = "notes"; }
    /// # async fn example(vault: VaultHandle) -> Result<()> {
    /// let notes: Vec<Note> = (0..100).map(|i| Note { title: format!("note {i}") }).collect();
    /// let ids = vault.create_many(&notes).await?;
    /// assert_eq!(vault.get::<Note>(ids[42]).await?.data.title, "note 42");
    /// # Ok(()) }
    /// ```
    pub async fn create_many<T: Collection>(&self, values: &[T]) -> Result<Vec<ItemId>> {
        let def = self.def(T::NAME)?;
        let mut writes = Vec::with_capacity(values.len());
        for value in values {
            let (_, data) = self.encode(value)?;
            writes.push(self.creation(def, &data).await?);
        }
        if writes.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<ItemId> = writes.iter().map(|(id, _)| *id).collect();
        let rows = self.store().insert_items(self.id, writes.into_iter().map(|(_, write)| write).collect()).await?;
        self.db.emit_local(self.id, def.name(), ids.clone(), ItemAction::Created, rows.iter().flat_map(pending_of).collect());
        Ok(ids)
    }
    /// Saves `value` as a new version of item `id` (versions are immutable); returns the version's
    /// id. Fails with [`StoreError::ItemDeleted`] on a deleted item.
    pub async fn update<T: Collection>(&self, id: ItemId, value: &T) -> Result<VersionId> {
        let (def, data) = self.encode(value)?;
        self.add_version(def, id, &data).await
    }

    pub(super) async fn add_version(&self, def: &CollectionDef, id: ItemId, data: &Value) -> Result<VersionId> {
        // One transaction: the item's existence, liveness and collection are checked inside it.
        let (version, exposed) = self.seal_version(def, id, data).await?;
        let version_id = version.id;
        let mutation = ops::in_collection(def.name().to_owned(), ops::add_version(version, exposed));
        let (_, left) = self.write_local(id, mutation).await.map_err(typed)?;
        self.db.emit_local(self.id, def.name(), vec![id], ItemAction::Updated, left);
        Ok(version_id)
    }

    /// Deletes item `id`: every version's data is dropped, a tombstone stays (and syncs).
    pub async fn delete<T: Collection>(&self, id: ItemId) -> Result<()> {
        let mutation = ops::in_collection(T::NAME.to_owned(), ops::delete_item(id, Timestamp::now()));
        let (_, left) = self.write_local(id, mutation).await.map_err(typed)?;
        self.db.emit_local(self.id, T::NAME, vec![id], ItemAction::Deleted, left);
        Ok(())
    }

    /// Item `id` with its current data, migrated to the current schema.
    ///
    /// Errors: [`StoreError::ItemNotFound`], [`StoreError::ItemDeleted`],
    /// [`DataError::WrongCollection`], [`DataError::NewerSchema`], a [`CryptoError`](crate::crypto::CryptoError).
    pub async fn get<T: Collection>(&self, id: ItemId) -> Result<Entry<T>> {
        let def = self.def(T::NAME)?;
        // One read of the item and its current version together.
        let (row, version) = self.store().get_current(self.id, id).await?.ok_or(StoreError::ItemNotFound(id))?;
        if row.item.collection != T::NAME {
            return Err(DataError::WrongCollection { expected: T::NAME.to_owned(), found: row.item.collection }.into());
        }
        if !row.item.is_live() {
            return Err(StoreError::ItemDeleted(id).into());
        }
        let meta = row.item.current_version_id.and_then(|v| row.version(v)).cloned().ok_or(StoreError::ItemNotFound(id))?;
        let version = version.filter(|v| v.id == meta.id).ok_or(StoreError::VersionNotFound(meta.id))?;
        let data = codec::open_cached(self.cipher(), self.decrypted(), def, &version).await?;
        let data = serde_json::from_value(data).map_err(|e| def.mismatch(e.to_string()))?;
        Ok(Entry { item: row.item, version: meta, data })
    }

    /// The live items of `ids` that exist in collection `T`, in the order of `ids` (missing,
    /// deleted and other collections' items are left out).
    pub async fn get_many<T: Collection>(&self, ids: &[ItemId]) -> Result<Vec<Entry<T>>> {
        let def = self.def(T::NAME)?;
        let rows = self.store().get_items(self.id, ids).await?;
        let rows: Vec<_> = rows.into_iter().filter(|r| r.item.collection == T::NAME && r.is_visible()).collect();
        let keys: Vec<_> = rows.iter().filter_map(|r| Some((r.item.id, r.item.current_version_id?))).collect();
        let versions = self.store().get_versions(self.id, &keys).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let Some(version) = versions.iter().find(|v| Some(v.id) == row.item.current_version_id) else { continue };
            let Some(meta) = row.version(version.id).cloned() else { continue };
            let data = codec::open_cached(self.cipher(), self.decrypted(), def, version).await?;
            let data = serde_json::from_value(data).map_err(|e| def.mismatch(e.to_string()))?;
            out.push(Entry { item: row.item, version: meta, data });
        }
        Ok(out)
    }

    /// Runs `query` over collection `T` (see [`Query`] and the crate docs for the three stages).
    ///
    /// ```
    /// # use localful_core::*;
    /// # use serde::{Deserialize, Serialize};
    /// # #[derive(Serialize, Deserialize)] struct Note { title: String, body: String }
    /// # impl Collection for Note {
    /// #     const NAME: &'static str = "notes";
    /// #     fn exposed_fields() -> Vec<ExposedField> { vec![ExposedField::indexed("title")] }
    /// # }
    /// # async fn example(vault: VaultHandle) -> Result<()> {
    /// let page = vault
    ///     .query::<Note>(&Query::new()
    ///         .filter(Field::data("title"), Op::Equal, "Groceries") // stage 1: the title index
    ///         .filter(Field::data("body"), Op::Like, "milk")        // stage 3: decrypted data
    ///         .limit(10))
    ///     .await?;
    /// assert_eq!(page.stats.index.as_deref(), Some("title"));
    /// # Ok(()) }
    /// ```
    pub async fn query<T: Collection>(&self, query: &Query) -> Result<QueryResult<T>> {
        let def = self.def(T::NAME)?;
        let page = run::run(self.store(), self.cipher(), self.decrypted(), self.id, def, query).await?;
        let mut entries = Vec::with_capacity(page.hits.len());
        for (row, version, data) in page.hits {
            let data = serde_json::from_value(data).map_err(|e| def.mismatch(e.to_string()))?;
            entries.push(Entry { item: row.item, version, data });
        }
        Ok(QueryResult { entries, total: page.total, next: page.next, stats: page.stats })
    }
}
