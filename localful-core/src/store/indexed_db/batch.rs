//! Many `get`s of one transaction awaited with one callback, or replaced by one range read.
//!
//! Awaiting each request apart costs a listener closure, a channel and a wake-up per row. The
//! requests of a transaction complete in the order they were made, so once the last one has
//! succeeded every earlier one has too: only the last is awaited, and the others' results are then
//! read synchronously from their requests.
//!
//! Each request is still an IPC message to the browser's IndexedDB backend. When the keys wanted
//! are most of the rows between the lowest and the highest of them (an initial sync reads back
//! every item row of the vault, page after page), [`get_many_keyed`] reads that range in one
//! `getAll` instead, after a read of its keys. (Tried for a query's version reads too, on
//! 2026-12-03: slower in the browser benchmark, so they take one `get` per key.)

use super::error::from_js;
use super::rows;
use crate::model::ItemId;
use crate::store::StoreError;
use futures::channel::oneshot;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::object_store::ObjectStore;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{IdbKeyRange, IdbRequest};

/// From this many keys on, [`get_many_keyed`] looks at how many rows their range holds.
const RANGE_READ_FROM: usize = 32;

/// The rows of `keys` in `store`, in order (`undefined` where there is none).
pub(super) async fn get_many(store: &ObjectStore<'_>, keys: impl IntoIterator<Item = JsValue>) -> Result<Vec<JsValue>, StoreError> {
    let sys = store.as_sys();
    let mut requests = Vec::new();
    for key in keys {
        requests.push(sys.get(&key).map_err(|e| from_js(&e))?);
    }
    let Some(last) = requests.last() else { return Ok(Vec::new()) };
    settled(last).await;
    // Every request is done now; a failed one (or the abort it caused) is the error.
    for request in &requests {
        if let Ok(Some(error)) = request.error() {
            return Err(StoreError::from_dom_exception(&error.name(), &error.message()));
        }
    }
    requests.iter().map(|r| r.result().map_err(|e| from_js(&e))).collect()
}

/// A row key that its row also carries (an item row's `id`).
pub(super) trait RowKey {
    /// The key, as IndexedDB takes it.
    fn js(&self) -> JsValue;
    /// A text in the same order as IndexedDB orders the keys (the ids are fixed-length lowercase
    /// hex, so strings compare like their keys).
    fn text(&self) -> String;
    /// The key's text of a row read back.
    fn text_of(row: &JsValue) -> Option<String>;
}

fn field(row: &JsValue, name: &str) -> Option<String> {
    js_sys::Reflect::get(row, &name.into()).ok().and_then(|v| v.as_string())
}

impl RowKey for ItemId {
    fn js(&self) -> JsValue {
        rows::item_key(*self)
    }
    fn text(&self) -> String {
        self.to_string()
    }
    fn text_of(row: &JsValue) -> Option<String> {
        field(row, "id")
    }
}

/// The rows of `keys` (distinct) in `store`, in order (`undefined` where there is none). From
/// [`RANGE_READ_FROM`] keys on, the keys of the range from the lowest to the highest key are read
/// first (at most twice as many as `keys`, plus one): no row in it, nothing more is read; at most
/// twice as many rows as keys, one `getAll` of the range; more, one `get` per key ([`get_many`]).
pub(super) async fn get_many_keyed<K: RowKey>(store: &ObjectStore<'_>, keys: &[K]) -> Result<Vec<JsValue>, StoreError> {
    let texts: Vec<String> = keys.iter().map(RowKey::text).collect();
    let (Some(lowest), Some(highest)) = ((0..keys.len()).min_by_key(|&i| &texts[i]), (0..keys.len()).max_by_key(|&i| &texts[i]))
    else {
        return Ok(Vec::new());
    };
    if keys.len() < RANGE_READ_FROM {
        return get_many(store, keys.iter().map(RowKey::js)).await;
    }
    let sys = store.as_sys();
    let range = IdbKeyRange::bound(&keys[lowest].js(), &keys[highest].js()).map_err(|e| from_js(&e))?;
    // The keys of the range, up to one more than twice the keys wanted: bounded work however
    // many rows the range holds (a `count` walks them all).
    let limit = 2 * keys.len() as u32 + 1;
    let probe = sys.get_all_keys_with_key_and_limit(&range, limit).map_err(|e| from_js(&e))?;
    let in_range = result(&probe).await?.unchecked_into::<js_sys::Array>().length();
    if in_range == 0 {
        return Ok(vec![JsValue::UNDEFINED; keys.len()]);
    }
    if in_range == limit {
        return get_many(store, keys.iter().map(RowKey::js)).await;
    }
    let all = sys.get_all_with_key(&range).map_err(|e| from_js(&e))?;
    let rows: js_sys::Array = result(&all).await?.unchecked_into();
    let mut by_key = HashMap::with_capacity(rows.length() as usize);
    for row in rows.iter() {
        if let Some(text) = K::text_of(&row) {
            by_key.insert(text, row);
        }
    }
    Ok(texts.iter().map(|t| by_key.get(t).cloned().unwrap_or(JsValue::UNDEFINED)).collect())
}

/// The result of `request`, once it settled.
async fn result(request: &IdbRequest) -> Result<JsValue, StoreError> {
    settled(request).await;
    if let Ok(Some(error)) = request.error() {
        return Err(StoreError::from_dom_exception(&error.name(), &error.message()));
    }
    request.result().map_err(|e| from_js(&e))
}

/// Waits until `request` succeeded or failed.
async fn settled(request: &IdbRequest) {
    let (tx, rx) = oneshot::channel::<()>();
    let tx = Rc::new(RefCell::new(Some(tx)));
    let done = Closure::<dyn FnMut(web_sys::Event)>::new(move |_e: web_sys::Event| {
        if let Some(tx) = tx.borrow_mut().take() {
            let _ = tx.send(());
        }
    });
    request.set_onsuccess(Some(done.as_ref().unchecked_ref()));
    request.set_onerror(Some(done.as_ref().unchecked_ref()));
    // A dropped sender (the closure is kept alive until here, so only if the page goes away)
    // reads as settled: the requests' own state then says what happened.
    let _ = rx.await;
    request.set_onsuccess(None);
    request.set_onerror(None);
}
