//! `GET /v1/server/info`: what a server allows.
//!
//! Fields are declared in the order the server writes them (alphabetical).

use serde::{Deserialize, Serialize};

/// The server's name, version, registration policy, limits and token lifetimes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerInfo {
    /// Whether an account must verify its email before it may sync.
    pub email_verification_required: bool,
    /// The configured limits.
    pub limits: ServerLimits,
    /// `localful-server`.
    pub name: String,
    /// Whether `POST /v1/users` is open.
    pub registration_enabled: bool,
    /// Token and ticket lifetimes.
    pub tokens: TokenLifetimes,
    /// The server's version.
    pub version: String,
}

/// The limits a server enforces (`limit-exceeded` beyond them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerLimits {
    /// Bytes of encrypted data per vault.
    pub vault_bytes: u64,
    /// Vaults per user.
    pub vaults_per_user: u64,
    /// Bytes of one version's encrypted data.
    pub version_bytes: u64,
}

/// How long tokens and tickets live, in seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenLifetimes {
    /// Access tokens.
    pub access_token_ttl_seconds: u64,
    /// Refresh tokens (and so sessions left unused).
    pub refresh_token_ttl_seconds: u64,
    /// Socket tickets.
    pub ticket_ttl_seconds: u64,
}
