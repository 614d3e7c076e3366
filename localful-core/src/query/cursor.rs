//! Keyset cursors: where the next page of a query starts.

use crate::model::{ItemId, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The position of an item in a query's order: the value of the order field (`None` without an
/// order, or when the item has none), then the item's creation time and id, which break ties.
///
/// A [`QueryResult`](crate::QueryResult) hands out the cursor of its last entry as `next` when
/// more matches follow; [`Query::after`](super::Query::after) reads the page after it. The page
/// starts after that position, not after a count of items, so it stays right while items are
/// added or deleted before it (the next page neither repeats nor skips an item because of them).
/// An item whose order value changed since moves to where it now belongs.
///
/// Serialisable, to keep it in a URL or in state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    /// The order field's value at the cursor.
    pub value: Option<Value>,
    /// The item's creation time.
    pub created_at: Timestamp,
    /// The item's id.
    pub id: ItemId,
}
