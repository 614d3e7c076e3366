//! The records of a backup file, one JSON object per line (see the [module docs](super)).

use crate::model::{Item, ItemId, Timestamp, VaultMeta, VaultId, Version, VersionId, VersionMeta};
use crate::store::StoredItem;
use serde::{Deserialize, Serialize};

/// The format version this build writes and reads.
pub const BACKUP_VERSION: u32 = 1;

/// The longest line a reader accepts (64 MiB): a longer one is [`BackupError::Corrupt`](super::BackupError).
pub const MAX_LINE: usize = 64 << 20;

/// The first line: what the file is, and the vault as it can be unlocked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BackupHeader {
    /// The format version ([`BACKUP_VERSION`]); the key also says what the file is.
    pub localful_backup: u32,
    /// When the backup was made.
    pub exported_at: Timestamp,
    /// The vault.
    pub vault: BackupVault,
    /// How many item lines follow (for progress; checked at the end).
    pub items: u64,
    /// How many versions those lines hold.
    pub versions: u64,
}

/// The vault of a backup: its id, name and protected (password-wrapped) data key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BackupVault {
    /// The vault's id.
    pub id: VaultId,
    /// Its name (plaintext, as everywhere).
    pub name: String,
    /// Its data key wrapped with the password's unlock key (a `v1:` envelope).
    pub protected_encryption_key: String,
    /// When the vault was created.
    pub created_at: Timestamp,
    /// When it was last changed.
    pub updated_at: Timestamp,
}

impl BackupVault {
    /// The backup's view of `vault`.
    pub fn of(vault: &VaultMeta) -> Self {
        Self {
            id: vault.id,
            name: vault.name.clone(),
            protected_encryption_key: vault.protected_encryption_key.clone(),
            created_at: vault.created_at,
            updated_at: vault.updated_at,
        }
    }

    /// The local-only vault this restores (not synced until the user turns sync on).
    pub fn to_vault(&self) -> VaultMeta {
        VaultMeta {
            id: self.id,
            name: self.name.clone(),
            protected_encryption_key: self.protected_encryption_key.clone(),
            created_at: self.created_at,
            updated_at: self.updated_at,
            deleted_at: None,
            sync_enabled: false,
        }
    }
}

/// One item line: the item (or its tombstone) and every version, each still encrypted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupItem {
    /// The item.
    pub item: BackupItemMeta,
    /// Its versions, deleted ones included (without data).
    pub versions: Vec<BackupVersion>,
}

/// An item's own fields (its data is in its versions; exposed fields are recomputed on import).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BackupItemMeta {
    /// The item's id.
    pub id: ItemId,
    /// Its collection.
    #[serde(rename = "type")]
    pub collection: String,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it was deleted (a tombstone), if it was.
    pub deleted_at: Option<Timestamp>,
}

/// One version: metadata in plaintext (as on the server), data as the `v1:` envelope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BackupVersion {
    /// The version's id.
    pub id: VersionId,
    /// When it was written.
    pub created_at: Timestamp,
    /// The device that wrote it.
    pub device_name: String,
    /// The collection schema version of its data.
    pub schema_version: u32,
    /// The encrypted data; `None` once deleted.
    pub protected_data: Option<String>,
    /// When it was deleted, if it was.
    pub deleted_at: Option<Timestamp>,
}

impl BackupItem {
    /// The line of item row `row`, whose live versions' rows (with data) are among `versions`.
    /// `None` names a live version whose data row is missing.
    pub fn of(row: &StoredItem, versions: &[Version]) -> Result<Self, VersionId> {
        let mut out = Vec::with_capacity(row.versions.len());
        for meta in &row.versions {
            let protected_data = match meta.deleted_at {
                Some(_) => None,
                None => Some(
                    versions
                        .iter()
                        .find(|v| v.id == meta.id)
                        .and_then(|v| v.protected_data.clone())
                        .ok_or(meta.id)?,
                ),
            };
            out.push(BackupVersion::of(meta, protected_data));
        }
        let item = &row.item;
        Ok(Self {
            item: BackupItemMeta {
                id: item.id,
                collection: item.collection.clone(),
                created_at: item.created_at,
                deleted_at: item.deleted_at,
            },
            versions: out,
        })
    }

    /// The item as the store records it in vault `vault` (exposed fields and current version are
    /// worked out on import).
    pub fn to_item(&self, vault: VaultId) -> Item {
        Item {
            id: self.item.id,
            vault_id: vault,
            collection: self.item.collection.clone(),
            created_at: self.item.created_at,
            deleted_at: self.item.deleted_at,
            current_version_id: None,
            exposed: Default::default(),
        }
    }

    /// The versions as the store records them.
    pub fn to_versions(&self) -> impl Iterator<Item = Version> + '_ {
        self.versions.iter().map(|v| Version {
            id: v.id,
            item_id: self.item.id,
            created_at: v.created_at,
            device_name: v.device_name.clone(),
            schema_version: v.schema_version,
            protected_data: v.protected_data.clone(),
            deleted_at: v.deleted_at,
        })
    }
}

impl BackupVersion {
    fn of(meta: &VersionMeta, protected_data: Option<String>) -> Self {
        Self {
            id: meta.id,
            created_at: meta.created_at,
            device_name: meta.device_name.clone(),
            schema_version: meta.schema_version,
            protected_data,
            deleted_at: meta.deleted_at,
        }
    }
}

/// The last line: counts, the SHA-256 of every byte before it, and that digest sealed with the
/// vault's data key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BackupEnd {
    /// Item lines in the file.
    pub items: u64,
    /// Versions in the file.
    pub versions: u64,
    /// Lowercase hex SHA-256 of the file's bytes before this line.
    pub sha256: String,
    /// [`seal_text`] encrypted with the vault's data key (a `v1:` envelope): only the key's holder
    /// can make a file that verifies.
    pub seal: String,
}

/// What the seal encrypts: the format, the vault and the digest.
pub fn seal_text(vault: VaultId, sha256: &str) -> Vec<u8> {
    format!("localful-backup:{BACKUP_VERSION}:{vault}:{sha256}").into_bytes()
}

/// A line of the file, as parsed.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub(crate) enum Line {
    /// The last line.
    End {
        /// Its content.
        end: BackupEnd,
    },
    /// An item line.
    Item(BackupItem),
}
