//! `#[derive(Collection)]`: what it generates, and a typed query over the memory store.
#![cfg(not(target_arch = "wasm32"))]
#![allow(missing_docs, clippy::unwrap_used)]

use localful_core::{
    Collection, Database, Direction, EventBus, ExposedField, Field, MemoryStore, MigrationError, Op, Query, Schema,
    TypedField, crypto,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::rc::Rc;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Collection)]
#[collection(name = "notes")]
struct Note {
    #[field(indexed)]
    tags: Vec<String>,
    #[field(exposed)]
    title: String,
    body: String,
}

fn add_rank(from: u32, mut data: Value) -> Result<Value, MigrationError> {
    match from {
        1 => {
            data["rank"] = json!(0);
            Ok(data)
        }
        _ => Err(MigrationError(format!("no step from {from}"))),
    }
}

#[derive(Serialize, Deserialize, Debug, Collection)]
#[collection(name = "tasks", version = 2, migrate = add_rank)]
struct Task {
    #[serde(rename = "label")]
    #[field(indexed)]
    name: String,
    #[serde(default)]
    rank: i64,
    r#type: String,
}

#[test]
fn the_collection_impl_follows_the_attributes() {
    assert_eq!((Note::NAME, Note::SCHEMA_VERSION), ("notes", 1));
    assert_eq!(Note::exposed_fields(), [ExposedField::indexed("tags"), ExposedField::plain("title")]);
    assert_eq!((Task::NAME, Task::SCHEMA_VERSION), ("tasks", 2));
    assert_eq!(Task::exposed_fields(), [ExposedField::indexed("label")], "the serde name is exposed");
    assert_eq!(Task::migrate(1, json!({"label": "x"})).unwrap(), json!({"label": "x", "rank": 0}));
    assert!(Task::migrate(2, json!({})).is_err());
    assert_eq!(Note::migrate(1, json!({})), Err(MigrationError("no migration from schema version 1".into())));
}

#[test]
fn typed_handles_name_what_serde_writes() {
    let name: TypedField<Task, String> = Task::NAME_FIELD;
    assert_eq!((name.name(), Task::RANK.name(), Task::TYPE.name()), ("label", "rank", "type"));
    let tags: TypedField<Note, Vec<String>> = Note::TAGS;
    assert_eq!(Field::from(tags), Field::data("tags"));
    let written = serde_json::to_value(Task { name: "n".into(), rank: 1, r#type: "t".into() }).unwrap();
    for field in [Task::NAME_FIELD.name(), Task::RANK.name(), Task::TYPE.name()] {
        assert!(written.get(field).is_some(), "{field} is not what serde writes: {written}");
    }
}

#[test]
fn a_typed_query_runs_like_the_string_one() {
    futures::executor::block_on(async {
        let db = Database::new(Rc::new(MemoryStore::new()), Schema::new().with::<Note>(), EventBus::local(), "here");
        let meta = db.create_vault("v", "unused").await.unwrap();
        let vault = db.open_vault(meta.id, Rc::new(crypto::VaultKey::generate().await.unwrap())).await.unwrap();
        for (title, tag) in [("b", "work"), ("a", "work"), ("c", "home")] {
            vault.create(&Note { tags: vec![tag.into()], title: title.into(), body: String::new() }).await.unwrap();
        }
        let typed =
            Query::new().filter(Note::TAGS, Op::In, json!(["work"])).order_by(Note::TITLE, Direction::Ascending);
        let page = vault.query::<Note>(&typed).await.unwrap();
        let titles: Vec<_> = page.entries.iter().map(|e| e.data.title.as_str()).collect();
        assert_eq!(titles, ["a", "b"]);
        assert_eq!(page.stats.index.as_deref(), Some("tags"), "the derived index is used");
        let by_name = Query::new()
            .filter(Field::data("tags"), Op::In, json!(["work"]))
            .order_by(Field::data("title"), Direction::Ascending);
        assert_eq!(typed, by_name);
    });
}
