//! Typed collections: the Rust types an app stores, their schema versions, migrations and exposed
//! fields.

#[allow(clippy::module_inception)]
mod collection;
mod error;
mod migrations;
mod schema;

pub use collection::{Collection, ExposedField, Exposure};
pub use error::{DataError, MigrationError};
pub use migrations::Migrations;
pub use schema::{CollectionDef, Schema};

#[cfg(test)]
mod tests;
