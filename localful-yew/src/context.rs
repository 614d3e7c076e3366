//! The context every Localful hook reads.

use crate::{config::LocalfulConfig, session::VaultSessions};
use localful_core::Database;
use std::rc::Rc;
use yew::prelude::*;

/// What [`crate::LocalfulProvider`] shares with the components below it: the database, the
/// unlocked vaults and the configuration. Cheap to clone.
#[derive(Debug, Clone)]
pub struct LocalfulContext {
    pub(crate) config: Rc<LocalfulConfig>,
    pub(crate) database: Database,
    pub(crate) sessions: VaultSessions,
    pub(crate) worker: crate::worker::WorkerConnection,
}

impl PartialEq for LocalfulContext {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.config, &other.config)
    }
}

impl LocalfulContext {
    /// The configuration the provider was given.
    pub fn config(&self) -> &LocalfulConfig {
        &self.config
    }

    /// The local database (vault registry, events) for what the hooks do not cover.
    pub fn database(&self) -> &Database {
        &self.database
    }

    /// The vaults unlocked in this context.
    pub fn sessions(&self) -> &VaultSessions {
        &self.sessions
    }

    /// The connection to the sync worker (detached when no server URL is configured).
    pub fn worker(&self) -> &crate::worker::WorkerConnection {
        &self.worker
    }
}

/// The nearest [`crate::LocalfulProvider`]'s context.
///
/// # Panics
/// When called outside a `LocalfulProvider`: a programming error, not a run-time condition.
#[hook]
pub fn use_localful() -> LocalfulContext {
    #[allow(clippy::expect_used)]
    use_context::<LocalfulContext>().expect("use_localful must be called inside <LocalfulProvider>")
}
