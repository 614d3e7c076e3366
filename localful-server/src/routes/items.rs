//! `GET|POST /v1/items`, `GET|DELETE /v1/items/:id`.

use crate::{
    auth::extractor::Auth,
    error::AppError,
    extract::{ApiJson, ApiQuery, PathId},
    requests,
    services::items,
    state::AppState,
};
use axum::{Json, Router, extract::State, http::StatusCode, routing::get};
use localful_protocol::{ItemId, Listing, WireItem as Item};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/v1/items", get(list).post(create)).route("/v1/items/{id}", get(get_item).delete(delete))
}

async fn create(State(state): State<AppState>, Auth(auth): Auth, ApiJson(body): ApiJson<requests::ItemCreate>) -> Result<(StatusCode, Json<Item>), AppError> {
    Ok((StatusCode::CREATED, Json(items::create_http(&state, &auth, body).await?)))
}

async fn list(State(state): State<AppState>, Auth(auth): Auth, ApiQuery(q): ApiQuery<requests::ItemsQuery>) -> Result<Json<Listing<Item>>, AppError> {
    items::list(&state, &auth, q).await.map(Json)
}

async fn get_item(State(state): State<AppState>, Auth(auth): Auth, PathId(id): PathId<ItemId>) -> Result<Json<Item>, AppError> {
    items::get(&state, &auth, id).await.map(Json)
}

async fn delete(State(state): State<AppState>, Auth(auth): Auth, PathId(id): PathId<ItemId>) -> Result<Json<Item>, AppError> {
    items::delete(&state, &auth, id).await.map(Json)
}
