use super::fixtures::*;
use localful_core::*;
use std::rc::Rc;

pub async fn vaults_create_list_open_rename_delete(f: &Factory) {
    let store = (f.store)().await;
    let db = Database::new(store, schema(), (f.bus)("localful-test-vaults"), "dev");
    let a = db.create_vault("A", "v1:ka").await.unwrap();
    let b = db.create_vault("B", "v1:kb").await.unwrap();
    let mut names: Vec<_> = db.list_vaults().await.unwrap().into_iter().map(|v| v.name).collect();
    names.sort();
    assert_eq!(names, ["A", "B"]);
    assert!(!a.sync_enabled);

    let renamed = db.rename_vault(a.id, "A2").await.unwrap();
    assert_eq!(renamed.name, "A2");
    assert!(renamed.updated_at >= a.updated_at);
    assert_eq!(db.vault(a.id).await.unwrap().name, "A2");
    assert_eq!(db.vault(a.id).await.unwrap().protected_encryption_key, "v1:ka");

    let va = db.open_vault(a.id, Rc::new(localful_core::testing::PlainCipher::new(1))).await.unwrap();
    let id = va.create(&note("x", "y", &[], 1)).await.unwrap();
    db.delete_vault(a.id).await.unwrap();
    assert_eq!(db.list_vaults().await.unwrap().len(), 1);
    assert_eq!(db.vault(a.id).await, Err(Error::Store(StoreError::VaultNotFound(a.id))));
    // The registry keeps a tombstone.
    let all = db.store().list_vaults().await.unwrap();
    assert!(all.iter().any(|v| v.id == a.id && v.deleted_at.is_some()));
    // Its data is gone and its handle closed.
    assert_eq!(va.get::<Note>(id).await.unwrap_err(), Error::Store(StoreError::Closed));
    assert!(matches!(db.open_vault(a.id, localful_core::testing::PlainCipher::shared()).await, Err(Error::Store(StoreError::VaultNotFound(_)))));
    assert!(matches!(db.rename_vault(a.id, "zombie").await, Err(Error::Store(StoreError::VaultNotFound(_)))));
    let _ = b;
}

pub async fn vault_data_is_separate_and_survives_reopen(f: &Factory) {
    let store = (f.store)().await;
    let db = Database::new(store, schema(), (f.bus)("localful-test-reopen"), "dev");
    let a = db.create_vault("A", "k").await.unwrap();
    let b = db.create_vault("B", "k").await.unwrap();
    let cipher = localful_core::testing::PlainCipher::shared();
    let va = db.open_vault(a.id, cipher.clone()).await.unwrap();
    let vb = db.open_vault(b.id, cipher.clone()).await.unwrap();
    let id = va.create(&note("in a", "", &[], 0)).await.unwrap();
    assert!(matches!(vb.get::<Note>(id).await, Err(Error::Store(StoreError::ItemNotFound(_)))));
    assert!(vb.query::<Note>(&Query::new()).await.unwrap().entries.is_empty());
    va.close();
    assert_eq!(va.get::<Note>(id).await.unwrap_err(), Error::Store(StoreError::Closed));
    let va = db.open_vault(a.id, cipher).await.unwrap();
    assert_eq!(va.get::<Note>(id).await.unwrap().data.title, "in a");
}

pub async fn vaults_outbox_and_remote_vaults(f: &Factory) {
    let store = (f.store)().await;
    let db = Database::new(store, schema(), (f.bus)("localful-test-vault-outbox"), "dev");
    let mut events = db.events().stream();
    let a = db.create_vault("A", "k").await.unwrap();
    assert_eq!(db.pending_vaults().await.unwrap(), vec![a.clone()], "a create is pending in the same write");
    db.ack_vault(a.id, a.updated_at).await.unwrap();
    assert!(db.pending_vaults().await.unwrap().is_empty());
    // A rename after the pushed state stays pending when the older state is acknowledged.
    let renamed = db.update_vault(a.id, |v| {
        v.name = "A2".into();
        v.updated_at = at(a.updated_at.unix_millis() + 10);
    }).await.unwrap();
    db.ack_vault(a.id, a.updated_at).await.unwrap();
    assert_eq!(db.pending_vaults().await.unwrap(), vec![renamed.clone()]);
    db.ack_vault(a.id, renamed.updated_at).await.unwrap();
    drain(&mut events);

    // A vault from the server: added without a pending mark.
    let remote = VaultMeta {
        id: VaultId::new(),
        name: "From server".into(),
        protected_encryption_key: "v1:remote".into(),
        created_at: at(1_000),
        updated_at: at(2_000),
        deleted_at: None,
        sync_enabled: true,
    };
    db.apply_remote_vault(remote.clone()).await.unwrap();
    db.apply_remote_vault(remote.clone()).await.unwrap();
    assert_eq!(db.vault(remote.id).await.unwrap(), remote);
    assert!(db.pending_vaults().await.unwrap().is_empty());
    // An older remote state does not overwrite a newer local one.
    db.apply_remote_vault(VaultMeta { name: "stale".into(), updated_at: at(1_500), ..remote.clone() }).await.unwrap();
    assert_eq!(db.vault(remote.id).await.unwrap().name, "From server");
    // A remote deletion drops the local data.
    let v = db.open_vault(remote.id, localful_core::testing::PlainCipher::shared()).await.unwrap();
    let id = v.create(&note("n", "", &[], 1)).await.unwrap();
    db.ack_vault(remote.id, db.vault(remote.id).await.unwrap().updated_at).await.unwrap();
    drain(&mut events);
    db.apply_remote_vault(VaultMeta { deleted_at: Some(at(3_000)), updated_at: at(3_000), ..remote.clone() }).await.unwrap();
    assert!(db.list_vaults().await.unwrap().iter().all(|x| x.id != remote.id));
    assert_eq!(v.get::<Note>(id).await.unwrap_err(), Error::Store(StoreError::Closed));
    let vault_events: Vec<_> = drain(&mut events).into_iter().filter(|e| matches!(e, ChangeEvent::Vault { .. })).collect();
    assert_eq!(vault_events, vec![ChangeEvent::Vault { vault: remote.id, action: VaultAction::Deleted }]);
}

pub async fn vaults_destroy_forgets_everything(f: &Factory) {
    let store = (f.store)().await;
    let db = Database::new(store, schema(), (f.bus)("localful-test-destroy"), "dev");
    let cipher = localful_core::testing::PlainCipher::shared();
    let a = db.create_vault("A", "k").await.unwrap();
    let b = db.create_vault("B", "k").await.unwrap();
    let va = db.open_vault(a.id, cipher.clone()).await.unwrap();
    va.create(&note("unsent", "never pushed", &[], 0)).await.unwrap();
    db.open_vault(b.id, cipher.clone()).await.unwrap().create(&note("b", "", &[], 0)).await.unwrap();

    db.store().destroy().await.unwrap();
    assert!(db.list_vaults().await.unwrap().is_empty(), "no vault left");
    assert!(db.pending_vaults().await.unwrap().is_empty(), "nothing left to push");
    assert!(matches!(db.open_vault(a.id, cipher.clone()).await, Err(Error::Store(StoreError::VaultNotFound(_)))));
    // The store starts again from empty.
    let c = db.create_vault("C", "k").await.unwrap();
    let vc = db.open_vault(c.id, cipher).await.unwrap();
    vc.create(&note("after", "", &[], 0)).await.unwrap();
    assert_eq!(vc.query::<Note>(&Query::new()).await.unwrap().entries.len(), 1);
    assert_eq!(db.list_vaults().await.unwrap().len(), 1);
}
