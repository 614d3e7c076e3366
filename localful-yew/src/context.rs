//! The context every Localful hook reads.

use std::rc::Rc;
use yew::prelude::*;

/// Configuration of a Localful app.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LocalfulConfig {
    /// The app's name; it namespaces the IndexedDB database and the BroadcastChannel.
    pub app_name: String,
    /// Base URL of the sync server, if any (`None` = local only).
    pub server_url: Option<String>,
}

impl LocalfulConfig {
    /// A local-only configuration for `app_name`.
    pub fn new(app_name: impl Into<String>) -> Self {
        Self { app_name: app_name.into(), server_url: None }
    }

    /// The same configuration syncing with the server at `url`.
    pub fn with_server(mut self, url: impl Into<String>) -> Self {
        self.server_url = Some(url.into());
        self
    }
}

/// What [`crate::LocalfulProvider`] shares with the components below it.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalfulContext {
    config: Rc<LocalfulConfig>,
}

impl LocalfulContext {
    pub(crate) fn new(config: LocalfulConfig) -> Self {
        Self { config: Rc::new(config) }
    }

    /// The configuration the provider was given.
    pub fn config(&self) -> &LocalfulConfig {
        &self.config
    }
}

/// The nearest [`crate::LocalfulProvider`]'s context.
///
/// # Panics
/// When called outside a `LocalfulProvider`: that is a programming error, not a run-time condition.
#[hook]
pub fn use_localful() -> LocalfulContext {
    #[allow(clippy::expect_used)]
    use_context::<LocalfulContext>().expect("use_localful must be called inside <LocalfulProvider>")
}
