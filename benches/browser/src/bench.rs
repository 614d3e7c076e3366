//! Our side of each benchmark, exported to the page: one vault in IndexedDB, written and read
//! through the public API (`Database`, `VaultHandle`, `crypto::unlock`) exactly as an app does.

use crate::model::Note;
use js_sys::Promise;
use localful_core::backup::{BackupError, BlobSink, blob_chunks};
use localful_core::crypto::{self, VaultKey};
use localful_core::{
    Database, Direction, EventBus, Field, IndexedDbStore, ItemId, Op, Query, Schema, VaultHandle,
};
use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

struct Inner {
    db: Database,
    vault: VaultHandle,
    protected: String,
    docs: RefCell<Rc<Vec<Note>>>,
}

/// One vault of app `app`, created and unlocked, with the documents the runner handed over.
#[wasm_bindgen]
pub struct Bench {
    inner: Rc<Inner>,
}

fn js_error(e: impl std::fmt::Display) -> JsValue {
    JsError::new(&e.to_string()).into()
}

/// A promise of `work`'s result, its error as a JavaScript `Error`.
fn promise<T: Into<JsValue>, E: std::fmt::Display>(
    work: impl Future<Output = Result<T, E>> + 'static,
) -> Promise {
    future_to_promise(async move { work.await.map(Into::into).map_err(js_error) })
}

/// Creates a vault named `name` in app `app` (IndexedDB prefix `app`, change events on the channel
/// a `LocalfulProvider` for `app` listens to) protected by `password` at the default PBKDF2
/// iterations, and opens it. Resolves to a [`Bench`].
// `pub` because wasm-bindgen exports only public functions; nothing in the crate calls it.
#[allow(unreachable_pub)]
#[wasm_bindgen(js_name = createBench)]
pub fn create_bench(app: String, name: String, password: String) -> Promise {
    future_to_promise(async move {
        let store = Rc::new(IndexedDbStore::new(app.clone()));
        let events = EventBus::with_channel(&localful_yew::LocalfulConfig::new(app).channel_name());
        let db = Database::new(store, Schema::new().with::<Note>(), events, "bench");
        let (key, protected) = crypto::create_protected_key(&password)
            .await
            .map_err(js_error)?;
        let vault = db.create_vault(&name, &protected).await.map_err(js_error)?;
        let vault = db
            .open_vault(vault.id, Rc::new(key))
            .await
            .map_err(js_error)?;
        let inner = Inner {
            db,
            vault,
            protected,
            docs: RefCell::default(),
        };
        Ok(Bench {
            inner: Rc::new(inner),
        }
        .into())
    })
}

#[wasm_bindgen]
impl Bench {
    /// The vault's id.
    #[wasm_bindgen(getter, js_name = vaultId)]
    pub fn vault_id(&self) -> String {
        self.inner.vault.id().to_string()
    }

    /// Takes the documents (a JSON array of notes) that later calls write by index.
    #[wasm_bindgen(js_name = setDocs)]
    pub fn set_docs(&self, json: &str) -> Result<usize, JsError> {
        let docs: Vec<Note> = serde_json::from_str(json)?;
        let count = docs.len();
        *self.inner.docs.borrow_mut() = Rc::new(docs);
        Ok(count)
    }

    fn doc(&self, index: usize) -> Result<Note, JsValue> {
        self.inner
            .docs
            .borrow()
            .get(index)
            .cloned()
            .ok_or_else(|| js_error(format!("no document {index}")))
    }

    /// Creates document `index` as a new item (`VaultHandle::create`: encrypt, one transaction,
    /// one change event). Resolves to its id.
    pub fn create(&self, index: usize) -> Promise {
        let (inner, doc) = (self.inner.clone(), self.doc(index));
        promise(async move {
            inner
                .vault
                .create(&doc.map_err(|e| format!("{e:?}"))?)
                .await
                .map(|id| id.to_string())
                .map_err(|e| e.to_string())
        })
    }

    /// Creates every document in one `VaultHandle::create_many`. Resolves to how many.
    #[wasm_bindgen(js_name = createAll)]
    pub fn create_all(&self) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let docs = inner.docs.borrow().clone();
            inner
                .vault
                .create_many(&docs)
                .await
                .map(|ids| ids.len() as u32)
        })
    }

    /// Saves a new version of item `id` with document `index`, retitled `title`
    /// (`VaultHandle::update`).
    pub fn update(&self, id: String, index: usize, title: String) -> Promise {
        let (inner, doc) = (self.inner.clone(), self.doc(index));
        promise(async move {
            let id: ItemId = id
                .parse()
                .map_err(|e: localful_core::IdError| e.to_string())?;
            let mut doc = doc.map_err(|e| format!("{e:?}"))?;
            doc.title = title;
            inner
                .vault
                .update(id, &doc)
                .await
                .map(|v| v.to_string())
                .map_err(|e| e.to_string())
        })
    }

    /// Query by the indexed exposed field: the notes of `bucket`. Resolves to how many.
    #[wasm_bindgen(js_name = queryBucket)]
    pub fn query_bucket(&self, bucket: i32) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let query = Query::new().filter(Field::data("bucket"), Op::Equal, i64::from(bucket));
            inner
                .vault
                .query::<Note>(&query)
                .await
                .map(|page| page.entries.len() as u32)
        })
    }

    /// The first page of a list: the `limit` notes with the greatest `bucket` (an indexed exposed
    /// field, so the order is known before decryption and only the page is decrypted). Resolves
    /// to how many.
    #[wasm_bindgen(js_name = queryFirstPage)]
    pub fn query_first_page(&self, limit: usize) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let query = Query::new().order_by(Field::data("bucket"), Direction::Descending).limit(limit);
            inner
                .vault
                .query::<Note>(&query)
                .await
                .map(|page| page.entries.len() as u32)
        })
    }

    /// Forgets the values the vault handle decrypted before (`VaultHandle::forget_decrypted`), so
    /// the next query decrypts as a first read does.
    #[wasm_bindgen(js_name = forgetDecrypted)]
    pub fn forget_decrypted(&self) {
        self.inner.vault.forget_decrypted();
    }

    /// Query by a filter on encrypted data: the notes whose body contains `word` (every note is
    /// decrypted). Resolves to how many.
    #[wasm_bindgen(js_name = queryBody)]
    pub fn query_body(&self, word: String) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let query = Query::new().filter(Field::data("body"), Op::Includes, word.as_str());
            inner
                .vault
                .query::<Note>(&query)
                .await
                .map(|page| page.entries.len() as u32)
        })
    }

    /// Unlocks the vault's protected key with `password` (`crypto::unlock`: PBKDF2 at the
    /// iterations the key was made with, then unwrap). Resolves to whether the key is this vault's.
    pub fn unlock(&self, password: String) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let key: VaultKey = crypto::unlock(&inner.protected, &password).await?;
            Ok::<_, crypto::CryptoError>(!key.is_locked())
        })
    }

    /// Writes the vault's encrypted backup (`VaultHandle::export_backup`) into a `Blob` of parts.
    /// Resolves to the `Blob`.
    #[wasm_bindgen(js_name = exportBackup)]
    pub fn export_backup(&self) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let mut sink = BlobSink::new();
            inner
                .vault
                .export_backup(|line| sink.push(line), |_| {})
                .await?;
            sink.finish().map(JsValue::from)
        })
    }

    /// Restores `blob` (a backup of this vault) into app `app`'s fresh databases, as on another
    /// device: verifies the whole file, unlocks its key with `password` (PBKDF2 at the default
    /// iterations), then merges it (`Database::restore_backup`). Resolves to the items added.
    #[wasm_bindgen(js_name = restoreBackup)]
    pub fn restore_backup(app: String, password: String, blob: web_sys::Blob) -> Promise {
        promise(async move {
            let store = Rc::new(IndexedDbStore::new(app));
            let db = Database::new(
                store,
                Schema::new().with::<Note>(),
                EventBus::local(),
                "bench-restore",
            );
            let summary = Database::verify_backup(blob_chunks(&blob), |_| {}).await?;
            let key =
                crypto::unlock(&summary.header.vault.protected_encryption_key, &password).await?;
            let report = db
                .restore_backup(&summary, Rc::new(key), blob_chunks(&blob), |_| {})
                .await?;
            Ok::<_, BackupError>(report.items_added as u32)
        })
    }

    /// Deletes the vault (its database goes).
    pub fn delete(&self) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            inner
                .db
                .delete_vault(inner.vault.id())
                .await
                .map(|()| JsValue::TRUE)
        })
    }
}

/// The size of the wasm linear memory in bytes: it grows and never shrinks, so its growth during
/// an operation is that operation's peak wasm heap beyond what was already free.
#[allow(unreachable_pub)]
#[wasm_bindgen(js_name = wasmMemoryBytes)]
pub fn wasm_memory_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length() as f64
}
