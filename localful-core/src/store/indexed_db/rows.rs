//! Rows as IndexedDB stores them: small JS objects with the key fields, the index fields and the
//! record itself as a JSON string, which is cheaper to clone than a deep object: `d` for vaults,
//! versions and local values, `r` for items (the compact [`item_record`]).
//!
//! Row format 3: an item row also holds its current version ([`Inline`]: `vid`, the version's id,
//! and `v`, its record as a version row's `d`), so creating an item writes one row, and a query
//! reads its candidates' data with their rows. A version goes to the `versions` store when a newer
//! one takes its place in the item row. Item rows of earlier formats hold no version; theirs stay
//! in the `versions` store, where reads look for what an item row does not hold.
//!
//! Property names are made into JS strings once per thread ([`name`], [`index_property`]): each
//! string passed from wasm is a `TextDecoder` call, and a row has half a dozen names. In a CPU
//! profile of imports of 3 000 notes (`tests/js/bench/profile.mjs import`) decoding strings passed
//! to JS went from 7.2 % of the samples to 5.6 % with this; what is left is the rows' JSON.

use super::layout::{PENDING, field_index};
use crate::model::{ItemId, Timestamp, VaultMeta, VaultId, Version, VersionId};
use crate::store::{IndexRange, StoreError, StoredItem, item_record};
use indexed_db_futures::KeyRange;
use js_sys::{Array, Object, Reflect};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::cell::RefCell;
use wasm_bindgen::JsValue;

thread_local! {
    static NAMES: RefCell<Vec<(&'static str, JsValue)>> = const { RefCell::new(Vec::new()) };
    static INDEX_PROPERTIES: RefCell<Vec<(String, String, JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// The JS string of property name `key`, made once.
fn name(key: &'static str) -> JsValue {
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        if let Some((_, js)) = names.iter().find(|(k, _)| *k == key) {
            return js.clone();
        }
        let js = JsValue::from_str(key);
        names.push((key, js.clone()));
        js
    })
}

/// The JS string of the row property that `collection`'s index on `field` reads, made once.
fn index_property(collection: &str, field: &str) -> JsValue {
    INDEX_PROPERTIES.with(|props| {
        let mut props = props.borrow_mut();
        if let Some((_, _, js)) = props.iter().find(|(c, f, _)| c == collection && f == field) {
            return js.clone();
        }
        let js = JsValue::from_str(&field_index(collection, field).property);
        props.push((collection.to_owned(), field.to_owned(), js.clone()));
        js
    })
}

fn set(obj: &Object, key: &'static str, value: &JsValue) -> Result<(), StoreError> {
    set_js(obj, &name(key), value)
}

fn set_js(obj: &Object, key: &JsValue, value: &JsValue) -> Result<(), StoreError> {
    Reflect::set(obj, key, value).map(drop).map_err(|e| super::error::from_js(&e))
}

fn payload<T: Serialize>(obj: &Object, record: &T) -> Result<(), StoreError> {
    let json = serde_json::to_string(record).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    set(obj, "d", &json.into())
}

/// The record inside a row read back.
pub(super) fn record<T: DeserializeOwned>(row: &JsValue) -> Result<T, StoreError> {
    let d = Reflect::get(row, &name("d")).map_err(|e| super::error::from_js(&e))?;
    let text = d.as_string().ok_or_else(|| StoreError::Corrupt("row without its record".into()))?;
    serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// An IndexedDB key for an exposed value, if it can be one (numbers and strings; arrays become
/// arrays of their scalar elements, which a multi-entry index indexes one by one).
fn index_key(value: &Value) -> Option<JsValue> {
    match value {
        Value::Number(n) => n.as_f64().filter(|f| f.is_finite()).map(JsValue::from_f64),
        Value::String(s) => Some(JsValue::from_str(s)),
        Value::Array(items) => {
            let keys: Array = items.iter().filter(|v| !v.is_array()).filter_map(index_key).collect();
            Some(keys.into())
        }
        _ => None,
    }
}

/// The row of an item: `id`, its index fields (`ix.*` for visible rows' indexed exposed fields,
/// `pending` while its outbox is not empty), the record and, when given, the version it holds.
pub(super) fn item_row(row: &StoredItem, indexed: &[(String, String)], inline: Option<&Inline>) -> Result<JsValue, StoreError> {
    let obj = Object::new();
    set(&obj, "id", &row.item.id.to_string().into())?;
    if row.is_visible() {
        let ix = Object::new();
        for (collection, field) in indexed {
            if *collection != row.item.collection {
                continue;
            }
            if let Some(key) = row.item.exposed.get(field).and_then(index_key) {
                set_js(&ix, &index_property(collection, field), &key)?;
            }
        }
        set(&obj, "ix", &ix)?;
    }
    if !row.outbox.is_empty() {
        set(&obj, PENDING, &JsValue::from_f64(1.0))?;
    }
    set(&obj, "r", &item_record::write(row)?.into())?;
    if let Some(inline) = inline {
        set(&obj, "vid", &inline.id_js)?;
        set(&obj, "v", &inline.record)?;
    }
    Ok(obj.into())
}

/// A version held in its item's row: its id, and its record as a version row's `d` (the JS
/// strings as the row holds them, so that moving it to the `versions` store, or keeping it in a
/// rewritten item row, copies no bytes through wasm).
pub(super) struct Inline {
    pub(super) id: VersionId,
    id_js: JsValue,
    record: JsValue,
}

impl Inline {
    /// `version`, to be held in its item's row.
    pub(super) fn of(version: &Version) -> Result<Self, StoreError> {
        Ok(Self { id: version.id, id_js: version.id.to_string().into(), record: version_record(version)?.into() })
    }

    /// The version an item row holds, if any (rows of format 1 and 2 hold none).
    pub(super) fn in_row(row: &JsValue) -> Result<Option<Self>, StoreError> {
        let id_js = Reflect::get(row, &name("vid")).map_err(|e| super::error::from_js(&e))?;
        let Some(id) = id_js.as_string() else { return Ok(None) };
        let id = id.parse().map_err(|_| StoreError::Corrupt("an item row holding a version without a valid id".into()))?;
        let record = Reflect::get(row, &name("v")).map_err(|e| super::error::from_js(&e))?;
        if !record.is_string() {
            return Err(StoreError::Corrupt("an item row holding a version without its record".into()));
        }
        Ok(Some(Self { id, id_js, record }))
    }

    /// The version, of item `item`.
    pub(super) fn version(&self, item: ItemId) -> Result<Version, StoreError> {
        let text = self.record.as_string().ok_or_else(|| StoreError::Corrupt("a version record that is not text".into()))?;
        let stored: StoredVersion = serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(stored.into_version(self.id, item))
    }

    /// The row of the version in the `versions` store, for item `item`.
    pub(super) fn version_row(&self, item: ItemId) -> Result<JsValue, StoreError> {
        let obj = Object::new();
        set(&obj, "item", &item.to_string().into())?;
        set(&obj, "id", &self.id_js)?;
        set(&obj, "d", &self.record)?;
        Ok(obj.into())
    }
}

/// The item of a row made by [`item_row`] (row formats 2 and 3: its record in `r`), or of row format 1
/// (the whole [`StoredItem`] as JSON in `d`), in vault `vault`.
pub(super) fn item(row: &JsValue, vault: VaultId) -> Result<StoredItem, StoreError> {
    let Some(json) = text(row, "r") else { return record(row) };
    let id = text(row, "id")
        .and_then(|id| id.parse().ok())
        .ok_or_else(|| StoreError::Corrupt("an item row without a valid id".into()))?;
    item_record::read(&json, id, vault)
}

/// The string property `key` of a row read back, if it has one.
pub(super) fn text(row: &JsValue, key: &'static str) -> Option<String> {
    Reflect::get(row, &name(key)).ok().and_then(|v| v.as_string())
}

/// A version as its row's record holds it: everything but the ids, which are the row's key
/// (`item`, `id`). IndexedDB's cost is per byte written (see the initial-sync benchmark in
/// `benches/README.md`), and the ids were a fifth of a synced version's row.
#[derive(Serialize)]
struct VersionRecord<'a> {
    created_at: &'a Timestamp,
    device_name: &'a str,
    schema_version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    protected_data: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deleted_at: &'a Option<Timestamp>,
}

/// A version record read back: rows of format 1 also hold the ids.
#[derive(Deserialize)]
struct StoredVersion {
    #[serde(default)]
    id: Option<VersionId>,
    #[serde(default)]
    item_id: Option<ItemId>,
    created_at: Timestamp,
    device_name: String,
    schema_version: u32,
    #[serde(default)]
    protected_data: Option<String>,
    #[serde(default)]
    deleted_at: Option<Timestamp>,
}

impl StoredVersion {
    /// The version, with the ids its row's key gives where the record has none.
    fn into_version(self, id: VersionId, item_id: ItemId) -> Version {
        Version {
            id: self.id.unwrap_or(id),
            item_id: self.item_id.unwrap_or(item_id),
            created_at: self.created_at,
            device_name: self.device_name,
            schema_version: self.schema_version,
            protected_data: self.protected_data,
            deleted_at: self.deleted_at,
        }
    }
}

/// The record of `version`: a version row's `d`.
fn version_record(version: &Version) -> Result<String, StoreError> {
    let record = VersionRecord {
        created_at: &version.created_at,
        device_name: &version.device_name,
        schema_version: version.schema_version,
        protected_data: &version.protected_data,
        deleted_at: &version.deleted_at,
    };
    serde_json::to_string(&record).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The row of a version, keyed `[item, id]`.
pub(super) fn version_row(version: &Version) -> Result<JsValue, StoreError> {
    let obj = Object::new();
    set(&obj, "item", &version.item_id.to_string().into())?;
    set(&obj, "id", &version.id.to_string().into())?;
    set(&obj, "d", &version_record(version)?.into())?;
    Ok(obj.into())
}

/// The version of a row made by [`version_row`] (or by an earlier release, with the ids inside).
pub(super) fn version(row: &JsValue) -> Result<Version, StoreError> {
    let stored: StoredVersion = record(row)?;
    let key = |field| text(row, field);
    let corrupt = |what: &str| StoreError::Corrupt(format!("a version row without a valid {what}"));
    let id = match stored.id {
        Some(id) => id,
        None => key("id").and_then(|s| s.parse().ok()).ok_or_else(|| corrupt("id"))?,
    };
    let item_id = match stored.item_id {
        Some(item) => item,
        None => key("item").and_then(|s| s.parse().ok()).ok_or_else(|| corrupt("item"))?,
    };
    Ok(stored.into_version(id, item_id))
}

/// The row of a vault in the registry.
pub(super) fn vault_row(vault: &VaultMeta, pending: bool) -> Result<JsValue, StoreError> {
    let obj = Object::new();
    set(&obj, "id", &vault.id.to_string().into())?;
    if pending {
        set(&obj, PENDING, &JsValue::from_f64(1.0))?;
    }
    payload(&obj, vault)?;
    Ok(obj.into())
}

/// The row of a local-only value.
pub(super) fn meta_row(key: &str, value: &str) -> Result<JsValue, StoreError> {
    let obj = Object::new();
    set(&obj, "id", &key.into())?;
    payload(&obj, &value)?;
    Ok(obj.into())
}

/// Whether a row carries the pending mark.
pub(super) fn is_pending(row: &JsValue) -> bool {
    Reflect::get(row, &name(PENDING)).is_ok_and(|v| !v.is_undefined())
}

/// The key of item `id`.
pub(super) fn item_key(id: ItemId) -> JsValue {
    id.to_string().into()
}

/// The key of version `id` of item `item`.
pub(super) fn version_key(item: ItemId, id: VersionId) -> JsValue {
    Array::of2(&item.to_string().into(), &id.to_string().into()).into()
}

/// The key range of `range` on its index, kept within the bounds' kind (numbers or strings).
pub(super) fn key_range(range: &IndexRange) -> Option<KeyRange<JsValue>> {
    let key = |b: &crate::store::RangeBound| index_key(&b.value).filter(|k| !Array::is_array(k));
    match (&range.lower, &range.upper) {
        (Some(lo), Some(hi)) => Some(KeyRange::Bound(key(lo)?, lo.open, key(hi)?, hi.open)),
        (Some(lo), None) => {
            let top = if lo.value.is_number() { JsValue::from_f64(f64::INFINITY) } else { Array::new().into() };
            Some(KeyRange::Bound(key(lo)?, lo.open, top, lo.value.is_string()))
        }
        (None, Some(hi)) => {
            let bottom = if hi.value.is_number() { JsValue::from_f64(f64::NEG_INFINITY) } else { JsValue::from_str("") };
            Some(KeyRange::Bound(bottom, false, key(hi)?, hi.open))
        }
        (None, None) => None,
    }
}
