//! The typed API: a [`Database`] (the vault registry) and [`VaultHandle`]s (an open vault's items,
//! history, queries, remote application and outbox), emitting an [`Event`](crate::Event) for every
//! write.

mod entry;
mod history;
mod items;
mod refresh;
mod remote;
mod remote_batch;
mod remote_change;
mod remote_merge;
mod repair_io;
mod sync_io;
mod vaults;

pub use entry::{Entry, QueryResult};
pub(crate) use remote_change::Remote;
pub use vaults::{Database, VaultHandle};
