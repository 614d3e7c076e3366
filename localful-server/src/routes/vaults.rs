//! `GET|POST /v1/vaults`, `GET|PATCH|DELETE /v1/vaults/:id`, `/snapshot`, `/changes`.

use crate::{
    auth::extractor::Auth,
    error::AppError,
    extract::{ApiJson, ApiQuery, PathId},
    requests,
    services::{changes, vaults},
    state::AppState,
};
use axum::{Json, Router, extract::State, http::StatusCode, routing::get};
use localful_protocol::{ChangesPage, Listing, Snapshot, VaultId, WireVault as Vault};
use serde_json::{Value, json};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/vaults", get(list).post(create))
        .route("/v1/vaults/{id}", get(get_vault).patch(update).delete(delete))
        .route("/v1/vaults/{id}/snapshot", get(snapshot))
        .route("/v1/vaults/{id}/changes", get(list_changes))
}

async fn create(State(state): State<AppState>, Auth(auth): Auth, ApiJson(body): ApiJson<requests::VaultCreate>) -> Result<(StatusCode, Json<Vault>), AppError> {
    Ok((StatusCode::CREATED, Json(vaults::create(&state, &auth, body).await?)))
}

async fn list(State(state): State<AppState>, Auth(auth): Auth, ApiQuery(q): ApiQuery<requests::Paging>) -> Result<Json<Listing<Vault>>, AppError> {
    vaults::list(&state, &auth, q).await.map(Json)
}

async fn get_vault(State(state): State<AppState>, Auth(auth): Auth, PathId(id): PathId<VaultId>) -> Result<Json<Vault>, AppError> {
    vaults::get(&state, &auth, id).await.map(Json)
}

async fn update(
    State(state): State<AppState>,
    Auth(auth): Auth,
    PathId(id): PathId<VaultId>,
    ApiJson(body): ApiJson<requests::VaultPatch>,
) -> Result<Json<Vault>, AppError> {
    vaults::update(&state, &auth, id, body).await.map(Json)
}

async fn delete(State(state): State<AppState>, Auth(auth): Auth, PathId(id): PathId<VaultId>) -> Result<Json<Value>, AppError> {
    vaults::delete(&state, &auth, id).await?;
    Ok(Json(json!({})))
}

async fn snapshot(State(state): State<AppState>, Auth(auth): Auth, PathId(id): PathId<VaultId>) -> Result<Json<Value>, AppError> {
    let snapshot: Snapshot = vaults::snapshot(&state, &auth, id).await?;
    super::sorted_keys(&snapshot).map(Json)
}

async fn list_changes(
    State(state): State<AppState>,
    Auth(auth): Auth,
    PathId(id): PathId<VaultId>,
    ApiQuery(q): ApiQuery<requests::ChangesQuery>,
) -> Result<Json<Listing<Value>>, AppError> {
    let page: ChangesPage = changes::list(&state, &auth, id, q).await?;
    let results = page.results.iter().map(super::sorted_keys).collect::<Result<_, _>>()?;
    Ok(Json(Listing { meta: page.meta, results }))
}
