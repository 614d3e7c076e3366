//! Pure query evaluation: index selection (stage 1), the pre-decryption row filter (stage 2), the
//! full match on decrypted data (stage 3) and ordering. No IO.

use super::{Condition, Direction, Field, Op, Query};
use crate::collection::{CollectionDef, Exposure};
use crate::model::sort_order;
use crate::store::{IndexRange, StoredItem};
use crate::store::RangeBound;
use serde_json::Value;
use std::cmp::Ordering;

/// A field's value on a row before decryption: `None` if it cannot be known without decrypting,
/// `Some(None)` if it is known to be absent.
pub fn pre_value(field: &Field, row: &StoredItem, def: &CollectionDef) -> Option<Option<Value>> {
    match field {
        // Rows whose exposed fields were computed under other exposed fields are not trusted.
        Field::Data(name) if row.exposed_by != def.exposure_signature() => None,
        Field::Data(name) => def.exposure(name).map(|_| row.item.exposed.get(name).cloned()),
        _ => Some(meta_value(field, row)),
    }
}

fn meta_value(field: &Field, row: &StoredItem) -> Option<Value> {
    match field {
        Field::Id => Some(Value::String(row.item.id.to_string())),
        Field::CreatedAt => Some(Value::String(row.item.created_at.to_string())),
        Field::UpdatedAt => row.current().map(|v| Value::String(v.created_at.to_string())),
        Field::Data(_) => None,
    }
}

/// A field's value on a row whose current data is `data`.
pub fn full_value(field: &Field, row: &StoredItem, data: &Value) -> Option<Value> {
    match field {
        Field::Data(name) => data.get(name).cloned(),
        _ => meta_value(field, row),
    }
}

/// Stage 1: the key range of an `Indexed` exposed field to read the candidates from, if a
/// single-condition group allows one (an `Equal` is preferred over a range).
pub fn index_range(query: &Query, def: &CollectionDef) -> Option<IndexRange> {
    let candidates = query.where_.iter().filter_map(|group| match group.as_slice() {
        [c] => range_of(c, def),
        _ => None,
    });
    let mut best: Option<IndexRange> = None;
    for r in candidates {
        let is_equal = r.lower.is_some() && r.lower == r.upper;
        if is_equal {
            return Some(r);
        }
        best.get_or_insert(r);
    }
    best
}

fn range_of(c: &Condition, def: &CollectionDef) -> Option<IndexRange> {
    let Field::Data(name) = &c.field else { return None };
    if def.exposure(name) != Some(Exposure::Indexed) || !(c.value.is_number() || c.value.is_string()) {
        return None;
    }
    let bound = |open| Some(RangeBound { value: c.value.clone(), open });
    let (lower, upper) = match c.op {
        Op::Equal => (bound(false), bound(false)),
        Op::GreaterThan => (bound(true), None),
        Op::GreaterOrEqual => (bound(false), None),
        Op::LessThan => (None, bound(true)),
        Op::LessOrEqual => (None, bound(false)),
        Op::Like | Op::Includes => return None,
    };
    Some(IndexRange { field: name.clone(), lower, upper })
}

/// Stage 2: whether a row may match, judged from its exposed fields only. A row is rejected only
/// when some AND-group is certainly false; groups that need decrypted data are left to stage 3.
pub fn pre_filter(query: &Query, def: &CollectionDef, row: &StoredItem) -> bool {
    query.where_.iter().all(|group| {
        let mut undecided = false;
        for c in group {
            match pre_value(&c.field, row, def) {
                Some(v) if c.matches(v.as_ref()) => return true,
                Some(_) => {}
                None => undecided = true,
            }
        }
        undecided || group.is_empty()
    })
}

/// Stage 3: whether a row with current data `data` matches every group.
pub fn matches(query: &Query, row: &StoredItem, data: &Value) -> bool {
    query
        .where_
        .iter()
        .all(|group| group.is_empty() || group.iter().any(|c| c.matches(full_value(&c.field, row, data).as_ref())))
}

/// Whether the query's order can be applied before decryption (no order, or on a field known
/// before decryption); only then can stage 3 stop early.
pub fn orders_before_decryption(query: &Query, def: &CollectionDef) -> bool {
    match &query.order_by {
        None => true,
        Some((Field::Data(name), _)) => def.exposure(name).is_some(),
        Some(_) => true,
    }
}

fn creation_order(a: &StoredItem, b: &StoredItem) -> Ordering {
    (a.item.created_at, a.item.id).cmp(&(b.item.created_at, b.item.id))
}

/// Compares two rows by the query's order, given each row's value of the order field.
pub fn compare(query: &Query, a: (&StoredItem, Option<&Value>), b: (&StoredItem, Option<&Value>)) -> Ordering {
    match &query.order_by {
        None => creation_order(a.0, b.0),
        Some((_, direction)) => {
            let primary = sort_order(a.1, b.1);
            let primary = if *direction == Direction::Descending { primary.reverse() } else { primary };
            primary.then_with(|| creation_order(a.0, b.0))
        }
    }
}

/// Sorts rows by the query's order using only what is known before decryption.
pub fn sort_before_decryption(query: &Query, def: &CollectionDef, rows: &mut [StoredItem]) {
    let key = |row: &StoredItem| match &query.order_by {
        Some((field, _)) => pre_value(field, row, def).flatten(),
        None => None,
    };
    rows.sort_by(|a, b| compare(query, (a, key(a).as_ref()), (b, key(b).as_ref())));
}
