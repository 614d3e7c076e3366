//! The API's error type: every failure becomes `{"statusCode","identifier","message","context"}`.

use axum::{Json, http::StatusCode, response::IntoResponse};
use localful_protocol::{ErrorBody, ErrorContext};

/// The error identifiers, with their HTTP statuses: the protocol's one enum.
pub use localful_protocol::ErrorKind;

/// An error answered to an HTTP client (or in a socket ack), with the SPEC's kebab-case identifier.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}: {message}", kind.identifier())]
pub struct AppError {
    /// Which error, hence status and identifier.
    pub kind: ErrorKind,
    /// Human-readable explanation.
    pub message: String,
    /// Optional structured detail (e.g. the failing field).
    pub context: Option<ErrorContext>,
    /// Seconds after which the same request may succeed: answered as the `Retry-After` header
    /// (`rate-limited`, `system-busy`).
    pub retry_after_secs: Option<u64>,
}

/// "1 second", "42 seconds": a wait in a message.
pub(crate) fn seconds(secs: u64) -> String {
    if secs == 1 { "1 second".into() } else { format!("{secs} seconds") }
}

/// The crate's result type.
pub(crate) type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// An error of `kind` with a message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), context: None, retry_after_secs: None }
    }

    /// Says when to try again: the `Retry-After` header, and `retryAfterSeconds` in `context`
    /// (a page cannot read the header of a cross-origin answer unless CORS exposes it; socket
    /// acks have no headers).
    pub fn with_retry_after(mut self, secs: u64) -> Self {
        self.retry_after_secs = Some(secs);
        self.context.get_or_insert_with(ErrorContext::default).retry_after_seconds = Some(secs);
        self
    }

    /// Adds structured context.
    pub fn with_context(mut self, context: ErrorContext) -> Self {
        self.context = Some(context);
        self
    }

    /// An unexpected internal failure; logged, answered without detail.
    pub fn unexpected(err: impl std::fmt::Display) -> Self {
        tracing::error!(error = %err, "unexpected error");
        Self::new(ErrorKind::SystemUnexpected, "An unexpected error occurred")
    }

    /// No route at this path.
    pub fn not_found() -> Self {
        Self::new(ErrorKind::NotFound, "Route not found")
    }

    /// A malformed request.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::RequestInvalid, message)
    }

    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.kind.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The wire body `{"context","identifier","message","statusCode"}`.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            context: self.context.clone(),
            identifier: self.kind.clone(),
            message: self.message.clone(),
            status_code: self.status().as_u16(),
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        Self::unexpected(err)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let mut response = (self.status(), Json(self.body())).into_response();
        if let Some(secs) = self.retry_after_secs {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(secs));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_is_answered_as_retry_after_and_in_context() {
        let e = AppError::new(ErrorKind::SystemBusy, "busy").with_context(ErrorContext::path("x")).with_retry_after(7);
        assert_eq!(serde_json::to_value(e.body().context).unwrap(), serde_json::json!({"path": "x", "retryAfterSeconds": 7}));
        let response = e.into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers().get(axum::http::header::RETRY_AFTER).and_then(|v| v.to_str().ok()), Some("7"));
        let plain = AppError::invalid("bad").into_response();
        assert!(plain.headers().get(axum::http::header::RETRY_AFTER).is_none());
        assert_eq!((seconds(1), seconds(2)), ("1 second".to_string(), "2 seconds".to_string()));
    }
}
