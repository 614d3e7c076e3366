//! Ordering of JSON values, shared by index ranges and query evaluation.

use serde_json::Value;
use std::cmp::Ordering;

/// Orders two JSON values of the same kind: numbers numerically, strings by code point, booleans
/// `false < true`, `null == null`, arrays element by element. Values of different kinds (and
/// objects) are not comparable.
pub fn compare_values(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64()?.partial_cmp(&y.as_f64()?),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        (Value::Null, Value::Null) => Some(Ordering::Equal),
        (Value::Array(x), Value::Array(y)) => {
            for (l, r) in x.iter().zip(y) {
                match compare_values(l, r)? {
                    Ordering::Equal => continue,
                    other => return Some(other),
                }
            }
            Some(x.len().cmp(&y.len()))
        }
        _ => None,
    }
}

/// A total order for sorting: by kind (null, bool, number, string, array, object, absent last),
/// then by [`compare_values`].
pub fn sort_order(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    fn rank(v: Option<&Value>) -> u8 {
        match v {
            Some(Value::Null) => 0,
            Some(Value::Bool(_)) => 1,
            Some(Value::Number(_)) => 2,
            Some(Value::String(_)) => 3,
            Some(Value::Array(_)) => 4,
            Some(Value::Object(_)) => 5,
            None => 6,
        }
    }
    rank(a).cmp(&rank(b)).then_with(|| match (a, b) {
        (Some(x), Some(y)) => compare_values(x, y).unwrap_or(Ordering::Equal),
        _ => Ordering::Equal,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn compares_within_kinds_only() {
        assert_eq!(compare_values(&json!(2), &json!(10.5)), Some(Ordering::Less));
        assert_eq!(compare_values(&json!("b"), &json!("a")), Some(Ordering::Greater));
        assert_eq!(compare_values(&json!("1"), &json!(1)), None);
        assert_eq!(sort_order(Some(&json!(1)), None), Ordering::Less);
    }
}
