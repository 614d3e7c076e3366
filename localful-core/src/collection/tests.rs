use super::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Serialize, Deserialize)]
struct Note {
    title: String,
    tags: Vec<String>,
}

impl Collection for Note {
    const NAME: &'static str = "notes";
    const SCHEMA_VERSION: u32 = 3;
    fn exposed_fields() -> Vec<ExposedField> {
        vec![ExposedField::indexed("title"), ExposedField::plain("tags")]
    }
    fn migrate(from: u32, mut data: serde_json::Value) -> Result<serde_json::Value, MigrationError> {
        match from {
            1 => {
                data["tags"] = json!([]);
                Ok(data)
            }
            2 => {
                data["title"] = json!(data["title"].as_str().unwrap_or_default().to_uppercase());
                Ok(data)
            }
            _ => Err(MigrationError("nope".into())),
        }
    }
}

#[test]
fn migrates_step_by_step_and_rejects_newer() {
    let def = CollectionDef::of::<Note>();
    let out = def.migrate(1, json!({"title": "a"})).unwrap();
    assert_eq!(out, json!({"title": "A", "tags": []}));
    assert_eq!(
        def.migrate(4, json!({})),
        Err(DataError::NewerSchema { collection: "notes".into(), found: 4, current: 3 })
    );
    assert!(matches!(def.migrate(0, json!({})), Err(DataError::Migration { from: 0, .. })));
}

#[test]
fn validates_shape_and_extracts_exposed() {
    let def = CollectionDef::of::<Note>();
    assert!(def.validate(&json!({"title": "x", "tags": []})).is_ok());
    assert!(matches!(def.validate(&json!({"title": 1, "tags": []})), Err(DataError::TypeMismatch { .. })));
    assert!(matches!(def.validate(&json!([1])), Err(DataError::TypeMismatch { .. })));
    let ex = def.exposed_values(&json!({"title": "x", "tags": ["a"], "body": "secret"}));
    assert_eq!(ex.len(), 2);
    assert!(!ex.contains_key("body"));
    assert_eq!(def.exposure("title"), Some(Exposure::Indexed));
    assert_eq!(def.exposure("body"), None);
}

/// Another type stored under the same name as [`Note`].
#[derive(Serialize, Deserialize)]
struct OtherNote {
    title: String,
}

impl Collection for OtherNote {
    const NAME: &'static str = "notes";
    const SCHEMA_VERSION: u32 = 3;
    fn exposed_fields() -> Vec<ExposedField> {
        vec![ExposedField::indexed("title"), ExposedField::plain("tags")]
    }
}

/// [`Note`] with its title no longer indexed.
#[derive(Serialize, Deserialize)]
struct PlainNote {
    title: String,
}

impl Collection for PlainNote {
    const NAME: &'static str = "plain-notes";
    fn exposed_fields() -> Vec<ExposedField> {
        vec![ExposedField::plain("title")]
    }
}

#[test]
fn schemas_are_equal_by_value() {
    // Built twice, as a component re-rendering builds it: equal.
    assert_eq!(Schema::new().with::<Note>().with::<PlainNote>(), Schema::new().with::<PlainNote>().with::<Note>());
    assert_eq!(CollectionDef::of::<Note>(), CollectionDef::of::<Note>());
    // Another type under the same name, name, version and exposed fields alike: not equal.
    assert_ne!(Schema::new().with::<Note>(), Schema::new().with::<OtherNote>());
    assert_ne!(Schema::new().with::<Note>(), Schema::new().with::<Note>().with::<PlainNote>());
    assert_ne!(Schema::new(), Schema::new().with::<PlainNote>());
}
