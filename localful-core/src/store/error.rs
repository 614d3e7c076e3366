//! Storage errors. IndexedDB `DOMException` names become variants at the adapter boundary.

use crate::model::{ItemId, VaultId, VersionId};

/// Why a store operation failed. A failed write leaves nothing written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// No vault with this id (or it was deleted).
    #[error("vault {0} not found")]
    VaultNotFound(VaultId),
    /// A vault with this id already exists.
    #[error("vault {0} already exists")]
    VaultExists(VaultId),
    /// The vault is not open, or was closed (or deleted) while in use.
    #[error("the vault's database is closed")]
    Closed,
    /// No item with this id.
    #[error("item {0} not found")]
    ItemNotFound(ItemId),
    /// An item with this id already exists.
    #[error("item {0} already exists")]
    ItemExists(ItemId),
    /// The item is deleted (a tombstone): it takes no more writes.
    #[error("item {0} is deleted")]
    ItemDeleted(ItemId),
    /// The item belongs to another collection than the write expected.
    #[error("item is in collection {found:?}, not {expected:?}")]
    WrongCollection {
        /// The collection the write expected.
        expected: String,
        /// The item's collection.
        found: String,
    },
    /// No version with this id on this item.
    #[error("version {0} not found")]
    VersionNotFound(VersionId),
    /// The version is the item's only live one: delete the item instead.
    #[error("version {0} is the item's last live version")]
    LastVersion(VersionId),
    /// Another writer changed the item between read and write; the operation may be retried.
    #[error("the item changed concurrently")]
    Conflict,
    /// The browser's storage quota is exhausted (`QuotaExceededError`).
    #[error("storage quota exceeded: {0}")]
    QuotaExceeded(String),
    /// A uniqueness or other constraint failed (`ConstraintError`).
    #[error("constraint failed: {0}")]
    Constraint(String),
    /// The transaction was aborted (`AbortError`), e.g. by another error or the browser.
    #[error("transaction aborted: {0}")]
    Aborted(String),
    /// The database is blocked or in an invalid state (`InvalidStateError`, `TransactionInactiveError`).
    #[error("invalid database state: {0}")]
    InvalidState(String),
    /// Another backend error, with the `DOMException` name when there is one.
    #[error("storage backend error {name}: {message}")]
    Backend {
        /// The `DOMException` name (or `Error` for plain JS errors).
        name: String,
        /// The message.
        message: String,
    },
    /// A stored record does not have the expected shape.
    #[error("corrupt record: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// The error for a `DOMException` (or other JS error) named `name`.
    pub fn from_dom_exception(name: &str, message: &str) -> Self {
        let message = message.to_owned();
        match name {
            "QuotaExceededError" => Self::QuotaExceeded(message),
            "ConstraintError" => Self::Constraint(message),
            "AbortError" => Self::Aborted(message),
            "InvalidStateError" | "TransactionInactiveError" => Self::InvalidState(message),
            _ => Self::Backend { name: name.to_owned(), message },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dom_exception_names_map_to_variants() {
        assert_eq!(StoreError::from_dom_exception("QuotaExceededError", "m"), StoreError::QuotaExceeded("m".into()));
        assert_eq!(StoreError::from_dom_exception("ConstraintError", "m"), StoreError::Constraint("m".into()));
        assert!(matches!(StoreError::from_dom_exception("DataError", "m"), StoreError::Backend { .. }));
    }
}
