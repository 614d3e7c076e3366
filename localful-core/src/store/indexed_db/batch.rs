//! Many `get`s of one transaction awaited with one callback.
//!
//! Awaiting each request apart costs a listener closure, a channel and a wake-up per row. The
//! requests of a transaction complete in the order they were made, so once the last one has
//! succeeded every earlier one has too: only the last is awaited, and the others' results are then
//! read synchronously from their requests.

use super::error::from_js;
use crate::store::StoreError;
use futures::channel::oneshot;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::object_store::ObjectStore;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::IdbRequest;

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
