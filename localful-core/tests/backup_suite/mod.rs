//! The backup behaviour suite, run on the memory store natively (`backup_native`) and on
#![allow(unreachable_pub, dead_code)]
//! IndexedDB in headless Chromium (`backup_browser`).

use localful_core::backup::{BackupError, BackupProgress};
use localful_core::crypto::{self, DefaultBackend, MIN_ITERATIONS};
use localful_core::{
    Collection, Database, EventBus, ExposedField, ItemId, Query, Schema, Store, StoredItem,
    VaultHandle,
};
use serde::{Deserialize, Serialize};
use std::rc::Rc;

pub const PASSWORD: &str = "correct horse battery staple";

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Note {
    pub title: String,
    pub body: String,
}

impl Collection for Note {
    const NAME: &'static str = "notes";
    fn exposed_fields() -> Vec<ExposedField> {
        vec![ExposedField::indexed("title")]
    }
}

pub fn database(store: Rc<dyn Store>, device: &str) -> Database {
    Database::new(
        store,
        Schema::new().with::<Note>(),
        EventBus::local(),
        device,
    )
}

/// A vault with `items` notes of `versions` versions each, one of them deleted (a tombstone) and
/// one with a deleted version when there are enough.
pub async fn filled(db: &Database, items: usize, versions: usize) -> VaultHandle {
    let (key, protected) =
        crypto::create_protected_key_with(DefaultBackend::default(), PASSWORD, MIN_ITERATIONS)
            .await
            .unwrap();
    let vault = db.create_vault("Personal", &protected).await.unwrap();
    let vault = db.open_vault(vault.id, Rc::new(key)).await.unwrap();
    let notes: Vec<Note> = (0..items)
        .map(|i| Note {
            title: format!("note {i}"),
            body: "v0".into(),
        })
        .collect();
    let ids = vault.create_many(&notes).await.unwrap();
    for v in 1..versions {
        for (i, id) in ids.iter().enumerate() {
            vault
                .update(
                    *id,
                    &Note {
                        title: format!("note {i}"),
                        body: format!("v{v}"),
                    },
                )
                .await
                .unwrap();
        }
    }
    if items > 2 {
        vault.delete::<Note>(ids[0]).await.unwrap();
        let history = vault.history::<Note>(ids[1]).await.unwrap();
        if history.len() > 1 {
            vault
                .delete_version::<Note>(ids[1], history.last().unwrap().id)
                .await
                .unwrap();
        }
    }
    vault
}

/// The file of `vault`'s backup, and the progress reports it made.
pub async fn export(vault: &VaultHandle) -> (Vec<u8>, Vec<BackupProgress>) {
    let mut file = Vec::new();
    let mut progress = Vec::new();
    vault
        .export_backup(
            |line| {
                file.extend_from_slice(line.as_bytes());
                Ok(())
            },
            |p| progress.push(p),
        )
        .await
        .unwrap();
    (file, progress)
}

pub fn chunks(
    file: &[u8],
    size: usize,
) -> impl futures::Stream<Item = Result<Vec<u8>, BackupError>> + use<> {
    let parts: Vec<_> = file.chunks(size).map(|c| Ok(c.to_vec())).collect();
    futures::stream::iter(parts)
}

/// Verifies, unlocks with the password and restores `file` into `db`.
pub async fn restore(
    db: &Database,
    file: &[u8],
) -> Result<localful_core::backup::ImportReport, BackupError> {
    let summary = Database::verify_backup(chunks(file, 64 * 1024), |_| {}).await?;
    let key = crypto::unlock(&summary.header.vault.protected_encryption_key, PASSWORD).await?;
    db.restore_backup(&summary, Rc::new(key), chunks(file, 64 * 1024), |_| {})
        .await
}

/// Every item row of the vault, sorted: what a user could see of it (history included).
pub async fn rows(db: &Database, vault: localful_core::VaultId) -> Vec<StoredItem> {
    let mut rows = db.store().all_items(vault).await.unwrap();
    for row in &mut rows {
        row.outbox.clear(); // what is pending differs by device
        if !row.item.is_live() {
            row.exposed_by.clear(); // a tombstone has no exposed fields to have computed
        }
        row.versions.sort_by_key(|v| v.id);
    }
    rows.sort_by_key(|r| r.item.id);
    rows
}

/// The number of item rows and live version rows with data.
pub async fn counts(db: &Database, vault: localful_core::VaultId) -> (usize, usize) {
    let rows = db.store().all_items(vault).await.unwrap_or_default();
    let keys: Vec<_> = rows
        .iter()
        .flat_map(|r| {
            r.versions
                .iter()
                .filter(|v| v.is_live())
                .map(|v| (r.item.id, v.id))
        })
        .collect();
    let versions = db
        .store()
        .get_versions(vault, &keys)
        .await
        .unwrap_or_default();
    (rows.len(), versions.len())
}

/// A restore into an empty device gives the same items, versions and history, and the vault
/// unlocks there with the same password; a second restore is a no-op.
pub async fn round_trip(
    source: Rc<dyn Store>,
    target: Rc<dyn Store>,
    items: usize,
    versions: usize,
) {
    let a = database(source, "laptop");
    let vault = filled(&a, items, versions).await;
    let (file, progress) = export(&vault).await;
    assert_eq!(
        progress.last(),
        Some(&BackupProgress {
            done: items as u64,
            total: items as u64
        })
    );

    let b = database(target, "phone");
    let report = restore(&b, &file).await.unwrap();
    assert_eq!(report.items_added, items as u64);
    assert_eq!(report.versions_added, (items * versions) as u64);
    assert_eq!(
        rows(&b, vault.id()).await,
        rows(&a, vault.id()).await,
        "same items, versions, history and exposed fields"
    );

    // The vault is there, and unlocks with the same password.
    let meta = b.vault(vault.id()).await.unwrap();
    assert_eq!(meta.name, "Personal");
    assert!(!meta.sync_enabled, "restored as a local vault");
    let key = crypto::unlock(&meta.protected_encryption_key, PASSWORD)
        .await
        .unwrap();
    let opened = b.open_vault(vault.id(), Rc::new(key)).await.unwrap();
    let page = opened.query::<Note>(&Query::new()).await.unwrap();
    assert_eq!(
        page.entries.len(),
        items.saturating_sub(if items > 2 { 1 } else { 0 })
    );
    let last = format!("v{}", versions - 1);
    assert!(
        page.entries.iter().all(|e| e.data.body == last),
        "current versions restored"
    );

    // What was restored is queued for sync like any local change.
    let pending = localful_core::Replica::of(&opened).outbox().await.unwrap();
    assert!(!pending.is_empty());

    let again = restore(&b, &file).await.unwrap();
    assert!(again.is_noop(), "{again:?}");
    assert_eq!(again.items_unchanged, items as u64);
    assert_eq!(rows(&b, vault.id()).await, rows(&a, vault.id()).await);
}

/// A file with a changed byte, or cut short, is refused before anything is written.
pub async fn damaged_files_write_nothing(target: Rc<dyn Store>) {
    let a = database(Rc::new(localful_core::MemoryStore::new()), "laptop");
    let vault = filled(&a, 20, 2).await;
    let (file, _) = export(&vault).await;
    let b = database(target, "phone");
    let step = (file.len() / 97).max(1);
    for at in (0..file.len()).step_by(step) {
        let mut bad = file.clone();
        bad[at] ^= 0x01;
        let err = restore(&b, &bad).await.unwrap_err();
        assert!(
            matches!(
                err,
                BackupError::DigestMismatch
                    | BackupError::Corrupt { .. }
                    | BackupError::NotABackup
                    | BackupError::Truncated
                    | BackupError::SealInvalid
            ),
            "byte {at}: {err:?}"
        );
        assert!(!err.to_string().contains("Corrupt {"), "plain words: {err}");
    }
    for cut in [1, file.len() / 3, file.len() - 2, file.len() - 1] {
        let err = restore(&b, &file[..cut]).await.unwrap_err();
        assert!(
            matches!(
                err,
                BackupError::Truncated | BackupError::NotABackup | BackupError::Corrupt { .. }
            ),
            "cut {cut}: {err:?}"
        );
    }
    assert!(
        b.list_vaults().await.unwrap().is_empty(),
        "nothing was written"
    );
    assert_eq!(counts(&b, vault.id()).await, (0, 0));
}

/// Restoring into a vault that holds part of the backup, and changes of its own, merges by version
/// id: every version of both is kept.
pub async fn merges_into_a_vault_that_has_part_of_it(store: Rc<dyn Store>) {
    let a = database(store, "laptop");
    let vault = filled(&a, 10, 2).await;
    let (file, _) = export(&vault).await;
    // After the backup: a new note, and a new version of an old one.
    let added = vault
        .create(&Note {
            title: "after".into(),
            body: "new".into(),
        })
        .await
        .unwrap();
    let some: ItemId = rows(&a, vault.id())
        .await
        .iter()
        // An old one: not the note just added (rows come in id order, so it may be first).
        .find(|r| r.is_visible() && r.item.id != added)
        .unwrap()
        .item
        .id;
    vault
        .update(
            some,
            &Note {
                title: "changed".into(),
                body: "later".into(),
            },
        )
        .await
        .unwrap();
    let before = rows(&a, vault.id()).await;

    let report = restore(&a, &file).await.unwrap();
    assert!(
        report.is_noop(),
        "everything in the file is here already: {report:?}"
    );
    assert_eq!(rows(&a, vault.id()).await, before, "nothing lost");
    assert_eq!(vault.get::<Note>(added).await.unwrap().data.body, "new");
    assert_eq!(
        vault.get::<Note>(some).await.unwrap().data.title,
        "changed",
        "the later version stays current"
    );
}

/// The same file restored into a device that has an older part of the vault adds what it lacks.
pub async fn adds_what_a_device_lacks(source: Rc<dyn Store>, target: Rc<dyn Store>) {
    let a = database(source, "laptop");
    let vault = filled(&a, 6, 1).await;
    let (first, _) = export(&vault).await;
    let b = database(target, "phone");
    restore(&b, &first).await.unwrap();
    // More on the first device, then a second backup.
    let more = vault
        .create(&Note {
            title: "more".into(),
            body: "x".into(),
        })
        .await
        .unwrap();
    let some = rows(&a, vault.id())
        .await
        .iter()
        .find(|r| r.is_visible() && r.item.id != more)
        .unwrap()
        .item
        .id;
    vault
        .update(
            some,
            &Note {
                title: "edited".into(),
                body: "y".into(),
            },
        )
        .await
        .unwrap();
    let (second, _) = export(&vault).await;
    let report = restore(&b, &second).await.unwrap();
    assert_eq!(
        (
            report.items_added,
            report.items_updated,
            report.versions_added
        ),
        (1, 1, 2),
        "{report:?}"
    );
    assert_eq!(rows(&b, vault.id()).await, rows(&a, vault.id()).await);
}

/// A file sealed with another vault's key is refused (before anything is written).
pub async fn another_key_is_refused(target: Rc<dyn Store>) {
    let a = database(Rc::new(localful_core::MemoryStore::new()), "laptop");
    let vault = filled(&a, 3, 1).await;
    let (file, _) = export(&vault).await;
    let b = database(target, "phone");
    let summary = Database::verify_backup(chunks(&file, 1000), |_| {})
        .await
        .unwrap();
    let other = crypto::VaultKey::generate().await.unwrap();
    let err = b
        .restore_backup(&summary, Rc::new(other), chunks(&file, 1000), |_| {})
        .await
        .unwrap_err();
    assert_eq!(err, BackupError::SealInvalid);
    assert!(b.list_vaults().await.unwrap().is_empty());
}
