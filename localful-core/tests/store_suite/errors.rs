use super::fixtures::*;
use localful_core::*;
use localful_core::store::{ItemWrite, ops};
use std::collections::BTreeMap;

async fn snapshot(e: &Env) -> (Vec<StoredItem>, usize) {
    let rows = localful_core::Replica::of(&e.vault).pending().await.unwrap();
    let count = e.vault.query::<Note>(&Query::new()).await.unwrap().entries.len();
    (rows, count)
}

pub async fn errors_value_not_matching_collection(f: &Factory) {
    let e = env(f).await;
    let v = &e.vault;
    let before = snapshot(&e).await;
    let err = v.create_value("notes", serde_json::json!({"title": 5})).await.unwrap_err();
    assert!(matches!(err, Error::Data(DataError::TypeMismatch { ref collection, .. }) if collection == "notes"), "{err:?}");
    let err = v.create_value("notes", serde_json::json!(["not", "an", "object"])).await.unwrap_err();
    assert!(matches!(err, Error::Data(DataError::TypeMismatch { .. })));
    let err = v.create(&Weird { map: BTreeMap::from([((1, 2), 3)]) }).await.unwrap_err();
    assert!(matches!(err, Error::Data(DataError::TypeMismatch { .. })), "{err:?}");
    assert_eq!(v.create_value("nope", serde_json::json!({})).await.unwrap_err(), Error::Data(DataError::UnknownCollection("nope".into())));
    assert_eq!(snapshot(&e).await, before, "nothing written");
    // Reading an item as another collection's type.
    let id = v.create(&note("a", "", &[], 1)).await.unwrap();
    assert_eq!(
        v.get::<Task>(id).await.unwrap_err(),
        Error::Data(DataError::WrongCollection { expected: "tasks".into(), found: "notes".into() })
    );
    assert!(matches!(v.update(id, &Task { name: "x".into(), done: false }).await, Err(Error::Data(DataError::WrongCollection { .. }))));
    let ok = v.create_value("notes", serde_json::json!({"title": "t", "body": "b", "tags": [], "rank": 1})).await.unwrap();
    assert_eq!(v.get::<Note>(ok).await.unwrap().data.title, "t");
}

pub async fn errors_missing_and_deleted_items(f: &Factory) {
    let e = env(f).await;
    let v = &e.vault;
    let missing = ItemId::new();
    assert_eq!(v.get::<Note>(missing).await.unwrap_err(), Error::Store(StoreError::ItemNotFound(missing)));
    assert_eq!(v.update(missing, &note("a", "", &[], 1)).await.unwrap_err(), Error::Store(StoreError::ItemNotFound(missing)));
    assert_eq!(v.delete::<Note>(missing).await.unwrap_err(), Error::Store(StoreError::ItemNotFound(missing)));
    assert_eq!(v.history::<Note>(missing).await.unwrap_err(), Error::Store(StoreError::ItemNotFound(missing)));
    let id = v.create(&note("a", "", &[], 1)).await.unwrap();
    let first = v.get::<Note>(id).await.unwrap().version.id;
    v.delete::<Note>(id).await.unwrap();
    let before = e.db.store().get_item(v.id(), id).await.unwrap();
    assert_eq!(v.update(id, &note("b", "", &[], 1)).await.unwrap_err(), Error::Store(StoreError::ItemDeleted(id)));
    assert_eq!(v.delete::<Note>(id).await.unwrap_err(), Error::Store(StoreError::ItemDeleted(id)));
    assert_eq!(v.restore::<Note>(id, first).await.unwrap_err(), Error::Store(StoreError::VersionNotFound(first)));
    assert_eq!(v.prune::<Note>(id, Prune::KeepNewest(1)).await.unwrap_err(), Error::Store(StoreError::ItemDeleted(id)));
    assert_eq!(e.db.store().get_item(v.id(), id).await.unwrap(), before, "nothing written");
}

pub async fn errors_closed_database(f: &Factory) {
    let e = env(f).await;
    let id = e.vault.create(&note("a", "", &[], 1)).await.unwrap();
    e.vault.close();
    let closed = Error::Store(StoreError::Closed);
    assert_eq!(e.vault.get::<Note>(id).await.unwrap_err(), closed);
    assert_eq!(e.vault.create(&note("b", "", &[], 1)).await.unwrap_err(), closed);
    assert_eq!(e.vault.query::<Note>(&Query::new()).await.unwrap_err(), closed);
    let again = e.db.open_vault(e.vault.id(), e.cipher.clone()).await.unwrap();
    assert_eq!(again.query::<Note>(&Query::new()).await.unwrap().entries.len(), 1, "nothing written while closed");
}

pub async fn errors_locked_vault_writes_nothing(f: &Factory) {
    let e = env(f).await;
    let id = e.vault.create(&note("a", "", &[], 1)).await.unwrap();
    let before = e.db.store().get_item(e.vault.id(), id).await.unwrap();
    e.cipher.set_locked(true);
    let locked = Error::Crypto(localful_core::crypto::CryptoError::Locked);
    assert_eq!(e.vault.create(&note("b", "", &[], 1)).await.unwrap_err(), locked);
    assert_eq!(e.vault.update(id, &note("c", "", &[], 1)).await.unwrap_err(), locked);
    assert_eq!(e.vault.get::<Note>(id).await.unwrap_err(), locked);
    e.cipher.set_locked(false);
    assert_eq!(e.db.store().get_item(e.vault.id(), id).await.unwrap(), before);
    assert_eq!(e.vault.query::<Note>(&Query::new()).await.unwrap().entries.len(), 1);
}

pub async fn errors_tampered_data_is_typed(f: &Factory) {
    let e = env(f).await;
    let id = e.vault.create(&note("a", "", &[], 1)).await.unwrap();
    // Open the same vault with another key: its data does not authenticate.
    let wrong = e.db.open_vault(e.vault.id(), std::rc::Rc::new(localful_core::testing::PlainCipher::new(99))).await.unwrap();
    assert_eq!(wrong.get::<Note>(id).await.unwrap_err(), Error::Crypto(localful_core::crypto::CryptoError::Tampered));
    assert_eq!(e.vault.get::<Note>(id).await.unwrap().data.title, "a", "nothing lost");
}

/// A write the backend rejects (a constraint error: a version row that already exists) leaves
/// the item row untouched too: one transaction.
pub async fn errors_constraint_rolls_back_the_whole_write(f: &Factory) {
    let e = env(f).await;
    let id = e.vault.create(&note("a", "", &[], 1)).await.unwrap();
    let before = e.db.store().get_item(e.vault.id(), id).await.unwrap().unwrap();
    let existing = localful_core::Replica::of(&e.vault).versions(&[(id, before.item.current_version_id.unwrap())]).await.unwrap();
    let mut changed = before.clone();
    changed.item.exposed.insert("title".into(), serde_json::json!("half-written"));
    let write = ItemWrite { item: changed, put_versions: existing, drop_versions: vec![] };
    let mutation: ops::Mutation = Box::new(move |_| Ok(write));
    let err = e.db.store().write_item(e.vault.id(), id, mutation).await.unwrap_err();
    assert!(matches!(err, StoreError::Constraint(_)), "{err:?}");
    assert_eq!(e.db.store().get_item(e.vault.id(), id).await.unwrap().unwrap(), before);
}

pub async fn errors_quota_exceeded_writes_nothing(f: &Factory) {
    let Some(quota_store) = &f.quota_store else { return };
    let db = Database::new(quota_store(4_000), schema(), EventBus::local(), "dev");
    let vault = db.create_vault("Q", "k").await.unwrap();
    let vault = db.open_vault(vault.id, localful_core::testing::PlainCipher::shared()).await.unwrap();
    let id = vault.create(&note("small", "", &[], 1)).await.unwrap();
    let big = "x".repeat(8_000);
    let err = vault.update(id, &note("big", &big, &[], 1)).await.unwrap_err();
    assert!(matches!(err, Error::Store(StoreError::QuotaExceeded(_))), "{err:?}");
    assert_eq!(vault.get::<Note>(id).await.unwrap().data.title, "small");
    assert_eq!(vault.history::<Note>(id).await.unwrap().len(), 1);
}
