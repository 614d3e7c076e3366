//! Typed results of reads and queries.

use crate::model::{Item, ItemId, Timestamp, VersionMeta};
use crate::query::{Cursor, QueryStats};

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

/// A page of query results, the total of matches, where the next page starts, and what the query
/// did.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryResult<T> {
    /// The page, in the query's order.
    pub entries: Vec<Entry<T>>,
    /// How many items match the query's conditions in all, whatever its cursor, offset and limit
    /// — exact, when the query asked for it ([`Query::with_total`](crate::Query::with_total)).
    pub total: Option<usize>,
    /// The cursor at the last entry when more matches may follow it: pass it to
    /// [`Query::after`](crate::Query::after) for the next page. `None` when none follows. Without
    /// a total, a full page whose following rows only decrypted data could rule out gets one
    /// (the next page may then be empty); with [`Query::with_total`](crate::Query::with_total)
    /// it is exact.
    pub next: Option<Cursor>,
    /// Which stages did what.
    pub stats: QueryStats,
}
