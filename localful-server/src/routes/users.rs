//! `POST /v1/users`, `GET|PATCH|DELETE /v1/users/:id`.

use crate::{
    auth::extractor::Auth,
    error::AppError,
    extract::{ApiJson, PathId},
    requests,
    services::users,
    state::AppState,
};
use axum::{Json, Router, extract::State, http::{StatusCode, request::Parts}, routing::{get, post}};
use localful_protocol::{AuthResponse, User, UserId};
use serde_json::{Value, json};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/v1/users", post(register)).route("/v1/users/{id}", get(get_user).patch(update).delete(delete))
}

async fn register(
    State(state): State<AppState>,
    parts: Parts,
    ApiJson(body): ApiJson<requests::Register>,
) -> Result<(StatusCode, Json<AuthResponse>), AppError> {
    super::auth::check_rate(&state, &parts, "register")?;
    let created = crate::services::auth::register(&state, body).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

async fn get_user(State(state): State<AppState>, Auth(auth): Auth, PathId(id): PathId<UserId>) -> Result<Json<User>, AppError> {
    users::get(&state, &auth, id).await.map(Json)
}

async fn update(
    State(state): State<AppState>,
    Auth(auth): Auth,
    PathId(id): PathId<UserId>,
    ApiJson(body): ApiJson<requests::UserPatch>,
) -> Result<Json<User>, AppError> {
    users::update(&state, &auth, id, body).await.map(Json)
}

async fn delete(State(state): State<AppState>, Auth(auth): Auth, PathId(id): PathId<UserId>) -> Result<Json<Value>, AppError> {
    users::delete(&state, &auth, id).await?;
    Ok(Json(json!({})))
}
