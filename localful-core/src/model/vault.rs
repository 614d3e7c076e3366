//! A vault: one encrypted database of items.

use super::{Timestamp, VaultId};
use serde::{Deserialize, Serialize};

/// A vault (SPEC: "Data model"). Its name is plaintext; its data key is stored wrapped
/// (`protected_encryption_key`, an encryption envelope string).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaultMeta {
    /// The vault's id.
    pub id: VaultId,
    /// The display name (plaintext).
    pub name: String,
    /// The vault's data key wrapped with the unlock key (a `v1:` envelope).
    pub protected_encryption_key: String,
    /// When the vault was created.
    pub created_at: Timestamp,
    /// When the vault was last changed (renamed, key re-wrapped).
    pub updated_at: Timestamp,
    /// When the vault was deleted, if it was (a tombstone kept for sync).
    pub deleted_at: Option<Timestamp>,
    /// Whether this vault is synchronised with a server (local only otherwise).
    pub sync_enabled: bool,
}
