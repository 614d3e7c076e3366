use super::fixtures::*;
use localful_core::crypto::Cipher;
use localful_core::store::{ItemWrite, MergedItem, ops};
use localful_core::*;

/// A new item of "notes" holding `data`, and the mutation that creates it (as `create` would).
async fn creation(e: &Env, data: &Note) -> (ItemId, ops::Mutation) {
    let id = ItemId::new();
    let value = serde_json::to_value(data).unwrap();
    let version = Version {
        id: VersionId::new(),
        item_id: id,
        created_at: at(5_000),
        device_name: "test".into(),
        schema_version: 1,
        protected_data: Some(e.cipher.encrypt(&serde_json::to_vec(&value).unwrap()).await.unwrap()),
        deleted_at: None,
    };
    let item = Item {
        id,
        vault_id: e.vault.id(),
        collection: "notes".into(),
        created_at: at(5_000),
        deleted_at: None,
        current_version_id: None,
        exposed: Default::default(),
    };
    let exposed = e.db.schema().get("notes").unwrap().exposed(&value);
    (id, ops::create(item, version, exposed))
}

pub async fn merge_reads_and_writes_in_one_transaction(f: &Factory) {
    let e = env(f).await;
    let v = &e.vault;
    let store = e.db.store();
    let kept = v.create(&note("kept", "", &[], 1)).await.unwrap();
    let acked = v.create(&note("acked", "", &[], 2)).await.unwrap();
    let (fresh, create) = creation(&e, &note("fresh", "merged", &[], 3)).await;
    let kept_row = store.get_item(v.id(), kept).await.unwrap();
    let acked_row = store.get_item(v.id(), acked).await.unwrap();
    let outbox = acked_row.as_ref().unwrap().outbox.clone();
    let ids = [kept, acked, fresh];
    let (seen_kept, seen_acked) = (kept_row.clone(), acked_row.clone());
    let merged = store
        .merge_items(
            v.id(),
            &ids,
            Box::new(move |rows| {
                assert_eq!(rows, [seen_kept, seen_acked, None], "the rows of the ids, in order, None where missing");
                Ok(vec![None, Some(ops::ack(acked, outbox)(rows[1].clone())?), Some(create(rows[2].clone())?)])
            }),
        )
        .await
        .unwrap();
    assert_eq!(merged.len(), 3);
    assert_eq!(merged[0], MergedItem { before: kept_row.clone(), after: None }, "left alone");
    assert_eq!(merged[1].before, acked_row);
    assert!(merged[1].after.as_ref().unwrap().outbox.is_empty());
    assert_eq!(merged[2].before, None);
    assert_eq!(merged[2].after.as_ref().map(|r| r.item.id), Some(fresh));

    // What a user sees: the rows written, the new item's version and index entries.
    assert_eq!(store.get_item(v.id(), kept).await.unwrap(), kept_row, "the row left alone is unchanged");
    let pending: Vec<ItemId> = localful_core::Replica::of(&v).pending().await.unwrap().iter().map(|r| r.item.id).collect();
    assert!(pending.contains(&kept) && pending.contains(&fresh) && !pending.contains(&acked), "{pending:?}");
    assert_eq!(v.get::<Note>(fresh).await.unwrap().data.body, "merged");
    let page = v.query::<Note>(&Query::new().filter(Field::data("title"), Op::Equal, "fresh")).await.unwrap();
    assert_eq!(page.entries.iter().map(|e| e.id()).collect::<Vec<_>>(), [fresh]);
    assert_eq!(page.stats.index.as_deref(), Some("title"), "the merged row is indexed");

    // A dropped version's row goes with the write: a tombstone written by a merge.
    let first = store.get_item(v.id(), acked).await.unwrap().unwrap().item.current_version_id.unwrap();
    let merged = store
        .merge_items(v.id(), &[acked], Box::new(|rows| Ok(vec![Some(ops::delete_item(acked, at(9_000))(rows[0].clone())?)])))
        .await
        .unwrap();
    assert!(merged[0].after.as_ref().unwrap().item.deleted_at.is_some());
    assert!(localful_core::Replica::of(&v).versions(&[(acked, first)]).await.unwrap().is_empty(), "the version's data is dropped");
}

pub async fn merge_reads_many_rows_whatever_their_spread(f: &Factory) {
    let e = env(f).await;
    let v = &e.vault;
    let store = e.db.store();
    let notes: Vec<Note> = (0..200).map(|i| note(&format!("n{i}"), "", &[], i)).collect();
    let mut stored = v.create_many(&notes).await.unwrap();
    stored.sort_by_key(ToString::to_string);
    let fresh: Vec<ItemId> = (0..40).map(|_| ItemId::new()).collect();
    // Nearly every row of a range (with some missing), a few rows spread over all of them, rows
    // that do not exist: each read gives the ids' rows, in order, whatever reads them.
    let dense: Vec<ItemId> = stored[20..120].iter().copied().chain(fresh[..5].iter().copied()).collect();
    let sparse: Vec<ItemId> = stored.iter().step_by(6).copied().collect();
    let past_the_last: Vec<ItemId> =
        (0..40).map(|i| format!("fffffff0-0000-4000-8000-{i:012}").parse().unwrap()).collect();
    for ids in [dense, sparse, fresh.clone(), past_the_last, stored.clone()] {
        let mut expected = Vec::new();
        for id in &ids {
            expected.push(store.get_item(v.id(), *id).await.unwrap());
        }
        let n = ids.len();
        store
            .merge_items(
                v.id(),
                &ids,
                Box::new(move |rows| {
                    assert_eq!(rows, &expected[..], "the rows of {n} ids, in order, None where missing");
                    Ok(vec![None; rows.len()])
                }),
            )
            .await
            .unwrap();
    }
}

pub async fn versions_read_many_whatever_their_spread(f: &Factory) {
    let e = env(f).await;
    let v = &e.vault;
    let store = e.db.store();
    let notes: Vec<Note> = (0..120).map(|i| note(&format!("n{i}"), "", &[], i)).collect();
    let mut ids = v.create_many(&notes).await.unwrap();
    ids.sort_by_key(ToString::to_string);
    // A second version for every third item: more rows than keys in the range.
    for id in ids.iter().step_by(3) {
        v.update(*id, &note("again", "", &[], 0)).await.unwrap();
    }
    let mut current = Vec::new();
    for id in &ids {
        current.push((*id, store.get_item(v.id(), *id).await.unwrap().unwrap().item.current_version_id.unwrap()));
    }
    let missing: Vec<(ItemId, VersionId)> = current.iter().take(40).map(|(item, _)| (*item, VersionId::new())).collect();
    let sparse: Vec<_> = current.iter().step_by(5).copied().collect();
    let with_gaps: Vec<_> = current.iter().copied().chain(missing.iter().take(3).copied()).collect();
    for keys in [current.clone(), sparse, missing, with_gaps] {
        let read = localful_core::Replica::of(&v).versions(&keys).await.unwrap();
        let expected: Vec<_> = keys.iter().filter(|(_, id)| current.iter().any(|(_, c)| c == id)).copied().collect();
        assert_eq!(read.iter().map(|v| (v.item_id, v.id)).collect::<Vec<_>>(), expected, "{} keys", keys.len());
        assert!(read.iter().all(|v| v.protected_data.is_some()));
    }
}

pub async fn merge_writes_all_or_nothing(f: &Factory) {
    let e = env(f).await;
    let v = &e.vault;
    let store = e.db.store();
    let one = v.create(&note("one", "", &[], 1)).await.unwrap();
    let row = store.get_item(v.id(), one).await.unwrap().unwrap();
    let existing = localful_core::Replica::of(&v).versions(&[(one, row.item.current_version_id.unwrap())]).await.unwrap();
    let (fresh, create) = creation(&e, &note("fresh", "", &[], 2)).await;

    // The second write fails in the store (a version that exists): the first is rolled back.
    let clash = ItemWrite { item: row.clone(), put_versions: existing, drop_versions: vec![] };
    let err = store
        .merge_items(v.id(), &[fresh, one], Box::new(move |rows| Ok(vec![Some(create(rows[0].clone())?), Some(clash)])))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Constraint(_)), "{err:?}");
    assert_eq!(store.get_item(v.id(), fresh).await.unwrap(), None, "the first write is rolled back");

    // A failing merge is the operation's error, with nothing written.
    let (other, create) = creation(&e, &note("other", "", &[], 3)).await;
    let err = store
        .merge_items(
            v.id(),
            &[other],
            Box::new(move |rows| {
                create(rows[0].clone())?;
                Err(StoreError::Conflict)
            }),
        )
        .await
        .unwrap_err();
    assert_eq!(err, StoreError::Conflict);
    assert_eq!(store.get_item(v.id(), other).await.unwrap(), None);

    // The contract: distinct ids (refused before the merge runs), one answer per id, each under its id.
    let never = Box::new(|_: &[Option<StoredItem>]| -> Result<Vec<Option<ItemWrite>>, StoreError> {
        panic!("a batch naming an item twice must not be merged")
    });
    assert!(matches!(store.merge_items(v.id(), &[one, one], never).await, Err(StoreError::Constraint(_))));
    let short = store.merge_items(v.id(), &[one, fresh], Box::new(|_| Ok(vec![None]))).await;
    assert!(matches!(short, Err(StoreError::Constraint(_))), "{short:?}");
    let (_, create) = creation(&e, &note("misplaced", "", &[], 4)).await;
    let misplaced = store.merge_items(v.id(), &[fresh], Box::new(move |_| Ok(vec![Some(create(None)?)]))).await;
    assert!(matches!(misplaced, Err(StoreError::Constraint(_))), "{misplaced:?}");
    assert_eq!(store.get_item(v.id(), fresh).await.unwrap(), None, "nothing written under the wrong key");
    assert_eq!(store.get_item(v.id(), one).await.unwrap(), Some(row), "nothing else changed");

    // A closed vault takes no merge.
    v.close();
    let closed = store.merge_items(v.id(), &[one], Box::new(|_| Ok(vec![None]))).await;
    assert_eq!(closed, Err(StoreError::Closed));
}
