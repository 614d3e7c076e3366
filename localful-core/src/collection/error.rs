//! Errors about data and its collection type.

/// A value does not fit its collection: wrong type, unknown schema, failed migration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DataError {
    /// The value does not serialise to, or deserialise from, the collection's type (or is not a
    /// JSON object).
    #[error("value does not match collection {collection:?}: {message}")]
    TypeMismatch {
        /// The collection.
        collection: String,
        /// What serde said.
        message: String,
    },
    /// The item belongs to another collection than the one asked for.
    #[error("item is in collection {found:?}, not {expected:?}")]
    WrongCollection {
        /// The collection asked for.
        expected: String,
        /// The item's collection.
        found: String,
    },
    /// The collection is not registered in the [`Schema`](crate::Schema).
    #[error("collection {0:?} is not registered")]
    UnknownCollection(String),
    /// The data was written under a schema version newer than this build knows.
    #[error("collection {collection:?}: data has schema version {found}, this build knows up to {current}")]
    NewerSchema {
        /// The collection.
        collection: String,
        /// The data's schema version.
        found: u32,
        /// The newest version this build knows.
        current: u32,
    },
    /// A migration from an older schema version failed.
    #[error("collection {collection:?}: migration from schema version {from} failed: {message}")]
    Migration {
        /// The collection.
        collection: String,
        /// The version migrated from.
        from: u32,
        /// Why it failed.
        message: String,
    },
    /// Decrypted data is not JSON.
    #[error("decrypted data is not JSON: {0}")]
    NotJson(String),
}

/// Why one migration step failed (returned by [`Collection::migrate`](crate::Collection::migrate)).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct MigrationError(pub String);
