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

fn tombstone_of(row: &StoredItem, ms: i64) -> Item {
    Item { deleted_at: Some(at(ms)), ..row.item.clone() }
}

#[test]
fn a_remote_tombstone_keeps_this_devices_pending_versions_to_push_as_deletions() {
    let (row, first) = created(10);
    let edit = version(row.item.id, 20);
    let row = add_version(edit.clone(), Exposed::default())(Some(row)).unwrap().item;
    let w = apply_remote_item(tombstone_of(&row, 30))(Some(row)).unwrap();
    assert!(w.item.versions.iter().all(|v| v.deleted_at == Some(at(30))));
    assert_eq!(w.drop_versions, vec![first.id, edit.id]);
    // Not pushed yet: the server must still learn both ids (it stores them deleted).
    let id = w.item.item.id;
    let pending: Vec<_> =
        super::super::pending_of(&w.item).into_iter().filter(|p| p.deleted).map(|p| p.entry).collect();
    assert_eq!(pending, vec![OutboxEntry::Item(id), OutboxEntry::Version(id, first.id), OutboxEntry::Version(id, edit.id)]);
}

#[test]
fn a_remote_version_of_a_deleted_item_is_recorded_deleted_without_its_data() {
    let (row, _) = created(10);
    let row = apply_remote_item(tombstone_of(&row, 30))(Some(row)).unwrap().item;
    // Written on another device before it saw the deletion (the server sends it live or deleted).
    let late = version(row.item.id, 20);
    let w = apply_remote_version(late.clone(), None)(Some(row)).unwrap();
    assert!(w.put_versions.is_empty(), "no data kept for a deleted item");
    let meta = w.item.version(late.id).expect("the id is recorded");
    assert_eq!(meta.deleted_at, Some(at(30)), "deleted with the item");
    assert_eq!(w.item.item.current_version_id, None);
    // Applying it again (or its deletion) changes nothing.
    let deleted = Version { deleted_at: Some(at(40)), protected_data: None, ..late };
    let again = apply_remote_version(deleted, None)(Some(w.item.clone())).unwrap();
    assert_eq!(again.item, w.item);
}
