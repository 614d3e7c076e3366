//! Pure query evaluation: index selection (stage 1), the pre-decryption row filter (stage 2), the
//! full match on decrypted data (stage 3) and ordering. No IO.

use super::{Condition, Cursor, Direction, Field, Op, Query};
use crate::collection::{CollectionDef, Exposure};
use crate::model::{ItemId, Timestamp, sort_order};
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

/// Stage 1: the key ranges of an `Indexed` exposed field to read the candidates from, if a
/// single-condition group allows it: one range for `Equal` (preferred) or a comparison, one
/// single-key range per element for `In` (the rows they hold are merged). Empty: scan the whole
/// collection.
pub fn index_ranges(query: &Query, def: &CollectionDef) -> Vec<IndexRange> {
    let candidates = query.where_.iter().filter_map(|group| match group.as_slice() {
        [c] => ranges_of(c, def),
        _ => None,
    });
    // Best first: one key, then several keys, then an open range.
    let rank = |ranges: &Vec<IndexRange>| match ranges.as_slice() {
        [r] if r.lower.is_some() && r.lower == r.upper => 0,
        [r] if r.lower.is_none() || r.upper.is_none() => 2,
        _ => 1,
    };
    let mut best: Option<Vec<IndexRange>> = None;
    for ranges in candidates {
        if best.as_ref().is_none_or(|b| rank(&ranges) < rank(b)) {
            best = Some(ranges);
        }
    }
    best.unwrap_or_default()
}

fn ranges_of(c: &Condition, def: &CollectionDef) -> Option<Vec<IndexRange>> {
    let Field::Data(name) = &c.field else { return None };
    let keyable = |v: &Value| v.is_number() || v.is_string();
    if def.exposure(name) != Some(Exposure::Indexed) {
        return None;
    }
    if c.op == Op::In {
        let Value::Array(list) = &c.value else { return None };
        if !list.iter().all(keyable) {
            return None;
        }
        let mut keys: Vec<&Value> = Vec::new();
        for v in list {
            if !keys.contains(&v) {
                keys.push(v);
            }
        }
        return Some(keys.into_iter().map(|v| IndexRange::only(name.clone(), v.clone())).collect());
    }
    if !keyable(&c.value) {
        return None;
    }
    let bound = |open| Some(RangeBound { value: c.value.clone(), open });
    let (lower, upper) = match c.op {
        Op::Equal => (bound(false), bound(false)),
        Op::GreaterThan => (bound(true), None),
        Op::GreaterOrEqual => (bound(false), None),
        Op::LessThan => (None, bound(true)),
        Op::LessOrEqual => (None, bound(false)),
        // Not-equal is two open ranges only for a scalar field; a multi-entry index would miss
        // arrays of the excluded value alone. Stage 2 decides it from the exposed value instead.
        Op::Like | Op::Includes | Op::NotEqual | Op::In => return None,
    };
    Some(vec![IndexRange { field: name.clone(), lower, upper }])
}

/// Stage 2: what a row's exposed fields decide: `Some(false)` when some AND-group is certainly
/// false, `Some(true)` when every group is certainly true, `None` when a group needs decrypted
/// data (stage 3).
pub fn pre_decide(query: &Query, def: &CollectionDef, row: &StoredItem) -> Option<bool> {
    let mut undecided = false;
    for group in query.where_.iter().filter(|g| !g.is_empty()) {
        let mut group_undecided = false;
        let mut holds = false;
        for c in group {
            match pre_value(&c.field, row, def) {
                Some(v) if c.matches(v.as_ref()) => {
                    holds = true;
                    break;
                }
                Some(_) => {}
                None => group_undecided = true,
            }
        }
        match (holds, group_undecided) {
            (true, _) => {}
            (false, true) => undecided = true,
            (false, false) => return Some(false),
        }
    }
    if undecided { None } else { Some(true) }
}

/// Stage 2's row filter: whether a row may match, judged from its exposed fields only. A row is
/// rejected only when some AND-group is certainly false.
pub fn pre_filter(query: &Query, def: &CollectionDef, row: &StoredItem) -> bool {
    pre_decide(query, def, row) != Some(false)
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

/// A row's place in a query's order: its order value, creation time and id.
pub type SortKey<'a> = (Option<&'a Value>, Timestamp, ItemId);

/// The sort key of `row` whose order value is `value`.
pub fn sort_key<'a>(row: &StoredItem, value: Option<&'a Value>) -> SortKey<'a> {
    (value, row.item.created_at, row.item.id)
}

/// Compares two sort keys by the query's order (ties, and no order: by creation time, then id).
pub fn compare_keys(query: &Query, a: SortKey<'_>, b: SortKey<'_>) -> Ordering {
    let creation = (a.1, a.2).cmp(&(b.1, b.2));
    match &query.order_by {
        None => creation,
        Some((_, direction)) => {
            let primary = sort_order(a.0, b.0);
            let primary = if *direction == Direction::Descending { primary.reverse() } else { primary };
            primary.then(creation)
        }
    }
}

/// Compares two rows by the query's order, given each row's value of the order field.
pub fn compare(query: &Query, a: (&StoredItem, Option<&Value>), b: (&StoredItem, Option<&Value>)) -> Ordering {
    compare_keys(query, sort_key(a.0, a.1), sort_key(b.0, b.1))
}

/// Whether a row with sort key `key` comes after the query's cursor (every row does without one).
pub fn after_cursor(query: &Query, key: SortKey<'_>) -> bool {
    query.after.as_ref().is_none_or(|c| compare_keys(query, key, (c.value.as_ref(), c.created_at, c.id)) == Ordering::Greater)
}

/// The cursor at a row with sort key `key`.
pub fn cursor_at(key: SortKey<'_>) -> Cursor {
    Cursor { value: key.0.cloned(), created_at: key.1, id: key.2 }
}

/// The value of the query's order field known before decryption (`None` without an order).
pub fn pre_order_value(query: &Query, def: &CollectionDef, row: &StoredItem) -> Option<Value> {
    query.order_by.as_ref().and_then(|(field, _)| pre_value(field, row, def).flatten())
}

/// Sorts rows by the query's order using only what is known before decryption.
pub fn sort_before_decryption(query: &Query, def: &CollectionDef, rows: &mut [StoredItem]) {
    rows.sort_by(|a, b| {
        let (ka, kb) = (pre_order_value(query, def, a), pre_order_value(query, def, b));
        compare(query, (a, ka.as_ref()), (b, kb.as_ref()))
    });
}
