use super::fixtures::*;
use localful_core::*;

pub async fn migrations_run_on_read(f: &Factory) {
    let old = env(f).await;
    let id = old.vault.create(&DocV1 { text: "three little words".into() }).await.unwrap();
    let v1 = old.vault.get::<DocV1>(id).await.unwrap().version;
    assert_eq!(v1.schema_version, 1);

    // The same store opened by a newer build: version 1 data is migrated on read.
    let new_db = Database::new(
        old.db.shared_store(),
        Schema::new().with::<DocV2>(),
        EventBus::local(),
        "new-build",
    );
    let vault = new_db.open_vault(old.vault.id(), old.cipher.clone()).await.unwrap();
    let got = vault.get::<DocV2>(id).await.unwrap();
    assert_eq!(got.data, DocV2 { text: "three little words".into(), words: 3 });
    assert_eq!(got.version.schema_version, 1, "reading does not rewrite");
    assert_eq!(vault.read_version::<DocV2>(id, v1.id).await.unwrap().words, 3);
    let q = vault.query::<DocV2>(&Query::new().filter(Field::data("words"), Op::GreaterThan, 2)).await.unwrap();
    assert_eq!(q.entries.len(), 1, "stage 3 sees migrated data");

    // A new version is written under schema 2; the old build cannot read it.
    let v2 = vault.update(id, &DocV2 { text: "now four words here".into(), words: 4 }).await.unwrap();
    assert_eq!(vault.get::<DocV2>(id).await.unwrap().version.schema_version, 2);
    assert_eq!(
        old.vault.get::<DocV1>(id).await.unwrap_err(),
        Error::Data(DataError::NewerSchema { collection: "docs".into(), found: 2, current: 1 })
    );
    assert!(matches!(old.vault.read_version::<DocV1>(id, v2).await, Err(Error::Data(DataError::NewerSchema { .. }))));
    assert!(matches!(old.vault.query::<DocV1>(&Query::new()).await, Err(Error::Data(DataError::NewerSchema { .. }))));
    // The old build can still read the old version.
    assert_eq!(old.vault.read_version::<DocV1>(id, v1.id).await.unwrap().text, "three little words");
}

