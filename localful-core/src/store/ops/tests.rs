use super::*;
use crate::model::VaultId;

fn at(ms: i64) -> Timestamp {
    Timestamp::from_unix_millis(ms).unwrap()
}

fn version(item: ItemId, ms: i64) -> Version {
    Version {
        id: VersionId::new(),
        item_id: item,
        created_at: at(ms),
        device_name: "d".into(),
        schema_version: 1,
        protected_data: Some("v1:x".into()),
        deleted_at: None,
    }
}

fn created(ms: i64) -> (StoredItem, Version) {
    let id = ItemId::new();
    let item = Item {
        id,
        vault_id: VaultId::new(),
        collection: "c".into(),
        created_at: at(ms),
        deleted_at: None,
        current_version_id: None,
        exposed: Default::default(),
    };
    let v = version(id, ms);
    let w = create(item, v.clone(), Exposed::default())(None).unwrap();
    (w.item, v)
}

#[test]
fn older_remote_version_does_not_become_current_and_needs_no_exposed() {
    let (row, first) = created(10);
    let old = version(row.item.id, 5);
    let w = apply_remote_version(old, None)(Some(row)).unwrap();
    assert_eq!(w.item.item.current_version_id, Some(first.id));
    assert_eq!(w.item.outbox.len(), 2, "remote writes add no outbox entry");
}

#[test]
fn newer_version_without_matching_exposed_is_a_conflict() {
    let (row, _) = created(10);
    let newer = version(row.item.id, 20);
    assert_eq!(apply_remote_version(newer, None)(Some(row)).unwrap_err(), StoreError::Conflict);
}

#[test]
fn prune_keeps_current_and_newest() {
    let (mut row, first) = created(10);
    let mut ids = vec![first.id];
    for ms in [20, 30, 40] {
        let v = version(row.item.id, ms);
        ids.push(v.id);
        row = add_version(v, Exposed::default())(Some(row)).unwrap().item;
    }
    let w = prune(row.item.id, Prune::KeepNewest(2), at(50))(Some(row.clone())).unwrap();
    assert_eq!(w.drop_versions, vec![ids[1], ids[0]]);
    let w = prune(row.item.id, Prune::NewerThan(at(25)), at(50))(Some(row)).unwrap();
    assert_eq!(w.drop_versions.len(), 2);
}
