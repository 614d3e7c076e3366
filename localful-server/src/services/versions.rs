//! Versions: create (idempotent for pushes), list, read, delete.

use super::{AuthCtx, Created, Listing, changes::{self, ChangeEvent, Entity, Pending}};
use crate::{
    db,
    error::{AppError, AppResult, ErrorKind},
    fields::{Id, Time},
    model::{Item, Version},
    requests,
    state::AppState,
};
use serde_json::json;
use sqlx::AnyConnection;

fn too_big(state: &AppState) -> AppError {
    AppError::new(ErrorKind::LimitExceeded, "The version is larger than the server allows")
        .with_context(json!({ "limit": "versionBytes", "max": state.config.max_version_bytes }))
}

/// Creates `version` (its `vault_id` is filled from the item) in a transaction of its own, then
/// publishes the change. See [`create_in`].
pub(crate) async fn create(state: &AppState, auth: &AuthCtx, version: Version) -> AppResult<Created<Version>> {
    let mut tx = state.pool.begin().await?;
    let (result, pending) = create_in(&mut tx, state, auth, version).await?;
    tx.commit().await?;
    changes::publish_all(state, auth, pending).await;
    Ok(result)
}

/// Writes `version` inside the caller's transaction and returns the changes to publish once it
/// commits. An id already on the same item is `Existing` (a deletion in `deleted_at` is then
/// applied); elsewhere `resource-not-unique`. A version of a deleted item is stored deleted,
/// without data. On an error the caller must roll back what this wrote (the vault's `seq` may
/// have been taken).
///
/// The insert comes first and the existing row is read only when the id is taken: every push of a
/// new version pays one statement less (each is a round trip to the database; measured in the
/// fan-out benchmark, see `benches/README.md`).
pub(crate) async fn create_in(
    tx: &mut AnyConnection,
    state: &AppState,
    auth: &AuthCtx,
    mut version: Version,
) -> AppResult<(Created<Version>, Vec<Pending>)> {
    let bytes = version.protected_data.as_ref().map_or(0, |d| d.len()) as u64;
    if bytes > state.config.max_version_bytes {
        return Err(too_big(state));
    }
    let item = super::owned_item(tx, &auth.user_id, &version.item_id)
        .await
        .map_err(|_| AppError::new(ErrorKind::ResourceRelationshipInvalid, "itemId does not name one of your items"))?;
    version.vault_id = item.vault_id.clone();
    let requested_deletion = version.deleted_at.clone();
    let id = version.id.clone();
    let mut pending = Vec::new();
    let mut changed = |event, entry| pending.push(Pending { event, vault_id: item.vault_id.clone(), entry });
    // `Err`: the version is not new (its id is taken) or cannot be stored (the reason).
    let stored = match as_stored(version, &item) {
        Ok(version) => {
            let bytes = version.protected_data.as_ref().map_or(0, |d| d.len()) as i64;
            if db::versions::insert_new(tx, &version, bytes).await? {
                let event = if version.deleted_at.is_some() { ChangeEvent::VersionDelete } else { ChangeEvent::VersionCreate };
                changed(event, changes::record(tx, state, &version.vault_id, event, Entity::Version(&version), bytes).await?);
                Ok(version)
            } else {
                Err(None)
            }
        }
        Err(refused) => Err(Some(refused)),
    };
    let taken = || AppError::new(ErrorKind::ResourceNotUnique, "A version with this id exists");
    let result = match stored {
        Ok(version) => Created::New(version),
        Err(refused) => match db::versions::by_id(tx, &id).await? {
            Some(existing) if existing.item_id == item.id => {
                if let Some(at) = requested_deletion.as_deref().filter(|_| existing.deleted_at.is_none()) {
                    let (event, entry) = remove(tx, state, &existing, at).await?.1;
                    changed(event, entry);
                }
                Created::Existing(db::versions::by_id(tx, &id).await?.unwrap_or(existing))
            }
            Some(_) => return Err(taken()),
            None => return Err(refused.unwrap_or_else(taken)),
        },
    };
    Ok((result, pending))
}

/// `version` as a new row stores it: deleted (without data) when its item is; a live version
/// without data is refused (unless its id exists: a push answers that `Existing`).
fn as_stored(mut version: Version, item: &Item) -> Result<Version, AppError> {
    if let Some(at) = item.deleted_at.as_ref().filter(|_| version.deleted_at.is_none()) {
        version.deleted_at = Some(at.clone());
    }
    if version.deleted_at.is_some() {
        version.protected_data = None;
    } else if version.protected_data.is_none() {
        return Err(AppError::invalid("protectedData is required for a live version").with_context(json!({ "path": "protectedData" })));
    }
    Ok(version)
}

async fn remove(
    c: &mut sqlx::AnyConnection,
    state: &AppState,
    version: &Version,
    at: &str,
) -> AppResult<(Version, (ChangeEvent, serde_json::Value))> {
    let freed = db::versions::delete(c, &version.id, at).await?.unwrap_or(0);
    let mut deleted = version.clone();
    deleted.deleted_at = Some(at.into());
    deleted.protected_data = None;
    let entry = changes::record(c, state, &version.vault_id, ChangeEvent::VersionDelete, Entity::Version(&deleted), -freed).await?;
    Ok((deleted, (ChangeEvent::VersionDelete, entry)))
}

/// `POST /v1/versions`: an existing id is `resource-not-unique`.
pub(crate) async fn create_http(state: &AppState, auth: &AuthCtx, body: requests::VersionCreate) -> AppResult<Version> {
    let version = Version {
        id: body.id.to_string(),
        item_id: body.item_id.to_string(),
        protected_data: Some(body.protected_data.into_string()),
        device_name: body.device_name.into_string(),
        schema_version: i64::from(body.schema_version),
        created_at: body.created_at.into_string(),
        deleted_at: None,
        vault_id: String::new(),
    };
    match create(state, auth, version).await? {
        Created::New(v) => Ok(v),
        Created::Existing(_) => Err(AppError::new(ErrorKind::ResourceNotUnique, "A version with this id exists")),
    }
}

/// `GET /v1/versions?vaultId=|itemId=`.
pub(crate) async fn list(state: &AppState, auth: &AuthCtx, q: requests::VersionsQuery) -> AppResult<Listing<Version>> {
    let (limit, offset) = requests::page(q.limit, q.offset)?;
    let mut c = state.pool.acquire().await?;
    let (vault, item) = match (&q.vault_id, &q.item_id) {
        (_, Some(item)) => {
            let item = super::owned_item(&mut c, &auth.user_id, item.as_str()).await?;
            if q.vault_id.as_ref().is_some_and(|v| v.as_str() != item.vault_id) {
                return Err(AppError::new(ErrorKind::ResourceNotFound, "Item not found"));
            }
            (item.vault_id, Some(item.id))
        }
        (Some(vault), None) => (super::owned_vault(&mut c, &auth.user_id, vault.as_str()).await?.id, None),
        (None, None) => {
            return Err(AppError::invalid("vaultId or itemId is required").with_context(json!({ "path": "vaultId" })));
        }
    };
    let total = db::versions::count(&mut c, &vault, item.as_deref()).await?;
    let results = db::versions::list(&mut c, &vault, item.as_deref(), limit, offset).await?;
    Ok(Listing::new(results, total, limit, offset))
}

async fn owned(c: &mut sqlx::AnyConnection, auth: &AuthCtx, id: &Id) -> AppResult<Version> {
    let not_found = || AppError::new(ErrorKind::ResourceNotFound, "Version not found");
    let version = db::versions::by_id(c, id.as_str()).await?.ok_or_else(not_found)?;
    super::owned_vault(c, &auth.user_id, &version.vault_id).await.map_err(|_| not_found())?;
    Ok(version)
}

/// `GET /v1/versions/:id`.
pub(crate) async fn get(state: &AppState, auth: &AuthCtx, id: &Id) -> AppResult<Version> {
    owned(&mut *state.pool.acquire().await?, auth, id).await
}

/// `DELETE /v1/versions/:id`: marks it deleted and drops its data (idempotent).
pub(crate) async fn delete(state: &AppState, auth: &AuthCtx, id: &Id) -> AppResult<Version> {
    let mut tx = state.pool.begin().await?;
    let version = owned(&mut tx, auth, id).await?;
    if version.deleted_at.is_some() {
        return Ok(version);
    }
    let (deleted, (event, entry)) = remove(&mut tx, state, &version, Time::now().as_str()).await?;
    tx.commit().await?;
    changes::publish(state, auth, &version.vault_id, event, entry).await;
    Ok(deleted)
}
