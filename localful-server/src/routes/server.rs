//! `GET /v1/server/info`, `GET /v1/server/health`.

use crate::{error::AppError, state::AppState};
use axum::{Json, Router, extract::State, routing::get};
use serde_json::{Value, json};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/v1/server/info", get(info)).route("/v1/server/health", get(health))
}

async fn info(State(state): State<AppState>) -> Json<Value> {
    let c = &state.config;
    Json(json!({
        "name": "localful-server",
        "version": env!("CARGO_PKG_VERSION"),
        "registrationEnabled": c.registration_enabled,
        "emailVerificationRequired": false,
        "limits": {
            "vaultsPerUser": c.max_vaults_per_user,
            "versionBytes": c.max_version_bytes,
            "vaultBytes": c.max_vault_bytes,
        },
        "tokens": {
            "accessTokenTtlSeconds": c.access_token_ttl_secs,
            "refreshTokenTtlSeconds": c.refresh_token_ttl_secs,
            "ticketTtlSeconds": c.ticket_ttl_secs,
        },
    }))
}

async fn health(State(state): State<AppState>) -> Result<Json<Value>, AppError> {
    sqlx::query("SELECT 1").execute(&state.pool).await?;
    Ok(Json(json!({ "status": "ok" })))
}
