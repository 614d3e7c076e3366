//! `navigator.storage` in a page or a worker.

use super::status::bytes_of;
use super::{StorageError, StorageStatus};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{StorageEstimate, StorageManager};

/// The `StorageManager` of this context (a window or a worker), if it has one.
fn manager() -> Result<StorageManager, StorageError> {
    let global = js_sys::global();
    let navigator =
        js_sys::Reflect::get(&global, &JsValue::from_str("navigator")).map_err(backend)?;
    // `navigator.storage` is undefined in insecure contexts: check before casting.
    let storage =
        js_sys::Reflect::get(&navigator, &JsValue::from_str("storage")).map_err(backend)?;
    if storage.is_undefined() || storage.is_null() {
        return Err(StorageError::Unsupported);
    }
    Ok(storage.unchecked_into())
}

/// A JS error as a [`StorageError::Backend`] with its `DOMException` name.
fn backend(err: JsValue) -> StorageError {
    let name = js_sys::Reflect::get(&err, &JsValue::from_str("name"))
        .ok()
        .and_then(|n| n.as_string());
    let message = js_sys::Reflect::get(&err, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string());
    StorageError::Backend {
        name: name.unwrap_or_else(|| "Error".into()),
        message: message.or_else(|| err.as_string()).unwrap_or_default(),
    }
}

async fn settle(promise: Result<js_sys::Promise, JsValue>) -> Result<JsValue, StorageError> {
    JsFuture::from(promise.map_err(backend)?)
        .await
        .map_err(backend)
}

/// Asks the browser to keep this origin's data until the user deletes it
/// (`navigator.storage.persist()`); returns whether it is now persisted. The browser decides (by
/// engagement, bookmarks, installation; Firefox asks the user), so call it at a moment the user
/// chose. Asking again once granted is harmless.
pub async fn request_persistence() -> Result<bool, StorageError> {
    let manager = manager()?;
    Ok(settle(manager.persist()).await?.as_bool().unwrap_or(false))
}

/// This origin's persistence (`persisted()`), usage and quota (`estimate()`).
pub async fn status() -> Result<StorageStatus, StorageError> {
    let manager = manager()?;
    let persisted = settle(manager.persisted())
        .await?
        .as_bool()
        .unwrap_or(false);
    let estimate: StorageEstimate = settle(manager.estimate()).await?.unchecked_into();
    Ok(StorageStatus {
        persisted,
        usage_bytes: bytes_of(estimate.get_usage()),
        quota_bytes: bytes_of(estimate.get_quota()),
    })
}
