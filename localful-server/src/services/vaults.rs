//! Vaults: create, list, read, update, delete, snapshot.

use super::{AuthCtx, listing};
use crate::{
    db::{self, Dialect},
    error::{AppError, AppResult, ErrorKind},
    model::VersionRow,
    requests,
    state::AppState,
    sync::events::{Broadcast, session_room, user_room, vault_room},
};
use localful_protocol::{
    Listing, Snapshot, SnapshotItem, SnapshotMeta, SnapshotVersion, Timestamp, VaultId, WireVault,
    socket::{ServerEvent, VaultDeleted},
};
use localful_protocol::{ErrorContext, Limit};
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

/// Tells the user's other sessions about a vault event.
async fn publish(state: &AppState, auth: &AuthCtx, event: ServerEvent, data: &impl serde::Serialize) {
    let except = Some(session_room(&auth.session_id));
    if let Some(b) = Broadcast::emit(vec![user_room(auth.user_id)], except, event, data) {
        state.events.publish(b).await;
    }
}

/// `POST /v1/vaults`.
pub(crate) async fn create(state: &AppState, auth: &AuthCtx, body: requests::VaultCreate) -> AppResult<WireVault> {
    let mut tx = state.pool.begin().await?;
    if db::vaults::by_id(&mut tx, body.id).await?.is_some() {
        return Err(AppError::new(ErrorKind::ResourceNotUnique, "A vault with this id exists"));
    }
    let count = db::vaults::count_by_owner(&mut tx, auth.user_id).await?;
    if count >= state.config.max_vaults_per_user.min(i64::MAX as u64) as i64 {
        return Err(AppError::new(ErrorKind::LimitExceeded, "You have reached the maximum number of vaults")
            .with_context(ErrorContext::limit(Limit::VaultsPerUser, state.config.max_vaults_per_user)));
    }
    if db::vaults::name_taken(&mut tx, auth.user_id, body.name.as_str(), body.id).await? {
        return Err(name_exists());
    }
    let vault = WireVault {
        id: body.id,
        name: body.name.into_string(),
        protected_encryption_key: body.protected_encryption_key.into_string(),
        protected_data: body.protected_data.map(|d| d.into_string()),
        owner_id: auth.user_id,
        created_at: body.created_at,
        updated_at: body.created_at,
        deleted_at: None,
    };
    db::vaults::insert(&mut tx, &vault).await.map_err(super::unique_to(ErrorKind::ResourceNotUnique, "A vault with this id or name exists"))?;
    tx.commit().await?;
    publish(state, auth, ServerEvent::VaultCreate, &vault).await;
    Ok(vault)
}

/// `GET /v1/vaults`.
pub(crate) async fn list(state: &AppState, auth: &AuthCtx, q: requests::Paging) -> AppResult<Listing<WireVault>> {
    let (limit, offset) = requests::page(q.limit, q.offset)?;
    let mut c = state.pool.acquire().await?;
    let total = db::vaults::count_by_owner(&mut c, auth.user_id).await?;
    let results = db::vaults::list_by_owner(&mut c, auth.user_id, limit, offset).await?;
    Ok(listing(results, total, limit, offset))
}

/// `GET /v1/vaults/:id`.
pub(crate) async fn get(state: &AppState, auth: &AuthCtx, id: VaultId) -> AppResult<WireVault> {
    super::owned_vault(&mut *state.pool.acquire().await?, auth.user_id, id).await
}

/// `PATCH /v1/vaults/:id`.
pub(crate) async fn update(state: &AppState, auth: &AuthCtx, id: VaultId, patch: requests::VaultPatch) -> AppResult<WireVault> {
    let mut tx = state.pool.begin().await?;
    let mut vault = super::owned_vault(&mut tx, auth.user_id, id).await?;
    if let Some(name) = patch.name {
        if db::vaults::name_taken(&mut tx, auth.user_id, name.as_str(), vault.id).await? {
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
    vault.updated_at = Timestamp::now();
    db::vaults::update(&mut tx, &vault).await.map_err(super::unique_to(ErrorKind::VaultNameExists, "You already have a vault with this name"))?;
    tx.commit().await?;
    publish(state, auth, ServerEvent::VaultUpdate, &vault).await;
    Ok(vault)
}

/// `DELETE /v1/vaults/:id`: removes the vault with its items, versions and log.
pub(crate) async fn delete(state: &AppState, auth: &AuthCtx, id: VaultId) -> AppResult<()> {
    let mut tx = state.pool.begin().await?;
    super::owned_vault(&mut tx, auth.user_id, id).await?;
    db::vaults::delete(&mut tx, id).await?;
    tx.commit().await?;
    publish(state, auth, ServerEvent::VaultDelete, &VaultDeleted { id }).await;
    state.events.publish(Broadcast::Leave { room: vault_room(id) }).await;
    Ok(())
}

/// `GET /v1/vaults/:id/snapshot`: every item and version id with its deletion state, and the
/// `latestSeq` they are consistent with (the repair path when the log cannot answer).
pub(crate) async fn snapshot(state: &AppState, auth: &AuthCtx, id: VaultId) -> AppResult<Snapshot> {
    let mut tx = state.pool.begin().await?;
    repeatable_read(&mut tx, state).await?;
    let vault = super::owned_vault(&mut tx, auth.user_id, id).await?;
    let latest_seq = db::vaults::last_seq(&mut tx, id).await?;
    let items = db::items::list_by_vault(&mut tx, id, i64::MAX, 0).await?;
    let versions = db::versions::list(&mut tx, id, None, i64::MAX, 0).await?;
    tx.commit().await?;
    Ok(Snapshot {
        meta: SnapshotMeta { latest_seq, items: items.len() as u64, versions: versions.len() as u64 },
        vault: Some(vault),
        items: items
            .into_iter()
            .map(|i| SnapshotItem { created_at: i.created_at, deleted_at: i.deleted_at, id: i.id, collection: i.collection })
            .collect(),
        versions: versions
            .into_iter()
            .map(|VersionRow { version: v, .. }| SnapshotVersion {
                created_at: v.created_at,
                deleted_at: v.deleted_at,
                id: v.id,
                item_id: v.item_id,
            })
            .collect(),
    })
}
