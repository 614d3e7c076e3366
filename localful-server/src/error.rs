//! The API's error type: every failure becomes `{"statusCode","identifier","message","context"}`.

use axum::{http::StatusCode, response::IntoResponse, Json};
use serde_json::{json, Value};

/// An error answered to an HTTP client, with the SPEC's kebab-case identifier.
#[derive(Debug, thiserror::Error)]
#[error("{identifier}: {message}")]
pub struct AppError {
    /// HTTP status.
    pub status: StatusCode,
    /// SPEC identifier, e.g. `request-invalid`.
    pub identifier: &'static str,
    /// Human-readable explanation.
    pub message: String,
    /// Optional structured detail (e.g. the failing field).
    pub context: Option<Value>,
}

impl AppError {
    /// An unexpected internal failure; logged, answered without detail.
    pub fn unexpected(err: impl std::fmt::Display) -> Self {
        tracing::error!(error = %err, "unexpected error");
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            identifier: "system-unexpected-error",
            message: "An unexpected error occurred".into(),
            context: None,
        }
    }

    /// No route or resource at this path.
    pub fn not_found() -> Self {
        Self { status: StatusCode::NOT_FOUND, identifier: "not-found", message: "Route not found".into(), context: None }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let body = json!({
            "statusCode": self.status.as_u16(),
            "identifier": self.identifier,
            "message": self.message,
            "context": self.context,
        });
        (self.status, Json(body)).into_response()
    }
}
