//! Backups on IndexedDB in headless Chromium: a vault of 1 000 items × 3 versions exported to a
//! `Blob` and restored from it into fresh databases (a fresh profile), a second restore, and a file
//! with one flipped byte.
#![cfg(target_arch = "wasm32")]
#![allow(missing_docs, clippy::unwrap_used)]

mod backup_suite;

use backup_suite::*;
use localful_core::backup::{BackupError, BackupProgress, BlobSink, blob_chunks};
use localful_core::{Database, IndexedDbStore, ItemId, Query, Store, crypto};
use std::rc::Rc;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn fresh(name: &str) -> Rc<dyn Store> {
    Rc::new(IndexedDbStore::new(format!(
        "localful-backup-{name}-{}",
        ItemId::new()
    )))
}

/// `vault`'s backup as a `Blob` made of parts.
async fn export_blob(vault: &localful_core::VaultHandle) -> (web_sys::Blob, Vec<BackupProgress>) {
    let mut sink = BlobSink::new();
    let mut progress = Vec::new();
    vault
        .export_backup(|line| sink.push(line), |p| progress.push(p))
        .await
        .unwrap();
    (sink.finish().unwrap(), progress)
}

async fn blob_bytes(blob: &web_sys::Blob) -> Vec<u8> {
    let buffer = wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
        .await
        .unwrap();
    js_sys::Uint8Array::new(&buffer).to_vec()
}

async fn restore_blob(
    db: &Database,
    blob: &web_sys::Blob,
) -> Result<localful_core::backup::ImportReport, BackupError> {
    let summary = Database::verify_backup(blob_chunks(blob), |_| {}).await?;
    let key = crypto::unlock(&summary.header.vault.protected_encryption_key, PASSWORD).await?;
    db.restore_backup(&summary, Rc::new(key), blob_chunks(blob), |_| {})
        .await
}

#[wasm_bindgen_test]
async fn a_thousand_items_of_three_versions_restore_into_a_fresh_profile() {
    let a = database(fresh("a"), "laptop");
    let vault = filled(&a, 1_000, 3).await;
    let (blob, progress) = export_blob(&vault).await;
    assert_eq!(
        progress.last(),
        Some(&BackupProgress {
            done: 1_000,
            total: 1_000
        })
    );
    assert!(progress.len() > 1, "progress along the way: {progress:?}");

    let b = database(fresh("b"), "phone");
    let mut seen = Vec::new();
    let summary = Database::verify_backup(blob_chunks(&blob), |p| seen.push(p))
        .await
        .unwrap();
    assert_eq!(
        (summary.header.items, summary.header.versions),
        (1_000, 3_000)
    );
    let key = crypto::unlock(&summary.header.vault.protected_encryption_key, PASSWORD)
        .await
        .unwrap();
    let report = b
        .restore_backup(&summary, Rc::new(key), blob_chunks(&blob), |p| seen.push(p))
        .await
        .unwrap();
    assert_eq!((report.items_added, report.versions_added), (1_000, 3_000));
    assert!(
        seen.len() > 2,
        "verification and restore report progress: {seen:?}"
    );

    assert_eq!(
        rows(&b, vault.id()).await,
        rows(&a, vault.id()).await,
        "same items, versions and history"
    );
    assert_eq!(counts(&b, vault.id()).await, counts(&a, vault.id()).await);

    // It unlocks with the same password, and queries (exposed, indexed title) work.
    let meta = b.vault(vault.id()).await.unwrap();
    let key = crypto::unlock(&meta.protected_encryption_key, PASSWORD)
        .await
        .unwrap();
    let opened = b.open_vault(vault.id(), Rc::new(key)).await.unwrap();
    let found = opened
        .query::<Note>(&Query::new().filter(
            localful_core::Field::data("title"),
            localful_core::Op::Equal,
            "note 500",
        ))
        .await
        .unwrap();
    assert_eq!(found.entries.len(), 1);
    assert_eq!(found.entries[0].data.body, "v2");
    assert_eq!(
        found.stats.index.as_deref(),
        Some("title"),
        "the restored rows are indexed"
    );

    // A second restore changes nothing.
    let before = counts(&b, vault.id()).await;
    let again = restore_blob(&b, &blob).await.unwrap();
    assert!(again.is_noop(), "{again:?}");
    assert_eq!(counts(&b, vault.id()).await, before);

    // One flipped byte: refused, and no row is written or changed.
    let mut bytes = blob_bytes(&blob).await;
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&bytes[..]));
    let bad = web_sys::Blob::new_with_u8_array_sequence(&parts).unwrap();
    let c = database(fresh("c"), "tablet");
    assert!(matches!(
        restore_blob(&c, &bad).await.unwrap_err(),
        BackupError::DigestMismatch | BackupError::Corrupt { .. }
    ));
    assert!(
        c.list_vaults().await.unwrap().is_empty(),
        "no vault created"
    );
    let rows_before = rows(&b, vault.id()).await;
    assert!(matches!(
        restore_blob(&b, &bad).await.unwrap_err(),
        BackupError::DigestMismatch | BackupError::Corrupt { .. }
    ));
    assert_eq!(rows(&b, vault.id()).await, rows_before, "rows unchanged");
    assert_eq!(counts(&b, vault.id()).await, before);
}

#[wasm_bindgen_test]
async fn restoring_into_a_vault_that_has_part_of_it_loses_nothing() {
    merges_into_a_vault_that_has_part_of_it(fresh("merge")).await;
}

#[wasm_bindgen_test]
async fn a_second_backup_adds_what_the_device_lacks() {
    adds_what_a_device_lacks(fresh("a2"), fresh("b2")).await;
}
