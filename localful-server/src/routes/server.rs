//! `GET /v1/server/info`, `GET /v1/server/health`.

use crate::{error::AppError, state::AppState};
use axum::{Json, Router, extract::State, routing::get};
use localful_protocol::{ServerInfo, ServerLimits, TokenLifetimes};
use serde_json::{Value, json};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/v1/server/info", get(info)).route("/v1/server/health", get(health))
}

async fn info(State(state): State<AppState>) -> Json<ServerInfo> {
    let c = &state.config;
    Json(ServerInfo {
        email_verification_required: false,
        limits: ServerLimits {
            vault_bytes: c.max_vault_bytes,
            vaults_per_user: c.max_vaults_per_user,
            version_bytes: c.max_version_bytes,
        },
        name: "localful-server".into(),
        registration_enabled: c.registration_enabled,
        tokens: TokenLifetimes {
            access_token_ttl_seconds: c.access_token_ttl_secs,
            refresh_token_ttl_seconds: c.refresh_token_ttl_secs,
            ticket_ttl_seconds: c.ticket_ttl_secs,
        },
        version: env!("CARGO_PKG_VERSION").into(),
    })
}

async fn health(State(state): State<AppState>) -> Result<Json<Value>, AppError> {
    sqlx::query("SELECT 1").execute(&state.pool).await?;
    Ok(Json(json!({ "status": "ok" })))
}
