//! The registry of collections a vault is opened with.

use super::{Collection, DataError, ExposedField, Exposure, MigrationError};
use crate::model::ExposedValues;
use serde_json::Value;
use std::any::TypeId;
use std::collections::BTreeMap;
use std::fmt;

type MigrateFn = fn(u32, Value) -> Result<Value, MigrationError>;
type ValidateFn = fn(&Value) -> Result<(), String>;

/// One registered collection, with its type erased: what the store needs to know about it.
///
/// Two definitions are equal when they are of the same Rust type under the same name, schema
/// version and exposed fields: the type determines how values are checked and migrated, so equal
/// definitions behave alike (compared by value, not by address, so a schema rebuilt on every render
/// of a component equals the previous one).
#[derive(Clone)]
pub struct CollectionDef {
    name: String,
    /// The collection's Rust type: it fixes `migrate` and `validate` (function pointers, which
    /// cannot be compared reliably).
    type_id: TypeId,
    schema_version: u32,
    exposed: Vec<ExposedField>,
    migrate: MigrateFn,
    validate: ValidateFn,
    signature: String,
}

impl fmt::Debug for CollectionDef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CollectionDef")
            .field("name", &self.name)
            .field("schema_version", &self.schema_version)
            .field("exposed", &self.exposed)
            .finish_non_exhaustive()
    }
}

impl PartialEq for CollectionDef {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.type_id == other.type_id
            && self.schema_version == other.schema_version
            && self.exposed == other.exposed
    }
}

impl Eq for CollectionDef {}

impl CollectionDef {
    /// The definition of collection `C`.
    pub fn of<C: Collection>() -> Self {
        let exposed = C::exposed_fields();
        let signature = exposed
            .iter()
            .map(|f| format!("{}:{}", f.name, if f.exposure == Exposure::Indexed { "i" } else { "p" }))
            .collect::<Vec<_>>()
            .join(",");
        Self {
            name: C::NAME.to_owned(),
            type_id: TypeId::of::<C>(),
            schema_version: C::SCHEMA_VERSION,
            exposed,
            migrate: C::migrate,
            validate: |v| serde_json::from_value::<C>(v.clone()).map(drop).map_err(|e| e.to_string()),
            signature,
        }
    }

    /// The collection's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The schema version written now.
    pub fn schema_version(&self) -> u32 {
        self.schema_version
    }

    /// The exposed fields.
    pub fn exposed_fields(&self) -> &[ExposedField] {
        &self.exposed
    }

    /// How `field` is exposed, if it is.
    pub fn exposure(&self, field: &str) -> Option<Exposure> {
        self.exposed.iter().find(|f| f.name == field).map(|f| f.exposure)
    }

    /// The exposed fields of `data` (fields absent from the data are absent here).
    pub fn exposed_values(&self, data: &Value) -> ExposedValues {
        self.exposed
            .iter()
            .filter_map(|f| data.get(&f.name).map(|v| (f.name.clone(), v.clone())))
            .collect()
    }

    /// A string naming the exposed fields and how each is stored; rows whose exposed fields were
    /// computed under another signature are refreshed when the vault is opened.
    pub fn exposure_signature(&self) -> &str {
        &self.signature
    }

    /// The exposed fields of `data` with this collection's signature.
    pub fn exposed(&self, data: &Value) -> crate::model::Exposed {
        crate::model::Exposed { values: self.exposed_values(data), signature: self.signature.clone() }
    }

    /// Checks that `data` is a JSON object that deserialises into the collection's type.
    pub fn validate(&self, data: &Value) -> Result<(), DataError> {
        if !data.is_object() {
            return Err(self.mismatch("the data is not a JSON object".into()));
        }
        (self.validate)(data).map_err(|m| self.mismatch(m))
    }

    /// Brings `data` written under `schema_version` up to the current version.
    pub fn migrate(&self, schema_version: u32, mut data: Value) -> Result<Value, DataError> {
        if schema_version > self.schema_version {
            return Err(DataError::NewerSchema {
                collection: self.name.clone(),
                found: schema_version,
                current: self.schema_version,
            });
        }
        for from in schema_version..self.schema_version {
            data = (self.migrate)(from, data).map_err(|e| DataError::Migration {
                collection: self.name.clone(),
                from,
                message: e.0,
            })?;
        }
        Ok(data)
    }

    pub(crate) fn mismatch(&self, message: String) -> DataError {
        DataError::TypeMismatch { collection: self.name.clone(), message }
    }
}

/// The collections an app stores, registered by type. Equal when they hold equal
/// [`CollectionDef`]s.
///
/// ```
/// use localful_core::{Collection, Schema};
/// # #[derive(serde::Serialize, serde::Deserialize)] struct Note { title: String }
/// # impl Collection for Note { const NAME: &'static str = "notes"; }
/// let schema = Schema::new().with::<Note>();
/// assert_eq!(schema.get("notes").map(|c| c.schema_version()), Some(1));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schema {
    collections: BTreeMap<String, CollectionDef>,
}

impl Schema {
    /// An empty schema.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers collection `C` (replacing any collection of the same name).
    pub fn with<C: Collection>(mut self) -> Self {
        self.collections.insert(C::NAME.to_owned(), CollectionDef::of::<C>());
        self
    }

    /// The collection named `name`.
    pub fn get(&self, name: &str) -> Option<&CollectionDef> {
        self.collections.get(name)
    }

    /// The collection named `name`, or [`DataError::UnknownCollection`].
    pub fn require(&self, name: &str) -> Result<&CollectionDef, DataError> {
        self.get(name).ok_or_else(|| DataError::UnknownCollection(name.to_owned()))
    }

    /// Every registered collection, by name.
    pub fn collections(&self) -> impl Iterator<Item = &CollectionDef> {
        self.collections.values()
    }
}
