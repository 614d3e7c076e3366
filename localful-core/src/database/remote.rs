//! Applying items and versions received from the server, and the outbox the sync engine drains.

use super::Replica;
use super::history::RETRIES;
use crate::codec;
use crate::error::Result;
use crate::events::ItemAction;
use crate::model::{Item, ItemId, Version, VersionMeta};
use crate::store::{OutboxEntry, StoreError, StoredItem, ops};

impl Replica {
    /// Applies an item received from the server: records it (its versions follow) or applies its
    /// tombstone. Idempotent; emits the same events as a local write; adds no outbox entry.
    pub async fn apply_remote_item(&self, item: Item) -> Result<()> {
        if item.vault_id != self.id {
            return Err(StoreError::VaultNotFound(item.vault_id).into());
        }
        let (id, collection) = (item.id, item.collection.clone());
        let before = self.store().get_item(self.id, id).await?;
        let after = self.store().write_item(self.id, id, ops::apply_remote_item(item)).await?;
        let action = match before {
            None => Some(ItemAction::Created),
            Some(b) if b.item.is_live() && !after.item.is_live() => Some(ItemAction::Deleted),
            Some(_) => None,
        };
        if let Some(action) = action {
            self.db.emit_synced(self.id, &collection, vec![id], action);
        }
        Ok(())
    }

    /// Applies a version received from the server (new, or deleted), after its item. The current
    /// version is recomputed (last write wins by `(created_at, id)`) and the exposed fields follow
    /// it. Idempotent; emits the same events as a local write; adds no outbox entry.
    ///
    /// A context whose [`Schema`](crate::Schema) lacks the item's collection (e.g. a generic sync
    /// worker) still applies the version, leaving the item's exposed fields marked stale; they are
    /// recomputed by [`refresh_exposed`](crate::VaultHandle::refresh_exposed) in a context that knows the
    /// collection (which also runs whenever a vault is opened).
    pub async fn apply_remote_version(&self, version: Version) -> Result<()> {
        let id = version.item_id;
        for _ in 0..RETRIES {
            let row = self.store().get_item(self.id, id).await?.ok_or(StoreError::ItemNotFound(id))?;
            let Some(def) = self.db.schema().get(&row.item.collection) else {
                return self.apply_remote_version_blind(row, version).await;
            };
            let incoming = match (&version.protected_data, version.deleted_at) {
                (Some(_), None) => Some(codec::open(self.cipher(), def, &version).await?),
                _ => None,
            };
            let simulate = |r: &mut StoredItem| match r.versions.iter_mut().find(|v| v.id == version.id) {
                Some(v) => v.deleted_at = v.deleted_at.or(version.deleted_at),
                None => r.versions.push(VersionMeta::of(&version)),
            };
            let exposed = if row.item.is_live() {
                self.predict_exposed(def, &row, simulate, incoming.as_ref().map(|d| (version.id, d))).await?
            } else {
                None
            };
            match self.store().write_item(self.id, id, ops::apply_remote_version(version.clone(), exposed)).await {
                Ok(after) => {
                    // A deleted item's history is not shown: a version recorded on it is no event.
                    if after != row && after.item.is_live() {
                        let action = if after.item.current_version_id != row.item.current_version_id {
                            ItemAction::Updated
                        } else {
                            ItemAction::HistoryChanged
                        };
                        self.db.emit_synced(self.id, &after.item.collection, vec![id], action);
                    }
                    return Ok(());
                }
                Err(StoreError::Conflict) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(StoreError::Conflict.into())
    }

    /// [`apply_remote_version`](Self::apply_remote_version) without the collection's definition:
    /// the new current version's exposed fields are unknown, so the row is marked stale and the
    /// vault is told to refresh the collection on its next open.
    async fn apply_remote_version_blind(&self, row: StoredItem, version: Version) -> Result<()> {
        let (id, collection) = (row.item.id, row.item.collection.clone());
        let stale = Some((version.id, crate::model::Exposed::default()));
        let mutation = ops::apply_remote_version(version.clone(), stale);
        let after = match self.store().write_item(self.id, id, mutation).await {
            Ok(after) => after,
            // Another version became current: keep its exposed fields, mark nothing.
            Err(StoreError::Conflict) => {
                let simulate = |r: &mut StoredItem| match r.versions.iter_mut().find(|v| v.id == version.id) {
                    Some(v) => v.deleted_at = v.deleted_at.or(version.deleted_at),
                    None => r.versions.push(VersionMeta::of(&version)),
                };
                let mut predicted = row.clone();
                simulate(&mut predicted);
                let next = predicted.current().map(|v| v.id);
                let exposed = next.map(|n| (n, crate::model::Exposed::default()));
                self.store().write_item(self.id, id, ops::apply_remote_version(version, exposed)).await?
            }
            Err(e) => return Err(e.into()),
        };
        if after.item.current_version_id != row.item.current_version_id {
            self.store().put_meta(self.id, &format!("exposure:{collection}"), String::new()).await?;
        }
        if after != row && after.item.is_live() {
            let action = if after.item.current_version_id != row.item.current_version_id {
                ItemAction::Updated
            } else {
                ItemAction::HistoryChanged
            };
            self.db.emit_synced(self.id, &collection, vec![id], action);
        }
        Ok(())
    }

    /// The item rows with changes not yet acknowledged by the server, with their outbox entries.
    ///
    /// A push loop, in outline:
    /// ```
    /// # use localful_core::*;
    /// # async fn push(vault: Replica) -> Result<()> {
    /// for row in vault.pending().await? {
    ///     let versions: Vec<_> = row.outbox.iter().filter_map(|e| match e {
    ///         OutboxEntry::Version(item, version) => Some((*item, *version)),
    ///         OutboxEntry::Item(_) => None,
    ///     }).collect();
    ///     // Deleted versions have no row: push their tombstone from `row.versions`.
    ///     let with_data = vault.versions(&versions).await?;
    ///     // ... send `row.item` (without `exposed`) and the versions, wait for the ack ...
    ///     # let _ = with_data;
    ///     vault.ack(row.item.id, row.outbox.clone()).await?;
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn pending(&self) -> Result<Vec<StoredItem>> {
        Ok(self.store().pending(self.id).await?)
    }

    /// A small local-only value of this vault (e.g. the sync engine's last applied `seq`).
    pub async fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self.store().get_meta(self.id, key).await?)
    }

    /// Sets a small local-only value of this vault. Keys starting with `exposure:` are reserved.
    pub async fn set_meta(&self, key: &str, value: impl Into<String>) -> Result<()> {
        Ok(self.store().put_meta(self.id, key, value.into()).await?)
    }

    /// The version rows (with encrypted data) of `keys`, for pushing them.
    pub async fn versions(&self, keys: &[(ItemId, crate::model::VersionId)]) -> Result<Vec<Version>> {
        Ok(self.store().get_versions(self.id, keys).await?)
    }

    /// Removes `entries` from item `id`'s outbox once the server acknowledged them.
    pub async fn ack(&self, id: ItemId, entries: Vec<OutboxEntry>) -> Result<()> {
        self.store().write_item(self.id, id, ops::ack(id, entries)).await?;
        Ok(())
    }
}
