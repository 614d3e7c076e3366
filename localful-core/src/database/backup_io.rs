//! Backups of a vault: export through an open [`VaultHandle`], verify and restore through the
//! [`Database`] (the format and its checks are the pure [`crate::backup`]).

use super::remote_batch::page_events;
use super::remote_change::Remote;
use super::remote_merge::{Page, merge_page};
use super::{Database, Replica, VaultHandle};
use crate::backup::{
    BackupError, BackupItem, BackupProgress, BackupReader, BackupRecord, BackupSummary,
    BackupWriter, ImportReport, seal_text,
};
use crate::crypto::Cipher;
use crate::events::{ChangeEvent, VaultAction};
use crate::model::{ItemId, Timestamp};
use crate::store::{Merge, OutboxEntry, StoreError, StoredItem, pending_of};
use futures::{Stream, StreamExt};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// Items per store transaction when exporting or importing.
const BATCH: usize = 250;

/// The outbox entries a restore adds to `after` (the row it writes) for what `before` (the row it
/// read) lacked: the item if new or newly deleted, each version new or newly deleted. What the
/// server lacks of a synced vault then reaches it like any local change.
pub(crate) fn requeue(before: Option<&StoredItem>, after: &mut StoredItem) {
    let id = after.item.id;
    if before.is_none_or(|b| b.item.deleted_at != after.item.deleted_at) {
        after.push_outbox(OutboxEntry::Item(id));
    }
    let changed: Vec<_> = after
        .versions
        .iter()
        .filter(|v| {
            before
                .and_then(|b| b.version(v.id))
                .is_none_or(|old| old.deleted_at != v.deleted_at)
        })
        .map(|v| v.id)
        .collect();
    for v in changed {
        after.push_outbox(OutboxEntry::Version(id, v));
    }
}

/// Adds what a batch did (`before`, `after` per item; `None` after: left as it was) to `report`.
fn count(report: &mut ImportReport, before: Option<&StoredItem>, after: Option<&StoredItem>) {
    let Some(after) = after else {
        report.items_unchanged += 1;
        return;
    };
    let new_versions = after
        .versions
        .iter()
        .filter(|v| before.and_then(|b| b.version(v.id)).is_none())
        .count();
    report.versions_added += new_versions as u64;
    match before {
        None => report.items_added += 1,
        Some(b) if b == after => report.items_unchanged += 1,
        Some(_) => report.items_updated += 1,
    }
}

impl VaultHandle {
    /// Writes this vault's backup: `sink` gets the file's lines in order (each ends with `\n`; in
    /// the browser, [`backup::BlobSink`](crate::backup) makes a `Blob` of them), and `progress`
    /// is told after each batch of items. Item rows are read in batches, so the vault is never
    /// held in memory as one string.
    pub async fn export_backup(
        &self,
        mut sink: impl FnMut(String) -> Result<(), BackupError>,
        mut progress: impl FnMut(BackupProgress),
    ) -> Result<(), BackupError> {
        let vault = self.db.vault(self.id).await?;
        let rows = self.store().all_items(self.id).await?;
        let versions: u64 = rows.iter().map(|r| r.versions.len() as u64).sum();
        let total = rows.len() as u64;
        let (mut writer, header) = BackupWriter::start(&vault, total, versions, Timestamp::now());
        sink(header)?;
        let mut done = 0;
        for batch in rows.chunks(BATCH) {
            let keys: Vec<_> = batch
                .iter()
                .flat_map(|r| {
                    r.versions
                        .iter()
                        .filter(|v| v.is_live())
                        .map(|v| (r.item.id, v.id))
                })
                .collect();
            let data = self.store().get_versions(self.id, &keys).await?;
            for row in batch {
                let item = BackupItem::of(row, &data).map_err(StoreError::VersionNotFound)?;
                sink(writer.item(&item))?;
            }
            done += batch.len() as u64;
            progress(BackupProgress { done, total });
        }
        let digest = writer.digest();
        let seal = self.cipher().encrypt(&seal_text(self.id, &digest)).await?;
        sink(writer.end(seal))
    }

    /// Merges one batch of backup items into this vault in one store transaction (the same rules
    /// as applying server changes: versions by id, last write wins, tombstones win), queueing for
    /// push what was new here.
    async fn import_items(
        &self,
        items: Vec<BackupItem>,
        report: &mut ImportReport,
    ) -> Result<(), BackupError> {
        let remotes: Vec<Remote> = items
            .iter()
            .flat_map(|i| {
                std::iter::once(Remote::Item(i.to_item(self.id)))
                    .chain(i.to_versions().map(Remote::Version))
            })
            .collect();
        let page = Page::of(remotes.clone());
        let mut data: HashMap<_, Value> = HashMap::new();
        for version in items.iter().flat_map(|i| i.to_versions()) {
            let (Some(envelope), None) = (&version.protected_data, version.deleted_at) else {
                continue;
            };
            let bytes = self.cipher().decrypt(envelope).await?;
            let value = serde_json::from_slice(&bytes).map_err(|e| BackupError::Corrupt {
                line: 0,
                reason: format!("version {}: {e}", version.id),
            })?;
            data.insert(version.id, value);
        }
        let schema = self.db.schema();
        let merge: Merge<'_> = Box::new(|rows| {
            let mut writes = merge_page(schema, &page, rows, data)?;
            for (row, write) in rows.iter().zip(writes.iter_mut()) {
                if let Some(write) = write {
                    requeue(row.as_ref(), &mut write.item);
                }
            }
            Ok(writes)
        });
        match self.store().merge_items(self.id, &page.ids, merge).await {
            Ok(merged) => {
                for m in &merged {
                    count(report, m.before.as_ref(), m.after.as_ref());
                }
                let pending: Vec<_> = merged
                    .iter()
                    .filter_map(|m| m.after.as_ref())
                    .flat_map(pending_of)
                    .collect();
                for (collection, action, ids) in
                    page_events(merged.into_iter().map(|m| (m.before, m.after)))
                {
                    let pending = pending
                        .iter()
                        .filter(|p| ids.contains(&p.item()))
                        .cloned()
                        .collect();
                    self.db
                        .emit_local(self.id, &collection, ids, action, pending);
                }
                Ok(())
            }
            // What needs more than the batch (a stored version becoming current, a collection
            // this app does not know): item by item, awaiting what each needs.
            Err(StoreError::Conflict) => self.import_one_by_one(items, report).await,
            Err(e) => Err(e.into()),
        }
    }

    async fn import_one_by_one(
        &self,
        items: Vec<BackupItem>,
        report: &mut ImportReport,
    ) -> Result<(), BackupError> {
        let replica = Replica::of(self);
        let mut requeued: BTreeMap<ItemId, StoredItem> = BTreeMap::new();
        for item in items {
            let id = item.item.id;
            let before = self.store().get_item(self.id, id).await?;
            replica.apply_remote_item(item.to_item(self.id)).await?;
            for version in item.to_versions() {
                replica.apply_remote_version(version).await?;
            }
            let after = self.store().get_item(self.id, id).await?;
            let changed = after.as_ref().filter(|a| before.as_ref() != Some(*a));
            count(report, before.as_ref(), changed);
            if let Some(mut after) = changed.cloned() {
                requeue(before.as_ref(), &mut after);
                requeued.insert(id, after);
            }
        }
        replica
            .edit_outboxes(requeued, |row, wanted: StoredItem| {
                wanted.outbox.into_iter().for_each(|e| row.push_outbox(e))
            })
            .await?;
        Ok(())
    }
}

impl Database {
    /// Reads a backup file through once, checking every line, the counts and the digest,
    /// writing nothing: the first pass of a restore. `chunks` is the file in pieces of any size
    /// (in the browser, [`backup::blob_chunks`](crate::backup)); `progress` is told every
    /// 250 items. A file with a changed byte, cut short or of another kind is refused here
    /// with its [`BackupError`].
    pub async fn verify_backup<S>(
        chunks: S,
        mut progress: impl FnMut(BackupProgress),
    ) -> Result<BackupSummary, BackupError>
    where
        S: Stream<Item = Result<Vec<u8>, BackupError>>,
    {
        let mut reader = BackupReader::new();
        let mut total = 0;
        let mut chunks = std::pin::pin!(chunks);
        while let Some(chunk) = chunks.next().await {
            for record in reader.feed(&chunk?)? {
                match record {
                    BackupRecord::Header(header) => total = header.items,
                    BackupRecord::Item(_) if reader.items_read().is_multiple_of(BATCH as u64) => {
                        progress(BackupProgress {
                            done: reader.items_read(),
                            total,
                        })
                    }
                    BackupRecord::Item(_) => {}
                }
            }
        }
        let summary = reader.finish()?;
        progress(BackupProgress { done: total, total });
        Ok(summary)
    }

    /// Checks that `summary`'s digest was sealed with `cipher`'s key (the vault's data key):
    /// [`BackupError::SealInvalid`] otherwise.
    pub async fn check_backup_seal(
        summary: &BackupSummary,
        cipher: &dyn Cipher,
    ) -> Result<(), BackupError> {
        let opened = cipher
            .decrypt(&summary.end.seal)
            .await
            .map_err(|_| BackupError::SealInvalid)?;
        match opened == seal_text(summary.header.vault.id, &summary.end.sha256) {
            true => Ok(()),
            false => Err(BackupError::SealInvalid),
        }
    }

    /// Restores a backup verified by [`verify_backup`](Self::verify_backup) (`summary`) from the
    /// same file read again (`chunks`), with the vault's data key `cipher` (from the vault's
    /// session, or [`crypto::unlock`](crate::crypto::unlock) of the header's protected key with
    /// the password). The vault is created (local only) when this device does not have it;
    /// otherwise the backup is merged into it by version id: nothing here is lost, what is new is
    /// added and queued for sync, and a second restore of the same file changes nothing.
    ///
    /// Items are written in batches, each whole or not at all. If the file differs from the one
    /// verified (it changed between the reads), the restore stops with the error, having written
    /// the whole items before it: restoring a good copy completes it.
    pub async fn restore_backup<S>(
        &self,
        summary: &BackupSummary,
        cipher: Rc<dyn Cipher>,
        chunks: S,
        mut progress: impl FnMut(BackupProgress),
    ) -> Result<ImportReport, BackupError>
    where
        S: Stream<Item = Result<Vec<u8>, BackupError>>,
    {
        Self::check_backup_seal(summary, cipher.as_ref()).await?;
        let id = summary.header.vault.id;
        match self.store().get_vault(id).await? {
            Some(v) if v.deleted_at.is_none() => {}
            Some(_) => return Err(StoreError::VaultNotFound(id).into()),
            None => {
                self.store()
                    .create_vault(summary.header.vault.to_vault())
                    .await?;
                self.events().emit(&ChangeEvent::Vault {
                    vault: id,
                    action: VaultAction::Created,
                });
            }
        }
        let vault = self.open_vault(id, cipher).await?;
        let mut report = ImportReport::default();
        let mut reader = BackupReader::new();
        let mut batch = Vec::with_capacity(BATCH);
        let total = summary.header.items;
        let mut chunks = std::pin::pin!(chunks);
        while let Some(chunk) = chunks.next().await {
            for record in reader.feed(&chunk?)? {
                match record {
                    BackupRecord::Header(header) if header != summary.header => {
                        return Err(BackupError::DigestMismatch);
                    }
                    BackupRecord::Header(_) => {}
                    BackupRecord::Item(item) => batch.push(item),
                }
                if batch.len() == BATCH {
                    vault
                        .import_items(std::mem::take(&mut batch), &mut report)
                        .await?;
                    progress(BackupProgress {
                        done: reader.items_read(),
                        total,
                    });
                }
            }
        }
        if !batch.is_empty() {
            vault.import_items(batch, &mut report).await?;
        }
        if reader.finish()? != *summary {
            return Err(BackupError::DigestMismatch);
        }
        progress(BackupProgress { done: total, total });
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::model::{Item, VaultId, VersionId, VersionMeta};

    fn row(id: ItemId, versions: &[(VersionId, bool)], deleted: bool) -> StoredItem {
        let at = Timestamp::from_unix_millis(1_000).unwrap();
        let meta = |(id, live): &(VersionId, bool)| VersionMeta {
            id: *id,
            created_at: at,
            device_name: "d".into(),
            schema_version: 1,
            deleted_at: (!live).then_some(at),
        };
        StoredItem {
            item: Item {
                id,
                vault_id: VaultId::new(),
                collection: "notes".into(),
                created_at: at,
                deleted_at: deleted.then_some(at),
                current_version_id: None,
                exposed: Default::default(),
            },
            versions: versions.iter().map(meta).collect(),
            outbox: Vec::new(),
            exposed_by: String::new(),
        }
    }

    #[test]
    fn what_the_restore_brought_is_queued_for_push() {
        let (a, b, c) = (VersionId::new(), VersionId::new(), VersionId::new());
        let id = ItemId::new();
        // A new item: the item and every version.
        let mut new = row(id, &[(a, true), (b, false)], false);
        requeue(None, &mut new);
        assert_eq!(
            new.outbox,
            [
                OutboxEntry::Item(id),
                OutboxEntry::Version(id, a),
                OutboxEntry::Version(id, b)
            ]
        );
        // Known item: only the new version and the new deletion.
        let before = row(id, &[(a, true), (b, true)], false);
        let mut after = row(id, &[(a, true), (b, false), (c, true)], false);
        requeue(Some(&before), &mut after);
        assert_eq!(
            after.outbox,
            [OutboxEntry::Version(id, b), OutboxEntry::Version(id, c)]
        );
        // Nothing new: nothing queued.
        let mut same = before.clone();
        requeue(Some(&before), &mut same);
        assert!(same.outbox.is_empty());
    }
}
