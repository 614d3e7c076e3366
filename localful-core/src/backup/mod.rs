//! Encrypted backups of a vault, made and restored without a server.
//!
//! A backup is one file holding a vault as the server would see it — its name, its protected
//! (password-wrapped) data key, every item and version with the data still encrypted, tombstones —
//! and nothing more in plaintext (exposed fields are recomputed on restore). Restoring it on
//! another browser or device needs only the file and the vault's password.
//!
//! # Format, version 1
//! UTF-8 text, one JSON object per line (NDJSON), each line ending with `\n`, written and read in
//! chunks (no whole-vault string in memory):
//!
//! 1. **header**: `{"localfulBackup":1,"exportedAt":"<RFC 3339>","vault":{"id","name",
//!    "protectedEncryptionKey","createdAt","updatedAt"},"items":N,"versions":M}`
//! 2. **one line per item**: `{"item":{"id","type","createdAt","deletedAt"},"versions":[{"id",
//!    "createdAt","deviceName","schemaVersion","protectedData","deletedAt"}, …]}` — deleted versions
//!    (and every version of a tombstone) have `"protectedData":null`.
//! 3. **end**: `{"end":{"items":N,"versions":M,"sha256":"<hex>","seal":"v1:…"}}` — `sha256` is the
//!    SHA-256 of every byte before this line; `seal` is the text
//!    `localful-backup:1:<vault id>:<sha256>` encrypted with the vault's data key (an envelope of
//!    the SPEC's encryption v1), so only the key's holder can make a file that verifies.
//!
//! Field names and timestamps are those of the server's API. Readers refuse unknown fields.
//!
//! # Integrity
//! A restore reads the file twice. The first pass ([`Database::verify_backup`](crate::Database::verify_backup))
//! writes nothing: a changed byte ([`BackupError::DigestMismatch`] or [`BackupError::Corrupt`]), a
//! cut ([`BackupError::Truncated`]), another kind of file ([`BackupError::NotABackup`]) or a newer
//! format ([`BackupError::UnsupportedVersion`]) is refused there. Then the seal is opened with the
//! vault's key ([`BackupError::SealInvalid`]), and the second pass
//! ([`Database::restore_backup`](crate::Database::restore_backup)) writes the items in batches,
//! each whole, merging by version id with the sync rules (last write wins, tombstones win), and
//! queueing for sync what was new on this device. A second restore of the same file is a no-op.
//!
//! # Example
//! ```
//! # futures::executor::block_on(async {
//! use localful_core::backup::BackupError;
//! use localful_core::*;
//! use std::rc::Rc;
//! # #[derive(serde::Serialize, serde::Deserialize)] struct Note { title: String }
//! # impl Collection for Note { const NAME: &'static str = "notes"; }
//! let (key, protected) = crypto::create_protected_key_with(crypto::DefaultBackend::default(), "pw", crypto::MIN_ITERATIONS).await?;
//! let db = Database::new(Rc::new(MemoryStore::new()), Schema::new().with::<Note>(), EventBus::local(), "laptop");
//! let vault = db.create_vault("Personal", &protected).await?;
//! let vault = db.open_vault(vault.id, Rc::new(key)).await?;
//! vault.create(&Note { title: "hello".into() }).await?;
//!
//! // Export: each line goes wherever the app writes the file (a Blob in the browser).
//! let mut file = Vec::new();
//! vault.export_backup(|line| Ok(file.extend_from_slice(line.as_bytes())), |_| {}).await?;
//!
//! // Restore on another device: check the file, unlock its key with the password, merge.
//! let other = Database::new(Rc::new(MemoryStore::new()), Schema::new().with::<Note>(), EventBus::local(), "phone");
//! let chunks = || futures::stream::iter(file.chunks(4096).map(|c| Ok::<_, BackupError>(c.to_vec())));
//! let summary = Database::verify_backup(chunks(), |_| {}).await?;
//! let key = crypto::unlock(&summary.header.vault.protected_encryption_key, "pw").await?;
//! let report = other.restore_backup(&summary, Rc::new(key), chunks(), |_| {}).await?;
//! assert_eq!(report.items_added, 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```

mod error;
mod format;
mod reader;
mod writer;

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
pub use browser::{BlobSink, MIME, blob_chunks};

pub use error::BackupError;
pub use format::{
    BACKUP_VERSION, BackupEnd, BackupHeader, BackupItem, BackupItemMeta, BackupVault,
    BackupVersion, MAX_LINE, seal_text,
};
pub use reader::{BackupReader, BackupRecord, BackupSummary};
pub use writer::BackupWriter;

/// How far an export, a verification or a restore is: `done` of `total` items.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BackupProgress {
    /// Items done.
    pub done: u64,
    /// Items in the vault or file.
    pub total: u64,
}

/// What a restore did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Items this device did not have.
    pub items_added: u64,
    /// Items it had, changed by the backup (new versions, deletions).
    pub items_updated: u64,
    /// Items it had as the backup has them.
    pub items_unchanged: u64,
    /// Versions this device did not have.
    pub versions_added: u64,
}

impl ImportReport {
    /// Whether the restore changed nothing (everything was already here).
    pub fn is_noop(&self) -> bool {
        self.items_added == 0 && self.items_updated == 0 && self.versions_added == 0
    }
}
