use super::fixtures::*;
use futures::StreamExt;
use localful_core::*;
use std::cell::RefCell;
use std::rc::Rc;

pub async fn events_for_every_write(f: &Factory) {
    let e = env(f).await;
    let v = &e.vault;
    let mut events = e.db.events().stream();
    let id = v.create(&note("a", "", &[], 1)).await.unwrap();
    let v2 = v.update(id, &note("b", "", &[], 1)).await.unwrap();
    let first = v.history::<Note>(id).await.unwrap()[1].id;
    let v3 = v.restore::<Note>(id, first).await.unwrap();
    v.delete_version::<Note>(id, v2).await.unwrap();
    v.prune::<Note>(id, Prune::KeepNewest(1)).await.unwrap();
    let t = v.create(&Task { name: "t".into(), done: true }).await.unwrap();
    let task_version = v.history::<Task>(t).await.unwrap()[0].id;
    v.delete::<Note>(id).await.unwrap();
    let vid = v.id();
    // Each local write's event lists the outbox entries it left: added, or changed to deleted.
    assert_eq!(
        drain(&mut events),
        vec![
            local_event(vid, "notes", vec![id], ItemAction::Created, vec![item_entry(id, false), version_entry(id, first, false)]),
            local_event(vid, "notes", vec![id], ItemAction::Updated, vec![version_entry(id, v2, false)]),
            local_event(vid, "notes", vec![id], ItemAction::Updated, vec![version_entry(id, v3, false)]),
            local_event(vid, "notes", vec![id], ItemAction::HistoryChanged, vec![version_entry(id, v2, true)]),
            local_event(vid, "notes", vec![id], ItemAction::HistoryChanged, vec![version_entry(id, first, true)]),
            local_event(vid, "tasks", vec![t], ItemAction::Created, vec![item_entry(t, false), version_entry(t, task_version, false)]),
            local_event(vid, "notes", vec![id], ItemAction::Deleted, vec![item_entry(id, true), version_entry(id, v3, true)]),
        ]
    );
    let ev = synced_event(vid, "notes", vec![id], ItemAction::Deleted);
    assert!(ev.touches(vid, "notes") && !ev.touches(vid, "tasks") && !ev.touches(VaultId::new(), "notes"));
    assert!(ev.touches_item(vid, id) && !ev.touches_item(vid, t));

    e.db.rename_vault(vid, "renamed").await.unwrap();
    v.close();
    assert_eq!(
        drain(&mut events),
        vec![ChangeEvent::Vault { vault: vid, action: VaultAction::Updated }, ChangeEvent::Vault { vault: vid, action: VaultAction::Closed }]
    );
    // A failed write emits nothing.
    assert!(v.create(&note("x", "", &[], 1)).await.is_err());
    assert!(drain(&mut events).is_empty());
}

pub async fn events_subscription_ends_on_drop(f: &Factory) {
    let e = env(f).await;
    let seen = Rc::new(RefCell::new(0));
    let counter = seen.clone();
    let sub = e.db.events().subscribe(move |_| *counter.borrow_mut() += 1);
    e.vault.create(&note("a", "", &[], 1)).await.unwrap();
    assert_eq!(*seen.borrow(), 1);
    drop(sub);
    e.vault.create(&note("b", "", &[], 1)).await.unwrap();
    assert_eq!(*seen.borrow(), 1);
}

/// Another context (a second `BroadcastChannel` on the same name) receives every change.
pub async fn events_reach_a_second_channel(f: &Factory) {
    let e = env(f).await;
    let other = (f.bus)(&e.channel);
    assert_eq!(other.is_broadcasting(), f.broadcasts);
    if !f.broadcasts {
        return; // natively there is no other context
    }
    let mut remote = other.stream();
    let id = e.vault.create(&note("a", "", &[], 1)).await.unwrap();
    e.vault.delete::<Note>(id).await.unwrap();
    let first = remote.next().await.unwrap();
    let second = remote.next().await.unwrap();
    // The outbox entries travel too: the sync engine of another context pushes from them.
    let version = e.vault.history::<Note>(id).await.unwrap()[0].id;
    let created = vec![item_entry(id, false), version_entry(id, version, false)];
    assert_eq!(first, local_event(e.vault.id(), "notes", vec![id], ItemAction::Created, created));
    let deleted = vec![item_entry(id, true), version_entry(id, version, true)];
    assert_eq!(second, local_event(e.vault.id(), "notes", vec![id], ItemAction::Deleted, deleted));
    // ...and a write from that context reaches this one.
    let mut here = e.db.events().stream();
    let event = ChangeEvent::Vault { vault: e.vault.id(), action: VaultAction::Locked };
    other.emit(&event);
    assert_eq!(here.next().await.unwrap(), event);
}
