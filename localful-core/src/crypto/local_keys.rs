//! What this browser keeps about vault keys, in an IndexedDB database of its own
//! (`localful:{app}:key-store`): each vault's [`KeyCheck`], and the key of each vault the user
//! chose to keep unlocked on this device.
//!
//! # Staying unlocked on this device: what it protects, and what not
//! By default a vault key lives only in memory: a reload with no other tab holding it asks for the
//! password. [`LocalKeys::remember`] (opt-in, per vault) keeps it across reloads, wrapped:
//!
//! - the vault key is encrypted (AES-256-GCM) with a *wrapping key* made for that vault by
//!   WebCrypto as **non-extractable**: no script can read its bytes, only ask the browser to use it;
//! - the wrapping key and the encrypted vault key are stored together in this database; the raw
//!   vault key is never stored.
//!
//! What this keeps the key away from: the server (nothing of it leaves the browser), scripts of
//! other origins, and anyone who copies the stored record without the browser's own key material
//! (an export of the database, a backup of the rows). What it does **not** protect against:
//! someone with this device's disk or user account (browsers keep even non-extractable keys on
//! disk, protected only as the profile is), and a script running in this origin (it cannot export
//! the wrapping key, but can ask the browser to unwrap with it while it runs, as it could read an
//! unlocked key from the page's memory). Offer it for devices the user alone uses.
//!
//! [`LocalKeys::forget`] deletes both the wrapping key and the encrypted vault key: locking on
//! this device calls it.

use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast as _, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, IdbDatabase, IdbFactory, IdbObjectStore, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode};
use zeroize::Zeroizing;

use super::backend::{Backend as _, KEY_LEN, random_array};
use super::backends::WebCrypto;
use super::cipher::CryptoError;
use super::envelope::IV_LEN;
use super::handoff::Stamp;
use super::key_check::KeyCheck;
use super::vault_key::VaultKey;

/// Object store of [`KeyCheck`]s: vault id → the check's envelope.
const CHECKS: &str = "checks";
/// Object store of remembered keys: vault id → `{wrapping, iv, wrapped, since}`.
const REMEMBERED: &str = "remembered";
/// The database's version: the one that has both stores.
const VERSION: u32 = 1;

/// This browser's key checks and remembered keys for the vaults of one app (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalKeys {
    name: String,
}

impl LocalKeys {
    /// The key store of app `app` (the name the app's IndexedDB and channels derive from).
    pub fn new(app: &str) -> Self {
        Self { name: format!("localful:{app}:key-store") }
    }

    /// The check recorded for `vault`, if this browser ever unlocked it with its password.
    pub async fn check(&self, vault: &str) -> Result<Option<KeyCheck>, CryptoError> {
        let found = self.read(CHECKS, vault).await?;
        Ok(found.as_string().map(KeyCheck::from_stored))
    }

    /// Records `key`'s check for `vault`; call it only with a key known to be the vault's (just
    /// unlocked with the password, or just created). Keeps a recorded check `key` opens.
    pub async fn record_check(&self, vault: &str, key: &VaultKey) -> Result<(), CryptoError> {
        if let Some(check) = self.check(vault).await?
            && check.verify(key).await.is_ok()
        {
            return Ok(());
        }
        let check = KeyCheck::of(key).await?;
        self.write(CHECKS, vault, Some(&JsValue::from_str(check.as_str()))).await
    }

    /// Keeps `key` for `vault` on this device, wrapped by a new non-extractable key, with the
    /// stamp of its unlock (see [`handoff`](super::handoff)). Replaces what was kept before.
    pub async fn remember(&self, vault: &str, key: &VaultKey, since: Stamp) -> Result<(), CryptoError> {
        let wrapping = WebCrypto.generate_unextractable_key().await?;
        let iv: [u8; IV_LEN] = random_array()?;
        let raw = key.export_raw()?;
        let wrapped = WebCrypto.seal(&wrapping, &iv, raw.as_slice()).await?;
        let record = Object::new();
        for (name, value) in [
            ("wrapping", JsValue::from(wrapping)),
            ("iv", Uint8Array::from(&iv[..]).into()),
            ("wrapped", Uint8Array::from(wrapped.as_slice()).into()),
            ("since", JsValue::from_f64(since)),
        ] {
            // Setting a property of a fresh plain object cannot fail.
            let _ = Reflect::set(&record, &JsValue::from_str(name), &value);
        }
        self.write(REMEMBERED, vault, Some(&record)).await
    }

    /// The key kept for `vault` on this device and the stamp of its unlock, unwrapped; `None` when
    /// none is kept. Not checked against the vault: verify it with the vault's [`KeyCheck`]. A
    /// record that does not unwrap is [`CryptoError::Tampered`].
    pub async fn recall(&self, vault: &str) -> Result<Option<(VaultKey, Stamp)>, CryptoError> {
        let record = self.read(REMEMBERED, vault).await?;
        if record.is_undefined() || record.is_null() {
            return Ok(None);
        }
        let get = |name: &str| Reflect::get(&record, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
        let (Ok(wrapping), Ok(iv), Ok(wrapped), Some(since)) = (
            get("wrapping").dyn_into::<CryptoKey>(),
            get("iv").dyn_into::<Uint8Array>(),
            get("wrapped").dyn_into::<Uint8Array>(),
            get("since").as_f64(),
        ) else {
            return Err(CryptoError::Tampered);
        };
        let iv: [u8; IV_LEN] = iv.to_vec().try_into().map_err(|_| CryptoError::Tampered)?;
        let plain = Zeroizing::new(WebCrypto.open(&wrapping, &iv, &wrapped.to_vec()).await?);
        let raw: [u8; KEY_LEN] = plain.as_slice().try_into().map_err(|_| CryptoError::Tampered)?;
        let key = VaultKey::from_raw(Zeroizing::new(raw)).await?;
        Ok(Some((key, since)))
    }

    /// Whether a key is kept for `vault` on this device.
    pub async fn is_remembered(&self, vault: &str) -> Result<bool, CryptoError> {
        let record = self.read(REMEMBERED, vault).await?;
        Ok(!(record.is_undefined() || record.is_null()))
    }

    /// Deletes what is kept for `vault` (the wrapping key with it); resolves once that is
    /// committed. Nothing kept is not an error.
    pub async fn forget(&self, vault: &str) -> Result<(), CryptoError> {
        self.write(REMEMBERED, vault, None).await
    }

    /// Deletes the whole key store (every vault's check and remembered key); resolves once it is
    /// gone. The store opens a connection per call and closes it, so nothing holds it open.
    pub async fn destroy(&self) -> Result<(), CryptoError> {
        let request = factory()?.delete_database(&self.name).map_err(|e| idb_error("deleteDatabase", &e))?;
        finish(&request, "deleteDatabase").await.map(drop)
    }

    async fn read(&self, store: &str, vault: &str) -> Result<JsValue, CryptoError> {
        let db = open(&self.name).await?;
        let result = async {
            let tx = db.transaction_with_str(store).map_err(|e| idb_error("transaction", &e))?;
            let request = object_store(&tx, store)?.get(&JsValue::from_str(vault)).map_err(|e| idb_error("get", &e))?;
            finish(&request, "get").await
        }
        .await;
        db.close();
        result
    }

    /// Puts `value` (or deletes, with `None`) and waits for the commit.
    async fn write(&self, store: &str, vault: &str, value: Option<&JsValue>) -> Result<(), CryptoError> {
        let db = open(&self.name).await?;
        let result = async {
            let tx = db
                .transaction_with_str_and_mode(store, IdbTransactionMode::Readwrite)
                .map_err(|e| idb_error("transaction", &e))?;
            let objects = object_store(&tx, store)?;
            let key = JsValue::from_str(vault);
            let request = match value {
                Some(value) => objects.put_with_key(value, &key),
                None => objects.delete(&key),
            }
            .map_err(|e| idb_error("write", &e))?;
            finish(&request, "write").await?;
            committed(&tx).await
        }
        .await;
        db.close();
        result
    }
}

fn object_store(tx: &IdbTransaction, name: &str) -> Result<IdbObjectStore, CryptoError> {
    tx.object_store(name).map_err(|e| idb_error("objectStore", &e))
}

/// A failed IndexedDB call, named by the DOMException's name (never by data it was given).
fn idb_error(context: &str, error: &JsValue) -> CryptoError {
    let name = Reflect::get(error, &JsValue::from_str("name")).ok().and_then(|n| n.as_string());
    CryptoError::Backend(format!("IndexedDB {context}: {}", name.as_deref().unwrap_or("failed")))
}

/// Waits for a `Promise` whose executor `arm` hooks `resolve`/`reject` to event handlers.
async fn settle(mut arm: impl FnMut(&Function, &Function)) -> Result<JsValue, JsValue> {
    JsFuture::from(Promise::new(&mut |resolve, reject| arm(&resolve, &reject))).await
}

/// The result of `request` once it succeeded.
async fn finish(request: &IdbRequest, context: &str) -> Result<JsValue, CryptoError> {
    let outcome = settle(|resolve, reject| {
        request.set_onsuccess(Some(resolve));
        request.set_onerror(Some(reject));
    })
    .await;
    request.set_onsuccess(None);
    request.set_onerror(None);
    match outcome {
        Ok(_) => request.result().map_err(|e| idb_error(context, &e)),
        Err(_) => Err(match request.error() {
            Ok(Some(dom)) => idb_error(context, &dom),
            _ => idb_error(context, &JsValue::UNDEFINED),
        }),
    }
}

/// Resolves once `tx` committed.
async fn committed(tx: &IdbTransaction) -> Result<(), CryptoError> {
    let outcome = settle(|resolve, reject| {
        tx.set_oncomplete(Some(resolve));
        tx.set_onerror(Some(reject));
        tx.set_onabort(Some(reject));
    })
    .await;
    tx.set_oncomplete(None);
    tx.set_onerror(None);
    tx.set_onabort(None);
    outcome.map(drop).map_err(|_| match tx.error() {
        Some(dom) => idb_error("commit", &dom),
        None => idb_error("commit", &JsValue::UNDEFINED),
    })
}

/// This context's IndexedDB factory (a page's or a worker's).
fn factory() -> Result<IdbFactory, CryptoError> {
    Reflect::get(&js_sys::global(), &JsValue::from_str("indexedDB"))
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| CryptoError::Backend(String::from("IndexedDB is unavailable here")))
}

/// Opens the key store, creating its object stores the first time.
async fn open(name: &str) -> Result<IdbDatabase, CryptoError> {
    let request: IdbOpenDbRequest = factory()?.open_with_u32(name, VERSION).map_err(|e| idb_error("open", &e))?;
    let upgrade = {
        let request = request.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
            let Ok(db) = request.result() else { return };
            let db: IdbDatabase = db.unchecked_into();
            for store in [CHECKS, REMEMBERED] {
                if !db.object_store_names().contains(store) {
                    // A failure aborts the upgrade, and the open fails with its error.
                    let _ = db.create_object_store(store);
                }
            }
        })
    };
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let opened = finish(&request, "open").await;
    request.set_onupgradeneeded(None);
    Ok(opened?.unchecked_into())
}
