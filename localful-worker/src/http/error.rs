//! Errors of the HTTP client.

use localful_core::wire::{ErrorBody, ErrorKind};

/// Why an API call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HttpError {
    /// The request did not get an answer (offline, DNS, CORS, connection refused).
    #[error("network error: {0}")]
    Network(String),
    /// The server answered with an error body.
    #[error("server error {status} {}: {}", body.identifier, body.message)]
    Server {
        /// The HTTP status.
        status: u16,
        /// The error body.
        body: ErrorBody,
        /// How many seconds the server asked to wait before trying again (`429 rate-limited`,
        /// `503 system-busy`): its `Retry-After` header, else `context.retryAfterSeconds`.
        retry_after: Option<u64>,
    },
    /// The answer was not what the API promises.
    #[error("unexpected answer: {0}")]
    Decode(String),
    /// The call needs a logged-in session and there is none.
    #[error("not logged in")]
    NotLoggedIn,
}

impl HttpError {
    /// The server's error identifier, if the server answered.
    pub fn kind(&self) -> Option<&ErrorKind> {
        match self {
            HttpError::Server { body, .. } => Some(&body.identifier),
            _ => None,
        }
    }

    /// Whether the session is over (log in again): the refresh token was refused.
    pub fn is_auth(&self) -> bool {
        matches!(self, HttpError::NotLoggedIn) || matches!(self, HttpError::Server { status: 401, .. })
    }
}
