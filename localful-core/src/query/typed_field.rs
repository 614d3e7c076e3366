//! Typed field handles: a field of a collection's data named once, checked at compile time.

use super::Field;
use std::fmt;
use std::marker::PhantomData;

/// A top-level field of collection `C`'s data whose values are `V`, as
/// [`#[derive(Collection)]`](derive@crate::Collection) generates one per field (an associated
/// constant named after the field in upper case). Wherever a [`Query`](crate::Query) takes a
/// field it takes one of these, so a misspelt field does not compile; [`Field::data`] stays for
/// fields known only at run time.
///
/// ```
/// use localful_core::{Collection, Direction, Field, Op, Query};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Serialize, Deserialize, Collection)]
/// #[collection(name = "notes")]
/// struct Note {
///     #[field(indexed)]
///     tags: Vec<String>,
///     #[field(exposed)]
///     title: String,
///     body: String,
/// }
///
/// let typed = Query::new().filter(Note::TAGS, Op::Includes, "work").order_by(Note::TITLE, Direction::Ascending);
/// let by_name = Query::new()
///     .filter(Field::data("tags"), Op::Includes, "work")
///     .order_by(Field::data("title"), Direction::Ascending);
/// assert_eq!(typed, by_name);
/// assert_eq!(Note::BODY.name(), "body");
/// ```
///
/// A misspelt field is a compile error:
///
/// ```compile_fail
/// use localful_core::{Collection, Op, Query};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Serialize, Deserialize, Collection)]
/// #[collection(name = "notes")]
/// struct Note {
///     #[field(exposed)]
///     title: String,
/// }
///
/// let query = Query::new().filter(Note::TITEL, Op::Equal, "x");
/// ```
pub struct TypedField<C, V> {
    name: &'static str,
    types: PhantomData<fn() -> (C, V)>,
}

impl<C, V> TypedField<C, V> {
    /// The handle of the field serialised as `name` (the derive calls this).
    pub const fn new(name: &'static str) -> Self {
        Self { name, types: PhantomData }
    }

    /// The field's name in the data's JSON object.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The untyped field.
    pub fn field(&self) -> Field {
        Field::data(self.name)
    }
}

impl<C, V> Clone for TypedField<C, V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C, V> Copy for TypedField<C, V> {}

impl<C, V> PartialEq for TypedField<C, V> {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl<C, V> Eq for TypedField<C, V> {}

impl<C, V> fmt::Debug for TypedField<C, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("TypedField").field(&self.name).finish()
    }
}

impl<C, V> From<TypedField<C, V>> for Field {
    fn from(field: TypedField<C, V>) -> Self {
        field.field()
    }
}
