//! What every tab shows about sync, as ONE value the worker derives from its real state:
//! [`SyncState`] — the session ([`AuthState`]), the socket's connection ([`Link`]), the vaults'
//! sync status, the network, and the changes not yet on the server — computed by [`derive`] and
//! nowhere else. Tabs never combine `navigator.onLine`, the session and the status themselves, so
//! what they show cannot contradict itself ("up to date" beside changes waiting, "synced" beside
//! an error, "log in" beside "logged in as").
//!
//! Pure: no IO, no clock of its own (the caller hands in the instants), tested natively.

mod auth;
mod derive;
mod link;
mod state;

pub use auth::AuthState;
pub use derive::{Inputs, derive};
pub use link::Link;
pub use state::{SyncPhase, SyncState};
