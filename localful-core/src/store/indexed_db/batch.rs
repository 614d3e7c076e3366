//! Many `get`s of one transaction awaited with one callback, or replaced by one range read.
//!
//! Awaiting each request apart costs a listener closure, a channel and a wake-up per row. The
//! requests of a transaction complete in the order they were made, so once the last one has
//! succeeded every earlier one has too: only the last is awaited, and the others' results are then
//! read synchronously from their requests.
//!
//! Each request is still an IPC message to the browser's IndexedDB backend. When the keys wanted
//! are most of the rows between the lowest and the highest of them (an initial sync reads back
//! every item row of the vault, page after page), [`get_items`] reads that range in one
//! `getAll` instead, after a read of its keys; [`get_versions`] does the same for version rows (a
//! query decrypting every candidate reads them in the items' key order, a batch at a time).

use super::error::from_js;
use super::rows;
use crate::model::{ItemId, VersionId};
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

/// From this many keys on, [`get_items`] looks at how many rows their range holds.
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

/// The item rows of `ids` (distinct) in `store`, in order (`undefined` where there is none). From
/// [`RANGE_READ_FROM`] ids on, the keys of the range from the lowest to the highest id are read
/// first (at most twice as many as `ids`, plus one): no row in it, nothing more is read; at most
/// twice as many rows as ids, one `getAll` of the range; more, one `get` per id ([`get_many`]).
pub(super) async fn get_items(store: &ObjectStore<'_>, ids: &[ItemId]) -> Result<Vec<JsValue>, StoreError> {
    // An id's key is its lowercase hyphenated text, which sorts like the id's bytes: the least and
    // greatest ids bound the range of their keys.
    let (Some(lowest), Some(highest)) = (ids.iter().min(), ids.iter().max()) else { return Ok(Vec::new()) };
    if ids.len() < RANGE_READ_FROM {
        return get_many(store, ids.iter().map(|id| rows::item_key(*id))).await;
    }
    let range = IdbKeyRange::bound(&rows::item_key(*lowest), &rows::item_key(*highest)).map_err(|e| from_js(&e))?;
    let Some(found) = range_rows(store, &range, ids.len()).await? else {
        return get_many(store, ids.iter().map(|id| rows::item_key(*id))).await;
    };
    let mut by_id = HashMap::with_capacity(found.length() as usize);
    for row in found.iter() {
        if let Some(id) = rows::text(&row, "id") {
            by_id.insert(id, row);
        }
    }
    Ok(ids.iter().map(|id| by_id.get(&id.to_string()).cloned().unwrap_or(JsValue::UNDEFINED)).collect())
}

/// The version rows of `keys` (item, version) in `store`, in order (`undefined` where
/// there is none), read as [`get_items`] reads item rows: from [`RANGE_READ_FROM`] keys on, the
/// rows of the items from the lowest to the highest are read in one `getAll` when they are at
/// most twice as many as the keys. A query reading every candidate asks for its versions in the
/// items' key order ([`crate::query`]), so that each batch's range holds little else.
pub(super) async fn get_versions(store: &ObjectStore<'_>, keys: &[(ItemId, VersionId)]) -> Result<Vec<JsValue>, StoreError> {
    let one_by_one = || get_many(store, keys.iter().map(|(item, id)| rows::version_key(*item, *id)));
    let (Some(lowest), Some(highest)) = (keys.iter().map(|k| k.0).min(), keys.iter().map(|k| k.0).max()) else {
        return Ok(Vec::new());
    };
    if keys.len() < RANGE_READ_FROM {
        return one_by_one().await;
    }
    // Every key `[item, version]` of the items from the lowest to the highest: `[lowest]` sorts
    // before them, and `[highest, []]` after (an array sorts after every string).
    let lower = js_sys::Array::of1(&rows::item_key(lowest));
    let upper = js_sys::Array::of2(&rows::item_key(highest), &js_sys::Array::new());
    let range = IdbKeyRange::bound(&lower, &upper).map_err(|e| from_js(&e))?;
    let Some(found) = range_rows(store, &range, keys.len()).await? else { return one_by_one().await };
    let mut by_key = HashMap::with_capacity(found.length() as usize);
    for row in found.iter() {
        if let (Some(item), Some(id)) = (rows::text(&row, "item"), rows::text(&row, "id")) {
            by_key.insert((item, id), row);
        }
    }
    Ok(keys
        .iter()
        .map(|(item, id)| by_key.get(&(item.to_string(), id.to_string())).cloned().unwrap_or(JsValue::UNDEFINED))
        .collect())
}

/// Every row of `range` in one `getAll`, if it holds at most about twice `wanted` rows (its keys
/// are read first, up to one more than twice `wanted`: bounded work however many rows the range
/// holds, where a `count` walks them all); `None` when it holds more.
async fn range_rows(store: &ObjectStore<'_>, range: &IdbKeyRange, wanted: usize) -> Result<Option<js_sys::Array>, StoreError> {
    let sys = store.as_sys();
    let limit = 2 * wanted as u32 + 1;
    let probe = sys.get_all_keys_with_key_and_limit(range, limit).map_err(|e| from_js(&e))?;
    let in_range = result(&probe).await?.unchecked_into::<js_sys::Array>().length();
    if in_range == 0 {
        return Ok(Some(js_sys::Array::new()));
    }
    if in_range == limit {
        return Ok(None);
    }
    let all = sys.get_all_with_key(range).map_err(|e| from_js(&e))?;
    Ok(Some(result(&all).await?.unchecked_into()))
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
