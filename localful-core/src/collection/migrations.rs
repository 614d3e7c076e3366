//! Migration steps, each from one schema version to the next: over the app's own old types
//! (typed) or over JSON.

use super::MigrationError;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

type Step = Box<dyn Fn(Value) -> Result<Value, MigrationError>>;

/// A collection's migration steps, for [`Collection::migrate`](super::Collection::migrate): one
/// step `from` each older schema version to the next, either over the app's own old types —
/// the data is read as the old type, converted, written as the next type — or over JSON.
///
/// Steps run on read, one after the other, up to the current version; what is read is never
/// written back by itself. The migrated value is saved — as a new version under the current
/// schema version — only when the app saves the item (an update), like any edit; old versions
/// keep their data and schema version.
///
/// ```
/// use localful_core::{Collection, MigrationError, Migrations};
/// use serde::{Deserialize, Serialize};
/// use serde_json::Value;
///
/// // Version 1: a title only. Version 2: tags. Version 3 (now): the title renamed `name`.
/// #[derive(Serialize, Deserialize)]
/// struct NoteV1 { title: String }
/// #[derive(Serialize, Deserialize)]
/// struct NoteV2 { title: String, tags: Vec<String> }
/// #[derive(Serialize, Deserialize, Debug, PartialEq)]
/// struct Note { name: String, tags: Vec<String> }
///
/// impl Collection for Note {
///     const NAME: &'static str = "notes";
///     const SCHEMA_VERSION: u32 = 3;
///     fn migrate(from: u32, data: Value) -> Result<Value, MigrationError> {
///         Migrations::new()
///             .typed(1, |old: NoteV1| NoteV2 { title: old.title, tags: Vec::new() })
///             .json(2, |mut data| {
///                 let title = data["title"].take();
///                 data["name"] = title;
///                 Ok(data)
///             })
///             .run(from, data)
///     }
/// }
///
/// let v1 = serde_json::json!({ "title": "Groceries" });
/// let v2 = Note::migrate(1, v1).unwrap();
/// let v3: Note = serde_json::from_value(Note::migrate(2, v2).unwrap()).unwrap();
/// assert_eq!(v3, Note { name: "Groceries".into(), tags: vec![] });
/// ```
#[derive(Default)]
pub struct Migrations {
    steps: Vec<(u32, Step)>,
}

impl std::fmt::Debug for Migrations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Migrations").field("from", &self.steps.iter().map(|(v, _)| *v).collect::<Vec<_>>()).finish()
    }
}

impl Migrations {
    /// No steps yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The step from schema version `from`: the data is read as `Old` (the type written under
    /// `from`), converted by `step`, and written as `New` (the type of version `from + 1`).
    /// Data that does not read as `Old` fails the step with a [`MigrationError`] naming the type.
    pub fn typed<Old, New>(self, from: u32, step: impl Fn(Old) -> New + 'static) -> Self
    where
        Old: DeserializeOwned,
        New: Serialize,
    {
        self.try_typed(from, move |old: Old| Ok(step(old)))
    }

    /// [`typed`](Self::typed) with a step that can refuse a value.
    pub fn try_typed<Old, New>(mut self, from: u32, step: impl Fn(Old) -> Result<New, MigrationError> + 'static) -> Self
    where
        Old: DeserializeOwned,
        New: Serialize,
    {
        let step = move |data: Value| {
            let old: Old = serde_json::from_value(data).map_err(|e| {
                MigrationError(format!(
                    "the data of schema version {from} is not a {}: {e}",
                    std::any::type_name::<Old>()
                ))
            })?;
            serde_json::to_value(step(old)?).map_err(|e| {
                MigrationError(format!(
                    "the {} made from version {from} does not serialise: {e}",
                    std::any::type_name::<New>()
                ))
            })
        };
        self.steps.push((from, Box::new(step)));
        self
    }

    /// The step from schema version `from`, over the data's JSON.
    pub fn json(mut self, from: u32, step: impl Fn(Value) -> Result<Value, MigrationError> + 'static) -> Self {
        self.steps.push((from, Box::new(step)));
        self
    }

    /// Runs the step from version `from` to `from + 1` (what [`Collection::migrate`] is asked
    /// for), or fails naming the missing step.
    ///
    /// [`Collection::migrate`]: super::Collection::migrate
    pub fn run(&self, from: u32, data: Value) -> Result<Value, MigrationError> {
        match self.steps.iter().find(|(version, _)| *version == from) {
            Some((_, step)) => step(data),
            None => Err(MigrationError(format!("no migration from schema version {from}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Serialize, Deserialize)]
    struct V1 {
        title: String,
    }
    #[derive(Serialize, Deserialize)]
    struct V2 {
        title: String,
        words: usize,
    }

    fn migrations() -> Migrations {
        Migrations::new().typed(1, |old: V1| V2 { words: old.title.split_whitespace().count(), title: old.title }).json(
            2,
            |mut data| {
                data["checked"] = json!(data["words"].as_u64().is_some_and(|w| w > 0));
                Ok(data)
            },
        )
    }

    #[test]
    fn each_step_runs_from_its_version_typed_or_over_json() {
        let m = migrations();
        let v2 = m.run(1, json!({"title": "two words"})).unwrap();
        assert_eq!(v2, json!({"title": "two words", "words": 2}));
        assert_eq!(m.run(2, v2).unwrap(), json!({"title": "two words", "words": 2, "checked": true}));
        assert_eq!(m.run(3, json!({})), Err(MigrationError("no migration from schema version 3".into())));
    }

    #[test]
    fn data_that_is_not_the_old_type_is_a_typed_error() {
        let err = migrations().run(1, json!({"name": "no title"})).unwrap_err();
        assert!(err.0.starts_with("the data of schema version 1 is not a "), "{}", err.0);
        assert!(err.0.contains("V1") && err.0.contains("missing field `title`"), "{}", err.0);
        let refusing = Migrations::new().try_typed(1, |_: V1| Err::<V2, _>(MigrationError("refused".into())));
        assert_eq!(refusing.run(1, json!({"title": "x"})), Err(MigrationError("refused".into())));
    }
}
