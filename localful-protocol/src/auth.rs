//! Users, tokens and tickets.

use crate::{Timestamp, UserId};
use serde::{Deserialize, Serialize};

/// `POST /v1/users` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegisterRequest {
    /// The email.
    pub email: String,
    /// The name shown.
    pub display_name: String,
    /// The *server password* (derived from the account password, SPEC "Encryption"), never the
    /// account password.
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
    /// For `/v1/auth/refresh`.
    pub refresh_token: String,
}

/// A user account as the server answers it (never with its password):
/// `{id, email, displayName, verifiedAt, firstVerifiedAt, role, createdAt, updatedAt}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Server-chosen id.
    pub id: UserId,
    /// The email as registered.
    pub email: String,
    /// The name shown.
    pub display_name: String,
    /// When the email was last verified (verification is off by default: `null`).
    #[serde(default)]
    pub verified_at: Option<Timestamp>,
    /// When the email was first verified.
    #[serde(default)]
    pub first_verified_at: Option<Timestamp>,
    /// `user` or `admin`.
    pub role: String,
    /// Creation time.
    pub created_at: Timestamp,
    /// Last change.
    pub updated_at: Timestamp,
}

/// `{user, tokens}` from register and login; `{tokens}` from refresh.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthResponse {
    /// The user (absent on refresh).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
    /// The new tokens.
    pub tokens: Tokens,
}

/// `POST /v1/sync/ticket` answer: `{ticket}` (sent back in the socket's CONNECT and `ticket`
/// event as [`Ticket`](crate::socket::Ticket)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketResponse {
    /// Valid once, for 15 s, bound to the session.
    pub ticket: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refresh_answers_tokens_alone() {
        let tokens = Tokens { access_token: "a".into(), refresh_token: "r".into() };
        let refreshed = AuthResponse { user: None, tokens };
        assert_eq!(serde_json::to_string(&refreshed).unwrap(), r#"{"tokens":{"accessToken":"a","refreshToken":"r"}}"#);
    }

    #[test]
    fn a_user_has_every_field() {
        let json = r#"{"id":"0192e4c0-0000-4000-8000-000000000001","email":"a@b","displayName":"A","verifiedAt":null,"firstVerifiedAt":null,"role":"user","createdAt":"2026-01-02T03:04:05.678Z","updatedAt":"2026-01-02T03:04:05.678Z"}"#;
        let user: User = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&user).unwrap(), json);
    }
}
