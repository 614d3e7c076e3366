//! Database connection and migrations (SQLite or Postgres through sqlx's `Any` driver).

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::AnyPool;

/// Which SQL dialect a pool speaks; queries differ in placeholders and a few types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

/// Opens the pool for `url` (creating the SQLite file and its directory if needed) and applies
/// the migrations of `migrations/<dialect>/`.
pub(crate) async fn connect(url: &str) -> Result<(AnyPool, Dialect), sqlx::Error> {
    install_default_drivers();
    let dialect = if url.starts_with("postgres") { Dialect::Postgres } else { Dialect::Sqlite };
    if dialect == Dialect::Sqlite {
        if let Some(path) = url.strip_prefix("sqlite://").and_then(|p| p.split('?').next()) {
            if let Some(dir) = std::path::Path::new(path).parent() {
                std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
            }
        }
    }
    let pool = AnyPoolOptions::new().max_connections(8).connect(url).await?;
    match dialect {
        Dialect::Sqlite => sqlx::migrate!("migrations/sqlite").run(&pool).await?,
        Dialect::Postgres => sqlx::migrate!("migrations/postgres").run(&pool).await?,
    }
    Ok((pool, dialect))
}
