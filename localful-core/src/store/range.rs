//! Index key ranges (query stage 1) and what a scan reports.

use super::StoredItem;
use crate::model::compare_values;
use serde_json::Value;
use std::cmp::Ordering;

/// One end of an [`IndexRange`].
#[derive(Clone, Debug, PartialEq)]
pub struct RangeBound {
    /// The bound's value (a number or a string: the values IndexedDB can index).
    pub value: Value,
    /// Whether the bound itself is excluded.
    pub open: bool,
}

/// A key range on an `Indexed` exposed field: the items whose field value (or, for an array, one
/// of its elements) lies between `lower` and `upper`.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexRange {
    /// The exposed field.
    pub field: String,
    /// The lower end, if bounded below.
    pub lower: Option<RangeBound>,
    /// The upper end, if bounded above.
    pub upper: Option<RangeBound>,
}

impl IndexRange {
    /// The range holding exactly `value`.
    pub fn only(field: impl Into<String>, value: Value) -> Self {
        let bound = RangeBound { value, open: false };
        Self { field: field.into(), lower: Some(bound.clone()), upper: Some(bound) }
    }

    /// Whether an exposed value is in the range (any element, for arrays). Values of another
    /// kind than the bounds are outside.
    pub fn contains(&self, value: &Value) -> bool {
        match value {
            Value::Array(items) => items.iter().any(|v| !v.is_array() && self.contains_scalar(v)),
            v => self.contains_scalar(v),
        }
    }

    fn contains_scalar(&self, value: &Value) -> bool {
        let above = self.lower.as_ref().is_none_or(|b| {
            matches!((compare_values(value, &b.value), b.open), (Some(Ordering::Greater), _) | (Some(Ordering::Equal), false))
        });
        let below = self.upper.as_ref().is_none_or(|b| {
            matches!((compare_values(value, &b.value), b.open), (Some(Ordering::Less), _) | (Some(Ordering::Equal), false))
        });
        above && below && (value.is_number() || value.is_string())
    }
}

/// What [`Store::scan`](crate::Store::scan) returns: the matching rows and how many rows it read,
/// so a caller can see an index at work.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScanOutcome {
    /// The rows that passed the filter.
    pub items: Vec<StoredItem>,
    /// How many item rows were read from storage (from the index range, or the whole store).
    pub rows_read: usize,
}
