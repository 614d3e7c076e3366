//! The error of the typed database API: one variant per concern, each its own enum.

use crate::collection::DataError;
use crate::crypto::CryptoError;
use crate::store::StoreError;

/// Why a [`Database`](crate::Database) or [`VaultHandle`](crate::VaultHandle) operation failed.
/// Nothing is partly written when a write fails.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Storage: missing vault/item/version, deleted item, closed database, quota, constraint, ...
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Encryption: locked vault, tampered data, ...
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    /// The data does not fit its collection: wrong type, unknown schema, failed migration.
    #[error(transparent)]
    Data(#[from] DataError),
}

/// A result with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
