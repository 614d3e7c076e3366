//! Queries (SPEC: "Queries"): where (AND of OR-groups), seven operations, order, paging, and the
//! three stages — an index key range on an `Indexed` exposed field, a filter on exposed fields
//! before any decryption, and a filter on decrypted data in batches that stops early once the page
//! is full (unless the order is on an encrypted field, which needs every match).
//!
//! Evaluation ([`eval`]) is pure; `run` drives it over a store and a cipher.

mod condition;
pub mod eval;
#[allow(clippy::module_inception)]
mod query;
pub(crate) mod run;

pub use condition::{Condition, Field, Op, op_matches};
pub use query::{Direction, Query};
pub use run::{BATCH_SIZE, FULL_BATCH_SIZE, QueryStats};

#[cfg(test)]
mod tests;
