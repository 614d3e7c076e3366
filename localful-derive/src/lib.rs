//! # localful-derive
//!
//! `#[derive(Collection)]`, re-exported by `localful-core` as `localful_core::Collection` (the
//! derive and the trait share the name, as serde's do). See the derive's documentation there.

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

mod expand;
mod parse;

/// Implements `localful_core::Collection` for a struct with named fields, and gives it one typed
/// field handle per field (an associated constant named after the field in upper case, usable
/// wherever a query takes a field; `NAME_FIELD` and `SCHEMA_VERSION_FIELD` for fields `name` and
/// `schema_version`, whose plain names are the collection's own constants).
///
/// - `#[collection(name = "notes")]` (required): the collection's name.
/// - `#[collection(version = 2)]`: the schema version written now (default 1).
/// - `#[collection(migrate = path::to::fn)]`: the migration, a
///   `fn(u32, serde_json::Value) -> Result<serde_json::Value, MigrationError>` (see
///   `localful_core::Migrations` for typed steps).
/// - `#[field(indexed)]` / `#[field(exposed)]` on a field: copied unencrypted onto the local item,
///   indexed or not (`ExposedField::indexed` / `ExposedField::plain`).
///
/// A field's JSON name follows `#[serde(rename = "…")]`; a struct-level `#[serde(rename_all)]`
/// is refused (rename the fields one by one), so the handles always name what serde writes.
#[proc_macro_derive(Collection, attributes(collection, field))]
pub fn derive_collection(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match parse::Spec::from_input(&input) {
        Ok(spec) => expand::expand(&spec).into(),
        Err(error) => error.to_compile_error().into(),
    }
}
