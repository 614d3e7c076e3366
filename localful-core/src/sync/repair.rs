//! The repair path (SPEC "Sync"): when the server's change log cannot answer, the device diffs the
//! ids of the server's [`Snapshot`] against its own rows. Pure: [`RepairPlan::diff`] decides, the
//! engine fetches and writes ([`VaultHandle::plan_repair`](crate::VaultHandle::plan_repair),
//! [`VaultHandle::apply_repair`](crate::VaultHandle::apply_repair)).
//!
//! The merge rules are those of the log: versions are immutable and deletions monotonic, so the
//! repaired state is the union of both sides' versions with the union of their deletions. Nothing
//! local is ever dropped — whatever the server lacks (an item, a version, a deletion) is queued for
//! push again, so a server restored from an old backup gets its lost data back from devices.

use crate::model::{ItemId, VaultId, VersionId};
use crate::store::{OutboxEntry, StoredItem};
use crate::wire::{Snapshot, WireItem};
use std::collections::BTreeMap;

/// What a repair does, from a snapshot and the local rows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RepairPlan {
    /// The snapshot's `latestSeq`: the change log is read again after it.
    pub seq: u64,
    /// Server items to apply here: ones this device lacks, and tombstones of items live here.
    pub items: Vec<WireItem>,
    /// Server versions to fetch (`GET /v1/versions/:id`) and apply: ones this device lacks (of a
    /// deleted item too: they are recorded deleted), and deletions of versions live here, of items
    /// that are live on both sides once [`items`](Self::items) are applied (a tombstone already
    /// deletes every version).
    pub fetch: Vec<VersionId>,
    /// Local entries the server lacks, to queue for push again: items and versions it does not
    /// have, and deletions it does not know of.
    pub requeue: Vec<OutboxEntry>,
}

impl RepairPlan {
    /// The plan for vault `vault` from the server's `snapshot` and every local item row of it
    /// (tombstones included).
    pub fn diff(vault: VaultId, snapshot: &Snapshot, local: &[StoredItem]) -> RepairPlan {
        let rows: BTreeMap<ItemId, &StoredItem> = local.iter().map(|r| (r.item.id, r)).collect();
        let server_items: BTreeMap<ItemId, bool> =
            snapshot.items.iter().map(|i| (i.id, i.deleted_at.is_none())).collect();
        let server_versions: BTreeMap<VersionId, bool> =
            snapshot.versions.iter().map(|v| (v.id, v.deleted_at.is_none())).collect();
        let mut plan = RepairPlan { seq: snapshot.meta.latest_seq, ..RepairPlan::default() };

        for si in &snapshot.items {
            let local_live = rows.get(&si.id).map(|r| r.item.is_live());
            if local_live.is_none() || (local_live == Some(true) && si.deleted_at.is_some()) {
                plan.items.push(WireItem {
                    id: si.id,
                    vault_id: vault,
                    collection: si.collection.clone(),
                    created_at: si.created_at,
                    deleted_at: si.deleted_at,
                });
            }
        }
        for sv in &snapshot.versions {
            // A version this device lacks is fetched whatever its item's state (one of a deleted
            // item is recorded deleted, without data), so every device holds the same version
            // ids; a version's deletion matters only while the item stays live on both sides.
            let item_live =
                server_items.get(&sv.item_id) == Some(&true) && rows.get(&sv.item_id).is_none_or(|r| r.item.is_live());
            let here = rows.get(&sv.item_id).and_then(|r| r.version(sv.id)).map(|m| m.is_live());
            match here {
                None => plan.fetch.push(sv.id),
                Some(true) if item_live && sv.deleted_at.is_some() => plan.fetch.push(sv.id),
                Some(_) => {}
            }
        }

        for row in local {
            let id = row.item.id;
            match server_items.get(&id) {
                None => plan.requeue.push(OutboxEntry::Item(id)),
                Some(true) if !row.item.is_live() => plan.requeue.push(OutboxEntry::Item(id)),
                Some(_) => {}
            }
            for meta in &row.versions {
                match server_versions.get(&meta.id) {
                    None => plan.requeue.push(OutboxEntry::Version(id, meta.id)),
                    Some(true) if !meta.is_live() => plan.requeue.push(OutboxEntry::Version(id, meta.id)),
                    Some(_) => {}
                }
            }
        }
        plan
    }

    /// Whether the two sides already agree.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.fetch.is_empty() && self.requeue.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Item, Timestamp, VersionMeta};
    use crate::wire::{SnapshotItem, SnapshotMeta, SnapshotVersion};

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_unix_millis(1_700_000_000_000 + ms).expect("in range")
    }

    fn row(vault: VaultId, id: ItemId, deleted: bool, versions: &[(VersionId, bool)]) -> StoredItem {
        StoredItem {
            item: Item {
                id,
                vault_id: vault,
                collection: "notes".into(),
                created_at: at(1),
                deleted_at: deleted.then(|| at(9)),
                current_version_id: None,
                exposed: Default::default(),
            },
            versions: versions
                .iter()
                .map(|(v, live)| VersionMeta {
                    id: *v,
                    created_at: at(2),
                    device_name: "d".into(),
                    schema_version: 1,
                    deleted_at: (!live).then(|| at(8)),
                })
                .collect(),
            outbox: Vec::new(),
            exposed_by: String::new(),
        }
    }

    fn snapshot(seq: u64, items: &[(ItemId, bool)], versions: &[(ItemId, VersionId, bool)]) -> Snapshot {
        Snapshot {
            vault: None,
            meta: SnapshotMeta { latest_seq: seq, items: items.len() as u64, versions: versions.len() as u64 },
            items: items
                .iter()
                .map(|(id, live)| SnapshotItem {
                    id: *id,
                    collection: "notes".into(),
                    created_at: at(1),
                    deleted_at: (!live).then(|| at(7)),
                })
                .collect(),
            versions: versions
                .iter()
                .map(|(item, id, live)| SnapshotVersion {
                    id: *id,
                    item_id: *item,
                    created_at: at(2),
                    deleted_at: (!live).then(|| at(7)),
                })
                .collect(),
        }
    }

    #[test]
    fn agreeing_sides_need_nothing_and_resume_at_the_snapshot_seq() {
        let (vault, i, v) = (VaultId::new(), ItemId::new(), VersionId::new());
        let plan = RepairPlan::diff(
            vault,
            &snapshot(12, &[(i, true)], &[(i, v, true)]),
            &[row(vault, i, false, &[(v, true)])],
        );
        assert!(plan.is_empty());
        assert_eq!(plan.seq, 12);
    }

    #[test]
    fn a_server_that_lost_data_gets_everything_local_queued_again() {
        let vault = VaultId::new();
        let (kept, lost) = (ItemId::new(), ItemId::new());
        let (v1, v2, v3, gone) = (VersionId::new(), VersionId::new(), VersionId::new(), VersionId::new());
        let local =
            [row(vault, kept, false, &[(v1, true), (v2, true), (gone, false)]), row(vault, lost, false, &[(v3, true)])];
        // The restored backup has `kept` with v1 only, and `gone` still live.
        let snap = snapshot(3, &[(kept, true)], &[(kept, v1, true), (kept, gone, true)]);
        let plan = RepairPlan::diff(vault, &snap, &local);
        assert!(plan.items.is_empty() && plan.fetch.is_empty());
        let mut requeue = plan.requeue.clone();
        requeue.sort_by_key(|e| format!("{e:?}"));
        let mut want = vec![
            OutboxEntry::Version(kept, v2),
            OutboxEntry::Version(kept, gone),
            OutboxEntry::Item(lost),
            OutboxEntry::Version(lost, v3),
        ];
        want.sort_by_key(|e| format!("{e:?}"));
        assert_eq!(requeue, want);
    }

    #[test]
    fn what_the_device_lacks_is_applied_and_fetched_and_remote_deletions_win() {
        let vault = VaultId::new();
        let (new_item, deleted_there, live_both) = (ItemId::new(), ItemId::new(), ItemId::new());
        let (nv, dv, a, b) = (VersionId::new(), VersionId::new(), VersionId::new(), VersionId::new());
        let local = [row(vault, deleted_there, false, &[(dv, true)]), row(vault, live_both, false, &[(a, true)])];
        let snap = snapshot(
            40,
            &[(new_item, true), (deleted_there, false), (live_both, true)],
            &[(new_item, nv, true), (deleted_there, dv, false), (live_both, a, false), (live_both, b, true)],
        );
        let plan = RepairPlan::diff(vault, &snap, &local);
        let items: Vec<(ItemId, bool)> = plan.items.iter().map(|i| (i.id, i.deleted_at.is_none())).collect();
        assert_eq!(items, [(new_item, true), (deleted_there, false)]);
        assert!(plan.items.iter().all(|i| i.vault_id == vault && i.collection == "notes"));
        // new_item's version, a's deletion and b; nothing of the item deleted on the server.
        assert_eq!(plan.fetch, [nv, a, b]);
        assert!(plan.requeue.is_empty());
    }

    #[test]
    fn a_local_deletion_the_server_missed_is_pushed_and_only_unknown_versions_are_fetched() {
        let vault = VaultId::new();
        let i = ItemId::new();
        let (v, w) = (VersionId::new(), VersionId::new());
        let local = [row(vault, i, true, &[(v, false)])];
        let plan = RepairPlan::diff(vault, &snapshot(5, &[(i, true)], &[(i, v, true), (i, w, true)]), &local);
        assert!(plan.items.is_empty());
        // The local tombstone deletes every version: v's deletion is not fetched; w, unknown here,
        // is (to be recorded deleted), so this device holds the server's version ids.
        assert_eq!(plan.fetch, [w]);
        assert_eq!(plan.requeue, [OutboxEntry::Item(i), OutboxEntry::Version(i, v)]);
    }
}
