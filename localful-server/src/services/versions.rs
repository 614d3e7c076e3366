//! Versions: create (idempotent for pushes), list, read, delete.

use super::{AuthCtx, Created, changes::{self, Entity}, listing};
use crate::{
    db,
    error::{AppError, AppResult, ErrorKind},
    model::VersionRow,
    requests,
    state::AppState,
};
use localful_protocol::{Change, ChangeKind, Listing, Timestamp, VersionId, WireVersion};
use localful_protocol::{ErrorContext, Limit};
use sqlx::AnyConnection;

pub(crate) fn too_big(state: &AppState) -> AppError {
    AppError::new(ErrorKind::LimitExceeded, "The version is larger than the server allows")
        .with_context(ErrorContext::limit(Limit::VersionBytes, state.config.max_version_bytes))
}

/// `resource-relationship-invalid`: a version's `itemId` names no item of the caller's.
pub(crate) fn not_your_item() -> AppError {
    AppError::new(ErrorKind::ResourceRelationshipInvalid, "itemId does not name one of your items")
}

/// `resource-not-unique`: the version id is taken by a version of another item.
pub(crate) fn taken() -> AppError {
    AppError::new(ErrorKind::ResourceNotUnique, "A version with this id exists")
}

/// Creates `version` in a transaction of its own, then publishes the change. See [`create_in`].
pub(crate) async fn create(state: &AppState, auth: &AuthCtx, version: WireVersion) -> AppResult<Created<WireVersion>> {
    let mut tx = state.pool.begin().await?;
    let (result, pending) = create_in(&mut tx, state, auth, version).await?;
    tx.commit().await?;
    changes::publish_all(state, auth, pending).await;
    Ok(result)
}

/// Writes `version` (in the vault of its item) inside the caller's transaction and returns the
/// changes to publish once it commits. An id already on the same item is `Existing` (a deletion
/// in `deleted_at` is then applied); elsewhere `resource-not-unique`. A version of a deleted item
/// is stored deleted, without data. On an error the caller must roll back what this wrote (the
/// vault's `seq` may have been taken).
///
/// The insert comes first and the existing row is read only when the id is taken: every push of a
/// new version pays one statement less (each is a round trip to the database; see the fan-out
/// benchmark in `benches/README.md`).
pub(crate) async fn create_in(
    tx: &mut AnyConnection,
    state: &AppState,
    auth: &AuthCtx,
    version: WireVersion,
) -> AppResult<(Created<WireVersion>, Vec<Change>)> {
    let bytes = version.protected_data.as_ref().map_or(0, |d| d.len()) as u64;
    if bytes > state.config.max_version_bytes {
        return Err(too_big(state));
    }
    let item = super::owned_item(tx, auth.user_id, version.item_id)
        .await
        .map_err(|_| not_your_item())?;
    let (id, requested_deletion) = (version.id, version.deleted_at);
    let mut pending = Vec::new();
    // `Err`: the version is not new (its id is taken) or cannot be stored (the reason).
    let stored = match as_stored(VersionRow { vault_id: item.vault_id, version }, item.deleted_at) {
        Ok(row) => {
            let bytes = row.version.protected_data.as_ref().map_or(0, |d| d.len()) as i64;
            if db::versions::insert_new(tx, &row, bytes).await? {
                let event = if row.version.deleted_at.is_some() { ChangeKind::VersionDelete } else { ChangeKind::VersionCreate };
                pending.push(changes::record(tx, state, row.vault_id, event, Entity::Version(&row.version), bytes).await?);
                Ok(row.version)
            } else {
                Err(None)
            }
        }
        Err(refused) => Err(Some(refused)),
    };
    let result = match stored {
        Ok(version) => Created::New(version),
        Err(refused) => match db::versions::by_id(tx, id).await? {
            Some(existing) if existing.version.item_id == item.id => {
                if let Some(at) = requested_deletion.filter(|_| existing.version.deleted_at.is_none()) {
                    pending.push(remove(tx, state, &existing, at).await?.1);
                }
                let now = db::versions::by_id(tx, id).await?.unwrap_or(existing);
                Created::Existing(now.version)
            }
            Some(_) => return Err(taken()),
            None => return Err(refused.unwrap_or_else(taken)),
        },
    };
    Ok((result, pending))
}

/// `row` as a new row stores it: deleted (without data) when its item is (`item_deleted_at`); a
/// live version without data is refused (unless its id exists: a push answers that `Existing`).
pub(crate) fn as_stored(mut row: VersionRow, item_deleted_at: Option<Timestamp>) -> Result<VersionRow, AppError> {
    let version = &mut row.version;
    if let Some(at) = item_deleted_at.filter(|_| version.deleted_at.is_none()) {
        version.deleted_at = Some(at);
    }
    if version.deleted_at.is_some() {
        version.protected_data = None;
    } else if version.protected_data.is_none() {
        return Err(AppError::invalid("protectedData is required for a live version").with_context(ErrorContext::path("protectedData")));
    }
    Ok(row)
}

async fn remove(c: &mut AnyConnection, state: &AppState, row: &VersionRow, at: Timestamp) -> AppResult<(WireVersion, Change)> {
    let freed = db::versions::delete(c, row.version.id, at).await?.unwrap_or(0);
    let mut deleted = row.version.clone();
    deleted.deleted_at = Some(at);
    deleted.protected_data = None;
    let entry = changes::record(c, state, row.vault_id, ChangeKind::VersionDelete, Entity::Version(&deleted), -freed).await?;
    Ok((deleted, entry))
}

/// `POST /v1/versions`: an existing id is `resource-not-unique`.
pub(crate) async fn create_http(state: &AppState, auth: &AuthCtx, body: requests::VersionCreate) -> AppResult<WireVersion> {
    let version = WireVersion {
        id: body.id,
        item_id: body.item_id,
        protected_data: Some(body.protected_data.into_string()),
        device_name: body.device_name.into_string(),
        schema_version: body.schema_version,
        created_at: body.created_at,
        deleted_at: None,
    };
    match create(state, auth, version).await? {
        Created::New(v) => Ok(v),
        Created::Existing(_) => Err(AppError::new(ErrorKind::ResourceNotUnique, "A version with this id exists")),
    }
}

/// `GET /v1/versions?vaultId=|itemId=`.
pub(crate) async fn list(state: &AppState, auth: &AuthCtx, q: requests::VersionsQuery) -> AppResult<Listing<WireVersion>> {
    let (limit, offset) = requests::page(q.limit, q.offset)?;
    let mut c = state.pool.acquire().await?;
    let (vault, item) = match (q.vault_id, q.item_id) {
        (_, Some(item)) => {
            let item = super::owned_item(&mut c, auth.user_id, item).await?;
            if q.vault_id.is_some_and(|v| v != item.vault_id) {
                return Err(AppError::new(ErrorKind::ResourceNotFound, "Item not found"));
            }
            (item.vault_id, Some(item.id))
        }
        (Some(vault), None) => (super::owned_vault(&mut c, auth.user_id, vault).await?.id, None),
        (None, None) => {
            return Err(AppError::invalid("vaultId or itemId is required").with_context(ErrorContext::path("vaultId")));
        }
    };
    let total = db::versions::count(&mut c, vault, item).await?;
    let results = db::versions::list(&mut c, vault, item, limit, offset).await?.into_iter().map(|r| r.version).collect();
    Ok(listing(results, total, limit, offset))
}

async fn owned(c: &mut AnyConnection, auth: &AuthCtx, id: VersionId) -> AppResult<VersionRow> {
    let not_found = || AppError::new(ErrorKind::ResourceNotFound, "Version not found");
    let row = db::versions::by_id(c, id).await?.ok_or_else(not_found)?;
    super::owned_vault(c, auth.user_id, row.vault_id).await.map_err(|_| not_found())?;
    Ok(row)
}

/// `GET /v1/versions/:id`.
pub(crate) async fn get(state: &AppState, auth: &AuthCtx, id: VersionId) -> AppResult<WireVersion> {
    owned(&mut *state.pool.acquire().await?, auth, id).await.map(|r| r.version)
}

/// `DELETE /v1/versions/:id`: marks it deleted and drops its data (idempotent).
pub(crate) async fn delete(state: &AppState, auth: &AuthCtx, id: VersionId) -> AppResult<WireVersion> {
    let mut tx = state.pool.begin().await?;
    let row = owned(&mut tx, auth, id).await?;
    if row.version.deleted_at.is_some() {
        return Ok(row.version);
    }
    let (deleted, entry) = remove(&mut tx, state, &row, Timestamp::now()).await?;
    tx.commit().await?;
    changes::publish(state, auth, entry).await;
    Ok(deleted)
}
