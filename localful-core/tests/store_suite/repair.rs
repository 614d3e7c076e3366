use super::fixtures::*;
use localful_core::crypto::Cipher;
use localful_core::wire::{Snapshot, SnapshotItem, SnapshotMeta, SnapshotVersion, WireVersion};
use localful_core::*;

/// The sync repair on a real store: every row is read (tombstones too), what a server that lost
/// everything lacks is queued again, and what only the server has is applied.
pub async fn repair_requeues_what_the_server_lacks_and_applies_what_it_has(f: &Factory) {
    let e = env(f).await;
    let v = &e.vault;
    let kept = v.create(&note("kept", "", &[], 1)).await.unwrap();
    let gone = v.create(&note("gone", "", &[], 2)).await.unwrap();
    v.delete::<Note>(gone).await.unwrap();
    // Pushed and acked: the outbox is empty.
    for row in localful_core::Replica::of(&v).pending().await.unwrap() {
        localful_core::Replica::of(&v).ack(row.item.id, row.outbox.clone()).await.unwrap();
    }
    assert!(localful_core::Replica::of(&v).outbox().await.unwrap().is_empty());

    // The server lost everything, and has a note this device never saw.
    let remote = ItemId::new();
    let version = VersionId::new();
    let snapshot = Snapshot {
        vault: None,
        meta: SnapshotMeta { latest_seq: 2, items: 1, versions: 1 },
        items: vec![SnapshotItem { id: remote, collection: "notes".into(), created_at: at(1), deleted_at: None }],
        versions: vec![SnapshotVersion { id: version, item_id: remote, created_at: at(2), deleted_at: None }],
    };
    let plan = localful_core::Replica::of(&v).plan_repair(&snapshot).await.unwrap();
    assert_eq!(plan.seq, 2);
    assert_eq!(plan.fetch, [version]);
    let kept_version = v.get::<Note>(kept).await.unwrap().version.id;
    let mut want = vec![OutboxEntry::Item(kept), OutboxEntry::Version(kept, kept_version), OutboxEntry::Item(gone)];
    want.extend(v.history::<Note>(gone).await.unwrap_or_default().iter().map(|m| OutboxEntry::Version(gone, m.id)));
    let mut got = plan.requeue.clone();
    got.sort_by_key(|e| format!("{e:?}"));
    want.sort_by_key(|e| format!("{e:?}"));
    assert_eq!(got, want, "every local item and version, the deleted one's tombstone included");

    let data = serde_json::to_vec(&note("from the server", "", &[], 3)).unwrap();
    let fetched = WireVersion {
        id: version,
        item_id: remote,
        protected_data: Some(e.cipher.encrypt(&data).await.unwrap()),
        device_name: "phone".into(),
        schema_version: 1,
        created_at: at(2),
        deleted_at: None,
    };
    localful_core::Replica::of(&v).apply_repair(&plan, &[fetched]).await.unwrap();
    assert_eq!(v.get::<Note>(remote).await.unwrap().data.title, "from the server");
    let pending: Vec<OutboxEntry> = localful_core::Replica::of(&v).outbox().await.unwrap().into_iter().map(|p| p.entry).collect();
    assert!(plan.requeue.iter().all(|e| pending.contains(e)), "queued for push again: {pending:?}");
    assert!(!pending.iter().any(|e| matches!(e, OutboxEntry::Item(i) if *i == remote)), "nothing of the server's");
}
