//! Typed results of reads and queries.

use crate::model::{Item, ItemId, Timestamp, VersionMeta};
use crate::query::QueryStats;

/// One item with its current version's decrypted, migrated data.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry<T> {
    /// The item (with its exposed fields).
    pub item: Item,
    /// The current version's metadata.
    pub version: VersionMeta,
    /// The data.
    pub data: T,
}

impl<T> Entry<T> {
    /// The item's id.
    pub fn id(&self) -> ItemId {
        self.item.id
    }

    /// When the current version was written.
    pub fn updated_at(&self) -> Timestamp {
        self.version.created_at
    }
}

/// A page of query results and what the query did.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryResult<T> {
    /// The page, in the query's order.
    pub entries: Vec<Entry<T>>,
    /// Which stages did what.
    pub stats: QueryStats,
}
