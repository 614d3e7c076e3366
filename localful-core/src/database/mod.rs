//! The typed API: a [`Database`] (the vault registry), [`VaultHandle`]s (an open vault's items,
//! history and queries, for apps) and [`Replica`]s (the same vault as the sync engine uses it:
//! remote application, outbox, repair), emitting an [`ChangeEvent`](crate::ChangeEvent) for every write.

mod backup_io;
mod devices;
mod entry;
mod history;
mod items;
mod local_write;
mod refresh;
mod remote;
mod remote_batch;
mod remote_change;
mod remote_merge;
mod repair_io;
mod replica;
mod sync_io;
mod vaults;

pub use devices::DeviceActivity;
pub use entry::{Entry, QueryResult};
pub(crate) use remote_change::Remote;
pub use replica::Replica;
pub use sync_io::AckOutcome;
pub use vaults::{Database, VaultHandle};
