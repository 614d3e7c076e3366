//! Users and tokens.

use serde::{Deserialize, Serialize};

/// `POST /v1/users` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegisterRequest {
    /// The email.
    pub email: String,
    /// The name shown.
    pub display_name: String,
    /// The *server password* (see [`crypto::server_password`](crate::crypto)), never the account password.
    pub password: String,
}

/// `POST /v1/auth/login` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    /// The email.
    pub email: String,
    /// The server password.
    pub password: String,
}

/// `POST /v1/auth/refresh` and `/logout` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefreshRequest {
    /// The current refresh token.
    pub refresh_token: String,
}

/// An access token (short-lived) and a refresh token (rotated by every refresh).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tokens {
    /// For `Authorization: Bearer`.
    pub access_token: String,
    /// For `/v1/auth/refresh`; kept in localStorage.
    pub refresh_token: String,
}

/// A user account as the server answers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Server-chosen id.
    pub id: String,
    /// The email.
    pub email: String,
    /// The name shown.
    pub display_name: String,
    /// When the email was verified.
    #[serde(default)]
    pub verified_at: Option<String>,
    /// `user` or `admin`.
    #[serde(default)]
    pub role: String,
}

/// `{user, tokens}` from register and login; `{tokens}` from refresh.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthResponse {
    /// The user (absent on refresh).
    #[serde(default)]
    pub user: Option<User>,
    /// The new tokens.
    pub tokens: Tokens,
}

/// `POST /v1/sync/ticket` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketResponse {
    /// Valid once, for 15 s, for the socket CONNECT.
    pub ticket: String,
}
