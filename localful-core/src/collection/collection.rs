//! Typed collections: a Rust type registered with a name, a schema version and migrations.

use super::MigrationError;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// How an exposed field is stored on the local item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Exposure {
    /// Copied onto the item and indexed (an IndexedDB index): queries on it start from a key range.
    Indexed,
    /// Copied onto the item, not indexed: queries filter on it before any decryption.
    Plain,
}

/// A top-level field of a collection's data copied unencrypted onto the local item.
///
/// Exposed fields never leave the device: what is synced is only the encrypted data.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ExposedField {
    /// The field name in the data's JSON object.
    pub name: String,
    /// Indexed or plain.
    pub exposure: Exposure,
}

impl ExposedField {
    /// An indexed exposed field.
    pub fn indexed(name: impl Into<String>) -> Self {
        Self { name: name.into(), exposure: Exposure::Indexed }
    }

    /// A plain (not indexed) exposed field.
    pub fn plain(name: impl Into<String>) -> Self {
        Self { name: name.into(), exposure: Exposure::Plain }
    }
}

/// A collection: a type whose values are stored as encrypted, versioned items.
///
/// The data must serialise to a JSON object. `SCHEMA_VERSION` is the version written now; data
/// written under an older version is passed through [`migrate`](Collection::migrate) one step at a
/// time on read (from `n` to `n + 1`), and data from a newer version is a typed error.
///
/// ```
/// use localful_core::{Collection, ExposedField, MigrationError};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Serialize, Deserialize)]
/// struct Note { title: String, body: String, tags: Vec<String> }
///
/// impl Collection for Note {
///     const NAME: &'static str = "notes";
///     const SCHEMA_VERSION: u32 = 2;
///     fn exposed_fields() -> Vec<ExposedField> {
///         vec![ExposedField::indexed("title"), ExposedField::plain("tags")]
///     }
///     fn migrate(from: u32, mut data: serde_json::Value) -> Result<serde_json::Value, MigrationError> {
///         match from {
///             // Version 1 had no tags.
///             1 => { data["tags"] = serde_json::json!([]); Ok(data) }
///             _ => Err(MigrationError(format!("no migration from {from}"))),
///         }
///     }
/// }
/// ```
pub trait Collection: Serialize + DeserializeOwned + 'static {
    /// The collection's name (the item's `type` on the wire). Unique within a [`Schema`](crate::Schema).
    const NAME: &'static str;
    /// The schema version data is written under now.
    const SCHEMA_VERSION: u32 = 1;

    /// The fields copied unencrypted onto the local item.
    fn exposed_fields() -> Vec<ExposedField> {
        Vec::new()
    }

    /// Migrates data written under schema version `from` to version `from + 1`.
    fn migrate(from: u32, data: serde_json::Value) -> Result<serde_json::Value, MigrationError> {
        let _ = data;
        Err(MigrationError(format!("no migration from schema version {from}")))
    }
}
