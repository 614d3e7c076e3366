//! JS and IndexedDB errors become typed [`StoreError`]s here, at the boundary.

use crate::store::StoreError;
use wasm_bindgen::{JsCast, JsValue};

/// A `DOMException` (or other thrown JS value) as a [`StoreError`], by its name.
pub(super) fn from_js(value: &JsValue) -> StoreError {
    if let Some(e) = value.dyn_ref::<web_sys::DomException>() {
        return StoreError::from_dom_exception(&e.name(), &e.message());
    }
    if let Some(e) = value.dyn_ref::<js_sys::Error>() {
        let name: String = e.name().into();
        let message: String = e.message().into();
        return StoreError::from_dom_exception(&name, &message);
    }
    StoreError::Backend { name: "Error".into(), message: format!("{value:?}") }
}

/// An `indexed_db_futures` error as a [`StoreError`].
pub(super) fn from_idb(e: indexed_db_futures::error::Error) -> StoreError {
    use indexed_db_futures::error::Error;
    match e {
        Error::DomException(e) => {
            let e: web_sys::DomException = e.into();
            StoreError::from_dom_exception(&e.name(), &e.message())
        }
        Error::Serialisation(e) => StoreError::Corrupt(e.to_string()),
        Error::MissingData(indexed_db_futures::error::UnexpectedDataError::TransactionAborted) => {
            StoreError::Aborted("the transaction was aborted".into())
        }
        Error::MissingData(e) => StoreError::Corrupt(e.to_string()),
        other => StoreError::Backend { name: "Error".into(), message: other.to_string() },
    }
}

/// An `indexed_db_futures` open error as a [`StoreError`].
pub(super) fn from_open(e: indexed_db_futures::error::OpenDbError) -> StoreError {
    use indexed_db_futures::error::OpenDbError;
    match e {
        OpenDbError::Base(e) => from_idb(e),
        other => StoreError::Backend { name: "OpenDbError".into(), message: other.to_string() },
    }
}

/// Commits `tx`; a failure is the transaction's own error when it has one. A commit the browser
/// refuses for lack of space aborts the transaction without failing any request: the abort event
/// carries no error, only `transaction.error` says `QuotaExceededError`.
pub(super) async fn commit(tx: indexed_db_futures::transaction::Transaction<'_>) -> Result<(), StoreError> {
    use indexed_db_futures::internals::SystemRepr;
    let sys: web_sys::IdbTransaction = tx.as_sys().clone().unchecked_into();
    tx.commit().await.map_err(|e| why_aborted(&sys, from_idb(e)))
}

/// `error`, or, when it is a bare abort, the error `tx` records for it (e.g. `QuotaExceededError`).
pub(super) fn why_aborted(tx: &web_sys::IdbTransaction, error: StoreError) -> StoreError {
    match (&error, tx.error()) {
        (StoreError::Aborted(_), Some(cause)) => StoreError::from_dom_exception(&cause.name(), &cause.message()),
        _ => error,
    }
}
