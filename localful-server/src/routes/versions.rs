//! `GET|POST /v1/versions`, `GET|DELETE /v1/versions/:id`.

use crate::{
    auth::extractor::Auth,
    error::AppError,
    extract::{ApiJson, ApiQuery, PathId},
    requests,
    services::versions,
    state::AppState,
};
use axum::{Json, Router, extract::State, http::StatusCode, routing::get};
use localful_protocol::{Listing, VersionId, WireVersion as Version};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/v1/versions", get(list).post(create)).route("/v1/versions/{id}", get(get_version).delete(delete))
}

async fn create(State(state): State<AppState>, Auth(auth): Auth, ApiJson(body): ApiJson<requests::VersionCreate>) -> Result<(StatusCode, Json<Version>), AppError> {
    Ok((StatusCode::CREATED, Json(versions::create_http(&state, &auth, body).await?)))
}

async fn list(State(state): State<AppState>, Auth(auth): Auth, ApiQuery(q): ApiQuery<requests::VersionsQuery>) -> Result<Json<Listing<Version>>, AppError> {
    versions::list(&state, &auth, q).await.map(Json)
}

async fn get_version(State(state): State<AppState>, Auth(auth): Auth, PathId(id): PathId<VersionId>) -> Result<Json<Version>, AppError> {
    versions::get(&state, &auth, id).await.map(Json)
}

async fn delete(State(state): State<AppState>, Auth(auth): Auth, PathId(id): PathId<VersionId>) -> Result<Json<Version>, AppError> {
    versions::delete(&state, &auth, id).await.map(Json)
}
