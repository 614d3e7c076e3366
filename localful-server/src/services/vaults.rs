//! Vaults: create, list, read, update, delete, snapshot.

use super::{AuthCtx, Listing};
use crate::{
    db::{self, Dialect},
    error::{AppError, AppResult, ErrorKind},
    fields::{Id, Time},
    model::Vault,
    requests,
    state::AppState,
    sync::events::{Broadcast, session_room, user_room},
};
use serde_json::{Value, json};
use sqlx::AnyConnection;

/// Postgres: makes the transaction's reads one consistent snapshot (SQLite already is one).
pub(crate) async fn repeatable_read(c: &mut AnyConnection, state: &AppState) -> AppResult<()> {
    if state.dialect == Dialect::Postgres {
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute(c).await?;
    }
    Ok(())
}

fn name_exists() -> AppError {
    AppError::new(ErrorKind::VaultNameExists, "You already have a vault with this name")
}

async fn publish(state: &AppState, auth: &AuthCtx, event: &str, data: Value) {
    state
        .events
        .publish(Broadcast::Emit {
            rooms: vec![user_room(&auth.user_id)],
            except: Some(session_room(&auth.session_id)),
            event: event.into(),
            data,
        })
        .await;
}

/// `POST /v1/vaults`.
pub(crate) async fn create(state: &AppState, auth: &AuthCtx, body: requests::VaultCreate) -> AppResult<Vault> {
    let mut tx = state.pool.begin().await?;
    if db::vaults::by_id(&mut tx, body.id.as_str()).await?.is_some() {
        return Err(AppError::new(ErrorKind::ResourceNotUnique, "A vault with this id exists"));
    }
    let count = db::vaults::count_by_owner(&mut tx, &auth.user_id).await?;
    if count >= state.config.max_vaults_per_user.min(i64::MAX as u64) as i64 {
        return Err(AppError::new(ErrorKind::LimitExceeded, "You have reached the maximum number of vaults")
            .with_context(json!({ "limit": "vaultsPerUser", "max": state.config.max_vaults_per_user })));
    }
    if db::vaults::name_taken(&mut tx, &auth.user_id, body.name.as_str(), body.id.as_str()).await? {
        return Err(name_exists());
    }
    let vault = Vault {
        id: body.id.to_string(),
        name: body.name.into_string(),
        protected_encryption_key: body.protected_encryption_key.into_string(),
        protected_data: body.protected_data.map(|d| d.into_string()),
        owner_id: auth.user_id.clone(),
        created_at: body.created_at.as_str().into(),
        updated_at: body.created_at.into_string(),
        deleted_at: None,
    };
    db::vaults::insert(&mut tx, &vault).await.map_err(super::unique_to(ErrorKind::ResourceNotUnique, "A vault with this id or name exists"))?;
    tx.commit().await?;
    publish(state, auth, "vault-create", json!(&vault)).await;
    Ok(vault)
}

/// `GET /v1/vaults`.
pub(crate) async fn list(state: &AppState, auth: &AuthCtx, q: requests::Paging) -> AppResult<Listing<Vault>> {
    let (limit, offset) = requests::page(q.limit, q.offset)?;
    let mut c = state.pool.acquire().await?;
    let total = db::vaults::count_by_owner(&mut c, &auth.user_id).await?;
    let results = db::vaults::list_by_owner(&mut c, &auth.user_id, limit, offset).await?;
    Ok(Listing::new(results, total, limit, offset))
}

/// `GET /v1/vaults/:id`.
pub(crate) async fn get(state: &AppState, auth: &AuthCtx, id: &Id) -> AppResult<Vault> {
    super::owned_vault(&mut *state.pool.acquire().await?, &auth.user_id, id.as_str()).await
}

/// `PATCH /v1/vaults/:id`.
pub(crate) async fn update(state: &AppState, auth: &AuthCtx, id: &Id, patch: requests::VaultPatch) -> AppResult<Vault> {
    let mut tx = state.pool.begin().await?;
    let mut vault = super::owned_vault(&mut tx, &auth.user_id, id.as_str()).await?;
    if let Some(name) = patch.name {
        if db::vaults::name_taken(&mut tx, &auth.user_id, name.as_str(), &vault.id).await? {
            return Err(name_exists());
        }
        vault.name = name.into_string();
    }
    if let Some(key) = patch.protected_encryption_key {
        vault.protected_encryption_key = key.into_string();
    }
    if let Some(data) = patch.protected_data {
        vault.protected_data = data.map(|d| d.into_string());
    }
    vault.updated_at = Time::now().into_string();
    db::vaults::update(&mut tx, &vault).await.map_err(super::unique_to(ErrorKind::VaultNameExists, "You already have a vault with this name"))?;
    tx.commit().await?;
    publish(state, auth, "vault-update", json!(&vault)).await;
    Ok(vault)
}

/// `DELETE /v1/vaults/:id`: removes the vault with its items, versions and log.
pub(crate) async fn delete(state: &AppState, auth: &AuthCtx, id: &Id) -> AppResult<()> {
    let mut tx = state.pool.begin().await?;
    super::owned_vault(&mut tx, &auth.user_id, id.as_str()).await?;
    db::vaults::delete(&mut tx, id.as_str()).await?;
    tx.commit().await?;
    publish(state, auth, "vault-delete", json!({ "id": id })).await;
    state.events.publish(Broadcast::Leave { room: crate::sync::events::vault_room(id.as_str()) }).await;
    Ok(())
}

/// `GET /v1/vaults/:id/snapshot`: every item and version id with its deletion state, and the
/// `latestSeq` they are consistent with (the repair path when the log cannot answer).
pub(crate) async fn snapshot(state: &AppState, auth: &AuthCtx, id: &Id) -> AppResult<Value> {
    let mut tx = state.pool.begin().await?;
    repeatable_read(&mut tx, state).await?;
    let vault = super::owned_vault(&mut tx, &auth.user_id, id.as_str()).await?;
    let latest = db::vaults::last_seq(&mut tx, id.as_str()).await?;
    let items = db::items::list_by_vault(&mut tx, id.as_str(), i64::MAX, 0).await?;
    let versions = db::versions::list(&mut tx, id.as_str(), None, i64::MAX, 0).await?;
    tx.commit().await?;
    Ok(json!({
        "meta": { "latestSeq": latest, "items": items.len(), "versions": versions.len() },
        "vault": vault,
        "items": items.iter().map(|i| json!({ "id": i.id, "type": i.collection, "createdAt": i.created_at, "deletedAt": i.deleted_at })).collect::<Vec<_>>(),
        "versions": versions.iter().map(|v| json!({ "id": v.id, "itemId": v.item_id, "createdAt": v.created_at, "deletedAt": v.deleted_at })).collect::<Vec<_>>(),
    }))
}
