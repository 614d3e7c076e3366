//! Query conditions: fields, operations and how one condition matches a value.

use crate::model::compare_values;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::cmp::Ordering;

/// A field a query filters or orders on.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Field {
    /// The item's id (as its hyphenated string).
    Id,
    /// The item's creation time (as its RFC 3339 string, which sorts by time).
    CreatedAt,
    /// The current version's creation time (RFC 3339).
    UpdatedAt,
    /// A top-level field of the item's data. Exposed fields are read before decryption; the
    /// others after.
    Data(String),
}

impl Field {
    /// A field of the item's data.
    pub fn data(name: impl Into<String>) -> Self {
        Self::Data(name.into())
    }
}

/// A comparison operation (SPEC: "Queries").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Op {
    /// Equal (numbers numerically, arrays element by element in order).
    Equal,
    /// For strings: case-insensitive contains. For arrays: order-insensitive set equality.
    Like,
    /// For arrays: has an element equal to the value. For strings: contains the value (case-sensitive).
    Includes,
    /// Greater than (numbers, strings, timestamps; other kinds never match).
    GreaterThan,
    /// Greater than or equal.
    GreaterOrEqual,
    /// Less than.
    LessThan,
    /// Less than or equal.
    LessOrEqual,
    /// Not equal (the opposite of [`Equal`](Op::Equal) on a field that is present: an absent field
    /// matches nothing, here too).
    NotEqual,
    /// In a list: the value compared with is a JSON array, and the field equals one of its
    /// elements; for an array field, one of the field's elements does (as a multi-entry index
    /// sees it). On an `Indexed` exposed field it reads one index key per element.
    In,
}

/// One condition: `field op value`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    /// The field compared.
    pub field: Field,
    /// The operation.
    pub op: Op,
    /// The value compared with.
    pub value: Value,
}

impl Condition {
    /// `field op value`.
    pub fn new(field: Field, op: Op, value: impl Into<Value>) -> Self {
        Self { field, op, value: value.into() }
    }

    /// Whether the field's value (`None` when absent) satisfies the condition. Absent fields match
    /// nothing.
    pub fn matches(&self, actual: Option<&Value>) -> bool {
        actual.is_some_and(|a| op_matches(self.op, a, &self.value))
    }
}

fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(_), _) | (_, Value::Object(_)) => a == b,
        _ => compare_values(a, b) == Some(Ordering::Equal),
    }
}

fn set_equal(a: &[Value], b: &[Value]) -> bool {
    a.iter().all(|x| b.iter().any(|y| equal(x, y))) && b.iter().all(|y| a.iter().any(|x| equal(x, y)))
}

/// Whether `actual op expected` holds.
pub fn op_matches(op: Op, actual: &Value, expected: &Value) -> bool {
    let ordered = |want: &[Ordering]| compare_values(actual, expected).is_some_and(|o| want.contains(&o));
    match op {
        Op::Equal => equal(actual, expected),
        Op::Like => match (actual, expected) {
            (Value::String(a), Value::String(e)) => a.to_lowercase().contains(&e.to_lowercase()),
            (Value::Array(a), Value::Array(e)) => set_equal(a, e),
            _ => false,
        },
        Op::Includes => match (actual, expected) {
            (Value::Array(a), e) => a.iter().any(|x| equal(x, e)),
            (Value::String(a), Value::String(e)) => a.contains(e.as_str()),
            _ => false,
        },
        Op::GreaterThan => ordered(&[Ordering::Greater]),
        Op::GreaterOrEqual => ordered(&[Ordering::Greater, Ordering::Equal]),
        Op::LessThan => ordered(&[Ordering::Less]),
        Op::LessOrEqual => ordered(&[Ordering::Less, Ordering::Equal]),
        Op::NotEqual => !equal(actual, expected),
        Op::In => match (actual, expected) {
            (Value::Array(elements), Value::Array(list)) => elements.iter().any(|x| list.iter().any(|e| equal(x, e))),
            (value, Value::Array(list)) => list.iter().any(|e| equal(value, e)),
            _ => false,
        },
    }
}
