//! `POST /v1/sync/ticket`.

use crate::{auth::extractor::Auth, error::AppError, services::tickets, state::AppState};
use axum::{Json, Router, extract::State, routing::post};
use serde_json::{Value, json};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/v1/sync/ticket", post(ticket))
}

async fn ticket(State(state): State<AppState>, Auth(auth): Auth) -> Result<Json<Value>, AppError> {
    Ok(Json(json!({ "ticket": tickets::issue(&state, &auth).await? })))
}
