//! Items: create (idempotent for pushes), list, read, delete (tombstone).

use super::{AuthCtx, Created, changes::{self, Entity}, listing};
use crate::{
    db,
    error::{AppError, AppResult, ErrorKind},
    requests,
    state::AppState,
};
use localful_protocol::{Change, ChangeKind, ItemId, Listing, Timestamp, WireItem};
use sqlx::AnyConnection;

/// `resource-not-unique`: the item id is taken by an item of another vault.
pub(crate) fn taken() -> AppError {
    AppError::new(ErrorKind::ResourceNotUnique, "An item with this id exists")
}

/// Creates `item` in a transaction of its own, then publishes the change. See [`create_in`].
pub(crate) async fn create(state: &AppState, auth: &AuthCtx, item: WireItem) -> AppResult<Created<WireItem>> {
    let mut tx = state.pool.begin().await?;
    let (result, pending) = create_in(&mut tx, state, auth, item).await?;
    tx.commit().await?;
    changes::publish_all(state, auth, pending).await;
    Ok(result)
}

/// Writes `item` inside the caller's transaction and returns the changes to publish once it
/// commits. An id already in the same vault is `Existing` (then a tombstone in `item.deleted_at`
/// is applied), an id elsewhere is `resource-not-unique`. On an error the caller must roll back
/// what this wrote.
pub(crate) async fn create_in(tx: &mut AnyConnection, state: &AppState, auth: &AuthCtx, item: WireItem) -> AppResult<(Created<WireItem>, Vec<Change>)> {
    super::owned_vault(tx, auth.user_id, item.vault_id).await?;
    let mut pending = Vec::new();
    // The insert first, the existing row read only when the id is taken (one statement less).
    let result = if db::items::insert_new(tx, &item).await? {
        pending.push(changes::record(tx, state, item.vault_id, ChangeKind::ItemCreate, Entity::Item(&item), 0).await?);
        Created::New(item)
    } else {
        match db::items::by_id(tx, item.id).await? {
            Some(existing) if existing.vault_id == item.vault_id => {
                if let Some(at) = item.deleted_at.filter(|_| existing.deleted_at.is_none()) {
                    pending.push(tombstone(tx, state, &existing, at).await?.1);
                }
                Created::Existing(db::items::by_id(tx, item.id).await?.unwrap_or(existing))
            }
            _ => return Err(taken()),
        }
    };
    Ok((result, pending))
}

async fn tombstone(c: &mut AnyConnection, state: &AppState, item: &WireItem, at: Timestamp) -> AppResult<(WireItem, Change)> {
    db::items::tombstone(c, item.id, at).await?;
    let freed = db::versions::delete_by_item(c, item.id, at).await?;
    let mut deleted = item.clone();
    deleted.deleted_at = Some(at);
    let entry = changes::record(c, state, item.vault_id, ChangeKind::ItemDelete, Entity::Item(&deleted), -freed).await?;
    Ok((deleted, entry))
}

/// `POST /v1/items`: an existing id is `resource-not-unique`.
pub(crate) async fn create_http(state: &AppState, auth: &AuthCtx, body: requests::ItemCreate) -> AppResult<WireItem> {
    let item = WireItem {
        id: body.id,
        vault_id: body.vault_id,
        collection: body.collection.into_string(),
        created_at: body.created_at,
        deleted_at: None,
    };
    match create(state, auth, item).await? {
        Created::New(i) => Ok(i),
        Created::Existing(_) => Err(AppError::new(ErrorKind::ResourceNotUnique, "An item with this id exists")),
    }
}

/// `GET /v1/items?vaultId=`.
pub(crate) async fn list(state: &AppState, auth: &AuthCtx, q: requests::ItemsQuery) -> AppResult<Listing<WireItem>> {
    let (limit, offset) = requests::page(q.limit, q.offset)?;
    let mut c = state.pool.acquire().await?;
    super::owned_vault(&mut c, auth.user_id, q.vault_id).await?;
    let total = db::items::count_by_vault(&mut c, q.vault_id).await?;
    let results = db::items::list_by_vault(&mut c, q.vault_id, limit, offset).await?;
    Ok(listing(results, total, limit, offset))
}

/// `GET /v1/items/:id`.
pub(crate) async fn get(state: &AppState, auth: &AuthCtx, id: ItemId) -> AppResult<WireItem> {
    super::owned_item(&mut *state.pool.acquire().await?, auth.user_id, id).await
}

/// `DELETE /v1/items/:id`: sets the tombstone and drops the data of all its versions.
/// Deleting a deleted item answers the item again.
pub(crate) async fn delete(state: &AppState, auth: &AuthCtx, id: ItemId) -> AppResult<WireItem> {
    let mut tx = state.pool.begin().await?;
    let item = super::owned_item(&mut tx, auth.user_id, id).await?;
    if item.deleted_at.is_some() {
        return Ok(item);
    }
    let (deleted, entry) = tombstone(&mut tx, state, &item, Timestamp::now()).await?;
    tx.commit().await?;
    changes::publish(state, auth, entry).await;
    Ok(deleted)
}
