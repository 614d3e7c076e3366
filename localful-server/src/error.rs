//! The API's error type: every failure becomes `{"statusCode","identifier","message","context"}`.

use axum::{Json, http::StatusCode, response::IntoResponse};
use serde_json::{Value, json};

/// The error identifiers of SPEC.md, each with its HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400: the body, query or path is malformed, of the wrong type, or has unknown fields.
    RequestInvalid,
    /// 404: no such route.
    NotFound,
    /// 500: a bug or an unavailable database.
    SystemUnexpected,
    /// 401: no credentials.
    AccessUnauthorized,
    /// 403: credentials, but not for this resource.
    AccessForbidden,
    /// 404: no such resource (or not yours).
    ResourceNotFound,
    /// 409: the id is taken.
    ResourceNotUnique,
    /// 400: the resource refers to a parent that does not exist or is not yours.
    ResourceRelationshipInvalid,
    /// 401: wrong email or password.
    AuthCredentialsInvalid,
    /// 401: an expired, forged, reused or revoked token or ticket.
    AuthTokenInvalid,
    /// 403: the account's email is not verified (unused while verification is off).
    AuthNotVerified,
    /// 403: registration is disabled on this server.
    UserRegistrationDisabled,
    /// 409: the email is taken.
    UserEmailExists,
    /// 404: no such vault (or not yours).
    VaultNotFound,
    /// 409: you already own a vault of this name.
    VaultNameExists,
    /// 403: a configured limit would be exceeded.
    LimitExceeded,
    /// 429: too many attempts from this client; `Retry-After` says when its window frees.
    RateLimited,
    /// 503: the server is checking as many passwords as it allows at once, and as many more wait
    /// their turn (or this one waited too long); `Retry-After` says when to try again.
    SystemBusy,
}

impl ErrorKind {
    /// The kebab-case identifier on the wire.
    pub fn identifier(self) -> &'static str {
        match self {
            Self::RequestInvalid => "request-invalid",
            Self::NotFound => "not-found",
            Self::SystemUnexpected => "system-unexpected-error",
            Self::AccessUnauthorized => "access-unauthorized",
            Self::AccessForbidden => "access-forbidden",
            Self::ResourceNotFound => "resource-not-found",
            Self::ResourceNotUnique => "resource-not-unique",
            Self::ResourceRelationshipInvalid => "resource-relationship-invalid",
            Self::AuthCredentialsInvalid => "auth-credentials-invalid",
            Self::AuthTokenInvalid => "auth-token-invalid",
            Self::AuthNotVerified => "auth-not-verified",
            Self::UserRegistrationDisabled => "user-registration-disabled",
            Self::UserEmailExists => "user-email-exists",
            Self::VaultNotFound => "vault-not-found",
            Self::VaultNameExists => "vault-name-exists",
            Self::LimitExceeded => "limit-exceeded",
            Self::RateLimited => "rate-limited",
            Self::SystemBusy => "system-busy",
        }
    }

    /// The HTTP status answered with this identifier.
    pub fn status(self) -> StatusCode {
        match self {
            Self::RequestInvalid | Self::ResourceRelationshipInvalid => StatusCode::BAD_REQUEST,
            Self::NotFound | Self::ResourceNotFound | Self::VaultNotFound => StatusCode::NOT_FOUND,
            Self::SystemUnexpected => StatusCode::INTERNAL_SERVER_ERROR,
            Self::AccessUnauthorized | Self::AuthCredentialsInvalid | Self::AuthTokenInvalid => StatusCode::UNAUTHORIZED,
            Self::AccessForbidden | Self::AuthNotVerified | Self::UserRegistrationDisabled | Self::LimitExceeded => {
                StatusCode::FORBIDDEN
            }
            Self::ResourceNotUnique | Self::UserEmailExists | Self::VaultNameExists => StatusCode::CONFLICT,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::SystemBusy => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

/// An error answered to an HTTP client (or in a socket ack), with the SPEC's kebab-case identifier.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}: {message}", kind.identifier())]
pub struct AppError {
    /// Which error, hence status and identifier.
    pub kind: ErrorKind,
    /// Human-readable explanation.
    pub message: String,
    /// Optional structured detail (e.g. the failing field).
    pub context: Option<Value>,
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
        let mut context = match self.context.take() {
            Some(Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        };
        context.insert("retryAfterSeconds".into(), json!(secs));
        self.context = Some(Value::Object(context));
        self
    }

    /// Adds structured context.
    pub fn with_context(mut self, context: Value) -> Self {
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
        self.kind.status()
    }

    /// The wire body `{"statusCode","identifier","message","context"}`.
    pub fn body(&self) -> Value {
        json!({
            "statusCode": self.status().as_u16(),
            "identifier": self.kind.identifier(),
            "message": self.message,
            "context": self.context,
        })
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
        let e = AppError::new(ErrorKind::SystemBusy, "busy").with_context(json!({"path": "x"})).with_retry_after(7);
        assert_eq!(e.body()["context"], json!({"path": "x", "retryAfterSeconds": 7}));
        let response = e.into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers().get(axum::http::header::RETRY_AFTER).and_then(|v| v.to_str().ok()), Some("7"));
        let plain = AppError::invalid("bad").into_response();
        assert!(plain.headers().get(axum::http::header::RETRY_AFTER).is_none());
        assert_eq!((seconds(1), seconds(2)), ("1 second".to_string(), "2 seconds".to_string()));
    }
}
