//! Queries (SPEC: "Queries"): where (AND of OR-groups), nine operations, order, paging, and the
//! three stages — index key ranges on an `Indexed` exposed field, a filter on exposed fields
//! before any decryption, and a filter on decrypted data in batches that stops early once the page
//! is full (unless the order is on an encrypted field, which needs every match).
//!
//! Every page has the exact total of matches: rows that exposed fields decide are counted without
//! decrypting them; only rows that need decrypted data to be decided are decrypted to count them.
//! A keyset [`Cursor`] (order value, creation time, id) continues a query where a page ended.
//!
//! Evaluation ([`eval`]) is pure; `run` drives it over a store and a cipher.

mod condition;
mod cursor;
pub mod eval;
#[allow(clippy::module_inception)]
mod query;
pub(crate) mod run;
mod typed_field;

pub use condition::{Condition, Field, Op, op_matches};
pub use cursor::Cursor;
pub use query::{Direction, Query};
pub use run::{BATCH_SIZE, FULL_BATCH_SIZE, QueryStats};
pub use typed_field::TypedField;

#[cfg(test)]
mod tests;
