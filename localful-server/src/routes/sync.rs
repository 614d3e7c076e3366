//! `POST /v1/sync/ticket`.

use crate::{auth::extractor::Auth, error::AppError, services::tickets, state::AppState};
use axum::{Json, Router, extract::State, routing::post};
use localful_protocol::TicketResponse;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/v1/sync/ticket", post(ticket))
}

async fn ticket(State(state): State<AppState>, Auth(auth): Auth) -> Result<Json<TicketResponse>, AppError> {
    Ok(Json(TicketResponse { ticket: tickets::issue(&state, &auth).await? }))
}
