use super::fixtures::*;
use localful_core::store::{ItemWrite, ops};
use localful_core::*;

pub async fn items_create_get_update(f: &Factory) {
    let e = env(f).await;
    let v = &e.vault;
    let id = v.create(&note("Groceries", "milk", &["home"], 2)).await.unwrap();
    let got = v.get::<Note>(id).await.unwrap();
    assert_eq!(got.data, note("Groceries", "milk", &["home"], 2));
    assert_eq!(got.item.collection, "notes");
    assert_eq!(got.item.vault_id, v.id());
    assert_eq!(got.item.current_version_id, Some(got.version.id));
    assert_eq!(got.version.device_name, "test-device");
    assert_eq!(got.item.exposed.get("title"), Some(&serde_json::json!("Groceries")));
    assert!(!got.item.exposed.contains_key("body"), "only exposed fields are copied");

    let v2 = v.update(id, &note("Groceries", "milk, eggs", &["home"], 2)).await.unwrap();
    let got2 = v.get::<Note>(id).await.unwrap();
    assert_eq!(got2.version.id, v2);
    assert_eq!(got2.data.body, "milk, eggs");
    assert!(got2.version.created_at > got.version.created_at, "a local write is dated after the current version");
    assert_eq!(got2.item.created_at, got.item.created_at);
    // Rapid updates always win, even within one millisecond.
    let mut last = v2;
    for i in 0..5 {
        last = v.update(id, &note("Groceries", &format!("rev {i}"), &[], 2)).await.unwrap();
    }
    let got3 = v.get::<Note>(id).await.unwrap();
    assert_eq!((got3.version.id, got3.data.body.as_str()), (last, "rev 4"));
    assert_eq!(v.history::<Note>(id).await.unwrap().len(), 7);
    // Stored data is encrypted: the row holds an envelope, not the JSON.
    let row = localful_core::Replica::of(&v).versions(&[(id, last)]).await.unwrap();
    let envelope = row[0].protected_data.clone().unwrap();
    assert!(envelope.starts_with("v1:") && !envelope.contains("rev 4"));
}

pub async fn items_get_many(f: &Factory) {
    let e = env(f).await;
    let v = &e.vault;
    let a = v.create(&note("a", "", &[], 1)).await.unwrap();
    let b = v.create(&note("b", "", &[], 2)).await.unwrap();
    let c = v.create(&note("c", "", &[], 3)).await.unwrap();
    let t = v.create(&Task { name: "t".into(), done: false }).await.unwrap();
    v.delete::<Note>(b).await.unwrap();
    let got = v.get_many::<Note>(&[c, ItemId::new(), b, t, a]).await.unwrap();
    let titles: Vec<_> = got.iter().map(|e| e.data.title.as_str()).collect();
    assert_eq!(titles, ["c", "a"]);
    assert!(v.get_many::<Note>(&[]).await.unwrap().is_empty());
}

pub async fn items_create_many_in_one_write(f: &Factory) {
    let e = env(f).await;
    let v = &e.vault;
    let mut events = e.db.events().stream();
    let notes: Vec<Note> = (0..50).map(|i| note(&format!("n{i}"), "body", &["bulk"], i)).collect();
    let ids = v.create_many(&notes).await.unwrap();
    assert_eq!(ids.len(), 50);
    let got = v.get_many::<Note>(&ids).await.unwrap();
    let left = got.iter().flat_map(|e| [item_entry(e.id(), false), version_entry(e.id(), e.version.id, false)]).collect();
    assert_eq!(drain(&mut events), vec![local_event(v.id(), "notes", ids.clone(), ItemAction::Created, left)], "one event");
    assert_eq!(got.into_iter().map(|e| e.data).collect::<Vec<_>>(), notes);
    let page = v.query::<Note>(&Query::new().filter(Field::data("rank"), Op::Equal, 7)).await.unwrap();
    assert_eq!(page.entries.iter().map(|e| e.id()).collect::<Vec<_>>(), [ids[7]]);
    assert_eq!(page.stats.index.as_deref(), Some("rank"), "the rows are indexed");
    assert_eq!(localful_core::Replica::of(&v).pending().await.unwrap().len(), 50, "every item is in the outbox");
    assert!(v.create_many::<Note>(&[]).await.unwrap().is_empty());
    assert!(drain(&mut events).is_empty(), "nothing created, no event");

    // All or nothing: a batch whose second write fails (a version that exists) writes nothing.
    let store = e.db.store();
    let first = store.get_item(v.id(), ids[0]).await.unwrap().unwrap();
    let fresh = ItemId::new();
    let mut copy = first.clone();
    copy.item.id = fresh;
    let second = store.get_item(v.id(), ids[1]).await.unwrap().unwrap();
    let existing = localful_core::Replica::of(&v).versions(&[(ids[1], second.item.current_version_id.unwrap())]).await.unwrap();
    let ok: ops::Mutation =
        Box::new(move |_| Ok(ItemWrite { item: copy, put_versions: vec![], drop_versions: vec![] }));
    let clash: ops::Mutation =
        Box::new(move |_| Ok(ItemWrite { item: second, put_versions: existing, drop_versions: vec![] }));
    let err = store.write_items(v.id(), vec![(fresh, ok), (ids[1], clash)]).await.unwrap_err();
    assert!(matches!(err, StoreError::Constraint(_)), "{err:?}");
    assert_eq!(store.get_item(v.id(), fresh).await.unwrap(), None, "the first write is rolled back");
    // One item twice in a batch is refused before anything is written.
    let twice = |row: StoredItem| -> ops::Mutation {
        Box::new(move |_| Ok(ItemWrite { item: row, put_versions: vec![], drop_versions: vec![] }))
    };
    let err =
        store.write_items(v.id(), vec![(ids[0], twice(first.clone())), (ids[0], twice(first))]).await.unwrap_err();
    assert!(matches!(err, StoreError::Constraint(_)), "{err:?}");
}
/// `Store::insert_items` (what `create` and `create_many` write with): new rows without a read,
/// all or nothing, a taken id refused as `ItemExists`, a tombstone's id too.
pub async fn items_insert_without_read_all_or_nothing(f: &Factory) {
    let e = env(f).await;
    let v = &e.vault;
    let store = e.db.store();
    let ids = v.create_many(&[note("a", "x", &[], 1), note("b", "y", &[], 2)]).await.unwrap();
    let row = |id: ItemId| async move { store.get_item(v.id(), id).await.unwrap().unwrap() };
    let (a, b) = (row(ids[0]).await, row(ids[1]).await);
    let version = |r: &StoredItem| (r.item.id, r.item.current_version_id.unwrap());
    let versions_of_a = localful_core::Replica::of(&v).versions(&[version(&a)]).await.unwrap();
    assert_eq!(a.outbox.len(), 2, "item and version are in the outbox");

    // A copy of `a` under a fresh id (its version too) is a new item: inserted and readable.
    let fresh = |from: &StoredItem, versions: &[Version]| {
        let id = ItemId::new();
        let mut item = from.clone();
        item.item.id = id;
        let versions: Vec<Version> = versions.iter().map(|v| Version { item_id: id, ..v.clone() }).collect();
        (id, ItemWrite { item, put_versions: versions, drop_versions: vec![] })
    };
    let (c, write_c) = fresh(&a, &versions_of_a);
    let written = store.insert_items(v.id(), vec![write_c]).await.unwrap();
    assert_eq!(written[0].item.id, c);
    assert_eq!(v.get::<Note>(c).await.unwrap().data, note("a", "x", &[], 1));

    // A batch with a taken id fails as ItemExists and writes nothing, not even its new rows.
    let (d, write_d) = fresh(&a, &versions_of_a);
    let taken = ItemWrite { item: b.clone(), put_versions: vec![], drop_versions: vec![] };
    let err = store.insert_items(v.id(), vec![write_d, taken]).await.unwrap_err();
    assert_eq!(err, StoreError::ItemExists(b.item.id));
    assert_eq!(store.get_item(v.id(), d).await.unwrap(), None, "the batch is rolled back");
    assert_eq!(row(b.item.id).await, b, "the existing row is untouched");

    // A deleted item's tombstone keeps its id taken.
    v.delete::<Note>(c).await.unwrap();
    let tombstone = row(c).await;
    let again = ItemWrite { item: a.clone(), put_versions: vec![], drop_versions: vec![] };
    let mut again = again;
    again.item.item.id = c;
    assert_eq!(store.insert_items(v.id(), vec![again]).await.unwrap_err(), StoreError::ItemExists(c));
    assert_eq!(row(c).await, tombstone);

    // One id twice in a batch is refused.
    let (e2, write_e) = fresh(&a, &[]);
    let mut twice = write_e.clone();
    twice.item.versions.clear();
    let err = store.insert_items(v.id(), vec![write_e, twice]).await.unwrap_err();
    assert!(matches!(err, StoreError::Constraint(_)), "{err:?}");
    assert_eq!(store.get_item(v.id(), e2).await.unwrap(), None);
}

pub async fn items_delete_leaves_tombstone_and_drops_data(f: &Factory) {
    let e = env(f).await;
    let v = &e.vault;
    let id = v.create(&note("secret", "data", &[], 1)).await.unwrap();
    let v2 = v.update(id, &note("secret", "more", &[], 1)).await.unwrap();
    let before = v.history::<Note>(id).await.unwrap();
    let mut events = e.db.events().stream();
    v.delete::<Note>(id).await.unwrap();
    // Every entry of the item's outbox is a deletion now: the item's and both versions'.
    let left = [item_entry(id, true)].into_iter().chain(before.iter().rev().map(|m| version_entry(id, m.id, true))).collect();
    assert_eq!(drain(&mut events), vec![local_event(v.id(), "notes", vec![id], ItemAction::Deleted, left)]);

    assert_eq!(v.get::<Note>(id).await.unwrap_err(), Error::Store(StoreError::ItemDeleted(id)));
    let row = e.db.store().get_item(v.id(), id).await.unwrap().expect("the tombstone stays");
    assert!(row.item.deleted_at.is_some());
    assert_eq!(row.item.current_version_id, None);
    assert!(row.item.exposed.is_empty(), "exposed fields are data too");
    assert!(row.versions.iter().all(|m| m.deleted_at.is_some()));
    assert_eq!(row.versions.len(), before.len());
    let keys: Vec<_> = before.iter().map(|m| (id, m.id)).collect();
    assert!(localful_core::Replica::of(&v).versions(&keys).await.unwrap().is_empty(), "every version's data is dropped");
    assert!(v.query::<Note>(&Query::new()).await.unwrap().entries.is_empty());
    assert_eq!(v.read_version::<Note>(id, v2).await.unwrap_err(), Error::Store(StoreError::VersionNotFound(v2)));
}

pub async fn items_outbox_follows_every_local_write(f: &Factory) {
    let e = env(f).await;
    let v = &e.vault;
    let id = v.create(&note("a", "", &[], 1)).await.unwrap();
    let first = v.get::<Note>(id).await.unwrap().version.id;
    let pending = localful_core::Replica::of(&v).pending().await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].outbox, vec![OutboxEntry::Item(id), OutboxEntry::Version(id, first)]);
    localful_core::Replica::of(&v).ack(id, pending[0].outbox.clone()).await.unwrap();
    assert!(localful_core::Replica::of(&v).pending().await.unwrap().is_empty());

    let second = v.update(id, &note("b", "", &[], 1)).await.unwrap();
    assert_eq!(localful_core::Replica::of(&v).pending().await.unwrap()[0].outbox, vec![OutboxEntry::Version(id, second)]);
    v.delete_version::<Note>(id, first).await.unwrap();
    assert_eq!(
        localful_core::Replica::of(&v).pending().await.unwrap()[0].outbox,
        vec![OutboxEntry::Version(id, second), OutboxEntry::Version(id, first)]
    );
    v.delete::<Note>(id).await.unwrap();
    assert!(localful_core::Replica::of(&v).pending().await.unwrap()[0].outbox.contains(&OutboxEntry::Item(id)));
    // What the sync engine pushes is the encrypted version, never exposed fields.
    let other = v.create(&note("pushed", "", &[], 1)).await.unwrap();
    let vid = v.get::<Note>(other).await.unwrap().version.id;
    let pushed = localful_core::Replica::of(&v).versions(&[(other, vid)]).await.unwrap();
    let wire = serde_json::to_string(&pushed).unwrap();
    assert!(!wire.contains("pushed"), "{wire}");
}
