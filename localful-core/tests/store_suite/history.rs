use super::fixtures::*;
use localful_core::crypto::Cipher;
use localful_core::*;

pub async fn history_list_read_restore(f: &Factory) {
    let e = env(f).await;
    let v = &e.vault;
    let id = v.create(&note("v1", "one", &[], 1)).await.unwrap();
    let v2 = v.update(id, &note("v2", "two", &[], 2)).await.unwrap();
    let v3 = v.update(id, &note("v3", "three", &[], 3)).await.unwrap();
    let history = v.history::<Note>(id).await.unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(history[0].id, v3, "newest first");
    assert_eq!(history[1].id, v2);
    let first = history[2].id;
    assert_eq!(v.read_version::<Note>(id, first).await.unwrap().body, "one");
    assert_eq!(v.read_version::<Note>(id, v2).await.unwrap().title, "v2");

    let restored = v.restore::<Note>(id, first).await.unwrap();
    let current = v.get::<Note>(id).await.unwrap();
    assert_eq!(current.version.id, restored);
    assert_eq!(current.data, note("v1", "one", &[], 1));
    assert_eq!(current.item.exposed["title"], serde_json::json!("v1"));
    assert_eq!(v.history::<Note>(id).await.unwrap().len(), 4, "restore adds a version");
    let missing = VersionId::new();
    assert_eq!(v.read_version::<Note>(id, missing).await.unwrap_err(), Error::Store(StoreError::VersionNotFound(missing)));
}

pub async fn history_delete_one_version(f: &Factory) {
    let e = env(f).await;
    let v = &e.vault;
    let id = v.create(&note("v1", "", &[], 1)).await.unwrap();
    let first = v.get::<Note>(id).await.unwrap().version.id;
    let second = v.update(id, &note("v2", "", &[], 2)).await.unwrap();
    let third = v.update(id, &note("v3", "", &[], 3)).await.unwrap();

    // Deleting an old version leaves the current one.
    let mut events = e.db.events().stream();
    v.delete_version::<Note>(id, second).await.unwrap();
    let left = vec![version_entry(id, second, true)];
    assert_eq!(drain(&mut events), vec![local_event(v.id(), "notes", vec![id], ItemAction::HistoryChanged, left)]);
    assert_eq!(v.get::<Note>(id).await.unwrap().version.id, third);
    assert!(localful_core::Replica::of(&v).versions(&[(id, second)]).await.unwrap().is_empty(), "its data is dropped");
    let h = v.history::<Note>(id).await.unwrap();
    assert!(h.iter().find(|m| m.id == second).unwrap().deleted_at.is_some(), "a tombstone stays");

    // Deleting the current version makes the previous live one current, exposed fields included.
    v.delete_version::<Note>(id, third).await.unwrap();
    let left = vec![version_entry(id, third, true)];
    assert_eq!(drain(&mut events), vec![local_event(v.id(), "notes", vec![id], ItemAction::Updated, left)]);
    let cur = v.get::<Note>(id).await.unwrap();
    assert_eq!(cur.version.id, first);
    assert_eq!(cur.item.exposed["title"], serde_json::json!("v1"));
    let found = v.query::<Note>(&Query::new().filter(Field::data("title"), Op::Equal, "v1")).await.unwrap();
    assert_eq!(found.entries.len(), 1);

    // The last live version cannot go: delete the item instead.
    assert_eq!(v.delete_version::<Note>(id, first).await.unwrap_err(), Error::Store(StoreError::LastVersion(first)));
    assert_eq!(v.delete_version::<Note>(id, second).await.unwrap_err(), Error::Store(StoreError::VersionNotFound(second)));
}

pub async fn history_prune_by_count_and_age(f: &Factory) {
    let e = env(f).await;
    let v = &e.vault;
    let id = v.create(&note("n", "0", &[], 0)).await.unwrap();
    for i in 1..6 {
        v.update(id, &note("n", &i.to_string(), &[], i)).await.unwrap();
    }
    let all = v.history::<Note>(id).await.unwrap();
    assert_eq!(all.len(), 6);
    let pruned = v.prune::<Note>(id, Prune::KeepNewest(3)).await.unwrap();
    assert_eq!(pruned.len(), 3);
    let live: Vec<_> = v.history::<Note>(id).await.unwrap().into_iter().filter(|m| m.is_live()).map(|m| m.id).collect();
    assert_eq!(live, all[..3].iter().map(|m| m.id).collect::<Vec<_>>());
    assert_eq!(v.get::<Note>(id).await.unwrap().data.body, "5");

    // By age: everything older than the newest version's time goes, the current one stays.
    let newest = all[0].created_at;
    let pruned = v.prune::<Note>(id, Prune::NewerThan(newest)).await.unwrap();
    assert_eq!(pruned.len(), 2);
    assert_eq!(v.history::<Note>(id).await.unwrap().iter().filter(|m| m.is_live()).count(), 1);
    assert!(v.prune::<Note>(id, Prune::KeepNewest(0)).await.unwrap().is_empty(), "the current version is always kept");
    assert_eq!(v.get::<Note>(id).await.unwrap().data.body, "5");
}

pub async fn history_names_the_devices_that_wrote(f: &Factory) {
    let e = env(f).await;
    let v = &e.vault;
    assert!(v.devices().await.unwrap().is_empty(), "an empty vault");
    let id = v.create(&note("v1", "", &[], 1)).await.unwrap();
    let second = v.update(id, &note("v2", "", &[], 2)).await.unwrap();
    v.create(&Task { name: "in another collection".into(), done: false }).await.unwrap();
    v.delete_version::<Note>(id, second).await.unwrap();
    // A version another device wrote, as sync applies it: later than everything above.
    let phone = Version {
        id: VersionId::new(),
        item_id: id,
        created_at: Timestamp::from_unix_millis(Timestamp::now().unix_millis() + 60_000).unwrap(),
        device_name: "phone".into(),
        schema_version: 1,
        protected_data: Some(e.cipher.encrypt(&serde_json::to_vec(&note("p", "", &[], 3)).unwrap()).await.unwrap()),
        deleted_at: None,
    };
    localful_core::Replica::of(v).apply_remote_version(phone.clone()).await.unwrap();

    let devices = v.devices().await.unwrap();
    let names: Vec<_> = devices.iter().map(|d| (d.name.as_str(), d.versions)).collect();
    assert_eq!(names, vec![("phone", 1), ("test-device", 3)], "newest first; deleted versions and every collection counted");
    assert_eq!(devices[0].last_written, phone.created_at);
    assert!(devices[1].first_written <= devices[1].last_written);
}
