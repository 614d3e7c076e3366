//! The object stores and indexes of the registry and vault databases, and the raw `web-sys`
//! upgrade that creates them (`indexed_db_futures` does not expose the version-change
//! transaction, which adding an index to an existing store needs).

use super::error::from_js;
use crate::collection::{Exposure, Schema};
use crate::store::StoreError;
use futures::channel::oneshot;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{IdbDatabase, IdbFactory, IdbIndexParameters, IdbObjectStoreParameters, IdbOpenDbRequest, IdbTransaction};

/// The registry's object store of vaults, keyed by `id`.
pub(super) const VAULTS: &str = "vaults";
/// A vault's object store of item rows, keyed by `id`.
pub(super) const ITEMS: &str = "items";
/// A vault's object store of version rows, keyed by `[item, id]`.
pub(super) const VERSIONS: &str = "versions";
/// A vault's object store of local-only values, keyed by `id`.
pub(super) const META: &str = "meta";
/// The sparse index of item rows with pending outbox entries.
pub(super) const PENDING: &str = "pending";

/// An index over an `Indexed` exposed field: its name and the property of the item row it reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct FieldIndex {
    pub(super) name: String,
    pub(super) property: String,
}

/// The index of `field` of `collection`. The property is `k` + hex of `collection\0field`, a valid
/// key path identifier whatever the names contain.
pub(super) fn field_index(collection: &str, field: &str) -> FieldIndex {
    let hex: String = format!("{collection}\0{field}").bytes().map(|b| format!("{b:02x}")).collect();
    FieldIndex { name: format!("ix:{collection}:{field}"), property: format!("k{hex}") }
}

/// The `(collection, field)` of every field index database `db` has (whatever schema created it),
/// decoded from the indexes' key paths.
pub(super) fn indexed_fields(db: &IdbDatabase) -> Vec<(String, String)> {
    let Ok(tx) = db.transaction_with_str(ITEMS) else { return Vec::new() };
    let Ok(items) = tx.object_store(ITEMS) else { return Vec::new() };
    let names = items.index_names();
    let mut out = Vec::new();
    for i in 0..names.length() {
        let Some(name) = names.item(i) else { continue };
        let Ok(index) = items.index(&name) else { continue };
        let Some(path) = index.key_path().ok().and_then(|p| p.as_string()) else { continue };
        let Some(hex) = path.strip_prefix("ix.k") else { continue };
        let bytes: Option<Vec<u8>> = (0..hex.len())
            .step_by(2)
            .map(|j| hex.get(j..j + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
            .collect();
        let Some(text) = bytes.and_then(|b| String::from_utf8(b).ok()) else { continue };
        if let Some((collection, field)) = text.split_once('\0') {
            out.push((collection.to_owned(), field.to_owned()));
        }
    }
    out
}

/// Every field index `schema` needs.
pub(super) fn field_indexes(schema: &Schema) -> Vec<FieldIndex> {
    schema
        .collections()
        .flat_map(|c| {
            c.exposed_fields()
                .iter()
                .filter(|f| f.exposure == Exposure::Indexed)
                .map(|f| field_index(c.name(), &f.name))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// What a database must contain.
#[derive(Clone, Debug)]
pub(super) enum Layout {
    /// The vault registry.
    Registry,
    /// A vault's items and versions with these field indexes.
    Vault(Vec<FieldIndex>),
}

impl Layout {
    /// This layout with `other`'s field indexes too.
    pub(super) fn union(&self, other: &Layout) -> Layout {
        match (self, other) {
            (Self::Vault(a), Self::Vault(b)) => {
                let mut all = a.clone();
                all.extend(b.iter().filter(|i| !a.contains(i)).cloned());
                Self::Vault(all)
            }
            _ => self.clone(),
        }
    }
}

fn factory() -> Result<IdbFactory, StoreError> {
    let global = js_sys::global();
    let idb = js_sys::Reflect::get(&global, &"indexedDB".into()).map_err(|e| from_js(&e))?;
    idb.dyn_into::<IdbFactory>().map_err(|_| StoreError::Backend { name: "NotSupported".into(), message: "no indexedDB here".into() })
}

fn has(list: &web_sys::DomStringList, name: &str) -> bool {
    list.contains(name)
}

impl Layout {
    /// Whether `db` already has every store and index.
    fn satisfied_by(&self, db: &IdbDatabase) -> bool {
        let stores = db.object_store_names();
        match self {
            Self::Registry => has(&stores, VAULTS),
            Self::Vault(indexes) => {
                if !(has(&stores, ITEMS) && has(&stores, VERSIONS) && has(&stores, META)) {
                    return false;
                }
                let Ok(tx) = db.transaction_with_str(ITEMS) else { return false };
                let Ok(items) = tx.object_store(ITEMS) else { return false };
                let names = items.index_names();
                has(&names, PENDING) && indexes.iter().all(|i| has(&names, &i.name))
            }
        }
    }

    /// Creates what is missing, inside the version-change transaction `tx`.
    fn create_missing(&self, db: &IdbDatabase, tx: &IdbTransaction) -> Result<(), wasm_bindgen::JsValue> {
        let stores = db.object_store_names();
        match self {
            Self::Registry => {
                if !has(&stores, VAULTS) {
                    let params = IdbObjectStoreParameters::new();
                    params.set_key_path(&"id".into());
                    db.create_object_store_with_optional_parameters(VAULTS, &params)?;
                }
            }
            Self::Vault(indexes) => {
                if !has(&stores, ITEMS) {
                    let params = IdbObjectStoreParameters::new();
                    params.set_key_path(&"id".into());
                    db.create_object_store_with_optional_parameters(ITEMS, &params)?;
                }
                if !has(&stores, META) {
                    let params = IdbObjectStoreParameters::new();
                    params.set_key_path(&"id".into());
                    db.create_object_store_with_optional_parameters(META, &params)?;
                }
                if !has(&stores, VERSIONS) {
                    let params = IdbObjectStoreParameters::new();
                    let path = js_sys::Array::of2(&"item".into(), &"id".into());
                    params.set_key_path(&path);
                    db.create_object_store_with_optional_parameters(VERSIONS, &params)?;
                }
                let items = tx.object_store(ITEMS)?;
                let names = items.index_names();
                if !has(&names, PENDING) {
                    items.create_index_with_str(PENDING, PENDING)?;
                }
                for index in indexes {
                    if !has(&names, &index.name) {
                        let params = IdbIndexParameters::new();
                        params.set_multi_entry(true);
                        items.create_index_with_str_and_optional_parameters(&index.name, &format!("ix.{}", index.property), &params)?;
                    }
                }
            }
        }
        Ok(())
    }
}

type Outcome = Result<IdbDatabase, StoreError>;

/// Opens `name` (at `version`, or its current one), running `layout`'s upgrade if one is needed.
async fn open_raw(name: &str, version: Option<u32>, layout: &Layout) -> Outcome {
    let factory = factory()?;
    let request: IdbOpenDbRequest = match version {
        Some(v) => factory.open_with_u32(name, v),
        None => factory.open(name),
    }
    .map_err(|e| from_js(&e))?;
    let (tx, rx) = oneshot::channel::<Outcome>();
    let tx = Rc::new(RefCell::new(Some(tx)));
    let upgrade_error: Rc<RefCell<Option<StoreError>>> = Rc::default();

    let on_upgrade = {
        let request = request.clone();
        let layout = layout.clone();
        let upgrade_error = upgrade_error.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_e: web_sys::Event| {
            let (Ok(db), Some(vtx)) = (request.result(), request.transaction()) else { return };
            let db: IdbDatabase = db.unchecked_into();
            if let Err(e) = layout.create_missing(&db, &vtx) {
                *upgrade_error.borrow_mut() = Some(from_js(&e));
                let _ = vtx.abort();
            }
        })
    };
    let on_success = {
        let request = request.clone();
        let tx = tx.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_e: web_sys::Event| {
            let result = request.result().map(|db| db.unchecked_into::<IdbDatabase>()).map_err(|e| from_js(&e));
            if let Some(tx) = tx.borrow_mut().take() {
                let _ = tx.send(result);
            }
        })
    };
    let on_error = {
        let request = request.clone();
        let tx = tx.clone();
        let upgrade_error = upgrade_error.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            e.prevent_default();
            let error = upgrade_error.borrow_mut().take().unwrap_or_else(|| match request.error() {
                Ok(Some(dom)) => StoreError::from_dom_exception(&dom.name(), &dom.message()),
                _ => StoreError::Aborted("opening the database failed".into()),
            });
            if let Some(tx) = tx.borrow_mut().take() {
                let _ = tx.send(Err(error));
            }
        })
    };
    request.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    request.set_onsuccess(Some(on_success.as_ref().unchecked_ref()));
    request.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let result = rx.await.unwrap_or_else(|_| Err(StoreError::Aborted("open request dropped".into())));
    request.set_onupgradeneeded(None);
    request.set_onsuccess(None);
    request.set_onerror(None);
    result
}

/// Makes sure database `name` has everything `layout` needs, upgrading it (one version up) if not.
pub(super) async fn ensure(name: &str, layout: &Layout) -> Result<(), StoreError> {
    let db = open_raw(name, None, layout).await?;
    if layout.satisfied_by(&db) {
        db.close();
        return Ok(());
    }
    let next = (db.version() as u32).saturating_add(1);
    db.close();
    let db = open_raw(name, Some(next), layout).await?;
    db.close();
    Ok(())
}

/// Deletes database `name`, waiting until it is gone.
pub(super) async fn delete(name: &str) -> Result<(), StoreError> {
    let request = factory()?.delete_database(name).map_err(|e| from_js(&e))?;
    let (tx, rx) = oneshot::channel::<Result<(), StoreError>>();
    let tx = Rc::new(RefCell::new(Some(tx)));
    let done = {
        let tx = tx.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_e: web_sys::Event| {
            if let Some(tx) = tx.borrow_mut().take() {
                let _ = tx.send(Ok(()));
            }
        })
    };
    let failed = {
        let tx = tx.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_e: web_sys::Event| {
            if let Some(tx) = tx.borrow_mut().take() {
                let _ = tx.send(Err(StoreError::Aborted("deleting the database failed".into())));
            }
        })
    };
    request.set_onsuccess(Some(done.as_ref().unchecked_ref()));
    request.set_onerror(Some(failed.as_ref().unchecked_ref()));
    let result = rx.await.unwrap_or_else(|_| Err(StoreError::Aborted("delete request dropped".into())));
    request.set_onsuccess(None);
    request.set_onerror(None);
    result
}
