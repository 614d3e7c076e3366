//! The decrypted values a vault handle keeps for re-reads: a re-run decrypts only what is new, a
//! locked key serves nothing and forgets them, a deleted version is never served.

use super::fixtures::*;
use localful_core::crypto::CryptoError;
use localful_core::*;

async fn titles(vault: &VaultHandle) -> Vec<String> {
    let r = vault.query::<Note>(&Query::new().order_by(Field::data("body"), Direction::Ascending)).await.unwrap();
    r.entries.into_iter().map(|e| e.data.title).collect()
}

pub async fn decrypted_re_reads_decrypt_only_new_versions(f: &Factory) {
    let e = env(f).await;
    let ids = [
        e.vault.create(&note("a", "1", &[], 1)).await.unwrap(),
        e.vault.create(&note("b", "2", &[], 2)).await.unwrap(),
        e.vault.create(&note("c", "3", &[], 3)).await.unwrap(),
    ];
    assert_eq!(titles(&e.vault).await, ["a", "b", "c"]);
    let before = e.cipher.decrypted();
    assert_eq!(titles(&e.vault).await, ["a", "b", "c"]);
    e.vault.get::<Note>(ids[0]).await.unwrap();
    assert_eq!(e.cipher.decrypted(), before, "a re-read decrypted again what it had decrypted");

    // An update is a new version: only it is decrypted, and the old value is not served for it.
    e.vault.update(ids[1], &note("b2", "2", &[], 2)).await.unwrap();
    assert_eq!(titles(&e.vault).await, ["a", "b2", "c"]);
    assert_eq!(e.cipher.decrypted() - before, 1);

    // Another handle of the same vault (another tab) keeps its own.
    let other = e.db.open_vault(e.vault.id(), e.cipher.clone()).await.unwrap();
    assert_eq!(titles(&other).await, ["a", "b2", "c"]);
    assert_eq!(e.cipher.decrypted() - before, 4);

    // Forgotten on request: decrypted again.
    e.vault.forget_decrypted();
    assert_eq!(titles(&e.vault).await, ["a", "b2", "c"]);
    assert_eq!(e.cipher.decrypted() - before, 7);
}

pub async fn decrypted_values_are_not_served_once_the_key_is_locked(f: &Factory) {
    let e = env(f).await;
    let id = e.vault.create(&note("secret", "1", &[], 1)).await.unwrap();
    assert_eq!(titles(&e.vault).await, ["secret"]);
    e.cipher.set_locked(true);
    let locked = Error::Crypto(CryptoError::Locked);
    assert_eq!(e.vault.query::<Note>(&Query::new()).await.unwrap_err(), locked);
    assert_eq!(e.vault.get::<Note>(id).await.unwrap_err(), locked);
    // Unlocked again: what was kept before the lock was forgotten, so it is decrypted anew.
    e.cipher.set_locked(false);
    let before = e.cipher.decrypted();
    assert_eq!(titles(&e.vault).await, ["secret"]);
    assert_eq!(e.cipher.decrypted() - before, 1, "a value decrypted before the lock was kept");
}

pub async fn decrypted_value_of_a_deleted_version_is_never_served(f: &Factory) {
    let e = env(f).await;
    let id = e.vault.create(&note("first", "1", &[], 1)).await.unwrap();
    let first = e.vault.get::<Note>(id).await.unwrap().version.id;
    e.vault.update(id, &note("second", "1", &[], 1)).await.unwrap();
    assert_eq!(e.vault.read_version::<Note>(id, first).await.unwrap().title, "first");
    e.vault.delete_version::<Note>(id, first).await.unwrap();
    assert_eq!(e.vault.read_version::<Note>(id, first).await.unwrap_err(), Error::Store(StoreError::VersionNotFound(first)));
    // The current version deleted: the previous one is current again, read as it is now.
    let second = e.vault.get::<Note>(id).await.unwrap().version.id;
    e.vault.update(id, &note("third", "1", &[], 1)).await.unwrap();
    assert_eq!(titles(&e.vault).await, ["third"]);
    let third = e.vault.get::<Note>(id).await.unwrap().version.id;
    e.vault.delete_version::<Note>(id, third).await.unwrap();
    assert_eq!(titles(&e.vault).await, ["second"]);
    assert_eq!(e.vault.get::<Note>(id).await.unwrap().version.id, second);
    // The item deleted: nothing of it is read.
    e.vault.delete::<Note>(id).await.unwrap();
    assert!(titles(&e.vault).await.is_empty());
    assert!(e.vault.get::<Note>(id).await.is_err());
}
