//! Version history: list, read, restore, delete one, prune.

use super::VaultHandle;
use crate::collection::{Collection, CollectionDef};
use crate::error::Result;
use crate::events::ItemAction;
use crate::model::{ItemId, Timestamp, VersionId, VersionMeta};
use crate::store::ops::{self, ExposedFor, Prune};
use crate::store::{StoreError, StoredItem};

/// How many times a write that raced another writer is retried.
pub(super) const RETRIES: usize = 5;

impl VaultHandle {
    /// The exposed fields of the version that will be current once `simulate` is applied to `row`,
    /// if it changes (decrypting that version).
    pub(super) async fn predict_exposed(
        &self,
        def: &CollectionDef,
        row: &StoredItem,
        simulate: impl FnOnce(&mut StoredItem),
        incoming: Option<(VersionId, &serde_json::Value)>,
    ) -> Result<ExposedFor> {
        let mut after = row.clone();
        simulate(&mut after);
        let Some(next) = after.current().map(|v| v.id) else { return Ok(None) };
        if Some(next) == row.item.current_version_id {
            return Ok(None);
        }
        if let Some((id, data)) = incoming.filter(|(id, _)| *id == next) {
            return Ok(Some((id, def.exposed(data))));
        }
        let data = self.data_of(def, row, next).await?;
        Ok(Some((next, def.exposed(&data))))
    }

    /// Item `id`'s versions, newest first, deleted ones included (with `deleted_at` set).
    pub async fn history<T: Collection>(&self, id: ItemId) -> Result<Vec<VersionMeta>> {
        let row = self.row_of(T::NAME, id).await?;
        let mut versions = row.versions;
        versions.sort_by_key(|v| std::cmp::Reverse(v.lww_key()));
        Ok(versions)
    }

    /// The data of version `version` of item `id`, migrated to the current schema.
    pub async fn read_version<T: Collection>(&self, id: ItemId, version: VersionId) -> Result<T> {
        let def = self.def(T::NAME)?;
        let row = self.row_of(T::NAME, id).await?;
        if !row.version(version).is_some_and(VersionMeta::is_live) {
            return Err(StoreError::VersionNotFound(version).into());
        }
        let data = self.data_of(def, &row, version).await?;
        serde_json::from_value(data).map_err(|e| def.mismatch(e.to_string()).into())
    }

    /// Restores version `version` of item `id`: a new version with its (migrated) data. Returns
    /// the new version's id.
    ///
    /// ```
    /// # use localful_core::*;
    /// # use serde::{Deserialize, Serialize};
    /// # #[derive(Serialize, Deserialize)] struct Note { title: String }
    /// # impl Collection for Note { const NAME: &'static str = "notes"; }
    /// # async fn example(vault: VaultHandle, id: ItemId) -> Result<()> {
    /// let history = vault.history::<Note>(id).await?; // newest first
    /// if let Some(old) = history.get(1) {
    ///     vault.restore::<Note>(id, old.id).await?;
    /// }
    /// vault.prune::<Note>(id, Prune::KeepNewest(10)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn restore<T: Collection>(&self, id: ItemId, version: VersionId) -> Result<VersionId> {
        let def = self.def(T::NAME)?;
        let data = serde_json::to_value(self.read_version::<T>(id, version).await?).map_err(|e| def.mismatch(e.to_string()))?;
        self.add_version(def, id, &data).await
    }

    /// Deletes version `version` of item `id` (its data is dropped, a tombstone stays). If it was
    /// current, the previous version becomes current. The last live version cannot be deleted
    /// ([`StoreError::LastVersion`]): delete the item instead.
    pub async fn delete_version<T: Collection>(&self, id: ItemId, version: VersionId) -> Result<()> {
        let def = self.def(T::NAME)?;
        for _ in 0..RETRIES {
            let row = self.row_of(T::NAME, id).await?;
            if !row.item.is_live() {
                return Err(StoreError::ItemDeleted(id).into());
            }
            let before = row.item.current_version_id;
            let simulate = |r: &mut StoredItem| {
                r.versions.iter_mut().filter(|v| v.id == version).for_each(|v| v.deleted_at = Some(Timestamp::now()));
            };
            let exposed = self.predict_exposed(def, &row, simulate, None).await?;
            match self.write_local(id, ops::delete_version(id, version, Timestamp::now(), exposed)).await {
                Ok((after, left)) => {
                    let action = if after.item.current_version_id == before { ItemAction::HistoryChanged } else { ItemAction::Updated };
                    self.db.emit_local(self.id, T::NAME, vec![id], action, left);
                    return Ok(());
                }
                Err(StoreError::Conflict) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(StoreError::Conflict.into())
    }

    /// Deletes the old versions of item `id` that `rule` does not keep (never the current one);
    /// returns the deleted versions' ids.
    pub async fn prune<T: Collection>(&self, id: ItemId, rule: Prune) -> Result<Vec<VersionId>> {
        let before = self.row_of(T::NAME, id).await?;
        let (after, left) = self.write_local(id, ops::prune(id, rule, Timestamp::now())).await?;
        let pruned: Vec<VersionId> = after
            .versions
            .iter()
            .filter(|v| !v.is_live() && before.version(v.id).is_some_and(VersionMeta::is_live))
            .map(|v| v.id)
            .collect();
        if !pruned.is_empty() {
            self.db.emit_local(self.id, T::NAME, vec![id], ItemAction::HistoryChanged, left);
        }
        Ok(pruned)
    }
}
