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


/// "journal" at schema 1: text only.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Collection)]
#[collection(name = "journal")]
pub struct JournalV1 {
    pub text: String,
}

/// Schema 2: a mood was added (a typed step from the app's own `JournalV1`).
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Collection)]
#[collection(name = "journal", version = 2, migrate = journal_v2_migrations)]
pub struct JournalV2 {
    pub text: String,
    pub mood: String,
}

/// Schema 3 (now): `text` renamed `body`, an exposed word count (a JSON step).
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Collection)]
#[collection(name = "journal", version = 3, migrate = journal_migrations)]
pub struct Journal {
    pub body: String,
    pub mood: String,
    #[field(exposed)]
    pub words: usize,
}

fn journal_v2_migrations(from: u32, data: serde_json::Value) -> Result<serde_json::Value, MigrationError> {
    Migrations::new().typed(1, |old: JournalV1| JournalV2 { text: old.text, mood: "unknown".into() }).run(from, data)
}

fn journal_migrations(from: u32, data: serde_json::Value) -> Result<serde_json::Value, MigrationError> {
    Migrations::new()
        .typed(1, |old: JournalV1| JournalV2 { text: old.text, mood: "unknown".into() })
        .json(2, |mut data| {
            let text = data["text"].take();
            let words = text.as_str().map_or(0, |t| t.split_whitespace().count());
            Ok(serde_json::json!({ "body": text, "mood": data["mood"].take(), "words": words }))
        })
        .run(from, data)
}

pub async fn migrations_chain_of_three_versions_writes_back_on_save(f: &Factory) {
    // Three builds of the app over one store: each writes an entry under its schema version.
    let v1 = env_with(f, Schema::new().with::<JournalV1>()).await;
    let build = |schema: Schema, name: &str| Database::new(v1.db.shared_store(), schema, EventBus::local(), name);
    let first = v1.vault.create(&JournalV1 { text: "rain all day".into() }).await.unwrap();
    let v2 = build(Schema::new().with::<JournalV2>(), "build-2").open_vault(v1.vault.id(), v1.cipher.clone()).await.unwrap();
    let second = v2.create(&JournalV2 { text: "sun".into(), mood: "glad".into() }).await.unwrap();
    let v3 = build(Schema::new().with::<Journal>(), "build-3").open_vault(v1.vault.id(), v1.cipher.clone()).await.unwrap();

    // Build 3 reads both through the chain: version 1 takes both steps, version 2 the last one.
    let got = v3.get::<Journal>(first).await.unwrap();
    assert_eq!(got.data, Journal { body: "rain all day".into(), mood: "unknown".into(), words: 3 });
    assert_eq!(v3.get::<Journal>(second).await.unwrap().data, Journal { body: "sun".into(), mood: "glad".into(), words: 1 });
    let page = v3.query::<Journal>(&Query::new().filter(Journal::MOOD, Op::Equal, "unknown")).await.unwrap();
    assert_eq!(page.entries.len(), 1, "queries see migrated data");

    // Reading wrote nothing: the stored versions keep their schema versions, and build 1 still reads its entry.
    let schema_versions = |history: Vec<VersionMeta>| history.iter().map(|v| v.schema_version).collect::<Vec<_>>();
    assert_eq!(schema_versions(v3.history::<Journal>(first).await.unwrap()), [1]);
    assert_eq!(schema_versions(v3.history::<Journal>(second).await.unwrap()), [2]);
    assert_eq!(v1.vault.get::<JournalV1>(first).await.unwrap().data.text, "rain all day");

    // Saving the item writes the migrated value back as a new version under schema 3.
    let mut edited = got.data.clone();
    edited.mood = "calm".into();
    let saved = v3.update(first, &edited).await.unwrap();
    let history = v3.history::<Journal>(first).await.unwrap();
    assert_eq!(schema_versions(history.clone()), [3, 1], "newest first");
    assert_eq!(history[0].id, saved);
    assert_eq!(v3.get::<Journal>(first).await.unwrap().data, edited);
    // The old version is still there as written, read through the chain.
    assert_eq!(v3.read_version::<Journal>(first, history[1].id).await.unwrap().mood, "unknown");
    assert!(matches!(v1.vault.get::<JournalV1>(first).await, Err(Error::Data(DataError::NewerSchema { found: 3, .. }))));
}
