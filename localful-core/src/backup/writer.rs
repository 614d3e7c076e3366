//! Writing a backup file line by line (pure: the caller reads the store and seals the digest).

use super::format::{BACKUP_VERSION, BackupEnd, BackupHeader, BackupItem, BackupVault};
use crate::model::{Timestamp, VaultMeta};
use sha2::{Digest, Sha256};

/// Makes the lines of a backup file and the digest of what it made. Each method returns a whole
/// line, `\n` included, to append to the file as it is.
#[derive(Debug)]
pub struct BackupWriter {
    hasher: Sha256,
    items: u64,
    versions: u64,
}

/// `bytes` as lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl BackupWriter {
    /// A writer, and the header line for `vault` holding `items` item lines with `versions`
    /// versions in all.
    pub fn start(
        vault: &VaultMeta,
        items: u64,
        versions: u64,
        exported_at: Timestamp,
    ) -> (Self, String) {
        let header = BackupHeader {
            localful_backup: BACKUP_VERSION,
            exported_at,
            vault: BackupVault::of(vault),
            items,
            versions,
        };
        let mut writer = Self {
            hasher: Sha256::new(),
            items: 0,
            versions: 0,
        };
        let line = writer.line(&header);
        (writer, line)
    }

    fn line<T: serde::Serialize>(&mut self, value: &T) -> String {
        // Serialising these plain structs cannot fail (string keys, no maps of other keys).
        let mut line = serde_json::to_string(value).unwrap_or_default();
        line.push('\n');
        self.hasher.update(line.as_bytes());
        line
    }

    /// The line of `item`.
    pub fn item(&mut self, item: &BackupItem) -> String {
        self.items += 1;
        self.versions += item.versions.len() as u64;
        self.line(item)
    }

    /// The hex SHA-256 of every line so far: what the caller seals
    /// ([`seal_text`](super::seal_text)) before [`end`](Self::end).
    pub fn digest(&self) -> String {
        hex(&self.hasher.clone().finalize())
    }

    /// The last line, with `seal` (the sealed [`digest`](Self::digest)).
    pub fn end(self, seal: String) -> String {
        let end = BackupEnd {
            items: self.items,
            versions: self.versions,
            sha256: self.digest(),
            seal,
        };
        #[derive(serde::Serialize)]
        struct EndLine {
            end: BackupEnd,
        }
        let mut line = serde_json::to_string(&EndLine { end }).unwrap_or_default();
        line.push('\n');
        line
    }
}
