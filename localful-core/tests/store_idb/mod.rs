//! The IndexedDB backend of the store suite, shared by the page and shared-worker runs.
#![allow(dead_code, unreachable_pub, missing_docs, clippy::unwrap_used)]

use super::store_suite::Factory;
use futures::FutureExt;
use localful_core::{EventBus, IndexedDbStore, ItemId, Store, StoreError};
use std::rc::Rc;

/// Fresh databases per test (random prefix), buses on a real `BroadcastChannel`.
pub fn factory() -> Factory {
    Factory {
        store: Rc::new(|| {
            async { Rc::new(IndexedDbStore::new(format!("localful-test-{}", ItemId::new()))) as Rc<dyn Store> }.boxed_local()
        }),
        bus: Rc::new(EventBus::with_channel),
        broadcasts: true,
        quota_store: None,
    }
}

/// IndexedDB's quota and constraint failures arrive as `DOMException`s; their names map to typed
/// errors (a real quota cannot be exhausted in a test).
pub fn dom_exceptions_map_to_typed_errors() {
    for (name, expected) in [
        ("QuotaExceededError", StoreError::QuotaExceeded("m".into())),
        ("ConstraintError", StoreError::Constraint("m".into())),
        ("AbortError", StoreError::Aborted("m".into())),
        ("InvalidStateError", StoreError::InvalidState("m".into())),
    ] {
        let e = web_sys::DomException::new_with_message_and_name("m", name).unwrap();
        assert_eq!(StoreError::from_dom_exception(&e.name(), &e.message()), expected);
    }
}

/// Two stores on the same databases (two tabs): a write through one is read through the other,
/// and opening with a schema that adds an index upgrades the database under an open connection.
pub async fn two_connections_share_data_and_upgrade(prefix: &str) {
    use super::store_suite::fixtures::*;
    use localful_core::*;
    let cipher = localful_core::testing::PlainCipher::shared();
    let a = Database::new(Rc::new(IndexedDbStore::new(prefix)), Schema::new().with::<DocV1>(), EventBus::local(), "a");
    let vault = a.create_vault("shared", "k").await.unwrap();
    let va = a.open_vault(vault.id, cipher.clone()).await.unwrap();
    let id = va.create(&DocV1 { text: "one two three".into() }).await.unwrap();

    let b = Database::new(Rc::new(IndexedDbStore::new(prefix)), Schema::new().with::<DocV2>(), EventBus::local(), "b");
    let vb = b.open_vault(vault.id, cipher.clone()).await.unwrap();
    let q = vb.query::<DocV2>(&Query::new().filter(Field::data("words"), Op::Equal, 3)).await.unwrap();
    assert_eq!(q.stats.index.as_deref(), Some("words"), "the new index exists and was filled on open");
    assert_eq!(q.entries.len(), 1);
    // The first connection was asked to close for the upgrade; it reopens transparently.
    let id2 = va.create(&DocV1 { text: "still writing".into() }).await.unwrap();
    assert_eq!(vb.get_many::<DocV2>(&[id, id2]).await.unwrap().len(), 2);
}

/// Two tabs (two stores, two connections) writing one item at once: no version is lost and both
/// agree on the current one.
pub async fn two_tabs_write_concurrently(prefix: &str) {
    use super::store_suite::fixtures::*;
    use localful_core::*;
    let cipher = localful_core::testing::PlainCipher::shared();
    let a = Database::new(Rc::new(IndexedDbStore::new(prefix)), schema(), EventBus::local(), "a");
    let b = Database::new(Rc::new(IndexedDbStore::new(prefix)), schema(), EventBus::local(), "b");
    let vault = a.create_vault("shared", "k").await.unwrap();
    let va = a.open_vault(vault.id, cipher.clone()).await.unwrap();
    let vb = b.open_vault(vault.id, cipher.clone()).await.unwrap();
    let id = va.create(&note("n", "0", &[], 0)).await.unwrap();
    let wa = async {
        for i in 0..8 {
            va.update(id, &note("n", &format!("a{i}"), &[], i)).await.unwrap();
        }
    };
    let wb = async {
        for i in 0..8 {
            vb.update(id, &note("n", &format!("b{i}"), &[], 100 + i)).await.unwrap();
        }
    };
    futures::join!(wa, wb);
    let history = va.history::<Note>(id).await.unwrap();
    assert_eq!(history.len(), 17);
    let (x, y) = (va.get::<Note>(id).await.unwrap(), vb.get::<Note>(id).await.unwrap());
    assert_eq!(x.version.id, y.version.id);
    assert_eq!(x.version.id, history[0].id);
    let by_rank = va.query::<Note>(&Query::new().filter(Field::data("rank"), Op::Equal, x.data.rank)).await.unwrap();
    assert_eq!(by_rank.entries.len(), 1, "the index follows the current version");
}

/// Measures local writes (create, update) and an indexed query on IndexedDB, printing the
/// numbers (a measurement, not a pass/fail threshold).
pub async fn measure_writes(prefix: &str) {
    use super::store_suite::fixtures::*;
    use localful_core::*;
    use wasm_bindgen_test::console_log;
    let now = || js_sys::Date::now();
    for (label, cipher) in [
        ("test cipher", localful_core::testing::PlainCipher::shared()),
        ("AES-GCM (WebCrypto)", Rc::new(localful_core::crypto::VaultKey::generate().await.unwrap()) as Rc<dyn localful_core::crypto::Cipher>),
    ] {
        let db = Database::new(Rc::new(IndexedDbStore::new(format!("{prefix}-{}", label.len()))), schema(), EventBus::with_channel("localful-measure"), "m");
        let vault = db.create_vault("m", "k").await.unwrap();
        let v = db.open_vault(vault.id, cipher).await.unwrap();
        let body = "x".repeat(1024);
        let n = 200;
        let mut ids = Vec::new();
        let start = now();
        for i in 0..n {
            ids.push(v.create(&note(&format!("t{i}"), &body, &["a"], i)).await.unwrap());
        }
        let create = (now() - start) / f64::from(n as u32);
        let start = now();
        for (i, id) in ids.iter().enumerate().take(100) {
            v.update(*id, &note(&format!("u{i}"), &body, &["a"], i as i64)).await.unwrap();
        }
        let update = (now() - start) / 100.0;
        let start = now();
        let r = v.query::<Note>(&Query::new().filter(Field::data("rank"), Op::LessThan, 20)).await.unwrap();
        let query = now() - start;
        assert_eq!(r.entries.len(), 20);
        console_log!("[{label}] create {create:.2} ms/item, update {update:.2} ms/item, indexed query of 20 of {n}: {query:.1} ms");
    }
}

/// Rows of format 1 (a version's ids inside its JSON record too, an item's whole `StoredItem` as
/// JSON in `d`, the current version in `versions`) are read like rows of format 3: by `get`, a
/// query, the outbox and the history; a write rewrites them in format 3.
pub async fn rows_of_an_earlier_release_are_read(prefix: &str) {
    use super::store_suite::fixtures::*;
    use indexed_db_futures::prelude::*;
    use localful_core::*;
    let cipher = localful_core::testing::PlainCipher::shared();
    let db = Database::new(Rc::new(IndexedDbStore::new(prefix)), schema(), EventBus::local(), "a");
    let vault = db.create_vault("old rows", "k").await.unwrap();
    let v = db.open_vault(vault.id, cipher).await.unwrap();
    let id = v.create(&note("kept", "body", &[], 7)).await.unwrap();
    let entry = v.get::<Note>(id).await.unwrap();
    let version = localful_core::Replica::of(&v).versions(&[(id, entry.version.id)]).await.unwrap().remove(0);

    // Rewrite the row the old way: `{item, id, d: <the whole Version as JSON>}`.
    let raw = indexed_db_futures::database::Database::open(&format!("{prefix}-vault-{}", vault.id)).await.unwrap();
    let tx = raw.transaction("versions").with_mode(indexed_db_futures::transaction::TransactionMode::Readwrite).build().unwrap();
    let row = js_sys::Object::new();
    let set = |k: &str, v: String| js_sys::Reflect::set(&row, &k.into(), &v.into()).unwrap();
    set("item", id.to_string());
    set("id", version.id.to_string());
    set("d", serde_json::to_string(&version).unwrap());
    tx.object_store("versions").unwrap().put(&row).primitive().unwrap().await.unwrap();
    tx.commit().await.unwrap();

    // And the item row: `{id, ix, pending, d: <the whole StoredItem as JSON>}`, no compact `r`.
    let stored = db.store().get_item(vault.id, id).await.unwrap().unwrap();
    let tx = raw.transaction("items").with_mode(indexed_db_futures::transaction::TransactionMode::Readwrite).build().unwrap();
    let items = tx.object_store("items").unwrap();
    let old: js_sys::Object = items.get(id.to_string()).primitive().unwrap().await.unwrap().unwrap();
    js_sys::Reflect::delete_property(&old, &"r".into()).unwrap();
    // Nor did it hold the current version (row format 3): that lived in `versions`.
    js_sys::Reflect::delete_property(&old, &"vid".into()).unwrap();
    js_sys::Reflect::delete_property(&old, &"v".into()).unwrap();
    js_sys::Reflect::set(&old, &"d".into(), &serde_json::to_string(&stored).unwrap().into()).unwrap();
    items.put(&old).primitive().unwrap().await.unwrap();
    tx.commit().await.unwrap();
    raw.close();

    assert_eq!(db.store().get_item(vault.id, id).await.unwrap(), Some(stored), "the old item row reads the same");
    assert_eq!(v.get::<Note>(id).await.unwrap().data, note("kept", "body", &[], 7));
    assert_eq!(localful_core::Replica::of(&v).versions(&[(id, version.id)]).await.unwrap(), vec![version]);
    let by_rank = v.query::<Note>(&Query::new().filter(Field::data("rank"), Op::Equal, 7)).await.unwrap();
    assert_eq!(by_rank.entries.len(), 1, "found through its index");
    assert_eq!(localful_core::Replica::of(&v).pending().await.unwrap().len(), 1, "its outbox entries are kept");
    // A write rewrites it in the new form, keeping everything.
    v.update(id, &note("kept", "again", &[], 8)).await.unwrap();
    assert_eq!(v.history::<Note>(id).await.unwrap().len(), 2);
    assert_eq!(v.get::<Note>(id).await.unwrap().data.body, "again");
    let found = v.query::<Note>(&Query::new().filter(Field::data("body"), Op::Equal, "again")).await.unwrap();
    assert_eq!(found.entries.iter().map(|e| e.id()).collect::<Vec<_>>(), [id]);
    assert_eq!(v.read_version::<Note>(id, entry.version.id).await.unwrap().body, "body", "the first version is still read");
}

/// The rows of one vault database: `(item rows, version rows)`, raw.
async fn raw_rows(prefix: &str, vault: localful_core::VaultId) -> (Vec<wasm_bindgen::JsValue>, Vec<wasm_bindgen::JsValue>) {
    use indexed_db_futures::prelude::*;
    let raw = indexed_db_futures::database::Database::open(&format!("{prefix}-vault-{vault}")).await.unwrap();
    let tx = raw.transaction(["items", "versions"]).build().unwrap();
    let mut out = Vec::new();
    for name in ["items", "versions"] {
        let found = tx.object_store(name).unwrap().get_all::<wasm_bindgen::JsValue>().primitive().unwrap().await.unwrap();
        out.push(found.map(|r| r.unwrap()).collect::<Vec<_>>());
    }
    drop(tx);
    raw.close();
    let versions = out.pop().unwrap();
    (out.pop().unwrap(), versions)
}

/// Row format 3: an item row holds its current version, so a creation writes one row; an edit
/// moves the version it replaces to `versions`; every version stays readable (get, history, a
/// data query, the outbox), and deleting the item leaves no row holding data it should not.
pub async fn an_item_row_holds_its_current_version(prefix: &str) {
    use super::store_suite::fixtures::*;
    use localful_core::*;
    let cipher = localful_core::testing::PlainCipher::shared();
    let db = Database::new(Rc::new(IndexedDbStore::new(prefix)), schema(), EventBus::local(), "a");
    let vault = db.create_vault("inline", "k").await.unwrap();
    let v = db.open_vault(vault.id, cipher).await.unwrap();
    let ids = v.create_many(&[note("one", "first", &[], 1), note("two", "second", &[], 2)]).await.unwrap();
    let (items, versions) = raw_rows(prefix, vault.id).await;
    assert_eq!((items.len(), versions.len()), (2, 0), "a creation is one row");

    let first = v.get::<Note>(ids[0]).await.unwrap().version.id;
    v.update(ids[0], &note("one", "edited", &[], 1)).await.unwrap();
    let (_, versions) = raw_rows(prefix, vault.id).await;
    assert_eq!(versions.len(), 1, "the replaced version moved to `versions`");
    assert_eq!(v.get::<Note>(ids[0]).await.unwrap().data.body, "edited");
    let history = v.history::<Note>(ids[0]).await.unwrap();
    let mut bodies = Vec::new();
    for meta in &history {
        bodies.push(v.read_version::<Note>(ids[0], meta.id).await.unwrap().body);
    }
    assert_eq!(bodies, ["edited", "first"], "newest first, each version's data read");
    let replica = localful_core::Replica::of(&v);
    let both = replica.versions(&[(ids[0], first), (ids[1], v.get::<Note>(ids[1]).await.unwrap().version.id)]).await.unwrap();
    assert_eq!(both.len(), 2, "a version in `versions` and one in its item row, read together, in order");
    assert_eq!((both[0].id, both[1].item_id), (first, ids[1]));
    let found = v.query::<Note>(&Query::new().filter(Field::data("body"), Op::Equal, "second")).await.unwrap();
    assert_eq!(found.entries.iter().map(|e| e.id()).collect::<Vec<_>>(), [ids[1]]);
    assert_eq!(replica.pending().await.unwrap().len(), 2, "the outbox is kept");

    // The replaced version becomes current again when the newer one is deleted: it is read from
    // `versions`, and the deleted one's data is gone from the item row.
    let newest = v.get::<Note>(ids[0]).await.unwrap().version.id;
    v.delete_version::<Note>(ids[0], newest).await.unwrap();
    assert_eq!(v.get::<Note>(ids[0]).await.unwrap().data.body, "first");
    let (items, _) = raw_rows(prefix, vault.id).await;
    let held: Vec<String> = items.iter().filter_map(|r| js_sys::Reflect::get(r, &"vid".into()).ok()?.as_string()).collect();
    assert!(!held.contains(&newest.to_string()), "a deleted version is not held: {held:?}");
}
