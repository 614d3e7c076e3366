use super::fixtures::*;
use localful_core::crypto::{CryptoError, VaultKey};
use localful_core::*;
use std::rc::Rc;

/// The store with the real spec-v1 cipher (AES-256-GCM): data round-trips, queries decrypt, a
/// locked key refuses reads and writes without writing anything.
pub async fn real_cipher_round_trip(f: &Factory) {
    let store = (f.store)().await;
    let db = Database::new(store, schema(), EventBus::local(), "dev");
    let vault = db.create_vault("Real", "v1:wrapped").await.unwrap();
    let key = VaultKey::generate().await.unwrap();
    let v = db.open_vault(vault.id, Rc::new(key.clone())).await.unwrap();
    let id = v.create(&note("Real", "encrypted body", &["x"], 1)).await.unwrap();
    v.update(id, &note("Real", "second body", &["x"], 2)).await.unwrap();
    let found = v.query::<Note>(&Query::new().filter(Field::data("body"), Op::Like, "SECOND")).await.unwrap();
    assert_eq!(found.entries.len(), 1);
    let current = found.entries[0].version.id;
    let stored = localful_core::Replica::of(&v).versions(&[(id, current)]).await.unwrap();
    let envelope = stored[0].protected_data.clone().unwrap();
    assert!(envelope.starts_with("v1:") && !envelope.contains("second"));

    // An import mixing small values with one the browser seals through WebCrypto (4 KiB and
    // more: it awaits, so the import seals everything before writing).
    let big = "x".repeat(8 * 1024);
    let notes = vec![note("small", "a", &[], 1), note("big", &big, &[], 2), note("small too", "b", &[], 3)];
    let ids = v.create_many(&notes).await.unwrap();
    let got = v.get_many::<Note>(&ids).await.unwrap();
    assert_eq!(got.into_iter().map(|e| e.data).collect::<Vec<_>>(), notes);
    let small: Vec<Note> = (0..40).map(|i| note(&format!("s{i}"), "small", &[], i)).collect();
    let ids = v.create_many(&small).await.unwrap();
    assert_eq!(v.get::<Note>(ids[39]).await.unwrap().data, small[39]);

    key.lock();
    let locked = Error::Crypto(CryptoError::Locked);
    assert_eq!(v.update(id, &note("Real", "third", &[], 3)).await.unwrap_err(), locked);
    assert_eq!(v.get::<Note>(id).await.unwrap_err(), locked);
    let rows = || async { db.store().all_items(v.id()).await.unwrap().len() };
    let before = rows().await;
    assert_eq!(v.create_many(&small).await.unwrap_err(), locked, "a locked key imports nothing");
    assert_eq!(rows().await, before);
    assert_eq!(v.history::<Note>(id).await.unwrap().len(), 2, "nothing written while locked");
}

/// Two writers on the same storage (two tabs, or a tab and the worker) editing one item at once:
/// every version is kept and both agree on the current one.
pub async fn concurrent_writers_stay_consistent(f: &Factory) {
    let e = env(f).await;
    let other_db = Database::new(e.db.shared_store(), schema(), EventBus::local(), "other-tab");
    let other = other_db.open_vault(e.vault.id(), Rc::new(localful_core::testing::PlainCipher::new(7))).await.unwrap();
    let id = e.vault.create(&note("shared", "0", &[], 0)).await.unwrap();
    let writes_a = async {
        for i in 0..5 {
            e.vault.update(id, &note("shared", &format!("a{i}"), &[], i)).await.unwrap();
        }
    };
    let writes_b = async {
        for i in 0..5 {
            other.update(id, &note("shared", &format!("b{i}"), &[], i)).await.unwrap();
        }
    };
    futures::join!(writes_a, writes_b);
    let history = e.vault.history::<Note>(id).await.unwrap();
    assert_eq!(history.len(), 11, "no version lost");
    let a = e.vault.get::<Note>(id).await.unwrap();
    let b = other.get::<Note>(id).await.unwrap();
    assert_eq!(a.version.id, b.version.id);
    assert_eq!(a.version.id, history[0].id, "the current version is the LWW winner");
    assert_eq!(a.item.exposed["rank"], serde_json::json!(a.data.rank), "exposed fields follow it");
}
