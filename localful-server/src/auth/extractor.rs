//! `Authorization: Bearer <access token>` as a handler argument.

use crate::{
    error::{AppError, ErrorKind},
    services::AuthCtx,
    state::AppState,
};
use axum::{extract::FromRequestParts, http::request::Parts};

/// The authenticated caller; rejects with `access-unauthorized` (no token) or
/// `auth-token-invalid` (expired, forged, or of a revoked session).
#[derive(Debug, Clone)]
pub(crate) struct Auth(pub(crate) AuthCtx);

impl FromRequestParts<AppState> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let header = parts.headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        let token = header.and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")));
        let Some(token) = token.map(str::trim).filter(|t| !t.is_empty()) else {
            return Err(AppError::new(ErrorKind::AccessUnauthorized, "An access token is required"));
        };
        crate::services::auth::authenticate(state, token).await.map(Auth)
    }
}
