//! `POST /v1/auth/login|refresh|logout`.

use crate::{
    error::{AppError, ErrorKind},
    extract::ApiJson,
    requests,
    services::auth,
    state::AppState,
};
use axum::{Json, Router, extract::State, http::request::Parts, routing::post};
use localful_protocol::AuthResponse;
use serde_json::{Value, json};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/auth/login", post(login))
        .route("/v1/auth/refresh", post(refresh))
        .route("/v1/auth/logout", post(logout))
}

/// Counts an attempt on `route` for the caller's IP; `rate-limited` past the configured limit,
/// with `Retry-After` the whole seconds until the caller's window ends.
pub(super) fn check_rate(state: &AppState, parts: &Parts, route: &'static str) -> Result<(), AppError> {
    let now = state.clock.now_millis();
    state.limiter.allow(route, super::client_ip(parts), state.config.auth_rate_limit_per_minute, now).map_err(|wait_millis| {
        let secs = u64::try_from(wait_millis).unwrap_or(0).div_ceil(1000).max(1);
        let message = format!("Too many attempts; try again in {}", crate::error::seconds(secs));
        AppError::new(ErrorKind::RateLimited, message).with_retry_after(secs)
    })
}

async fn login(State(state): State<AppState>, parts: Parts, ApiJson(body): ApiJson<requests::Login>) -> Result<Json<AuthResponse>, AppError> {
    check_rate(&state, &parts, "login")?;
    auth::login(&state, body).await.map(Json)
}

async fn refresh(State(state): State<AppState>, ApiJson(body): ApiJson<requests::RefreshToken>) -> Result<Json<AuthResponse>, AppError> {
    let tokens = auth::refresh(&state, body.refresh_token.as_str()).await?;
    Ok(Json(AuthResponse { user: None, tokens }))
}

async fn logout(State(state): State<AppState>, ApiJson(body): ApiJson<requests::RefreshToken>) -> Result<Json<Value>, AppError> {
    auth::logout(&state, body.refresh_token.as_str()).await?;
    Ok(Json(json!({})))
}
