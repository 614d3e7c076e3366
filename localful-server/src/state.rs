//! Shared state handed to every handler.

use crate::{config::Config, db::Dialect};
use sqlx::AnyPool;
use std::sync::Arc;

/// Database pool and configuration, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub(crate) pool: AnyPool,
    #[allow(dead_code)] // used by the resource routes
    pub(crate) dialect: Dialect,
    pub(crate) config: Arc<Config>,
}

impl AppState {
    /// Connects to the configured database and applies migrations.
    pub async fn connect(config: Config) -> Result<Self, sqlx::Error> {
        let (pool, dialect) = crate::db::connect(&config.effective_database_url()).await?;
        Ok(Self { pool, dialect, config: Arc::new(config) })
    }
}
