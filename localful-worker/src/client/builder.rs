//! Configuring and starting a [`Client`].

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use futures::channel::mpsc;
use serde_json::Value;

use super::Client;
use super::auth::AuthProvider;
use super::driver::Driver;
use super::shared::Shared;
use crate::engineio::handshake_url;
use crate::bounds::{BoxFuture, MaybeSend};
use crate::runtime::{random_seed, spawn};
use crate::session::{Backoff, Clock, SessionConfig, SharedClock, SystemClock};

/// Builds a [`Client`]: server URL, path, auth and reconnection settings.
pub struct ClientBuilder {
    url: String,
    path: String,
    auth: Option<AuthProvider>,
    config: SessionConfig,
    clock: Option<SharedClock>,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder").field("url", &self.url).field("path", &self.path).field("config", &self.config).finish_non_exhaustive()
    }
}

impl ClientBuilder {
    pub(crate) fn new(url: impl Into<String>) -> Self {
        Self { url: url.into(), path: "/socket.io/".into(), auth: None, config: SessionConfig::default(), clock: None }
    }

    /// The Engine.IO path (default `/socket.io/`).
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// The auth payload, evaluated for each namespace on each connection attempt (a ticket that is
    /// valid once, a fresh token, …). An `Err` closes the attempt and retries with backoff.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn auth<F, Fut>(mut self, provider: F) -> Self
    where
        F: Fn(&str) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Value, String>> + MaybeSend + 'static,
    {
        self.auth = Some(Arc::new(move |nsp: &str| -> BoxFuture<_> { Box::pin(provider(nsp)) }));
        self
    }

    /// The auth payload, evaluated for each namespace on each connection attempt (a ticket that is
    /// valid once, a fresh token, …). An `Err` closes the attempt and retries with backoff.
    #[cfg(target_arch = "wasm32")]
    pub fn auth<F, Fut>(mut self, provider: F) -> Self
    where
        F: Fn(&str) -> Fut + 'static,
        Fut: Future<Output = Result<Value, String>> + MaybeSend + 'static,
    {
        self.auth = Some(Arc::new(move |nsp: &str| -> BoxFuture<_> { Box::pin(provider(nsp)) }));
        self
    }

    /// Whether to reconnect after an unexpected close (default `true`).
    pub fn reconnection(mut self, enabled: bool) -> Self {
        self.config.reconnection = enabled;
        self
    }

    /// Give up after this many reconnection attempts (default: never).
    pub fn reconnection_attempts(mut self, attempts: u32) -> Self {
        self.config.reconnection_attempts = Some(attempts);
        self
    }

    /// The reconnection backoff (default 1 s doubling to 5 s, ±50 %).
    pub fn backoff(mut self, backoff: Backoff) -> Self {
        self.config.backoff = backoff;
        self
    }

    /// How long dialing and the open packet may take (default 20 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = timeout;
        self
    }

    /// The clock of the heartbeat, backoff, connect and ack deadlines (default: the system
    /// clock). Tests pass a [`ManualClock`](crate::session::ManualClock) and advance it; dialing
    /// and closing the WebSocket still take the real time they take.
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Some(std::sync::Arc::new(clock));
        self
    }

    /// Starts the client's background task. Natively, call it inside a tokio runtime.
    /// The connection is dialed when the first [`Socket`](super::Socket) is requested.
    pub fn build(self) -> Client {
        let (commands, rx) = mpsc::unbounded();
        let shared = Arc::new(Shared::new());
        let url = handshake_url(&self.url, &self.path);
        let clock = self.clock.unwrap_or_else(|| Arc::new(SystemClock::new()));
        let driver = Driver::new(url, self.auth, self.config, clock, random_seed(), rx, Arc::clone(&shared));
        spawn(driver.run());
        Client { commands, shared }
    }
}
