//! The query description: where (AND of OR-groups), order, paging.

use super::{Condition, Cursor, Field, Op};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Sort direction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Direction {
    /// Smallest first.
    #[default]
    Ascending,
    /// Largest first.
    Descending,
}

/// A query over one collection (SPEC: "Queries").
///
/// `where` is a list of groups ANDed together; the conditions inside a group are ORed. Without
/// `order_by`, items come in creation order (`created_at`, then id).
///
/// ```
/// use localful_core::{Direction, Field, Op, Query};
/// use serde_json::json;
/// // tags includes "work" AND (title like "plan" OR priority >= 3), newest first, page 2 of 10.
/// let q = Query::new()
///     .filter(Field::data("tags"), Op::Includes, "work")
///     .any_of([
///         (Field::data("title"), Op::Like, json!("plan")),
///         (Field::data("priority"), Op::GreaterOrEqual, json!(3)),
///     ])
///     .order_by(Field::CreatedAt, Direction::Descending)
///     .limit(10)
///     .offset(10);
/// assert_eq!(q.where_.len(), 2);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Query {
    /// AND of OR-groups.
    pub where_: Vec<Vec<Condition>>,
    /// The sort field and direction.
    pub order_by: Option<(Field, Direction)>,
    /// At most this many results.
    pub limit: Option<usize>,
    /// Skip this many results first.
    pub offset: usize,
    /// Start after this position (keyset paging: [`QueryResult::next`](crate::QueryResult::next)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Cursor>,
    /// Count every match ([`QueryResult::total`](crate::QueryResult::total)).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub count_total: bool,
}

impl Query {
    /// A query matching every item, in creation order.
    pub fn new() -> Self {
        Self::default()
    }

    /// ANDs one condition. `field` is a [`Field`] or a typed handle
    /// ([`TypedField`](super::TypedField), from `#[derive(Collection)]`).
    pub fn filter(mut self, field: impl Into<Field>, op: Op, value: impl Into<Value>) -> Self {
        self.where_.push(vec![Condition::new(field.into(), op, value)]);
        self
    }

    /// ANDs a group of conditions ORed together.
    pub fn any_of(mut self, conditions: impl IntoIterator<Item = (Field, Op, Value)>) -> Self {
        self.where_.push(conditions.into_iter().map(|(f, o, v)| Condition::new(f, o, v)).collect());
        self
    }

    /// Orders by `field` in `direction` (ties by creation order).
    pub fn order_by(mut self, field: impl Into<Field>, direction: Direction) -> Self {
        self.order_by = Some((field.into(), direction));
        self
    }

    /// Returns at most `limit` items.
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Skips the first `offset` items (of those after the cursor, if any). Prefer
    /// [`after`](Self::after) for "next page": an offset shifts when items are added or deleted
    /// before it.
    pub fn offset(mut self, offset: usize) -> Self {
        self.offset = offset;
        self
    }

    /// Also counts every match of the conditions, whatever the cursor, offset and limit, into
    /// [`QueryResult::total`](crate::QueryResult::total). Rows that exposed fields decide are
    /// counted without decrypting them, so a count over exposed fields (e.g. `tags includes
    /// "work"`) decrypts only the page; a condition on encrypted data has every candidate
    /// decrypted to count it (the page alone would stop early).
    pub fn with_total(mut self) -> Self {
        self.count_total = true;
        self
    }

    /// Starts after `cursor` (a previous page's [`next`](crate::QueryResult::next)), or from the
    /// first match with `None`.
    pub fn after(mut self, cursor: impl Into<Option<Cursor>>) -> Self {
        self.after = cursor.into();
        self
    }
}
