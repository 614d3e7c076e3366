//! Shared state handed to every handler.

use crate::{
    auth::{hash_gate::HashGate, rate_limit::RateLimiter},
    clock::{Clock, SystemClock},
    config::Config,
    db::{self, Dialect},
    sync::events::Events,
};
use sqlx::AnyPool;
use std::sync::Arc;

/// Database pool, configuration, token secret, clock and event fan-out; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub(crate) pool: AnyPool,
    pub(crate) dialect: Dialect,
    pub(crate) config: Arc<Config>,
    pub(crate) secret: Arc<[u8]>,
    pub(crate) limiter: RateLimiter,
    /// The bound on concurrent password hashes (see [`HashGate`]).
    pub(crate) hashing: HashGate,
    pub(crate) events: Events,
    /// The time that decides expiry and rate-limit windows (see [`crate::Clock`]).
    pub(crate) clock: Arc<dyn Clock>,
}

impl AppState {
    /// Connects to the configured database, applies migrations, loads (or creates) the token
    /// secret and, on Postgres, starts listening for other processes' events.
    pub async fn connect(config: Config) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Self::connect_with_clock(config, Arc::new(SystemClock)).await
    }

    /// [`connect`](Self::connect), with `clock` deciding token, session and ticket expiry, the
    /// `refresh-ticket` schedule, rate-limit windows and how long a request waits for a password
    /// hash (tests pass a [`crate::ManualClock`]).
    pub async fn connect_with_clock(
        config: Config,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        let url = config.effective_database_url();
        let (pool, dialect) = db::connect(&url).await?;
        let secret: Arc<[u8]> = match &config.token_secret {
            Some(s) => s.as_bytes().into(),
            None => db::stored_secret(&pool, &crate::auth::random_token(32)?).await?.into_bytes().into(),
        };
        let events = match dialect {
            Dialect::Sqlite => Events::local(pool.clone()),
            Dialect::Postgres => Events::postgres(pool.clone(), &url).await?,
        };
        let hashing = HashGate::new(
            config.effective_password_hash_concurrency(),
            config.effective_password_hash_queue(),
            config.password_hash_wait_secs,
            clock.clone(),
        )?;
        Ok(Self { pool, dialect, config: Arc::new(config), secret, limiter: RateLimiter::default(), hashing, events, clock })
    }
}
