//! The HTTP router.

use crate::{error::AppError, state::AppState};
use axum::{extract::State, routing::get, Json, Router};
use serde_json::{json, Value};

/// The whole HTTP API as a router, ready for `axum::serve` or `tower::ServiceExt::oneshot`.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/v1/server/info", get(info))
        .route("/v1/server/health", get(health))
        .fallback(|| async { AppError::not_found() })
        .with_state(state)
}

async fn info(State(state): State<AppState>) -> Json<Value> {
    Json(json!({
        "name": "localful-server",
        "version": env!("CARGO_PKG_VERSION"),
        "registrationEnabled": state.config.registration_enabled,
    }))
}

async fn health(State(state): State<AppState>) -> Result<Json<Value>, AppError> {
    sqlx::query("SELECT 1").execute(&state.pool).await.map_err(AppError::unexpected)?;
    Ok(Json(json!({ "status": "ok" })))
}
