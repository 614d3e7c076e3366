//! Why a backup could not be made or restored.

use crate::crypto::CryptoError;
use crate::store::StoreError;

/// Why a backup could not be made or restored. A refused file writes nothing.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BackupError {
    /// The file is not a Localful backup (its first line is not a backup header).
    #[error("this file is not a Localful backup")]
    NotABackup,
    /// The file was made by a newer version of the app.
    #[error(
        "this backup was made by a newer version of the app (format {0}): update the app to restore it"
    )]
    UnsupportedVersion(u32),
    /// The file ends before its last line: it was cut short (an interrupted download or copy).
    #[error("this backup file is incomplete (it was cut short): use a complete copy")]
    Truncated,
    /// A line does not parse or does not fit the rest of the file.
    #[error("this backup file is damaged (line {line}: {reason}): use another copy")]
    Corrupt {
        /// The 1-based line number.
        line: u64,
        /// What is wrong with it.
        reason: String,
    },
    /// The file's bytes do not match the digest recorded at its end: it was changed or damaged.
    #[error("this backup file was changed or damaged since it was made: use another copy")]
    DigestMismatch,
    /// The digest's seal does not open with the vault's key: the file was not made with this
    /// vault's key (or was forged).
    #[error(
        "this backup was not made with this vault's key: it was changed, or belongs to another vault"
    )]
    SealInvalid,
    /// The backup is of another vault than the one it is imported into.
    #[error("this backup is of another vault ({found}); restore it as its own vault")]
    OtherVault {
        /// The backup's vault.
        found: crate::model::VaultId,
    },
    /// Reading the file failed.
    #[error("the backup file could not be read: {0}")]
    Read(String),
    /// Storage failed (e.g. the disk is full); what was imported before stays, whole items only.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Decryption failed (wrong password, or data not of this vault).
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

impl From<crate::Error> for BackupError {
    fn from(e: crate::Error) -> Self {
        match e {
            crate::Error::Store(e) => Self::Store(e),
            crate::Error::Crypto(e) => Self::Crypto(e),
            crate::Error::Data(e) => Self::Corrupt {
                line: 0,
                reason: e.to_string(),
            },
        }
    }
}
