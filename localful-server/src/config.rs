//! Server configuration from flags and environment variables (`LOCALFUL_*`).

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
    /// Origins allowed to open the sync socket and to call the API from a browser (comma-separated;
    /// `*` allows any origin).
    #[arg(long, env = "LOCALFUL_ALLOWED_ORIGINS", value_delimiter = ',', default_value = "http://localhost:8080,http://127.0.0.1:8080")]
    pub allowed_origins: Vec<String>,
    /// Secret signing the access and refresh tokens (HS256). Default: a random secret generated once
    /// and stored in the database, so every process on one database shares it.
    #[arg(long, env = "LOCALFUL_TOKEN_SECRET", hide_env_values = true)]
    pub token_secret: Option<String>,
    /// Lifetime of an access token, in seconds (at least: `exp` is rounded up to the next second).
    #[arg(long, env = "LOCALFUL_ACCESS_TOKEN_TTL", default_value_t = 900)]
    pub access_token_ttl_secs: u64,
    /// Lifetime of a refresh token (and of its session when unused), in seconds.
    #[arg(long, env = "LOCALFUL_REFRESH_TOKEN_TTL", default_value_t = 30 * 24 * 3600)]
    pub refresh_token_ttl_secs: u64,
    /// Lifetime of a sync ticket, in seconds.
    #[arg(long, env = "LOCALFUL_TICKET_TTL", default_value_t = 15)]
    pub ticket_ttl_secs: u64,
    /// How often a connected socket is asked for a fresh ticket (`refresh-ticket`), in seconds.
    #[arg(long, env = "LOCALFUL_TICKET_REFRESH_INTERVAL", default_value_t = 600)]
    pub ticket_refresh_interval_secs: u64,
    /// Vaults one user may own.
    #[arg(long, env = "LOCALFUL_MAX_VAULTS_PER_USER", default_value_t = 50)]
    pub max_vaults_per_user: u64,
    /// Bytes of `protectedData` one version may hold.
    #[arg(long, env = "LOCALFUL_MAX_VERSION_BYTES", default_value_t = 1024 * 1024)]
    pub max_version_bytes: u64,
    /// Bytes of version data one vault may hold.
    #[arg(long, env = "LOCALFUL_MAX_VAULT_BYTES", default_value_t = 100 * 1024 * 1024)]
    pub max_vault_bytes: u64,
    /// Login and registration attempts per client IP and minute (each route counted separately).
    #[arg(long, env = "LOCALFUL_AUTH_RATE_LIMIT", default_value_t = 20)]
    pub auth_rate_limit_per_minute: u32,
    /// Argon2id memory cost in KiB (the OWASP minimum is 19456).
    #[arg(long, env = "LOCALFUL_ARGON2_MEMORY_KIB", default_value_t = 19456)]
    pub argon2_memory_kib: u32,
    /// Argon2id iterations.
    #[arg(long, env = "LOCALFUL_ARGON2_ITERATIONS", default_value_t = 2)]
    pub argon2_iterations: u32,
    /// Password hashes computed at once (1..=1024), each on a thread of its own that keeps
    /// `argon2_memory_kib` of memory once it has hashed. Default: the CPUs the process may use.
    #[arg(long, env = "LOCALFUL_PASSWORD_HASH_CONCURRENCY")]
    pub password_hash_concurrency: Option<usize>,
    /// Requests waiting for a password hash beyond those running; more are refused at once with
    /// `503 system-busy`. Default: 16 per concurrent hash.
    #[arg(long, env = "LOCALFUL_PASSWORD_HASH_QUEUE")]
    pub password_hash_queue: Option<usize>,
    /// Seconds a request may wait for a password hash before it is refused with `503 system-busy`
    /// (also its `Retry-After`).
    #[arg(long, env = "LOCALFUL_PASSWORD_HASH_WAIT", default_value_t = 10)]
    pub password_hash_wait_secs: u64,
}

impl Config {
    /// The database URL in effect: the explicit one, or SQLite in the data directory.
    pub fn effective_database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}?mode=rwc", self.data_dir.join("localful.db").display()),
        }
    }

    /// Password hashes computed at once: the configured number, or the CPUs this process may
    /// use (at least 1).
    pub fn effective_password_hash_concurrency(&self) -> usize {
        self.password_hash_concurrency.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get)).max(1)
    }

    /// Requests that may wait for a password hash: the configured number, or 16 per concurrent
    /// hash (a waiting request holds its small parsed body, not a hash's memory).
    pub fn effective_password_hash_queue(&self) -> usize {
        self.password_hash_queue.unwrap_or_else(|| self.effective_password_hash_concurrency().saturating_mul(16))
    }

    /// Whether `origin` may open the sync socket.
    pub fn origin_allowed(&self, origin: &str) -> bool {
        self.allowed_origins.iter().any(|o| o == "*" || o.trim_end_matches('/') == origin.trim_end_matches('/'))
    }

    /// A configuration for tests: an ephemeral port, SQLite in `dir`, a fixed token secret, cheap
    /// password hashing and a generous rate limit.
    pub fn for_tests(dir: &std::path::Path) -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: None,
            data_dir: dir.to_path_buf(),
            registration_enabled: true,
            allowed_origins: vec!["http://allowed.test".into()],
            token_secret: Some("test-secret-test-secret-test-secret".into()),
            access_token_ttl_secs: 900,
            refresh_token_ttl_secs: 3600,
            ticket_ttl_secs: 15,
            ticket_refresh_interval_secs: 600,
            max_vaults_per_user: 50,
            max_version_bytes: 64 * 1024,
            max_vault_bytes: 10 * 1024 * 1024,
            auth_rate_limit_per_minute: 10_000,
            argon2_memory_kib: 64,
            argon2_iterations: 1,
            password_hash_concurrency: None,
            password_hash_queue: None,
            password_hash_wait_secs: 10,
        }
    }
}
