//! The typed API: a [`Database`] (the vault registry) and [`VaultHandle`]s (an open vault's items,
//! history, queries, remote application and outbox), emitting an [`Event`](crate::Event) for every
//! write.

mod entry;
mod history;
mod items;
mod refresh;
mod remote;
mod vaults;

pub use entry::{Entry, QueryResult};
pub use vaults::{Database, VaultHandle};
