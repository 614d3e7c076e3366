//! The server's error body.

use serde::{Deserialize, Serialize};

/// `{"statusCode", "identifier", "message", "context"}`, as every 4xx/5xx and failed ack carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// The HTTP status the error maps to.
    #[serde(default)]
    pub status_code: u16,
    /// The kebab-case identifier (`auth-token-invalid`, `limit-exceeded`, ...).
    pub identifier: String,
    /// A human-readable message.
    #[serde(default)]
    pub message: String,
    /// Extra details (the failing `path`, a limit).
    #[serde(default)]
    pub context: Option<serde_json::Value>,
}

impl ErrorBody {
    /// Whether retrying the same request later can succeed (server trouble, ordering, rate
    /// limits, expired auth) rather than never (invalid, too big, taken id).
    pub fn is_transient(&self) -> bool {
        !matches!(
            self.identifier.as_str(),
            "request-invalid" | "limit-exceeded" | "resource-not-unique" | "access-forbidden"
        )
    }
}
