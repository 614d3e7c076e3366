//! Server configuration from flags and environment variables.

use std::{net::SocketAddr, path::PathBuf};

/// How the server is configured. Every flag also reads an environment variable (`LOCALFUL_*`).
#[derive(Debug, Clone, clap::Parser)]
#[command(name = "localful-server", version, about = "Localful sync server")]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "LOCALFUL_BIND", default_value = "127.0.0.1:3000")]
    pub bind: SocketAddr,
    /// Database URL: `sqlite://path.db` or `postgres://...`. Default: SQLite in `--data-dir`.
    #[arg(long, env = "LOCALFUL_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Directory of the default SQLite database.
    #[arg(long, env = "LOCALFUL_DATA_DIR", default_value = "localful-data")]
    pub data_dir: PathBuf,
    /// Whether new users may register.
    #[arg(long, env = "LOCALFUL_REGISTRATION_ENABLED", default_value_t = true, action = clap::ArgAction::Set)]
    pub registration_enabled: bool,
}

impl Config {
    /// The database URL in effect: the explicit one, or SQLite in the data directory.
    pub fn effective_database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}?mode=rwc", self.data_dir.join("localful.db").display()),
        }
    }

    /// A configuration for tests: an ephemeral port and an in-memory-like SQLite file in `dir`.
    pub fn for_tests(dir: &std::path::Path) -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: None,
            data_dir: dir.to_path_buf(),
            registration_enabled: true,
        }
    }
}
