//! Database access: connection, migrations, and one module of queries per table.
//!
//! Both dialects go through sqlx's `Any` driver with `$n` placeholders (SQLite accepts them too).
//! The `Any` driver has no UUID or date types, so ids are canonical UUID text and timestamps are
//! RFC 3339 UTC millisecond text (chronological as strings); expiries are integer milliseconds.
//! SQLite runs with a single pooled connection: writes never meet a busy lock, and a
//! self-hosted single-process server does not need more. Postgres is the scale-out path.

pub(crate) mod changes;
pub(crate) mod chunk;
pub(crate) mod items;
pub(crate) mod sessions;
pub(crate) mod tickets;
pub(crate) mod users;
pub(crate) mod vaults;
pub(crate) mod versions;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Row};

/// Which SQL dialect a pool speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The most bound parameters one statement may carry: SQLite's `SQLITE_MAX_VARIABLE_NUMBER`
    /// (32 766 since SQLite 3.32; sqlx bundles a newer one) and the 16-bit parameter count of
    /// Postgres's wire protocol.
    pub(crate) const fn max_params(self) -> usize {
        match self {
            Self::Sqlite => 32_766,
            Self::Postgres => 65_535,
        }
    }
}

/// A statement being bound, for the helpers that bind one row's columns.
pub(crate) type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// How statements with many parameters (multi-row `VALUES`, long `IN` lists) are written: the
/// dialect's placeholders, and how many rows fit one statement under its parameter limit.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Params {
    dialect: Dialect,
    max: usize,
}

impl Params {
    /// The placeholders and limit of `dialect`.
    pub(crate) const fn of(dialect: Dialect) -> Self {
        Self { dialect, max: dialect.max_params() }
    }

    /// `dialect` with a lower limit (tests: statements split as they would at the real one).
    #[cfg(test)]
    pub(crate) const fn with_max(dialect: Dialect, max: usize) -> Self {
        Self { dialect, max }
    }

    /// The placeholder of parameter `n` (from 1): `$n` on Postgres, `?` on SQLite. A statement
    /// uses one form throughout. On SQLite sqlx looks each `$n` up by name, a scan of the
    /// statement's names per value: quadratic in the row count of a multi-row `INSERT`, where `?`
    /// binds in order at no cost.
    fn placeholder(self, n: usize, out: &mut String) {
        match self.dialect {
            Dialect::Sqlite => out.push('?'),
            Dialect::Postgres => {
                out.push('$');
                out.push_str(&n.to_string());
            }
        }
    }

    /// Parameter `n` alone.
    pub(crate) fn one(self, n: usize) -> String {
        let mut s = String::new();
        self.placeholder(n, &mut s);
        s
    }

    /// `(p, p, ...), (...)`: `rows` groups of `cols` placeholders numbered from `first`, for a
    /// multi-row `VALUES`.
    pub(crate) fn values(self, rows: usize, cols: usize, first: usize) -> String {
        let mut s = String::with_capacity(rows * cols * 6);
        for r in 0..rows {
            s.push_str(if r == 0 { "(" } else { ", (" });
            for c in 0..cols {
                if c > 0 {
                    s.push_str(", ");
                }
                self.placeholder(first + r * cols + c, &mut s);
            }
            s.push(')');
        }
        s
    }

    /// `p, p, ...`: an `IN` list of `n` placeholders numbered from `first`.
    pub(crate) fn list(self, n: usize, first: usize) -> String {
        let mut s = String::with_capacity(n * 6);
        for i in 0..n {
            if i > 0 {
                s.push_str(", ");
            }
            self.placeholder(first + i, &mut s);
        }
        s
    }

    /// Rows of `cols` parameters (beside `fixed` others) that fit one statement.
    pub(crate) fn rows_per_statement(self, cols: usize, fixed: usize) -> usize {
        (self.max.saturating_sub(fixed) / cols.max(1)).max(1)
    }
}

/// Opens the pool for `url` (creating the SQLite file and its directory if needed) and applies
/// the migrations of `migrations/<dialect>/`.
pub(crate) async fn connect(url: &str) -> Result<(AnyPool, Dialect), sqlx::Error> {
    install_default_drivers();
    let dialect = if url.starts_with("postgres") { Dialect::Postgres } else { Dialect::Sqlite };
    let options = match dialect {
        Dialect::Sqlite => {
            if let Some(path) = url.strip_prefix("sqlite://").and_then(|p| p.split('?').next())
                && let Some(dir) = std::path::Path::new(path).parent()
                && !dir.as_os_str().is_empty()
            {
                std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
            }
            // Per-connection settings go in `after_connect`: the pool replaces its connection
            // when it idles out or ages (10 and 30 minutes by default), and a pragma run once on
            // the pool would be gone with the first one (foreign keys unchecked from then on).
            // No ping before each acquire (sqlx's default): the connection is in-process and
            // cannot drop, and the ping is a round trip to its worker thread that every request
            // paid twice on the push path (the session check, then the transaction).
            AnyPoolOptions::new().max_connections(1).test_before_acquire(false).after_connect(|conn, _meta| {
                Box::pin(async move {
                    sqlx::query("PRAGMA foreign_keys = ON").execute(&mut *conn).await?;
                    sqlx::query("PRAGMA journal_mode = WAL").execute(&mut *conn).await?;
                    Ok(())
                })
            })
        }
        Dialect::Postgres => AnyPoolOptions::new().max_connections(10),
    };
    let pool = options.connect(url).await?;
    match dialect {
        Dialect::Sqlite => sqlx::migrate!("migrations/sqlite").run(&pool).await?,
        Dialect::Postgres => sqlx::migrate!("migrations/postgres").run(&pool).await?,
    }
    Ok((pool, dialect))
}

/// The token secret stored in `server_meta`, created on first start (shared by all processes).
pub(crate) async fn stored_secret(pool: &AnyPool, fresh: &str) -> Result<String, sqlx::Error> {
    sqlx::query("INSERT INTO server_meta (key, value) VALUES ('token_secret', $1) ON CONFLICT (key) DO NOTHING")
        .bind(fresh)
        .execute(pool)
        .await?;
    sqlx::query("SELECT value FROM server_meta WHERE key = 'token_secret'").fetch_one(pool).await?.try_get("value")
}

/// Postgres: the current schema (names the notification channel, so test schemas stay apart).
pub(crate) async fn current_schema(pool: &AnyPool) -> Result<String, sqlx::Error> {
    sqlx::query("SELECT CAST(current_schema() AS TEXT) AS s").fetch_one(pool).await?.try_get("s")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SQLite settings hold on every connection the pool opens, not only its first.
    #[tokio::test]
    async fn sqlite_pragmas_hold_on_a_replaced_connection() {
        let dir = std::env::temp_dir().join(format!("localful-pragmas-{}", uuid::Uuid::new_v4()));
        let url = format!("sqlite://{}/db.sqlite?mode=rwc", dir.display());
        let (pool, _) = connect(&url).await.expect("connect");
        for round in 0..2 {
            let mut conn = pool.acquire().await.expect("acquire");
            let keys: i64 = sqlx::query("PRAGMA foreign_keys").fetch_one(&mut *conn).await.expect("pragma").get(0);
            let journal: String = sqlx::query("PRAGMA journal_mode").fetch_one(&mut *conn).await.expect("pragma").get(0);
            assert_eq!((keys, journal.as_str()), (1, "wal"), "connection {round}");
            // Closed instead of returned: the pool opens a new one for the next round.
            conn.close().await.expect("close");
        }
        pool.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }
}
