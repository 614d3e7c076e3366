use super::fixtures::*;
use localful_core::crypto::Cipher;
use localful_core::*;

async fn sealed(e: &Env, item: ItemId, ms: i64, data: &Note) -> Version {
    let bytes = serde_json::to_vec(data).unwrap();
    Version {
        id: VersionId::new(),
        item_id: item,
        created_at: at(ms),
        device_name: "phone".into(),
        schema_version: 1,
        protected_data: Some(e.cipher.encrypt(&bytes).await.unwrap()),
        deleted_at: None,
    }
}

fn remote_item(e: &Env, id: ItemId) -> Item {
    Item {
        id,
        vault_id: e.vault.id(),
        collection: "notes".into(),
        created_at: at(1_000),
        deleted_at: None,
        current_version_id: None,
        exposed: Default::default(),
    }
}

pub async fn remote_items_and_versions_apply_idempotently(f: &Factory) {
    let e = env(f).await;
    let v = &e.vault;
    let id = ItemId::new();
    let mut events = e.db.events().stream();
    localful_core::Replica::of(&v).apply_remote_item(remote_item(&e, id)).await.unwrap();
    localful_core::Replica::of(&v).apply_remote_item(remote_item(&e, id)).await.unwrap();
    assert_eq!(drain(&mut events), vec![synced_event(v.id(), "notes", vec![id], ItemAction::Created)]);
    assert!(v.query::<Note>(&Query::new()).await.unwrap().entries.is_empty(), "no version yet: not visible");

    let first = sealed(&e, id, 2_000, &note("remote", "body", &["x"], 1)).await;
    localful_core::Replica::of(&v).apply_remote_version(first.clone()).await.unwrap();
    localful_core::Replica::of(&v).apply_remote_version(first.clone()).await.unwrap();
    assert_eq!(drain(&mut events), vec![synced_event(v.id(), "notes", vec![id], ItemAction::Updated)]);
    let got = v.get::<Note>(id).await.unwrap();
    assert_eq!(got.data.title, "remote");
    assert_eq!(got.version.device_name, "phone");
    assert_eq!(got.item.exposed["title"], serde_json::json!("remote"));
    assert!(localful_core::Replica::of(&v).pending().await.unwrap().is_empty(), "remote writes are not pushed back");

    // An older version only adds history.
    let older = sealed(&e, id, 1_500, &note("older", "", &[], 0)).await;
    localful_core::Replica::of(&v).apply_remote_version(older.clone()).await.unwrap();
    assert_eq!(drain(&mut events), vec![synced_event(v.id(), "notes", vec![id], ItemAction::HistoryChanged)]);
    assert_eq!(v.get::<Note>(id).await.unwrap().version.id, first.id);
    assert_eq!(v.history::<Note>(id).await.unwrap().len(), 2);

    // A remote deletion of the current version falls back to the older one.
    let mut gone = first.clone();
    gone.deleted_at = Some(at(3_000));
    gone.protected_data = None;
    localful_core::Replica::of(&v).apply_remote_version(gone).await.unwrap();
    let got = v.get::<Note>(id).await.unwrap();
    assert_eq!((got.version.id, got.item.exposed["title"].clone()), (older.id, serde_json::json!("older")));
    assert!(localful_core::Replica::of(&v).versions(&[(id, first.id)]).await.unwrap().is_empty());

    // A version for an unknown item is refused until its item arrives.
    let orphan = sealed(&e, ItemId::new(), 1, &note("o", "", &[], 0)).await;
    assert!(matches!(localful_core::Replica::of(&v).apply_remote_version(orphan).await, Err(Error::Store(StoreError::ItemNotFound(_)))));
}

pub async fn remote_lww_ties_break_by_id_in_any_order(f: &Factory) {
    let one = env(f).await;
    let two = env(f).await;
    let id = ItemId::new();
    let a = sealed(&one, id, 5_000, &note("A", "", &[], 1)).await;
    let b = sealed(&one, id, 5_000, &note("B", "", &[], 2)).await;
    let (winner, title) = if a.id > b.id { (a.id, "A") } else { (b.id, "B") };
    for (e, order) in [(&one, [a.clone(), b.clone()]), (&two, [b.clone(), a.clone()])] {
        let item = Item { vault_id: e.vault.id(), ..remote_item(e, id) };
        localful_core::Replica::of(&e.vault).apply_remote_item(item).await.unwrap();
        for version in order {
            // `two` has another key: re-seal the same data under it.
            let data: Note = serde_json::from_slice(&one.cipher.decrypt(version.protected_data.as_deref().unwrap()).await.unwrap()).unwrap();
            let mut resealed = version.clone();
            resealed.protected_data = Some(e.cipher.encrypt(&serde_json::to_vec(&data).unwrap()).await.unwrap());
            localful_core::Replica::of(&e.vault).apply_remote_version(resealed).await.unwrap();
        }
        let got = e.vault.get::<Note>(id).await.unwrap();
        assert_eq!(got.version.id, winner);
        assert_eq!(got.data.title, title);
        assert_eq!(got.item.exposed["title"], serde_json::json!(title));
    }
    // A later local write beats both.
    one.vault.update(id, &note("local", "", &[], 3)).await.unwrap();
    assert_eq!(one.vault.get::<Note>(id).await.unwrap().data.title, "local");
}

pub async fn remote_tombstone_drops_data(f: &Factory) {
    let e = env(f).await;
    let v = &e.vault;
    let id = v.create(&note("mine", "", &[], 1)).await.unwrap();
    let vid = v.get::<Note>(id).await.unwrap().version.id;
    let mut events = e.db.events().stream();
    let item = Item { deleted_at: Some(at(9_000)), ..remote_item(&e, id) };
    localful_core::Replica::of(&v).apply_remote_item(item.clone()).await.unwrap();
    localful_core::Replica::of(&v).apply_remote_item(item).await.unwrap();
    assert_eq!(drain(&mut events), vec![synced_event(v.id(), "notes", vec![id], ItemAction::Deleted)]);
    assert_eq!(v.get::<Note>(id).await.unwrap_err(), Error::Store(StoreError::ItemDeleted(id)));
    assert!(localful_core::Replica::of(&v).versions(&[(id, vid)]).await.unwrap().is_empty());
    // A late version of a deleted item (written elsewhere before the deletion was seen): the
    // tombstone wins, its data is not kept, its id is recorded deleted (every device holds the
    // same version ids), and nothing visible changed, so no event.
    let late = sealed(&e, id, 10_000, &note("late", "", &[], 1)).await;
    localful_core::Replica::of(&v).apply_remote_version(late.clone()).await.unwrap();
    assert!(localful_core::Replica::of(&v).versions(&[(id, late.id)]).await.unwrap().is_empty());
    let row = e.db.store().get_item(v.id(), id).await.unwrap().unwrap();
    assert_eq!(row.version(late.id).map(|m| m.deleted_at), Some(Some(at(9_000))));
    assert!(drain(&mut events).is_empty());
}

pub async fn remote_meta_values_persist(f: &Factory) {
    let e = env(f).await;
    assert_eq!(localful_core::Replica::of(&e.vault).meta("last-seq").await.unwrap(), None);
    localful_core::Replica::of(&e.vault).set_meta("last-seq", "42").await.unwrap();
    e.vault.close();
    let again = e.db.open_vault(e.vault.id(), e.cipher.clone()).await.unwrap();
    assert_eq!(localful_core::Replica::of(&again).meta("last-seq").await.unwrap().as_deref(), Some("42"));
    again.close();
    assert_eq!(localful_core::Replica::of(&again).meta("last-seq").await.unwrap_err(), Error::Store(StoreError::Closed));
}

/// A context without the collection (a generic worker) applies a remote version; the app's
/// context recomputes the exposed fields and the index finds the item.
pub async fn remote_version_applied_without_the_collection(f: &Factory) {
    let e = env(f).await;
    let worker_db = Database::new(e.db.shared_store(), Schema::new().with::<Task>(), EventBus::local(), "worker");
    let worker = worker_db.open_vault(e.vault.id(), e.cipher.clone()).await.unwrap();
    let id = ItemId::new();
    localful_core::Replica::of(&worker).apply_remote_item(remote_item(&e, id)).await.unwrap();
    let version = sealed(&e, id, 2_000, &note("from worker", "", &[], 4)).await;
    localful_core::Replica::of(&worker).apply_remote_version(version.clone()).await.unwrap();
    assert!(matches!(worker.get::<Note>(id).await, Err(Error::Data(DataError::UnknownCollection(_)))));

    // The app reads it right away; a plain filter does not trust the stale exposed fields.
    assert_eq!(e.vault.get::<Note>(id).await.unwrap().data.title, "from worker");
    let by_tags = Query::new().filter(Field::data("tags"), Op::Equal, serde_json::json!([]));
    assert_eq!(e.vault.query::<Note>(&by_tags).await.unwrap().entries.len(), 1, "decided after decryption");
    e.vault.refresh_exposed().await.unwrap();
    let found = e.vault.query::<Note>(&Query::new().filter(Field::data("title"), Op::Equal, "from worker")).await.unwrap();
    assert_eq!(found.stats.index.as_deref(), Some("title"));
    assert_eq!(found.entries.len(), 1);
    assert_eq!(found.entries[0].item.exposed["rank"], serde_json::json!(4));
    // Reopening the vault after a blind write refreshes too.
    let v2 = sealed(&e, id, 3_000, &note("second", "", &[], 5)).await;
    localful_core::Replica::of(&worker).apply_remote_version(v2).await.unwrap();
    e.vault.close();
    let reopened = e.db.open_vault(e.vault.id(), e.cipher.clone()).await.unwrap();
    let row = reopened.database().store().get_item(reopened.id(), id).await.unwrap().unwrap();
    assert_eq!(row.item.exposed.get("title"), Some(&serde_json::json!("second")), "{row:?}");
    let found = reopened.query::<Note>(&Query::new().filter(Field::data("title"), Op::Equal, "second")).await.unwrap();
    assert_eq!(found.entries.len(), 1);
}
